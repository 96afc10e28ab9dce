"""One builder per kind of document: the story (flowables) of a dossier, a session brief, a
shuttle log, an options matrix, a session's notes and the recovery sheet.

Every builder is a generator that reads the vault in batches while ReportLab lays the pages
out, so a shuttle log of 10,000 messages never holds them all at once: messages and
deliveries come in pages of :data:`BATCH` rows (keyset pagination on time and id), each
record becomes a small group of flowables, and tables are cut into chunks of at most
:data:`TABLE_ROWS` rows. The audience decides what is shown; whatever is left out only adds
to ``ctx.withheld``, which the caller reports to the mediator; a party's copy never says how
much it does not see. What an audience sees of each record is decided by its
:class:`~app.core.disclosure.audience.AudienceView` (``ctx.view``) alone.
"""

from __future__ import annotations

import heapq
import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Flowable, PageBreak, Spacer, Table, TableStyle
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from app.core.disclosure.audience import FULL, NONE, AudienceView
from app.core.errors import NotFound
from app.core.export.pdf.furniture import (
    ACCENT,
    CONFIDENTIAL_RED,
    MARGIN_X,
    MUTED,
    RULE,
    Contents,
    Heading,
    Mark,
)
from app.core.export.pdf.text import Rich, Span, Text, TextStyle, Typesetter, clip
from app.core.models import (
    Action,
    Affiliation,
    AgendaItem,
    Case,
    CaseSession,
    Channel,
    Delivery,
    DeliveryItem,
    Disclosure,
    Message,
    Note,
    Option,
    OptionLink,
    Participant,
    Party,
    Person,
    ProfileEntry,
    ProfileKind,
    Round,
    SessionNote,
    StanceKind,
)
from app.core.services import sessions as session_service
from app.core.services.options import case_stance_histories, raised_by_phrase
from app.core.vault import Vault

BATCH = 500
TABLE_ROWS = 40

# --- styles -----------------------------------------------------------------------------

BODY = TextStyle(size=9.5, space_after=3)
SMALL = TextStyle(size=8.5, space_after=2)
META = TextStyle(size=8.5, color=MUTED, space_after=1.5)
TITLE = TextStyle(size=20, bold=True, space_after=6)
SUBTITLE = TextStyle(size=11, color=MUTED, space_after=14)
H1 = TextStyle(size=15, bold=True, color=ACCENT, space_before=16, space_after=6)
H2 = TextStyle(size=12, bold=True, space_before=12, space_after=4)
H3 = TextStyle(size=10, bold=True, space_before=7, space_after=2)
QUOTE = TextStyle(size=9.5, color="#30363d", indent=14, space_after=3)
# Short texts in the cells of left-to-right tables stay on the left, in any script.
CELL = TextStyle(size=8.5, align="left")
CELL_HEAD = TextStyle(size=8.5, bold=True, align="left")

DISCLOSURE_COLOR = {
    Disclosure.SHAREABLE: "#1a7f37",
    Disclosure.UNATTRIBUTED: "#0b5c8a",
    Disclosure.CONFIDENTIAL: CONFIDENTIAL_RED,
    Disclosure.EMBARGOED: "#9a6700",
}
STANCE_COLOR = {
    StanceKind.SUPPORTS: "#1a7f37",
    StanceKind.OPEN: "#0b5c8a",
    StanceKind.OPPOSES: CONFIDENTIAL_RED,
    StanceKind.UNKNOWN: MUTED,
}
PROFILE_ORDER = (
    ProfileKind.POSITION,
    ProfileKind.INTEREST,
    ProfileKind.NEED,
    ProfileKind.FEAR,
    ProfileKind.RED_LINE,
    ProfileKind.CONSTRAINT,
)
KINDS = {
    "dossier": "Case dossier",
    "brief": "Session brief",
    "log": "Shuttle log",
    "options": "Options matrix",
    "notes": "Session notes",
    "recovery": "Recovery sheet",
}


def words(value: Any) -> str:
    """An enum value as words: ``red_line`` -> ``red line``."""
    return str(getattr(value, "value", value)).replace("_", " ")


def moment(value: datetime | None) -> str:
    """A stored (UTC) time shown in local time."""
    if value is None:
        return "—"
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def day(value: date | datetime | None) -> str:
    if value is None:
        return "—"
    if isinstance(value, datetime):
        value = value.astimezone().date()
    return value.isoformat()


def day_bounds(
    date_from: date | datetime | None, date_to: date | datetime | None
) -> tuple[datetime | None, datetime | None]:
    """Local calendar days as a half-open UTC interval [start, end)."""

    def start_of(d: date | datetime) -> datetime:
        if isinstance(d, datetime):
            return d if d.tzinfo else d.astimezone()
        return datetime.combine(d, time.min).astimezone()

    start = start_of(date_from).astimezone(UTC) if date_from is not None else None
    end = None
    if date_to is not None:
        if isinstance(date_to, datetime):
            end = (date_to if date_to.tzinfo else date_to.astimezone()).astimezone(UTC)
        else:
            end = (
                datetime.combine(date.fromordinal(date_to.toordinal() + 1), time.min)
                .astimezone()
                .astimezone(UTC)
            )
    return start, end


# --- shared state -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PartyInfo:
    id: int
    name: str
    kind: str


class Ctx:
    """What a builder needs while it writes one document for one audience."""

    def __init__(
        self,
        vault: Vault,
        ts: Typesetter,
        view: AudienceView,
        case_id: int | None,
    ) -> None:
        self.vault = vault
        self.ts = ts
        self.view = view
        self.withheld = 0  # records left out, for the mediator's information only
        self.case_id = case_id
        self._keys = itertools.count(1)
        self.parties: dict[int, PartyInfo] = {}
        self.rounds: dict[int, tuple[int, str]] = {}
        self.case_title = ""
        self.case_row: Any = None
        if case_id is not None:
            with vault.session() as s:
                case = s.get(Case, case_id)
                if case is None:
                    raise NotFound(f"There is no case #{case_id} in this vault.")
                # As shown (codenames); the page header cuts it when absurdly long.
                self.case_title = view.text(case.title)
                self.case_row = s.execute(
                    select(
                        Case.title,
                        Case.summary,
                        Case.track,
                        Case.status,
                        Case.started_on,
                        Case.ended_on,
                    ).where(Case.id == case_id)
                ).one()
                for pid, name, kind in s.execute(
                    select(Party.id, Party.name, Party.kind)
                    .where(Party.case_id == case_id)
                    .order_by(Party.id)
                ):
                    self.parties[pid] = PartyInfo(pid, name, words(kind))
                for rid, number, title in s.execute(
                    select(Round.id, Round.number, Round.title).where(Round.case_id == case_id)
                ):
                    self.rounds[rid] = (number, title)

    def begin(self) -> None:
        """Start a (new) pass over the story: the same keys, a fresh count."""
        self._keys = itertools.count(1)
        self.withheld = 0

    # --- audience ---------------------------------------------------------------------

    def withhold(self, n: int = 1) -> None:
        self.withheld += n

    def session_visible(self, session_id: int | None) -> bool:
        return self.view.session(session_id) is not NONE

    @property
    def me(self) -> bool:
        return self.view.is_me

    def own_party(self, party_id: int | None) -> bool:
        return self.view.own_party(party_id)

    # --- words ------------------------------------------------------------------------

    def party(self, party_id: int | None) -> str:
        if party_id is None:
            return ""
        info = self.parties.get(party_id)
        return info.name if info else f"party #{party_id}"

    def person(self, person_id: int | None) -> str:
        return self.view.person_name(person_id) if person_id else ""

    def free(self, value: str) -> str:
        """Free text as this export shows it (codenames for names)."""
        return self.view.text(value) if value else value

    def who(self, party_id: int | None, person_id: int | None) -> str:
        party, person = self.party(party_id), self.person(person_id)
        if party and person:
            return f"{person} ({party})"
        return party or person or "—"

    def round_label(self, round_id: int | None) -> str:
        if round_id is None or round_id not in self.rounds:
            return ""
        number, title = self.rounds[round_id]
        return f"Round {number}" + (f" — {self.free(title)}" if title else "")

    # --- flowables --------------------------------------------------------------------

    def text(self, content: Rich, style: TextStyle = BODY, *, keep: bool = False) -> Text:
        return Text(self.ts, content, style, keep_with_next=keep)

    def field(self, label: str, value: Rich, style: TextStyle = BODY) -> Text:
        spans = [Span(f"{label}: ", bold=True)]
        spans += [Span(value)] if isinstance(value, str) else list(value)  # type: ignore[arg-type]
        return Text(self.ts, spans, style)

    def heading(self, title: str, level: int, *, toc: bool = True) -> Heading:
        style = (H1, H2, H3)[min(level, 2)]
        return Heading(
            self.ts,
            self.free(title),  # also the table of contents and the PDF's bookmarks
            style,
            key=f"h{next(self._keys)}",
            outline_level=level,
            toc_level=level if toc and level <= 1 else None,
        )


def table(
    ts: Typesetter,
    header: Sequence[Rich],
    rows: Iterable[Sequence[Rich | Flowable]],
    widths: Sequence[float],
    *,
    head_color: str = "#eef1f4",
) -> Iterator[Flowable]:
    """Tables of at most TABLE_ROWS rows each (the header repeated), never one giant one."""
    head = [Text(ts, h, CELL_HEAD) for h in header]

    def cell(v: Rich | Flowable) -> Flowable:
        return v if isinstance(v, Flowable) else Text(ts, v, CELL)

    style = TableStyle(
        [
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor(head_color)),
            ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.HexColor(RULE)),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("LEFTPADDING", (0, 0), (-1, -1), 4),
            ("RIGHTPADDING", (0, 0), (-1, -1), 4),
            ("TOPPADDING", (0, 0), (-1, -1), 2.5),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
        ]
    )
    it = iter(rows)
    while True:
        chunk = [[cell(v) for v in row] for row in itertools.islice(it, TABLE_ROWS)]
        if not chunk:
            return
        t = Table([head, *chunk], colWidths=list(widths), repeatRows=1, splitInRow=1, style=style)
        t.hAlign = "LEFT"
        yield t
        head = [Text(ts, h, CELL_HEAD) for h in header]


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
    if after is None:
        return True
    t, i = after
    return or_(time_col > t, and_(time_col == t, id_col > i))


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


def _snippet(value: str, limit: int = 70) -> str:
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


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
        out.append(ctx.field("In reply to", f"{moment(at)} — {_snippet(ctx.free(summary))}", META))
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
        sources.append(f"{_snippet(ctx.free(it.summary), 60)} ({who})")
    if sources:
        out.append(ctx.field("Conveys", "; ".join(sources), META))
    return out


# --- parts shared by several documents ---------------------------------------------------


def title_block(ctx: Ctx, title: str, subtitle: str) -> Iterator[Flowable]:
    """``title`` as stored: shown here with codenames, then cut when absurdly long (names are
    replaced first, so a cut never leaves part of a real name)."""
    yield ctx.text(clip(ctx.free(title)), TITLE)
    yield ctx.text(subtitle, SUBTITLE)


def profile_entries(ctx: Ctx, s: Session, party_id: int, *, history: bool) -> Iterator[Flowable]:
    rows = s.execute(
        select(
            ProfileEntry.id,
            ProfileEntry.kind,
            ProfileEntry.text,
            ProfileEntry.recorded_on,
            ProfileEntry.retired_on,
            ProfileEntry.source_message_id,
            ProfileEntry.source_session_id,
        )
        .where(ProfileEntry.party_id == party_id)
        .order_by(ProfileEntry.recorded_on, ProfileEntry.id)
    ).all()
    seen = [
        r
        for r in rows
        if ctx.view.profile_entry(party_id, r.source_message_id, r.source_session_id) is not NONE
    ]
    ctx.withhold(len(rows) - len(seen))
    rows = seen
    yield from current_profile(ctx, [r for r in rows if r.retired_on is None])
    retired = [r for r in rows if r.retired_on is not None]
    if history and retired:
        yield ctx.text(Span("History (no longer holds)", bold=True), SMALL.but(space_before=4))
        for r in retired:
            yield ctx.text(
                [
                    Span(
                        f"{day(r.recorded_on)} – {day(r.retired_on)}  {words(r.kind)}: ",
                        color=MUTED,
                    ),
                    Span(ctx.free(r.text)),
                ],
                BODY.but(indent=10, space_after=1.5, color=MUTED),
            )


def current_profile(ctx: Ctx, current: Sequence[Any]) -> Iterator[Flowable]:
    """Profile entries that still hold (each with ``kind``, ``text`` and ``recorded_on``,
    oldest first), grouped by kind."""
    if not current:
        yield ctx.text("No current profile entries.", META)
    by_kind = {k: [r for r in current if ProfileKind(r.kind) is k] for k in PROFILE_ORDER}
    for kind, entries in by_kind.items():
        if not entries:
            continue
        yield ctx.text(
            Span(words(kind).capitalize(), bold=True), SMALL.but(space_before=3), keep=True
        )
        for r in entries:
            yield ctx.text(
                [Span(f"{day(r.recorded_on)}  ", color=MUTED), Span(ctx.free(r.text))],
                BODY.but(indent=10, space_after=1.5),
            )


def _option_id(o: Any) -> int:
    """A stored option row has ``id``; the brief's options have ``option_id``."""
    return int(getattr(o, "option_id", None) or o.id)


def option_visible(ctx: Ctx, o: Any) -> bool:
    """Whether the audience sees an option: every origin of its ancestry reaches it."""
    return ctx.view.option(_option_id(o)) is not NONE


def raised_by(ctx: Ctx, o: Any) -> str:
    """Who raised an option, as the end of "raised 2026-07-10 …" (see raised_by_phrase)."""
    if ctx.view.option(_option_id(o)) is not FULL:
        return "by a source not named"
    who = ""
    if o.raised_by_party_id or o.raised_by_person_id:
        who = ctx.who(o.raised_by_party_id, o.raised_by_person_id)
    return raised_by_phrase(o.raised_by, who)


_OPTION_COLS = (
    Option.id,
    Option.title,
    Option.text,
    Option.status,
    Option.raised_by,
    Option.raised_by_party_id,
    Option.raised_by_person_id,
    Option.raised_in_session_id,
    Option.raised_in_message_id,
    Option.raised_on,
)


def stance_span(row: Any | None, none: str = "no stance recorded") -> list[Span]:
    """A stance with its date: a ``StanceChange`` (``at``) or a brief's stance
    (``recorded_at``)."""
    if row is None:
        return [Span(none, color=MUTED)]
    kind = StanceKind(row.stance)
    at = getattr(row, "at", None) or row.recorded_at
    return [
        Span(words(kind), bold=True, color=STANCE_COLOR[kind]),
        Span(f"  {day(at)}", color=MUTED),
    ]


def actions_part(ctx: Ctx, s: Session, *, open_only: bool) -> Iterator[Flowable]:
    assert ctx.case_id is not None
    q = select(
        Action.id,
        Action.title,
        Action.notes,
        Action.owner_person_id,
        Action.owner,
        Action.due_on,
        Action.done,
        Action.session_id,
    ).where(Action.case_id == ctx.case_id)
    if open_only:
        q = q.where(Action.done.is_(False))
    rows = s.execute(q.order_by(Action.done, Action.due_on.is_(None), Action.due_on, Action.id))
    yield from actions_table(ctx, ((r, r.done) for r in rows))


def actions_table(ctx: Ctx, actions: Iterable[tuple[Any, bool]]) -> Iterator[Flowable]:
    """(action, done) pairs as a table, leaving out (and counting) those the audience may
    not see: a party sees the actions of its sessions and those its own people own. An
    action needs ``title``, ``notes``, ``owner_person_id``, ``owner``, ``due_on`` and
    ``session_id``."""
    shown = []
    for r, done in actions:
        if ctx.view.action(r.session_id, r.owner_person_id) is NONE:
            ctx.withhold()
            continue
        owner = ctx.person(r.owner_person_id) or ctx.free(r.owner) or "—"
        what: list[Span] = [Span(ctx.free(r.title), bold=True)]
        if r.notes and ctx.view.shows("actions", "notes"):
            what.append(Span("\n" + ctx.free(r.notes)))
        shown.append([what, owner, day(r.due_on), "done" if done else "open"])
    if not shown:
        yield ctx.text("None.", META)
        return
    yield from table(ctx.ts, ["Action", "Who", "Due", ""], shown, [270, 120, 70, 40])


# --- the case dossier --------------------------------------------------------------------


def dossier_sizes(ctx: Ctx) -> tuple[int, int]:
    """(records for the progress bar, headings in the table of contents)."""
    assert ctx.case_id is not None
    with ctx.vault.session() as s:
        cid = ctx.case_id
        n_sessions = int(
            s.scalar(
                select(func.count()).select_from(CaseSession).where(CaseSession.case_id == cid)
            )
            or 0
        )
        n_log = count_log(s, cid, None, None)
    visible_sessions = n_sessions if ctx.me else len(ctx.view.sessions_seen)
    # Overview, parties, people, shuttle log, sessions, options, actions, and notes ("me");
    # one line per party and per session.
    return n_log, (8 if ctx.me else 7) + len(ctx.parties) + visible_sessions


def dossier(ctx: Ctx, contents: Contents | None) -> Iterator[Flowable]:
    assert ctx.case_id is not None
    ctx.begin()
    row = ctx.case_row
    with ctx.vault.session() as s:
        yield from title_block(ctx, row.title, f"Case dossier · {ctx.view.label}")
        if contents is not None:
            yield ctx.text("Contents", H2.but(space_before=0))
            yield contents
        yield PageBreak()
        # Overview
        yield ctx.heading("Overview", 0)
        yield ctx.field("Track", words(row.track))
        yield ctx.field("Status", words(row.status))
        yield ctx.field("Started", day(row.started_on))
        yield ctx.field("Ended", day(row.ended_on))
        if row.summary:
            if ctx.view.shows("cases", "summary"):
                yield ctx.text(ctx.free(row.summary), BODY.but(space_before=4))
            else:
                ctx.withhold()
        # Parties
        yield ctx.heading("Parties", 0)
        for party in ctx.parties.values():
            yield ctx.heading(party.name, 1)
            yield ctx.text(party.kind.capitalize(), META)
            if ctx.view.profile(party.id) is NONE:
                ctx.withhold(
                    int(
                        s.scalar(
                            select(func.count())
                            .select_from(ProfileEntry)
                            .where(ProfileEntry.party_id == party.id)
                        )
                        or 0
                    )
                )
                yield ctx.text("Profile not included in this export.", META)
                continue
            desc = s.scalar(select(Party.description).where(Party.id == party.id)) or ""
            if desc:
                yield ctx.text(ctx.free(desc))
            yield from profile_entries(ctx, s, party.id, history=True)
        # People
        yield ctx.heading("People", 0)
        yield from people_part(ctx, s)
        # Shuttle log
        yield ctx.heading("Shuttle log", 0)
        yield from shuttle_entries(ctx, s, None, None, round_level=1)
        # Sessions
        yield ctx.heading("Sessions", 0)
        for sess in s.execute(
            select(CaseSession.id)
            .where(CaseSession.case_id == ctx.case_id)
            .order_by(CaseSession.starts_at.is_(None), CaseSession.starts_at, CaseSession.id)
        ).scalars():
            if not ctx.session_visible(sess):
                ctx.withhold()
                continue
            yield from session_part(ctx, s, sess, level=1, notes=True)
        # Options
        yield ctx.heading("Options", 0)
        yield from options_part(ctx, s)
        # Actions
        yield ctx.heading("Actions", 0)
        yield from actions_part(ctx, s, open_only=False)
        # Notes
        notes = s.execute(
            select(Note.id, Note.written_at, Note.title, Note.body)
            .where(Note.case_id == ctx.case_id)
            .order_by(Note.written_at, Note.id)
        ).all()
        if ctx.view.private_record() is FULL:
            yield ctx.heading("Notes", 0)
            if not notes:
                yield ctx.text("None.", META)
            for n in notes:
                yield ctx.text(
                    [
                        Span(f"{moment(n.written_at)}  ", color=MUTED),
                        Span(ctx.free(n.title), bold=True),
                    ],
                    H3,
                    keep=True,
                )
                yield ctx.text(ctx.free(n.body))
        else:
            ctx.withhold(len(notes))


def people_part(ctx: Ctx, s: Session) -> Iterator[Flowable]:
    aff = s.execute(
        select(
            Affiliation.person_id,
            Affiliation.party_id,
            Affiliation.role,
            Affiliation.capacity,
            Affiliation.since,
            Affiliation.until,
        )
        .where(Affiliation.party_id.in_(list(ctx.parties)))
        .order_by(Affiliation.person_id, Affiliation.id)
    ).all()
    by_person: dict[int, list[Any]] = {}
    for a in aff:
        by_person.setdefault(a.person_id, []).append(a)
    people = list(
        s.execute(
            select(Person.id, Person.role, Person.languages, Person.notes).where(
                Person.id.in_(list(by_person))
            )
        ).all()
    )
    people.sort(key=lambda p: ctx.person(p.id).casefold())
    shown = 0
    for p in people:
        if ctx.view.person(p.id) is NONE:
            ctx.withhold()
            continue
        shown += 1
        yield ctx.text(ctx.person(p.id), H3, keep=True)
        if p.role:
            yield ctx.text(ctx.free(p.role), META)
        ties = "; ".join(
            f"{ctx.party(a.party_id)}"
            + (f", {a.role}" if a.role else "")
            + f" ({words(a.capacity)})"
            + (f", since {day(a.since)}" if a.since else "")
            + (f", until {day(a.until)}" if a.until else "")
            for a in by_person[p.id]
            if ctx.view.affiliation(a.party_id, p.id) is not NONE
        )
        if ties:
            yield ctx.field("Affiliation", ctx.free(ties), SMALL)
        if p.languages:
            yield ctx.field("Languages", p.languages, SMALL)
        if ctx.view.private_record() is FULL:  # channels: the mediator's alone
            channels = s.execute(
                select(Channel.kind, Channel.value, Channel.label)
                .where(Channel.person_id == p.id)
                .order_by(Channel.id)
            ).all()
            if channels:
                yield ctx.field(
                    "Channels",
                    "; ".join(
                        f"{words(c.kind)}: {c.value}" + (f" ({c.label})" if c.label else "")
                        for c in channels
                    ),
                    SMALL,
                )
            if p.notes:
                yield ctx.text(ctx.free(p.notes), SMALL.but(color=MUTED))
    if not shown:
        yield ctx.text("None.", META)


def session_part(
    ctx: Ctx, s: Session, session_id: int, *, level: int, notes: bool, heading: bool = True
) -> Iterator[Flowable]:
    sess = s.get(CaseSession, session_id)
    assert sess is not None
    if heading:
        yield ctx.heading(sess.title, level)
    yield from session_head(ctx, sess)
    yield from agenda_part(ctx, s, session_id)
    yield from participants_part(ctx, s, session_id)
    if notes:
        yield from notes_part(ctx, s, session_id)


def session_head(ctx: Ctx, sess: Any) -> Iterator[Flowable]:
    """Kind, status, time and place, ground rules, logistics and summary of a session (a
    stored session or a brief: both have those fields)."""
    when = moment(sess.starts_at)
    if sess.ends_at:
        when += f" – {moment(sess.ends_at)}"
    yield ctx.text(
        f"{words(sess.kind).capitalize()} · {words(sess.status)} · {when}"
        + (f" · {ctx.free(sess.place)}" if sess.place else ""),
        META,
    )
    if sess.ground_rules:
        yield ctx.field("Ground rules", ctx.free(sess.ground_rules))
    if sess.logistics and ctx.view.shows("sessions", "logistics"):
        yield ctx.field("Logistics", ctx.free(sess.logistics))
    if sess.summary:
        if ctx.view.shows("sessions", "summary"):
            yield ctx.field("Summary", ctx.free(sess.summary))
        else:
            ctx.withhold()


def agenda_part(ctx: Ctx, s: Session, session_id: int) -> Iterator[Flowable]:
    yield from agenda_lines(
        ctx,
        s.execute(
            select(AgendaItem.position, AgendaItem.title, AgendaItem.notes, AgendaItem.minutes)
            .where(AgendaItem.session_id == session_id)
            .order_by(AgendaItem.position, AgendaItem.id)
        ).all(),
    )


def agenda_lines(ctx: Ctx, items: Sequence[Any]) -> Iterator[Flowable]:
    """Agenda items (each with ``title``, ``minutes`` and ``notes``), numbered in order."""
    if not items:
        return
    yield ctx.text("Agenda", H3, keep=True)
    for n, it in enumerate(items, 1):
        spans = [Span(f"{n}. ", bold=True), Span(ctx.free(it.title), bold=True)]
        if it.minutes:
            spans.append(Span(f"  ({it.minutes} min)", color=MUTED))
        yield ctx.text(spans, BODY.but(indent=6, space_after=1))
        if it.notes and ctx.view.shows("agenda_items", "notes"):
            yield ctx.text(ctx.free(it.notes), SMALL.but(indent=18, color=MUTED))


def participants_part(ctx: Ctx, s: Session, session_id: int) -> Iterator[Flowable]:
    rows = s.execute(
        select(Participant.person_id, Participant.party_id, Participant.capacity)
        .where(Participant.session_id == session_id)
        .order_by(Participant.id)
    ).all()
    yield from participants_table(ctx, rows)


def participants_table(ctx: Ctx, rows: Sequence[Any]) -> Iterator[Flowable]:
    """Participants (each with ``person_id``, ``party_id`` and ``capacity``); people are
    named as this export names them (codenames)."""
    if not rows:
        return
    yield ctx.text("Participants", H3, keep=True)
    yield from table(
        ctx.ts,
        ["Name", "Party", "Capacity"],
        ([ctx.person(r.person_id), ctx.party(r.party_id) or "—", words(r.capacity)] for r in rows),
        [190, 220, 90],
    )


def notes_part(ctx: Ctx, s: Session, session_id: int) -> Iterator[Flowable]:
    rows = s.execute(
        select(
            SessionNote.kind,
            SessionNote.text,
            SessionNote.noted_at,
            SessionNote.person_id,
            SessionNote.party_id,
        )
        .where(SessionNote.session_id == session_id)
        .order_by(SessionNote.noted_at, SessionNote.id)
    ).all()
    shown = []
    for r in rows:
        if ctx.view.session_note(session_id, r.kind, r.party_id) is not NONE:
            shown.append(r)
        else:
            ctx.withhold()
    if not shown:
        return
    yield ctx.text(
        "Notes"
        if ctx.me
        else "Agreements and own statements"
        if ctx.view.include_own
        else "Agreements",
        H3,
        keep=True,
    )
    for r in shown:
        who = ctx.who(r.party_id, r.person_id) if (r.party_id or r.person_id) else ""
        yield ctx.text(
            [
                Span(f"{moment(r.noted_at)}  ", color=MUTED),
                Span(words(r.kind).upper(), bold=True, color=ACCENT),
            ]
            + ([Span(f"  {who}", color=MUTED)] if who else []),
            SMALL.but(space_before=3),
            keep=True,
        )
        yield ctx.text(ctx.free(r.text), BODY.but(indent=10))


def options_part(ctx: Ctx, s: Session) -> Iterator[Flowable]:
    assert ctx.case_id is not None
    options = s.execute(
        select(*_OPTION_COLS)
        .where(Option.case_id == ctx.case_id)
        .order_by(Option.raised_on, Option.id)
    ).all()
    titles = {o.id: o.title for o in options}
    visible = [o for o in options if option_visible(ctx, o)]
    ctx.withhold(len(options) - len(visible))
    if not visible:
        yield ctx.text("None.", META)
        return
    history = case_stance_histories(s, ctx.case_id)
    visible_ids = {o.id for o in visible}
    # Lineage, named only between options this audience may see.
    came_from: dict[int, list[tuple[str, int]]] = {}
    for link in s.execute(
        select(OptionLink.option_id, OptionLink.parent_id, OptionLink.kind)
        .join(Option, Option.id == OptionLink.option_id)
        .where(Option.case_id == ctx.case_id)
        .order_by(OptionLink.id)
    ):
        if link.option_id in visible_ids and link.parent_id in visible_ids:
            came_from.setdefault(link.option_id, []).append((link.kind.value, link.parent_id))
    for o in visible:
        yield ctx.text(ctx.free(o.title), H3, keep=True)
        meta = f"{words(o.status).capitalize()} · raised {day(o.raised_on)} {raised_by(ctx, o)}"
        for kind, parent_id in came_from.get(o.id, []):
            meta += f" · {kind} from “{ctx.free(titles[parent_id])}”"
        yield ctx.text(meta, META)
        if o.text:
            yield ctx.text(ctx.free(o.text))
        rows = []
        for pid in ctx.parties:
            entries = history.get(o.id, {}).get(pid, [])
            if not entries:
                continue
            if ctx.view.stance(o.id, pid) is NONE:
                ctx.withhold()
                continue
            current = entries[-1]
            past = ", ".join(f"{words(e.stance)} ({day(e.at)})" for e in entries[:-1])
            note: list[Span] = [Span(ctx.free(current.note))] if current.note else []
            if past:
                note.append(Span(("\n" if note else "") + f"Before: {past}", color=MUTED))
            rows.append([ctx.party(pid), stance_span(current), note or "—"])
        if rows:
            yield from table(ctx.ts, ["Party", "Stance", "Note and history"], rows, [130, 110, 260])


# --- the other documents -----------------------------------------------------------------


def session_brief(ctx: Ctx, session_id: int, contents: Contents | None) -> Iterator[Flowable]:
    """What to read before a session, from the sessions service's brief alone; this builder
    only decides what the audience may see of it."""
    ctx.begin()
    brief = session_service.session_brief(ctx.vault, session_id)
    yield from title_block(ctx, brief.title, f"Session brief · {ctx.view.label}")
    yield from session_head(ctx, brief)
    yield from agenda_lines(ctx, brief.agenda)
    yield from participants_table(ctx, brief.participants)
    # The participants' parties, with their current profiles
    yield ctx.heading("Parties at the table", 0)
    if not brief.parties:
        yield ctx.text("No participant is recorded with a party.", META)
    for party in brief.parties:
        yield ctx.heading(party.name, 1)
        if ctx.view.profile(party.party_id) is NONE:
            ctx.withhold(len(party.profile))
            yield ctx.text("Profile not included in this export.", META)
            continue
        profile = [
            e
            for e in party.profile
            if ctx.view.profile_entry(party.party_id, e.source_message_id, e.source_session_id)
            is not NONE
        ]
        ctx.withhold(len(party.profile) - len(profile))
        if ctx.me:  # a party's export never had this line: it stays the mediator's
            told = brief.knows.get(party.name, 0)
            sources = "nothing" if told == 0 else f"{told:,} source" + ("s" if told > 1 else "")
            yield ctx.text(f"Told so far: {sources} (knowledge ledger)", META)
        yield from current_profile(ctx, profile)
    # Open options and each party's current stance
    yield ctx.heading("Open options", 0)
    visible = [o for o in brief.open_options if option_visible(ctx, o)]
    ctx.withhold(len(brief.open_options) - len(visible))
    parties = [pid for pid in ctx.parties if ctx.own_party(pid)]
    if not visible:
        yield ctx.text("None.", META)
    for o in visible:
        yield ctx.text(ctx.free(o.title), H3, keep=True)
        raised = f"raised {day(o.raised_on)} {raised_by(ctx, o)}"
        # The option's lines stay with its stances rather than end a page alone.
        yield ctx.text(f"{words(o.status).capitalize()} · {raised}", META, keep=True)
        if o.text:
            yield ctx.text(ctx.free(o.text), keep=True)
        stances = {st.party_id: st for st in o.current_stances}
        ctx.withhold(sum(1 for pid in stances if not ctx.own_party(pid)))
        yield from table(
            ctx.ts,
            ["Party", "Current stance"],
            ([ctx.party(pid), stance_span(stances.get(pid))] for pid in parties),
            [220, 200],
        )
    yield ctx.heading("Open actions", 0)
    yield from actions_table(ctx, ((a, False) for a in brief.open_actions))


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


def options_matrix(ctx: Ctx) -> Iterator[Flowable]:
    assert ctx.case_id is not None
    ctx.begin()
    with ctx.vault.session() as s:
        yield from title_block(
            ctx, f"Options — {ctx.case_row.title}", f"Options matrix · {ctx.view.label}"
        )
        options = s.execute(
            select(*_OPTION_COLS)
            .where(Option.case_id == ctx.case_id)
            .order_by(Option.raised_on, Option.id)
        ).all()
        visible = [o for o in options if option_visible(ctx, o)]
        ctx.withhold(len(options) - len(visible))
        parties = [pid for pid in ctx.parties if ctx.view.profile(pid) is not NONE]
        done = 0
        if not visible:
            yield ctx.text("No options recorded.", META)
        avail = landscape(A4)[0] - 2 * MARGIN_X  # options, status, then one column per party
        party_w = max(min(150.0, (avail - 260) / max(len(parties), 1)), 70.0)
        widths = [avail - 70 - party_w * len(parties), 70, *([party_w] * len(parties))]
        histories = case_stance_histories(s, ctx.case_id)
        for start in range(0, len(visible), TABLE_ROWS):
            chunk = visible[start : start + TABLE_ROWS]
            stances = {
                (o.id, pid): changes[-1]
                for o in chunk
                for pid, changes in histories.get(o.id, {}).items()
                if changes
            }
            ctx.withhold(
                sum(
                    1
                    for o in chunk
                    for pid in ctx.parties
                    if ctx.view.stance(o.id, pid) is NONE and (o.id, pid) in stances
                )
            )
            rows = []
            for o in chunk:
                label: list[Span] = [Span(ctx.free(o.title), bold=True)]
                label.append(Span(f"\nraised {day(o.raised_on)} {raised_by(ctx, o)}", color=MUTED))
                rows.append(
                    [label, words(o.status)]
                    + [stance_span(stances.get((o.id, pid)), "—") for pid in parties]
                )
            yield from table(
                ctx.ts, ["Option", "Status", *[ctx.party(p) for p in parties]], rows, widths
            )
            done += len(chunk)
            yield Mark(done)


def session_notes(ctx: Ctx, session_id: int) -> Iterator[Flowable]:
    ctx.begin()
    with ctx.vault.session() as s:
        sess = s.get(CaseSession, session_id)
        assert sess is not None
        yield from title_block(ctx, sess.title, f"Session notes · {ctx.view.label}")
        yield ctx.text(
            f"{words(sess.kind).capitalize()} · {words(sess.status)} · {moment(sess.starts_at)}"
            + (f" · {ctx.free(sess.place)}" if sess.place else ""),
            META,
        )
        parts = list(notes_part(ctx, s, session_id))
        if parts:
            yield from parts
        else:
            yield ctx.text("No notes.", META)


def recovery_sheet(
    ts: Typesetter, vault_path: Path, key: str, generated: datetime
) -> list[Flowable]:
    """The recovery key with plain instructions — nothing else from the vault."""
    hex_key = key.replace("-", "").lower()
    big = TextStyle(size=17, bold=True, align="center", space_before=10, space_after=12)
    groups = key.split("-")
    lines = [" ".join(groups[i : i + 4]) for i in range(0, len(groups), 4)]
    step = BODY.but(size=10.5, space_after=5, indent=12)
    return [
        Text(ts, "Recovery sheet", TITLE),
        Text(ts, f"Vault file: {vault_path.name}", BODY.but(size=11)),
        Text(ts, f"Printed: {generated:%Y-%m-%d %H:%M}", BODY.but(size=11, space_after=12)),
        Text(
            ts,
            "This key opens the vault if its passphrase is forgotten. Anyone who has it and the "
            "vault file can read everything in the vault.",
            BODY.but(size=10.5, space_after=6),
        ),
        Text(ts, "Recovery key", H2),
        Text(ts, "\n".join(lines), big),
        Text(ts, "What to do with this sheet", H2),
        Text(
            ts,
            "1. Keep it on paper, apart from the computer — for example in a sealed "
            "envelope in a safe. Do not photograph, scan or e-mail it.",
            step,
        ),
        Text(ts, "2. Do not write the passphrase on the same sheet.", step),
        Text(
            ts,
            "3. Changing the passphrase makes a new recovery key: this sheet then no "
            "longer works; print a new one and destroy this one.",
            step,
        ),
        Text(ts, "How to use it", H2),
        Text(
            ts,
            "In Liaison: open the vault and type the recovery key (the 64 letters and "
            "digits, with or without the dashes) instead of the passphrase. Then choose a new "
            "passphrase.",
            step,
        ),
        Text(
            ts,
            "Without Liaison: the vault is a standard SQLCipher 4 database. In the "
            "sqlcipher shell, open the file and enter:",
            step,
        ),
        Text(ts, f"PRAGMA key = \"x'{hex_key}'\";", SMALL.but(indent=24, space_after=8)),
        Spacer(1, 8),
        Text(ts, "Destroy this sheet (shred it) when it is no longer needed.", META.but(size=9)),
    ]
