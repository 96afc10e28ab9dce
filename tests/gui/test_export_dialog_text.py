"""File ▸ Export for a text: choose the text and its draft, the clean copy or the annotated
copy compared with another draft, a party's copy from the drafts it holds; the record in
view (a text, a draft, a clause) preselects them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pypdf
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox, QWidget

from app.core.services.texts import clauses_of
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.dialogs.export import ExportDialog
from app.gui.workers import wait_for_workers
from tests.core.test_pdf_text import build_text


@pytest.fixture
def text(vault: Vault) -> dict[str, int]:
    return build_text(vault)


@pytest.fixture
def host(qtbot: Any) -> QWidget:
    """The dialogs' parent, as the main window is: they live until the test is over (a
    dialog deleted with the test's last reference to it, while Qt still has events for it,
    is not how the app uses it)."""
    widget = QWidget()
    qtbot.addWidget(widget)
    return widget


def _dialog(
    qtbot: Any,
    host: QWidget,
    vault: Vault,
    ids: dict[str, int],
    selected: tuple[str, int] | None = None,
) -> ExportDialog:
    ctx = AppContext(vault)
    ctx.set_case(ids["case"])
    dialog = ExportDialog(ctx, host, selected=selected)
    qtbot.addWidget(dialog)
    dialog.show()  # clicks land on laid-out widgets
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


def test_a_clean_copy_of_a_chosen_draft(
    qtbot: Any, host: QWidget, vault: Vault, text: dict[str, int], tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, host, vault, text)
    for row in (dialog.text, dialog.draft, dialog.clean, dialog.against):
        assert not row.isVisibleTo(dialog)  # only for a text
    dialog.kind.setCurrentIndex(dialog.kind.findData("text"))
    assert dialog.text.currentText() == "Framework for talks"
    assert _items(dialog.draft) == [
        "Working draft 3",
        "Draft 2 (6 Mar 2026)",
        "Draft 1 (2 Mar 2026)",
    ]
    assert dialog.clean.isVisibleTo(dialog) and dialog.against.isVisibleTo(dialog)
    assert not dialog.session.isVisibleTo(dialog) and not dialog.include_own.isEnabled()
    dialog.draft.setCurrentIndex(dialog.draft.findData(2))
    assert _items(dialog.against) == ["The draft before", "Working draft 3"]
    # (A click in a check box's middle misses its label: the box is wider than the text.)
    qtbot.mouseClick(dialog.clean, Qt.LeftButton, pos=QPoint(8, dialog.clean.height() // 2))
    assert dialog.clean.isChecked() and not dialog.against.isEnabled()
    values = dialog.values()
    assert (values["text_id"], values["draft_number"], values["clean"]) == (text["text"], 2, True)
    assert values["against_number"] is None
    out = tmp_path / "clean.pdf"
    _export(qtbot, dialog, out)
    assert dialog.error.text() == ""
    body = _pdf(out)
    assert "Draft 2 · 6 Mar 2026" in body and "FOR DISCUSSION — NOT AGREED" in body
    assert "CONFIDENTIAL" not in body and "ZQXNOTE" not in body


def test_the_annotated_copy_compared_with_a_chosen_draft(
    qtbot: Any, host: QWidget, vault: Vault, text: dict[str, int], tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, host, vault, text, selected=("text", text["text"]))
    assert dialog.kind.currentData() == "text"
    assert dialog.draft.currentData() == 3  # the working draft
    assert _items(dialog.against) == ["The draft before", "Draft 1 (2 Mar 2026)"]
    dialog.against.setCurrentIndex(dialog.against.findData(1))
    out = tmp_path / "annotated.pdf"
    _export(qtbot, dialog, out)
    assert dialog.error.text() == ""
    body = _pdf(out)
    assert "Working draft 3" in body and "CONFIDENTIAL" in body
    assert "Changes since draft 1 (2 Mar 2026)" in body and "Moved from 3.1." in body


def test_a_party_chooses_among_the_drafts_it_holds(
    qtbot: Any, host: QWidget, vault: Vault, text: dict[str, int], tmp_path: Path
) -> None:
    dialog = _dialog(qtbot, host, vault, text)
    dialog.kind.setCurrentIndex(dialog.kind.findData("text"))
    dialog.audience.setCurrentIndex(dialog.audience.findData(text["front"]))
    assert _items(dialog.draft) == ["Draft 1 (2 Mar 2026)"]
    assert not dialog.clean.isVisibleTo(dialog) and not dialog.against.isVisibleTo(dialog)
    assert dialog.values()["clean"] is None and dialog.values()["against_number"] is None
    out = tmp_path / "front.pdf"
    _export(qtbot, dialog, out)
    assert dialog.error.text() == ""
    assert "left out" not in dialog.result_message or "0 item" in dialog.result_message
    body = _pdf(out)
    assert "For: Highlands Front" in body and "Draft 1 · 2 Mar 2026" in body

    # A party given no draft: the dialog says so, and the export says why in one sentence.
    dialog = _dialog(qtbot, host, vault, text)
    dialog.kind.setCurrentIndex(dialog.kind.findData("text"))
    dialog.audience.setCurrentIndex(dialog.audience.findData(text["observers"]))
    assert _items(dialog.draft) == ["None: no draft of this text was given to this party"]
    refused = tmp_path / "observers.pdf"
    _export(qtbot, dialog, refused)
    assert dialog.error.text() == (
        "“Observers” has not been given any draft of “Framework for talks” yet."
    )
    assert not refused.exists()


def test_the_record_in_view_preselects_text_and_draft(
    qtbot: Any, host: QWidget, vault: Vault, text: dict[str, int]
) -> None:
    clause = clauses_of(vault, text["d2"])[2].id
    dialog = _dialog(qtbot, host, vault, text, selected=("clause", clause))
    assert dialog.kind.currentData() == "text"
    assert (dialog.text.currentData(), dialog.draft.currentData()) == (text["text"], 2)
    dialog = _dialog(qtbot, host, vault, text, selected=("draft", text["d1"]))
    assert dialog.draft.currentData() == 1
    assert dialog.against.currentText() == "Nothing (no earlier draft)"


def test_the_dialog_fits_a_small_screen(
    qtbot: Any, host: QWidget, vault: Vault, text: dict[str, int]
) -> None:
    dialog = _dialog(qtbot, host, vault, text, selected=("text", text["text"]))
    hint = dialog.sizeHint()
    assert hint.width() <= 1024 and hint.height() <= 700
    dialog.resize(hint)
    assert dialog.draft.isVisible() and dialog.buttons.isVisible()
