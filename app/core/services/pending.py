"""What is still to do in the shuttle, a page at a time: the messages to pass on (meant for
a party not told yet), then the answers awaited (told, and that party has not replied); and
the Deliver dialog's list of sources (the pending ones for its party, then the rest newest
first).

Each group is read in its own order through an index, starting at the page's key:

* to deliver — the case's messages in (said_at, id) order (``ix_messages_case_said_at``,
  or ``ix_messages_recipient`` for one party), SQL keeping those meant for a party that no
  delivery has told (``NOT EXISTS`` on delivery items × deliveries, by the message's index).
  Then the disclosure rule, per row in Python exactly as for the whole case: a message
  refused as CONFIDENTIAL (no release for its recipient) is never to be passed, so it is
  skipped, and a page reads on (in chunks of about 1.5 × what it still wants) until it
  holds ``limit + 1`` kept rows. How far it reads is bounded by the run of confidential,
  unreleased, untold messages after the key: in the 100k bench they are 30 % of the
  candidates, and a page of 60 reads its ~99 candidates in one statement (1.01 a page over
  the 11,564 rows of the largest case, at most 2). A case of nothing but unreleased
  confidences would read them all to say "nothing pending" — as the whole-case read did;
* replies awaited — the case's deliveries in (delivered_at) order (``ix_deliveries_case_at``),
  each source message's *first* delivery to the party it was meant for (``NOT EXISTS`` an
  earlier one, by ``ix_delivery_items_message``) with no reply from that party (``NOT
  EXISTS``, by ``ix_messages_reply``); ties on delivered_at in message id order.

The key says which group a page stopped in, so one list holds both groups in the order of
``pending_deliveries`` (every deliver row, then every awaited one).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from functools import cache
from typing import Any, TypeVar

from sqlalchemy import Select, and_, bindparam, exists, or_, select, tuple_
from sqlalchemy import case as sql_case
from sqlalchemy.orm import Session, aliased

from app.core.disclosure.guard import person_names
from app.core.disclosure.rule import MessageFacts, Refusal, decide, why_not
from app.core.models import Delivery, DeliveryItem, Disclosure, Message, utcnow
from app.core.services.paging import FIRST_PAGE, Page, every_page
from app.core.services.shuttle_facts import (
    MESSAGE_COLUMNS,
    N_MESSAGE_COLUMNS,
    WHOLE,
    CaseParties,
    Msg,
    case_parties,
    msg_of,
    releases_of,
    require_case,
    source_name,
)
from app.core.vault import Vault

T = TypeVar("T")


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


@dataclass(frozen=True)
class DeliverySource:
    """A message the Deliver dialog offers as a source."""

    message_id: int
    said_at: datetime
    sender: str
    disclosure: Disclosure
    summary: str
    pending: bool  # meant for this party and not told yet


DELIVER, AWAITED = "deliver", "awaited"  # the groups a pending page's key names
PENDING, OTHER = "pending", "other"  # the groups of the Deliver dialog's sources


# SQLite has no statistics on a vault (no ANALYZE), and left to itself it reads a message's
# deliveries through ``ix_deliveries_recipient`` (every delivery to that party) or a reply
# through ``ix_messages_sender`` (every message of that party): a ``+ 0`` on such a column
# keeps it out of the index choice, so each test is a look-up by message (a handful of rows).
# The statements are built once, with bound parameters: building one costs more than running
# it on a page.

_SAID_AT = Message.__table__.c.said_at.type
_DELIVERED_AT = Delivery.__table__.c.delivered_at.type


def _told_to(party: Any) -> Any:
    """EXISTS a delivery to ``party`` (a column or a parameter) that conveyed the message:
    by ``ix_delivery_items_message``, then each delivery by its id."""
    i, d = aliased(DeliveryItem), aliased(Delivery)
    return (
        exists()
        .where(i.message_id == Message.id, d.id == i.delivery_id, d.recipient_party_id + 0 == party)
        .correlate(Message)
    )


def _meant_for_someone() -> Any:
    """Meant for a party (not its own sender's, not the facilitating side's)."""
    return and_(
        Message.recipient_party_id.is_not(None),
        or_(
            Message.sender_party_id.is_(None),
            Message.sender_party_id != Message.recipient_party_id,
        ),
        Message.recipient_party_id.not_in(bindparam("facilitators", expanding=True)),
    )


@cache
def _deliver_query(by_party: bool, keyed: bool) -> Select[Any]:
    """Messages meant for a party (``:party`` with ``by_party``, through
    ``ix_messages_recipient``) not told it, in (said_at, id) order from the key on."""
    q = select(*MESSAGE_COLUMNS).where(
        Message.case_id == bindparam("case_id"),
        _meant_for_someone(),
        ~_told_to(Message.recipient_party_id),
    )
    if by_party:
        q = q.where(Message.recipient_party_id == bindparam("party_id"))
    if keyed:
        q = q.where(
            tuple_(Message.said_at, Message.id)
            > tuple_(bindparam("k_at", type_=_SAID_AT), bindparam("k_id"))
        )
    return q.order_by(Message.said_at, Message.id).limit(bindparam("n"))


@cache
def _awaited_query(keyed: bool) -> Select[Any]:
    """Each message's first delivery to the party it was meant for, that party not having
    answered, in (delivered_at, message id) order from the key on: the case's deliveries
    through ``ix_deliveries_case_at``, ties sorted (a few rows) by message id."""
    d2, i2 = aliased(Delivery), aliased(DeliveryItem)
    earlier = (
        exists()
        .where(
            i2.message_id == Message.id,
            d2.id == i2.delivery_id,
            d2.recipient_party_id + 0 == Delivery.recipient_party_id,
            tuple_(d2.delivered_at, d2.id) < tuple_(Delivery.delivered_at, Delivery.id),
        )
        .correlate(Message, Delivery)
    )
    reply = aliased(Message)
    answered = (
        exists()
        .where(
            reply.in_reply_to_id == Message.id,
            reply.sender_party_id + 0 == Delivery.recipient_party_id,
        )
        .correlate(Message, Delivery)
    )
    q = (
        select(Delivery.delivered_at, Delivery.id, DeliveryItem.attributed, *MESSAGE_COLUMNS)
        .select_from(Delivery)
        .join(DeliveryItem, DeliveryItem.delivery_id == Delivery.id)
        .join(Message, Message.id == DeliveryItem.message_id)
        .where(
            Delivery.case_id == bindparam("case_id"),
            # (+ 0: walk the case's deliveries by date, not its messages; and the message
            # is the item's, by its id, not one of the party's.)
            Message.case_id + 0 == bindparam("case_id"),
            Message.recipient_party_id + 0 == Delivery.recipient_party_id,
            _meant_for_someone(),
            ~earlier,
            ~answered,
        )
    )
    if keyed:
        at = bindparam("k_at", type_=_DELIVERED_AT)
        # The first term seeks in (case_id, delivered_at); the second breaks the tie.
        q = q.where(
            Delivery.delivered_at >= at,
            or_(Delivery.delivered_at > at, Message.id > bindparam("k_id")),
        )
    return q.order_by(Delivery.delivered_at, Message.id).limit(bindparam("n"))


@cache
def _others_query(keyed: bool) -> Select[Any]:
    """The case's messages not sent by ``:party_id``, newest first (``ix_messages_case_said_at``
    backwards), each with whether it is meant for that party and not told it."""
    untold = sql_case(
        (
            and_(
                Message.recipient_party_id == bindparam("party_id"),
                ~_told_to(bindparam("party_id")),
            ),
            True,
        ),
        else_=False,
    )
    q = select(*MESSAGE_COLUMNS, untold).where(
        Message.case_id == bindparam("case_id"),
        or_(Message.sender_party_id.is_(None), Message.sender_party_id != bindparam("party_id")),
    )
    if keyed:
        q = q.where(
            tuple_(Message.said_at, Message.id)
            < tuple_(bindparam("k_at", type_=_SAID_AT), bindparam("k_id"))
        )
    return q.order_by(Message.said_at.desc(), Message.id.desc()).limit(bindparam("n"))


def _read_on(
    s: Session,
    query: Callable[[bool], Select[Any]],
    params: dict[str, Any],
    keep: Callable[[list[Any]], list[T]],
    key_of: Callable[[Any], tuple[Any, int]],
    after: tuple[Any, int] | None,
    limit: int,
) -> tuple[list[T], bool]:
    """The rows ``keep`` keeps of ``query`` from ``after`` on: at most ``limit`` of them,
    and whether there are more. Reads in chunks (about half as much again as still wanted,
    since the rule skips some rows) until ``limit + 1`` are kept or the rows run out."""
    kept: list[T] = []
    key = after
    while True:
        want = (limit + 1 - len(kept)) * 3 // 2 + 8
        args = dict(params, n=want)
        if key is not None:
            args.update(k_at=key[0], k_id=key[1])
        rows = list(s.execute(query(key is not None), args).all())
        kept.extend(keep(rows))
        if len(kept) > limit:
            return kept[:limit], True
        if len(rows) < want:
            return kept, False
        key = key_of(rows[-1])


def _deliver_items(
    s: Session,
    case: CaseParties,
    case_id: int,
    party_id: int | None,
    now: datetime,
    after: Any,
    limit: int,
) -> tuple[list[PendingItem], bool]:
    """Messages meant for a party (or for ``party_id``) not told yet, in (said_at, id)
    order after ``after``, with whether they may be conveyed now; at most ``limit`` and
    whether there are more."""

    def keep(rows: list[Any]) -> list[PendingItem]:
        msgs = [msg_of(row) for row in rows]
        releases = releases_of(s, (m.facts.id for m in msgs))
        people = person_names(s, (m.sender_person_id for m in msgs if m.sender_person_id))
        out: list[PendingItem] = []
        for m in msgs:
            f = m.facts
            r = m.recipient_party_id
            assert r is not None  # (the query's)
            rel = releases.get(f.id, [])
            anon = decide(f, recipient_party_id=r, at=now, attributed=False, releases=rel)
            if anon.reason is Refusal.CONFIDENTIAL:
                continue  # never to be passed (unless released): nothing to do
            named = decide(f, recipient_party_id=r, at=now, attributed=True, releases=rel)
            out.append(
                _item(
                    case,
                    m,
                    people,
                    deliverable=anon.allowed,
                    may_name_source=named.allowed,
                    blocked_by=anon.reason,
                    why_not=why_not(f, anon.reason),
                )
            )
        return out

    params = {"case_id": case_id, "facilitators": case.facilitators}
    if party_id is not None:
        params["party_id"] = party_id
    return _read_on(
        s,
        lambda keyed: _deliver_query(party_id is not None, keyed),
        params,
        keep,
        lambda row: (row[4], row[0]),
        after,
        limit,
    )


def _item(
    case: CaseParties,
    m: Msg,
    people: dict[int, str],
    *,
    kind: PendingKind = PendingKind.DELIVER,
    **kw: Any,
) -> PendingItem:
    f: MessageFacts = m.facts
    r = m.recipient_party_id
    assert r is not None
    values: dict[str, Any] = dict(
        kind=kind,
        message_id=f.id,
        party_id=r,
        party_name=case.name(r),
        sender_party_id=f.sender_party_id,
        sender=source_name(case.name(f.sender_party_id), people.get(m.sender_person_id or 0, "")),
        said_at=f.said_at,
        summary=f.summary,
        disclosure=f.disclosure,
        embargo_until=f.embargo_until,
        deliverable=True,
        may_name_source=True,
        blocked_by=None,
        why_not="",
    )
    values.update(kw)
    return PendingItem(**values)


def _awaited_items(
    s: Session, case: CaseParties, case_id: int, after: Any, limit: int
) -> tuple[list[PendingItem], bool]:
    """Messages told to the party they were meant for that has not answered, by the date
    of their first delivery to it (then message id), after ``after``."""

    def keep(rows: list[Any]) -> list[PendingItem]:
        msgs = [msg_of(row[3:]) for row in rows]
        people = person_names(s, (m.sender_person_id for m in msgs if m.sender_person_id))
        return [
            _item(
                case,
                m,
                people,
                kind=PendingKind.REPLY_AWAITED,
                may_name_source=bool(row[2]),
                delivery_id=row[1],
                delivered_at=row[0],
            )
            for row, m in zip(rows, msgs, strict=True)
        ]

    params = {"case_id": case_id, "facilitators": case.facilitators}
    return _read_on(s, _awaited_query, params, keep, lambda row: (row[0], row[3]), after, limit)


def pending_page(
    vault: Vault,
    case_id: int,
    *,
    at: datetime | None = None,
    after: Any = None,
    limit: int = FIRST_PAGE,
) -> Page[PendingItem]:
    """``limit`` rows of what is still to do, after ``after``: first the messages to deliver
    (meant for a party — not the sender's own, not the facilitating side — that no delivery
    has told yet; by date said), with whether they may be conveyed now (``at``, default now)
    and why not; then the replies awaited (by date first delivered). A confidential message
    with no release for its recipient is not pending: it may never be passed on. The key
    names its group: (DELIVER, said_at, id) or (AWAITED, delivered_at, id)."""
    now = at if at is not None else utcnow()
    group, key = (after[0], after[1:] or None) if after is not None else (DELIVER, None)
    with vault.session() as s:
        require_case(s, case_id)
        case = case_parties(s, case_id)
        rows: list[PendingItem] = []
        if group == DELIVER:
            rows, more = _deliver_items(s, case, case_id, None, now, key, limit)
            if more:
                return Page(rows, (DELIVER, rows[-1].said_at, rows[-1].message_id))
            key = None
            if len(rows) == limit:  # the first group ended with the page: is there more?
                _, more = _awaited_items(s, case, case_id, None, 0)
                return Page(rows, (AWAITED,) if more else None)
        awaited, more = _awaited_items(s, case, case_id, key, limit - len(rows))
    last = awaited[-1] if awaited else None
    return Page(
        rows + awaited, (AWAITED, last.delivered_at, last.message_id) if more and last else None
    )


def pending_deliveries(
    vault: Vault, case_id: int, *, at: datetime | None = None
) -> list[PendingItem]:
    """Every pending row (``pending_page`` page by page, as of one ``at``): messages to
    deliver by date said, then replies awaited by date delivered."""
    now = at if at is not None else utcnow()
    return every_page(
        lambda after, n: pending_page(vault, case_id, at=now, after=after, limit=n), WHOLE
    )


def delivery_sources_page(
    vault: Vault,
    case_id: int,
    party_id: int,
    *,
    at: datetime | None = None,
    after: Any = None,
    limit: int = FIRST_PAGE,
) -> Page[DeliverySource]:
    """The Deliver dialog's sources for ``party_id``: first the messages pending for it (to
    deliver, by date said: ``pending`` is True), then every other message of the case not
    sent by it, newest first. The key names its group: (PENDING, said_at, id) or (OTHER,
    said_at, id)."""
    now = at if at is not None else utcnow()
    group, key = (after[0], after[1:] or None) if after is not None else (PENDING, None)
    with vault.session() as s:
        require_case(s, case_id)
        case = case_parties(s, case_id)
        rows: list[DeliverySource] = []
        if group == PENDING:
            items, more = _deliver_items(s, case, case_id, party_id, now, key, limit)
            rows = [
                DeliverySource(p.message_id, p.said_at, p.sender, p.disclosure, p.summary, True)
                for p in items
            ]
            if more:
                return Page(rows, (PENDING, items[-1].said_at, items[-1].message_id))
            key = None
            if len(rows) == limit:
                _, more = _other_sources(s, case, case_id, party_id, now, None, 0)
                return Page(rows, (OTHER,) if more else None)
        others, more = _other_sources(s, case, case_id, party_id, now, key, limit - len(rows))
    last = others[-1] if others else None
    return Page(rows + others, (OTHER, last.said_at, last.message_id) if more and last else None)


def _other_sources(
    s: Session,
    case: CaseParties,
    case_id: int,
    party_id: int,
    now: datetime,
    after: Any,
    limit: int,
) -> tuple[list[DeliverySource], bool]:
    """The messages of the case not sent by ``party_id`` and not pending for it, newest
    first. A message meant for it and not told it is pending (the first group) unless the
    rule refuses it as confidential: then it is offered here, as the dialog always did."""
    facilitator = case.is_facilitator(party_id)

    def keep(rows: list[Any]) -> list[DeliverySource]:
        msgs = [msg_of(row) for row in rows]
        untold = [row[N_MESSAGE_COLUMNS] and not facilitator for row in rows]
        releases = releases_of(s, (m.facts.id for m, u in zip(msgs, untold, strict=True) if u))
        out: list[DeliverySource] = []
        for m, u in zip(msgs, untold, strict=True):
            f = m.facts
            if u:
                rel = releases.get(f.id, [])
                anon = decide(
                    f, recipient_party_id=party_id, at=now, attributed=False, releases=rel
                )
                if anon.reason is not Refusal.CONFIDENTIAL:
                    continue  # pending: offered in the first group
            sender = case.name(f.sender_party_id) if case.has(f.sender_party_id) else ""
            out.append(DeliverySource(f.id, f.said_at, sender, f.disclosure, f.summary, False))
        return out

    params = {"case_id": case_id, "party_id": party_id}
    return _read_on(s, _others_query, params, keep, lambda row: (row[4], row[0]), after, limit)
