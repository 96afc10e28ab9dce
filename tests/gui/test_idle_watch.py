"""The idle lock's countdown restarts on real input to the main window and to a dialog, and
watches windows, not every event of every widget (an application-wide Python filter ran for
~5,000 events on the first screen alone)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QLineEdit, QVBoxLayout

from app.gui.main_window import MainWindow


def _spent(window: MainWindow) -> float:
    window.idle.last_input = before = -1.0  # long ago
    return before


def test_typing_or_moving_the_mouse_in_the_window_restarts_the_countdown(
    qtbot: Any, window: MainWindow
) -> None:
    handle = window.windowHandle()
    assert handle is not None
    before = _spent(window)
    QTest.keyClick(handle, Qt.Key.Key_Shift)  # as the window system delivers a key
    assert window.idle.last_input > before
    before = _spent(window)
    QTest.mouseMove(handle, QPoint(200, 200))
    assert window.idle.last_input > before


def test_typing_in_a_dialog_restarts_it_too(qtbot: Any, window: MainWindow) -> None:
    dialog = QDialog(window)
    field = QLineEdit()
    QVBoxLayout(dialog).addWidget(field)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QGuiApplication.focusWindow() is dialog.windowHandle())
    before = _spent(window)
    handle = dialog.windowHandle()
    assert handle is not None
    for key in (Qt.Key.Key_A, Qt.Key.Key_B):
        QTest.keyClick(handle, key)
    assert window.idle.last_input > before
    assert field.text().lower() == "ab"  # the keys reached the field through the window
    dialog.close()


def test_the_watch_sees_no_widget_s_events(window: MainWindow) -> None:
    app = QApplication.instance()
    assert app is not None
    # An application-wide filter sees every event of every object: a paint of a widget
    # must not pass through the watch.
    seen: list[str] = []
    real = window.idle.eventFilter

    def spy(obj: Any, event: Any) -> bool:
        if not isinstance(obj, QWindow):
            seen.append(f"{type(obj).__name__} {int(event.type())}")
        return real(obj, event)

    window.idle.eventFilter = spy  # type: ignore[method-assign]
    try:
        window.sidebar.repaint()
        QApplication.processEvents()
    finally:
        window.idle.eventFilter = real  # type: ignore[method-assign]
    assert seen == []
