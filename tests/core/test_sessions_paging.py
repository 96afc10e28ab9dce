"""Sessions at scale (issue #18): a session's live notes paged (a long workshop holds
hundreds), equal to one big page and to the list as it was read before; the session brief's
"what each party knows" counted by a query, equal to the length of the party's ledger."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from app.core.demo import generate_scale
from app.core.models import Party, Person, SessionNote
from app.core.services.knowledge import told_count
from app.core.services.paging import Page
from app.core.services.records import Records
from app.core.services.sessions import (
    LiveNote,
    add_live_note,
    live_notes,
    live_notes_page,
    session_brief,
    upcoming_actions,
)
from app.core.services.shuttle import ledger
from app.core.vault import Vault
from tests.core.paging_check import assert_pages_equal_one_big_page


def old_live_notes(vault: Vault, session_id: int) -> list[LiveNote]:
    """The notes as they were read before paging, all at once (the oracle)."""
    with vault.session() as s:
        rows = s.execute(
            select(SessionNote, Person.name, Party.name)
            .outerjoin(Person, Person.id == SessionNote.person_id)
            .outerjoin(Party, Party.id == SessionNote.party_id)
            .where(SessionNote.session_id == session_id)
            .order_by(SessionNote.noted_at, SessionNote.id)
        ).all()
        return [
            LiveNote(
                n.id, n.noted_at, n.kind.value, n.text, n.person_id, p or "", n.party_id, q or ""
            )
            for n, p, q in rows
        ]


@pytest.fixture
def scaled(vault: Vault) -> Vault:
    generate_scale(vault, messages=700, cases=1)
    return vault


def test_live_notes_paged_equal_one_big_page_and_the_old_list(scaled: Vault) -> None:
    vault = scaled
    with vault.session() as s:
        session_id = s.scalar(
            select(SessionNote.session_id)
            .group_by(SessionNote.session_id)
            .order_by(func.count().desc())
        )
    assert session_id is not None
    # A long workshop: notes typed in the same second (ties in the order), by the room,
    # by a party, by a person.
    r = Records(vault)
    case_id = r.get("session", session_id)["case_id"]
    party_id = r.find("party", case_id=case_id)[0]["id"]
    person_id = r.find("person")[0]["id"]
    at = datetime(2020, 2, 2, 10, 0, tzinfo=UTC)
    for i in range(40):
        add_live_note(
            vault,
            session_id,
            "observation",
            f"note {i}",
            person_id=person_id if i % 3 == 0 else None,
            party_id=party_id if i % 3 == 1 else None,
            noted_at=at + timedelta(minutes=i // 4),
        )

    def fetch(after: Any, limit: int) -> Page[LiveNote]:
        return live_notes_page(vault, session_id, after=after, limit=limit)

    notes = assert_pages_equal_one_big_page(fetch, at_least=45)
    assert notes == old_live_notes(vault, session_id) == live_notes(vault, session_id)
    ours = [n.text for n in notes if n.text.startswith("note ")]
    assert ours == [f"note {i}" for i in range(40)]  # same second: in the order typed


def test_a_session_without_notes_has_an_empty_first_page(vault: Vault) -> None:
    r = Records(vault)
    case_id = r.create("case", title="Quiet")
    session_id = r.create("session", case_id=case_id, title="Call", kind="call")
    assert live_notes_page(vault, session_id) == Page([])
    assert live_notes(vault, session_id) == []


def test_told_count_is_the_length_of_the_ledger(scaled: Vault) -> None:
    vault = scaled
    with vault.session() as s:
        parties = list(s.scalars(select(Party.id)))
        counts = {pid: told_count(s, pid) for pid in parties}
    assert counts == {pid: len(ledger(vault, pid)) for pid in parties}
    assert sum(1 for c in counts.values() if c > 0) >= 2  # the data shows something


def test_the_brief_says_what_each_attending_party_knows_as_its_ledger_does(
    scaled: Vault,
) -> None:
    vault = scaled
    r = Records(vault)
    shown = 0
    for session in r.find("session"):
        brief = session_brief(vault, session["id"])
        assert brief.knows == {p.name: len(ledger(vault, p.party_id)) for p in brief.parties}
        shown += sum(1 for n in brief.knows.values() if n)
    assert shown  # at least one attending party has been told something


@pytest.mark.parametrize("days", [0, 30, 365])
def test_upcoming_actions_read_only_those_due_within_the_horizon(scaled: Vault, days: int) -> None:
    """The horizon is a condition of the query now (the actions due later are not read);
    the answer is what filtering every open action gave."""
    vault = scaled
    today = date(2020, 1, 1)
    horizon = today + timedelta(days=days)
    every = upcoming_actions(vault, today=today, days=None)
    within = upcoming_actions(vault, today=today, days=days)
    assert within == [a for a in every if a.due_on is None or a.due_on <= horizon]
    assert len(within) < len(every)
