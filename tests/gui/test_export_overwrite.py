"""File ▸ Export asks before it replaces a file, and never writes over the vault itself."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QDialogButtonBox, QMessageBox, QWidget

from app.gui.dialogs.export import ExportDialog
from app.gui.main_window import MainWindow
from tests.gui.conftest import answer_dialog


def _dialog(qtbot: Any, window: MainWindow, out: Path) -> ExportDialog:
    window.load()
    dialog = ExportDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("recovery"))
    dialog.path.setText(str(out))
    return dialog


def _answer(button: QMessageBox.StandardButton, asked: list[str]) -> Any:
    def handler(box: QWidget) -> None:
        assert isinstance(box, QMessageBox)
        asked.append(box.text())
        box.button(button).click()

    return handler


def test_export_asks_before_replacing_an_existing_file(
    qtbot: Any, window: MainWindow, tmp_path: Path
) -> None:
    out = tmp_path / "sheet.pdf"
    out.write_bytes(b"an older PDF")
    dialog = _dialog(qtbot, window, out)
    save = dialog.buttons.button(QDialogButtonBox.StandardButton.Save)
    asked: list[str] = []
    answer_dialog(_answer(QMessageBox.StandardButton.No, asked))
    save.click()
    assert len(asked) == 1 and "sheet.pdf" in asked[0] and "replace" in asked[0].lower()
    assert out.read_bytes() == b"an older PDF"
    assert dialog.result_path is None and save.isEnabled()

    answer_dialog(_answer(QMessageBox.StandardButton.Yes, asked))
    save.click()
    qtbot.waitUntil(
        lambda: dialog.result_path is not None or bool(dialog.error.text()), timeout=60_000
    )
    assert len(asked) == 2 and dialog.error.text() == ""
    assert out.read_bytes().startswith(b"%PDF")


def test_export_never_writes_over_the_vault(qtbot: Any, window: MainWindow, tmp_path: Path) -> None:
    vault_path = window.vault.path
    head = vault_path.read_bytes()[:4096]
    dialog = _dialog(qtbot, window, vault_path)
    dialog.buttons.button(QDialogButtonBox.StandardButton.Save).click()
    # Refused at once, without asking whether to replace it.
    assert "this vault" in dialog.error.text()
    assert dialog.result_path is None
    assert vault_path.read_bytes()[:4096] == head
