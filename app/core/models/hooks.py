"""The unit of work every vault session uses: validation before a flush, audit after it.

Living here (rather than in each service) makes both impossible to forget: any change
through the ORM is checked for lengths and empty required text, and leaves an audit entry.
"""

from __future__ import annotations

import enum
import json
from datetime import date, datetime
from typing import Any

from sqlalchemy import String, Text, event, insert, inspect
from sqlalchemy.orm import Session, UOWTransaction

from app.core.errors import ValidationError
from app.core.models.base import LONG, Base, utcnow
from app.core.models.course import check_course, note_course_edits
from app.core.models.enums import AuditAction
from app.core.models.frozen import check_frozen
from app.core.models.meta import AuditEntry

_NOT_AUDITED = {"audit_log"}
_SKIP_VALUES = {"data", "created_at", "updated_at"}  # bytes and bookkeeping


class VaultSession(Session):
    """The session class of every vault (see ``Vault``)."""


def field_label(name: str) -> str:
    """``recipient_party_id`` -> ``recipient party``: how a person would name the field."""
    label = name.removesuffix("_id").replace("_", " ")
    return label


def _max_length(column: Any) -> int | None:
    if isinstance(column.type, String) and column.type.length:
        return int(column.type.length)
    if isinstance(column.type, Text):
        return LONG
    return None


def too_long(column: Any, value: str) -> int | None:
    """The length limit of ``column`` when ``value`` exceeds it, else None."""
    limit = _max_length(column)
    return limit if limit is not None and len(value) > limit else None


def needs_text(column: Any) -> bool:
    """A required title or name: it may not be left blank (only spaces)."""
    return not column.nullable and column.key in ("title", "name")


def validate(obj: Base) -> None:
    """Lengths and required text, in words a user understands."""
    mapper = inspect(obj.__class__)
    kind = getattr(obj, "__kind__", "") or obj.__class__.__tablename__
    for column in mapper.columns:
        value = getattr(obj, column.key, None)
        if isinstance(value, str):
            limit = too_long(column, value)
            if limit is not None:
                raise ValidationError(
                    f"The {field_label(column.key)} of this {kind.replace('_', ' ')} is too long: "
                    f"{len(value):,} characters, at most {limit:,}."
                )
            if needs_text(column) and not value.strip():
                raise ValidationError(
                    f"The {field_label(column.key)} of a {kind.replace('_', ' ')} cannot be empty."
                )


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return f"<{len(bytes(value))} bytes>"
    return value


def record_fields(obj: Base) -> dict[str, Any]:
    mapper = inspect(obj.__class__)
    return {
        c.key: _plain(getattr(obj, c.key, None))
        for c in mapper.columns
        if c.key not in _SKIP_VALUES
    }


def _label(obj: Base) -> str:
    col = getattr(obj, "__label_column__", None)
    value = getattr(obj, col, "") if col else ""
    text = str(value or "")
    return text if len(text) <= 120 else text[:119] + "…"


def _changes(obj: Base) -> dict[str, list[Any]]:
    state = inspect(obj)
    out: dict[str, list[Any]] = {}
    for attr in state.mapper.column_attrs:
        if attr.key in _SKIP_VALUES:
            continue
        hist = state.attrs[attr.key].history
        if hist.has_changes():
            old = hist.deleted[0] if hist.deleted else None
            new = hist.added[0] if hist.added else None
            if old != new:
                out[attr.key] = [_plain(old), _plain(new)]
    return out


@event.listens_for(VaultSession, "before_flush")
def _before_flush(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    for obj in list(session.new) + list(session.dirty):
        if isinstance(obj, Base):
            validate(obj)
    check_frozen(session)
    note_course_edits(session)


@event.listens_for(VaultSession, "after_flush")
def _after_flush(session: Session, flush_context: UOWTransaction) -> None:
    check_course(session)
    rows: list[dict[str, Any]] = []
    now = utcnow()

    def add(action: AuditAction, obj: Base, changes: dict[str, Any]) -> None:
        table = str(obj.__class__.__tablename__)
        if table in _NOT_AUDITED:
            return
        kind = getattr(obj, "__kind__", "") or table
        rows.append(
            {
                "at": now,
                "action": action,
                "record_kind": kind,
                "record_id": getattr(obj, "id", 0) or 0,
                "label": _label(obj),
                "changes": json.dumps(changes, ensure_ascii=False, default=str),
            }
        )

    for obj in session.new:
        if isinstance(obj, Base):
            add(AuditAction.CREATE, obj, record_fields(obj))
    for obj in session.dirty:
        if isinstance(obj, Base):
            changes = _changes(obj)
            if changes:
                add(AuditAction.UPDATE, obj, changes)
    for obj in session.deleted:
        if isinstance(obj, Base):
            add(AuditAction.DELETE, obj, record_fields(obj))
    if rows:
        session.connection().execute(insert(AuditEntry), rows)
