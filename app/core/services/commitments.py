"""The commitments register of a case: who promised what to whom, under which condition, by
when, where it was said, and its course (kept, kept late, partly kept, broken, withdrawn),
each outcome dated with who verified it and how.

The course rules live in :mod:`app.core.models.course` and are checked on every flush; what
an audience may see of a commitment is the disclosure home's answer
(:meth:`~app.core.disclosure.audience.AudienceView.commitment`): :func:`register` with a
``view`` hands out only what that audience sees. Everything here hands out plain
dataclasses, never live ORM objects.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, fields, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.disclosure.audience import FULL, NONE, AudienceView
from app.core.disclosure.guard import party_names, person_names
from app.core.disclosure.handovers import commitment_origins
from app.core.disclosure.rule import Sight
from app.core.errors import NotFound, ValidationError
from app.core.models import (
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    Disclosure,
    Party,
    Verification,
    utcnow,
)
from app.core.models.course import (
    Step,
    is_due_soon,
    is_overdue,
    kept_on,
    status_on,
    stored_steps,
)
from app.core.vault import Vault

# --- what callers give ---------------------------------------------------------------------


@dataclass(frozen=True)
class NewCommitment:
    party_id: int  # who promised
    what: str
    made_at: datetime
    person_id: int | None = None
    to_party_id: int | None = None  # None: to the mediator, or to all sides
    condition: str = ""
    condition_id: int | None = None
    due_on: date | None = None
    disclosure: Disclosure = Disclosure.CONFIDENTIAL
    embargo_until: datetime | None = None
    source_message_id: int | None = None
    source_session_id: int | None = None
    source_clause_id: int | None = None
    note: str = ""


@dataclass(frozen=True)
class NewOutcome:
    on: date
    status: CommitmentStatus
    verified_by: str = ""
    how: Verification = Verification.NOTE
    evidence_message_id: int | None = None
    note: str = ""


# --- what readers get ------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    id: int
    on: date
    status: CommitmentStatus
    verified_by: str  # "" for an audience other than "me"
    how: Verification | None  # None for an audience other than "me"
    evidence_message_id: int | None
    note: str


@dataclass(frozen=True)
class CommitmentRow:
    id: int
    case_id: int
    party_id: int | None  # None: the audience may not see who promised
    party_name: str
    person_id: int | None
    person_name: str
    to_party_id: int | None
    to_party_name: str
    what: str
    condition: str
    condition_id: int | None  # None too when the audience may not see that commitment
    condition_what: str
    made_at: datetime
    due_on: date | None
    disclosure: Disclosure
    embargo_until: datetime | None
    source_message_id: int | None
    source_session_id: int | None
    source_clause_id: int | None
    note: str
    outcomes: tuple[OutcomeRow, ...]
    status: CommitmentStatus  # where it stands after its latest outcome
    status_on: date | None  # the day of that outcome
    overdue: bool
    due_soon: bool
    sight: Sight = FULL  # how much of it the audience sees (FULL for "me")

    @property
    def steps(self) -> list[Step]:
        return _steps(self.outcomes)

    @property
    def kept_on(self) -> date | None:
        return kept_on(self.steps)


@dataclass(frozen=True)
class PartyRecord:
    """How a party kept its word: ``kept 7 of 9 on time``."""

    party_id: int
    party_name: str
    made: int = 0
    kept: int = 0  # on time
    kept_late: int = 0
    partly_kept: int = 0
    broken: int = 0
    withdrawn: int = 0
    pending: int = 0  # not yet due, or its condition not yet met
    overdue: int = 0

    @property
    def judged(self) -> int:
        """The commitments a verdict can be given on: resolved (but withdrawn) or overdue."""
        return self.kept + self.kept_late + self.partly_kept + self.broken + self.overdue

    @property
    def words(self) -> str:
        if not self.made:
            return "no commitments recorded"
        head = f"kept {self.kept} of {self.judged} on time" if self.judged else "none due yet"
        rest = [
            (self.kept_late, "kept late"),
            (self.partly_kept, "partly kept"),
            (self.broken, "broken"),
            (self.overdue, "overdue"),
            (self.withdrawn, "withdrawn"),
            (self.pending, "pending"),
        ]
        tail = ", ".join(f"{n} {label}" for n, label in rest if n)
        return f"{head} ({tail})" if tail else head


# --- reading -------------------------------------------------------------------------------


def _steps(outcomes: Iterable[OutcomeRow]) -> list[Step]:
    return [Step(o.on, o.status, o.id) for o in outcomes]


def _known(ids: Iterable[int | None]) -> set[int]:
    return {i for i in ids if i is not None}


def _rows(s: Session, commitments: Sequence[Commitment], today: date) -> list[CommitmentRow]:
    ids = [c.id for c in commitments]
    outcomes: dict[int, list[OutcomeRow]] = {i: [] for i in ids}
    if ids:
        for e in s.scalars(
            select(CommitmentEvent)
            .where(CommitmentEvent.commitment_id.in_(ids))
            .order_by(CommitmentEvent.on, CommitmentEvent.id)
        ):
            outcomes[e.commitment_id].append(
                OutcomeRow(
                    e.id,
                    e.on,
                    CommitmentStatus(e.status),
                    e.verified_by,
                    Verification(e.how),
                    e.evidence_message_id,
                    e.note,
                )
            )
    parties = party_names(
        s, _known([c.party_id for c in commitments] + [c.to_party_id for c in commitments])
    )
    people = person_names(s, _known(c.person_id for c in commitments))
    conditions = {c.condition_id for c in commitments if c.condition_id is not None}
    cond_rows: dict[int, str] = {
        cid: what
        for cid, what in (
            s.execute(
                select(Commitment.id, Commitment.what).where(Commitment.id.in_(sorted(conditions)))
            )
            if conditions
            else ()
        )
    }
    cond_steps = stored_steps(s, conditions)
    out = []
    for c in commitments:
        own = outcomes[c.id]
        steps = _steps(own)
        cond = cond_steps.get(c.condition_id, []) if c.condition_id is not None else None
        out.append(
            CommitmentRow(
                id=c.id,
                case_id=c.case_id,
                party_id=c.party_id,
                party_name=parties.get(c.party_id, ""),
                person_id=c.person_id,
                person_name=people.get(c.person_id, "") if c.person_id else "",
                to_party_id=c.to_party_id,
                to_party_name=parties.get(c.to_party_id, "") if c.to_party_id else "",
                what=c.what,
                condition=c.condition,
                condition_id=c.condition_id,
                condition_what=cond_rows.get(c.condition_id, "") if c.condition_id else "",
                made_at=c.made_at,
                due_on=c.due_on,
                disclosure=Disclosure(c.disclosure),
                embargo_until=c.embargo_until,
                source_message_id=c.source_message_id,
                source_session_id=c.source_session_id,
                source_clause_id=c.source_clause_id,
                note=c.note,
                outcomes=tuple(own),
                status=status_on(steps),
                status_on=own[-1].on if own else None,
                overdue=is_overdue(c.due_on, steps, today, cond),
                due_soon=is_due_soon(c.due_on, steps, today),
            )
        )
    return out


def _for_audience(
    s: Session, rows: list[CommitmentRow], view: AudienceView, today: date
) -> list[CommitmentRow]:
    """Only what ``view`` sees of each commitment: none of it, its substance (no maker,
    person, recipient, or link to a condition it may not see), or all of it a party sees;
    outcomes only where their evidence reaches it (status, overdue and due soon worked out
    from those alone, and from what it sees of the condition); never the mediator's note,
    sources, or who verified an outcome and how."""
    if view.is_me:
        return rows
    by_id = {r.id: r for r in rows}
    conditions = {r.condition_id for r in rows if r.condition_id is not None}
    extra = sorted(conditions - set(by_id))
    if extra:  # conditions outside the rows asked for (one party's register)
        by_id.update((r.id, r) for r in _rows(s, list(_commitments(s, extra)), today))
    origins = commitment_origins(s, list(by_id))
    sights = {cid: view.commitment(o) for cid, o in origins.items()}

    def visible(r: CommitmentRow) -> tuple[OutcomeRow, ...]:
        seen = sights.get(r.id, NONE)
        return tuple(
            replace(o, verified_by="", how=None, evidence_message_id=None, note="")
            for o in r.outcomes
            if seen is not NONE and view.commitment_event(seen, o.evidence_message_id) is not NONE
        )

    out = []
    for r in rows:
        seen = sights.get(r.id, NONE)
        if seen is NONE:
            continue
        outcomes = visible(r)
        steps = _steps(outcomes)
        named = seen is FULL
        cond_seen = r.condition_id is not None and sights.get(r.condition_id, NONE) is not NONE
        cond_steps: list[Step] | None = None
        if r.condition_id is not None:
            # A condition it may not see counts as not (yet) kept: not overdue on its word.
            cond_outcomes = visible(by_id[r.condition_id]) if cond_seen else ()
            cond_steps = _steps(cond_outcomes)
        out.append(
            replace(
                r,
                party_id=r.party_id if named else None,
                party_name=view.text(r.party_name) if named else "",
                person_id=r.person_id if named and view.person(r.person_id) is FULL else None,
                person_name=view.person_name(r.person_id)
                if named and r.person_id is not None and view.person(r.person_id) is FULL
                else "",
                to_party_id=r.to_party_id if named else None,
                to_party_name=r.to_party_name if named else "",
                what=view.text(r.what),
                condition=view.text(r.condition),
                condition_id=r.condition_id if cond_seen else None,
                condition_what=view.text(r.condition_what) if cond_seen else "",
                source_message_id=None,
                source_session_id=None,
                source_clause_id=None,
                note="",
                outcomes=outcomes,
                status=status_on(steps),
                status_on=outcomes[-1].on if outcomes else None,
                overdue=is_overdue(r.due_on, steps, today, cond_steps),
                due_soon=is_due_soon(r.due_on, steps, today),
                sight=seen,
            )
        )
    return out


def _commitments(s: Session, ids: Sequence[int]) -> Sequence[Commitment]:
    return list(s.scalars(select(Commitment).where(Commitment.id.in_(ids))))


def register(
    vault: Vault,
    case_id: int,
    *,
    today: date | None = None,
    view: AudienceView | None = None,
    party_id: int | None = None,
) -> list[CommitmentRow]:
    """The case's commitments by due date (those with none last), then when made; with a
    ``view``, only what that audience sees; with ``party_id``, only those that party made."""
    day = today or utcnow().date()
    with vault.session() as s:
        q = select(Commitment).where(Commitment.case_id == case_id)
        if party_id is not None:
            q = q.where(Commitment.party_id == party_id)
        commitments = list(
            s.scalars(
                q.order_by(
                    Commitment.due_on.is_(None),
                    Commitment.due_on,
                    Commitment.made_at,
                    Commitment.id,
                )
            )
        )
        rows = _rows(s, commitments, day)
        return _for_audience(s, rows, view, day) if view is not None else rows


def get_commitment(vault: Vault, commitment_id: int, *, today: date | None = None) -> CommitmentRow:
    with vault.session() as s:
        c = s.get(Commitment, commitment_id)
        if c is None:
            raise NotFound(f"There is no commitment #{commitment_id}.")
        return _rows(s, [c], today or utcnow().date())[0]


def due(
    vault: Vault, case_id: int, *, today: date | None = None
) -> tuple[list[CommitmentRow], list[CommitmentRow]]:
    """The case's overdue commitments and those due within two weeks (the overview, Go ▸
    Upcoming)."""
    rows = register(vault, case_id, today=today)
    return [r for r in rows if r.overdue], [r for r in rows if r.due_soon]


def due_before(
    vault: Vault, case_id: int, day: date, *, view: AudienceView | None = None
) -> list[CommitmentRow]:
    """Commitments still pending on ``day`` and due by then (a session brief lists them)."""
    rows = register(vault, case_id, today=day, view=view)
    return [
        r
        for r in rows
        if r.due_on is not None and r.due_on <= day and r.status is CommitmentStatus.PENDING
    ]


def record_of(rows: Iterable[CommitmentRow], party_id: int, party_name: str) -> PartyRecord:
    """A party's record over ``rows`` (already filtered for the audience, if any)."""
    counts: dict[str, int] = {f.name: 0 for f in fields(PartyRecord)[2:]}
    for r in rows:
        if r.party_id != party_id:
            continue
        counts["made"] += 1
        if r.status is CommitmentStatus.PENDING:
            counts["overdue" if r.overdue else "pending"] += 1
        else:
            counts[r.status.value] += 1
    return PartyRecord(party_id, party_name, **counts)


def party_records(
    vault: Vault, case_id: int, *, today: date | None = None, view: AudienceView | None = None
) -> list[PartyRecord]:
    """Every party's record that made a commitment the audience sees, by party name."""
    return records_of(register(vault, case_id, today=today, view=view))


def records_of(rows: Sequence[CommitmentRow]) -> list[PartyRecord]:
    """The record of each party named as the maker of one of ``rows``, by party name."""
    makers = {r.party_id: r.party_name for r in rows if r.party_id is not None}
    return sorted(
        (record_of(rows, pid, name) for pid, name in makers.items()), key=lambda p: p.party_name
    )


# --- writing --------------------------------------------------------------------------------


def _check(s: Session, case_id: int, new: NewCommitment) -> None:
    if not new.what.strip():
        raise ValidationError("Say what was promised.")
    party = s.get(Party, new.party_id)
    if party is None or party.case_id != case_id:
        raise ValidationError("A commitment is made by a party of this case.")
    if new.to_party_id is not None:
        to = s.get(Party, new.to_party_id)
        if to is None or to.case_id != case_id:
            raise ValidationError("A commitment is made to a party of this case.")
        if to.id == party.id:
            raise ValidationError("A party does not make a commitment to itself.")
    if Disclosure(new.disclosure) is Disclosure.EMBARGOED and new.embargo_until is None:
        raise ValidationError("An embargoed commitment needs the date its embargo ends.")
    if new.due_on is not None and new.due_on < new.made_at.date():
        raise ValidationError("A commitment cannot be due before it was made.")


def _values(new: NewCommitment) -> dict[str, Any]:
    values = {f.name: getattr(new, f.name) for f in fields(NewCommitment)}
    values["disclosure"] = Disclosure(values["disclosure"])
    if values["disclosure"] is not Disclosure.EMBARGOED:
        values["embargo_until"] = None
    return values


def create_commitment(
    vault: Vault, case_id: int, new: NewCommitment, *, commitment_id: int | None = None
) -> int:
    """A new commitment (``commitment_id``: bring one back under its old id, for undo)."""
    with vault.session() as s:
        _check(s, case_id, new)
        c = Commitment(case_id=case_id, **_values(new))
        if commitment_id is not None:
            c.id = commitment_id
        s.add(c)
        s.commit()
        return c.id


def update_commitment(vault: Vault, commitment_id: int, new: NewCommitment) -> NewCommitment:
    """Replace a commitment's fields; returns the old ones (for undo)."""
    with vault.session() as s:
        c = s.get(Commitment, commitment_id)
        if c is None:
            raise NotFound(f"There is no commitment #{commitment_id}.")
        _check(s, c.case_id, new)
        old = commitment_fields(c)
        for k, v in _values(new).items():
            setattr(c, k, v)
        s.commit()
        return old


def commitment_fields(c: Commitment) -> NewCommitment:
    return NewCommitment(**{f.name: getattr(c, f.name) for f in fields(NewCommitment)})


@dataclass(frozen=True)
class CommitmentCopy:
    """A deleted commitment and its course, to bring back (undo)."""

    id: int
    case_id: int
    fields: NewCommitment
    outcomes: tuple[tuple[int, NewOutcome], ...]
    dependents: tuple[int, ...] = field(default=())  # commitments that had it as condition


def delete_commitment(vault: Vault, commitment_id: int) -> CommitmentCopy:
    with vault.session() as s:
        c = s.get(Commitment, commitment_id)
        if c is None:
            raise NotFound(f"There is no commitment #{commitment_id}.")
        copy = CommitmentCopy(
            c.id,
            c.case_id,
            commitment_fields(c),
            tuple((e.id, _outcome_fields(e)) for e in c.events),
            tuple(s.scalars(select(Commitment.id).where(Commitment.condition_id == c.id))),
        )
        s.delete(c)
        s.commit()
        return copy


def restore_commitment(vault: Vault, copy: CommitmentCopy) -> int:
    """Bring back a deleted commitment under its id, with its course and its dependents'
    links to it."""
    with vault.session() as s:
        _check(s, copy.case_id, copy.fields)
        c = Commitment(id=copy.id, case_id=copy.case_id, **_values(copy.fields))
        s.add(c)
        s.flush()
        for eid, o in copy.outcomes:
            s.add(CommitmentEvent(id=eid, commitment_id=c.id, **_outcome_values(o)))
        for dep in copy.dependents:
            d = s.get(Commitment, dep)
            if d is not None and d.condition_id is None:
                d.condition_id = c.id
        s.commit()
        return c.id


def _outcome_fields(e: CommitmentEvent) -> NewOutcome:
    return NewOutcome(**{f.name: getattr(e, f.name) for f in fields(NewOutcome)})


def _outcome_values(o: NewOutcome) -> dict[str, Any]:
    values = {f.name: getattr(o, f.name) for f in fields(NewOutcome)}
    values["status"] = CommitmentStatus(values["status"])
    values["how"] = Verification(values["how"])
    return values


def record_outcome(
    vault: Vault, commitment_id: int, outcome: NewOutcome, *, outcome_id: int | None = None
) -> int:
    """Add a dated outcome to a commitment's course (refused, with one sentence, where it
    breaks the course rules: :mod:`app.core.models.course`)."""
    with vault.session() as s:
        if s.get(Commitment, commitment_id) is None:
            raise NotFound(f"There is no commitment #{commitment_id}.")
        e = CommitmentEvent(commitment_id=commitment_id, **_outcome_values(outcome))
        if outcome_id is not None:
            e.id = outcome_id
        s.add(e)
        s.commit()
        return e.id


def update_outcome(vault: Vault, outcome_id: int, outcome: NewOutcome) -> NewOutcome:
    """Change an outcome; returns the old one (for undo)."""
    with vault.session() as s:
        e = s.get(CommitmentEvent, outcome_id)
        if e is None:
            raise NotFound(f"There is no outcome #{outcome_id}.")
        old = _outcome_fields(e)
        for k, v in _outcome_values(outcome).items():
            setattr(e, k, v)
        s.commit()
        return old


def delete_outcome(vault: Vault, outcome_id: int) -> tuple[int, NewOutcome]:
    """Remove an outcome; returns its commitment and fields (for undo)."""
    with vault.session() as s:
        e = s.get(CommitmentEvent, outcome_id)
        if e is None:
            raise NotFound(f"There is no outcome #{outcome_id}.")
        found = (e.commitment_id, _outcome_fields(e))
        s.delete(e)
        s.commit()
        return found


__all__ = [
    "CommitmentCopy",
    "CommitmentRow",
    "NewCommitment",
    "NewOutcome",
    "OutcomeRow",
    "PartyRecord",
    "create_commitment",
    "delete_commitment",
    "delete_outcome",
    "due",
    "due_before",
    "get_commitment",
    "party_records",
    "record_of",
    "record_outcome",
    "records_of",
    "register",
    "restore_commitment",
    "update_commitment",
    "update_outcome",
]
