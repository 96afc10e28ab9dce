"""The timeline paged by keyset: in any page size, both directions, with a party or a subset
of kinds, it equals one big page and the timeline as it was read before paging (the whole
case sorted in Python, copied below as the oracle), ties across kinds included; its count
comes from the indexes; its big reads (messages, deliveries) come from indexes in order."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import pytest
from sqlalchemy import text

from app.core.demo import generate_scale
from app.core.services.paging import Page
from app.core.services.records import Records
from app.core.services.timeline import (
    _SOURCES,
    EVENT_KINDS,
    TimelineEvent,
    _select,
    timeline,
    timeline_count,
    timeline_page,
)
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.core.paging_check import assert_pages_equal_one_big_page

# -- the oracle: timeline() as it was before paging (every row of the case, sorted) ----------


def _old_dt(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if isinstance(value, date):
        return datetime.combine(value, time(), tzinfo=UTC)
    parsed = datetime.fromisoformat(str(value))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _old_clip(s: str | None, n: int = 160) -> str:
    s = " ".join((s or "").split())
    return s if len(s) <= n else s[: n - 1] + "…"


_OLD_QUERIES: dict[str, str] = {
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


def _old_event(kind: str, row: Any) -> TimelineEvent:
    if kind == "message":
        mid, at, summary, content, disclosure, sp, rp, sname, rname = row
        parties = tuple(p for p in (sp, rp) if p is not None)
        who = f"{sname} → {rname}" if rname else sname
        return TimelineEvent(
            _old_dt(at), kind, mid, _old_clip(summary or content, 120), who, disclosure, parties
        )
    if kind == "delivery":
        did, at, content, place, rp, rname = row
        return TimelineEvent(
            _old_dt(at),
            kind,
            did,
            f"Delivered to {rname}",
            _old_clip(" · ".join(x for x in (place, content) if x)),
            None,
            (rp,),
        )
    if kind == "session":
        sid, at, title, skind, status, party_csv = row
        parties = tuple(int(p) for p in (party_csv or "").split(",") if p)
        detail = f"{skind.replace('_', ' ')} · {status}"
        return TimelineEvent(_old_dt(at), kind, sid, title, detail, None, parties)
    if kind == "note":
        nid, at, title, body = row
        return TimelineEvent(_old_dt(at), kind, nid, title or _old_clip(body, 80), _old_clip(body))
    if kind == "option":
        oid, at, title, status, party = row
        return TimelineEvent(
            _old_dt(at),
            kind,
            oid,
            f"Option raised: {title}",
            status.replace("_", " "),
            None,
            (party,) if party else (),
        )
    if kind == "stance":
        stid, at, title, stance, party, pname = row
        return TimelineEvent(
            _old_dt(at), kind, stid, f"{pname} {stance}: {title}", "", None, (party,)
        )
    aid, at, title, done, owner = row
    return TimelineEvent(
        _old_dt(at),
        "action",
        aid,
        title,
        ("done" if done else "due") + (f" · {owner}" if owner else ""),
    )


def old_timeline(
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
            for row in s.execute(text(_OLD_QUERIES[kind]), {"case_id": case_id}):
                ev = _old_event(kind, row)
                if party_id is None or party_id in ev.party_ids:
                    events.append(ev)
    events.sort(key=lambda e: (e.at, e.kind, e.record_id), reverse=newest_first)
    return events


# -- the data: a generated case, and events of every kind at the same instants ---------------

MIDNIGHT = datetime(2019, 6, 1, tzinfo=UTC)  # a DATE (option, action due) is this instant
NOON = MIDNIGHT + timedelta(hours=12)


@pytest.fixture(scope="module")
def scale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Vault, int, int, int]]:
    """(vault, case, the party with most events, a party that sends to itself)."""
    v = Vault.create(tmp_path_factory.mktemp("tl") / "t.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    generate_scale(v, messages=700, cases=1)
    with v.session() as s:
        case_id = s.execute(text("SELECT id FROM cases")).scalar_one()
        a, b = s.execute(text("SELECT id FROM parties ORDER BY id LIMIT 2")).scalars().all()
        person = s.execute(text("SELECT id FROM people LIMIT 1")).scalar_one()
    r = Records(v)
    for at in (MIDNIGHT, NOON):  # every kind at the same instant, twice each
        for k in range(2):
            r.create("message", case_id=case_id, sender_party_id=a, recipient_party_id=b,
                     said_at=at, summary=f"Tie {k}")  # fmt: skip
            r.create("delivery", case_id=case_id, recipient_party_id=a, delivered_at=at)
            r.create("note", case_id=case_id, title=f"Tie {k}", written_at=at)
            sid = r.create("session", case_id=case_id, title=f"Tie {k}", kind="call",
                           starts_at=at)  # fmt: skip
            r.create("participant", session_id=sid, person_id=person, party_id=a)
            oid = r.create("option", case_id=case_id, title=f"Tie {k}", raised_on=at.date(),
                           raised_by_party_id=a)  # fmt: skip
            r.create("stance", option_id=oid, party_id=a, stance="open", recorded_at=at)
            r.create("action", case_id=case_id, title=f"Due {k}", due_on=at.date())
            r.create("action", case_id=case_id, title=f"Done {k}", done=True, done_at=at)
    # A message from a party to itself (refused today, perhaps held by an older vault):
    # found by both of the party's reads, shown once.
    mid = r.create("message", case_id=case_id, sender_party_id=a, recipient_party_id=b,
                   said_at=NOON, summary="To itself")  # fmt: skip
    with v.transaction() as s:
        s.execute(
            text("UPDATE messages SET recipient_party_id = :a WHERE id = :m"), {"a": a, "m": mid}
        )
    yield v, case_id, a, b
    v.lock()


def _fetch(vault: Vault, case_id: int, **kw: Any) -> Any:
    def fetch(after: Any, limit: int) -> Page[TimelineEvent]:
        return timeline_page(vault, case_id, after=after, limit=limit, **kw)

    return fetch


FILTERS = [
    pytest.param({}, id="all"),
    pytest.param({"party": True}, id="party"),
    pytest.param({"kinds": ("session", "message", "option", "action")}, id="kinds"),
    pytest.param({"kinds": ("delivery", "stance", "note"), "party": True}, id="kinds+party"),
]


def _args(scale: tuple[Vault, int, int, int], f: dict[str, Any]) -> dict[str, Any]:
    _, _, a, _ = scale
    out: dict[str, Any] = {"party_id": a} if f.get("party") else {}
    if "kinds" in f:
        out["kinds"] = f["kinds"]
    return out


def test_the_data_has_ties_across_kinds(scale: tuple[Vault, int, int, int]) -> None:
    vault, case_id, _, _ = scale
    events = old_timeline(vault, case_id)
    assert len(events) > 1000
    at_midnight = {e.kind for e in events if e.at == MIDNIGHT}
    assert at_midnight == set(EVENT_KINDS)  # dates and times at the same instant
    at_noon = [e.kind for e in events if e.at == NOON]  # options are raised on a day
    assert sorted(at_noon) == sorted([k for k in EVENT_KINDS if k != "option"] * 2 + ["message"])


@pytest.mark.parametrize("newest_first", [False, True], ids=["oldest", "newest"])
@pytest.mark.parametrize("f", FILTERS)
def test_pages_equal_one_big_page_and_the_old_timeline(
    scale: tuple[Vault, int, int, int], f: dict[str, Any], newest_first: bool
) -> None:
    vault, case_id, _, _ = scale
    args = _args(scale, f)
    old = old_timeline(vault, case_id, newest_first=newest_first, **args)
    # Small pages over 1,000 events are slow: the ties are paged one by one below.
    sizes = (7, 60, 333) if len(old) > 600 else (1, 2, 7, 60)
    whole = assert_pages_equal_one_big_page(
        _fetch(vault, case_id, newest_first=newest_first, **args), sizes, at_least=20
    )
    assert whole == old
    assert [e.key for e in whole] == sorted((e.key for e in old), reverse=newest_first)
    assert timeline(vault, case_id, newest_first=newest_first, **args) == old
    assert timeline_count(vault, case_id, **args) == len(old)


@pytest.mark.parametrize("newest_first", [False, True], ids=["oldest", "newest"])
@pytest.mark.parametrize("party", [False, True], ids=["all", "party"])
def test_paged_one_by_one_through_the_ties(
    scale: tuple[Vault, int, int, int], newest_first: bool, party: bool
) -> None:
    vault, case_id, a, _ = scale
    args: dict[str, Any] = {"newest_first": newest_first, "party_id": a if party else None}
    old = old_timeline(vault, case_id, **args)
    tied = [i for i, e in enumerate(old) if e.at in (MIDNIGHT, NOON)]
    start, end = min(tied) - 2, max(tied) + 3
    after, seen = old[start - 1].key, list[TimelineEvent]()
    while len(seen) < end - start:
        page = timeline_page(vault, case_id, after=after, limit=1, **args)
        seen += page.rows
        after = page.after
    assert seen == old[start:end]


def test_a_message_to_the_own_party_is_shown_once(scale: tuple[Vault, int, int, int]) -> None:
    vault, case_id, a, _ = scale
    to_itself = [e for e in timeline(vault, case_id, party_id=a) if e.title == "To itself"]
    assert len(to_itself) == 1
    # The page ends on it and on its twin read: the next page starts after it, once.
    keys = [e.key for e in timeline(vault, case_id, party_id=a)]
    i = next(
        i for i, e in enumerate(timeline(vault, case_id, party_id=a)) if e.title == "To itself"
    )
    first = timeline_page(vault, case_id, party_id=a, limit=i + 1)
    rest = timeline_page(vault, case_id, party_id=a, after=first.after, limit=5)
    assert [e.key for e in first.rows + rest.rows] == keys[: i + 6]


def test_a_party_of_another_case_has_no_events(scale: tuple[Vault, int, int, int]) -> None:
    vault, _, a, _ = scale
    other = Records(vault).create("case", title="Other")
    assert timeline_page(vault, other, party_id=a).rows == []
    assert timeline_count(vault, other, party_id=a) == 0


def test_an_action_done_without_a_date_is_left_out(vault: Vault) -> None:
    # Before paging, such an action made the whole timeline fail (no time to parse).
    r = Records(vault)
    c = r.create("case", title="Undated")
    r.create("action", case_id=c, title="Done, date unknown", done=True)
    dated = r.create("action", case_id=c, title="Due", due_on=date(2026, 1, 2))
    assert [e.record_id for e in timeline(vault, c)] == [dated]
    assert timeline_count(vault, c) == 1


# -- the plans: the big kinds read from their indexes in the view's order ---------------------

INDEXES = {
    ("message", 0): "ix_messages_case_said_at",
    ("message", 1): "ix_messages_sender",
    ("message", 2): "ix_messages_recipient",
    ("delivery", 0): "ix_deliveries_case_at",
    ("delivery", 1): "ix_deliveries_recipient",
}


def _plan(vault: Vault, sql: str) -> list[str]:
    params = {"case_id": 1, "party_id": 1, "limit": 61, "after_at": "2019", "after_id": 1}
    with vault.session() as s:
        return [str(r[-1]) for r in s.execute(text("EXPLAIN QUERY PLAN " + sql), params)]


@pytest.mark.parametrize("kind", ["message", "delivery"])
@pytest.mark.parametrize("newest_first", [False, True], ids=["oldest", "newest"])
def test_messages_and_deliveries_are_read_from_an_index_in_order(
    scale: tuple[Vault, int, int, int], kind: str, newest_first: bool
) -> None:
    vault = scale[0]
    src = _SOURCES[kind]
    alias = src.tables.split()[1]
    for n, where in enumerate((src.scope, *src.party)):
        for after in (None, (NOON, "action", 1), (NOON, kind, 1), (NOON, "stance", 1)):
            for detail in (False, True):
                plan = _plan(vault, _select(kind, where, after, newest_first, detail=detail))
                text_ = "\n".join(plan)
                assert "TEMP B-TREE" not in text_, text_  # no sort: the index's order
                assert plan[0].startswith(f"SEARCH {alias} USING "), text_
                assert f"INDEX {INDEXES[(kind, n)]} " in plan[0], text_
                if n == 0 and not detail:  # the keys from the index alone
                    assert "COVERING INDEX" in plan[0], text_
                assert all("SCAN" not in line for line in plan), text_
    # Counted from the indexes alone.
    count = f"SELECT count(*) FROM {src.tables} WHERE {src.scope}"
    assert _plan(vault, count) == [
        f"SEARCH {alias} USING COVERING INDEX {INDEXES[(kind, 0)]} (case_id=?)"
    ]
    party_count = "\n".join(_plan(vault, src.party_count))
    assert "COVERING INDEX" in party_count and "SCAN messages" not in party_count
    assert " USING INDEX" not in party_count, party_count  # no row read to count
