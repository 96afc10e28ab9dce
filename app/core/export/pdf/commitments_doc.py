"""Commitments in documents: each party's record (how it kept its word) and the register
(who promised what to whom, under which condition, by when, and where it stands), grouped
by status, overdue first — the commitments register document, the dossier's part and the
session brief's list of what falls due before the session.

Everything comes from :func:`app.core.services.commitments.register` with the audience's
view: a party's copy holds only the commitments it may see, without the maker where it may
see only the substance, and never the mediator's note, where a commitment was said, or who
verified an outcome and how. Only "me" reads those.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from reportlab.platypus import Flowable
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.disclosure.audience import FULL
from app.core.export.pdf.common import (
    DISCLOSURE_COLOR,
    H3,
    META,
    Ctx,
    day,
    snippet,
    table,
    title_block,
    words,
)
from app.core.export.pdf.furniture import ACCENT, CONFIDENTIAL_RED, MUTED, Mark
from app.core.export.pdf.text import Span
from app.core.models import (
    CaseSession,
    CaseText,
    Clause,
    Commitment,
    CommitmentStatus,
    Disclosure,
    Draft,
    Message,
    Verification,
    utcnow,
)
from app.core.services.commitments import (
    CommitmentRow,
    PartyRecord,
    due_before,
    records_of,
    register,
)
from app.core.services.texts import read_clauses

# The page's width between the margins (A4 portrait).
WIDTH = 493.0

STATUS_COLOR = {
    CommitmentStatus.PENDING: ACCENT,
    CommitmentStatus.KEPT: "#1a7f37",
    CommitmentStatus.KEPT_LATE: "#9a6700",
    CommitmentStatus.PARTLY_KEPT: "#9a6700",
    CommitmentStatus.BROKEN: CONFIDENTIAL_RED,
    CommitmentStatus.WITHDRAWN: MUTED,
}
HOW_WORDS = {
    Verification.MESSAGE: "a message",
    Verification.NOTE: "own observation",
    Verification.OUTSIDE: "an outside source",
}


@dataclass(frozen=True)
class Group:
    title: str
    rows: tuple[CommitmentRow, ...]


def status_words(status: CommitmentStatus) -> str:
    return "kept on time" if status is CommitmentStatus.KEPT else words(status)


def groups(rows: Sequence[CommitmentRow]) -> list[Group]:
    """The register by status, overdue first, then pending, then each outcome; each group
    in the register's order (by due date)."""
    pending = CommitmentStatus.PENDING
    out = [
        Group("Overdue", tuple(r for r in rows if r.status is pending and r.overdue)),
        Group("Pending", tuple(r for r in rows if r.status is pending and not r.overdue)),
    ]
    for status in CommitmentStatus:
        if status is not pending:
            title = status_words(status).capitalize()
            out.append(Group(title, tuple(r for r in rows if r.status is status)))
    return [g for g in out if g.rows]


def rows_for(ctx: Ctx, today: date | None = None) -> list[CommitmentRow]:
    """The register as this audience sees it; for a party, what it does not see is counted
    for the mediator."""
    assert ctx.case_id is not None
    rows = register(ctx.vault, ctx.case_id, today=today, view=ctx.view)
    if not ctx.me:
        with ctx.vault.session() as s:
            total = s.scalar(
                select(func.count())
                .select_from(Commitment)
                .where(Commitment.case_id == ctx.case_id)
            )
        ctx.withhold(int(total or 0) - len(rows))
    return rows


# --- parts ---------------------------------------------------------------------------------

_RECORD_HEAD = [
    "Party and record",
    "Made",
    "Kept\non time",
    "Kept\nlate",
    "Partly\nkept",
    "Broken",
    "With-\ndrawn",
    "Over-\ndue",
    "Pend-\ning",
]


def record_table(ctx: Ctx, recs: Sequence[PartyRecord]) -> Iterator[Flowable]:
    """How each party kept its word: the counts, and the record in words under its name."""
    if not recs:
        yield ctx.text("No party's commitments to show.", META)
        return
    number_w = 42.0
    widths = [WIDTH - 8 * number_w, *([number_w] * 8)]
    yield from table(
        ctx.ts,
        _RECORD_HEAD,
        (
            [
                [Span(ctx.free(p.party_name), bold=True), Span(f"\n{p.words}", color=MUTED)],
                *(
                    str(n) if n else "–"
                    for n in (
                        p.made,
                        p.kept,
                        p.kept_late,
                        p.partly_kept,
                        p.broken,
                        p.withdrawn,
                        p.overdue,
                        p.pending,
                    )
                ),
            ]
            for p in recs
        ),
        widths,
    )


@dataclass(frozen=True)
class _Sources:
    """For the mediator: what each commitment's "where it was said" and each outcome's
    evidence point at."""

    messages: dict[int, tuple[datetime, str]]
    sessions: dict[int, str]
    clauses: dict[int, str]


def _sources(s: Session, rows: Sequence[CommitmentRow]) -> _Sources:
    mids = {r.source_message_id for r in rows if r.source_message_id is not None}
    mids |= {o.evidence_message_id for r in rows for o in r.outcomes if o.evidence_message_id}
    sids = {r.source_session_id for r in rows if r.source_session_id is not None}
    cids = {r.source_clause_id for r in rows if r.source_clause_id is not None}
    messages = (
        {
            mid: (at, summary)
            for mid, at, summary in s.execute(
                select(Message.id, Message.said_at, Message.summary).where(
                    Message.id.in_(sorted(m for m in mids if m is not None))
                )
            )
        }
        if mids
        else {}
    )
    sessions = (
        dict(
            s.execute(
                select(CaseSession.id, CaseSession.title).where(CaseSession.id.in_(sorted(sids)))
            ).all()
        )
        if sids
        else {}
    )
    clauses: dict[int, str] = {}
    if cids:
        found = s.execute(
            select(Clause.id, Clause.draft_id, Draft.number, CaseText.title)
            .join(Draft, Draft.id == Clause.draft_id)
            .join(CaseText, CaseText.id == Draft.text_id)
            .where(Clause.id.in_(sorted(cids)))
        ).all()
        numbers: dict[int, str] = {}
        for draft_id in {f.draft_id for f in found}:
            numbers.update({c.id: c.number for c in read_clauses(s, draft_id)})
        for f in found:
            clauses[f.id] = f"clause {numbers.get(f.id, '?')} of draft {f.number} of “{f.title}”"
    return _Sources(messages, sessions, clauses)


def who_cell(ctx: Ctx, r: CommitmentRow) -> list[Span]:
    """Who promised it to whom, as far as the audience may know."""
    if r.sight is not FULL:
        return [Span("Maker not named", color=MUTED)]
    maker = ctx.who(r.party_id, r.person_id) if ctx.me else r.party_name
    if not ctx.me and r.person_name:
        maker = f"{r.person_name} ({r.party_name})"
    to = r.to_party_name or "all sides"
    return [Span(maker or "—", bold=True), Span(f"\nto {to}", color=MUTED)]


def status_cell(r: CommitmentRow) -> list[Span]:
    if r.status is CommitmentStatus.PENDING and r.overdue:
        return [Span("overdue", bold=True, color=CONFIDENTIAL_RED)]
    out = [Span(status_words(r.status), bold=True, color=STATUS_COLOR[r.status])]
    if r.status_on is not None:
        out.append(Span(f"\n{day(r.status_on)}", color=MUTED))
    elif r.due_soon:
        out.append(Span("\ndue soon", color=MUTED))
    return out


def what_cell(ctx: Ctx, r: CommitmentRow, src: _Sources | None) -> list[Span]:
    """What was promised, under which condition; for "me" also its level, where it was
    said, its course (who verified each outcome, and how) and the note."""
    free = ctx.free if ctx.me else (lambda v: v)  # a party's rows come as it reads them
    out = [Span(free(r.what))]
    if r.condition or r.condition_what:
        cond = free(r.condition) if r.condition else ""
        if r.condition_what:
            first = f"“{free(r.condition_what)}” kept first"
            cond = f"{cond} ({first})" if cond else first
        out += [Span("\nCondition: ", bold=True), Span(cond)]
    out.append(Span(f"\nMade {day(r.made_at)}", color=MUTED))
    if not ctx.me or src is None:
        return out
    level = Disclosure(r.disclosure)
    out.append(Span(" · ", color=MUTED))
    out.append(Span(words(level), bold=True, color=DISCLOSURE_COLOR[level]))
    if level is Disclosure.EMBARGOED and r.embargo_until is not None:
        out.append(Span(f" until {day(r.embargo_until)}", color=DISCLOSURE_COLOR[level]))
    where = []
    if r.source_message_id is not None and r.source_message_id in src.messages:
        at, summary = src.messages[r.source_message_id]
        where.append(f"the message of {day(at)} “{snippet(ctx.free(summary), 80)}”")
    if r.source_session_id is not None and r.source_session_id in src.sessions:
        where.append(f"the session “{ctx.free(src.sessions[r.source_session_id])}”")
    if r.source_clause_id is not None and r.source_clause_id in src.clauses:
        where.append(ctx.free(src.clauses[r.source_clause_id]))
    if where:
        out += [Span("\nSaid in: ", bold=True), Span("; ".join(where))]
    for o in r.outcomes:
        how = HOW_WORDS.get(o.how, "") if o.how is not None else ""
        line = f"{day(o.on)} {status_words(o.status)}"
        if o.verified_by:
            line += f" — verified by {ctx.free(o.verified_by)}" + (f" ({how})" if how else "")
        elif how:
            line += f" ({how})"
        if o.evidence_message_id is not None and o.evidence_message_id in src.messages:
            at, summary = src.messages[o.evidence_message_id]
            line += f": “{snippet(ctx.free(summary), 60)}” ({day(at)})"
        if o.note:
            line += f". {ctx.free(o.note)}"
        out += [Span("\nCourse: ", bold=True, color=MUTED), Span(line, color=MUTED)]
    if r.note:
        out += [Span("\nNote: ", bold=True, color=MUTED), Span(ctx.free(r.note), color=MUTED)]
    return out


def register_table(
    ctx: Ctx, rows: Sequence[CommitmentRow], src: _Sources | None
) -> Iterator[Flowable]:
    due_w, who_w, status_w = 56.0, 112.0, 70.0
    yield from table(
        ctx.ts,
        ["Due", "Promised by, to", "What", "Status"],
        (
            [
                day(r.due_on) if r.due_on else "no date",
                who_cell(ctx, r),
                what_cell(ctx, r, src),
                status_cell(r),
            ]
            for r in rows
        ),
        [due_w, who_w, WIDTH - due_w - who_w - status_w, status_w],
    )


def commitments_part(
    ctx: Ctx, *, headings: int | None = None, today: date | None = None
) -> Iterator[Flowable]:
    """The record table and the register by status. ``headings``: the outline level of the
    part's own headings (the register document), or None for plain subheadings (the
    dossier, whose contents list only its sections)."""
    rows = rows_for(ctx, today)
    if not rows:
        yield ctx.text("No commitments recorded.", META)
        return

    def sub(title: str, level: int) -> Flowable:
        if headings is None:
            return ctx.text(title, H3, keep=True)
        return ctx.heading(title, headings + level, toc=False)

    yield sub("How each party kept its word", 0)
    yield from record_table(ctx, records_of(rows))
    if ctx.me:
        with ctx.vault.session() as s:
            src: _Sources | None = _sources(s, rows)
    else:
        src = None
    done = 0
    if headings is not None:
        yield sub("Register", 0)
    for g in groups(rows):
        yield sub(f"{g.title} ({len(g.rows)})", 1)
        yield from register_table(ctx, g.rows, src)
        done += len(g.rows)
        if headings is not None:  # the register's own progress (the dossier's is the log's)
            yield Mark(done)


def commitments_register(ctx: Ctx, *, today: date | None = None) -> Iterator[Flowable]:
    """The commitments register document."""
    ctx.begin()
    on = today or utcnow().date()
    yield from title_block(
        ctx,
        f"Commitments — {ctx.case_row.title}",
        f"Commitments register as of {day(on)} · {ctx.view.label}",
    )
    yield from commitments_part(ctx, headings=0, today=today)


def due_before_part(ctx: Ctx, session_day: date) -> Iterator[Flowable]:
    """Pending commitments due on or before a session's day (a session brief)."""
    assert ctx.case_id is not None
    rows = due_before(ctx.vault, ctx.case_id, session_day, view=ctx.view)
    if not ctx.me:  # for the mediator's count of what a party's copy leaves out
        shown = {r.id for r in rows}
        ctx.withhold(
            sum(1 for r in due_before(ctx.vault, ctx.case_id, session_day) if r.id not in shown)
        )
    if not rows:
        yield ctx.text("None.", META)
        return
    due_w, who_w = 56.0, 130.0
    yield from table(
        ctx.ts,
        ["Due", "Promised by, to", "What"],
        ([day(r.due_on), who_cell(ctx, r), what_cell(ctx, r, None)] for r in rows),
        [due_w, who_w, WIDTH - due_w - who_w],
    )


__all__ = [
    "commitments_part",
    "commitments_register",
    "due_before_part",
    "groups",
    "record_table",
    "rows_for",
    "status_words",
    "who_cell",
]
