"""Live notes: the notes list says who spoke (person and party), the kind buttons are real
checkable buttons that look on or off, and the notes and participants lists are Qt models."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QPushButton

from app.core.services.records import Records
from app.core.services.sessions import candidates, live_notes
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.models.sessions_live_notes import TEXT, WHO, LiveNotesModel
from app.gui.models.sessions_participants import ParticipantsModel
from app.gui.sections.sessions import LiveNotesDialog

pytestmark = pytest.mark.gui


@pytest.fixture
def ctx(vault: Vault, messages: list[str], styled_app: QApplication) -> Iterator[AppContext]:
    context = AppContext(vault)
    context.error_handler = messages.append
    yield context
    context.undo_stack.clear()


def _harbour_session(ctx: AppContext) -> tuple[int, int]:
    r = Records(ctx.vault)
    case = r.create("case", title="Harbour talks")
    north = r.create("party", case_id=case, name="North", kind="government")
    r.create("party", case_id=case, name="South", kind="armed_group")
    dana = r.create("person", name="Dana Ost")
    r.create("affiliation", person_id=dana, party_id=north, role="Deputy minister")
    session = r.create("session", case_id=case, title="Harbour workshop", kind="joint_workshop")
    r.create("participant", session_id=session, person_id=dana, party_id=north)
    ctx.set_case(case)
    return case, session


def _open(qtbot: Any, ctx: AppContext, session: int) -> LiveNotesDialog:
    dialog = LiveNotesDialog(ctx, session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _note(qtbot: Any, dialog: LiveNotesDialog, who: str, text: str) -> None:
    dialog.who.setCurrentIndex(dialog.who.findText(who))
    qtbot.keyClicks(dialog.entry, text)
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)


def _cells(dialog: LiveNotesDialog, column: int) -> list[str]:
    model = dialog.notes.model()
    return [model.index(r, column).data() for r in range(model.rowCount())]


def test_the_notes_list_shows_who_spoke(qtbot: Any, ctx: AppContext) -> None:
    """Before: each note read "time [kind] text"; who said it was nowhere to be seen."""
    _case, session = _harbour_session(ctx)
    dialog = _open(qtbot, ctx, session)
    _note(qtbot, dialog, "Dana Ost (North)", "The ferry must run twice a week")
    _note(qtbot, dialog, "South", "Not before the checkpoints go")
    _note(qtbot, dialog, "(the room)", "Long silence")
    assert _cells(dialog, TEXT) == [
        "The ferry must run twice a week",
        "Not before the checkpoints go",
        "Long silence",
    ]
    assert _cells(dialog, WHO) == ["Dana Ost (North)", "South", "the room"]
    # The speaker's column is on screen, beside the text, not scrolled away.
    viewport = dialog.notes.viewport().rect()
    who = dialog.notes.visualRect(dialog.notes.model().index(0, WHO))
    assert viewport.contains(who) and who.width() >= 120
    dialog.accept()
    # Opened again, the notes come back from the vault with their speakers.
    again = _open(qtbot, ctx, session)
    assert _cells(again, WHO) == ["Dana Ost (North)", "South", "the room"]
    again.reject()
    assert again.notes.model().rowCount() == 0  # closed, it keeps nothing of the vault


def test_kind_buttons_are_checkable_and_look_on_or_off(qtbot: Any, ctx: AppContext) -> None:
    """Before: the kind buttons had no names to find them by and looked the same checked or
    not (the style sheet had no checked look for push buttons)."""
    _case, session = _harbour_session(ctx)
    dialog = _open(qtbot, ctx, session)
    observation = dialog.findChild(QPushButton, "live_kind_observation")
    fear = dialog.findChild(QPushButton, "live_kind_fear")
    assert observation is not None and fear is not None
    assert observation.isCheckable() and fear.isCheckable()
    assert observation.isChecked() and not fear.isChecked()
    on = observation.grab().toImage()
    qtbot.mouseClick(fear, Qt.MouseButton.LeftButton)
    assert fear.isChecked() and not observation.isChecked()
    assert dialog.kind.value == "fear"
    off = observation.grab().toImage()
    assert on.size() == off.size() and on != off, "checked and unchecked look the same"
    # Alt+3 from the entry picks "interest" without leaving the keyboard.
    qtbot.keyClick(dialog.entry, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)
    interest = dialog.findChild(QPushButton, "live_kind_interest")
    assert interest is not None and interest.isChecked() and not fear.isChecked()
    dialog.reject()


def test_note_buttons_say_why_they_are_disabled(qtbot: Any, ctx: AppContext) -> None:
    """Before: the buttons were always enabled and answered "Select a note in the list
    first." (or "Only an interest…") after the click."""
    _case, session = _harbour_session(ctx)
    dialog = _open(qtbot, ctx, session)
    _note(qtbot, dialog, "South", "The checkpoints scare the fishermen")
    qtbot.keyClick(dialog.entry, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)  # fear
    _note(qtbot, dialog, "South", "Smuggling comes back with the ferry")
    for button in (dialog.to_profile, dialog.to_option, dialog.to_action):
        assert not button.isEnabled()
        assert button.toolTip() == "Select a note in the list first"
    dialog.notes.selectRow(0)  # an observation: no profile entry
    assert dialog.to_option.isEnabled() and dialog.to_action.isEnabled()
    assert not dialog.to_profile.isEnabled()
    assert dialog.to_profile.toolTip().startswith("Only an interest, need, fear or statement")
    dialog.notes.selectRow(1)  # a fear: it may go into South's profile
    assert dialog.to_profile.isEnabled()
    qtbot.mouseClick(dialog.to_profile, Qt.MouseButton.LeftButton)
    [entry] = Records(ctx.vault).find("profile_entry")
    assert entry["text"] == "Smuggling comes back with the ferry"
    dialog.reject()


def test_live_notes_and_participants_models(
    qtmodeltester: Any, ctx: AppContext, demo_case: int, styled_app: QApplication
) -> None:
    r = Records(ctx.vault)
    noted = max(
        r.find("session", case_id=demo_case),
        key=lambda s: len(r.find("session_note", session_id=s["id"])),
    )
    notes = live_notes(ctx.vault, noted["id"])
    assert len(notes) >= 3 and any(n.person_name and n.party_name for n in notes)
    model = LiveNotesModel()
    model.load(notes)
    qtmodeltester.check(model)
    people = candidates(ctx.vault, demo_case)
    assert people
    participants = ParticipantsModel(people)
    qtmodeltester.check(participants)
    participants.setData(
        participants.index(0, 0), Qt.CheckState.Checked, Qt.ItemDataRole.CheckStateRole
    )
    participants.setData(participants.index(0, 2), "personal")
    assert participants.chosen()[0][2].value == "personal"
    qtmodeltester.check(participants)
