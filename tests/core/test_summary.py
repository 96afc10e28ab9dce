"""How a message is named (its summary, or the start of what was said), in Python and in the
paged lists' SQL; the rules for logging a message; confidential messages that can never be
passed are not "meant for, not yet told"."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.core.services import choices, lists
from app.core.services.messages import (
    SELF_ADDRESSED,
    capture_note,
    check_message,
    summary_of,
    summary_sql,
)
from app.core.services.records import Records
from app.core.services.shuttle import (
    Knowledge,
    PendingKind,
    knowledge_matrix,
    ledger,
    pending_deliveries,
    record_delivery,
    release,
    thread,
)
from app.core.vault import Vault

T0 = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)


# --- summary_of ---------------------------------------------------------------------------


def test_the_summary_wins_when_there_is_one() -> None:
    assert summary_of("  Ferry twice a week \n", "We can run the ferry.") == "Ferry twice a week"


def test_an_empty_summary_gives_the_first_sentence_of_what_was_said() -> None:
    content = "  We accept monitors. But not in the valley.\nSecond line."
    assert summary_of("", content) == "We accept monitors."
    assert summary_of(None, "Will you come? We wait.") == "Will you come?"
    assert summary_of(" ", "First line only\nsecond line. More") == "First line only"
    assert summary_of("", "") == ""
    assert summary_of("", None) == ""


def test_a_derived_summary_collapses_whitespace_and_is_cut_with_an_ellipsis() -> None:
    assert summary_of("", "Tabs\tand  double  spaces\r\n") == "Tabs and double spaces"
    long = "word " * 60
    derived = summary_of("", long)
    assert len(derived) == 100 and derived.endswith("…")
    assert derived == ("word " * 20)[:99].rstrip() + "…"
    assert summary_of("", "x" * 100) == "x" * 100  # exactly the limit: not cut


def _sql_summary(summary: str | None, content: str | None) -> str:
    conn = sqlite3.connect(":memory:")
    conn.execute("CREATE TABLE t (summary TEXT, content TEXT)")
    conn.execute("INSERT INTO t VALUES (?, ?)", (summary, content))
    (value,) = conn.execute(f"SELECT {summary_sql('t.summary', 't.content')} FROM t").fetchone()
    return str(value)


@pytest.mark.parametrize(
    ("summary", "content"),
    [
        ("Ferry twice a week", "ignored"),
        ("", "We accept monitors. But not in the valley."),
        ("", "Will you come? We wait! Soon."),
        ("", "Stop! Now."),
        ("", "  leading and trailing  \n\n next"),
        ("", "Tabs\tand  double  spaces\r\nsecond"),
        ("", "ends with a dot."),
        ("", "é" * 150),
        ("", "word " * 60),
        ("", ""),
        (None, None),
        ("\n", "only\nlines"),
        ("", "  " + "word  " * 100),  # longer than the part read, once collapsed
        ("", "a\t\t  b " * 80 + ". end"),
        ("", "x" * 500 + ". y"),
    ],
)
def test_the_sql_says_the_same(summary: str | None, content: str | None) -> None:
    assert _sql_summary(summary, content) == summary_of(summary, content)


# Runs of more than four spaces are where the SQL (two rounds of replace) stops collapsing.
_text = st.text(alphabet=st.sampled_from(list("ab .?!\t\r\néK")), max_size=140).filter(
    lambda s: "     " not in s.replace("\t", " ").replace("\r", " ")
)
_long = st.text(alphabet=st.sampled_from(list("ab .?!\t\n")), min_size=300, max_size=900).filter(
    lambda s: "     " not in s.replace("\t", " ")
)


@settings(max_examples=150, deadline=None)
@given(summary=st.sampled_from(["", " ", "Given"]), content=_text)
def test_the_sql_says_the_same_for_any_text(summary: str, content: str) -> None:
    assert _sql_summary(summary, content) == summary_of(summary, content)


@settings(max_examples=60, deadline=None)
@given(content=_long)
def test_the_sql_says_the_same_for_long_text(content: str) -> None:
    assert _sql_summary("", content) == summary_of("", content)


# --- the paged list and the shuttle views use it ------------------------------------------


def _case_with_captured_messages(vault: Vault, n: int = 12) -> tuple[int, int, int, list[int]]:
    r = Records(vault)
    case = r.create("case", title="Ferry talks")
    north = r.create("party", case_id=case, name="North Council", kind="government")
    south = r.create("party", case_id=case, name="South Front", kind="armed_group")
    ids = [
        r.create(
            "message",
            case_id=case,
            sender_party_id=north,
            recipient_party_id=south,
            said_at=T0 + timedelta(hours=i),
            disclosure="shareable",
            summary="" if i % 2 else f"Summary {i:02d}",
            content=f"Captured {chr(ord('a') + (7 * i) % 26)} words {i}. And more text.",
        )
        for i in range(n)
    ]
    return case, north, south, ids


def test_the_message_list_shows_and_sorts_derived_summaries_page_by_page(vault: Vault) -> None:
    case, _n, _s, ids = _case_with_captured_messages(vault)
    records = Records(vault)
    expected = {
        mid: summary_of(m["summary"], m["content"])
        for mid in ids
        if (m := records.get("message", mid))
    }
    col = 1 + [c.key for c in lists.LISTS["message"].columns].index("summary")
    for descending in (False, True):
        rows: list[tuple[object, ...]] = []
        after = None
        while True:  # keyset paging, 5 rows a page
            page = lists.fetch_page(
                vault,
                "message",
                scope_id=case,
                sort_key="summary",
                descending=descending,
                limit=5,
                after=after,
            )
            rows.extend(page)
            if len(page) < 5:
                break
            after = (page[-1][-1], page[-1][0])
        assert {int(str(r[0])): r[col] for r in rows} == expected
        shown = [str(r[col]) for r in rows]
        assert shown == sorted(shown, reverse=descending)
        assert len(rows) == len(ids)
    assert lists.fetch_row(vault, "message", ids[1])[col] == "Captured h words 1."  # type: ignore[index]
    [(_, label)] = [c for c in choices.choices(vault, "message", case) if c[0] == ids[1]]
    assert label.endswith("Captured h words 1.")


def test_the_shuttle_views_name_a_captured_message_by_its_words(vault: Vault) -> None:
    case, _north, south, ids = _case_with_captured_messages(vault, 2)
    captured = ids[1]
    pending = {p.message_id: p for p in pending_deliveries(vault, case, at=T0)}
    assert pending[captured].summary == "Captured h words 1."
    matrix = knowledge_matrix(vault, case)
    assert {r.message_id: r.summary for r in matrix.rows}[captured] == "Captured h words 1."
    assert [s.summary for s in thread(vault, captured)] == ["Captured h words 1."]
    record_delivery(
        vault,
        case_id=case,
        recipient_party_id=south,
        delivered_at=T0 + timedelta(days=1),
        items=[(captured, True)],
    )
    assert [e.summary for e in ledger(vault, south)] == ["Captured h words 1."]


# --- logging a message: the rules ---------------------------------------------------------


def test_a_party_cannot_send_a_message_to_itself(vault: Vault) -> None:
    _case, north, south, _ = _case_with_captured_messages(vault, 0)
    with pytest.raises(ValidationError, match="from a party to itself"):
        check_message({"sender_party_id": north, "recipient_party_id": north})
    check_message({"sender_party_id": north, "recipient_party_id": south})
    check_message({"sender_party_id": north, "recipient_party_id": None})
    # One of its people to another of its people is an exchange inside a delegation.
    r = Records(vault)
    a, b = r.create("person", name="Ana"), r.create("person", name="Bo")
    check_message(
        {
            "sender_party_id": north,
            "recipient_party_id": north,
            "sender_person_id": a,
            "recipient_person_id": b,
        }
    )
    note = capture_note(
        vault, sender_party_id=north, recipient_party_id=north, disclosure="shareable"
    )
    assert note.refusal == SELF_ADDRESSED and not note.warning


def test_a_confidential_message_for_the_other_side_is_warned_about(vault: Vault) -> None:
    case, north, south, _ = _case_with_captured_messages(vault, 0)
    r = Records(vault)
    med = r.create("party", case_id=case, name="Facilitators", kind="third_party")
    note = capture_note(
        vault, sender_party_id=north, recipient_party_id=south, disclosure="confidential"
    )
    assert note.refusal == ""
    assert note.warning.startswith("Confidential: this will never be passed to South Front")
    for recipient, level in ((south, "shareable"), (med, "confidential"), (None, "confidential")):
        quiet = capture_note(
            vault, sender_party_id=north, recipient_party_id=recipient, disclosure=level
        )
        assert quiet.warning == "" and quiet.refusal == ""


def test_a_confidential_message_is_withheld_not_pending(vault: Vault) -> None:
    case, north, south, _ = _case_with_captured_messages(vault, 0)
    r = Records(vault)
    secret = r.create(
        "message",
        case_id=case,
        sender_party_id=north,
        recipient_party_id=south,
        said_at=T0,
        disclosure="confidential",
        content="The minister may resign.",
    )
    later = T0 + timedelta(days=1)
    assert secret not in {p.message_id for p in pending_deliveries(vault, case, at=later)}
    assert knowledge_matrix(vault, case, at=later).cell(secret, south) is Knowledge.WITHHELD
    assert Knowledge.WITHHELD.value == "confidential, not to be passed"
    # Released to its recipient, it may travel: then it is meant for them, and pending.
    release(
        vault,
        message_id=secret,
        party_id=south,
        released_by="Mira",
        reason="The minister's office agreed.",
        released_at=T0 + timedelta(hours=1),
    )
    pending = [p for p in pending_deliveries(vault, case, at=later) if p.message_id == secret]
    assert [(p.kind, p.deliverable) for p in pending] == [(PendingKind.DELIVER, True)]
    assert knowledge_matrix(vault, case, at=later).cell(secret, south) is Knowledge.MEANT_FOR


def test_records_refuse_a_message_from_a_party_to_itself_however_it_is_written(
    vault: Vault,
) -> None:
    """The Messages page's New and Edit forms write through Records, not quick capture."""
    case, north, south, _ = _case_with_captured_messages(vault, 0)
    r = Records(vault)
    with pytest.raises(ValidationError, match="from a party to itself"):
        r.create(
            "message",
            case_id=case,
            said_at=T0,
            sender_party_id=north,
            recipient_party_id=north,
            summary="to itself",
        )
    mid = r.create(
        "message", case_id=case, said_at=T0, sender_party_id=north, recipient_party_id=south
    )
    with pytest.raises(ValidationError, match="from a party to itself"):
        r.update("message", mid, recipient_party_id=north)
    assert r.get("message", mid)["recipient_party_id"] == south
