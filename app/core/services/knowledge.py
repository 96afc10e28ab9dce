"""What each party knows: a party's knowledge ledger, who was told a message, and the
who-knows-what matrix (messages × parties) — each read a page at a time (keyset, through an
index in the view's order), so the first screen costs the same in a case of a hundred
messages or of a million. The whole-list functions (``ledger``, ``knowledge_matrix``) are
``every_page`` over the paged ones: one implementation.

The rule (what may be conveyed to whom, and which release allowed it) is app.core.disclosure's
``decide``, applied to each row of a page exactly as to the whole case: a row's answer depends
only on its message, its releases and its deliveries, all read for the page's messages.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache, cached_property
from typing import Any

from sqlalchemy import Select, bindparam, func, select, tuple_
from sqlalchemy.orm import Session

from app.core.disclosure.guard import chunks, party_names, person_names
from app.core.disclosure.rule import Refusal, decide
from app.core.errors import NotFound
from app.core.models import Delivery, DeliveryItem, Disclosure, Message, Party, utcnow
from app.core.services.paging import FIRST_PAGE, Page, every_page, page_of
from app.core.services.shuttle_facts import (
    MESSAGE_COLUMNS,
    WHOLE,
    CaseParties,
    Msg,
    PartyRef,
    case_parties,
    msg_of,
    releases_of,
    require_case,
    require_party,
    source_name,
)
from app.core.vault import Vault

# --- the knowledge ledger -----------------------------------------------------------------


@dataclass(frozen=True)
class LedgerEntry:
    """One source a party has been told, as it was conveyed."""

    delivered_at: datetime
    delivery_id: int
    message_id: int
    said_at: datetime
    source: str | None  # who it was attributed to; None when conveyed unattributed
    source_party_id: int | None  # None when conveyed unattributed
    source_person_id: int | None  # None when conveyed unattributed
    summary: str
    disclosure: Disclosure
    attributed: bool
    release_id: int | None  # the release that allowed it, if its level alone did not


def ledger_key(e: LedgerEntry) -> tuple[datetime, int, int]:
    return (e.delivered_at, e.delivery_id, e.message_id)


@cache
def _ledger_query(keyed: bool) -> Select[Any]:
    """A party's ledger in the order told, from the key on: its deliveries through
    ``ix_deliveries_recipient`` (recipient, delivered_at, id), each delivery's sources in
    message order through ``uq_delivery_items_pair``. Built once (bound parameters)."""
    q = (
        select(Delivery.delivered_at, Delivery.id, DeliveryItem.attributed, *MESSAGE_COLUMNS)
        .select_from(Delivery)
        .join(DeliveryItem, DeliveryItem.delivery_id == Delivery.id)
        .join(Message, Message.id == DeliveryItem.message_id)
        .where(Delivery.recipient_party_id == bindparam("party_id"))
    )
    if keyed:
        at = bindparam("k_at", type_=Delivery.__table__.c.delivered_at.type)
        did: Any = bindparam("k_did")
        mid: Any = bindparam("k_mid")
        # The first term is the index's (recipient, delivered_at, id): SQLite seeks there;
        # the second breaks the tie within the delivery.
        q = q.where(
            tuple_(Delivery.delivered_at, Delivery.id) >= tuple_(at, did),
            tuple_(Delivery.delivered_at, Delivery.id, DeliveryItem.message_id)
            > tuple_(at, did, mid),
        )
    return q.order_by(Delivery.delivered_at, Delivery.id, DeliveryItem.message_id).limit(
        bindparam("n")
    )


def ledger_page(
    vault: Vault, party_id: int, *, after: Any = None, limit: int = FIRST_PAGE
) -> Page[LedgerEntry]:
    """What ``party_id`` has been told, in the order told (delivered_at, delivery, message),
    ``limit`` entries after ``after``. Reads the party's deliveries through
    ``ix_deliveries_recipient`` from the key on; releases and names only of the page's
    messages."""
    with vault.session() as s:
        require_party(s, party_id)
        args: dict[str, Any] = {"party_id": party_id, "n": limit + 1}
        if after is not None:
            args.update(zip(("k_at", "k_did", "k_mid"), after, strict=True))
        rows = s.execute(_ledger_query(after is not None), args).all()
        msgs = [msg_of(row[3:]) for row in rows]
        releases = releases_of(s, (m.facts.id for m in msgs))
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
            source_name(
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
    return page_of(out, limit, ledger_key)


def ledger(vault: Vault, party_id: int) -> list[LedgerEntry]:
    """Everything ``party_id`` has been told, in the order it was told (for exports, the
    session brief's tests and the CLI; a view pages through ``ledger_page``)."""
    return every_page(lambda after, n: ledger_page(vault, party_id, after=after, limit=n), WHOLE)


def ledger_count(vault: Vault, party_id: int) -> int:
    """How many entries ``party_id``'s ledger holds (sources told, one per delivery that told
    it): counted in the indexes (deliveries by recipient, delivery items by delivery)."""
    with vault.session() as s:
        require_party(s, party_id)
        return told_count(s, party_id)


def told_count(s: Session, party_id: int) -> int:
    """``ledger_count`` within a session that is open already (the session brief)."""
    n = s.scalar(
        select(func.count())
        .select_from(Delivery)
        .join(DeliveryItem, DeliveryItem.delivery_id == Delivery.id)
        .where(Delivery.recipient_party_id == party_id)
    )
    return int(n or 0)


# --- who was told one message -------------------------------------------------------------


@dataclass(frozen=True)
class KnowledgeEntry:
    """One party told one message (the reverse of a ledger entry)."""

    party_id: int
    party_name: str
    delivery_id: int
    delivered_at: datetime
    attributed: bool
    release_id: int | None


def who_knows(vault: Vault, message_id: int) -> list[KnowledgeEntry]:
    """Every delivery that conveyed ``message_id``: to whom, when, whether its source was
    named, and the release that allowed it (if any). In the order told."""
    with vault.session() as s:
        row = s.execute(select(*MESSAGE_COLUMNS).where(Message.id == message_id)).first()
        if row is None:
            raise NotFound(f"There is no message number {message_id}.")
        f = msg_of(row).facts
        rows = s.execute(
            select(
                Delivery.recipient_party_id,
                Party.name,
                Delivery.id,
                Delivery.delivered_at,
                DeliveryItem.attributed,
            )
            .join(DeliveryItem, DeliveryItem.delivery_id == Delivery.id)
            .join(Party, Party.id == Delivery.recipient_party_id)
            .where(DeliveryItem.message_id == message_id)
            .order_by(Delivery.delivered_at, Delivery.id)
        ).all()
        releases = releases_of(s, [message_id]).get(message_id, [])
    return [
        KnowledgeEntry(
            party_id=pid,
            party_name=name,
            delivery_id=did,
            delivered_at=at,
            attributed=bool(attributed),
            release_id=decide(
                f, recipient_party_id=pid, at=at, attributed=bool(attributed), releases=releases
            ).release_id,
        )
        for pid, name, did, at, attributed in rows
    ]


# --- the knowledge matrix -----------------------------------------------------------------


class Knowledge(StrEnum):
    """One cell of the knowledge matrix."""

    NONE = ""
    SENDER = "sender"
    TOLD_ATTRIBUTED = "told (attributed)"
    TOLD_UNATTRIBUTED = "told (unattributed)"
    MEANT_FOR = "meant for, not yet told"
    # Meant for this party, but confidential with no release for it: never to be passed.
    WITHHELD = "confidential, not to be passed"


@dataclass(frozen=True)
class MatrixRow:
    message_id: int
    said_at: datetime
    summary: str
    sender_party_id: int | None
    recipient_party_id: int | None
    disclosure: Disclosure
    embargo_until: datetime | None
    cells: tuple[Knowledge, ...]  # one per party, in the order of ``KnowledgeMatrix.parties``


@dataclass(frozen=True)
class KnowledgeMatrix:
    """Messages × parties: who sent what, who was told (naming the source or not), and who a
    message is meant for but has not been told yet."""

    case_id: int
    parties: tuple[PartyRef, ...]
    rows: tuple[MatrixRow, ...]  # in the order said

    @cached_property
    def _row_index(self) -> dict[int, MatrixRow]:
        return {r.message_id: r for r in self.rows}

    @cached_property
    def _party_index(self) -> dict[int, int]:
        return {p.id: j for j, p in enumerate(self.parties)}

    def cell(self, message_id: int, party_id: int) -> Knowledge:
        row = self._row_index.get(message_id)
        j = self._party_index.get(party_id)
        if row is None or j is None:
            return Knowledge.NONE
        return row.cells[j]

    def disclosure(self, message_id: int) -> Disclosure:
        row = self._row_index.get(message_id)
        if row is None:
            raise NotFound(f"Message number {message_id} is not in this case.")
        return row.disclosure


def knowledge_parties(vault: Vault, case_id: int) -> tuple[PartyRef, ...]:
    """The matrix's columns: the parties of the case, in id order."""
    with vault.session() as s:
        require_case(s, case_id)
        return case_parties(s, case_id).parties


def knowledge_count(vault: Vault, case_id: int) -> int:
    """How many rows the matrix has (the case's messages), counted in ix_messages_case_said_at."""
    with vault.session() as s:
        require_case(s, case_id)
        n = s.scalar(select(func.count()).select_from(Message).where(Message.case_id == case_id))
    return int(n or 0)


def matrix_key(r: MatrixRow) -> tuple[datetime, int]:
    return (r.said_at, r.message_id)


@cache
def _matrix_query(keyed: bool) -> Select[Any]:
    """The case's messages in the order said from the key on, through
    ``ix_messages_case_said_at`` (case_id, said_at, id). Built once (bound parameters)."""
    q = select(*MESSAGE_COLUMNS).where(Message.case_id == bindparam("case_id"))
    if keyed:
        at = bindparam("k_at", type_=Message.__table__.c.said_at.type)
        q = q.where(tuple_(Message.said_at, Message.id) > tuple_(at, bindparam("k_id")))
    return q.order_by(Message.said_at, Message.id).limit(bindparam("n"))


# Who was told each of a page's messages: by ``ix_delivery_items_message``.
_TOLD_QUERY = (
    select(DeliveryItem.message_id, Delivery.recipient_party_id, DeliveryItem.attributed)
    .join(Delivery, Delivery.id == DeliveryItem.delivery_id)
    .where(DeliveryItem.message_id.in_(bindparam("ids", expanding=True)))
)


def knowledge_page(
    vault: Vault,
    case_id: int,
    *,
    at: datetime | None = None,
    after: Any = None,
    limit: int = FIRST_PAGE,
    parties: Sequence[PartyRef] | None = None,
) -> Page[MatrixRow]:
    """``limit`` rows of the matrix after ``after``, in the order said (said_at, id), read
    through ``ix_messages_case_said_at``; the cells from the deliveries and releases of the
    page's messages only. ``parties``: the columns (default: ``knowledge_parties`` now; a
    view passes the ones its header shows, so that every page has the same columns). A
    message meant for a party that may not be told it as of ``at`` (default now) because it
    is confidential is ``WITHHELD`` there, not ``MEANT_FOR``."""
    now = at if at is not None else utcnow()
    with vault.session() as s:
        require_case(s, case_id)
        case = CaseParties(tuple(parties)) if parties is not None else case_parties(s, case_id)
        args: dict[str, Any] = {"case_id": case_id, "n": limit + 1}
        if after is not None:
            args.update(k_at=after[0], k_id=after[1])
        rows = s.execute(_matrix_query(after is not None), args).all()
        more = len(rows) > limit
        msgs = [msg_of(row) for row in rows[:limit]]
        ids = [m.facts.id for m in msgs]
        told: list[tuple[int, int, bool]] = []
        for chunk in chunks(ids):
            told.extend(
                (mid, pid, bool(attributed))
                for mid, pid, attributed in s.execute(_TOLD_QUERY, {"ids": chunk})
            )
        releases = releases_of(s, ids)
    index = {p.id: j for j, p in enumerate(case.parties)}
    grid: dict[int, list[Knowledge]] = {}
    for m in msgs:
        cells = [Knowledge.NONE] * len(index)
        sender = m.facts.sender_party_id
        if sender in index:
            cells[index[sender]] = Knowledge.SENDER
        grid[m.facts.id] = cells
    for mid, pid, attributed in told:
        j = index.get(pid)
        cells_ = grid.get(mid)
        if j is None or cells_ is None or cells_[j] is Knowledge.SENDER:
            continue
        if attributed:
            cells_[j] = Knowledge.TOLD_ATTRIBUTED
        elif cells_[j] is not Knowledge.TOLD_ATTRIBUTED:
            cells_[j] = Knowledge.TOLD_UNATTRIBUTED
    out: list[MatrixRow] = []
    for m in msgs:
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
                f, recipient_party_id=r, at=now, attributed=False, releases=releases.get(f.id, ())
            )
            withheld = verdict.reason is Refusal.CONFIDENTIAL
            cells[index[r]] = Knowledge.WITHHELD if withheld else Knowledge.MEANT_FOR
        out.append(_row(m, tuple(cells)))
    # (The row read beyond ``limit`` only says that there is more.)
    return Page(out, matrix_key(out[-1]) if more and out else None)


def _row(m: Msg, cells: tuple[Knowledge, ...]) -> MatrixRow:
    f = m.facts
    return MatrixRow(
        message_id=f.id,
        said_at=f.said_at,
        summary=f.summary,
        sender_party_id=f.sender_party_id,
        recipient_party_id=m.recipient_party_id,
        disclosure=f.disclosure,
        embargo_until=f.embargo_until,
        cells=cells,
    )


def knowledge_matrix(vault: Vault, case_id: int, *, at: datetime | None = None) -> KnowledgeMatrix:
    """The whole case at a glance (for the demo's tests and any caller that wants every row;
    the view pages through ``knowledge_page``). As of ``at`` (default now) throughout."""
    now = at if at is not None else utcnow()
    parties = knowledge_parties(vault, case_id)
    rows = every_page(
        lambda after, n: knowledge_page(
            vault, case_id, at=now, after=after, limit=n, parties=parties
        ),
        WHOLE,
    )
    return KnowledgeMatrix(case_id=case_id, parties=parties, rows=tuple(rows))
