"""A handover to an outside audience (an official, institution or sponsor) is a delivery
like any other: what it carries must reach that audience under the disclosure rules, judged
as a party that sat at no table (only releases "to every party" count for it). An option
needs every origin in its ancestry to reach it, a draft every clause, a commitment its own
level and where it was said, a finding what it rests on; with ``sources_named`` each must
reach it in full, else its substance is enough.

:func:`handover_problems` answers the handover dialog, one sentence per item refused;
:func:`install` adds the same check to every flush (new or changed items, a handover whose
audience, date or ``sources_named`` changed, and an edit of a source message that an earlier
handover rests on). :func:`commitment_origins` is what every reader of commitments asks the
audience view with.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session, UOWTransaction

from app.core.disclosure.audience import (
    FULL,
    NONE,
    AudienceView,
    ClauseOrigins,
    CommitmentOrigins,
    Vault,
    outsider_view_in,
)
from app.core.disclosure.drafts import clause_facts, clause_why, message_words
from app.core.disclosure.guard import changed, chunks, source_edits
from app.core.disclosure.rule import Sight, format_day, snippet
from app.core.errors import DisclosureViolation
from app.core.models import (
    CaseSession,
    CaseText,
    Clause,
    Commitment,
    Disclosure,
    Draft,
    Handover,
    HandoverItem,
    Message,
    Option,
    Outsider,
)

# --- commitments ----------------------------------------------------------------------------


def commitment_origins(s: Session, ids: Iterable[int]) -> dict[int, CommitmentOrigins]:
    """What each commitment's sight rests on, read in a few queries."""
    rows: list[Any] = []
    for chunk in chunks(dict.fromkeys(ids)):
        rows += s.execute(
            select(
                Commitment.id,
                Commitment.party_id,
                Commitment.disclosure,
                Commitment.embargo_until,
                Commitment.made_at,
                Commitment.source_message_id,
                Commitment.source_session_id,
                Commitment.source_clause_id,
            ).where(Commitment.id.in_(chunk))
        ).all()
    clause_ids = {r.source_clause_id for r in rows if r.source_clause_id is not None}
    clauses: dict[int, tuple[int, ClauseOrigins]] = {}
    drafts = set(
        s.scalars(select(Clause.draft_id).where(Clause.id.in_(sorted(clause_ids))))
        if clause_ids
        else ()
    )
    for draft_id in drafts:
        for c in clause_facts(s, draft_id):
            if c.clause_id in clause_ids:
                clauses[c.clause_id] = (draft_id, c.origins)
    out: dict[int, CommitmentOrigins] = {}
    for r in rows:
        found = clauses.get(r.source_clause_id)
        out[r.id] = CommitmentOrigins(
            party_id=r.party_id,
            disclosure=Disclosure(r.disclosure),
            embargo_until=r.embargo_until,
            made_at=r.made_at,
            source_message_id=r.source_message_id,
            source_session_id=r.source_session_id,
            source_draft_id=found[0] if found else None,
            clause=found[1] if found else None,
        )
    return out


# --- what a handover carries -------------------------------------------------------------------


@dataclass(frozen=True)
class Carried:
    """One thing a handover carries, as the rule needs it."""

    option_id: int | None = None
    draft_id: int | None = None
    commitment_id: int | None = None
    finding: str = ""
    finding_message_id: int | None = None
    finding_session_id: int | None = None


@dataclass(frozen=True)
class ItemRefusal:
    """One item of a handover that may not go to its audience, and why."""

    index: int  # its place in the items asked about
    text: str


class HandoverRefused(DisclosureViolation):
    """A handover would give an outside audience what the rules keep from it; nothing was
    saved."""

    def __init__(self, refusals: Sequence[ItemRefusal], lead: str = "") -> None:
        self.refusals = tuple(refusals)
        text = lead + (refusals[0].text if refusals else "This handover is refused.")
        more = len(refusals) - 1
        if more == 1:
            text += " One more item is refused too."
        elif more > 1:
            text += f" {more} more items are refused too."
        super().__init__(text)


def _sight(s: Session, view: AudienceView, item: Carried) -> tuple[Sight, str]:
    """How much of ``item`` the outsider sees, and what the item is called in a refusal."""
    if item.option_id is not None:
        title = s.scalar(select(Option.title).where(Option.id == item.option_id)) or "?"
        return view.option(item.option_id), f"the option “{title}”"
    if item.draft_id is not None:
        row = s.execute(
            select(Draft.number, CaseText.title)
            .join(CaseText, CaseText.id == Draft.text_id)
            .where(Draft.id == item.draft_id)
        ).first()
        name = f"draft {row[0]} of “{row[1]}”" if row else "a draft"
        circulated = s.scalar(select(Draft.circulated_at).where(Draft.id == item.draft_id))
        if circulated is None:
            return NONE, f"{name} (not yet circulated: circulate it first)"
        seen = FULL
        for c in clause_facts(s, item.draft_id):
            seen = min(seen, view.clause(c.origins))
        return Sight(seen), name
    if item.commitment_id is not None:
        origins = commitment_origins(s, [item.commitment_id]).get(item.commitment_id)
        what = s.scalar(select(Commitment.what).where(Commitment.id == item.commitment_id))
        name = f"the commitment “{snippet(what or '')}”"
        return (view.commitment(origins) if origins else NONE), name
    seen = FULL
    if item.finding_message_id is not None:
        seen = min(seen, view.message(item.finding_message_id))
    if item.finding_session_id is not None:
        seen = min(seen, view.session(item.finding_session_id))
    return Sight(seen), f"the finding “{snippet(item.finding)}”"


def _origin_why(
    s: Session, view: AudienceView, message_id: int | None, session_id: int | None, name: str
) -> str | None:
    if message_id is not None and view.message(message_id) is NONE:
        return f"it came from {message_words(s, message_id)}."
    if session_id is not None and view.session(session_id) is NONE:
        title = s.scalar(select(CaseSession.title).where(CaseSession.id == session_id))
        return f"it came from the session “{title}”, and {name} sat at no table of the case."
    return None


_GENERIC = (
    "it rests on something that may not leave the case's parties (a confidence, an embargo "
    "not yet passed, a session)."
)


def _why(s: Session, view: AudienceView, item: Carried, name: str) -> str:
    """The first origin of an item that keeps it from the outsider, in words."""
    if item.option_id is not None:
        row = s.execute(
            select(Option.raised_in_message_id, Option.raised_in_session_id).where(
                Option.id == item.option_id
            )
        ).first()
        found = _origin_why(s, view, row[0], row[1], name) if row else None
        return found or (
            "it was refined, merged or split from an option that came from something that may "
            "not leave the case's parties."
        )
    if item.draft_id is not None:
        circulated = s.scalar(select(Draft.circulated_at).where(Draft.id == item.draft_id))
        if circulated is None:
            return "it is not circulated yet: circulate it first."
        for c in clause_facts(s, item.draft_id):
            if view.clause(c.origins) is NONE:
                return (
                    clause_why(s, view, c, name)
                    .split(": ", 1)[-1]
                    .replace("its wording", f"clause {c.number}’s wording", 1)
                )
        return _GENERIC
    if item.commitment_id is not None:
        promise = s.get(Commitment, item.commitment_id)
        if promise is None:
            return _GENERIC
        level = Disclosure(promise.disclosure)
        if level is Disclosure.CONFIDENTIAL:
            return "it was made in confidence."
        if level is Disclosure.EMBARGOED:
            return "it is under an embargo that has not passed."
        found = _origin_why(s, view, promise.source_message_id, promise.source_session_id, name)
        return found or _GENERIC
    return _origin_why(s, view, item.finding_message_id, item.finding_session_id, name) or _GENERIC


def problems_in(
    s: Session, outsider_id: int, at: datetime, sources_named: bool, items: Sequence[Carried]
) -> list[ItemRefusal]:
    """Which of ``items`` may not go to ``outsider_id`` at ``at``, read through ``s``."""
    view = outsider_view_in(s, outsider_id, at)
    name = s.scalar(select(Outsider.name).where(Outsider.id == outsider_id)) or "them"
    out: list[ItemRefusal] = []
    for i, item in enumerate(items):
        seen, what = _sight(s, view, item)
        if seen is NONE:
            why = _why(s, view, item, name)
            out.append(ItemRefusal(i, f"{what[0].upper()}{what[1:]} cannot go to {name}: {why}"))
        elif sources_named and seen is not FULL:
            out.append(
                ItemRefusal(
                    i,
                    f"{what[0].upper()}{what[1:]} may go to {name} only without naming its "
                    "source: hand it over with sources unnamed.",
                )
            )
    return out


def handover_problems(
    vault: Vault,
    outsider_id: int,
    at: datetime,
    sources_named: bool,
    items: Sequence[Carried],
) -> list[ItemRefusal]:
    """What the handover dialog asks before saving; the same answer the flush will give."""
    with vault.session() as s:
        return problems_in(s, outsider_id, at, sources_named, items)


def _carried(item: HandoverItem) -> Carried:
    return Carried(
        item.option_id,
        item.draft_id,
        item.commitment_id,
        item.finding or "",
        item.finding_message_id,
        item.finding_session_id,
    )


def stored_refusals(s: Session, *, after_handover_id: int = 0) -> list[ItemRefusal]:
    """Every stored handover with an id above ``after_handover_id`` that carries what its
    audience may not have: for the JSON import's Core inserts, inside their transaction."""
    out: list[ItemRefusal] = []
    for h in s.scalars(
        select(Handover).where(Handover.id > after_handover_id).order_by(Handover.id)
    ):
        out += _check_handover(s, h)
    return out


def _check_handover(s: Session, h: Handover) -> list[ItemRefusal]:
    items = list(s.scalars(select(HandoverItem).where(HandoverItem.handover_id == h.id)))
    return problems_in(s, h.outsider_id, h.handed_at, h.sources_named, [_carried(i) for i in items])


# --- on every flush ---------------------------------------------------------------------------


def install(session_class: type[Session]) -> None:
    """Make every flush of ``session_class`` refuse a handover its audience may not have, and
    an edit of a source that would leave an earlier handover without what allowed it
    (idempotent)."""
    if not event.contains(session_class, "before_flush", _note):
        event.listen(session_class, "before_flush", _note)
    if not event.contains(session_class, "after_flush", _check):
        event.listen(session_class, "after_flush", _check)


_TODO = "liaison.handovers.todo"
_SOURCES = "liaison.handovers.sources"
_HANDOVER_TERMS = ("outsider_id", "handed_at", "sources_named")
_COMMITMENT_TERMS = (
    "party_id",
    "disclosure",
    "embargo_until",
    "made_at",
    "source_message_id",
    "source_session_id",
    "source_clause_id",
)


def _note(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    """Before a flush: remember the handovers it may break (checked once it has written
    them, so the check reads the new state)."""
    objs: list[Any] = []
    commitments: set[int] = set()
    for obj in (*session.new, *session.dirty):
        if obj in session.deleted:
            continue
        is_new_or_moved = isinstance(obj, Handover) and (
            obj in session.new or changed(obj, _HANDOVER_TERMS)
        )
        if isinstance(obj, HandoverItem) or is_new_or_moved:
            objs.append(obj)
        elif (
            isinstance(obj, Commitment)
            and obj.id is not None
            and obj not in session.new
            and changed(obj, _COMMITMENT_TERMS)
        ):
            commitments.add(obj.id)
    if objs:
        session.info.setdefault(_TODO, []).extend(objs)
    sources = source_edits(session)
    if sources or commitments:
        found = session.info.setdefault(_SOURCES, (set(), set()))
        found[0].update(sources)
        found[1].update(commitments)


def _check(session: Session, flush_context: UOWTransaction) -> None:
    objs = session.info.pop(_TODO, None) or []
    messages, commitments = session.info.pop(_SOURCES, (set(), set()))
    handovers: set[int] = set()
    for obj in objs:
        hid = obj.handover_id if isinstance(obj, HandoverItem) else obj.id
        if hid is None and isinstance(obj, HandoverItem) and obj.handover is not None:
            hid = obj.handover.id
        if hid is not None:
            handovers.add(hid)
    if messages or commitments:
        handovers.update(_resting_on(session, sorted(messages), sorted(commitments)))
    if not handovers:
        return
    lead = ""
    refusals: list[ItemRefusal] = []
    for h in session.scalars(select(Handover).where(Handover.id.in_(sorted(handovers)))):
        found = _check_handover(session, h)
        if found and not refusals and not any(h is o for o in objs):
            lead = f"This change would break the handover of {format_day(h.handed_at)}: "
        refusals += found
    if refusals:
        raise HandoverRefused(refusals, lead=lead)


def _resting_on(s: Session, messages: list[int], commitments: list[int]) -> set[int]:
    """Handovers that may rest on these messages or commitments. An item can reach a message
    through an option's lineage, a clause's brackets or a commitment's clause, further than a
    query is worth; a case has a handful of handovers, so all of the case's are checked."""
    cases: set[int] = set()
    for chunk in chunks(messages):
        cases.update(s.scalars(select(Message.case_id).where(Message.id.in_(chunk))))
    for chunk in chunks(commitments):
        cases.update(s.scalars(select(Commitment.case_id).where(Commitment.id.in_(chunk))))
    if not cases:
        return set()
    return set(s.scalars(select(Handover.id).where(Handover.case_id.in_(sorted(cases)))))


__all__ = [
    "Carried",
    "HandoverRefused",
    "ItemRefusal",
    "commitment_origins",
    "handover_problems",
    "install",
    "problems_in",
    "stored_refusals",
]
