"""File ▸ Export for one party: its own statements only when ticked, and the count of what
was left out shown to the mediator, never printed in the party's copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox

from app.gui.dialogs.export import ExportDialog
from app.gui.main_window import MainWindow


def _export(qtbot: Any, dialog: ExportDialog, out: Path) -> str:
    dialog.path.setText(str(out))
    dialog.result_path = None
    qtbot.mouseClick(
        dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.MouseButton.LeftButton
    )
    qtbot.waitUntil(
        lambda: dialog.result_path is not None or bool(dialog.error.text()), timeout=60_000
    )
    assert dialog.error.text() == ""
    return "".join(page.extract_text() for page in pypdf.PdfReader(out).pages)


def _dialog(qtbot: Any, window: MainWindow) -> ExportDialog:
    dialog = ExportDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.kind.setCurrentIndex(dialog.kind.findData("log"))
    return dialog


def _choose_khm(dialog: ExportDialog) -> None:
    khm = next(
        i
        for i in range(dialog.audience.count())
        if "Korvan Highlands" in dialog.audience.itemText(i)
    )
    dialog.audience.setCurrentIndex(khm)


def test_a_partys_copy_with_and_without_its_own_statements(
    qtbot: Any, window: MainWindow, demo_case: int, tmp_path: Path
) -> None:
    window.load()
    dialog = _dialog(qtbot, window)
    assert not dialog.include_own.isEnabled()  # "me" sees everything anyway
    _choose_khm(dialog)
    assert dialog.include_own.isEnabled() and not dialog.include_own.isChecked()
    plain = _export(qtbot, dialog, tmp_path / "plain.pdf")
    assert "YOUR OWN STATEMENT" not in plain
    assert "withheld" not in plain.casefold()
    assert "left out of Korvan Highlands Movement (KHM)'s copy" in dialog.result_message

    dialog = _dialog(qtbot, window)
    _choose_khm(dialog)
    qtbot.mouseClick(dialog.include_own, Qt.MouseButton.LeftButton)
    assert dialog.include_own.isChecked()
    own = _export(qtbot, dialog, tmp_path / "own.pdf")
    assert "YOUR OWN STATEMENT" in own and "said in confidence" in own
    assert len(own) > len(plain)
