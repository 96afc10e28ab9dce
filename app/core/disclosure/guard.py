"""The flush guard: no write, whatever its path, can record a delivery the rule forbids.

:func:`install` (called by the vault when it opens, not by an import side effect) adds a
``before_flush`` listener to the vault's session class. It checks every new or changed
delivery item (and every delivery whose recipient or time changed), and refuses deleting or
changing a release, or changing a message's level or sender, when that would leave an
earlier delivery without what allowed it. So the generic ``Records`` CRUD the GUI uses and
the demo builder cannot record a leak; the JSON import (Core inserts) calls
:func:`stored_violations` inside its transaction. A refusal raises ``DeliveryRefused`` (a
``DisclosureViolation``) whose text is one clear sentence naming the source (the start of
its summary and its date, never its full text).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import event, inspect, select
from sqlalchemy.orm import Session, UOWTransaction

from app.core.disclosure.rule import (
    MessageFacts,
    Refusal,
    ReleaseFacts,
    decide,
    format_day,
    refusal_text,
)
from app.core.errors import DisclosureViolation
from app.core.models import (
    Delivery,
    DeliveryItem,
    Disclosure,
    Message,
    Party,
    Person,
    Release,
    utcnow,
)

# SQLite limits the number of bound parameters of one statement.
_CHUNK = 500


def release_map(s: Session, message_ids: Any) -> dict[int, list[ReleaseFacts]]:
    """Stored releases of the messages a subquery (or list) names, by message, oldest first."""
    out: dict[int, list[ReleaseFacts]] = defaultdict(list)
    for r in s.execute(
        select(
            Release.id,
            Release.message_id,
            Release.party_id,
            Release.released_at,
            Release.attribution_allowed,
        )
        .where(Release.message_id.in_(message_ids))
        .order_by(Release.released_at, Release.id)
    ):
        out[r[1]].append(ReleaseFacts(r[0], r[1], r[2], r[3], bool(r[4])))
    return out


def install(session_class: type[Session]) -> None:
    """Make every flush of ``session_class`` obey the rule (idempotent)."""
    if not event.contains(session_class, "before_flush", _enforce_disclosure):
        event.listen(session_class, "before_flush", _enforce_disclosure)


@dataclass(frozen=True)
class Violation:
    """One source that may not go to one party, and the sentence that says so."""

    message_id: int
    party_id: int
    at: datetime
    attributed: bool
    reason: Refusal
    text: str


class DeliveryRefused(DisclosureViolation):
    """A write would pass on what a source did not allow; nothing was saved. ``lead``, if
    given, opens the sentence (e.g. when an edit would break an earlier delivery)."""

    def __init__(self, violations: Sequence[Violation], lead: str = "") -> None:
        self.violations = tuple(violations)
        text = self.violations[0].text if self.violations else "This delivery is not allowed."
        more = len(self.violations) - 1
        if more == 1:
            text += " One more source of this delivery is refused too."
        elif more > 1:
            text += f" {more} more sources of this delivery are refused too."
        super().__init__(f"{lead}{text}")


# --- loading facts ------------------------------------------------------------------------


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    values = sorted(set(ids))
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]


def _facts(m: Message) -> MessageFacts:
    return MessageFacts(
        id=m.id,
        sender_party_id=m.sender_party_id,
        disclosure=Disclosure(m.disclosure),
        embargo_until=m.embargo_until,
        said_at=m.said_at if m.said_at is not None else utcnow(),
        summary=m.summary or "",
    )


def _release_facts(r: Release) -> ReleaseFacts:
    return ReleaseFacts(
        id=r.id or 0,
        message_id=r.message_id,
        party_id=r.party_id,
        released_at=r.released_at if r.released_at is not None else utcnow(),
        attribution_allowed=bool(r.attribution_allowed),
    )


def session_messages(s: Session, ids: Iterable[int]) -> dict[int, MessageFacts]:
    """Messages as the session sees them (edits not yet flushed included)."""
    out: dict[int, MessageFacts] = {}
    for chunk in chunks(ids):
        for m in s.scalars(select(Message).where(Message.id.in_(chunk))):
            if m not in s.deleted:
                out[m.id] = _facts(m)
    return out


def _session_releases(s: Session, message_ids: Iterable[int]) -> dict[int, list[ReleaseFacts]]:
    """Releases of these messages as the session sees them: stored ones not being deleted,
    plus new ones about to be flushed."""
    wanted = set(message_ids)
    out: dict[int, list[ReleaseFacts]] = defaultdict(list)
    seen: set[int] = set()
    for chunk in chunks(wanted):
        for r in s.scalars(select(Release).where(Release.message_id.in_(chunk))):
            if r in s.deleted or r.message_id not in wanted:
                continue  # (its message may have been changed in this session)
            seen.add(id(r))
            out[r.message_id].append(_release_facts(r))
    for obj in (*s.new, *s.dirty):  # new ones, and any moved to one of these messages
        if (
            isinstance(obj, Release)
            and id(obj) not in seen
            and obj.message_id in wanted
            and obj not in s.deleted
        ):
            out[obj.message_id].append(_release_facts(obj))
    return out


def _names(s: Session, model: type[Party] | type[Person], ids: Iterable[int]) -> dict[int, str]:
    """id -> name for parties or people, in chunks (SQLite limits bound parameters)."""
    out: dict[int, str] = {}
    for chunk in chunks(ids):
        out.update(dict(s.execute(select(model.id, model.name).where(model.id.in_(chunk))).all()))
    return out


def party_names(s: Session, ids: Iterable[int]) -> dict[int, str]:
    return _names(s, Party, ids)


def person_names(s: Session, ids: Iterable[int]) -> dict[int, str]:
    return _names(s, Person, ids)


def check_items(
    session: Session,
    recipient_party_id: int,
    delivered_at: datetime,
    items: Iterable[tuple[int, bool]],
) -> list[Violation]:
    """Which of ``items`` ((message id, attributed) pairs) a delivery to
    ``recipient_party_id`` at ``delivered_at`` may not convey, and why. Unknown messages are
    left to the database's own checks. The session's unflushed changes are taken into
    account (this is what the flush listener calls)."""
    pairs = list(items)
    if not pairs:
        return []
    messages = session_messages(session, (m for m, _ in pairs))
    releases = _session_releases(session, messages)
    out: list[Violation] = []
    party_name: str | None = None
    for message_id, attributed in pairs:
        facts = messages.get(message_id)
        if facts is None:
            continue
        verdict = decide(
            facts,
            recipient_party_id=recipient_party_id,
            at=delivered_at,
            attributed=bool(attributed),
            releases=releases.get(message_id, ()),
        )
        if verdict.allowed or verdict.reason is None:
            continue
        if party_name is None:
            party_name = party_names(session, [recipient_party_id]).get(
                recipient_party_id, f"party {recipient_party_id}"
            )
        out.append(
            Violation(
                message_id=message_id,
                party_id=recipient_party_id,
                at=delivered_at,
                attributed=bool(attributed),
                reason=verdict.reason,
                text=refusal_text(facts, party_name, verdict.reason),
            )
        )
    return out


def stored_violations(session: Session, *, after_item_id: int = 0) -> list[Violation]:
    """Every stored delivery item with an id above ``after_item_id`` that breaks the rule —
    for writes that bypass the ORM (the JSON import's Core inserts), inside their
    transaction. Items whose delivery or message is missing are left to the link checks."""
    rows = session.execute(
        select(
            DeliveryItem.message_id,
            DeliveryItem.attributed,
            Delivery.recipient_party_id,
            Delivery.delivered_at,
            Message.sender_party_id,
            Message.disclosure,
            Message.embargo_until,
            Message.said_at,
            Message.summary,
        )
        .join(Delivery, Delivery.id == DeliveryItem.delivery_id)
        .join(Message, Message.id == DeliveryItem.message_id)
        .where(DeliveryItem.id > after_item_id)
        .order_by(DeliveryItem.id)
    ).all()
    if not rows:
        return []
    releases = release_map(
        session, select(DeliveryItem.message_id).where(DeliveryItem.id > after_item_id)
    )
    out: list[Violation] = []
    bad: list[tuple[MessageFacts, int, datetime, bool, Refusal]] = []
    for row in rows:
        facts = MessageFacts(
            row.message_id,
            row.sender_party_id,
            Disclosure(row.disclosure),
            row.embargo_until,
            row.said_at,
            row.summary or "",
        )
        verdict = decide(
            facts,
            recipient_party_id=row.recipient_party_id,
            at=row.delivered_at,
            attributed=bool(row.attributed),
            releases=releases.get(row.message_id, ()),
        )
        if not verdict.allowed and verdict.reason is not None:
            bad.append(
                (facts, row.recipient_party_id, row.delivered_at, row.attributed, verdict.reason)
            )
    names = party_names(session, (b[1] for b in bad))
    for facts, party_id, at, attributed, reason in bad:
        name = names.get(party_id, f"party {party_id}")
        out.append(
            Violation(
                facts.id, party_id, at, bool(attributed), reason, refusal_text(facts, name, reason)
            )
        )
    return out


# --- enforcement on every flush -----------------------------------------------------------


def changed(obj: Any, keys: Iterable[str]) -> bool:
    state = inspect(obj)
    return any(state.attrs[k].history.has_changes() for k in keys)


# Edits that can turn an earlier, allowed delivery into a leak.
_RELEASE_TERMS = ("message_id", "party_id", "released_at", "attribution_allowed")
_MESSAGE_LEVEL = ("disclosure", "embargo_until", "sender_party_id")


def source_edits(session: Session) -> set[int]:
    """The messages whose level or sender, or whose releases, this flush changes or
    deletes: what was delivered (or circulated in a draft) resting on them must be checked
    again."""
    ids: set[int] = set()
    for obj in session.dirty:
        if isinstance(obj, Release):
            if changed(obj, _RELEASE_TERMS):
                ids.update(_values(obj, "message_id"))
        elif (
            isinstance(obj, Message) and obj not in session.deleted and changed(obj, _MESSAGE_LEVEL)
        ):
            ids.add(obj.id)
    for obj in session.deleted:
        if isinstance(obj, Release):
            ids.update(_values(obj, "message_id"))
    return ids


def _enforce_disclosure(session: Session, flush_context: UOWTransaction, instances: Any) -> None:
    """Refuse the flush if a new or changed delivery item breaks the rule (a delivery whose
    recipient or time changed counts as changing all its items), or if deleting or changing
    a release, or changing a message's level or sender, would leave an earlier delivery
    without what allowed it."""
    items: list[DeliveryItem] = []
    seen: set[int] = set()

    def add(item: DeliveryItem) -> None:
        if id(item) not in seen and item not in session.deleted:
            seen.add(id(item))
            items.append(item)

    recheck = source_edits(session)  # messages whose stored deliveries must be checked again
    for obj in session.new:
        if isinstance(obj, DeliveryItem):
            add(obj)
    for obj in session.dirty:
        if isinstance(obj, DeliveryItem):
            if changed(obj, ("message_id", "attributed", "delivery_id", "delivery")):
                add(obj)
        elif (
            isinstance(obj, Delivery)
            and obj not in session.deleted
            and changed(obj, ("recipient_party_id", "delivered_at"))
        ):
            for item in obj.items:
                add(item)

    groups: dict[tuple[int, datetime], list[tuple[int, bool]]] = defaultdict(list)
    for item in items:
        delivery = _delivery_of(session, item)
        if delivery is None or item.message_id is None or delivery.recipient_party_id is None:
            continue  # the database's NOT NULL and link checks refuse it
        at = delivery.delivered_at if delivery.delivered_at is not None else utcnow()
        groups[(delivery.recipient_party_id, at)].append((item.message_id, bool(item.attributed)))
    violations: list[Violation] = []
    for (recipient, at), pairs in groups.items():
        violations += check_items(session, recipient, at, pairs)
    if violations:
        raise DeliveryRefused(violations)

    if recheck:
        earlier = _stored_deliveries_of(session, recheck, skip_items={id(i) for i in items})
        for (recipient, at), pairs in earlier.items():
            broken = check_items(session, recipient, at, pairs)
            if broken:
                raise DeliveryRefused(
                    broken,
                    lead=f"This change would break the delivery of {format_day(at)}: ",
                )


def _values(obj: Any, key: str) -> set[int]:
    """An attribute's value now and before this flush."""
    hist = inspect(obj).attrs[key].history
    return {v for v in (*hist.added, *hist.unchanged, *hist.deleted) if v is not None}


def _delivery_of(session: Session, item: DeliveryItem) -> Delivery | None:
    """The delivery an item belongs to as the session sees it: the linked object if the link
    was set through the relationship (a new delivery has no id yet), else by its id."""
    if item.delivery_id is None or changed(item, ("delivery",)):
        return item.delivery
    return session.get(Delivery, item.delivery_id)


def _stored_deliveries_of(
    session: Session, message_ids: set[int], *, skip_items: set[int]
) -> dict[tuple[int, datetime], list[tuple[int, bool]]]:
    """Stored delivery items of these messages, grouped by (recipient, time) as the session
    sees their deliveries; items and deliveries being deleted, and items checked anyway, are
    left out."""
    out: dict[tuple[int, datetime], list[tuple[int, bool]]] = defaultdict(list)
    for chunk in chunks(message_ids):
        for item in session.scalars(select(DeliveryItem).where(DeliveryItem.message_id.in_(chunk))):
            if id(item) in skip_items or item in session.deleted:
                continue
            delivery = _delivery_of(session, item)
            if delivery is None or delivery in session.deleted:
                continue
            out[(delivery.recipient_party_id, delivery.delivered_at)].append(
                (item.message_id, bool(item.attributed))
            )
    return out
