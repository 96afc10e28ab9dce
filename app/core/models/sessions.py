"""Sessions (meetings and workshops): participants, agenda and structured notes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models.base import MEDIUM, SHORT, Base, Timestamped, enum_column, utcnow
from app.core.models.enums import Capacity, SessionKind, SessionNoteKind, SessionStatus


class CaseSession(Timestamped, Base):
    """A session of a case. (Named so as not to clash with a database session.)"""

    __tablename__ = "sessions"
    __kind__ = "session"
    __label_column__ = "title"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(SHORT))
    kind: Mapped[SessionKind] = mapped_column(enum_column(SessionKind, "session_kind"))
    status: Mapped[SessionStatus] = mapped_column(
        enum_column(SessionStatus, "session_status"), default=SessionStatus.PLANNED
    )
    starts_at: Mapped[datetime | None]
    ends_at: Mapped[datetime | None]
    place: Mapped[str] = mapped_column(String(MEDIUM), default="")  # may be vague on purpose
    ground_rules: Mapped[str] = mapped_column(Text, default="")
    logistics: Mapped[str] = mapped_column(Text, default="")
    summary: Mapped[str] = mapped_column(Text, default="")

    participants: Mapped[list[Participant]] = relationship(
        back_populates="session", cascade="all, delete-orphan", passive_deletes=True
    )
    agenda: Mapped[list[AgendaItem]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="AgendaItem.position",
    )
    notes: Mapped[list[SessionNote]] = relationship(
        back_populates="session",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="SessionNote.noted_at",
    )

    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint(
            "ends_at IS NULL OR starts_at IS NULL OR ends_at >= starts_at", name="ends_after_start"
        ),
        Index("ix_sessions_case_starts", "case_id", "starts_at"),
    )


class Participant(Base):
    __tablename__ = "participants"
    __kind__ = "participant"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id", ondelete="SET NULL"))
    capacity: Mapped[Capacity] = mapped_column(
        enum_column(Capacity, "capacity"), default=Capacity.PERSONAL
    )

    session: Mapped[CaseSession] = relationship(back_populates="participants")

    __table_args__ = (
        Index("uq_participants_session_person", "session_id", "person_id", unique=True),
    )


class AgendaItem(Base):
    __tablename__ = "agenda_items"
    __kind__ = "agenda_item"
    __label_column__ = "title"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(
        ForeignKey("sessions.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(String(SHORT))
    notes: Mapped[str] = mapped_column(Text, default="")
    minutes: Mapped[int | None]

    session: Mapped[CaseSession] = relationship(back_populates="agenda")


class SessionNote(Timestamped, Base):
    """One typed, time-stamped entry of a session's notes."""

    __tablename__ = "session_notes"
    __kind__ = "session_note"
    __label_column__ = "text"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("sessions.id", ondelete="CASCADE"))
    kind: Mapped[SessionNoteKind] = mapped_column(enum_column(SessionNoteKind, "note_kind"))
    text: Mapped[str] = mapped_column(Text, default="")
    noted_at: Mapped[datetime] = mapped_column(default=utcnow)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id", ondelete="SET NULL"))

    session: Mapped[CaseSession] = relationship(back_populates="notes")

    __table_args__ = (Index("ix_session_notes_session_at", "session_id", "noted_at"),)
