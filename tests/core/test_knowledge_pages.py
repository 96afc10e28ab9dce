"""The knowledge views read a page at a time: through an index in the view's order (never a
scan or a sort of the whole case), a fixed few statements a page, keys that say which group
a page stopped in, reading on past the rows the rule skips, and counts from the indexes.
(That the pages equal one big page and the old whole functions: test_knowledge_oracle.py.)"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import event

from app.core.errors import NotFound
from app.core.models import PartyKind
from app.core.services.knowledge import (
    knowledge_count,
    knowledge_matrix,
    knowledge_page,
    knowledge_parties,
    ledger,
    ledger_count,
    ledger_page,
)
from app.core.services.paging import every_page
from app.core.services.pending import (
    AWAITED,
    DELIVER,
    OTHER,
    PENDING,
    PendingKind,
    delivery_sources_page,
    pending_deliveries,
    pending_page,
)
from app.core.services.records import Records
from app.core.services.shuttle import record_delivery
from app.core.vault import Vault
from tests.core.test_knowledge_data import Scale, build_scale

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def scale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scale]:
    yield from build_scale(tmp_path_factory)


@contextlib.contextmanager
def statements(vault: Vault) -> Iterator[list[tuple[str, Any]]]:
    seen: list[tuple[str, Any]] = []

    def note(_c: Any, _cur: Any, statement: str, params: Any, _ctx: Any, _many: Any) -> None:
        seen.append((statement, params))

    event.listen(vault.engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(vault.engine, "before_cursor_execute", note)


def plans(vault: Vault, call: Callable[[], Any]) -> list[tuple[str, list[str]]]:
    """(statement, its EXPLAIN QUERY PLAN lines) of every statement ``call`` runs."""
    with statements(vault) as seen:
        call()
    out = []
    with vault.session() as s:
        for statement, params in seen:
            if statement.lstrip().upper().startswith("SELECT"):
                rows = s.connection().exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params)
                out.append((statement, [str(r[3]) for r in rows]))
    return out


BIG = ("messages", "deliveries", "delivery_items", "releases")


def test_every_page_reads_through_an_index_in_its_order(scale: Scale) -> None:
    v, case, at = scale.vault, scale.case, scale.at
    mov = scale.parties[1]
    calls: dict[str, tuple[Callable[[], Any], set[str]]] = {
        "ledger": (lambda: ledger_page(v, mov), {"ix_deliveries_recipient"}),
        "ledger, deeper": (
            lambda: ledger_page(v, mov, after=ledger_page(v, mov, limit=30).after),
            {"ix_deliveries_recipient"},
        ),
        "matrix": (lambda: knowledge_page(v, case), {"ix_messages_case_said_at"}),
        "matrix, deeper": (
            lambda: knowledge_page(v, case, after=knowledge_page(v, case, limit=300).after),
            {"ix_messages_case_said_at", "ix_delivery_items_message"},
        ),
        "to deliver": (
            lambda: pending_page(v, case, at=at),
            {"ix_messages_case_said_at", "ix_delivery_items_message"},
        ),
        "replies awaited": (
            lambda: pending_page(v, case, at=at, after=(AWAITED,)),
            {"ix_deliveries_case_at", "ix_delivery_items_message", "ix_messages_reply"},
        ),
        "sources, pending": (
            lambda: delivery_sources_page(v, case, mov, at=at),
            {"ix_messages_recipient"},
        ),
        "sources, the others": (
            lambda: delivery_sources_page(v, case, mov, at=at, after=(OTHER,)),
            {"ix_messages_case_said_at"},
        ),
    }
    for name, (call, indexes) in calls.items():
        found = plans(v, call)
        used = " ".join(line for _, lines in found for line in lines)
        for index in indexes:
            assert index in used, (name, index, used)
        for statement, lines in found:
            tables = set(re.findall(r"\bFROM (\w+)", statement))
            for line in lines:
                # No table of the case read whole, and no sort but of a page's few rows
                # (a page's releases; the messages delivered at the same moment).
                assert not re.match(rf"SCAN ({'|'.join(BIG)})\b", line), (name, line)
                if "TEMP B-TREE" in line:
                    assert tables == {"releases"} or "LAST TERM" in line, (name, line)


def test_a_page_takes_a_few_statements_wherever_it_starts(scale: Scale) -> None:
    v, case, at = scale.vault, scale.case, scale.at
    mov = scale.parties[1]
    for call in (
        lambda: knowledge_page(v, case, after=knowledge_page(v, case, limit=500).after),
        lambda: pending_page(v, case, at=at, after=pending_page(v, case, at=at, limit=100).after),
        lambda: ledger_page(v, mov, after=ledger_page(v, mov, limit=20).after),
        lambda: delivery_sources_page(v, case, mov, at=at, after=(OTHER,)),
    ):
        call()  # (warm)
        with statements(v) as seen:
            call()
        assert len(seen) <= 20, len(seen)  # both pages: each a handful


def test_keys_say_which_group_a_page_stopped_in(scale: Scale) -> None:
    v, case, at = scale.vault, scale.case, scale.at
    first = pending_page(v, case, at=at, limit=3)
    assert first.after[0] == DELIVER and [p.kind for p in first.rows] == [PendingKind.DELIVER] * 3
    awaited = pending_page(v, case, at=at, after=(AWAITED,), limit=3)
    assert awaited.after[0] == AWAITED
    assert {p.kind for p in awaited.rows} == {PendingKind.REPLY_AWAITED}
    whole = pending_deliveries(v, case, at=at)
    assert awaited.rows == [p for p in whole if p.kind is PendingKind.REPLY_AWAITED][:3]
    mov = scale.parties[1]
    sources = delivery_sources_page(v, case, mov, at=at, limit=2)
    assert sources.after[0] == PENDING and all(s.pending for s in sources.rows)
    others = delivery_sources_page(v, case, mov, at=at, after=(OTHER,), limit=5)
    assert others.after[0] == OTHER and not any(s.pending for s in others.rows)
    said = [s.said_at for s in others.rows]
    assert said == sorted(said, reverse=True)  # newest first


def test_counts_come_from_count_queries(scale: Scale) -> None:
    v = scale.vault
    for party in scale.parties:
        n = ledger_count(v, party)
        assert n == len(ledger(v, party))
        with statements(v) as seen:
            ledger_count(v, party)
        assert any("count(*)" in s for s, _ in seen)
    assert knowledge_count(v, scale.case) == len(knowledge_matrix(v, scale.case).rows) > 700


def test_unknown_case_or_party_is_not_found(vault: Vault) -> None:
    for call in (
        lambda: ledger_page(vault, 99),
        lambda: ledger_count(vault, 99),
        lambda: knowledge_page(vault, 99),
        lambda: knowledge_parties(vault, 99),
        lambda: knowledge_count(vault, 99),
        lambda: pending_page(vault, 99),
        lambda: delivery_sources_page(vault, 99, 1),
    ):
        with pytest.raises(NotFound):
            call()


def _confidential_run(vault: Vault, n: int) -> dict[str, int]:
    """A case where ``n`` confidential, unreleased messages for the movement come first (the
    rule skips them), then two it may be told, then one told and awaiting its answer."""
    r = Records(vault)
    case = r.create("case", title="Lake talks")
    gov = r.create("party", case_id=case, name="Government", kind="government")
    mov = r.create("party", case_id=case, name="Movement", kind="armed_group")
    med = r.create("party", case_id=case, name="Facilitators", kind="third_party")

    def msg(i: int, level: str, to: int = mov) -> int:
        return r.create(
            "message",
            case_id=case,
            sender_party_id=gov,
            recipient_party_id=to,
            said_at=T0 + timedelta(minutes=i),
            disclosure=level,
            summary=f"m{i}",
        )

    for i in range(n):
        msg(i, "confidential")
    ids = {"case": case, "gov": gov, "mov": mov, "med": med}
    ids["one"], ids["two"] = msg(n, "shareable"), msg(n + 1, "unattributed")
    ids["for_med"] = msg(n + 2, "shareable", to=med)  # for the facilitators: never pending
    ids["told"] = msg(n + 3, "shareable")
    record_delivery(
        vault,
        case_id=case,
        recipient_party_id=mov,
        delivered_at=T0 + timedelta(days=1),
        items=[(ids["told"], True)],
    )
    return ids


def test_a_page_reads_on_past_the_rows_the_rule_skips(vault: Vault) -> None:
    ids = _confidential_run(vault, 45)
    at = T0 + timedelta(days=2)
    first = pending_page(vault, ids["case"], at=at, limit=1)
    assert [p.message_id for p in first.rows] == [ids["one"]]
    rest = pending_page(vault, ids["case"], at=at, after=first.after, limit=5)
    assert [(p.message_id, p.kind) for p in rest.rows] == [
        (ids["two"], PendingKind.DELIVER),
        (ids["told"], PendingKind.REPLY_AWAITED),
    ]
    assert rest.after is None
    # The dialog offers the skipped ones among the others (they are not pending).
    sources = every_page(
        lambda a, n: delivery_sources_page(vault, ids["case"], ids["mov"], at=at, after=a, limit=n),
        4,
    )
    assert [s.message_id for s in sources if s.pending] == [ids["one"], ids["two"]]
    assert len([s for s in sources if not s.pending]) == 45 + 2  # + for_med, told


def test_the_matrix_keeps_the_columns_its_view_shows(vault: Vault) -> None:
    ids = _confidential_run(vault, 3)
    parties = knowledge_parties(vault, ids["case"])
    assert [p.kind for p in parties] == [
        PartyKind.GOVERNMENT,
        PartyKind.ARMED_GROUP,
        PartyKind.THIRD_PARTY,
    ]
    first = knowledge_page(vault, ids["case"], limit=2, parties=parties)
    Records(vault).create("party", case_id=ids["case"], name="Civic forum", kind="civil_society")
    later = knowledge_page(vault, ids["case"], after=first.after, parties=parties)
    assert {len(r.cells) for r in first.rows + later.rows} == {3}
    assert len(knowledge_page(vault, ids["case"]).rows[0].cells) == 4  # asked afresh: 4
