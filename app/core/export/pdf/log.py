"""The shuttle log: messages and deliveries in time order, as the audience may see them.

Rows come from the database in pages of :data:`BATCH` (keyset pagination on time and id:
each page starts at the last row of the one before, through the case's time index, so a
page costs the same at the end of a long log as at its start), messages and deliveries are
merged in time order, and each record becomes a small group of flowables while ReportLab
lays the pages out: a log of any length never holds more than a batch of rows.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterator
from datetime import datetime
from typing import Any

from reportlab.platypus import Flowable
from sqlalchemy import func, select, tuple_
from sqlalchemy.orm import Session

from app.core.disclosure.audience import FULL, NONE
from app.core.export.pdf.common import (
    BODY,
    DISCLOSURE_COLOR,
    META,
    QUOTE,
    SMALL,
    Ctx,
    moment,
    snippet,
    title_block,
    words,
)
from app.core.export.pdf.furniture import (
    ACCENT,
    MUTED,
    Mark,
)
from app.core.export.pdf.text import Span, Text
from app.core.models import (
    Delivery,
    DeliveryItem,
    Disclosure,
    Message,
)

BATCH = 500


def _keyset(
    s: Session,
    stmt_for: Callable[[Any], Any],
    time_of: Callable[[Any], Any],
) -> Iterator[Any]:
    """Rows in (time, id) order, BATCH at a time: ``stmt_for(after)`` selects the rows after
    ``after`` (None, or the (time, id) of the last row seen)."""
    after: tuple[Any, int] | None = None
    while True:
        rows = s.execute(stmt_for(after).limit(BATCH)).all()
        if not rows:
            return
        yield from rows
        last = rows[-1]
        after = (time_of(last), last.id)
        if len(rows) < BATCH:
            return


def _after(time_col: Any, id_col: Any, after: tuple[Any, int] | None) -> Any:
    """Rows after ``after`` in (time, id) order, as a row value: SQLite starts the index
    search there (with ``t > … OR (t = … AND id > …)`` it reads the case from its start on
    every page)."""
    if after is None:
        return True
    return tuple_(time_col, id_col) > tuple_(*after)


# --- messages and deliveries -------------------------------------------------------------

_MSG_COLS = (
    Message.id,
    Message.round_id,
    Message.sender_party_id,
    Message.sender_person_id,
    Message.recipient_party_id,
    Message.recipient_person_id,
    Message.said_at,
    Message.place,
    Message.content,
    Message.summary,
    Message.disclosure,
    Message.embargo_until,
    Message.in_reply_to_id,
)
_DLV_COLS = (
    Delivery.id,
    Delivery.round_id,
    Delivery.recipient_party_id,
    Delivery.recipient_person_id,
    Delivery.delivered_at,
    Delivery.place,
    Delivery.content,
    Delivery.notes,
)


def _message_rows(
    s: Session, case_id: int, start: datetime | None, end: datetime | None
) -> Iterator[Any]:
    def stmt(after: tuple[Any, int] | None) -> Any:
        q = select(*_MSG_COLS).where(Message.case_id == case_id)
        if start is not None:
            q = q.where(Message.said_at >= start)
        if end is not None:
            q = q.where(Message.said_at < end)
        return q.where(_after(Message.said_at, Message.id, after)).order_by(
            Message.said_at, Message.id
        )

    return _keyset(s, stmt, lambda r: r.said_at)


def _delivery_rows(
    s: Session, case_id: int, start: datetime | None, end: datetime | None
) -> Iterator[Any]:
    def stmt(after: tuple[Any, int] | None) -> Any:
        q = select(*_DLV_COLS).where(Delivery.case_id == case_id)
        if start is not None:
            q = q.where(Delivery.delivered_at >= start)
        if end is not None:
            q = q.where(Delivery.delivered_at < end)
        return q.where(_after(Delivery.delivered_at, Delivery.id, after)).order_by(
            Delivery.delivered_at, Delivery.id
        )

    return _keyset(s, stmt, lambda r: r.delivered_at)


def count_log(s: Session, case_id: int, start: datetime | None, end: datetime | None) -> int:
    def count(model: Any, col: Any) -> int:
        q = select(func.count()).select_from(model).where(model.case_id == case_id)
        if start is not None:
            q = q.where(col >= start)
        if end is not None:
            q = q.where(col < end)
        return int(s.scalar(q) or 0)

    return count(Message, Message.said_at) + count(Delivery, Delivery.delivered_at)


def shuttle_entries(
    ctx: Ctx,
    s: Session,
    start: datetime | None,
    end: datetime | None,
    *,
    progress_from: int = 0,
    round_level: int = 1,
) -> Iterator[Flowable]:
    """Messages and deliveries in time order, with a heading where the round changes."""
    assert ctx.case_id is not None
    msgs = ((r.said_at, 0, r.id, r) for r in _message_rows(s, ctx.case_id, start, end))
    dlvs = ((r.delivered_at, 1, r.id, r) for r in _delivery_rows(s, ctx.case_id, start, end))
    current_round: int | None = -1
    done = progress_from
    batch: list[Any] = []
    stream = heapq.merge(msgs, dlvs, key=lambda t: (t[0], t[1], t[2]))
    while True:
        batch = list(itertools.islice(stream, BATCH))
        if not batch:
            break
        delivered = _delivery_items(s, [r.id for _, k, _, r in batch if k == 1])
        reply_ids = {r.in_reply_to_id for _, k, _, r in batch if k == 0 and r.in_reply_to_id}
        replies = _reply_summaries(s, reply_ids)
        # What the audience may see of the batch's messages, their replies' parents and
        # the deliveries' sources, in a few queries (a party's view reads no more).
        ctx.view.prefetch(
            [r.id for _, k, _, r in batch if k == 0]
            + list(reply_ids)
            + [item.message_id for items in delivered.values() for item in items]
        )
        for _, kind, _, row in batch:
            done += 1
            shown = (
                ctx_message(ctx, row, replies)
                if kind == 0
                else ctx_delivery(ctx, row, delivered.get(row.id, []))
            )
            if shown is None:
                yield Mark(done)
                continue
            if row.round_id != current_round and row.round_id is not None:
                current_round = row.round_id
                yield ctx.heading(ctx.round_label(row.round_id), round_level, toc=False)
            yield from shown
            yield Mark(done)


def _delivery_items(s: Session, ids: list[int]) -> dict[int, list[Any]]:
    out: dict[int, list[Any]] = {}
    for start in range(0, len(ids), BATCH):
        for row in s.execute(
            select(
                DeliveryItem.delivery_id,
                DeliveryItem.message_id,
                DeliveryItem.attributed,
                Message.sender_party_id,
                Message.sender_person_id,
                Message.summary,
            )
            .join(Message, Message.id == DeliveryItem.message_id)
            .where(DeliveryItem.delivery_id.in_(ids[start : start + BATCH]))
            .order_by(DeliveryItem.id)
        ):
            out.setdefault(row.delivery_id, []).append(row)
    return out


def _reply_summaries(s: Session, ids: set[int]) -> dict[int, tuple[datetime, str]]:
    out: dict[int, tuple[datetime, str]] = {}
    id_list = list(ids)
    for start in range(0, len(id_list), BATCH):
        for mid, at, summary in s.execute(
            select(Message.id, Message.said_at, Message.summary).where(
                Message.id.in_(id_list[start : start + BATCH])
            )
        ):
            out[mid] = (at, summary)
    return out


def ctx_message(
    ctx: Ctx, m: Any, replies: dict[int, tuple[datetime, str]]
) -> list[Flowable] | None:
    """The flowables of one message, or None (counted as withheld) if the audience may not
    see it. Seen without its source, only its summary is shown: no sender, recipient, place,
    verbatim words or "in reply to", which could each point at who said it."""
    seen = ctx.view.message(m.id)
    if seen is NONE:
        ctx.withhold()
        return None
    named = seen is FULL
    level = Disclosure(m.disclosure)
    head: list[Span] = [Span(f"{moment(m.said_at)}  ", bold=True)]
    if ctx.me:
        head.append(Span(words(level).upper(), bold=True, color=DISCLOSURE_COLOR[level]))
        if level is Disclosure.EMBARGOED and m.embargo_until is not None:
            head.append(Span(f" until {moment(m.embargo_until)}", color=DISCLOSURE_COLOR[level]))
        head.append(Span(f"   message #{m.id}", color=MUTED))
    elif ctx.view.is_own_statement(m.id):
        head.append(Span("YOUR OWN STATEMENT", bold=True, color=ACCENT))
        if level in (Disclosure.CONFIDENTIAL, Disclosure.EMBARGOED):
            head.append(Span(f"  (said in confidence: {words(level)})", color=MUTED))
    out: list[Flowable] = [Text(ctx.ts, head, SMALL.but(space_before=7), keep_with_next=True)]
    if named:
        out.append(
            Text(
                ctx.ts,
                [
                    Span("From ", color=MUTED),
                    Span(ctx.who(m.sender_party_id, m.sender_person_id), bold=True),
                    Span("  to  ", color=MUTED),
                    Span(ctx.who(m.recipient_party_id, m.recipient_person_id), bold=True),
                ],
                SMALL,
                keep_with_next=True,
            )
        )
    else:
        out.append(
            Text(ctx.ts, [Span("Source not named", color=MUTED)], SMALL, keep_with_next=True)
        )
    if m.place and named:
        out.append(ctx.field("Where", ctx.free(m.place), META))
    if m.summary:
        out.append(ctx.text(ctx.free(m.summary), BODY))
    if m.content:
        if named:
            out.append(ctx.text(ctx.free(m.content), QUOTE))
        else:
            out.append(ctx.text("(Verbatim words not shown: they could name the source.)", META))
    if m.in_reply_to_id and ctx.view.reply_link(m.id):
        at, summary = replies.get(m.in_reply_to_id, (None, ""))
        out.append(
            ctx.field("In reply to", f"{moment(at)} — {snippet(ctx.free(summary), 70)}", META)
        )
    return out


def ctx_delivery(ctx: Ctx, d: Any, items: list[Any]) -> list[Flowable] | None:
    if ctx.view.delivery(d.recipient_party_id) is NONE:
        ctx.withhold()
        return None
    head = [
        Span(f"{moment(d.delivered_at)}  ", bold=True),
        Span("DELIVERY", bold=True, color=ACCENT),
    ]
    if ctx.me:
        head.append(Span(f"   delivery #{d.id}", color=MUTED))
    out: list[Flowable] = [Text(ctx.ts, head, SMALL.but(space_before=7), keep_with_next=True)]
    out.append(
        Text(
            ctx.ts,
            [
                Span("Conveyed to ", color=MUTED),
                Span(ctx.who(d.recipient_party_id, d.recipient_person_id), bold=True),
            ],
            SMALL,
            keep_with_next=True,
        )
    )
    if d.place and ctx.view.shows("deliveries", "place"):
        out.append(ctx.field("Where", ctx.free(d.place), META))
    if d.content:
        out.append(ctx.text(ctx.free(d.content), BODY))
    if d.notes and ctx.view.shows("deliveries", "notes"):
        out.append(ctx.field("Notes", ctx.free(d.notes), META))
    sources = []
    for it in items:
        seen = ctx.view.delivery_source(it.message_id, bool(it.attributed))
        if seen is NONE:
            continue  # the delivery itself is theirs; an unseen source is simply not named
        who = (
            ctx.who(it.sender_party_id, it.sender_person_id) if seen is FULL else "source not named"
        )
        sources.append(f"{snippet(ctx.free(it.summary), 60)} ({who})")
    if sources:
        out.append(ctx.field("Conveys", "; ".join(sources), META))
    return out


def shuttle_log(
    ctx: Ctx, start: datetime | None, end: datetime | None, subtitle: str
) -> Iterator[Flowable]:
    ctx.begin()
    with ctx.vault.session() as s:
        yield from title_block(ctx, f"Shuttle log — {ctx.case_row.title}", subtitle)
        empty = True
        for f in shuttle_entries(ctx, s, start, end, round_level=0):
            if not isinstance(f, Mark):
                empty = False
            yield f
        if empty:
            yield ctx.text("No messages or deliveries in this period.", META)
