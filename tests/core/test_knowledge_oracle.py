"""The knowledge views as they were before paging (issue #18), kept word for word as the
oracle: every paged view, read page by page, must equal what the old whole-case function
answered on the same data (a scale case with ties, multi-source deliveries, releases and
replies), and the disclosure rule must have been applied to each row exactly as before.

The old code (``_load_case`` read every message, delivery item and release of the case) is
below, only renamed (``old_*``); the tests are at the end."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from app.core.disclosure.guard import party_names, person_names, release_map
from app.core.disclosure.rule import MessageFacts, Refusal, ReleaseFacts, decide, why_not
from app.core.errors import NotFound
from app.core.models import (
    Case,
    Delivery,
    DeliveryItem,
    Disclosure,
    Message,
    Party,
    PartyKind,
    Person,
    utcnow,
)
from app.core.services.knowledge import (
    Knowledge,
    KnowledgeMatrix,
    LedgerEntry,
    MatrixRow,
    knowledge_matrix,
    knowledge_page,
    ledger,
    ledger_count,
    ledger_page,
)
from app.core.services.messages import FACILITATOR_KINDS, summary_sql
from app.core.services.paging import every_page
from app.core.services.pending import (
    DeliverySource,
    PendingItem,
    PendingKind,
    delivery_sources_page,
    pending_deliveries,
    pending_page,
)
from app.core.services.shuttle_facts import PartyRef
from app.core.vault import Vault
from tests.core.paging_check import assert_pages_equal_one_big_page
from tests.core.test_knowledge_data import Scale, build_scale

# --- the old implementation (the oracle) ------------------------------------------------


@dataclass(frozen=True)
class _Msg:
    facts: MessageFacts
    sender_person_id: int | None
    recipient_party_id: int | None
    recipient_person_id: int | None
    in_reply_to_id: int | None
    round_id: int | None


@dataclass(frozen=True)
class _Item:
    message_id: int
    delivery_id: int
    party_id: int
    delivered_at: datetime
    attributed: bool


_MESSAGE_COLUMNS: tuple[Any, ...] = (
    Message.id,
    Message.sender_party_id,
    Message.disclosure,
    Message.embargo_until,
    Message.said_at,
    # The summary, or the start of what was said when there is none (quick capture).
    literal_column(summary_sql("messages.summary", "messages.content")),
    Message.sender_person_id,
    Message.recipient_party_id,
    Message.recipient_person_id,
    Message.in_reply_to_id,
    Message.round_id,
)


def _msg(row: Any) -> _Msg:
    return _Msg(
        MessageFacts(row[0], row[1], Disclosure(row[2]), row[3], row[4], row[5] or ""),
        *row[6:11],
    )


@dataclass
class _Case:
    parties: dict[int, tuple[str, PartyKind]]
    messages: dict[int, _Msg]
    items: list[_Item]
    releases: dict[int, list[ReleaseFacts]]
    people: dict[int, str]

    def party_name(self, party_id: int | None) -> str:
        if party_id is None:
            return ""
        found = self.parties.get(party_id)
        return found[0] if found else f"party {party_id}"

    def source(self, party_id: int | None, person_id: int | None) -> str:
        return _source_name(self.party_name(party_id), self.people.get(person_id or 0, ""))

    def is_facilitator(self, party_id: int | None) -> bool:
        found = self.parties.get(party_id or 0)
        return found is not None and found[1] in FACILITATOR_KINDS


def _source_name(party: str, person: str) -> str:
    if person and party:
        return f"{person}, {party}"
    return person or party


def _load_case(s: Session, case_id: int) -> _Case:
    in_case = select(Message.id).where(Message.case_id == case_id)
    parties = {
        pid: (name, PartyKind(kind))
        for pid, name, kind in s.execute(
            select(Party.id, Party.name, Party.kind).where(Party.case_id == case_id)
        )
    }
    messages = {
        row[0]: _msg(row)
        for row in s.execute(
            select(*_MESSAGE_COLUMNS).where(Message.case_id == case_id).order_by(Message.id)
        )
    }
    items = [
        _Item(mid, did, pid, at, bool(attributed))
        for mid, did, pid, at, attributed in s.execute(
            select(
                DeliveryItem.message_id,
                Delivery.id,
                Delivery.recipient_party_id,
                Delivery.delivered_at,
                DeliveryItem.attributed,
            )
            .join(Delivery, Delivery.id == DeliveryItem.delivery_id)
            .where(DeliveryItem.message_id.in_(in_case))
            .order_by(Delivery.delivered_at, Delivery.id, DeliveryItem.message_id)
        )
    ]
    people = {
        pid: name
        for pid, name in s.execute(
            select(Person.id, Person.name).where(
                Person.id.in_(select(Message.sender_person_id).where(Message.case_id == case_id))
            )
        )
    }
    return _Case(parties, messages, items, release_map(s, in_case), people)


def _require_case(s: Session, case_id: int) -> None:
    if s.get(Case, case_id) is None:
        raise NotFound(f"There is no case number {case_id}.")


def _require_party(s: Session, party_id: int) -> Party:
    party = s.get(Party, party_id)
    if party is None:
        raise NotFound(f"There is no party number {party_id}.")
    return party


def old_pending_deliveries(
    vault: Vault, case_id: int, *, at: datetime | None = None
) -> list[PendingItem]:
    """What is still to do in the shuttle: messages meant for a party (recipient set, not the
    sender's own party, not the facilitating side) that no delivery has conveyed to it yet —
    with whether they may be conveyed now (``at``, default now) and why not — then the
    messages that were conveyed to the party they were meant for, which has not answered (no
    message from that party replies to them). Deliveries first by date said, then replies
    awaited by date delivered. A confidential message with no release for its recipient is
    not pending: it may never be passed on (the matrix shows it as ``WITHHELD``)."""
    now = at if at is not None else utcnow()
    with vault.session() as s:
        _require_case(s, case_id)
        case = _load_case(s, case_id)
        replies = {
            (reply_to, sender)
            for reply_to, sender in s.execute(
                select(Message.in_reply_to_id, Message.sender_party_id).where(
                    Message.in_reply_to_id.in_(select(Message.id).where(Message.case_id == case_id))
                )
            )
        }
    first_told: dict[tuple[int, int], _Item] = {}
    for item in case.items:
        first_told.setdefault((item.message_id, item.party_id), item)
    to_deliver: list[PendingItem] = []
    awaited: list[PendingItem] = []
    for m in sorted(case.messages.values(), key=lambda m: (m.facts.said_at, m.facts.id)):
        f = m.facts
        r = m.recipient_party_id
        if r is None or r == f.sender_party_id or case.is_facilitator(r):
            continue
        base = PendingItem(
            kind=PendingKind.DELIVER,
            message_id=f.id,
            party_id=r,
            party_name=case.party_name(r),
            sender_party_id=f.sender_party_id,
            sender=case.source(f.sender_party_id, m.sender_person_id),
            said_at=f.said_at,
            summary=f.summary,
            disclosure=f.disclosure,
            embargo_until=f.embargo_until,
            deliverable=True,
            may_name_source=True,
            blocked_by=None,
            why_not="",
        )
        told = first_told.get((f.id, r))
        if told is None:
            releases = case.releases.get(f.id, [])
            anon = decide(f, recipient_party_id=r, at=now, attributed=False, releases=releases)
            if anon.reason is Refusal.CONFIDENTIAL:
                continue  # never to be passed (unless released): nothing to do
            named = decide(f, recipient_party_id=r, at=now, attributed=True, releases=releases)
            to_deliver.append(
                replace(
                    base,
                    deliverable=anon.allowed,
                    may_name_source=named.allowed,
                    blocked_by=anon.reason,
                    why_not=why_not(f, anon.reason),
                )
            )
        elif (f.id, r) not in replies:
            awaited.append(
                replace(
                    base,
                    kind=PendingKind.REPLY_AWAITED,
                    may_name_source=told.attributed,
                    delivery_id=told.delivery_id,
                    delivered_at=told.delivered_at,
                )
            )
    awaited.sort(key=lambda p: (p.delivered_at or p.said_at, p.message_id))
    return to_deliver + awaited


def old_ledger(vault: Vault, party_id: int) -> list[LedgerEntry]:
    """Everything ``party_id`` has been told, in the order it was told."""
    with vault.session() as s:
        _require_party(s, party_id)
        told = (
            select(DeliveryItem.message_id)
            .join(Delivery, Delivery.id == DeliveryItem.delivery_id)
            .where(Delivery.recipient_party_id == party_id)
        )
        rows = s.execute(
            select(
                Delivery.delivered_at,
                Delivery.id,
                DeliveryItem.attributed,
                *_MESSAGE_COLUMNS,
            )
            .join(DeliveryItem, DeliveryItem.delivery_id == Delivery.id)
            .join(Message, Message.id == DeliveryItem.message_id)
            .where(Delivery.recipient_party_id == party_id)
            .order_by(Delivery.delivered_at, Delivery.id, DeliveryItem.message_id)
        ).all()
        releases = release_map(s, told)
        msgs = [_msg(row[3:]) for row in rows]
        parties = party_names(s, (m.facts.sender_party_id for m in msgs if m.facts.sender_party_id))
        people = person_names(s, (m.sender_person_id for m in msgs if m.sender_person_id))
    out: list[LedgerEntry] = []
    for row, m in zip(rows, msgs, strict=True):
        delivered_at, delivery_id, attributed = row[0], row[1], bool(row[2])
        f = m.facts
        verdict = decide(
            f,
            recipient_party_id=party_id,
            at=delivered_at,
            attributed=attributed,
            releases=releases.get(f.id, ()),
        )
        source = (
            _source_name(
                parties.get(f.sender_party_id or 0, ""), people.get(m.sender_person_id or 0, "")
            )
            if attributed
            else None
        )
        out.append(
            LedgerEntry(
                delivered_at=delivered_at,
                delivery_id=delivery_id,
                message_id=f.id,
                said_at=f.said_at,
                source=source,
                source_party_id=f.sender_party_id if attributed else None,
                source_person_id=m.sender_person_id if attributed else None,
                summary=f.summary,
                disclosure=f.disclosure,
                attributed=attributed,
                release_id=verdict.release_id,
            )
        )
    return out


def old_knowledge_matrix(
    vault: Vault, case_id: int, *, at: datetime | None = None
) -> KnowledgeMatrix:
    """The whole case at a glance, in five queries whatever its size. A message meant for a
    party that may not be told it as of ``at`` (default now) because it is confidential is
    ``WITHHELD`` there, not ``MEANT_FOR``."""
    now = at if at is not None else utcnow()
    with vault.session() as s:
        _require_case(s, case_id)
        case = _load_case(s, case_id)
    parties = tuple(PartyRef(pid, name, kind) for pid, (name, kind) in sorted(case.parties.items()))
    index = {p.id: j for j, p in enumerate(parties)}
    grid: dict[int, list[Knowledge]] = {}
    for m in case.messages.values():
        cells = [Knowledge.NONE] * len(parties)
        sender = m.facts.sender_party_id
        if sender in index:
            cells[index[sender]] = Knowledge.SENDER
        grid[m.facts.id] = cells
    for item in case.items:
        j = index.get(item.party_id)
        cells_ = grid.get(item.message_id)
        if j is None or cells_ is None or cells_[j] is Knowledge.SENDER:
            continue
        if item.attributed:
            cells_[j] = Knowledge.TOLD_ATTRIBUTED
        elif cells_[j] is not Knowledge.TOLD_ATTRIBUTED:
            cells_[j] = Knowledge.TOLD_UNATTRIBUTED
    rows: list[MatrixRow] = []
    for m in sorted(case.messages.values(), key=lambda m: (m.facts.said_at, m.facts.id)):
        f = m.facts
        cells = grid[f.id]
        r = m.recipient_party_id
        if (
            r in index
            and r != f.sender_party_id
            and not case.is_facilitator(r)
            and cells[index[r]] is Knowledge.NONE
        ):
            verdict = decide(
                f,
                recipient_party_id=r,
                at=now,
                attributed=False,
                releases=case.releases.get(f.id, ()),
            )
            withheld = verdict.reason is Refusal.CONFIDENTIAL
            cells[index[r]] = Knowledge.WITHHELD if withheld else Knowledge.MEANT_FOR
        rows.append(
            MatrixRow(
                message_id=f.id,
                said_at=f.said_at,
                summary=f.summary,
                sender_party_id=f.sender_party_id,
                recipient_party_id=r,
                disclosure=f.disclosure,
                embargo_until=f.embargo_until,
                cells=tuple(cells),
            )
        )
    return KnowledgeMatrix(case_id=case_id, parties=parties, rows=tuple(rows))


def old_delivery_sources(
    vault: Vault, case_id: int, party_id: int, at: datetime
) -> list[DeliverySource]:
    """The Deliver dialog's list as it was built (app/gui/sections/shuttle_dialogs.py), less
    its cap of 300: the pending ones for the party, then the rest newest first."""
    rows = [
        DeliverySource(p.message_id, p.said_at, p.sender, p.disclosure, p.summary, True)
        for p in old_pending_deliveries(vault, case_id, at=at)
        if p.party_id == party_id and p.kind == PendingKind.DELIVER
    ]
    seen = {s.message_id for s in rows}
    matrix = old_knowledge_matrix(vault, case_id, at=at)
    names = {p.id: p.name for p in matrix.parties}
    for r in reversed(matrix.rows):
        if r.message_id not in seen and r.sender_party_id != party_id:
            sender = names.get(r.sender_party_id or -1, "")
            rows.append(
                DeliverySource(r.message_id, r.said_at, sender, r.disclosure, r.summary, False)
            )
    return rows


# --- the tests ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def scale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scale]:
    yield from build_scale(tmp_path_factory)


def test_pending_equals_the_old_whole_function(scale: Scale) -> None:
    for at in (scale.at, scale.at + timedelta(days=3000)):  # before and after embargoes end
        old = old_pending_deliveries(scale.vault, scale.case, at=at)
        assert pending_deliveries(scale.vault, scale.case, at=at) == old
    ids = scale.ties
    rows = {p.message_id: p for p in pending_deliveries(scale.vault, scale.case, at=scale.at)}
    assert ids["c"] not in rows  # confidential, never released: never to be passed
    assert rows[ids["d"]].kind is PendingKind.DELIVER  # released to its recipient
    assert rows[ids["a"]].kind is PendingKind.REPLY_AWAITED
    assert rows[ids["a"]].delivery_id == ids["d1"]  # its first delivery, not the second
    assert ids["b"] not in rows  # answered


def test_pending_pages_equal_one_big_page(scale: Scale) -> None:
    def fetch(after: Any, n: int) -> Any:
        return pending_page(scale.vault, scale.case, at=scale.at, after=after, limit=n)

    rows = assert_pages_equal_one_big_page(fetch, at_least=50)
    deliver = sum(1 for p in rows if p.kind is PendingKind.DELIVER)
    # Pages ending just before, at and just after the end of the first group.
    for n in (deliver - 1, deliver, deliver + 1, 200):
        assert every_page(fetch, n) == rows, n
    page = fetch(None, deliver)
    assert page.after == ("awaited",) and len(page.rows) == deliver


def test_the_ledger_equals_the_old_one_and_its_count(scale: Scale) -> None:
    for party in scale.parties:
        old = old_ledger(scale.vault, party)
        assert ledger(scale.vault, party) == old
        assert ledger_count(scale.vault, party) == len(old)
        if len(old) >= 2:

            def fetch(after: Any, n: int, party: int = party) -> Any:
                return ledger_page(scale.vault, party, after=after, limit=n)

            assert_pages_equal_one_big_page(fetch)


def test_the_matrix_equals_the_old_one_and_its_pages(scale: Scale) -> None:
    old = old_knowledge_matrix(scale.vault, scale.case, at=scale.at)
    new = knowledge_matrix(scale.vault, scale.case, at=scale.at)
    assert new.parties == old.parties and new.rows == old.rows

    def fetch(after: Any, n: int) -> Any:
        return knowledge_page(scale.vault, scale.case, at=scale.at, after=after, limit=n)

    assert tuple(assert_pages_equal_one_big_page(fetch, at_least=700)) == old.rows


def test_the_delivery_sources_equal_the_old_dialogs_list(scale: Scale) -> None:
    for party in scale.parties:
        old = old_delivery_sources(scale.vault, scale.case, party, scale.at)

        def fetch(after: Any, n: int, party: int = party) -> Any:
            return delivery_sources_page(
                scale.vault, scale.case, party, at=scale.at, after=after, limit=n
            )

        # Small pages on one party (the movement, told the most), one size on the others,
        # and pages that end at and just after the end of the pending group.
        sizes = (2, 7, 60) if party == scale.parties[1] else (60,)
        assert assert_pages_equal_one_big_page(fetch, sizes, at_least=100) == old
        pending = sum(1 for s in old if s.pending)
        for n in (pending, pending + 1):
            assert every_page(fetch, max(n, 1)) == old
