"""The live notes of a long workshop, paged (issue #18): the dialog shows the first page,
reads the rest as the list is scrolled to its end (then holds exactly the session's notes),
a note taken is shown at the end even before the user scrolled there, and a closed dialog
keeps nothing, not even the pages still to read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.models import SessionNote, SessionNoteKind
from app.core.services.paging import FIRST_PAGE, PAGE
from app.core.services.records import Records
from app.core.services.sessions import add_live_note, live_notes
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.models.sessions_live_notes import TEXT
from app.gui.sections.sessions import LiveNotesDialog

pytestmark = pytest.mark.gui

NOTES = 300  # a long workshop: more than a first page and one more


@pytest.fixture
def ctx(vault: Vault, messages: list[str], styled_app: QApplication) -> Iterator[AppContext]:
    context = AppContext(vault)
    context.error_handler = messages.append
    yield context
    context.undo_stack.clear()


@pytest.fixture
def workshop(ctx: AppContext) -> int:
    r = Records(ctx.vault)
    case = r.create("case", title="Harbour talks")
    north = r.create("party", case_id=case, name="North", kind="government")
    session = r.create("session", case_id=case, title="Long workshop", kind="joint_workshop")
    start = datetime(2025, 6, 1, 9, 0, tzinfo=UTC)
    with ctx.vault.transaction() as s:
        for i in range(NOTES):
            s.add(
                SessionNote(
                    session_id=session,
                    kind=SessionNoteKind.OBSERVATION,
                    text=f"note {i:03d}",
                    party_id=north if i % 2 else None,
                    noted_at=start + timedelta(minutes=i // 2),  # two a minute: ties
                )
            )
    ctx.set_case(case)
    return session


def _open(qtbot: Any, ctx: AppContext, session: int) -> LiveNotesDialog:
    dialog = LiveNotesDialog(ctx, session)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _texts(dialog: LiveNotesDialog) -> list[str]:
    model = dialog.model
    return [str(model.index(r, TEXT).data()) for r in range(model.rowCount())]


def test_scrolling_the_notes_to_their_end_reads_every_page(
    qtbot: Any, ctx: AppContext, workshop: int, qtmodeltester: Any
) -> None:
    dialog = _open(qtbot, ctx, workshop)
    model = dialog.model
    assert FIRST_PAGE <= model.rowCount() <= FIRST_PAGE + PAGE and model.more
    for _ in range(20):
        if not model.more:
            break
        dialog.notes.scrollToBottom()
        qtbot.wait(10)
    assert not model.more
    assert _texts(dialog) == [n.text for n in live_notes(ctx.vault, workshop)]
    assert _texts(dialog) == [f"note {i:03d}" for i in range(NOTES)]
    qtmodeltester.check(model)
    dialog.reject()


def test_a_note_taken_shows_at_the_end_before_the_list_was_scrolled_there(
    qtbot: Any, ctx: AppContext, workshop: int
) -> None:
    dialog = _open(qtbot, ctx, workshop)
    assert dialog.model.more
    qtbot.keyClicks(dialog.entry, "The ferry must run")
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    texts = _texts(dialog)
    assert texts[-1] == "The ferry must run" and len(texts) == NOTES + 1
    assert texts == [n.text for n in live_notes(ctx.vault, workshop)]
    qtbot.keyClicks(dialog.entry, "Long silence")
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    assert _texts(dialog)[-2:] == ["The ferry must run", "Long silence"]
    assert not dialog.model.more
    dialog.reject()


def test_a_note_dated_before_the_last_one_shown_takes_its_place(
    qtbot: Any, ctx: AppContext, workshop: int
) -> None:
    """A note taken while a later-dated one is on the list (a clock set back, a note dated
    ahead): the rows held are read again, the new one in its place."""
    add_live_note(
        ctx.vault, workshop, "observation", "dated ahead", noted_at=datetime(2099, 1, 1, tzinfo=UTC)
    )
    dialog = _open(qtbot, ctx, workshop)
    dialog.model.fetch_all()
    assert _texts(dialog)[-1] == "dated ahead"
    qtbot.keyClicks(dialog.entry, "Now")
    qtbot.keyClick(dialog.entry, Qt.Key.Key_Return)
    assert _texts(dialog)[-2:] == ["Now", "dated ahead"]
    assert _texts(dialog) == [n.text for n in live_notes(ctx.vault, workshop)]
    dialog.reject()


def test_a_closed_dialog_keeps_no_note_nor_pages_to_read(
    qtbot: Any, ctx: AppContext, workshop: int
) -> None:
    dialog = _open(qtbot, ctx, workshop)
    assert dialog.model.more
    dialog.reject()
    assert dialog.model.rowCount() == 0 and not dialog.model.canFetchMore()
    dialog.model.fetchMore()
    assert dialog.model.rowCount() == 0
