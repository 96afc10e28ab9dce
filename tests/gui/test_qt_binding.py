"""The Qt binding keeps Python's reference counts: PySide6 6.12.0 under Python 3.11 took one
reference from None on every Qt call that returns nothing (and one from True on every signal
emitted with it), so a long session aborted with "Fatal Python error: none_dealloc"."""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QLabel

CALLS = 2000


class _Emitter(QObject):
    fired = Signal(bool)


def test_qt_calls_do_not_take_references_from_none_or_true(qtbot) -> None:  # type: ignore[no-untyped-def]
    label = QLabel()
    qtbot.addWidget(label)
    emitter = _Emitter()
    none_before = sys.getrefcount(None)
    true_before = sys.getrefcount(True)
    for _ in range(CALLS):
        label.setText("x")
        emitter.fired.emit(True)
    # A few references come and go with the interpreter's own work; thousands may not.
    assert sys.getrefcount(None) > none_before - CALLS // 2
    assert sys.getrefcount(True) > true_before - CALLS // 2
