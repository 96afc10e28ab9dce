"""Circulating a draft of a text is a delivery like any other: a clause whose wording came
from what a party may not see (a confidential message, a session it did not attend, an
option whose ancestry it may not see, the source of a bracketed alternative) cannot go to
that party. :func:`circulation_problems` answers the circulate dialog, one sentence per
clause refused; :func:`install` adds the same check to every flush (a delivery that conveys
a draft is checked whatever wrote it), like :mod:`.guard` does for source messages.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, UOWTransaction

from app.core.disclosure.audience import NONE, AudienceView, ClauseOrigins, Vault, party_view_in
from app.core.disclosure.guard import changed, party_names, session_messages, source_edits
from app.core.disclosure.rule import describe_source, format_day
from app.core.errors import DisclosureViolation
from app.core.models import (
    Alternative,
    CaseSession,
    Clause,
    Delivery,
    Draft,
    Option,
    clause_options,
    utcnow,
)
from app.core.models.texts import clause_numbers


@dataclass(frozen=True)
class ClauseRefusal:
    """One clause of a draft that may not go to one party, and the sentence that says why."""

    clause_id: int
    number: str
    party_id: int
    text: str


class CirculationRefused(DisclosureViolation):
    """A draft would reach a party that may not see one of its clauses; nothing was saved."""

    def __init__(self, refusals: list[ClauseRefusal], lead: str = "") -> None:
        self.refusals = tuple(refusals)
        text = lead + (refusals[0].text if refusals else "This draft may not be circulated.")
        more = len(refusals) - 1
        if more == 1:
            text += " One more clause or party is refused too."
        elif more > 1:
            text += f" {more} more clauses or parties are refused too."
        super().__init__(text)


@dataclass(frozen=True)
class ClauseFacts:
    clause_id: int
    number: str
    origins: ClauseOrigins


def clause_facts(s: Session, draft_id: int) -> list[ClauseFacts]:
    """The clauses of a draft in order, numbered, with everything their wording came from."""
    rows = s.execute(
        select(Clause.id, Clause.kind, Clause.source_message_id, Clause.source_session_id)
        .where(Clause.draft_id == draft_id)
        .order_by(Clause.position, Clause.id)
    ).all()
    ids = [r[0] for r in rows]
    options: dict[int, list[int]] = defaultdict(list)
    alternatives: dict[int, list[int]] = defaultdict(list)
    if ids:
        for cid, oid in s.execute(
            select(clause_options.c.clause_id, clause_options.c.option_id).where(
                clause_options.c.clause_id.in_(ids)
            )
        ):
            options[cid].append(oid)
        for cid, mid in s.execute(
            select(Alternative.clause_id, Alternative.source_message_id).where(
                Alternative.clause_id.in_(ids), Alternative.source_message_id.is_not(None)
            )
        ):
            if mid is not None:
                alternatives[cid].append(mid)
    numbers = clause_numbers([r[1] for r in rows])
    return [
        ClauseFacts(
            r[0],
            n,
            ClauseOrigins(
                r[2], r[3], tuple(sorted(options[r[0]])), tuple(sorted(alternatives[r[0]]))
            ),
        )
        for r, n in zip(rows, numbers, strict=True)
    ]


def message_words(s: Session, message_id: int) -> str:
    facts = session_messages(s, [message_id]).get(message_id)
    if facts is None:
        return f"message {message_id}"
    return f"the {facts.disclosure.value} message {describe_source(facts)}"


def clause_why(s: Session, view: AudienceView, c: ClauseFacts, party: str) -> str:
    """The first origin of a clause that keeps it from the party, in words."""
    o = c.origins
    lead = f"Clause {c.number} cannot go to {party}:"
    if o.source_message_id is not None and view.message(o.source_message_id) is NONE:
        return f"{lead} its wording came from {message_words(s, o.source_message_id)}."
    if o.source_session_id is not None and view.session(o.source_session_id) is NONE:
        title = s.scalar(select(CaseSession.title).where(CaseSession.id == o.source_session_id))
        return f"{lead} its wording came from the session “{title}”, which {party} did not attend."
    for oid in o.option_ids:
        if view.option(oid) is NONE:
            title = s.scalar(select(Option.title).where(Option.id == oid))
            return (
                f"{lead} it carries the option “{title}”, which came from something "
                f"{party} may not see."
            )
    for mid in o.alternative_message_ids:
        if view.message(mid) is NONE:
            return f"{lead} a bracketed alternative came from {message_words(s, mid)}."
    return f"{lead} one of its origins may not reach it."


def problems_in(
    s: Session, draft_id: int, party_ids: Iterable[int], at: datetime
) -> list[ClauseRefusal]:
    """Which clauses of ``draft_id`` may not go to each of ``party_ids`` at ``at``, read
    through ``s`` (its pending changes included)."""
    facts = clause_facts(s, draft_id)
    parties = list(dict.fromkeys(party_ids))
    names = party_names(s, parties)
    out: list[ClauseRefusal] = []
    for pid in parties:
        view = party_view_in(s, pid, at)
        name = names.get(pid, f"party {pid}")
        for c in facts:
            if view.clause(c.origins) is NONE:
                out.append(ClauseRefusal(c.clause_id, c.number, pid, clause_why(s, view, c, name)))
    return out


def circulation_problems(
    vault: Vault, draft_id: int, party_ids: Iterable[int], at: datetime
) -> list[ClauseRefusal]:
    """What the circulate dialog asks before saving; the same answer the flush will give."""
    with vault.session() as s:
        return problems_in(s, draft_id, party_ids, at)


def stored_refusals(s: Session, *, after_delivery_id: int = 0) -> list[ClauseRefusal]:
    """Every stored delivery with an id above ``after_delivery_id`` that conveys a draft a
    clause of which may not reach its recipient — for writes that bypass the ORM (the JSON
    import's Core inserts), inside their transaction."""
    out: list[ClauseRefusal] = []
    for draft_id, party_id, at in s.execute(
        select(Delivery.draft_id, Delivery.recipient_party_id, Delivery.delivered_at)
        .where(Delivery.id > after_delivery_id, Delivery.draft_id.is_not(None))
        .order_by(Delivery.id)
    ):
        if draft_id is not None:
            out += problems_in(s, draft_id, [party_id], at)
    return out


# --- on every flush -----------------------------------------------------------------------


def install(session_class: type[Session]) -> None:
    """Make every flush of ``session_class`` refuse a draft a party may not see, and an
    edit of a source that would leave an earlier circulation without what allowed it
    (idempotent)."""
    if not event.contains(session_class, "before_flush", _enforce):
        event.listen(session_class, "before_flush", _enforce)
    if not event.contains(session_class, "after_flush", _recheck_earlier):
        event.listen(session_class, "after_flush", _recheck_earlier)


_RECHECK = "liaison.drafts.recheck"


def _note_source_edits(session: Session) -> None:
    """Remember the messages whose level, sender or releases this flush changes: once the
    flush has written them, the circulations resting on them are checked again."""
    ids = source_edits(session)
    if ids:
        session.info.setdefault(_RECHECK, set()).update(ids)


def _recheck_earlier(session: Session, flush_context: UOWTransaction) -> None:
    """After the flush wrote them (so the checks read the new state), the circulated drafts
    with a clause, a bracket or a carried option resting on a changed message: each party
    that was given one must still see every clause, or the flush is refused."""
    ids = session.info.pop(_RECHECK, None)
    if not ids:
        return
    msgs = sorted(ids)
    drafts = set(session.scalars(select(Clause.draft_id).where(Clause.source_message_id.in_(msgs))))
    drafts.update(
        session.scalars(
            select(Clause.draft_id)
            .join(Alternative, Alternative.clause_id == Clause.id)
            .where(Alternative.source_message_id.in_(msgs))
        )
    )
    drafts.update(
        session.scalars(
            select(Clause.draft_id)
            .join(clause_options, clause_options.c.clause_id == Clause.id)
            .join(Option, Option.id == clause_options.c.option_id)
            .where(Option.raised_in_message_id.in_(msgs))
        )
    )
    if not drafts:
        return
    refusals: list[ClauseRefusal] = []
    lead = ""
    for draft_id, party_id, at in session.execute(
        select(Delivery.draft_id, Delivery.recipient_party_id, Delivery.delivered_at).where(
            Delivery.draft_id.in_(sorted(drafts))
        )
    ):
        if draft_id is None:
            continue
        found = problems_in(session, draft_id, [party_id], at)
        if found and not refusals:
            number = session.scalar(select(Draft.number).where(Draft.id == draft_id))
            lead = (
                f"This change would break the circulation of draft {number} of {format_day(at)}: "
            )
        refusals += found
    if refusals:
        raise CirculationRefused(refusals, lead=lead)


def _enforce(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    _note_source_edits(session)
    todo: list[tuple[int, int, datetime]] = []
    for obj in (*session.new, *session.dirty):
        if not isinstance(obj, Delivery) or obj in session.deleted or obj.draft_id is None:
            continue
        if obj in session.dirty and not changed(
            obj, ("draft_id", "recipient_party_id", "delivered_at")
        ):
            continue
        if obj.recipient_party_id is None:
            continue  # the database's NOT NULL refuses it
        at = obj.delivered_at if obj.delivered_at is not None else utcnow()
        todo.append((obj.draft_id, obj.recipient_party_id, at))
    refusals: list[ClauseRefusal] = []
    with session.no_autoflush:
        for draft_id, party_id, at in todo:
            draft = session.get(Draft, draft_id)
            if draft is None:
                continue  # the link check refuses it
            refusals += problems_in(session, draft_id, [party_id], at)
    if refusals:
        raise CirculationRefused(refusals)


def describe_draft(number: int, title: str, at: datetime | None) -> str:
    """``Draft 3 of “Working paper” (12 May 2026)``: how lists name a circulated draft."""
    when = f" ({format_day(at)})" if at is not None else ""
    return f"Draft {number} of “{title}”{when}"


__all__ = [
    "CirculationRefused",
    "ClauseFacts",
    "ClauseRefusal",
    "circulation_problems",
    "clause_facts",
    "clause_why",
    "describe_draft",
    "install",
    "message_words",
    "problems_in",
    "stored_refusals",
]
