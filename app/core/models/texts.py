"""Texts of a case (joint memoranda, working papers, single negotiating texts, communiqués):
numbered drafts made of clauses, bracketed alternative wordings, and each party's critique.

A text has one *working* draft (``circulated_at`` NULL), which the mediator edits; circulating
it freezes it as draft N (nothing of it may change from then on: app.core.models.frozen) and
starts draft N+1 as a copy. A clause keeps its ``key`` from draft to draft, which is how two
drafts are compared (added, removed, moved, changed). Brackets are structured: a clause's
wording holds a marker ``{1}``, ``{2}``, … for each bracketed place, and its alternatives name
the slot they fill, the party that proposed them and where the wording came from.
"""

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

from app.core.models.base import SHORT, Base, Timestamped, enum_column, utcnow
from app.core.models.enums import ClauseKind, Reaction, TextKind
from app.core.models.options import Option

# The options a clause carries (an option "adopted" in a text shows where).
clause_options = Table(
    "clause_options",
    Base.metadata,
    Column("clause_id", ForeignKey("clauses.id", ondelete="CASCADE"), primary_key=True),
    Column("option_id", ForeignKey("options.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_clause_options_option", "option_id"),
)


class CaseText(Timestamped, Base):
    """A text of a case. (Named so as not to clash with SQLAlchemy's ``Text`` type.)"""

    __tablename__ = "texts"
    __kind__ = "text"
    __label_column__ = "title"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(SHORT))
    kind: Mapped[TextKind] = mapped_column(
        enum_column(TextKind, "text_kind"), default=TextKind.WORKING_PAPER
    )
    purpose: Mapped[str] = mapped_column(Text, default="")  # the mediator's own notes

    drafts: Mapped[list[Draft]] = relationship(
        back_populates="text",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Draft.number",
    )

    __table_args__ = (CheckConstraint("length(title) > 0", name="title_not_empty"),)


class Draft(Timestamped, Base):
    """Draft ``number`` of a text: the working draft while ``circulated_at`` is NULL, frozen
    from the moment it is circulated."""

    __tablename__ = "text_drafts"
    __kind__ = "draft"
    __label_column__ = "note"

    id: Mapped[int] = mapped_column(primary_key=True)
    text_id: Mapped[int] = mapped_column(ForeignKey("texts.id", ondelete="CASCADE"))
    number: Mapped[int]
    circulated_at: Mapped[datetime | None]
    note: Mapped[str] = mapped_column(Text, default="")  # the mediator's: what changed, and why

    text: Mapped[CaseText] = relationship(back_populates="drafts")
    clauses: Mapped[list[Clause]] = relationship(
        back_populates="draft",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="Clause.position",
    )

    __table_args__ = (
        UniqueConstraint("text_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
    )


class Clause(Timestamped, Base):
    """One numbered heading or paragraph of a draft, with where its wording came from."""

    __tablename__ = "clauses"
    __kind__ = "clause"
    __label_column__ = "wording"

    id: Mapped[int] = mapped_column(primary_key=True)
    draft_id: Mapped[int] = mapped_column(ForeignKey("text_drafts.id", ondelete="CASCADE"))
    key: Mapped[int]  # the same clause in every draft of the text
    position: Mapped[int]
    kind: Mapped[ClauseKind] = mapped_column(
        enum_column(ClauseKind, "clause_kind"), default=ClauseKind.PARAGRAPH
    )
    wording: Mapped[str] = mapped_column(Text, default="")
    source_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )
    source_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL")
    )
    proposed_by_party_id: Mapped[int | None] = mapped_column(
        ForeignKey("parties.id", ondelete="SET NULL")
    )
    proposed_by_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("people.id", ondelete="SET NULL")
    )
    note: Mapped[str] = mapped_column(Text, default="")  # the mediator's own

    draft: Mapped[Draft] = relationship(back_populates="clauses")
    alternatives: Mapped[list[Alternative]] = relationship(
        back_populates="clause",
        cascade="all, delete-orphan",
        passive_deletes=True,
        order_by="(Alternative.slot, Alternative.position)",
    )
    options: Mapped[list[Option]] = relationship(secondary=clause_options)

    __table_args__ = (
        UniqueConstraint("draft_id", "key"),
        Index("ix_clauses_draft_position", "draft_id", "position"),
        Index("ix_clauses_source_message", "source_message_id"),
    )


class Alternative(Base):
    """One bracketed wording of a clause: it fills slot ``slot`` (the marker ``{slot}`` in
    the clause's wording), proposed by ``party_id`` (None: the mediator's own)."""

    __tablename__ = "clause_alternatives"
    __kind__ = "alternative"
    __label_column__ = "wording"

    id: Mapped[int] = mapped_column(primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id", ondelete="CASCADE"))
    slot: Mapped[int] = mapped_column(default=1)
    position: Mapped[int] = mapped_column(default=0)
    party_id: Mapped[int | None] = mapped_column(ForeignKey("parties.id", ondelete="SET NULL"))
    wording: Mapped[str] = mapped_column(Text, default="")
    source_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )

    clause: Mapped[Clause] = relationship(back_populates="alternatives")

    __table_args__ = (
        Index("ix_clause_alternatives_clause", "clause_id", "slot", "position"),
        CheckConstraint("slot > 0", name="slot_positive"),
    )


class Critique(Base):
    """A party's reaction to a clause of a circulated draft, dated; the latest is current."""

    __tablename__ = "critiques"
    __kind__ = "critique"
    __label_column__ = "note"

    id: Mapped[int] = mapped_column(primary_key=True)
    clause_id: Mapped[int] = mapped_column(ForeignKey("clauses.id", ondelete="CASCADE"))
    party_id: Mapped[int] = mapped_column(ForeignKey("parties.id", ondelete="CASCADE"))
    reaction: Mapped[Reaction] = mapped_column(enum_column(Reaction, "reaction"))
    proposed_wording: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_on: Mapped[date] = mapped_column(default=lambda: utcnow().date())
    source_message_id: Mapped[int | None] = mapped_column(
        ForeignKey("messages.id", ondelete="SET NULL")
    )
    source_session_id: Mapped[int | None] = mapped_column(
        ForeignKey("sessions.id", ondelete="SET NULL")
    )

    __table_args__ = (Index("ix_critiques_clause_party", "clause_id", "party_id", "recorded_on"),)


def clause_numbers(kinds: list[ClauseKind] | list[str]) -> list[str]:
    """The numbers of a draft's clauses in order: headings 1, 2, …; a heading's paragraphs
    1.1, 1.2, …; paragraphs before the first heading count on with the headings (1, 2, and
    the first heading is then 3)."""
    out: list[str] = []
    top = 0
    sub = 0
    under_heading = False
    for kind in kinds:
        if ClauseKind(kind) is ClauseKind.HEADING:
            top += 1
            sub = 0
            under_heading = True
            out.append(str(top))
        elif under_heading:
            sub += 1
            out.append(f"{top}.{sub}")
        else:
            top += 1
            out.append(str(top))
    return out
