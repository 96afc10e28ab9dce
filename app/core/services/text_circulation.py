"""Circulating a draft of a text: freeze the working draft as draft N, one delivery per
recipient party (refused as a whole if a clause may not reach one of them:
app.core.disclosure.drafts), a copy as the new working draft; and who holds which draft,
and where an option was written into a text.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, insert, select
from sqlalchemy.orm import Session

from app.core.disclosure.drafts import (
    CirculationRefused,
    ClauseRefusal,
    circulation_problems,
    describe_draft,
)
from app.core.disclosure.guard import chunks
from app.core.errors import NotFound, ValidationError
from app.core.models import (
    Alternative,
    CaseText,
    Clause,
    Delivery,
    Draft,
    Party,
    clause_options,
    utcnow,
)
from app.core.services.texts import get_draft, get_text, read_clauses, touch_text, working_draft_row
from app.core.vault import Vault


@dataclass(frozen=True)
class HeldDraft:
    """A draft a party was given: the latest of each text is the one it holds."""

    text_id: int
    title: str
    number: int
    delivered_at: datetime
    delivery_id: int
    latest: bool  # the newest draft of that text this party was given

    @property
    def label(self) -> str:
        return describe_draft(self.number, self.title, self.delivered_at)


@dataclass(frozen=True)
class Circulation:
    draft_id: int
    number: int
    delivery_ids: tuple[int, ...]
    working_draft_id: int  # the new working draft (the same draft if it was circulated before)


# --- circulating -------------------------------------------------------------------------


def check_circulation(
    vault: Vault, draft_id: int, party_ids: Iterable[int], at: datetime | None = None
) -> list[ClauseRefusal]:
    """Which clauses may not go to which of ``party_ids`` (empty: all may): what the
    circulate dialog shows before it saves."""
    return circulation_problems(vault, draft_id, party_ids, at or utcnow())


def circulate(
    vault: Vault,
    draft_id: int,
    party_ids: Iterable[int],
    *,
    at: datetime | None = None,
    note: str | None = None,
) -> Circulation:
    """Give a draft to each of ``party_ids`` at ``at`` (default now): one delivery each.
    The working draft is frozen as its number and a copy becomes the new working draft; an
    already circulated draft is simply given to more parties. Refused as a whole
    (``CirculationRefused``, one sentence per clause) if any clause may not reach a party."""
    when = at or utcnow()
    parties = list(dict.fromkeys(party_ids))
    if not parties:
        raise ValidationError("Choose at least one party to circulate the draft to.")
    problems = circulation_problems(vault, draft_id, parties, when)
    if problems:
        raise CirculationRefused(problems)
    with vault.session() as s:
        d = get_draft(s, draft_id)
        t = get_text(s, d.text_id)
        for pid in parties:
            p = s.get(Party, pid)
            if p is None or p.case_id != t.case_id:
                raise NotFound(f"There is no party #{pid} in this case.")
        if not s.scalar(select(func.count()).select_from(Clause).where(Clause.draft_id == d.id)):
            raise ValidationError(
                f"Draft {d.number} has no clause yet; write one before circulating it."
            )
        working = d.circulated_at is None
        if working:
            d.circulated_at = when
            if note is not None:
                d.note = note
        deliveries = [
            Delivery(
                case_id=t.case_id,
                recipient_party_id=pid,
                delivered_at=when,
                content=describe_draft(d.number, t.title, None),
                draft_id=d.id,
            )
            for pid in parties
        ]
        s.add_all(deliveries)
        s.flush()
        new_working = _copy_draft(s, d, d.number + 1) if working else working_draft_row(s, t.id).id
        touch_text(s, t.id)
        s.commit()
        return Circulation(d.id, d.number, tuple(x.id for x in deliveries), new_working)


def _copy_draft(s: Session, d: Draft, number: int) -> int:
    """A new working draft with every clause, alternative and carried option of ``d``."""
    new = Draft(text_id=d.text_id, number=number)
    s.add(new)
    s.flush()
    old = list(s.scalars(select(Clause).where(Clause.draft_id == d.id).order_by(Clause.position)))
    copies = [
        Clause(
            draft_id=new.id,
            key=c.key,
            position=c.position,
            kind=c.kind,
            wording=c.wording,
            source_message_id=c.source_message_id,
            source_session_id=c.source_session_id,
            proposed_by_party_id=c.proposed_by_party_id,
            proposed_by_person_id=c.proposed_by_person_id,
            note=c.note,
        )
        for c in old
    ]
    s.add_all(copies)
    s.flush()  # one flush for the draft: their ids, for what hangs on them
    copy_of = {c.id: copy.id for c, copy in zip(old, copies, strict=True)}
    for chunk in chunks(copy_of):
        s.add_all(
            Alternative(
                clause_id=copy_of[a.clause_id],
                slot=a.slot,
                position=a.position,
                party_id=a.party_id,
                wording=a.wording,
                source_message_id=a.source_message_id,
            )
            for a in s.scalars(select(Alternative).where(Alternative.clause_id.in_(chunk)))
        )
        carried = [
            {"clause_id": copy_of[cid], "option_id": oid}
            for cid, oid in s.execute(
                select(clause_options.c.clause_id, clause_options.c.option_id).where(
                    clause_options.c.clause_id.in_(chunk)
                )
            )
        ]
        if carried:
            s.execute(insert(clause_options), carried)
    return new.id


def discard_working_changes(vault: Vault, text_id: int) -> int:
    """Start the working draft again from the last circulated draft (nothing circulated:
    empty). Returns the working draft's id."""
    with vault.session() as s:
        w = working_draft_row(s, text_id)
        last = s.scalar(
            select(Draft)
            .where(Draft.text_id == text_id, Draft.circulated_at.is_not(None))
            .order_by(Draft.number.desc())
            .limit(1)
        )
        number = w.number
        s.execute(delete(Clause).where(Clause.draft_id == w.id))
        s.delete(w)
        s.flush()
        if last is None:
            fresh = Draft(text_id=text_id, number=number)
            s.add(fresh)
            s.flush()
            new_id = fresh.id
        else:
            new_id = _copy_draft(s, last, number)
        touch_text(s, text_id)
        s.commit()
        return new_id


# --- who holds what ----------------------------------------------------------------------


def drafts_held(vault: Vault, party_id: int) -> list[HeldDraft]:
    """Every draft given to a party, by text and number; ``latest`` marks the one it holds
    of each text."""
    with vault.session() as s:
        rows = s.execute(
            select(CaseText.id, CaseText.title, Draft.number, Delivery.delivered_at, Delivery.id)
            .select_from(Delivery)
            .join(Draft, Draft.id == Delivery.draft_id)
            .join(CaseText, CaseText.id == Draft.text_id)
            .where(Delivery.draft_id.is_not(None), Delivery.recipient_party_id + 0 == party_id)
            .order_by(CaseText.title, CaseText.id, Draft.number, Delivery.delivered_at)
        ).all()
    latest: dict[int, int] = {}
    for tid, _title, number, _at, _did in rows:
        latest[tid] = max(latest.get(tid, 0), number)
    return [
        HeldDraft(tid, title, number, at, did, number == latest[tid])
        for tid, title, number, at, did in rows
    ]


@dataclass(frozen=True)
class OptionInText:
    text_id: int
    title: str
    draft_number: int
    clause_number: str
    circulated: bool


def texts_carrying(vault: Vault, option_id: int) -> list[OptionInText]:
    """Where an option was written into a text: the latest draft of each text that carries
    it, and the clause."""
    with vault.session() as s:
        rows = s.execute(
            select(Clause.draft_id, Clause.id)
            .join(clause_options, clause_options.c.clause_id == Clause.id)
            .where(clause_options.c.option_id == option_id)
        ).all()
        best: dict[int, Draft] = {}
        for did, _cid in rows:
            d = s.get(Draft, did)
            if d is not None and (d.text_id not in best or d.number > best[d.text_id].number):
                best[d.text_id] = d
        out = []
        for tid, d in best.items():
            clauses = read_clauses(s, d.id)
            t = get_text(s, tid)
            for c in clauses:
                if option_id in c.option_ids:
                    out.append(
                        OptionInText(tid, t.title, d.number, c.number, d.circulated_at is not None)
                    )
                    break
        return sorted(out, key=lambda o: (o.title, o.text_id))


__all__ = [
    "Circulation",
    "CirculationRefused",
    "ClauseRefusal",
    "HeldDraft",
    "OptionInText",
    "check_circulation",
    "circulate",
    "discard_working_changes",
    "drafts_held",
    "texts_carrying",
]
