"""A case's events by date: messages, deliveries, sessions, notes and option events.

Read with plain SQL per kind (a case can hold 100,000 messages) and merged in Python;
each event is a small frozen dataclass the GUI can hold without a database session.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Any

from sqlalchemy import text

from app.core.vault import Vault

EVENT_KINDS = ("message", "delivery", "session", "note", "option", "stance", "action")


@dataclass(frozen=True)
class TimelineEvent:
    at: datetime
    kind: str  # one of EVENT_KINDS
    record_id: int
    title: str
    detail: str = ""
    disclosure: str | None = None  # messages only
    party_ids: tuple[int, ...] = ()


def _dt(value: Any) -> datetime:
    """SQLite returns text; the columns hold naive UTC (see UTCDateTime)."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _clip(s: str | None, n: int = 160) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


_QUERIES: dict[str, str] = {
    "message": """SELECT m.id, m.said_at, m.summary, m.content, m.disclosure,
                         m.sender_party_id, m.recipient_party_id,
                         coalesce(sp.name, ''), coalesce(rp.name, '')
                  FROM messages m
                  LEFT JOIN parties sp ON sp.id = m.sender_party_id
                  LEFT JOIN parties rp ON rp.id = m.recipient_party_id
                  WHERE m.case_id = :case_id""",
    "delivery": """SELECT d.id, d.delivered_at, d.content, d.place, d.recipient_party_id, p.name
                   FROM deliveries d JOIN parties p ON p.id = d.recipient_party_id
                   WHERE d.case_id = :case_id""",
    "session": """SELECT s.id, coalesce(s.starts_at, s.created_at), s.title, s.kind, s.status,
                         (SELECT group_concat(DISTINCT pa.party_id) FROM participants pa
                          WHERE pa.session_id = s.id)
                  FROM sessions s WHERE s.case_id = :case_id""",
    "note": "SELECT id, written_at, title, body FROM notes WHERE case_id = :case_id",
    "option": """SELECT id, raised_on, title, status, raised_by_party_id
                 FROM options WHERE case_id = :case_id""",
    "stance": """SELECT st.id, st.recorded_at, o.title, st.stance, st.party_id, p.name
                 FROM stances st JOIN options o ON o.id = st.option_id
                 JOIN parties p ON p.id = st.party_id
                 WHERE o.case_id = :case_id""",
    "action": """SELECT id, coalesce(done_at, due_on), title, done, owner
                 FROM actions WHERE case_id = :case_id AND (due_on IS NOT NULL OR done)""",
}


def _event(kind: str, row: Any) -> TimelineEvent:
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


def timeline(
    vault: Vault,
    case_id: int,
    *,
    kinds: tuple[str, ...] = EVENT_KINDS,
    party_id: int | None = None,
    newest_first: bool = False,
) -> list[TimelineEvent]:
    events: list[TimelineEvent] = []
    with vault.session() as s:
        for kind in kinds:
            for row in s.execute(text(_QUERIES[kind]), {"case_id": case_id}):
                ev = _event(kind, row)
                if party_id is None or party_id in ev.party_ids:
                    events.append(ev)
    events.sort(key=lambda e: (e.at, e.kind, e.record_id), reverse=newest_first)
    return events
