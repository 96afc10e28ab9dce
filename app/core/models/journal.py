"""Follow-up actions and the mediator's own dated notes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.core.models.base import SHORT, Base, Timestamped, utcnow


class Action(Timestamped, Base):
    __tablename__ = "actions"
    __kind__ = "action"
    __label_column__ = "title"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("sessions.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(SHORT))
    notes: Mapped[str] = mapped_column(Text, default="")
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    owner: Mapped[str] = mapped_column(String(SHORT), default="")  # when not a known person
    due_on: Mapped[date | None]
    done: Mapped[bool] = mapped_column(Boolean, default=False)
    done_at: Mapped[datetime | None]

    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        Index("ix_actions_case_due", "case_id", "done", "due_on"),
    )


class Note(Timestamped, Base):
    __tablename__ = "notes"
    __kind__ = "note"
    __label_column__ = "title"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)
    title: Mapped[str] = mapped_column(String(SHORT), default="")
    body: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_notes_case_at", "case_id", "written_at"),)
