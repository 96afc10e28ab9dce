"""The course of a commitment: where it stands on a day, whether it is overdue, and the rules
an outcome must keep. Checked after every flush, whatever the path (the commitments service,
the generic record editor, the demo), so no write leaves a course that contradicts itself:

* no outcome is dated before the commitment was made;
* "kept" is on or before the due date; "kept late" only after it (and only with one);
* a commitment with a condition (another commitment) is kept, partly kept or broken only
  on or after the day its condition was kept: conditions resolve in order;
* a condition is a commitment of the same case, and never leads back to itself.

The pure functions here take plain tuples so the services, the PDFs and the GUI can share
them without a session.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.days import format_day as _day
from app.core.errors import CourseRefused
from app.core.models.commitments import Commitment, CommitmentEvent
from app.core.models.enums import CommitmentStatus

PENDING = CommitmentStatus.PENDING
KEPT_STATES = frozenset({CommitmentStatus.KEPT, CommitmentStatus.KEPT_LATE})
# Outcomes that say the promise was acted on (or not): they need its condition kept first.
NEEDS_CONDITION = frozenset(
    {
        CommitmentStatus.KEPT,
        CommitmentStatus.KEPT_LATE,
        CommitmentStatus.PARTLY_KEPT,
        CommitmentStatus.BROKEN,
    }
)
DUE_SOON_DAYS = 14


@dataclass(frozen=True)
class Step:
    """One outcome of a course."""

    on: date
    status: CommitmentStatus
    id: int = 0


def ordered(steps: Iterable[Step]) -> list[Step]:
    return sorted(steps, key=lambda st: (st.on, st.id))


def status_on(steps: Sequence[Step], day: date | None = None) -> CommitmentStatus:
    """Where a commitment stands on ``day`` (default: after its latest outcome)."""
    current = PENDING
    for st in ordered(steps):
        if day is not None and st.on > day:
            break
        current = st.status
    return current


def kept_on(steps: Sequence[Step]) -> date | None:
    """The first day the course says kept (on time or late), if it does."""
    for st in ordered(steps):
        if st.status in KEPT_STATES:
            return st.on
    return None


def condition_met(condition_steps: Sequence[Step] | None, day: date) -> bool:
    """Whether a commitment's condition (None: it has none) was kept on or before ``day``."""
    if condition_steps is None:
        return True
    kept = kept_on(condition_steps)
    return kept is not None and kept <= day


def is_overdue(
    due_on: date | None,
    steps: Sequence[Step],
    day: date,
    condition_steps: Sequence[Step] | None = None,
) -> bool:
    """Still pending on ``day`` after its due date, its condition (if any) kept: a promise
    whose condition has not been met is not yet owed."""
    return (
        due_on is not None
        and due_on < day
        and status_on(steps, day) is PENDING
        and condition_met(condition_steps, day)
    )


def is_due_soon(
    due_on: date | None, steps: Sequence[Step], day: date, within: int = DUE_SOON_DAYS
) -> bool:
    """Pending and due within ``within`` days of ``day`` (today included)."""
    return (
        due_on is not None
        and day <= due_on <= day + timedelta(days=within)
        and status_on(steps, day) is PENDING
    )


def course_problem(
    made_on: date,
    due_on: date | None,
    steps: Sequence[Step],
    condition_steps: Sequence[Step] | None = None,
) -> str | None:
    """The first way ``steps`` break the course rules, in one sentence, or None."""
    for st in ordered(steps):
        if st.on < made_on:
            return (
                f"An outcome cannot be dated {_day(st.on)}: the commitment was only made on "
                f"{_day(made_on)}."
            )
        if st.status is CommitmentStatus.KEPT and due_on is not None and st.on > due_on:
            return f"It was due by {_day(due_on)}, so keeping it on {_day(st.on)} is “kept late”."
        if st.status is CommitmentStatus.KEPT_LATE and (due_on is None or st.on <= due_on):
            when = f"its due date, {_day(due_on)}" if due_on is not None else "a due date"
            return f"“Kept late” needs {when} to have passed; on {_day(st.on)} it was on time."
        if st.status in NEEDS_CONDITION and not condition_met(condition_steps, st.on):
            return (
                f"Its condition was not kept by {_day(st.on)}: record the condition's outcome "
                "first (conditions are resolved in order), or withdraw this one."
            )
    return None


# --- on every flush -----------------------------------------------------------------------


def note_course_edits(session: Session) -> None:
    """Before a flush: remember which commitments and outcomes it writes (new ones have no
    id yet), to check their courses once it has written them."""
    objs = [
        obj
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, CommitmentEvent)
        or (isinstance(obj, Commitment) and obj not in session.deleted)
    ]
    if objs:
        session.info.setdefault(_TODO, []).extend(objs)


_TODO = "liaison.course.todo"


def _touched(objs: Iterable[Any]) -> set[int]:
    ids: set[int] = set()
    for obj in objs:
        cid = obj.commitment_id if isinstance(obj, CommitmentEvent) else obj.id
        if cid is None and isinstance(obj, CommitmentEvent) and obj.commitment is not None:
            cid = obj.commitment.id
        if cid is not None:
            ids.add(cid)
    return ids


def check_course(session: Session) -> None:
    """After a flush: every touched commitment, and every commitment conditional on one,
    must still keep the course rules."""
    objs = session.info.pop(_TODO, None)
    if objs:
        check_courses(session, _touched(objs))


def check_courses(session: Session, todo: Iterable[int]) -> None:
    """Refuse (``CourseRefused``) if any of these commitments, or one conditional on them,
    breaks the course rules as stored (the JSON import calls it for what it inserted)."""
    ids = set(todo)
    if not ids:
        return
    todo = sorted(ids)
    ids.update(session.scalars(select(Commitment.id).where(Commitment.condition_id.in_(todo))))
    rows = {
        r.id: r
        for r in session.execute(
            select(
                Commitment.id,
                Commitment.case_id,
                Commitment.condition_id,
                Commitment.made_at,
                Commitment.due_on,
            ).where(Commitment.id.in_(sorted(ids)))
        )
    }
    conditions = {r.condition_id for r in rows.values() if r.condition_id is not None}
    steps = stored_steps(session, set(rows) | conditions)
    for cid, r in sorted(rows.items()):
        if r.condition_id is not None:
            _check_chain(session, cid, r.case_id, r.condition_id)
        cond = steps.get(r.condition_id, []) if r.condition_id is not None else None
        problem = course_problem(r.made_at.date(), r.due_on, steps.get(cid, []), cond)
        if problem:
            raise CourseRefused(problem)


def stored_steps(session: Session, ids: Iterable[int]) -> dict[int, list[Step]]:
    """The stored course of each of these commitments, as steps."""
    ids = set(ids)
    out: dict[int, list[Step]] = {}
    if not ids:
        return out
    for eid, cid, on, status in session.execute(
        select(
            CommitmentEvent.id,
            CommitmentEvent.commitment_id,
            CommitmentEvent.on,
            CommitmentEvent.status,
        ).where(CommitmentEvent.commitment_id.in_(sorted(ids)))
    ):
        out.setdefault(cid, []).append(Step(on, CommitmentStatus(status), eid))
    return out


def _check_chain(session: Session, start: int, case_id: int, condition_id: int) -> None:
    seen = {start}
    current: Any = condition_id
    first = True
    while current is not None:
        if current in seen:
            raise CourseRefused(
                "A commitment cannot depend on itself, even through other commitments."
            )
        seen.add(current)
        row = session.execute(
            select(Commitment.case_id, Commitment.condition_id).where(Commitment.id == current)
        ).first()
        if row is None:
            return  # the link check refuses an unknown commitment
        if first and row.case_id != case_id:
            raise CourseRefused("A commitment's condition must be a commitment of the same case.")
        first = False
        current = row.condition_id
