"""What every document shares: text styles, how values are written (dates, enum words),
the export's context (:class:`Ctx`: vault, typesetter, audience, the case's parties and
rounds, what was left out) and tables cut into chunks of at most :data:`TABLE_ROWS` rows.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from reportlab.lib import colors
from reportlab.platypus import Flowable, Table, TableStyle
from sqlalchemy import select

from app.core.disclosure.audience import FULL, NONE, AudienceView
from app.core.errors import NotFound
from app.core.export.pdf.furniture import (
    ACCENT,
    CONFIDENTIAL_RED,
    MUTED,
    RULE,
    Heading,
)
from app.core.export.pdf.text import Rich, Span, Text, TextStyle, Typesetter, clip
from app.core.models import (
    Case,
    Disclosure,
    Option,
    Party,
    ProfileKind,
    Round,
    StanceKind,
)
from app.core.services.options import raised_by_phrase
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
    "text": "Text",
    "recovery": "Recovery sheet",
}


def words(value: Any) -> str:
    """An enum value as words: ``red_line`` -> ``red line``."""
    return str(getattr(value, "value", value)).replace("_", " ")


def snippet(value: str, limit: int) -> str:
    """The start of a text on one line, at most ``limit`` characters, "…" where it was cut."""
    value = " ".join(value.split())
    return value if len(value) <= limit else value[: limit - 1].rstrip() + "…"


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


def title_block(ctx: Ctx, title: str, subtitle: str) -> Iterator[Flowable]:
    """``title`` as stored: shown here with codenames, then cut when absurdly long (names are
    replaced first, so a cut never leaves part of a real name)."""
    yield ctx.text(clip(ctx.free(title)), TITLE)
    yield ctx.text(subtitle, SUBTITLE)


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
