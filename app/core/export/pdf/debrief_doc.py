"""The debrief for an outside audience (an official, institution or sponsor of the case):
where things stand, the options, the commitments, the drafts handed to it and what it was
handed — as :func:`~app.core.disclosure.audience.audience_for_outsider` lets it see them,
and with **no sources anywhere**: no sender, recipient, session, speaker or raiser; people
named only as the view names them (codenames by default).

Of a message only its summary is printed (never its verbatim words), in date order by
round; of an option its title, status, text and lineage between options both seen; of a
commitment what was promised, by and to whom only where it may be named, when due and where
it stands; of a draft its clauses as circulated (the clean copy's rendering); of a handover
its date and the items the audience still sees. What is left out only adds to
``ctx.withheld`` for the mediator; the debrief never says how much.
"""

from __future__ import annotations

from collections.abc import Generator, Iterator
from datetime import date
from typing import Any

from reportlab.platypus import Flowable
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.disclosure.audience import FULL, NONE
from app.core.disclosure.drafts import clause_facts
from app.core.errors import NotFound
from app.core.export.pdf import commitments_doc as cdoc
from app.core.export.pdf.common import (
    _OPTION_COLS,
    BODY,
    H3,
    META,
    SMALL,
    SUBTITLE,
    TITLE,
    Ctx,
    day,
    table,
    words,
)
from app.core.export.pdf.furniture import MUTED, Mark
from app.core.export.pdf.log import BATCH, _message_rows
from app.core.export.pdf.text import Span, clip
from app.core.export.pdf.text_doc import (
    CLAUSE_HEADING,
    clause_flowable,
    number_width,
    text_kind_words,
    wording_spans,
)
from app.core.models import Message, Option, OptionLink, Outsider, OutsiderKind, utcnow
from app.core.services import texts as text_service
from app.core.services.commitments import CommitmentRow, records_of
from app.core.services.handovers import HandoverItemRow, OutsiderRow, handovers_of
from app.core.vault import Vault


def outsider_of(vault: Vault, case_id: int, outsider_id: int) -> OutsiderRow:
    """The outside audience a debrief is for; ``NotFound`` unless it is one of the case's."""
    with vault.session() as s:
        o = s.get(Outsider, outsider_id)
        if o is None or o.case_id != case_id:
            raise NotFound(f"There is no outside audience #{outsider_id} in this case.")
        return OutsiderRow(
            o.id, o.case_id, o.name, OutsiderKind(o.kind), o.organisation, o.person_id, "", 0
        )


def count_messages(vault: Vault, case_id: int) -> int:
    with vault.session() as s:
        return int(
            s.scalar(select(func.count()).select_from(Message).where(Message.case_id == case_id))
            or 0
        )


def addressee(outsider: OutsiderRow) -> str:
    """``Envoy Marra, Nordic Facilitation Fund``."""
    return outsider.name + (f", {outsider.organisation}" if outsider.organisation else "")


def debrief(ctx: Ctx, outsider: OutsiderRow, on: date | None = None) -> Iterator[Flowable]:
    assert ctx.case_id is not None
    assert ctx.view.is_outsider
    ctx.begin()
    yield ctx.text(clip(f"Debrief for {addressee(outsider)}"), TITLE)
    yield ctx.text(
        f"{ctx.case_title} · {day(on or utcnow().astimezone().date())}",
        SUBTITLE.but(space_after=4),
    )
    yield ctx.text(
        "The substance of the process as it may be shared with you. Sources are not named. "
        f"Prepared for {outsider.name}; not for further distribution.",
        META.but(space_after=10),
    )
    with ctx.vault.session() as s:
        yield ctx.heading("Where things stand", 0)
        yield from where_things_stand(ctx, s)
        yield ctx.heading("Options", 0)
        yield from options(ctx, s)
    yield ctx.heading("Commitments", 0)
    seen = yield from commitments(ctx)
    yield ctx.heading("Texts", 0)
    yield from texts(ctx)
    yield ctx.heading("What was handed to you", 0)
    yield from handed(ctx, outsider, seen)


# --- (a) where things stand ------------------------------------------------------------------


def where_things_stand(ctx: Ctx, s: Session) -> Iterator[Flowable]:
    """The summary of every message the audience sees, in date order, by round: never its
    words, sender, recipient, place or reply."""
    assert ctx.case_id is not None
    current_round: int | None = -1
    done = 0
    shown = 0
    batch: list[Any] = []
    rows = _message_rows(s, ctx.case_id, None, None)
    while True:
        batch = [r for _, r in zip(range(BATCH), rows, strict=False)]
        if not batch:
            break
        ctx.view.prefetch(r.id for r in batch)
        for m in batch:
            done += 1
            if ctx.view.message(m.id) is NONE:
                ctx.withhold()
                continue
            summary = (m.summary or "").strip()
            if not summary:
                continue
            round_id = m.round_id
            if round_id != current_round and round_id is not None:
                current_round = round_id
                yield ctx.heading(ctx.round_label(round_id), 1, toc=False)
            yield ctx.text(
                [
                    Span(f"{day(m.said_at)}  ", color=MUTED),
                    Span(ctx.free(summary)),
                ],
                BODY.but(space_after=2.5),
            )
            shown += 1
        yield Mark(done)
    if not shown:
        yield ctx.text("Nothing to report yet.", META)


# --- (b) options -----------------------------------------------------------------------------


def options(ctx: Ctx, s: Session) -> Iterator[Flowable]:
    """Every option the audience sees: title, status, text, and lineage between options it
    sees both of; never who raised it, where, or anyone's stance."""
    assert ctx.case_id is not None
    rows = s.execute(
        select(*_OPTION_COLS)
        .where(Option.case_id == ctx.case_id)
        .order_by(Option.raised_on, Option.id)
    ).all()
    visible = [o for o in rows if ctx.view.option(o.id) is not NONE]
    ctx.withhold(len(rows) - len(visible))
    if not visible:
        yield ctx.text("None.", META)
        return
    titles = {o.id: o.title for o in visible}
    came_from: dict[int, list[tuple[str, int]]] = {}
    for link in s.execute(
        select(OptionLink.option_id, OptionLink.parent_id, OptionLink.kind)
        .join(Option, Option.id == OptionLink.option_id)
        .where(Option.case_id == ctx.case_id)
        .order_by(OptionLink.id)
    ):
        if link.option_id in titles and link.parent_id in titles:
            came_from.setdefault(link.option_id, []).append((words(link.kind), link.parent_id))
    for o in visible:
        yield ctx.text(ctx.free(o.title), H3, keep=True)
        meta = words(o.status).capitalize()
        for kind, parent in came_from.get(o.id, []):
            meta += f" · {kind} from “{ctx.free(titles[parent])}”"
        yield ctx.text(meta, META, keep=bool(o.text))
        if o.text:
            yield ctx.text(ctx.free(o.text))


# --- (c) commitments -------------------------------------------------------------------------


def commitments(ctx: Ctx) -> Generator[Flowable, None, set[int]]:
    """What was promised (by and to whom only where they may be named), when due and where
    it stands; each named party's record. Returns the ids of the commitments shown."""
    rows = cdoc.rows_for(ctx)
    if not rows:
        yield ctx.text("None.", META)
        return set()
    recs = records_of(rows)
    if recs:
        yield ctx.text("How each party kept its word", H3, keep=True)
        yield from table(
            ctx.ts,
            ["Party", "Record"],
            ([[Span(p.party_name, bold=True)], p.words] for p in recs),
            [130, cdoc.WIDTH - 130],
        )
    for g in cdoc.groups(rows):
        yield ctx.text(f"{g.title} ({len(g.rows)})", H3, keep=True)
        due_w, who_w, status_w = 56.0, 112.0, 70.0
        yield from table(
            ctx.ts,
            ["Due", "Promised by, to", "What", "Status"],
            (
                [day(r.due_on) if r.due_on else "no date", _by(r), _what(r), cdoc.status_cell(r)]
                for r in g.rows
            ),
            [due_w, who_w, cdoc.WIDTH - due_w - who_w - status_w, status_w],
        )
    return {r.id for r in rows}


def _by(r: CommitmentRow) -> list[Span]:
    """The maker and the party promised, only where the audience may know them (never the
    person who said it)."""
    if r.sight is not FULL or not r.party_name:
        return [Span("—", color=MUTED)]
    return [
        Span(r.party_name, bold=True),
        Span(f"\nto {r.to_party_name or 'all sides'}", color=MUTED),
    ]


def _what(r: CommitmentRow) -> list[Span]:
    out = [Span(r.what)]
    if r.condition or r.condition_what:
        cond = r.condition
        if r.condition_what:
            first = f"“{r.condition_what}” kept first"
            cond = f"{cond} ({first})" if cond else first
        out += [Span("\nCondition: ", bold=True), Span(cond)]
    return out


# --- (d) texts -------------------------------------------------------------------------------


def texts(ctx: Ctx) -> Iterator[Flowable]:
    """Each draft handed to the audience, as circulated: numbered clauses and brackets (no
    party named in them). A draft with a clause it may no longer see is left out whole (a
    draft missing a clause would mislead)."""
    drafts = []
    with ctx.vault.session() as s:
        for draft_id in sorted(ctx.view.drafts_seen):
            if all(ctx.view.clause(f.origins) is not NONE for f in clause_facts(s, draft_id)):
                drafts.append(draft_id)
            else:
                ctx.withhold()
    if not drafts:
        yield ctx.text("None.", META)
        return
    for draft_id in drafts:
        draft = text_service.draft_info(ctx.vault, draft_id)
        info = text_service.text_info(ctx.vault, draft.text_id)
        yield ctx.heading(f"{info.title} — draft {draft.number}", 1, toc=False)
        yield ctx.text(
            f"{text_kind_words(info.kind)} · draft {draft.number} of "
            f"{day(draft.circulated_at)} · for discussion, not agreed",
            META.but(space_after=6),
            keep=True,
        )
        clauses = text_service.clauses_of(ctx.vault, draft_id)
        if not clauses:
            yield ctx.text("This draft has no clauses.", META)
        indent = number_width(ctx, [c.number for c in clauses], CLAUSE_HEADING)
        for c in clauses:
            # Brackets hold their wording alone: which party proposed it is a source.
            content = wording_spans(ctx, c.wording, c.alternatives, lambda _a: "")
            yield clause_flowable(ctx, c, indent, content)


# --- (e) what was handed over ----------------------------------------------------------------

_ITEM_WORDS = {
    "option": "Option",
    "draft": "Draft",
    "commitment": "Commitment",
    "finding": "Finding",
}


def handed(ctx: Ctx, outsider: OutsiderRow, commitments_seen: set[int]) -> Iterator[Flowable]:
    """Each handover to this audience (oldest first) with its date and the items it still
    sees: never through whom, or the mediator's note."""
    assert ctx.case_id is not None
    shown = 0
    for h in reversed(handovers_of(ctx.vault, ctx.case_id, outsider_id=outsider.id)):
        if ctx.view.handover(h.outsider_id) is NONE:
            continue
        items = [i for i in h.items if _item_seen(ctx, i, commitments_seen)]
        ctx.withhold(len(h.items) - len(items))
        if not items:
            continue
        shown += 1
        yield ctx.text(day(h.handed_at), H3, keep=True)
        for i in items:
            kind = _ITEM_WORDS[i.kind]
            yield ctx.text(
                [Span(f"{kind}: ", bold=True), Span(ctx.free(i.label))],
                SMALL.but(indent=10, space_after=2),
            )
    if not shown:
        yield ctx.text("Nothing yet.", META)


def _item_seen(ctx: Ctx, i: HandoverItemRow, commitments_seen: set[int]) -> bool:
    view = ctx.view
    if i.kind == "option":
        return i.record_id is not None and view.option(i.record_id) is not NONE
    if i.kind == "draft":
        return i.record_id is not None and view.draft(i.record_id) is not NONE
    if i.kind == "commitment":
        return i.record_id in commitments_seen
    it = i.item
    if it.finding_message_id is not None and view.message(it.finding_message_id) is NONE:
        return False
    return not (it.finding_session_id is not None and view.session(it.finding_session_id) is NONE)


__all__ = ["addressee", "count_messages", "debrief", "outsider_of"]
