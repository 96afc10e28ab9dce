"""A text of a case as a PDF: which draft, for whom, compared with what (:func:`plan_text`),
and the clean copy for circulation (:func:`clean_copy`): numbered clauses, bracketed
alternatives, the draft's number and date and a "for discussion" marking, nothing else —
no provenance, no critique, no notes. The mediator's annotated copy is in
:mod:`text_annotated`.

A party's copy is always the clean copy of a draft the party was given, and only if every
clause may reach it under today's rules: a clause that may not is never left out silently
(a clean draft missing a clause would mislead); the export is refused with that clause's
sentence instead. Nothing is ever withheld here, so ``ctx.withheld`` stays 0.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle

from app.core.disclosure.audience import NONE, AudienceView
from app.core.disclosure.drafts import clause_facts, problems_in
from app.core.disclosure.rule import format_day
from app.core.errors import NotFound, ValidationError
from app.core.export.pdf.common import BODY, SUBTITLE, TITLE, Ctx, words
from app.core.export.pdf.furniture import ACCENT, CONFIDENTIAL_RED, MUTED, Mark
from app.core.export.pdf.text import Span, Text, TextStyle
from app.core.services import texts as text_service
from app.core.services.text_wording import AlternativeInfo, segments
from app.core.services.texts import ClauseInfo, DraftInfo, TextInfo
from app.core.vault import Vault

# Spans in these colours are drawn struck through (a deletion) or underlined (an insertion).
STRUCK = "#b3261e"
ADDED = "#0f6b3a"
BRACKET = ACCENT

CLAUSE = BODY.but(size=10, space_after=6)
CLAUSE_HEADING = BODY.but(size=11, bold=True, space_before=10, space_after=5)
MARKING = TextStyle(size=10, bold=True, color=CONFIDENTIAL_RED, align="center")
_TEXT_KIND_WORDS = {"communique": "Communiqué"}


def text_kind_words(kind: Any) -> str:
    """A text's kind in words: ``joint_memorandum`` -> ``Joint memorandum``."""
    value = words(kind)
    return _TEXT_KIND_WORDS.get(value, value.capitalize())


def draft_day(value: datetime | None) -> str:
    """A stored (UTC) time as the local day, the way lists name drafts: ``12 Mar 2026``."""
    return format_day((value or datetime.now().astimezone()).astimezone())


# --- which draft, for whom ----------------------------------------------------------------


@dataclass(frozen=True)
class TextPlan:
    """What one export of a text prints: the draft, what it is compared with, and how."""

    text: TextInfo
    draft: DraftInfo
    against: DraftInfo | None  # the annotated copy's comparison (None: nothing before)
    clean: bool
    party_name: str  # "me" or the party's name

    @property
    def draft_label(self) -> str:
        if self.draft.working:
            return f"Working draft {self.draft.number} — not yet circulated"
        return f"Draft {self.draft.number}"

    @property
    def audience_label(self) -> str:
        if self.party_name == "me":
            return "For discussion" if self.clean else "For: me"
        return f"For: {self.party_name}"


def plan_text(
    vault: Vault,
    view: AudienceView,
    case_id: int,
    text_id: int | None,
    draft_number: int | None,
    against_number: int | None,
    clean: bool | None,
) -> TextPlan:
    """Check the arguments of a text's export and choose its draft; raises ``NotFound`` or
    ``ValidationError`` with one sentence for the person who asked."""
    if text_id is None:
        raise ValidationError("Choose the text to export.")
    info = next((t for t in text_service.texts_of_case(vault, case_id) if t.id == text_id), None)
    if info is None:
        raise NotFound(f"There is no text #{text_id} in this case.")
    drafts = text_service.drafts_of(vault, text_id)
    by_number = {d.number: d for d in drafts}
    if draft_number is not None and draft_number not in by_number:
        raise NotFound(f"“{info.title}” has no draft {draft_number}.")
    if not view.is_me:
        return _party_plan(vault, view, info, drafts, draft_number, against_number, clean)
    draft = by_number[draft_number] if draft_number is not None else drafts[-1]
    against = None
    if clean and against_number is not None:
        raise ValidationError(
            "A clean copy shows no comparison; leave out the draft to compare with, or ask "
            "for the annotated copy."
        )
    if against_number is not None:
        if against_number not in by_number:
            raise NotFound(f"“{info.title}” has no draft {against_number} to compare with.")
        if against_number == draft.number:
            raise ValidationError(
                f"Draft {draft.number} cannot be compared with itself; choose another draft."
            )
        against = by_number[against_number]
    elif not clean:
        against = by_number.get(draft.number - 1)
    return TextPlan(info, draft, against, bool(clean), "me")


def _party_plan(
    vault: Vault,
    view: AudienceView,
    info: TextInfo,
    drafts: Sequence[DraftInfo],
    draft_number: int | None,
    against_number: int | None,
    clean: bool | None,
) -> TextPlan:
    """A party's copy: the clean copy of a draft it was given, every clause of which it may
    see today."""
    if against_number is not None:
        raise ValidationError(
            "A comparison of drafts is the mediator's own; a party's copy is always the "
            "clean draft."
        )
    if clean is False:
        raise ValidationError(
            "The annotated copy is the mediator's own; a party's copy is always the clean draft."
        )
    party = view.party_name
    given = [d for d in drafts if d.id in view.drafts_seen]
    if not given:
        raise ValidationError(f"“{party}” has not been given any draft of “{info.title}” yet.")
    if draft_number is None:
        draft = given[-1]
    else:
        found = next((d for d in given if d.number == draft_number), None)
        if found is None:
            held = ", ".join(str(d.number) for d in given)
            raise ValidationError(
                f"“{party}” was not given draft {draft_number} of “{info.title}”; it holds "
                f"draft{'s' if len(given) > 1 else ''} {held}."
            )
        draft = found
    _check_every_clause(vault, view, draft)
    return TextPlan(info, draft, None, True, party)


def _check_every_clause(vault: Vault, view: AudienceView, draft: DraftInfo) -> None:
    """Refuse the party's copy if one clause may not reach the party today (a source became
    confidential, an option's ancestry changed): never a draft with a clause left out."""
    with vault.session() as s:
        for facts in clause_facts(s, draft.id):
            if view.clause(facts.origins) is not NONE:
                continue
            assert view.party_id is not None
            why = next(
                (
                    p.text
                    for p in problems_in(s, draft.id, [view.party_id], view.at)
                    if p.clause_id == facts.clause_id
                ),
                f"Clause {facts.number} cannot go to {view.party_name}.",
            )
            raise ValidationError(
                f"{why} The copy of draft {draft.number} for {view.party_name} was not "
                "written: a draft with a clause left out would mislead."
            )


# --- a clause on the page -------------------------------------------------------------------


class ClauseText(Text):
    """A clause's paragraph: its number hangs in the indent on the start side of the first
    line (the right for a right-to-left clause); spans in :data:`STRUCK` are struck
    through and spans in :data:`ADDED` underlined."""

    def __init__(
        self,
        ts: Any,
        content: Any,
        style: TextStyle,
        *,
        number: str = "",
        number_style: TextStyle | None = None,
        lines: Any = None,
        keep_with_next: bool = False,
    ) -> None:
        super().__init__(ts, content, style, lines=lines, keep_with_next=keep_with_next)
        self.number = number
        self.number_style = number_style or style.but(bold=True)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        parts = super().split(avail_width, avail_height)
        if not parts:
            return parts
        out = []
        for k, part in enumerate(parts):
            t = ClauseText(
                self.ts,
                self.content,
                part.style,
                number=self.number if k == 0 else "",
                number_style=self.number_style,
                lines=part._lines,
            )
            t.width = part.width
            out.append(t)
        return out

    def draw(self) -> None:
        lines, style = self._lines, self.style
        if self.number and lines:  # first: the number reads before the wording when copied
            first = lines[0]
            box = style.indent
            num_style = self.number_style.but(
                indent=0, align="right" if first.rtl else "left", direction="ltr"
            )
            num = self.ts.layout(self.number, num_style, 1e6)[:1]
            if num:
                top = self.height - max(first.height - num[0].height, 0) / 2
                x = self.width - box if first.rtl else 0.0
                self.ts.draw_lines(self.canv, num, x, top, box, num_style)
        super().draw()
        if lines:
            self._decorate(lines, style)

    def _decorate(self, lines: Sequence[Any], style: TextStyle) -> None:
        canv = self.canv
        y = self.height
        drawn = False
        for line in lines:
            baseline = y - line.height + (line.height - style.size) / 2 + style.size * 0.22
            y -= line.height
            pen = self.width - style.indent - line.width if line.rtl else style.indent
            for piece in line.pieces:
                if piece.color in (STRUCK, ADDED):
                    if not drawn:
                        canv.saveState()
                        canv.setLineWidth(0.7)
                        drawn = True
                    canv.setStrokeColor(colors.HexColor(piece.color))
                    off = piece.size * 0.3 if piece.color == STRUCK else -piece.size * 0.16
                    canv.line(pen, baseline + off, pen + piece.width, baseline + off)
                pen += piece.width
        if drawn:
            canv.restoreState()


def mark(done: int, *, keep: bool) -> Mark:
    """Progress after a clause; after a heading it keeps with what follows, so that the
    heading never ends a page alone."""
    m = Mark(done)
    m.keepWithNext = keep
    return m


def number_width(ctx: Ctx, numbers: Sequence[str], style: TextStyle) -> float:
    """The indent that holds the widest clause number."""
    widest = max((ctx.ts.width(n, style.but(bold=True)) for n in numbers), default=0.0)
    return max(widest + 10, 24.0)


def clause_style(indent: float, *, heading: bool) -> TextStyle:
    return (CLAUSE_HEADING if heading else CLAUSE).but(indent=indent)


def wording_spans(
    ctx: Ctx,
    wording: str,
    alternatives: Sequence[AlternativeInfo],
    label: Callable[[AlternativeInfo], str],
) -> list[Span]:
    """A clause's wording with its brackets: ``[Government: wording] [Front: other]``, the
    brackets and labels in the bracket colour; names in the text as the audience reads
    them (codenames)."""
    out: list[Span] = []
    for seg in segments(wording, alternatives, label):
        if not seg.bracket:
            out.append(Span(ctx.free(seg.text)))
            continue
        for k, (lab, alt) in enumerate(seg.choices):
            if k:
                out.append(Span(" "))
            out.append(Span("[", bold=True, color=BRACKET))
            if lab:
                out.append(Span(f"{lab}: ", bold=True, color=BRACKET))
            out.append(Span(ctx.free(alt)))
            out.append(Span("]", bold=True, color=BRACKET))
    return out or [Span("")]


def audience_label(view: AudienceView) -> Callable[[AlternativeInfo], str]:
    """The label of an alternative for this audience: its party, unless its source may not
    be named to the audience (then the bracket shows the wording alone)."""

    def label(a: AlternativeInfo) -> str:
        if not a.party_name:
            return ""
        return a.party_name if view.alternative_named(a.source_message_id) else ""

    return label


def clause_flowable(
    ctx: Ctx,
    clause: ClauseInfo,
    indent: float,
    content: Any = None,
    *,
    keep: bool = False,
) -> ClauseText:
    """One clause: its number hanging, its wording with brackets (or ``content``)."""
    style = clause_style(indent, heading=clause.heading)
    if content is None:
        content = wording_spans(ctx, clause.wording, clause.alternatives, audience_label(ctx.view))
    return ClauseText(
        ctx.ts, content, style, number=clause.number, keep_with_next=clause.heading or keep
    )


# --- the clean copy -------------------------------------------------------------------------


def title_part(ctx: Ctx, plan: TextPlan) -> Iterator[Flowable]:
    """Kind of text, title, and the draft's number and date."""
    yield ctx.text(
        text_kind_words(plan.text.kind).upper(), BODY.but(size=9, color=MUTED, bold=True)
    )
    yield ctx.text(ctx.free(plan.text.title), TITLE)
    yield ctx.text(
        f"{plan.draft_label} · {draft_day(plan.draft.circulated_at)}",
        SUBTITLE.but(space_after=8, color="#30363d"),
    )


def marking(ctx: Ctx) -> Flowable:
    """The boxed "FOR DISCUSSION — NOT AGREED" across the page."""
    cell = Text(ctx.ts, "FOR DISCUSSION — NOT AGREED", MARKING)
    box = Table(
        [[cell]],
        colWidths=["100%"],
        style=TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor(CONFIDENTIAL_RED)),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        ),
    )
    box.spaceAfter = 14
    return box


def clean_copy(ctx: Ctx, plan: TextPlan) -> Iterator[Flowable]:
    """The draft as circulated: numbered clauses with their brackets, nothing else."""
    ctx.begin()
    clauses = text_service.clauses_of(ctx.vault, plan.draft.id)
    yield from title_part(ctx, plan)
    yield marking(ctx)
    if not clauses:
        yield ctx.text("This draft has no clauses yet.", BODY.but(color=MUTED))
    indent = number_width(ctx, [c.number for c in clauses], CLAUSE_HEADING)
    for done, clause in enumerate(clauses, 1):
        yield clause_flowable(ctx, clause, indent)
        yield mark(done, keep=clause.heading)


__all__ = [
    "ADDED",
    "STRUCK",
    "ClauseText",
    "TextPlan",
    "audience_label",
    "clause_flowable",
    "clean_copy",
    "draft_day",
    "mark",
    "marking",
    "number_width",
    "plan_text",
    "text_kind_words",
    "title_part",
    "wording_spans",
]
