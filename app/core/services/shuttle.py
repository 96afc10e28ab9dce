"""Shuttle diplomacy: deliveries, releases, threads and rounds; and, re-exported from the
modules that read them a page at a time, the knowledge ledger and who knows what
(app.core.services.knowledge) and what is pending (app.core.services.pending).

What may be conveyed to whom is not decided here: the rule, its words and the flush guard
that enforces it on every write live in ``app.core.disclosure`` (see its ``rule`` module),
and what a party may see in an export is that package's audience view. This module records
deliveries and releases (the guard checks them).

Everything handed out is a plain frozen dataclass, never a live ORM object. Reads take a
handful of queries whatever the size of the case.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from app.core.disclosure.guard import (
    DeliveryRefused,
    Violation,
    check_items,
    chunks,
    party_names,
    person_names,
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
    Delivery,
    DeliveryItem,
    Disclosure,
    Message,
    Party,
    Person,
    Release,
    Round,
    utcnow,
)
from app.core.services.knowledge import (
    Knowledge,
    KnowledgeEntry,
    KnowledgeMatrix,
    LedgerEntry,
    MatrixRow,
    knowledge_count,
    knowledge_matrix,
    knowledge_page,
    knowledge_parties,
    ledger,
    ledger_count,
    ledger_page,
    who_knows,
)
from app.core.services.messages import FACILITATOR_KINDS, summary_of
from app.core.services.pending import (
    DeliverySource,
    PendingItem,
    PendingKind,
    delivery_sources_page,
    pending_deliveries,
    pending_page,
)
from app.core.services.shuttle_facts import (
    MESSAGE_COLUMNS,
    Msg,
    PartyRef,
    msg_of,
    require_case,
    source_name,
)
from app.core.vault import Vault

# Messages addressed to a party of FACILITATOR_KINDS (app.core.services.messages) are for the
# facilitating side (in the demo, the Lanterna Dialogue Initiative; in ``generate_scale``,
# "for the mediator only"): nobody has to convey them, so they are never "awaiting delivery"
# nor "meant for, not yet told".

# The rule, its words and its guard live in app.core.disclosure, the knowledge views in
# app.core.services.knowledge and .pending; these names are imported from here by callers.
__all__ = [
    "FACILITATOR_KINDS",
    "DeliveryRefused",
    "DeliverySource",
    "Knowledge",
    "KnowledgeEntry",
    "KnowledgeMatrix",
    "LedgerEntry",
    "MatrixRow",
    "MessageFacts",
    "PartyRef",
    "PendingItem",
    "PendingKind",
    "Refusal",
    "ReleaseFacts",
    "Violation",
    "check_items",
    "decide",
    "delivery_sources_page",
    "format_day",
    "format_moment",
    "knowledge_count",
    "knowledge_matrix",
    "knowledge_page",
    "knowledge_parties",
    "ledger",
    "ledger_count",
    "ledger_page",
    "pending_deliveries",
    "pending_page",
    "refusal_text",
    "stored_violations",
    "summary_of",
    "who_knows",
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
        msgs: dict[int, Msg] = {}
        deliveries: dict[int, list[ThreadDelivery]] = defaultdict(list)
        for chunk in chunks(depth):
            msgs.update(
                {
                    row[0]: msg_of(row)
                    for row in s.execute(select(*MESSAGE_COLUMNS).where(Message.id.in_(chunk)))
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
                sender=source_name(
                    parties.get(f.sender_party_id or 0, ""), people.get(m.sender_person_id or 0, "")
                ),
                recipient_party_id=m.recipient_party_id,
                recipient=source_name(
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
        require_case(s, case_id)
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
