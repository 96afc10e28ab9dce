"""Options (ideas for resolution), each party's stance with its history, and lineage."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models.base import Base, Timestamped, enum_column, utcnow
from app.core.models.case import ProfileEntry
from app.core.models.enums import LineageKind, OptionStatus, RaisedBy, StanceKind

# The interests (profile entries) an option addresses.
option_interests = Table(
    "option_interests",
    Base.metadata,
    Column("option_id", ForeignKey("options.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "profile_entry_id", ForeignKey("profile_entries.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Option(Timestamped, Base):
    __tablename__ = "options"
    __kind__ = "option"
    __label_column__ = "title"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(200))
    text: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[OptionStatus] = mapped_column(
        enum_column(OptionStatus, "option_status"), default=OptionStatus.RAISED
    )
    raised_by: Mapped[RaisedBy] = mapped_column(
        enum_column(RaisedBy, "raised_by"), default=RaisedBy.FACILITATOR
    )
    raised_by_party_id: Mapped[int | None] = mapped_column(
        ForeignKey("parties.id", ondelete="SET NULL")
    )
    raised_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    raised_in_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL")
    )
    raised_in_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )
    raised_on: Mapped[date] = mapped_column(default=lambda: utcnow().date())

    stances: Mapped[list[Stance]] = relationship(
        back_populates="option",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Stance.recorded_at",
    )
    interests: Mapped[list[ProfileEntry]] = relationship(secondary=option_interests)
    # Lineage, both ways: the options this one came from, and those that came from it.
    parent_links: Mapped[list[OptionLink]] = relationship(
        foreign_keys="OptionLink.option_id",
        back_populates="option",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    child_links: Mapped[list[OptionLink]] = relationship(
        foreign_keys="OptionLink.parent_id",
        back_populates="parent",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        # The options of a case in the order raised: the matrix is read a page at a time.
        Index("ix_options_case_raised", "case_id", "raised_on"),
    )


class Stance(Base):
    """A party's stance on an option as of a date. The latest one is current; older ones are
    the history."""

    __tablename__ = "stances"
    __kind__ = "stance"
    __label_column__ = "note"

    id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("options.id", ondelete="CASCADE"))
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"))
    stance: Mapped[StanceKind] = mapped_column(enum_column(StanceKind, "stance_kind"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    note: Mapped[str] = mapped_column(Text, default="")
    source_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL")
    )

    option: Mapped[Option] = relationship(back_populates="stances")

    __table_args__ = (Index("ix_stances_option_party_at", "option_id", "party_id", "recorded_at"),)


class OptionLink(Base):
    """One step of an option's lineage: ``option`` was refined from, merged from or split
    from ``parent``. A merge gives the new option two or more parents; a split gives the old
    one two or more children."""

    __tablename__ = "option_links"
    __kind__ = "option_link"
    __label_column__ = "kind"

    id: Mapped[int] = mapped_column(primary_key=True)
    option_id: Mapped[int] = mapped_column(ForeignKey("options.id", ondelete="CASCADE"))
    parent_id: Mapped[int] = mapped_column(ForeignKey("options.id", ondelete="CASCADE"), index=True)
    kind: Mapped[LineageKind] = mapped_column(
        enum_column(LineageKind, "lineage_kind"), default=LineageKind.REFINED
    )
    linked_on: Mapped[date] = mapped_column(default=lambda: utcnow().date())

    option: Mapped[Option] = relationship(foreign_keys=[option_id], back_populates="parent_links")
    parent: Mapped[Option] = relationship(foreign_keys=[parent_id], back_populates="child_links")

    __table_args__ = (
        UniqueConstraint("option_id", "parent_id"),
        CheckConstraint("option_id <> parent_id", name="not_its_own_parent"),
    )
