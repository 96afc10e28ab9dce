"""The export dialog starts from the record in view: its session, the document that fits."""

from __future__ import annotations

from typing import Any

from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.dialogs.export import ExportDialog


def _dialog(qtbot: Any, ctx: AppContext, selected: tuple[str, int] | None) -> ExportDialog:
    dialog = ExportDialog(ctx, None, selected=selected)
    qtbot.addWidget(dialog)
    return dialog


def test_selected_session_is_the_session_of_the_brief(
    qtbot: Any, vault: Vault, demo_case: int
) -> None:
    ctx = AppContext(vault)
    ctx.set_case(demo_case)
    default = _dialog(qtbot, ctx, None)
    assert default.kind.currentData() == "dossier"
    assert default.session.count() >= 2
    # Not the session shown first, and one with an agenda (sessions come newest first).
    second = next(
        default.session.itemData(i)
        for i in range(default.session.count())
        if default.session.itemData(i) != default.session.currentData()
        and Records(vault).find("agenda_item", session_id=default.session.itemData(i))
    )

    dialog = _dialog(qtbot, ctx, ("session", second))
    assert dialog.session.currentData() == second
    assert dialog.kind.currentData() == "brief"
    assert dialog.session.isEnabled()
    assert dialog.values()["session_id"] == second

    # A record of that session (an agenda item) preselects it too.
    item = Records(vault).find("agenda_item", session_id=second)[0]["id"]
    dialog = _dialog(qtbot, ctx, ("agenda_item", item))
    assert dialog.session.currentData() == second
    assert dialog.kind.currentData() == "brief"


def test_selected_message_or_option_picks_its_document(
    qtbot: Any, vault: Vault, demo_case: int
) -> None:
    ctx = AppContext(vault)
    ctx.set_case(demo_case)
    records = Records(vault)
    message = records.find("message", case_id=demo_case)[0]["id"]
    option = records.find("option", case_id=demo_case)[0]["id"]
    assert _dialog(qtbot, ctx, ("message", message)).kind.currentData() == "log"
    assert _dialog(qtbot, ctx, ("option", option)).kind.currentData() == "options"
    assert _dialog(qtbot, ctx, ("party", 1)).kind.currentData() == "dossier"
