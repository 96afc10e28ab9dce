"""The shuttle log: rounds, messages, deliveries and audited releases."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.core.models.base import MEDIUM, SHORT, Base, Timestamped, enum_column, utcnow
from app.core.models.enums import Disclosure


class Round(Timestamped, Base):
    """A shuttle trip: the exchanges of one journey between the parties."""

    __tablename__ = "rounds"
    __kind__ = "round"
    __label_column__ = "title"
    # A case's rounds by number (the newest first in a message's round field).
    __table_args__ = (Index("ix_rounds_case_number", "case_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    number: Mapped[int]
    title: Mapped[str] = mapped_column(String(SHORT), default="")
    started_on: Mapped[date | None]
    ended_on: Mapped[date | None]
    notes: Mapped[str] = mapped_column(Text, default="")


class Message(Timestamped, Base):
    """What a sender said for a recipient, and how far it may travel."""

    __tablename__ = "messages"
    __kind__ = "message"
    __label_column__ = "summary"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
    sender_party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    sender_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    recipient_party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id"))
    recipient_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    said_at: Mapped[datetime] = mapped_column(default=utcnow)
    disclosure: Mapped[Disclosure] = mapped_column(
        enum_column(Disclosure, "disclosure"), default=Disclosure.CONFIDENTIAL
    )
    embargo_until: Mapped[datetime | None]
    in_reply_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )
    # Long text last, after the timestamps too (sort_order), as in the table since 0005:
    # what comes after a long value may be in overflow pages, each one a decryption.
    summary: Mapped[str] = mapped_column(Text, default="", sort_order=1)  # the mediator's summary
    place: Mapped[str] = mapped_column(String(MEDIUM), default="", sort_order=1)
    content: Mapped[str] = mapped_column(Text, default="", sort_order=1)  # verbatim

    in_reply_to: Mapped[Message | None] = relationship(remote_side=[id])

    __table_args__ = (
        CheckConstraint(
            "sender_party_id IS NOT NULL OR sender_person_id IS NOT NULL", name="has_sender"
        ),
        CheckConstraint(
            "(disclosure = 'embargoed') = (embargo_until IS NOT NULL)", name="embargo_date"
        ),
        # The shuttle log of a case, newest first, is the hottest list in the app.
        Index("ix_messages_case_said_at", "case_id", "said_at"),
        Index("ix_messages_recipient", "recipient_party_id", "said_at"),
        Index("ix_messages_sender", "sender_party_id", "said_at"),
        Index("ix_messages_reply", "in_reply_to_id"),
        Index("ix_messages_round", "round_id"),
    )


class Delivery(Timestamped, Base):
    """What the mediator actually conveyed to a recipient, and from which source messages."""

    __tablename__ = "deliveries"
    __kind__ = "delivery"
    __label_column__ = "content"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"))
    round_id: Mapped[int | None] = mapped_column(ForeignKey("rounds.id", ondelete="SET NULL"))
    recipient_party_id: Mapped[int] = mapped_column(ForeignKey("parties.id"))
    recipient_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    delivered_at: Mapped[datetime] = mapped_column(default=utcnow)
    place: Mapped[str] = mapped_column(String(MEDIUM), default="")
    content: Mapped[str] = mapped_column(Text, default="")  # what was said, in the mediator's words
    notes: Mapped[str] = mapped_column(Text, default="")
    # A circulated draft of a text, when this delivery conveyed one (last, as in the table
    # since 0008: a column added later).
    draft_id: Mapped[int | None] = mapped_column(
        ForeignKey("text_drafts.id"), index=True, sort_order=2
    )

    items: Mapped[list[DeliveryItem]] = relationship(
        back_populates="delivery", cascade="all, delete-orphan", passive_deletes=True
    )

    __table_args__ = (
        Index("ix_deliveries_case_at", "case_id", "delivered_at"),
        Index("ix_deliveries_recipient", "recipient_party_id", "delivered_at"),
    )


class DeliveryItem(Base):
    """One source message conveyed by a delivery; ``attributed``: was its source named?"""

    __tablename__ = "delivery_items"
    __kind__ = "delivery_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    delivery_id: Mapped[int] = mapped_column(ForeignKey("deliveries.id", ondelete="CASCADE"))
    message_id: Mapped[int] = mapped_column(ForeignKey("messages.id"))
    attributed: Mapped[bool] = mapped_column(Boolean, default=False)

    delivery: Mapped[Delivery] = relationship(back_populates="items")

    __table_args__ = (
        Index("uq_delivery_items_pair", "delivery_id", "message_id", unique=True),
        Index("ix_delivery_items_message", "message_id"),
    )


class Release(Timestamped, Base):
    """An explicit, audited decision to let a source travel further than its level allows."""

    __tablename__ = "releases"
    __kind__ = "release"
    __label_column__ = "reason"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(
        ForeignKey("messages.id", ondelete="CASCADE"), index=True
    )
    # The party it is released to; NULL releases it to every party.
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"))
    released_by: Mapped[str] = mapped_column(String(SHORT))
    released_at: Mapped[datetime] = mapped_column(default=utcnow)
    reason: Mapped[str] = mapped_column(Text)
    # May the source be named once released?
    attribution_allowed: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (CheckConstraint("length(reason) > 0", name="reason_given"),)
