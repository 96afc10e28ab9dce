"""File ▸ Export for commitments and debriefs: the commitments register is one more kind of
document; a debrief lists the case's outside audiences instead of the parties, with
codenames checked unless the user unticks them, and writes the debrief for the one chosen."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.dialogs.export import ExportDialog
from app.gui.workers import wait_for_workers
from tests.core.test_pdf_commitments import build_commitments


@pytest.fixture
def case(vault: Vault) -> dict[str, int]:
    return build_commitments(vault)


@pytest.fixture
def host(qtbot: Any) -> QWidget:
    """The dialog's parent, as the main window is (a parentless export dialog may be
    deleted while Qt still has events for it)."""
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _dialog(qtbot: Any, host: QWidget, vault: Vault, ids: dict[str, int]) -> ExportDialog:
    ctx = AppContext(vault)
    ctx.set_case(ids["case"])
    dialog = ExportDialog(ctx, host)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _items(combo: Any) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def _export(qtbot: Any, dialog: ExportDialog, out: Path) -> None:
    dialog.path.setText(str(out))
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.StandardButton.Save), Qt.LeftButton)
    qtbot.waitUntil(
        lambda: dialog.result_path is not None or bool(dialog.error.text()), timeout=60_000
    )
    assert wait_for_workers(60_000)


def _pdf(path: Path) -> str:
    return " ".join(
        (p.extract_text() or "").replace("\n", " ") for p in pypdf.PdfReader(path).pages
    )


def test_a_debrief_for_a_chosen_outside_audience(
    qtbot: Any, host: QWidget, vault: Vault, case: dict[str, int], tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, host, vault, case)
    assert not dialog.codenames.isChecked()
    # The kinds, from the keyboard: the debrief is the one before the recovery sheet.
    dialog.kind.setFocus()
    qtbot.keyClick(dialog.kind, Qt.Key.Key_End)
    qtbot.keyClick(dialog.kind, Qt.Key.Key_Up)
    assert dialog.kind.currentData() == "debrief"
    assert _items(dialog.audience) == [
        "For Envoy Marra, Nordic Fund (no sources named)",
        "For Minister Oduya, Foreign Office (no sources named)",
    ]
    assert dialog.codenames.isChecked() and not dialog.include_own.isEnabled()
    assert "names no sources" in dialog.warning.text()
    # Back to a party's document: the parties again, and the box as it was.
    qtbot.keyClick(dialog.kind, Qt.Key.Key_Up)
    assert dialog.kind.currentData() == "commitments"
    assert _items(dialog.audience)[0].startswith("Me (") and not dialog.codenames.isChecked()
    qtbot.keyClick(dialog.kind, Qt.Key.Key_Down)
    dialog.audience.setFocus()
    qtbot.keyClick(dialog.audience, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.audience, Qt.Key.Key_Up)
    values = dialog.values()
    assert values["audience_outsider_id"] == case["envoy"]
    assert values["audience_party_id"] is None and values["codenames"] is True
    out = tmp_path / "debrief.pdf"
    _export(qtbot, dialog, out)
    assert dialog.error.text() == ""
    assert "left out of Envoy Marra's copy" in dialog.result_message
    body = _pdf(out)
    assert "Debrief for Envoy Marra, Nordic Fund" in body and "says Heron" in body
    assert "CONFIDENTIAL" not in body and "ZQXMINISTER" not in body


def test_the_commitments_register_for_a_party(
    qtbot: Any, host: QWidget, vault: Vault, case: dict[str, int], tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, host, vault, case)
    dialog.kind.setCurrentIndex(dialog.kind.findData("commitments"))
    dialog.audience.setCurrentIndex(dialog.audience.findData(case["gov"]))
    assert dialog.values()["audience_outsider_id"] is None
    out = tmp_path / "register.pdf"
    _export(qtbot, dialog, out)
    assert dialog.error.text() == ""
    body = _pdf(out)
    assert "Commitments register" in body and "For: Government" in body
    assert "ZQXCONFCOMMIT" not in body
