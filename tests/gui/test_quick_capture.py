"""Quick capture: Esc with text typed asks (keep editing, keep as draft, discard) and a draft
comes back when quick capture opens again; drafts stay in memory (never in QSettings or a
file) and go with a lock; a message from a party to itself is refused inline; a confidential
one meant for the other side is flagged inline."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QWidget

from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.dialogs.quick_capture import QuickCaptureDialog, draft_for
from tests.conftest import FAST_KDF, PASSPHRASE

TYPED = "The council will send two elders to the pass on Thursday"


@pytest.fixture
def ctx(vault: Vault, styled_app: QApplication) -> AppContext:
    r = Records(vault)
    case = r.create("case", title="Ferry talks")
    r.create("party", case_id=case, name="North Council", kind="government")
    r.create("party", case_id=case, name="South Front", kind="armed_group")
    r.create("party", case_id=case, name="Lakeside Dialogue Initiative", kind="third_party")
    c = AppContext(vault)
    c.set_case(case)
    return c


def open_dialog(qtbot: Any, ctx: AppContext) -> QuickCaptureDialog:
    dialog = QuickCaptureDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def pick(qtbot: Any, combo: QWidget, letter: str) -> None:
    combo.setFocus()
    qtbot.keyClicks(combo, letter)


def test_esc_with_text_asks_and_keeps_a_draft(qtbot: Any, ctx: AppContext) -> None:
    dialog = open_dialog(qtbot, ctx)
    qtbot.keyClicks(dialog.content, TYPED)
    pick(qtbot, dialog.from_party, "N")
    pick(qtbot, dialog.to_party, "S")
    qtbot.keyClick(dialog.content, Qt.Key.Key_Escape)
    assert dialog.isVisible(), "Esc dropped the text without asking"
    assert dialog.confirm.isVisible()
    assert dialog.findChild(QWidget, "qc_confirm_text").text() == "Discard this message?"  # type: ignore[union-attr]
    # Esc again (or Keep editing): back to the text, nothing lost.
    qtbot.keyClick(dialog.keep_draft, Qt.Key.Key_Escape)
    assert dialog.isVisible() and not dialog.confirm.isVisible()
    assert dialog.content.toPlainText() == TYPED
    qtbot.keyClick(dialog.content, Qt.Key.Key_Escape)
    qtbot.mouseClick(dialog.keep_draft, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    assert Records(ctx.vault).find("message") == []

    again = open_dialog(qtbot, ctx)
    assert again.content.toPlainText() == TYPED
    assert again.restored.isVisible()
    assert again.from_party.currentText() == "North Council"
    assert again.to_party.currentText() == "South Front"
    # Discard: closed, and the next quick capture starts empty.
    qtbot.keyClick(again.content, Qt.Key.Key_Escape)
    qtbot.mouseClick(again.discard, Qt.MouseButton.LeftButton)
    assert not again.isVisible()
    third = open_dialog(qtbot, ctx)
    assert third.content.toPlainText() == "" and not third.restored.isVisible()
    qtbot.keyClick(third.content, Qt.Key.Key_Escape)  # nothing typed: closes at once
    assert not third.isVisible()


def test_cancel_asks_too_and_saving_forgets_the_draft(qtbot: Any, ctx: AppContext) -> None:
    dialog = open_dialog(qtbot, ctx)
    qtbot.keyClicks(dialog.content, TYPED)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.confirm.isVisible()
    qtbot.mouseClick(dialog.keep_draft, Qt.MouseButton.LeftButton)
    assert draft_for(ctx.vault, ctx.case_id) is not None
    again = open_dialog(qtbot, ctx)

    pick(qtbot, again.from_party, "N")
    qtbot.keyClick(again.content, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert again.created_id is not None, again.error.text()
    assert draft_for(ctx.vault, ctx.case_id) is None


def test_a_draft_is_kept_in_memory_only_and_dropped_on_lock(
    qtbot: Any, ctx: AppContext, vault_path: Path, tmp_path: Path
) -> None:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    dialog = open_dialog(qtbot, ctx)
    qtbot.keyClicks(dialog.content, TYPED)
    qtbot.keyClick(dialog.content, Qt.Key.Key_Escape)
    qtbot.mouseClick(dialog.keep_draft, Qt.MouseButton.LeftButton)
    settings.sync()
    for path in tmp_path.rglob("*"):
        if path.is_file():
            assert b"two elders" not in path.read_bytes(), path
    case_id = ctx.case_id
    ctx.vault.lock()
    assert draft_for(ctx.vault, case_id) is None
    fresh = Vault(vault_path, kdf_sets=FAST_KDF)
    fresh.unlock(PASSPHRASE)
    try:
        ctx.vault = fresh
        ctx.records.vault = fresh
        assert open_dialog(qtbot, ctx).content.toPlainText() == ""
    finally:
        fresh.lock()


def test_a_message_from_a_party_to_itself_is_refused_inline(qtbot: Any, ctx: AppContext) -> None:
    dialog = open_dialog(qtbot, ctx)
    qtbot.keyClicks(dialog.content, TYPED)
    pick(qtbot, dialog.from_party, "N")
    pick(qtbot, dialog.to_party, "N")
    assert "cannot go from a party to itself" in dialog.error.text()
    qtbot.keyClick(dialog.to_party, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.isVisible() and dialog.created_id is None
    assert Records(ctx.vault).find("message") == []
    qtbot.keyClick(dialog.to_party, Qt.Key.Key_Down)  # the next party: South Front
    assert dialog.to_party.currentText() == "South Front"
    assert dialog.error.text() == ""


def test_a_confidential_message_for_the_other_side_is_flagged(qtbot: Any, ctx: AppContext) -> None:
    dialog = open_dialog(qtbot, ctx)
    assert dialog.disclosure.currentData() == "confidential"
    pick(qtbot, dialog.from_party, "N")
    pick(qtbot, dialog.to_party, "S")
    assert dialog.note.isVisible()
    assert dialog.note.text().startswith("Confidential: this will never be passed to South Front")
    pick(qtbot, dialog.disclosure, "s")  # shareable
    assert not dialog.note.isVisible()
    pick(qtbot, dialog.disclosure, "c")  # confidential, but for the facilitators
    pick(qtbot, dialog.to_party, "L")
    assert not dialog.note.isVisible()
