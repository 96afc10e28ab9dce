"""File ▸ Export: a PDF for an audience, on a worker, with the plaintext warning."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox

from app.gui.dialogs.export import ExportDialog
from app.gui.main_window import MainWindow


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
