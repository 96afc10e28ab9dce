"""Records about records: tags, attachments (stored in the vault) and the audit log."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models.base import MEDIUM, SHORT, Base, enum_column, utcnow
from app.core.models.enums import AuditAction


class Tag(Base):
    __tablename__ = "tags"
    __kind__ = "tag"
    __label_column__ = "name"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(SHORT), unique=True)


class Tagging(Base):
    """A tag on any record, named by kind and id (see ``kinds()``)."""

    __tablename__ = "taggings"
    __kind__ = "tagging"

    id: Mapped[int] = mapped_column(primary_key=True)
    tag_id: Mapped[int] = mapped_column(ForeignKey("tags.id", ondelete="CASCADE"))
    record_kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]

    __table_args__ = (
        Index("uq_taggings_record_tag", "record_kind", "record_id", "tag_id", unique=True),
        Index("ix_taggings_tag", "tag_id"),
    )


class Attachment(Base):
    """A file attached to any record. Its bytes live inside the vault, so encrypted."""

    __tablename__ = "attachments"
    __kind__ = "attachment"
    __label_column__ = "filename"

    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]
    filename: Mapped[str] = mapped_column(String(MEDIUM))
    media_type: Mapped[str] = mapped_column(String(SHORT), default="application/octet-stream")
    description: Mapped[str] = mapped_column(Text, default="")
    size: Mapped[int] = mapped_column(default=0)
    data: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    added_at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (Index("ix_attachments_record", "record_kind", "record_id"),)


class AuditEntry(Base):
    """What changed and when; one row per create, edit and delete, kept inside the vault."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    action: Mapped[AuditAction] = mapped_column(enum_column(AuditAction, "audit_action"))
    record_kind: Mapped[str] = mapped_column(String(40))
    record_id: Mapped[int]
    label: Mapped[str] = mapped_column(String(MEDIUM), default="")
    # JSON: {"field": [old, new]} for edits; the record's fields for creates and deletes.
    changes: Mapped[str] = mapped_column(Text, default="{}")

    __table_args__ = (Index("ix_audit_record", "record_kind", "record_id"),)


class VaultSetting(Base):
    """A setting that belongs to the vault, not the computer (kept encrypted inside it):
    e.g. the mediator's name for audited releases, the backup folder, the last backup."""

    __tablename__ = "vault_settings"

    key: Mapped[str] = mapped_column(String(SHORT), primary_key=True)
    value: Mapped[str] = mapped_column(Text, default="")
