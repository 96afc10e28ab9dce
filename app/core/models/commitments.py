"""Commitments a party made (and their course), handovers to outside audiences (Track I
officials, institutions, sponsors), and links between cases.

A **commitment** is who promised what to whom, under which condition (free words, or another
commitment that must be kept first), by when, where it was said, and at what disclosure level
(it is a record under the disclosure rules like a message: its own level, and the strictest
of where it came from). Its **course** is a dated list of outcomes; the latest one is where it
stands (pending while there is none). The rules of the course (no outcome before the promise,
a condition kept first, kept late only after the due date) are in
:mod:`app.core.services.commitment_course` and are checked on every flush.

A **handover** is what went up to an *outsider* (someone outside the case's parties): options,
texts, commitments and findings, when, through whom, and whether sources were named. It is a
delivery to an outside audience, refused like one where the disclosure rules forbid it
(:mod:`app.core.disclosure.handovers`).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models.base import SHORT, Base, Timestamped, enum_column, utcnow
from app.core.models.enums import (
    CaseLinkKind,
    CommitmentStatus,
    Disclosure,
    OutsiderKind,
    Verification,
)


class Commitment(Timestamped, Base):
    __tablename__ = "commitments"
    __kind__ = "commitment"
    __label_column__ = "what"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    to_party_id: Mapped[int | None] = mapped_column(  # None: to the mediator, or to all sides
        ForeignKey("parties.id", ondelete="SET NULL")
    )
    what: Mapped[str] = mapped_column(Text)
    condition: Mapped[str] = mapped_column(Text, default="")  # in words
    condition_id: Mapped[int | None] = mapped_column(  # another commitment, kept first
        ForeignKey("commitments.id", ondelete="SET NULL")
    )
    made_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_on: Mapped[date | None]
    disclosure: Mapped[Disclosure] = mapped_column(
        enum_column(Disclosure, "disclosure"), default=Disclosure.CONFIDENTIAL
    )
    embargo_until: Mapped[datetime | None]
    source_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )
    source_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL")
    )
    source_clause_id: Mapped[int | None] = mapped_column(
        ForeignKey("clauses.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")  # the mediator's own

    events: Mapped[list[CommitmentEvent]] = relationship(
        back_populates="commitment",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(CommitmentEvent.on, CommitmentEvent.id)",
    )

    __table_args__ = (
        CheckConstraint("length(what) > 0", name="what_not_empty"),
        CheckConstraint(
            "(disclosure = 'embargoed') = (embargo_until IS NOT NULL)", name="embargo_date"
        ),
        CheckConstraint("condition_id IS NULL OR condition_id != id", name="not_own_condition"),
        Index("ix_commitments_case_due", "case_id", "due_on"),
        Index("ix_commitments_party", "party_id"),
        Index("ix_commitments_source_message", "source_message_id"),
    )


class CommitmentEvent(Timestamped, Base):
    """One dated step of a commitment's course: an outcome, who verified it and how."""

    __tablename__ = "commitment_events"
    __kind__ = "commitment_event"
    __label_column__ = "note"

    id: Mapped[int] = mapped_column(primary_key=True)
    commitment_id: Mapped[int] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE"), index=True
    )
    on: Mapped[date]
    status: Mapped[CommitmentStatus] = mapped_column(
        enum_column(CommitmentStatus, "commitment_status")
    )
    verified_by: Mapped[str] = mapped_column(String(SHORT), default="")  # who
    how: Mapped[Verification] = mapped_column(
        enum_column(Verification, "verification"), default=Verification.NOTE
    )
    evidence_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")

    commitment: Mapped[Commitment] = relationship(back_populates="events")


class Outsider(Timestamped, Base):
    """An official, institution or sponsor outside the case's parties."""

    __tablename__ = "outsiders"
    __kind__ = "outsider"
    __label_column__ = "name"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(SHORT))
    kind: Mapped[OutsiderKind] = mapped_column(
        enum_column(OutsiderKind, "outsider_kind"), default=OutsiderKind.OFFICIAL
    )
    organisation: Mapped[str] = mapped_column(String(SHORT), default="")
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", ondelete="SET NULL"))
    notes: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)


class Handover(Timestamped, Base):
    """What went to an outsider, when, through whom, and whether sources were named."""

    __tablename__ = "handovers"
    __kind__ = "handover"
    __label_column__ = "note"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    outsider_id: Mapped[int] = mapped_column(
        ForeignKey("outsiders.id", ondelete="RESTRICT"), index=True
    )
    handed_at: Mapped[datetime] = mapped_column(default=utcnow)
    through_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    sources_named: Mapped[bool] = mapped_column(Boolean, default=False)
    note: Mapped[str] = mapped_column(Text, default="")  # the mediator's own

    items: Mapped[list[HandoverItem]] = relationship(
        back_populates="handover",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="HandoverItem.id",
    )


class HandoverItem(Base):
    """One thing handed over: an option, a circulated draft of a text, a commitment, or a
    finding in the mediator's words (with what it rests on, for the rule)."""

    __tablename__ = "handover_items"
    __kind__ = "handover_item"
    __label_column__ = "finding"

    id: Mapped[int] = mapped_column(primary_key=True)
    handover_id: Mapped[int] = mapped_column(
        ForeignKey("handovers.id", ondelete="CASCADE"), index=True
    )
    option_id: Mapped[int | None] = mapped_column(ForeignKey("options.id", ondelete="CASCADE"))
    draft_id: Mapped[int | None] = mapped_column(ForeignKey("text_drafts.id", ondelete="CASCADE"))
    commitment_id: Mapped[int | None] = mapped_column(
        ForeignKey("commitments.id", ondelete="CASCADE")
    )
    finding: Mapped[str] = mapped_column(Text, default="")
    finding_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )
    finding_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL")
    )

    handover: Mapped[Handover] = relationship(back_populates="items")

    __table_args__ = (
        CheckConstraint(
            "(option_id IS NOT NULL) + (draft_id IS NOT NULL) + (commitment_id IS NOT NULL)"
            " + (length(finding) > 0) = 1",
            name="one_thing",
        ),
        Index("ix_handover_items_option", "option_id"),
        Index("ix_handover_items_commitment", "commitment_id"),
    )


class CaseLink(Timestamped, Base):
    """One case feeding (or related to) another: shown in both cases' overviews."""

    __tablename__ = "case_links"
    __kind__ = "case_link"
    __label_column__ = "note"

    id: Mapped[int] = mapped_column(primary_key=True)
    from_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    to_case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    kind: Mapped[CaseLinkKind] = mapped_column(
        enum_column(CaseLinkKind, "case_link_kind"), default=CaseLinkKind.FEEDS
    )
    note: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (
        UniqueConstraint("from_case_id", "to_case_id"),
        CheckConstraint("from_case_id != to_case_id", name="not_itself"),
    )
