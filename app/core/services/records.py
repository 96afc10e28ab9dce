"""Create, read, update and delete any record; tags and attachments on any record.

One unit of work per call. Records go out as plain dicts of their columns (never live ORM
objects), so callers on other threads and the GUI cannot trip over a closed session.
Every change is audited by the vault session (see ``app.core.models.hooks``).
"""

from __future__ import annotations

import enum
import mimetypes
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    Integer,
    LargeBinary,
    TypeDecorator,
    inspect,
    select,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.errors import NotFound, ValidationError
from app.core.models import Attachment, Base, Tag, Tagging, model_for
from app.core.models.hooks import field_label
from app.core.services.messages import check_message
from app.core.vault import Vault

Record = dict[str, Any]

# Attachments are stored inside the vault; keep one file to a size a laptop handles well.
MAX_ATTACHMENT_BYTES = 64 * 1024 * 1024


def to_record(obj: Base) -> Record:
    mapper = inspect(obj.__class__)
    return {c.key: getattr(obj, c.key) for c in mapper.column_attrs if c.key != "data"}


def coerce(model: type[Base], key: str, value: Any) -> Any:
    """Turn a value typed or read from a file into what the column holds; clear errors."""
    mapper = inspect(model)
    if key not in mapper.columns:
        raise ValidationError(f"A {model.__kind__ or model.__tablename__} has no field “{key}”.")
    return coerce_column(mapper.columns[key], value)


def coerce_column(column: Column[Any], value: Any) -> Any:
    key = column.key
    if value is None:
        if not column.nullable and column.default is None and not column.primary_key:
            raise ValidationError(f"The {field_label(key)} is required.")
        return None
    typ = column.type
    if isinstance(typ, TypeDecorator):
        typ = typ.impl_instance
    label = field_label(key)
    try:
        if isinstance(typ, Enum) and typ.enum_class is not None:
            if isinstance(value, enum.Enum):
                return typ.enum_class(value.value)
            return typ.enum_class(value)
        if isinstance(typ, DateTime):
            if isinstance(value, str):
                value = datetime.fromisoformat(value)
            if not isinstance(value, datetime) or value.tzinfo is None:
                raise ValueError
            return value
        if isinstance(typ, Date):
            if isinstance(value, datetime):
                return value.date()
            if isinstance(value, str):
                return date.fromisoformat(value)
            if not isinstance(value, date):
                raise ValueError
            return value
        if isinstance(typ, Boolean):
            if not isinstance(value, bool):
                raise ValueError
            return value
        if isinstance(typ, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise ValueError
            return value
        if isinstance(typ, LargeBinary):
            if not isinstance(value, bytes | bytearray):
                raise ValueError
            return bytes(value)
        if not isinstance(value, str):
            raise ValueError
        return value
    except ValueError:
        if isinstance(typ, Enum):
            allowed = ", ".join(typ.enums)
            raise ValidationError(
                f"“{value}” is not a valid {label}; use one of: {allowed}."
            ) from None
        what = {
            DateTime: "a date and time with a time zone (e.g. 2026-05-01T14:30:00+00:00)",
            Date: "a date (e.g. 2026-05-01)",
            Boolean: "true or false",
            Integer: "a whole number",
            LargeBinary: "bytes",
        }
        expected = next((v for t, v in what.items() if isinstance(typ, t)), "text")
        shown = str(value) if len(str(value)) < 60 else str(value)[:57] + "..."
        raise ValidationError(f"The {label} must be {expected}, not “{shown}”.") from None


def _integrity_message(exc: IntegrityError, kind: str) -> str:
    msg = str(exc.orig).lower()
    if "foreign key" in msg:
        return (
            f"This {kind.replace('_', ' ')} is still linked to other records (for example "
            "messages or deliveries), or refers to one that does not exist. Remove or change "
            "those links first."
        )
    if "unique" in msg:
        return f"A {kind.replace('_', ' ')} with the same value already exists."
    if "check" in msg:
        if "embargo" in msg:
            return "An embargoed message needs an embargo date, and only an embargoed one."
        if "has_sender" in msg:
            return "A message needs a sender: a party or a person."
        if "not_empty" in msg:
            return "A name or title cannot be empty."
        return f"Some value of this {kind.replace('_', ' ')} is not allowed."
    if "not null" in msg:
        col = msg.rsplit(".", 1)[-1]
        return f"The {field_label(col)} is required."
    return f"The {kind.replace('_', ' ')} could not be saved."


@dataclass(frozen=True)
class AttachmentInfo:
    id: int
    record_kind: str
    record_id: int
    filename: str
    media_type: str
    size: int
    description: str
    added_at: datetime


class Records:
    """Generic record access over one vault. Kinds are the names in ``models.kinds()``."""

    def __init__(self, vault: Vault) -> None:
        self.vault = vault

    # -- plain CRUD -----------------------------------------------------------------------

    def create(self, kind: str, /, **fields: Any) -> int:
        model = model_for(kind)
        values = {k: coerce(model, k, v) for k, v in fields.items()}
        try:
            with self.vault.transaction() as s:
                obj = model(**values)
                _check(kind, obj)
                s.add(obj)
                s.flush()
                return int(obj.id)  # type: ignore[attr-defined]
        except IntegrityError as exc:
            raise ValidationError(_integrity_message(exc, kind)) from exc

    def get(self, kind: str, record_id: int) -> Record:
        with self.vault.session() as s:
            return to_record(self._load(s, kind, record_id))

    def find(self, kind: str, /, *, order_by: str = "id", **filters: Any) -> list[Record]:
        model = model_for(kind)
        stmt = select(model)
        for key, value in filters.items():
            stmt = stmt.where(getattr(model, key) == coerce(model, key, value))
        stmt = stmt.order_by(getattr(model, order_by))
        with self.vault.session() as s:
            return [to_record(o) for o in s.scalars(stmt)]

    def update(self, kind: str, record_id: int, /, **fields: Any) -> Record:
        model = model_for(kind)
        values = {k: coerce(model, k, v) for k, v in fields.items() if k != "id"}
        try:
            with self.vault.transaction() as s:
                obj = self._load(s, kind, record_id)
                for key, value in values.items():
                    setattr(obj, key, value)
                _check(kind, obj)
                s.flush()
                return to_record(obj)
        except IntegrityError as exc:
            raise ValidationError(_integrity_message(exc, kind)) from exc

    def delete(self, kind: str, record_id: int) -> None:
        try:
            with self.vault.transaction() as s:
                s.delete(self._load(s, kind, record_id))
        except IntegrityError as exc:
            raise ValidationError(_integrity_message(exc, kind)) from exc

    @staticmethod
    def _load(s: Session, kind: str, record_id: int) -> Base:
        obj = s.get(model_for(kind), record_id)
        if obj is None:
            raise NotFound(f"There is no {kind.replace('_', ' ')} number {record_id}.")
        return obj

    # -- tags -----------------------------------------------------------------------------

    def tag(self, kind: str, record_id: int, name: str) -> None:
        name = name.strip()
        if not name:
            raise ValidationError("A tag needs a name.")
        with self.vault.transaction() as s:
            self._load(s, kind, record_id)
            tag = s.scalar(select(Tag).where(Tag.name == name))
            if tag is None:
                tag = Tag(name=name)
                s.add(tag)
                s.flush()
            exists = s.scalar(
                select(Tagging.id).where(
                    Tagging.tag_id == tag.id,
                    Tagging.record_kind == kind,
                    Tagging.record_id == record_id,
                )
            )
            if exists is None:
                s.add(Tagging(tag_id=tag.id, record_kind=kind, record_id=record_id))

    def untag(self, kind: str, record_id: int, name: str) -> None:
        with self.vault.transaction() as s:
            tag_id = s.scalar(select(Tag.id).where(Tag.name == name))
            if tag_id is not None:
                for t in s.scalars(
                    select(Tagging).where(
                        Tagging.tag_id == tag_id,
                        Tagging.record_kind == kind,
                        Tagging.record_id == record_id,
                    )
                ):
                    s.delete(t)

    def tags_of(self, kind: str, record_id: int) -> list[str]:
        with self.vault.session() as s:
            return list(
                s.scalars(
                    select(Tag.name)
                    .join(Tagging, Tagging.tag_id == Tag.id)
                    .where(Tagging.record_kind == kind, Tagging.record_id == record_id)
                    .order_by(Tag.name)
                )
            )

    # -- attachments ----------------------------------------------------------------------

    def attach(
        self,
        kind: str,
        record_id: int,
        filename: str,
        data: bytes,
        *,
        media_type: str | None = None,
        description: str = "",
    ) -> int:
        if len(data) > MAX_ATTACHMENT_BYTES:
            raise ValidationError(
                f"“{filename}” is {len(data) / 2**20:.0f} MB; attachments can be at most "
                f"{MAX_ATTACHMENT_BYTES // 2**20} MB."
            )
        media_type = media_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        with self.vault.transaction() as s:
            self._load(s, kind, record_id)
            att = Attachment(
                record_kind=kind,
                record_id=record_id,
                filename=filename,
                media_type=media_type,
                description=description,
                size=len(data),
                data=data,
            )
            s.add(att)
            s.flush()
            return att.id

    def attachments_of(self, kind: str, record_id: int) -> list[AttachmentInfo]:
        with self.vault.session() as s:
            rows = s.scalars(
                select(Attachment)
                .where(Attachment.record_kind == kind, Attachment.record_id == record_id)
                .order_by(Attachment.id)
            )
            return [
                AttachmentInfo(
                    a.id,
                    a.record_kind,
                    a.record_id,
                    a.filename,
                    a.media_type,
                    a.size,
                    a.description,
                    a.added_at,
                )
                for a in rows
            ]

    def attachment_data(self, attachment_id: int) -> bytes:
        with self.vault.session() as s:
            data = s.scalar(select(Attachment.data).where(Attachment.id == attachment_id))
            if data is None:
                raise NotFound(f"There is no attachment number {attachment_id}.")
            return bytes(data)

    def remove_attachment(self, attachment_id: int) -> None:
        with self.vault.transaction() as s:
            att = s.get(Attachment, attachment_id)
            if att is not None:
                s.delete(att)


_REF_KEYS = ("sender_party_id", "recipient_party_id", "sender_person_id", "recipient_person_id")


def _check(kind: str, obj: Base) -> None:
    """The rules a record must meet however it is written (a form, quick capture, undo)."""
    if kind == "message":
        check_message({k: getattr(obj, k) for k in _REF_KEYS})
