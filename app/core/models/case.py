"""Cases, the parties in them, their dated profiles, and the people (contacts)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models.base import LONG, MEDIUM, SHORT, Base, Timestamped, enum_column, utcnow
from app.core.models.enums import (
    Capacity,
    CaseStatus,
    ChannelKind,
    PartyKind,
    ProfileKind,
    Track,
)


class Case(Timestamped, Base):
    __tablename__ = "cases"
    __kind__ = "case"
    __label_column__ = "title"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(SHORT))
    summary: Mapped[str] = mapped_column(Text, default="")
    track: Mapped[Track] = mapped_column(enum_column(Track, "track"), default=Track.TWO)
    status: Mapped[CaseStatus] = mapped_column(
        enum_column(CaseStatus, "case_status"), default=CaseStatus.ACTIVE
    )
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]

    parties: Mapped[list[Party]] = relationship(
        back_populates="case", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint(f"length(summary) <= {LONG}", name="summary_length"),
    )


class Party(Timestamped, Base):
    __tablename__ = "parties"
    __kind__ = "party"
    __label_column__ = "name"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(SHORT))
    kind: Mapped[PartyKind] = mapped_column(enum_column(PartyKind, "party_kind"))
    description: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[Case] = relationship(back_populates="parties")
    profile: Mapped[list[ProfileEntry]] = relationship(
        back_populates="party", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)


class ProfileEntry(Timestamped, Base):
    """One dated line of a party's profile. History is kept: an entry that no longer holds is
    retired (``retired_on``), never overwritten."""

    __tablename__ = "profile_entries"
    __kind__ = "profile_entry"
    __label_column__ = "text"

    id: Mapped[int] = mapped_column(primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ProfileKind] = mapped_column(enum_column(ProfileKind, "profile_kind"))
    text: Mapped[str] = mapped_column(Text)
    recorded_on: Mapped[date] = mapped_column(default=lambda: utcnow().date())
    retired_on: Mapped[date | None]
    # Where it came from (provenance): a session or a message of the same case.
    source_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL")
    )
    source_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )

    party: Mapped[Party] = relationship(back_populates="profile")


class Person(Timestamped, Base):
    """A contact. Vault-wide: the same person may appear in several cases."""

    __tablename__ = "people"
    __kind__ = "person"
    __label_column__ = "name"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(SHORT))
    codename: Mapped[str | None] = mapped_column(String(SHORT))
    role: Mapped[str] = mapped_column(String(MEDIUM), default="")
    languages: Mapped[str] = mapped_column(String(MEDIUM), default="")  # comma-separated
    notes: Mapped[str] = mapped_column(Text, default="")

    channels: Mapped[list[Channel]] = relationship(
        back_populates="person",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Channel.id",
    )
    affiliations: Mapped[list[Affiliation]] = relationship(
        back_populates="person", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)

    def display_name(self, use_codename: bool = False) -> str:
        return self.codename if use_codename and self.codename else self.name


class Channel(Base):
    """A typed way to reach a person: phone, email, messenger handle, address."""

    __tablename__ = "channels"
    __kind__ = "channel"
    __label_column__ = "value"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    kind: Mapped[ChannelKind] = mapped_column(enum_column(ChannelKind, "channel_kind"))
    value: Mapped[str] = mapped_column(String(MEDIUM))
    label: Mapped[str] = mapped_column(String(SHORT), default="")

    person: Mapped[Person] = relationship(back_populates="channels")


class Affiliation(Timestamped, Base):
    """A person's tie to a party, with the role and the capacity they act in."""

    __tablename__ = "affiliations"
    __kind__ = "affiliation"
    __label_column__ = "role"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id", ondelete="CASCADE"), index=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"), index=True)
    role: Mapped[str] = mapped_column(String(MEDIUM), default="")
    capacity: Mapped[Capacity] = mapped_column(
        enum_column(Capacity, "capacity"), default=Capacity.OFFICIAL
    )
    since: Mapped[date | None]
    until: Mapped[date | None]

    person: Mapped[Person] = relationship(back_populates="affiliations")
    party: Mapped[Party] = relationship()

    __table_args__ = (Index("ix_affiliations_party_person", "party_id", "person_id"),)
