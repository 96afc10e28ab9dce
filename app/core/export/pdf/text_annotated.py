"""The mediator's annotated copy of a draft (confidential): its circulation, what changed
since the draft it is compared with (clause by clause, with a word diff: deletions struck
through, insertions underlined), where each clause came from, the mediator's notes, each
party's reaction, and the reactions as a matrix of clauses × parties.

The reactions shown are those to this draft; the working draft, which no party has yet,
shows those to the circulated draft it is compared with (said so on the page).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, time
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.platypus import Flowable, Spacer
from sqlalchemy import select

from app.core.export.pdf.common import META, SMALL, Ctx, table, words
from app.core.export.pdf.furniture import MARGIN_X, MUTED
from app.core.export.pdf.text import Span, TextStyle, clip
from app.core.export.pdf.text_doc import (
    ADDED,
    CLAUSE,
    CLAUSE_HEADING,
    STRUCK,
    ClauseText,
    TextPlan,
    clause_flowable,
    draft_day,
    mark,
    number_width,
    title_part,
)
from app.core.models import CaseSession, Disclosure, Message, Reaction
from app.core.services import texts as text_service
from app.core.services.messages import summary_of
from app.core.services.text_critiques import CritiqueInfo, critique_matrix, critiques_of
from app.core.services.text_diff import ClauseDiff, DraftDiff, WordOp, compare_drafts
from app.core.services.text_wording import bracketed
from app.core.services.texts import ClauseInfo, DraftInfo

REACTION_COLOR = {
    Reaction.ACCEPTS: "#1a7f37",
    Reaction.ACCEPTS_WITH_CHANGES: "#0b5c8a",
    Reaction.REJECTS: "#a4161a",
    Reaction.RESERVES: "#9a6700",
}
CHANGE = SMALL.but(color="#30363d", space_after=2)
NOTE_COLOR = "#30363d"


@dataclass(frozen=True)
class _Reactions:
    """The reactions shown: to which draft, from which parties, by clause key."""

    draft: DraftInfo | None
    parties: tuple[tuple[int, str], ...]
    by_key: dict[int, dict[int, CritiqueInfo]]
    clause_ids: dict[int, int]  # key -> the clause's id in that draft
    clauses: tuple[ClauseInfo, ...]


def _reactions(ctx: Ctx, plan: TextPlan) -> _Reactions:
    source: DraftInfo | None = plan.draft
    if plan.draft.working:
        source = plan.against if plan.against is not None and not plan.against.working else None
    if source is None:
        return _Reactions(None, (), {}, {}, ())
    m = critique_matrix(ctx.vault, source.id)
    given = {r.party_id for r in source.recipients}
    parties = tuple((pid, name) for pid, name in m.parties if pid in given)
    by_key: dict[int, dict[int, CritiqueInfo]] = {}
    for c in m.clauses:
        for pid, _ in parties:
            cell = m.cell(c.id, pid)
            if cell is not None:
                by_key.setdefault(c.key, {})[pid] = cell
    return _Reactions(source, parties, by_key, {c.key: c.id for c in m.clauses}, m.clauses)


def annotated_copy(ctx: Ctx, plan: TextPlan) -> Iterator[Flowable]:
    ctx.begin()
    vault = ctx.vault
    clauses = text_service.clauses_of(vault, plan.draft.id)
    diff = compare_drafts(vault, plan.against.id, plan.draft.id) if plan.against else None
    reactions = _reactions(ctx, plan)
    yield from title_part(ctx, plan)
    yield from _header(ctx, plan, diff, reactions)
    yield ctx.heading("Clauses", 0, toc=False)
    if not clauses and not (diff and diff.entries):
        yield ctx.text("This draft has no clauses yet.", META)
    by_key = {c.key: c for c in clauses}
    numbers = [c.number for c in clauses]
    if diff is not None:
        numbers += [f"({e.old_number})" for e in diff.entries if e.removed and e.old_number]
    indent = number_width(ctx, numbers, CLAUSE_HEADING)
    entries: Sequence[ClauseDiff | ClauseInfo] = diff.entries if diff else clauses
    with vault.session() as s:
        for done, entry in enumerate(entries, 1):
            if isinstance(entry, ClauseDiff) and entry.removed:
                yield from _removed(ctx, plan, entry, indent)
                yield mark(done, keep=False)
                continue
            clause = by_key[entry.key]
            yield clause_flowable(ctx, clause, indent, keep=True)
            if isinstance(entry, ClauseDiff):
                yield from _change(ctx, plan, entry, indent)
            yield from _provenance(ctx, s, clause, indent)
            yield from _critiques(ctx, reactions, clause, indent)
            if not clause.heading:
                yield Spacer(1, 5)  # between one clause's notes and the next clause
            yield mark(done, keep=clause.heading)
    yield from _matrix(ctx, reactions)


# --- the head of the document -------------------------------------------------------------


def _header(
    ctx: Ctx, plan: TextPlan, diff: DraftDiff | None, reactions: _Reactions
) -> Iterator[Flowable]:
    d = plan.draft
    if d.working:
        yield ctx.field("Circulation", "none yet (this is the working draft)")
    elif not d.recipients:
        yield ctx.field("Circulation", f"frozen on {draft_day(d.circulated_at)}, given to no one")
    else:
        given = "; ".join(f"{r.party_name} ({draft_day(r.delivered_at)})" for r in d.recipients)
        yield ctx.field("Circulated to", given)
    if d.note:
        yield ctx.field("Note on this draft", ctx.free(d.note))
    if plan.text.purpose:
        yield ctx.field("Purpose of the text", ctx.free(plan.text.purpose))
    if plan.against is None or diff is None:
        yield ctx.field("Changes", "none to show: there is no earlier draft to compare with")
    else:
        yield ctx.field(f"Changes since {_name(plan.against)}", _counts(diff))
    if plan.against is not None and diff is not None and diff.changed:
        yield ctx.text(
            [
                Span("In the changed wording below: "),
                Span("struck through", color=STRUCK),
                Span(" was removed, "),
                Span("underlined", color=ADDED),
                Span(f" was added since {_name(plan.against)}."),
            ],
            _legend_style(),
        )
    if reactions.draft is None:
        yield ctx.field("Reactions", "none yet: no draft of this text was circulated before")
    elif reactions.draft.id != d.id:
        yield ctx.field(
            "Reactions", f"the working draft has none yet; shown: those to {_name(reactions.draft)}"
        )


def _legend_style() -> TextStyle:
    return META.but(space_before=2, space_after=4)


def _name(d: DraftInfo) -> str:
    if d.working:
        return f"working draft {d.number}"
    return f"draft {d.number} ({draft_day(d.circulated_at)})"


def _counts(diff: DraftDiff) -> str:
    if diff.identical:
        return "no change"
    parts = [
        (diff.added, "added"),
        (diff.removed, "removed"),
        (diff.moved, "moved"),
        (diff.changed, "changed"),
    ]
    return ", ".join(f"{n} clause{'s' if n != 1 else ''} {what}" for n, what in parts if n)


# --- one clause -----------------------------------------------------------------------------


def _below(indent: float, style: TextStyle = CHANGE) -> TextStyle:
    return style.but(indent=indent)


def _removed(ctx: Ctx, plan: TextPlan, e: ClauseDiff, indent: float) -> Iterator[Flowable]:
    assert e.old is not None
    heading = e.old.kind == "heading"
    style = (CLAUSE_HEADING if heading else CLAUSE).but(indent=indent, color=STRUCK)
    yield ClauseText(
        ctx.ts,
        [Span(ctx.free(e.old.text) or " ", color=STRUCK)],
        style,
        number=f"({e.old_number})" if e.old_number else "",
        number_style=style.but(bold=True, color=MUTED),
        keep_with_next=True,
    )
    against = _name(plan.against) if plan.against else "the earlier draft"
    yield ctx.text(
        Span(f"Removed: it was clause {e.old_number} of {against}.", bold=True, color=STRUCK),
        _below(indent),
    )


def _change(ctx: Ctx, plan: TextPlan, e: ClauseDiff, indent: float) -> Iterator[Flowable]:
    if e.added:
        yield ctx.text(Span("New in this draft.", bold=True, color=ADDED), _below(indent))
        return
    marks: list[str] = []
    # (A clause only renumbered because another came or went before it is not marked.)
    if e.moved:
        marks.append(f"Moved from {e.old_number}." if e.old_number else "Moved.")
    if e.changed and e.old is not None and e.new is not None and e.old.kind != e.new.kind:
        marks.append(f"Now a {e.new.kind}, was a {e.old.kind}.")
    if marks:
        yield ctx.text(Span(" ".join(marks), bold=True, color=NOTE_COLOR), _below(indent))
    if e.changed and any(w.op != "equal" for w in e.words):
        against = f"draft {plan.against.number}" if plan.against else "the earlier draft"
        if e.old_number and e.old_number != e.new_number and not e.moved:
            against += f" (clause {e.old_number} there)"
        # The wording on a line of its own: its direction is its own (a right-to-left clause).
        lead = Span(f"Changed since {against}:\n", bold=True, color=NOTE_COLOR)
        yield ClauseText(ctx.ts, [lead, *_word_spans(ctx, e.words)], _below(indent))


def _word_spans(ctx: Ctx, ops: Sequence[WordOp]) -> list[Span]:
    out: list[Span] = []
    for k, w in enumerate(ops):
        text = ctx.free(w.text)
        if w.op == "delete":
            out.append(Span(text, color=STRUCK))
        elif w.op == "insert":
            if k and ops[k - 1].op == "delete":
                out.append(Span(" "))  # a replacement: the old words, a space, the new
            out.append(Span(text, color=ADDED))
        else:
            out.append(Span(text))
    return out


def _provenance(ctx: Ctx, s: Any, clause: ClauseInfo, indent: float) -> Iterator[Flowable]:
    style = _below(indent, SMALL.but(color=MUTED, space_after=1.5))
    lines: list[list[Span]] = []
    if clause.option_titles:
        titles = ", ".join(f"“{ctx.free(t)}”" for t in clause.option_titles)
        lines.append(
            _labelled("Carries the option" + ("s" if len(clause.option_titles) > 1 else ""), titles)
        )
    if clause.source_message_id is not None:
        lines.append(_labelled("From", _message(ctx, s, clause.source_message_id)))
    if clause.source_session_id is not None:
        lines.append(_labelled("From the session", _session(ctx, s, clause.source_session_id)))
    if clause.proposed_by_party_id or clause.proposed_by_person_id:
        who = ctx.who(clause.proposed_by_party_id, clause.proposed_by_person_id)
        lines.append(_labelled("Proposed by", who))
    for a in clause.alternatives:
        if a.source_message_id is None:
            continue
        whose = f" ({a.party_name})" if a.party_name else ""
        lines.append(
            _labelled(
                f"Bracket “{clip(ctx.free(a.wording), 60)}”{whose} from",
                _message(ctx, s, a.source_message_id),
            )
        )
    for spans in lines:
        yield ctx.text(spans, style)
    if clause.note:
        yield ctx.text(
            [Span("Note: ", bold=True), Span(ctx.free(clause.note), italic=True)],
            _below(indent, SMALL.but(color=NOTE_COLOR, space_before=1, space_after=2)),
        )


def _labelled(label: str, value: str) -> list[Span]:
    return [Span(f"{label}: ", bold=True), Span(value)]


def _message(ctx: Ctx, s: Any, message_id: int) -> str:
    row = s.execute(
        select(
            Message.said_at,
            Message.disclosure,
            Message.summary,
            Message.content,
            Message.sender_party_id,
            Message.sender_person_id,
        ).where(Message.id == message_id)
    ).one_or_none()
    if row is None:
        return f"message #{message_id} (deleted)"
    who = ctx.who(row.sender_party_id, row.sender_person_id)
    level = words(Disclosure(row.disclosure))
    summary = ctx.free(summary_of(row.summary, row.content))
    return f"the {level} message of {draft_day(row.said_at)} by {who}: “{summary}”"


def _session(ctx: Ctx, s: Any, session_id: int) -> str:
    row = s.execute(
        select(CaseSession.title, CaseSession.starts_at).where(CaseSession.id == session_id)
    ).one_or_none()
    if row is None:
        return f"session #{session_id} (deleted)"
    when = f" ({draft_day(row.starts_at)})" if row.starts_at else ""
    return f"“{ctx.free(row.title)}”{when}"


def _critiques(
    ctx: Ctx, reactions: _Reactions, clause: ClauseInfo, indent: float
) -> Iterator[Flowable]:
    cells = reactions.by_key.get(clause.key, {})
    if not cells:
        return
    style = _below(indent, SMALL.but(space_before=1, space_after=1))
    detail = _below(indent + 12, SMALL.but(color=NOTE_COLOR, space_after=1))
    clause_id = reactions.clause_ids.get(clause.key)
    history = critiques_of(ctx.vault, clause_id) if clause_id is not None else []
    for pid, party in reactions.parties:
        cr = cells.get(pid)
        if cr is None:
            continue
        yield ctx.text(
            [
                Span(f"{party}: ", bold=True),
                Span(words(cr.reaction), bold=True, color=REACTION_COLOR[Reaction(cr.reaction)]),
                Span(f"  {draft_day(_at(cr))}", color=MUTED),
                *_earlier([c for c in history if c.party_id == pid and c.id != cr.id]),
            ],
            style,
            keep=bool(cr.proposed_wording or cr.note),
        )
        if cr.proposed_wording:
            yield ctx.text(
                [Span("Proposes: ", bold=True), Span(f"“{ctx.free(cr.proposed_wording)}”")], detail
            )
        if cr.note:
            yield ctx.text(ctx.free(cr.note), detail.but(italic=True))


def _at(cr: CritiqueInfo) -> datetime:
    """A critique's day (a calendar day, no time) as draft_day takes it."""
    return datetime.combine(cr.recorded_on, time(12)).astimezone()


def _earlier(before: Sequence[CritiqueInfo]) -> list[Span]:
    """A party's earlier reactions to the clause, oldest first."""
    if not before:
        return []
    past = ", ".join(f"{words(c.reaction)} ({draft_day(_at(c))})" for c in before)
    return [Span(f"  · earlier: {past}", color=MUTED)]


# --- the matrix -----------------------------------------------------------------------------


def _matrix(ctx: Ctx, reactions: _Reactions) -> Iterator[Flowable]:
    if reactions.draft is None or not reactions.parties:
        return
    yield ctx.heading(f"Reactions to {_name(reactions.draft)}", 0, toc=False)
    if not reactions.by_key:
        yield ctx.text("No party's reaction is recorded yet.", META)
        return
    avail = A4[0] - 2 * MARGIN_X
    n = len(reactions.parties)
    party_w = max(min(95.0, (avail - 190) / n), min(55.0, (avail - 120) / n))
    widths = [avail - party_w * n, *([party_w] * n)]
    rows = []
    for c in reactions.clauses:
        cells = reactions.by_key.get(c.key, {})
        label = [
            Span(f"{c.number}  ", bold=True),
            Span(clip(ctx.free(bracketed(c.wording, c.alternatives)), 90), bold=c.heading),
        ]
        rows.append(
            [label]
            + [
                [Span(words(cr.reaction), color=REACTION_COLOR[Reaction(cr.reaction)], bold=True)]
                if (cr := cells.get(pid))
                else [Span("—", color=MUTED)]
                for pid, _ in reactions.parties
            ]
        )
    yield from table(ctx.ts, ["Clause", *[p for _, p in reactions.parties]], rows, widths)
    yield ctx.text(
        "Each cell is the party's latest reaction; earlier ones are listed under the clause.",
        META.but(space_before=4),
    )


__all__ = ["annotated_copy"]
