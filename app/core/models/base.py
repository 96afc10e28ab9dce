"""Declarative base, shared column types and the registry of record kinds."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime
from typing import Any, ClassVar

from sqlalchemy import Date, DateTime, Enum, MetaData, String, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

# Stable constraint names so that Alembic batch migrations can find them.
NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Field lengths the user can hit; the services turn an overflow into a clear message.
SHORT = 200  # names, titles
MEDIUM = 2_000  # places, roles, one-line summaries
LONG = 1_000_000  # free text (about 500 pages)


class UTCDateTime(TypeDecorator[datetime]):
    """Stored as naive UTC; always handed out timezone-aware in UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Liaison stores only aware datetimes")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


def enum_column(enum_cls: type[enum.Enum], name: str) -> Enum:
    """A text column with a CHECK constraint listing the enum's values."""
    return Enum(
        enum_cls,
        name=name,
        native_enum=False,
        create_constraint=True,
        validate_strings=True,
        length=40,
        values_callable=lambda e: [m.value for m in e],
    )


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        date: Date(),
        str: String(SHORT),
    }

    # The name of this kind of record in tags, attachments, audit entries and search.
    __kind__: ClassVar[str] = ""
    # A short label for the audit log and search results, e.g. the title column.
    __label_column__: ClassVar[str | None] = None


class Timestamped:
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


def kinds() -> dict[str, type[Base]]:
    """Every record kind by its name, e.g. ``{"case": Case, ...}``."""
    out: dict[str, type[Base]] = {}
    for mapper in Base.registry.mappers:
        cls = mapper.class_
        kind = getattr(cls, "__kind__", "")
        if kind:
            out[kind] = cls
    return out


def model_for(kind: str) -> type[Base]:
    try:
        return kinds()[kind]
    except KeyError:
        raise KeyError(f"unknown record kind {kind!r}") from None
