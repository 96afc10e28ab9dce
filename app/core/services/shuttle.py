"""Shuttle diplomacy: deliveries, releases, the knowledge ledger and the views of a case's
exchanges (pending deliveries, who knows what, threads, rounds).

What may be conveyed to whom is not decided here: the rule, its words and the flush guard
that enforces it on every write live in ``app.core.disclosure`` (see its ``rule`` module),
and what a party may see in an export is that package's audience view. This module records
deliveries and releases (the guard checks them) and reads the ledger.

Everything handed out is a plain frozen dataclass, never a live ORM object. Reads take a
handful of queries whatever the size of the case.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime
from enum import StrEnum
from functools import cached_property
from typing import Any

from sqlalchemy import func, literal_column, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.core.disclosure.guard import (
    DeliveryRefused,
    Violation,
    check_items,
    chunks,
    party_names,
    person_names,
    release_map,
    stored_violations,
)
from app.core.disclosure.rule import (
    MessageFacts,
    Refusal,
    ReleaseFacts,
    decide,
    format_day,
    format_moment,
    refusal_text,
    why_not,
)
from app.core.errors import NotFound, ValidationError
from app.core.models import (
    Case,
    Delivery,
    DeliveryItem,
    Disclosure,
    Message,
    Party,
    PartyKind,
    Person,
    Release,
    Round,
    utcnow,
)
from app.core.services.messages import FACILITATOR_KINDS, summary_of, summary_sql
from app.core.vault import Vault

# Messages addressed to a party of FACILITATOR_KINDS (app.core.services.messages) are for the
# facilitating side (in the demo, the Lanterna Dialogue Initiative; in ``generate_scale``,
# "for the mediator only"): nobody has to convey them, so they are never "awaiting delivery"
# nor "meant for, not yet told".

# The rule, its words and its guard live in app.core.disclosure; these names are imported
# from there by the services' callers too.
__all__ = [
    "FACILITATOR_KINDS",
    "DeliveryRefused",
    "MessageFacts",
    "Refusal",
    "ReleaseFacts",
    "Violation",
    "check_items",
    "decide",
    "format_day",
    "format_moment",
    "refusal_text",
    "stored_violations",
    "summary_of",
    "why_not",
]

# --- writing ------------------------------------------------------------------------------


def _require_aware(value: datetime, what: str) -> None:
    if not isinstance(value, datetime) or value.tzinfo is None:
        raise ValidationError(f"The {what} must be a date and time with a time zone.")


def record_delivery(
    vault: Vault,
    *,
    case_id: int,
    recipient_party_id: int,
    delivered_at: datetime,
    items: list[tuple[int, bool]],
    content: str = "",
    place: str = "",
    recipient_person_id: int | None = None,
    round_id: int | None = None,
    notes: str = "",
) -> int:
    """Record what was conveyed to a party, and from which sources ((message id, attributed)
    pairs): all or nothing. Raises ``DeliveryRefused`` if any source may not go there."""
    _require_aware(delivered_at, "delivery time")
    message_ids = [m for m, _ in items]
    if len(set(message_ids)) != len(message_ids):
        raise ValidationError("A delivery names each source message only once.")
    try:
        with vault.transaction() as s:
            party = s.get(Party, recipient_party_id)
            if party is None:
                raise NotFound(f"There is no party number {recipient_party_id}.")
            if party.case_id != case_id:
                raise ValidationError(f"{party.name} is not a party of this case.")
            if recipient_person_id is not None and s.get(Person, recipient_person_id) is None:
                raise NotFound(f"There is no person number {recipient_person_id}.")
            if round_id is not None:
                rnd = s.get(Round, round_id)
                if rnd is None or rnd.case_id != case_id:
                    raise ValidationError(f"Round number {round_id} is not a round of this case.")
            found: dict[int, int] = {}
            for chunk in chunks(message_ids):
                found.update(
                    {
                        mid: cid
                        for mid, cid in s.execute(
                            select(Message.id, Message.case_id).where(Message.id.in_(chunk))
                        )
                    }
                )
            for mid in message_ids:
                if mid not in found:
                    raise NotFound(f"There is no message number {mid}.")
                if found[mid] != case_id:
                    raise ValidationError(f"Message number {mid} belongs to another case.")
            violations = check_items(s, recipient_party_id, delivered_at, items)
            if violations:
                raise DeliveryRefused(violations)
            delivery = Delivery(
                case_id=case_id,
                round_id=round_id,
                recipient_party_id=recipient_party_id,
                recipient_person_id=recipient_person_id,
                delivered_at=delivered_at,
                place=place,
                content=content,
                notes=notes,
            )
            delivery.items = [
                DeliveryItem(message_id=mid, attributed=bool(attributed))
                for mid, attributed in items
            ]
            s.add(delivery)
            s.flush()
            return delivery.id
    except IntegrityError as exc:
        raise ValidationError(
            "The delivery could not be saved: it refers to a missing record."
        ) from exc


def release(
    vault: Vault,
    *,
    message_id: int,
    party_id: int | None,
    released_by: str,
    reason: str,
    attribution_allowed: bool = False,
    released_at: datetime | None = None,
) -> int:
    """Record that a message may travel further than its level allows: to ``party_id`` (None:
    to every party), from ``released_at`` (default now) on. Audited like every change."""
    reason = (reason or "").strip()
    released_by = (released_by or "").strip()
    if not reason:
        raise ValidationError(
            "A release needs a reason: say who agreed that this may be passed on, and when."
        )
    if not released_by:
        raise ValidationError("A release needs the name of the person who decided it.")
    if released_at is not None:
        _require_aware(released_at, "release time")
    with vault.transaction() as s:
        message = s.get(Message, message_id)
        if message is None:
            raise NotFound(f"There is no message number {message_id}.")
        if party_id is not None:
            party = s.get(Party, party_id)
            if party is None:
                raise NotFound(f"There is no party number {party_id}.")
            if party.case_id != message.case_id:
                raise ValidationError(f"{party.name} is not a party of this message's case.")
        r = Release(
            message_id=message_id,
            party_id=party_id,
            released_by=released_by,
            reason=reason,
            attribution_allowed=bool(attribution_allowed),
            released_at=released_at if released_at is not None else utcnow(),
        )
        s.add(r)
        s.flush()
        return r.id


# --- reading: shared loading --------------------------------------------------------------


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


# --- pending deliveries and replies awaited -----------------------------------------------


class PendingKind(StrEnum):
    DELIVER = "deliver"  # meant for a party that has not been told yet
    REPLY_AWAITED = "reply awaited"  # told, and that party has not answered


@dataclass(frozen=True)
class PendingItem:
    kind: PendingKind
    message_id: int
    party_id: int  # to be told (deliver) / whose answer is awaited (reply awaited)
    party_name: str
    sender_party_id: int | None
    sender: str
    said_at: datetime
    summary: str
    disclosure: Disclosure
    embargo_until: datetime | None
    deliverable: bool  # may be conveyed now (at least without naming its source)
    may_name_source: bool  # may be conveyed now naming its source
    blocked_by: Refusal | None  # why it may not be conveyed now
    why_not: str  # "", "confidential", "embargoed until 1 Mar 2027, 08:00 UTC"
    delivery_id: int | None = None  # reply awaited: the first delivery that conveyed it
    delivered_at: datetime | None = None


def pending_deliveries(
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


def ledger(vault: Vault, party_id: int) -> list[LedgerEntry]:
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
        row = s.execute(select(*_MESSAGE_COLUMNS).where(Message.id == message_id)).first()
        if row is None:
            raise NotFound(f"There is no message number {message_id}.")
        f = _msg(row).facts
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
        releases = release_map(s, [message_id]).get(message_id, [])
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
class PartyRef:
    id: int
    name: str
    kind: PartyKind


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


def knowledge_matrix(vault: Vault, case_id: int, *, at: datetime | None = None) -> KnowledgeMatrix:
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


# --- threads and rounds -------------------------------------------------------------------


@dataclass(frozen=True)
class ThreadDelivery:
    delivery_id: int
    party_id: int
    party_name: str
    delivered_at: datetime
    attributed: bool


@dataclass(frozen=True)
class ThreadStep:
    """One message of a thread and the deliveries that conveyed it."""

    message_id: int
    in_reply_to_id: int | None
    depth: int  # 0 for the root, 1 for a reply to it, ...
    said_at: datetime
    round_id: int | None
    sender_party_id: int | None
    sender_person_id: int | None
    sender: str
    recipient_party_id: int | None
    recipient: str
    summary: str
    disclosure: Disclosure
    embargo_until: datetime | None
    deliveries: tuple[ThreadDelivery, ...]


def thread(vault: Vault, message_id: int) -> list[ThreadStep]:
    """The whole thread ``message_id`` belongs to (its root and every reply, transitively):
    root first, then in the order said, each step with the deliveries that conveyed it —
    proposal, delivery, answer, delivery, counter-proposal…"""
    with vault.session() as s:
        case_id = s.scalar(select(Message.case_id).where(Message.id == message_id))
        if case_id is None:
            raise NotFound(f"There is no message number {message_id}.")

        # Walk up to the root, then down level by level: a few indexed lookups per thread,
        # never a read of the whole case (a case can hold tens of thousands of messages).
        def parent_in_case(mid: int) -> int | None:
            row = s.execute(
                select(Message.in_reply_to_id, Message.case_id).where(Message.id == mid)
            ).first()
            up = row[0] if row else None
            if up is None:
                return None
            up_case = s.scalar(select(Message.case_id).where(Message.id == up))
            return up if up_case == case_id else None

        root = message_id
        visited = {root}
        while (up := parent_in_case(root)) is not None and up not in visited:
            visited.add(up)
            root = up
        depth = {root: 0}
        level = [root]
        while level:
            below: list[tuple[int, int]] = []
            for chunk in chunks(level):
                # The case is checked here, not in SQL: with it there, SQLite prefers the
                # case's index and reads the whole case instead of the few replies.
                below.extend(
                    (reply_to, mid)
                    for mid, reply_to, in_case in s.execute(
                        select(Message.id, Message.in_reply_to_id, Message.case_id).where(
                            Message.in_reply_to_id.in_(chunk)
                        )
                    )
                    if in_case == case_id and mid != root and reply_to is not None
                )
            level = []
            for reply_to, mid in sorted(below):  # breadth first, replies in id order
                if mid not in depth:
                    depth[mid] = depth[reply_to] + 1
                    level.append(mid)
        msgs: dict[int, _Msg] = {}
        deliveries: dict[int, list[ThreadDelivery]] = defaultdict(list)
        for chunk in chunks(depth):
            msgs.update(
                {
                    row[0]: _msg(row)
                    for row in s.execute(select(*_MESSAGE_COLUMNS).where(Message.id.in_(chunk)))
                }
            )
            for mid, did, pid, name, at, attributed in s.execute(
                select(
                    DeliveryItem.message_id,
                    Delivery.id,
                    Delivery.recipient_party_id,
                    Party.name,
                    Delivery.delivered_at,
                    DeliveryItem.attributed,
                )
                .join(Delivery, Delivery.id == DeliveryItem.delivery_id)
                .join(Party, Party.id == Delivery.recipient_party_id)
                .where(DeliveryItem.message_id.in_(chunk))
                .order_by(Delivery.delivered_at, Delivery.id)
            ):
                deliveries[mid].append(ThreadDelivery(did, pid, name, at, bool(attributed)))
        parties = party_names(
            s,
            [
                p
                for m in msgs.values()
                for p in (m.facts.sender_party_id, m.recipient_party_id)
                if p
            ],
        )
        people = person_names(
            s, [p for m in msgs.values() for p in (m.sender_person_id, m.recipient_person_id) if p]
        )
    steps: list[ThreadStep] = []
    for mid in sorted(msgs, key=lambda i: (i != root, msgs[i].facts.said_at, i)):
        m = msgs[mid]
        f = m.facts
        steps.append(
            ThreadStep(
                message_id=mid,
                in_reply_to_id=m.in_reply_to_id,
                depth=depth[mid],
                said_at=f.said_at,
                round_id=m.round_id,
                sender_party_id=f.sender_party_id,
                sender_person_id=m.sender_person_id,
                sender=_source_name(
                    parties.get(f.sender_party_id or 0, ""), people.get(m.sender_person_id or 0, "")
                ),
                recipient_party_id=m.recipient_party_id,
                recipient=_source_name(
                    parties.get(m.recipient_party_id or 0, ""),
                    people.get(m.recipient_person_id or 0, ""),
                ),
                summary=f.summary,
                disclosure=f.disclosure,
                embargo_until=f.embargo_until,
                deliveries=tuple(deliveries.get(mid, ())),
            )
        )
    return steps


@dataclass(frozen=True)
class RoundSummary:
    round_id: int
    number: int
    title: str
    started_on: date | None
    ended_on: date | None
    message_count: int
    delivery_count: int
    first_at: datetime | None  # the earliest message or delivery of the round
    last_at: datetime | None  # the latest


def rounds(vault: Vault, case_id: int) -> list[RoundSummary]:
    """The case's rounds in order, with their dates and how much happened in each."""
    with vault.session() as s:
        _require_case(s, case_id)
        found = s.execute(
            select(Round.id, Round.number, Round.title, Round.started_on, Round.ended_on)
            .where(Round.case_id == case_id)
            .order_by(Round.number, Round.id)
        ).all()
        stats: dict[int, list[Any]] = {}
        for model, at in ((Message, Message.said_at), (Delivery, Delivery.delivered_at)):
            for rid, n, lo, hi in s.execute(
                select(model.round_id, func.count(), func.min(at), func.max(at))
                .where(model.case_id == case_id, model.round_id.is_not(None))
                .group_by(model.round_id)
            ):
                if rid is None:
                    continue
                entry = stats.setdefault(rid, [0, 0, None, None])
                entry[0 if model is Message else 1] = int(n)
                entry[2] = lo if entry[2] is None else min(entry[2], lo)
                entry[3] = hi if entry[3] is None else max(entry[3], hi)
    out: list[RoundSummary] = []
    for rid, number, title, started, ended in found:
        n_msg, n_del, lo, hi = stats.get(rid, [0, 0, None, None])
        out.append(RoundSummary(rid, number, title or "", started, ended, n_msg, n_del, lo, hi))
    return out
