"""A case's events by date: messages, deliveries, sessions, notes, option events, and
commitments made, their outcomes and handovers to outside audiences.

A case can hold a million messages, so the timeline is paged by keyset on its sort order,
(time, kind, record id), oldest or newest first: each page reads, per kind, the keys of at most
``limit + 1`` rows that follow the last row shown, from that kind's (case, time) index in the
view's order, merges them in Python, then reads the details of only the rows it keeps. The
work per page does not grow with the case. Each event is a small frozen dataclass the GUI can
hold without a database session.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.core.disclosure.rule import format_day
from app.core.services.paging import FIRST_PAGE, Page
from app.core.vault import Vault

EVENT_KINDS = ("message", "delivery", "session", "note", "option", "stance", "action")
# A commitment on the day it was made, each outcome of its course on its day, a handover to
# an outside audience on its day (issue 17). Read by default with the kinds above.
COMMITMENT_KINDS = ("commitment", "commitment_event", "handover")
TIMELINE_KINDS = EVENT_KINDS + COMMITMENT_KINDS

# How the columns store times: naive UTC text of one fixed width, so that text order is time
# order (SQLAlchemy's DateTime on SQLite). A DATE ('YYYY-MM-DD') is read as midnight UTC, and
# compared in this form too: bare, it would sort before every time of its own day.
_STORED = "%Y-%m-%d %H:%M:%S.%f"
_MIDNIGHT = " 00:00:00.000000"

Key = tuple[datetime, str, int]  # (at, kind, record id): the sort order, and a page's ``after``


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str  # one of TIMELINE_KINDS
    record_id: int
    title: str
    detail: str = ""
    disclosure: str | None = None  # messages, commitments and their outcomes
    party_ids: tuple[int, ...] = ()

    @property
    def key(self) -> Key:
        return (self.at, self.kind, self.record_id)


def _dt(value: Any) -> datetime:
    """SQLite returns text; the columns hold naive UTC (see UTCDateTime)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _stored(at: datetime) -> str:
    return at.astimezone(UTC).strftime(_STORED)


def _canonical(at: str) -> str:
    """``at`` as _STORED writes it (as every column holds it, unless written by hand)."""
    return at if len(at) == 26 and at[10] == " " else _stored(_dt(at))


def _clip(s: str | None, n: int = 160) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


@dataclass(frozen=True)
class _Source:
    """Where one kind of event is read from.

    ``tables`` is what the keys are read from (with the joins that decide which rows exist),
    ``joins`` what the details add. ``scope`` selects the case's rows; ``party`` the rows of
    one party (``:party_id``), one condition per index read, merged in Python: an OR would
    make SQLite collect and sort every row of the party. No ``party``: a party has none.
    ``both`` selects the rows found by more than one party read (to count them once)."""

    tables: str
    at: str  # the sort time as stored text (see _STORED)
    id: str
    scope: str
    party: tuple[str, ...]
    columns: str  # what _event reads
    joins: str = ""
    both: str = ""
    # The party's rows counted from its own indexes alone (no row read to check the case):
    # for a party of the case, whose records all belong to its case.
    party_count: str = ""


_SOURCES: dict[str, _Source] = {
    "message": _Source(
        tables="messages m",
        at="m.said_at",
        id="m.id",
        scope="m.case_id = :case_id",
        # The party's own indexes, in time order; the case is checked, not searched (+).
        party=(
            "m.sender_party_id = :party_id AND +m.case_id = :case_id",
            "m.recipient_party_id = :party_id AND +m.case_id = :case_id",
        ),
        both="m.sender_party_id = :party_id AND m.recipient_party_id = :party_id"
        " AND +m.case_id = :case_id",
        party_count="""SELECT
            (SELECT count(*) FROM messages WHERE sender_party_id = :party_id)
          + (SELECT count(*) FROM messages WHERE recipient_party_id = :party_id)
          - (SELECT count(*) FROM (SELECT id FROM messages WHERE sender_party_id = :party_id
                INTERSECT SELECT id FROM messages WHERE recipient_party_id = :party_id))""",
        columns="""m.id, m.said_at, m.summary, m.content, m.disclosure,
                   m.sender_party_id, m.recipient_party_id,
                   coalesce(sp.name, ''), coalesce(rp.name, '')""",
        joins="""LEFT JOIN parties sp ON sp.id = m.sender_party_id
                 LEFT JOIN parties rp ON rp.id = m.recipient_party_id""",
    ),
    "delivery": _Source(
        tables="deliveries d",
        at="d.delivered_at",
        id="d.id",
        scope="d.case_id = :case_id",
        party=("d.recipient_party_id = :party_id AND +d.case_id = :case_id",),
        party_count="SELECT count(*) FROM deliveries WHERE recipient_party_id = :party_id",
        # A delivery's recipient is a NOT NULL foreign key: the join loses no row.
        columns="d.id, d.delivered_at, d.content, d.place, d.recipient_party_id, p.name",
        joins="LEFT JOIN parties p ON p.id = d.recipient_party_id",
    ),
    "session": _Source(
        tables="sessions s",
        at="coalesce(s.starts_at, s.created_at)",
        id="s.id",
        scope="s.case_id = :case_id",
        party=(
            "s.case_id = :case_id AND EXISTS (SELECT 1 FROM participants pa"
            " WHERE pa.session_id = s.id AND pa.party_id = :party_id)",
        ),
        columns="""s.id, coalesce(s.starts_at, s.created_at), s.title, s.kind, s.status,
                   (SELECT group_concat(DISTINCT pa.party_id) FROM participants pa
                    WHERE pa.session_id = s.id)""",
    ),
    "note": _Source(
        tables="notes n",
        at="n.written_at",
        id="n.id",
        scope="n.case_id = :case_id",
        party=(),
        columns="n.id, n.written_at, n.title, n.body",
    ),
    "option": _Source(
        tables="options o",
        at=f"(o.raised_on || '{_MIDNIGHT}')",
        id="o.id",
        scope="o.case_id = :case_id",
        party=("o.case_id = :case_id AND o.raised_by_party_id = :party_id",),
        columns="o.id, o.raised_on, o.title, o.status, o.raised_by_party_id",
    ),
    "stance": _Source(
        tables="""stances st JOIN options o ON o.id = st.option_id
                  JOIN parties p ON p.id = st.party_id""",
        at="st.recorded_at",
        id="st.id",
        scope="o.case_id = :case_id",
        party=("o.case_id = :case_id AND st.party_id = :party_id",),
        columns="st.id, st.recorded_at, o.title, st.stance, st.party_id, p.name",
    ),
    "action": _Source(
        tables="actions a",
        at=f"coalesce(a.done_at, a.due_on || '{_MIDNIGHT}')",
        id="a.id",
        # An action done with no date has no place on a timeline.
        scope="a.case_id = :case_id AND (a.due_on IS NOT NULL OR a.done)"
        " AND coalesce(a.done_at, a.due_on) IS NOT NULL",
        party=(),
        columns="a.id, coalesce(a.done_at, a.due_on), a.title, a.done, a.owner",
    ),
    # A case holds tens or hundreds of commitments, not millions: the case's rows are read
    # from its (case, due date) index and sorted by time.
    "commitment": _Source(
        tables="commitments c",
        at="c.made_at",
        id="c.id",
        scope="c.case_id = :case_id",
        # Made by the party, or to it.
        party=(
            "c.party_id = :party_id AND +c.case_id = :case_id",
            "c.case_id = :case_id AND c.to_party_id = :party_id",
        ),
        both="c.party_id = :party_id AND c.to_party_id = :party_id AND +c.case_id = :case_id",
        columns="""c.id, c.made_at, c.what, c.condition, c.due_on, c.disclosure,
                   c.party_id, c.to_party_id, coalesce(p.name, ''), coalesce(tp.name, '')""",
        joins="""LEFT JOIN parties p ON p.id = c.party_id
                 LEFT JOIN parties tp ON tp.id = c.to_party_id""",
    ),
    "commitment_event": _Source(
        tables="commitment_events e JOIN commitments c ON c.id = e.commitment_id",
        at=f"(e.\"on\" || '{_MIDNIGHT}')",
        id="e.id",
        scope="c.case_id = :case_id",
        party=(
            "c.party_id = :party_id AND +c.case_id = :case_id",
            "c.case_id = :case_id AND c.to_party_id = :party_id",
        ),
        both="c.party_id = :party_id AND c.to_party_id = :party_id AND +c.case_id = :case_id",
        columns="""e.id, e."on", e.status, e.verified_by, e.how, e.note, c.what, c.disclosure,
                   c.party_id, c.to_party_id, coalesce(p.name, '')""",
        joins="LEFT JOIN parties p ON p.id = c.party_id",
    ),
    "handover": _Source(
        tables="handovers h",
        at="h.handed_at",
        id="h.id",
        scope="h.case_id = :case_id",
        party=(),  # an outside audience is no party of the case
        columns="""h.id, h.handed_at, coalesce(o.name, ''), h.sources_named, h.note,
                   (SELECT count(*) FROM handover_items i WHERE i.handover_id = h.id)""",
        joins="LEFT JOIN outsiders o ON o.id = h.outsider_id",
    ),
}

# What an outcome says of a commitment ("Commitment kept late: …"); search says it too.
OUTCOME_WORDS = {
    "pending": "pending again",
    "kept": "kept",
    "kept_late": "kept late",
    "partly_kept": "partly kept",
    "broken": "broken",
    "withdrawn": "withdrawn",
}
_HOW_WORDS = {"message": "from a message", "note": "own observation", "outside": "outside source"}
_ACRONYM = re.compile(r"\(([^()\s]{2,8})\)\s*$")


def short_party_name(party_name: str) -> str:
    """``KHM`` for "Korvan Highlands Movement (KHM)": a party's short name, if it has one."""
    found = _ACRONYM.search(party_name)
    return found.group(1) if found else party_name


def _promise(maker: str, what: str) -> str:
    return f"{short_party_name(maker)} — {_clip(what, 100).rstrip(' .')}"


def _commitment_event(kind: str, row: Any) -> TimelineEvent:
    if kind == "commitment":
        cid, at, what, condition, due_on, disclosure, party, to, pname, tname = row
        title = f"Commitment made: {_promise(pname, what)}"
        if due_on:
            title += f", due {format_day(_dt(due_on))}"
        detail = " · ".join(x for x in (f"to {tname}" if tname else "", _clip(condition)) if x)
        parties = tuple(p for p in (party, to) if p is not None)
        return TimelineEvent(_dt(at), kind, cid, title, detail, disclosure, parties)
    if kind == "commitment_event":
        eid, on, status, verified_by, how, note, what, disclosure, party, to, pname = row
        words = OUTCOME_WORDS.get(status, str(status).replace("_", " "))
        who = f"verified by {verified_by}" if verified_by else ""
        detail = " · ".join(x for x in (who, _HOW_WORDS.get(how, how), _clip(note)) if x)
        parties = tuple(p for p in (party, to) if p is not None)
        title = f"Commitment {words}: {_promise(pname, what)}"
        return TimelineEvent(_dt(on), kind, eid, title, detail, disclosure, parties)
    hid, at, name, sources_named, note, items = row
    title = f"Handed over to {name}: {items} item{'' if items == 1 else 's'}"
    named = "sources named" if sources_named else "sources not named"
    return TimelineEvent(
        _dt(at), kind, hid, title, " · ".join(x for x in (named, _clip(note)) if x)
    )


def _event(kind: str, row: Any) -> TimelineEvent:
    if kind in COMMITMENT_KINDS:
        return _commitment_event(kind, row)
    if kind == "message":
        mid, at, summary, content, disclosure, sp, rp, sname, rname = row
        parties = tuple(p for p in (sp, rp) if p is not None)
        who = f"{sname} → {rname}" if rname else sname
        return TimelineEvent(
            _dt(at), kind, mid, _clip(summary or content, 120), who, disclosure, parties
        )
    if kind == "delivery":
        did, at, content, place, rp, rname = row
        return TimelineEvent(
            _dt(at),
            kind,
            did,
            f"Delivered to {rname}",
            _clip(" · ".join(x for x in (place, content) if x)),
            None,
            (rp,),
        )
    if kind == "session":
        sid, at, title, skind, status, party_csv = row
        parties = tuple(int(p) for p in (party_csv or "").split(",") if p)
        detail = f"{skind.replace('_', ' ')} · {status}"
        return TimelineEvent(_dt(at), kind, sid, title, detail, None, parties)
    if kind == "note":
        nid, at, title, body = row
        return TimelineEvent(_dt(at), kind, nid, title or _clip(body, 80), _clip(body))
    if kind == "option":
        oid, at, title, status, party = row
        return TimelineEvent(
            _dt(at),
            kind,
            oid,
            f"Option raised: {title}",
            status.replace("_", " "),
            None,
            (party,) if party else (),
        )
    if kind == "stance":
        stid, at, title, stance, party, pname = row
        return TimelineEvent(_dt(at), kind, stid, f"{pname} {stance}: {title}", "", None, (party,))
    aid, at, title, done, owner = row
    return TimelineEvent(
        _dt(at),
        "action",
        aid,
        title,
        ("done" if done else "due") + (f" · {owner}" if owner else ""),
    )


def _reads(kind: str, party_id: int | None) -> tuple[str, ...]:
    """The conditions of one kind's index reads (one per stream of rows in time order)."""
    source = _SOURCES[kind]
    return (source.scope,) if party_id is None else source.party


def _reads_of(kinds: tuple[str, ...], party_id: int | None) -> list[tuple[str, str]]:
    return [(kind, where) for kind in kinds for where in _reads(kind, party_id)]


def _seek(kind: str, after: Key | None, newest_first: bool) -> str:
    """Where ``kind``'s rows that come after ``after`` in the sort order start: a later
    time, or the same time with a later kind, or the same time and kind and a later id."""
    if after is None:
        return "1"
    source = _SOURCES[kind]
    _, after_kind, _ = after
    later = "<" if newest_first else ">"
    if kind == after_kind:
        return f"({source.at}, {source.id}) {later} (:after_at, :after_id)"
    if (kind > after_kind) != newest_first:
        return f"{source.at} {later}= :after_at"  # the same time sorts after
    return f"{source.at} {later} :after_at"


def _select(kind: str, where: str, after: Key | None, newest_first: bool, *, detail: bool) -> str:
    """One index read of ``kind`` in the page's order: its keys, or its rows' details."""
    source = _SOURCES[kind]
    way = "DESC" if newest_first else "ASC"
    columns, joins = (source.columns, source.joins) if detail else (f"{source.at}, {source.id}", "")
    return (
        f"SELECT {columns} FROM {source.tables} {joins}"
        f" WHERE {where} AND {_seek(kind, after, newest_first)}"
        f" ORDER BY {source.at} {way}, {source.id} {way} LIMIT :limit"
    )


def _keys(
    s: Session, kind: str, where: str, params: dict[str, Any], after: Key | None, desc: bool
) -> list[tuple[str, str, int]]:
    """(stored time, kind, id) of a read's rows: the stored text sorts as the time does."""
    sql = _select(kind, where, after, desc, detail=False)
    return [(_canonical(at), kind, rid) for at, rid in s.execute(text(sql), params)]


def timeline_page(
    vault: Vault,
    case_id: int,
    *,
    kinds: tuple[str, ...] = TIMELINE_KINDS,
    party_id: int | None = None,
    newest_first: bool = False,
    after: Key | None = None,
    limit: int = FIRST_PAGE,
) -> Page[TimelineEvent]:
    """The ``limit`` events after ``after`` (a page's ``after``; None: the first page), in
    the order of (time, kind, record id), newest first if asked; only ``kinds``, only those
    about ``party_id`` (a message it sent or received, a delivery to it, a session it
    attended, an option it raised, its stance, a commitment it made or was made to and its
    outcomes) if given."""
    params: dict[str, Any] = {"case_id": case_id, "party_id": party_id, "limit": limit + 1}
    if after is not None:
        params.update(after_at=_stored(after[0]), after_id=after[2])
    reads = _reads_of(kinds, party_id)
    with vault.session() as s:
        # 1. The keys of at most limit + 1 rows per index read, merged into the page's order.
        streams = [
            [(*key, n) for key in _keys(s, kind, where, params, after, newest_first)]
            for n, (kind, where) in enumerate(reads)
        ]
        kept: list[tuple[str, str, int]] = []
        taken = [0] * len(reads)  # rows of each read that are in the page
        merged: Iterator[tuple[str, str, int, int]] = heapq.merge(
            *streams, key=lambda k: k[:3], reverse=newest_first
        )
        for at, kind, rid, n in merged:
            if kept and kept[-1] == (at, kind, rid):
                taken[n] += len(kept) <= limit  # one message, read as sent and as received
                continue
            if len(kept) == limit + 1:
                break
            kept.append((at, kind, rid))
            taken[n] += len(kept) <= limit
        # 2. The details of the rows kept: each read again, as far as the page goes.
        events: dict[tuple[str, int], TimelineEvent] = {}
        for n, (kind, where) in enumerate(reads):
            if taken[n]:
                sql = _select(kind, where, after, newest_first, detail=True)
                for row in s.execute(text(sql), {**params, "limit": taken[n]}):
                    ev = _event(kind, row)
                    events[(kind, ev.record_id)] = ev
    rows = [events[(k, rid)] for _, k, rid in kept[:limit] if (k, rid) in events]
    more = len(kept) > limit and bool(rows)
    return Page(rows, rows[-1].key if more else None)


def timeline_count(
    vault: Vault,
    case_id: int,
    kinds: tuple[str, ...] = TIMELINE_KINDS,
    party_id: int | None = None,
) -> int:
    """How many events ``timeline_page`` pages through, counted from the indexes."""
    params = {"case_id": case_id, "party_id": party_id}
    total = 0
    with vault.session() as s:
        ours = (
            party_id is not None
            and s.execute(
                text("SELECT 1 FROM parties WHERE id = :party_id AND case_id = :case_id"), params
            ).first()
        )
        for kind in kinds:
            source = _SOURCES[kind]
            if ours and source.party_count:
                total += s.execute(text(source.party_count), params).scalar_one()
                continue
            wheres = _reads(kind, party_id)
            for where in wheres:
                sql = f"SELECT count(*) FROM {source.tables} WHERE {where}"
                total += s.execute(text(sql), params).scalar_one()
            if len(wheres) > 1 and source.both:  # found by two reads, counted once
                sql = f"SELECT count(*) FROM {source.tables} WHERE {source.both}"
                total -= s.execute(text(sql), params).scalar_one()
    return total


def timeline(
    vault: Vault,
    case_id: int,
    *,
    kinds: tuple[str, ...] = TIMELINE_KINDS,
    party_id: int | None = None,
    newest_first: bool = False,
) -> list[TimelineEvent]:
    """Every event of the case (exports, the CLI), in the pages' order: the same reads as a
    page's details, whole, sorted once (reading the keys first, as a page does, would add a
    third to the time of a whole case)."""
    params: dict[str, Any] = {"case_id": case_id, "party_id": party_id, "limit": -1}
    events: list[TimelineEvent] = []
    with vault.session() as s:
        for kind, where in _reads_of(kinds, party_id):
            sql = _select(kind, where, None, newest_first, detail=True)
            events.extend(_event(kind, row) for row in s.execute(text(sql), params))
    events.sort(key=lambda e: e.key, reverse=newest_first)
    # A message a party sent to itself is read twice (as sent and as received).
    return [e for i, e in enumerate(events) if i == 0 or e.key != events[i - 1].key]
