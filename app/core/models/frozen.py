"""A circulated draft never changes: checked at every flush, whatever the path (the texts
service, the generic record editor, the demo builder), so no write can rewrite what a party
was given. Only the mediator's own note on a draft may still change, and critiques (a table
of their own) keep coming in.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, select
from sqlalchemy.orm import Session

from app.core.days import format_day
from app.core.errors import DraftFrozen
from app.core.models.texts import Alternative, Clause, Draft

_DRAFT_MAY_CHANGE = {"note", "updated_at"}


def _circulated(s: Session, draft_ids: set[int]) -> dict[int, Any]:
    """draft id -> (number, circulated_at) of those already circulated, as stored."""
    if not draft_ids:
        return {}
    with s.no_autoflush:
        rows = s.execute(
            select(Draft.id, Draft.number, Draft.circulated_at).where(
                Draft.id.in_(draft_ids), Draft.circulated_at.is_not(None)
            )
        ).all()
    return {r[0]: r for r in rows}


def _stored(obj: Any, key: str) -> Any:
    """The value of ``key`` as the database holds it (before this flush's change)."""
    hist = inspect(obj).attrs[key].history
    if hist.deleted:
        return hist.deleted[0]
    return getattr(obj, key)


def _refuse(number: int, circulated_at: Any, what: str) -> DraftFrozen:
    day = format_day(circulated_at) if circulated_at is not None else "an earlier date"
    return DraftFrozen(
        f"Draft {number} was circulated on {day} and cannot change ({what}). "
        "Edit the working draft instead."
    )


def check_frozen(session: Session) -> None:
    """Refuse any new, changed or deleted clause or alternative of a circulated draft, and
    any change to a circulated draft but its note."""
    drafts: dict[int, str] = {}  # draft id -> what would change
    clause_ids: dict[int, str] = {}
    for state, objs in (
        ("new", session.new),
        ("dirty", session.dirty),
        ("deleted", session.deleted),
    ):
        for obj in objs:
            if isinstance(obj, Clause):
                if state == "dirty" and not session.is_modified(obj):
                    continue
                for did in {obj.draft_id, _stored(obj, "draft_id") if state != "new" else None}:
                    if did is not None:
                        drafts.setdefault(did, "a clause")
            elif isinstance(obj, Alternative):
                if state == "dirty" and not session.is_modified(obj):
                    continue
                for cid in {obj.clause_id, _stored(obj, "clause_id") if state != "new" else None}:
                    if cid is not None:
                        clause_ids.setdefault(cid, "a bracketed alternative")
            elif isinstance(obj, Draft) and state != "new":
                if state == "deleted":
                    drafts.setdefault(obj.id, "it would be deleted")
                    continue
                changed = {
                    a.key
                    for a in inspect(obj).mapper.column_attrs
                    if inspect(obj).attrs[a.key].history.has_changes()
                }
                if changed - _DRAFT_MAY_CHANGE:
                    drafts.setdefault(obj.id, "its " + ", ".join(sorted(changed)))
    if clause_ids:
        with session.no_autoflush:
            for cid, did in session.execute(
                select(Clause.id, Clause.draft_id).where(Clause.id.in_(clause_ids))
            ):
                drafts.setdefault(did, clause_ids[cid])
    frozen = _circulated(session, set(drafts))
    for did, what in drafts.items():
        if did in frozen:
            _, number, circulated_at = frozen[did]
            raise _refuse(number, circulated_at, what)
