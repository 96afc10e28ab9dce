"""File ▸ Export: a PDF for an audience, on a worker, with the plaintext warning."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from app.core.export.pdf.furniture import Tracker
from app.gui.actions import ActionId
from app.gui.dialogs.export import ExportDialog
from app.gui.main_window import MainWindow
from app.gui.workers import wait_for_workers
from tests.gui.conftest import answer_dialog


def test_export_a_shuttle_log_for_a_party(
    qtbot: Any, window: MainWindow, demo_case: int, tmp_path: Path
) -> None:
    window.load()
    dialog = ExportDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    assert "not be encrypted" in dialog.warning.text()
    dialog.kind.setCurrentIndex(dialog.kind.findData("log"))
    dialog.audience.setCurrentIndex(1)  # the first party
    out = tmp_path / "log.pdf"
    dialog.path.setText(str(out))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(
        lambda: dialog.result_path is not None or bool(dialog.error.text()), timeout=60_000
    )
    assert dialog.error.text() == ""
    assert out.read_bytes().startswith(b"%PDF")
    dialog.password.setText("secret words")
    assert "encrypted with the password" in dialog.warning.text()


def test_export_to_a_missing_folder_says_so_and_writes_nothing(
    qtbot: Any, window: MainWindow, demo_case: int, tmp_path: Path
) -> None:
    window.load()
    dialog = ExportDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.path.setText(str(tmp_path / "nowhere" / "x.pdf"))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(lambda: bool(dialog.error.text()), timeout=60_000)
    assert dialog.result_path is None
    assert not (tmp_path / "nowhere").exists()


# --- an export never outlives the lock or its dialog ------------------------------------------


@pytest.fixture
def paused_export(monkeypatch: pytest.MonkeyPatch, window: MainWindow) -> threading.Event:
    """The export's first progress step waits until it is told to stop (its Cancel, or a
    lock that has begun), so the test can act while it is surely running. Set once the
    export has reached that step."""
    reached = threading.Event()
    real_done = Tracker.done

    def done(tracker: Tracker, n: int) -> None:
        if not reached.is_set():
            reached.set()
            vault = window.vault

            def told_to_stop() -> bool:
                cancelled = tracker._cancel is not None and tracker._cancel()
                return cancelled or vault.locking or not vault.is_unlocked

            deadline = time.monotonic() + 60
            while not told_to_stop() and time.monotonic() < deadline:
                time.sleep(0.002)
        real_done(tracker, n)

    monkeypatch.setattr(Tracker, "done", done)
    return reached


def start_export(qtbot: Any, dialog: QWidget, out: Path, reached: threading.Event) -> None:
    assert isinstance(dialog, ExportDialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("log"))
    dialog.path.setText(str(out))
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    qtbot.waitUntil(reached.is_set, timeout=60_000)


@pytest.mark.parametrize("how", ["shortcut", "idle"])
def test_lock_stops_a_running_export_and_no_file_is_written(
    qtbot: Any,
    window: MainWindow,
    demo_case: int,
    tmp_path: Path,
    paused_export: threading.Event,
    how: str,
) -> None:
    window.load()
    out_dir = tmp_path / "exports"
    out_dir.mkdir()

    def export_then_lock(dialog: QWidget) -> None:
        start_export(qtbot, dialog, out_dir / "log.pdf", paused_export)
        if how == "idle":
            window.idle.timer.timeout.emit()  # the idle time ran out while it exported
        else:
            window.action(ActionId.LOCK).trigger()  # Ctrl+L / File ▸ Lock

    answer_dialog(export_then_lock)
    window.action(ActionId.EXPORT).trigger()
    assert not window.vault.is_unlocked and not window.vault.holds_key()
    assert wait_for_workers(60_000)
    QApplication.processEvents()
    assert list(out_dir.iterdir()) == []  # neither the PDF nor its temporary file


def test_closing_the_dialog_stops_a_running_export(
    qtbot: Any,
    window: MainWindow,
    demo_case: int,
    tmp_path: Path,
    paused_export: threading.Event,
) -> None:
    window.load()
    out_dir = tmp_path / "exports"
    out_dir.mkdir()

    def export_then_close(dialog: QWidget) -> None:
        start_export(qtbot, dialog, out_dir / "log.pdf", paused_export)
        dialog.close()  # the window's close button (Esc does the same)

    answer_dialog(export_then_close)
    window.action(ActionId.EXPORT).trigger()
    assert wait_for_workers(60_000)
    QApplication.processEvents()
    assert list(out_dir.iterdir()) == []
    assert window.vault.is_unlocked  # closing the dialog stops the export, nothing else
