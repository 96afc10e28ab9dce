"""Shuttle diplomacy: the disclosure rule and its overrides, its enforcement on every write
path (services, generic records, ORM, JSON import), and the knowledge views."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import event as hypothesis_event
from hypothesis import strategies as st
from sqlalchemy import event, func, select

from app.core.demo import DEMO_CASE_TITLE, build_demo, generate_scale
from app.core.disclosure.audience import AudienceView, audience_for, delivery_problems
from app.core.disclosure.rule import Sight
from app.core.errors import DisclosureViolation, ImportRefused, NotFound, ValidationError
from app.core.export.jsonio import export_json, import_json
from app.core.models import (
    AuditAction,
    AuditEntry,
    Case,
    Delivery,
    DeliveryItem,
    Disclosure,
    Message,
    Party,
    PartyKind,
    Release,
)
from app.core.services.records import Records
from app.core.services.shuttle import (
    DeliveryRefused,
    Knowledge,
    MessageFacts,
    PendingKind,
    Refusal,
    ReleaseFacts,
    check_items,
    decide,
    knowledge_matrix,
    knowledge_page,
    ledger,
    ledger_page,
    pending_deliveries,
    pending_page,
    record_delivery,
    release,
    rounds,
    stored_violations,
    thread,
    who_knows,
)
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def day(n: float) -> datetime:
    return T0 + timedelta(days=n)


SECRET_SUMMARY = "Field commanders reject any demobilisation talk before the elections."


@dataclass(frozen=True)
class Small:
    """A hand-built case: a government, a movement and the facilitators."""

    case: int
    gov: int
    mov: int
    med: int
    rnd: int
    share: int  # gov -> mov, shareable
    anon: int  # gov -> mov, unattributed
    secret: int  # mov -> med, confidential ("for the mediator only")
    embargo: int  # mov -> gov, embargoed until day 10
    reply: int  # mov -> gov, shareable, answers ``share``
    counter: int  # gov -> mov, shareable, answers ``reply``


@pytest.fixture
def small(vault: Vault) -> Small:
    r = Records(vault)
    case = r.create("case", title="Northern Valley water talks")
    gov = r.create("party", case_id=case, name="Government of Veskaria", kind="government")
    mov = r.create("party", case_id=case, name="Valley Movement", kind="political_movement")
    med = r.create("party", case_id=case, name="Facilitators", kind="third_party")
    rnd = r.create("round", case_id=case, number=1, title="First trip")
    person = r.create("person", name="Ana Vel")

    def msg(sender: int, recipient: int | None, level: str, at: datetime, **kw: Any) -> int:
        return r.create(
            "message",
            case_id=case,
            round_id=rnd,
            sender_party_id=sender,
            recipient_party_id=recipient,
            said_at=at,
            disclosure=level,
            content=kw.pop("content", "verbatim words"),
            **kw,
        )

    share = msg(gov, mov, "shareable", day(0), summary="Ready to reopen the road")
    anon = msg(gov, mov, "unattributed", day(0.1), summary="Some could accept monitors")
    secret = msg(
        mov,
        med,
        "confidential",
        day(0.2),
        summary=SECRET_SUMMARY,
        content="THE WHOLE CONFIDENTIAL TEXT",
        sender_person_id=person,
    )
    embargo = msg(
        mov, gov, "embargoed", day(0.3), summary="Prisoners freed on day ten", embargo_until=day(10)
    )
    reply = msg(
        mov, gov, "shareable", day(2), summary="Only with joint monitoring", in_reply_to_id=share
    )
    counter = msg(
        gov, mov, "shareable", day(4), summary="A civilian commission", in_reply_to_id=reply
    )
    return Small(case, gov, mov, med, rnd, share, anon, secret, embargo, reply, counter)


def deliver(vault: Vault, s: Small, to: int, at: datetime, *items: tuple[int, bool]) -> int:
    return record_delivery(
        vault, case_id=s.case, recipient_party_id=to, delivered_at=at, items=list(items)
    )


def count(vault: Vault, model: type) -> int:
    with vault.session() as ses:
        return int(ses.scalar(select(func.count()).select_from(model)) or 0)


def refused(vault: Vault, s: Small, to: int, at: datetime, *items: tuple[int, bool]) -> str:
    before = (count(vault, Delivery), count(vault, DeliveryItem))
    with pytest.raises(DisclosureViolation) as err:
        deliver(vault, s, to, at, *items)
    assert (count(vault, Delivery), count(vault, DeliveryItem)) == before
    return str(err.value)


# --- the rule and its overrides ---------------------------------------------------------------


def test_shareable_goes_with_or_without_its_source(vault: Vault, small: Small) -> None:
    deliver(vault, small, small.mov, day(1), (small.share, True))
    deliver(vault, small, small.mov, day(1), (small.share, False))
    assert [e.attributed for e in ledger(vault, small.mov)] == [True, False]


def test_confidential_is_refused_with_one_clear_sentence(vault: Vault, small: Small) -> None:
    text = refused(vault, small, small.gov, day(1), (small.secret, False))
    assert text == (
        "“Field commanders reject any…” (2 Mar 2026) is confidential: it may not be passed to "
        "Government of Veskaria. Record a release first if its source agreed."
    )
    assert "WHOLE CONFIDENTIAL" not in text


def test_embargo_holds_until_its_date(vault: Vault, small: Small) -> None:
    text = refused(vault, small, small.gov, day(9.9), (small.embargo, False))
    assert "is embargoed until 12 Mar 2026, 09:00 UTC" in text
    assert "may not be passed to Government of Veskaria before then" in text
    deliver(vault, small, small.gov, day(10), (small.embargo, True))  # exactly at the date
    deliver(vault, small, small.gov, day(11), (small.embargo, False))


def test_unattributed_only_without_its_source(vault: Vault, small: Small) -> None:
    text = refused(vault, small, small.mov, day(1), (small.anon, True))
    assert "only without naming its source" in text
    deliver(vault, small, small.mov, day(1), (small.anon, False))
    [entry] = ledger(vault, small.mov)
    assert entry.source is None and entry.source_party_id is None and not entry.attributed


def test_back_to_its_sender_only_as_its_level_allows(vault: Vault, small: Small) -> None:
    # A confidence is a person's, not a delegation's: not even the sender's own party is told.
    text = refused(vault, small, small.mov, day(1), (small.secret, False))
    assert text.startswith("“Field commanders reject any…” (2 Mar 2026) is confidential: ")
    assert "it may not be passed to Valley Movement." in text
    refused(vault, small, small.mov, day(1), (small.secret, True))
    assert "is embargoed until 12 Mar 2026, 09:00 UTC: it may not be passed to Valley Movement" in (
        refused(vault, small, small.mov, day(9.9), (small.embargo, True))
    )
    assert "only without naming its source" in refused(
        vault, small, small.gov, day(1), (small.anon, True)
    )
    assert ledger(vault, small.mov) == [] and ledger(vault, small.gov) == []
    # What its level allows goes back like anywhere else.
    deliver(vault, small, small.gov, day(1), (small.anon, False))
    deliver(vault, small, small.mov, day(2), (small.reply, True))  # shareable
    deliver(vault, small, small.mov, day(10), (small.embargo, True))  # at its date
    # And the sender may release a confidence to its own party, like to any other.
    rid = release(
        vault,
        message_id=small.secret,
        party_id=small.mov,
        released_by="Mira",
        reason="Ana Vel asked us to brief her own leadership.",
        released_at=day(3),
        attribution_allowed=True,
    )
    refused(vault, small, small.mov, day(2.9), (small.secret, False))  # not before it
    deliver(vault, small, small.mov, day(3), (small.secret, True))
    assert [(e.message_id, e.release_id) for e in ledger(vault, small.mov)] == [
        (small.reply, None),
        (small.secret, rid),
        (small.embargo, None),
    ]
    [anon] = ledger(vault, small.gov)
    assert anon.message_id == small.anon and not anon.attributed


def test_release_to_the_party_lifts_confidentiality(vault: Vault, small: Small) -> None:
    rid = release(
        vault,
        message_id=small.secret,
        party_id=small.gov,
        released_by="Mira",
        reason="The commander agreed on the phone.",
        released_at=day(1),
    )
    deliver(vault, small, small.gov, day(1), (small.secret, False))  # released_at == delivered_at
    [entry] = ledger(vault, small.gov)
    assert entry.release_id == rid and entry.source is None
    # ... but the source may not be named: the release does not allow attribution.
    assert "only without naming its source" in refused(
        vault, small, small.gov, day(2), (small.secret, True)
    )


def test_release_to_every_party(vault: Vault, small: Small) -> None:
    rid = release(
        vault,
        message_id=small.embargo,
        party_id=None,
        released_by="Mira",
        reason="Announced early",
        released_at=day(1),
        attribution_allowed=True,
    )
    deliver(vault, small, small.gov, day(2), (small.embargo, True))
    [entry] = ledger(vault, small.gov)
    assert entry.release_id == rid and entry.source == "Valley Movement"


def test_release_to_another_party_does_not_count(vault: Vault, small: Small) -> None:
    other = Records(vault).create("party", case_id=small.case, name="Elders", kind="community")
    release(
        vault,
        message_id=small.secret,
        party_id=other,
        released_by="Mira",
        reason="For the elders only",
        released_at=day(1),
    )
    refused(vault, small, small.gov, day(2), (small.secret, False))
    deliver(vault, small, other, day(2), (small.secret, False))


def test_a_release_after_the_delivery_does_not_count(vault: Vault, small: Small) -> None:
    release(
        vault,
        message_id=small.secret,
        party_id=small.gov,
        released_by="Mira",
        reason="Agreed later",
        released_at=day(5),
    )
    refused(vault, small, small.gov, day(4), (small.secret, False))
    deliver(vault, small, small.gov, day(5), (small.secret, False))


def test_attribution_only_when_the_release_allows_it(vault: Vault, small: Small) -> None:
    release(
        vault,
        message_id=small.anon,
        party_id=small.mov,
        released_by="Mira",
        reason="The adviser is happy to be named",
        released_at=day(1),
        attribution_allowed=False,
    )
    refused(vault, small, small.mov, day(2), (small.anon, True))
    named = release(
        vault,
        message_id=small.anon,
        party_id=small.mov,
        released_by="Mira",
        reason="Now she is",
        released_at=day(3),
        attribution_allowed=True,
    )
    deliver(vault, small, small.mov, day(3), (small.anon, True))
    [entry] = ledger(vault, small.mov)
    assert entry.release_id == named and entry.source == "Government of Veskaria"


def test_a_delivery_is_all_or_nothing(vault: Vault, small: Small) -> None:
    with pytest.raises(DeliveryRefused) as err:
        deliver(vault, small, small.gov, day(1), (small.reply, True), (small.secret, False))
    assert [v.message_id for v in err.value.violations] == [small.secret]
    assert count(vault, Delivery) == 0 and count(vault, DeliveryItem) == 0
    with pytest.raises(DeliveryRefused, match="One more source of this delivery is refused"):
        deliver(vault, small, small.gov, day(1), (small.secret, False), (small.embargo, False))


def test_record_delivery_validates_its_input(vault: Vault, small: Small) -> None:
    other_case = Records(vault).create("case", title="Elsewhere")
    with pytest.raises(ValidationError, match="once"):
        deliver(vault, small, small.mov, day(1), (small.share, True), (small.share, False))
    with pytest.raises(ValidationError, match="time zone"):
        deliver(vault, small, small.mov, datetime(2026, 3, 3), (small.share, True))
    with pytest.raises(NotFound):
        deliver(vault, small, small.mov, day(1), (99_999, True))
    with pytest.raises(ValidationError, match="not a party of this case"):
        record_delivery(
            vault, case_id=other_case, recipient_party_id=small.mov, delivered_at=day(1), items=[]
        )
    did = record_delivery(
        vault,
        case_id=small.case,
        recipient_party_id=small.mov,
        delivered_at=day(1),
        items=[(small.share, True)],
        content="Told them",
        place="phone",
        round_id=small.rnd,
        notes="n",
    )
    got = Records(vault).get("delivery", did)
    assert (got["content"], got["place"], got["round_id"]) == ("Told them", "phone", small.rnd)


def test_check_items_answers_without_writing(vault: Vault, small: Small) -> None:
    with vault.session() as s:
        found = check_items(
            s, small.gov, day(1), [(small.reply, True), (small.secret, True), (small.embargo, True)]
        )
    assert [(v.message_id, v.reason) for v in found] == [
        (small.secret, Refusal.CONFIDENTIAL),
        (small.embargo, Refusal.EMBARGOED),
    ]
    assert all(v.party_id == small.gov and v.at == day(1) for v in found)


# --- enforcement on every write path ------------------------------------------------------------


def test_the_generic_records_path_is_refused_too(vault: Vault, small: Small) -> None:
    r = Records(vault)
    did = r.create(
        "delivery", case_id=small.case, recipient_party_id=small.gov, delivered_at=day(20)
    )
    with pytest.raises(DisclosureViolation, match="is confidential"):
        r.create("delivery_item", delivery_id=did, message_id=small.secret, attributed=False)
    assert r.find("delivery_item") == []
    # An allowed item, then edits that would turn it into a leak.
    item = r.create("delivery_item", delivery_id=did, message_id=small.embargo, attributed=False)
    with pytest.raises(DisclosureViolation):
        r.update("delivery", did, delivered_at=day(12))  # fine...
        r.update("delivery", did, delivered_at=day(5))  # ...before the embargo: no
    assert r.get("delivery", did)["delivered_at"] == day(12)
    with pytest.raises(DisclosureViolation):
        r.update("delivery_item", item, message_id=small.secret)
    anon_did = r.create(
        "delivery", case_id=small.case, recipient_party_id=small.mov, delivered_at=day(1)
    )
    anon_item = r.create("delivery_item", delivery_id=anon_did, message_id=small.anon)
    with pytest.raises(DisclosureViolation, match="without naming"):
        r.update("delivery_item", anon_item, attributed=True)
    assert r.get("delivery_item", anon_item)["attributed"] is False
    back = r.create(
        "delivery", case_id=small.case, recipient_party_id=small.mov, delivered_at=day(1)
    )
    # Not even to its sender's own party without a release...
    with pytest.raises(
        DisclosureViolation, match="is confidential: it may not be passed to Valley"
    ):
        r.create("delivery_item", delivery_id=back, message_id=small.secret, attributed=True)
    assert r.find("delivery_item", delivery_id=back) == []
    release(
        vault,
        message_id=small.secret,
        party_id=small.mov,
        released_by="Mira",
        reason="Ana Vel agreed her own party may hear it.",
        released_at=day(1),
        attribution_allowed=True,
    )
    r.create("delivery_item", delivery_id=back, message_id=small.secret, attributed=True)
    with pytest.raises(DisclosureViolation, match="passed to Government of Veskaria"):
        r.update("delivery", back, recipient_party_id=small.gov)  # released to its sender's only
    assert r.get("delivery", back)["recipient_party_id"] == small.mov


def test_moving_an_item_to_another_delivery_is_checked(vault: Vault, small: Small) -> None:
    r = Records(vault)
    release(
        vault,
        message_id=small.secret,
        party_id=small.mov,  # its sender's own party, and only it
        released_by="Mira",
        reason="Ana Vel agreed her own party may hear it.",
        released_at=day(1),
        attribution_allowed=True,
    )
    to_mov = deliver(vault, small, small.mov, day(1), (small.secret, True))
    to_gov = deliver(vault, small, small.gov, day(1), (small.reply, True))
    [item] = r.find("delivery_item", delivery_id=to_mov)
    with pytest.raises(DisclosureViolation, match="is confidential"):
        r.update("delivery_item", item["id"], delivery_id=to_gov)
    assert r.get("delivery_item", item["id"])["delivery_id"] == to_mov


def test_a_release_that_a_delivery_relies_on_cannot_be_undone(vault: Vault, small: Small) -> None:
    r = Records(vault)
    rid = release(
        vault,
        message_id=small.secret,
        party_id=small.gov,
        released_by="M",
        reason="agreed",
        released_at=day(1),
        attribution_allowed=True,
    )
    spare = release(vault, message_id=small.anon, party_id=None, released_by="M", reason="spare")
    deliver(vault, small, small.gov, day(2), (small.secret, True))
    lead = "This change would break the delivery of 4 Mar 2026: "
    with pytest.raises(DisclosureViolation, match=lead + "“Field commanders"):
        r.delete("release", rid)
    with pytest.raises(DisclosureViolation, match=lead):
        r.update("release", rid, released_at=day(3))
    with pytest.raises(DisclosureViolation, match="only without naming its source"):
        r.update("release", rid, attribution_allowed=False)
    with pytest.raises(DisclosureViolation, match=lead):
        r.update("release", rid, party_id=small.med)
    assert r.get("release", rid)["party_id"] == small.gov
    r.update("release", rid, reason="agreed on the phone")  # the terms are unchanged: fine
    r.delete("release", spare)  # nothing relies on it
    # Once the delivery that relied on it is gone, the release may go too.
    [delivery] = r.find("delivery", recipient_party_id=small.gov)
    r.delete("delivery", delivery["id"])
    r.delete("release", rid)


def test_a_delivered_message_cannot_become_secret_afterwards(vault: Vault, small: Small) -> None:
    r = Records(vault)
    deliver(vault, small, small.mov, day(1), (small.share, True))
    deliver(vault, small, small.mov, day(3), (small.reply, True))  # back to its sender's party
    with pytest.raises(
        DisclosureViolation, match="is confidential: it may not be passed to Valley"
    ):
        r.update("message", small.share, disclosure="confidential")
    with pytest.raises(DisclosureViolation, match="only without naming"):
        r.update("message", small.share, disclosure="unattributed")
    assert r.get("message", small.share)["disclosure"] is Disclosure.SHAREABLE
    r.update("message", small.share, summary="Ready to reopen the Tsera road")  # not the level
    r.update("message", small.counter, disclosure="confidential")  # never delivered
    # Told only to its own sender's party: no exception, a confidence is a person's.
    with pytest.raises(
        DisclosureViolation, match="is confidential: it may not be passed to Valley"
    ):
        r.update("message", small.reply, disclosure="confidential")
    with pytest.raises(DisclosureViolation, match="is embargoed until 7 Mar 2026"):
        r.update("message", small.reply, disclosure="embargoed", embargo_until=day(5))
    assert r.get("message", small.reply)["disclosure"] is Disclosure.SHAREABLE
    r.update("message", small.reply, disclosure="embargoed", embargo_until=day(3))  # in time


def test_the_orm_path_sees_a_release_in_the_same_flush(vault: Vault, small: Small) -> None:
    with vault.transaction() as s:
        s.add(
            Release(
                message_id=small.secret,
                party_id=small.gov,
                released_by="Mira",
                reason="agreed",
                released_at=day(1),
            )
        )
        d = Delivery(case_id=small.case, recipient_party_id=small.gov, delivered_at=day(2))
        d.items.append(DeliveryItem(message_id=small.secret, attributed=False))
        s.add(d)
    assert [e.message_id for e in ledger(vault, small.gov)] == [small.secret]
    with pytest.raises(DisclosureViolation), vault.transaction() as s:
        d = Delivery(case_id=small.case, recipient_party_id=small.gov, delivered_at=day(2))
        d.items.append(DeliveryItem(message_id=small.embargo, attributed=False))
        s.add(d)
    assert count(vault, Delivery) == 1


def _export_with_leak(vault: Vault, small: Small, tmp_path: Path) -> Path:
    deliver(vault, small, small.mov, day(1), (small.share, True))
    path = tmp_path / "export.json"
    export_json(vault, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    [item] = doc["tables"]["delivery_items"]
    item["message_id"] = small.secret  # to the movement: its own message, fine...
    [delivery] = doc["tables"]["deliveries"]
    delivery["recipient_party_id"] = small.gov  # ...but now to the government: a leak
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_json_import_refuses_a_leak_and_imports_nothing(
    vault: Vault, small: Small, tmp_path: Path
) -> None:
    path = _export_with_leak(vault, small, tmp_path)
    fresh = Vault.create(tmp_path / "fresh.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    try:
        for target in (vault, fresh):
            before = {m: count(target, m) for m in (Case, Message, Delivery, DeliveryItem)}
            with pytest.raises(ImportRefused) as err:
                import_json(target, path)
            assert "breaks a disclosure rule" in str(err.value)
            assert "is confidential: it may not be passed to Government of Veskaria" in str(
                err.value
            )
            assert str(err.value).endswith("Nothing was imported.")
            assert {m: count(target, m) for m in before} == before
    finally:
        fresh.lock()


def test_json_import_of_a_clean_file_still_works(
    vault: Vault, small: Small, tmp_path: Path
) -> None:
    deliver(vault, small, small.mov, day(1), (small.share, True), (small.anon, False))
    release(vault, message_id=small.secret, party_id=small.gov, released_by="M", reason="ok")
    path = tmp_path / "clean.json"
    export_json(vault, path)
    import_json(vault, path)
    assert count(vault, DeliveryItem) == 4
    with vault.session() as s:
        assert stored_violations(s) == []


# --- releases ------------------------------------------------------------------------------


def test_releases_are_audited(vault: Vault, small: Small) -> None:
    rid = release(
        vault,
        message_id=small.secret,
        party_id=None,
        released_by="Mira",
        reason="  The commander agreed.  ",
        attribution_allowed=True,
    )
    with vault.session() as s:
        entry = s.scalars(
            select(AuditEntry).where(
                AuditEntry.record_kind == "release", AuditEntry.record_id == rid
            )
        ).one()
        stored = s.get(Release, rid)
        assert stored is not None
        assert stored.reason == "The commander agreed." and stored.party_id is None
        assert abs(stored.released_at - datetime.now(UTC)) < timedelta(minutes=1)
    assert entry.action is AuditAction.CREATE
    changes = json.loads(entry.changes)
    assert changes["reason"] == "The commander agreed." and changes["attribution_allowed"] is True


def test_a_release_needs_a_reason_and_a_known_message_and_party(vault: Vault, small: Small) -> None:
    for reason in ("", "   "):
        with pytest.raises(ValidationError, match="needs a reason"):
            release(
                vault, message_id=small.secret, party_id=small.gov, released_by="M", reason=reason
            )
    with pytest.raises(ValidationError, match="name of the person"):
        release(vault, message_id=small.secret, party_id=small.gov, released_by=" ", reason="x")
    with pytest.raises(NotFound):
        release(vault, message_id=99_999, party_id=None, released_by="M", reason="x")
    elsewhere = Records(vault).create("case", title="Elsewhere")
    stranger = Records(vault).create("party", case_id=elsewhere, name="Strangers", kind="community")
    with pytest.raises(ValidationError, match="not a party of this message's case"):
        release(vault, message_id=small.secret, party_id=stranger, released_by="M", reason="x")
    assert count(vault, Release) == 0


# --- pending, ledger, who knows, matrix, thread, rounds ------------------------------------------


def test_pending_deliveries_and_replies_awaited(vault: Vault, small: Small) -> None:
    pending = pending_deliveries(vault, small.case, at=day(5))
    to_deliver = {p.message_id: p for p in pending if p.kind is PendingKind.DELIVER}
    # The confidential message is for the facilitators: nobody has to convey it.
    assert set(to_deliver) == {small.share, small.anon, small.embargo, small.reply, small.counter}
    assert to_deliver[small.share].deliverable and to_deliver[small.share].may_name_source
    assert to_deliver[small.anon].deliverable and not to_deliver[small.anon].may_name_source
    emb = to_deliver[small.embargo]
    assert not emb.deliverable and emb.blocked_by is Refusal.EMBARGOED
    assert emb.why_not == "embargoed until 12 Mar 2026, 09:00 UTC"
    assert emb.party_name == "Government of Veskaria" and emb.sender == "Valley Movement"
    assert not [p for p in pending if p.kind is PendingKind.REPLY_AWAITED]

    d1 = deliver(vault, small, small.mov, day(1), (small.share, True), (small.anon, False))
    deliver(vault, small, small.gov, day(3), (small.reply, True))
    pending = pending_deliveries(vault, small.case, at=day(5))
    assert {p.message_id for p in pending if p.kind is PendingKind.DELIVER} == {
        small.embargo,
        small.counter,
    }
    awaited = [p for p in pending if p.kind is PendingKind.REPLY_AWAITED]
    # ``share`` was answered by ``reply``; ``reply`` by ``counter``; ``anon`` was not.
    assert [(p.message_id, p.party_id, p.delivery_id) for p in awaited] == [
        (small.anon, small.mov, d1)
    ]
    assert awaited[0].delivered_at == day(1) and not awaited[0].may_name_source
    assert pending[-1].kind is PendingKind.REPLY_AWAITED  # deliveries first
    later = {p.message_id: p for p in pending_deliveries(vault, small.case, at=day(10))}
    assert later[small.embargo].deliverable and later[small.embargo].why_not == ""


def test_ledger_and_who_knows(vault: Vault, small: Small) -> None:
    rid = release(
        vault,
        message_id=small.secret,
        party_id=small.gov,
        released_by="M",
        reason="ok",
        released_at=day(0.5),
        attribution_allowed=True,
    )
    d1 = deliver(vault, small, small.gov, day(1), (small.secret, True), (small.reply, False))
    d2 = deliver(vault, small, small.mov, day(2), (small.share, True))
    d3 = deliver(vault, small, small.gov, day(3), (small.reply, True))
    gov = ledger(vault, small.gov)
    assert [(e.delivery_id, e.message_id, e.attributed) for e in gov] == [
        (d1, small.secret, True),
        (d1, small.reply, False),
        (d3, small.reply, True),
    ]
    secret = gov[0]
    assert secret.source == "Ana Vel, Valley Movement" and secret.release_id == rid
    assert secret.disclosure is Disclosure.CONFIDENTIAL and secret.summary == SECRET_SUMMARY
    assert secret.delivered_at == day(1) and secret.said_at == day(0.2)
    assert gov[1].source is None and gov[1].release_id is None
    assert [e.delivery_id for e in ledger(vault, small.mov)] == [d2]
    assert ledger(vault, small.med) == []
    with pytest.raises(NotFound):
        ledger(vault, 99_999)

    knows = who_knows(vault, small.reply)
    assert [(k.party_id, k.delivery_id, k.attributed) for k in knows] == [
        (small.gov, d1, False),
        (small.gov, d3, True),
    ]
    assert knows[0].party_name == "Government of Veskaria" and knows[0].delivered_at == day(1)
    assert who_knows(vault, small.secret)[0].release_id == rid
    assert who_knows(vault, small.counter) == []
    with pytest.raises(NotFound):
        who_knows(vault, 99_999)


def test_knowledge_matrix(vault: Vault, small: Small) -> None:
    deliver(vault, small, small.mov, day(1), (small.share, False))
    deliver(vault, small, small.mov, day(1.5), (small.share, True), (small.anon, False))
    release(
        vault,
        message_id=small.secret,
        party_id=small.mov,
        released_by="Mira",
        reason="Ana Vel agreed her own party may hear it.",
        released_at=day(2),
        attribution_allowed=True,
    )
    deliver(vault, small, small.mov, day(2), (small.secret, True))  # back to its sender
    m = knowledge_matrix(vault, small.case)
    assert [p.id for p in m.parties] == [small.gov, small.mov, small.med]
    assert [r.message_id for r in m.rows] == [
        small.share,
        small.anon,
        small.secret,
        small.embargo,
        small.reply,
        small.counter,
    ]
    K = Knowledge
    expected = {
        small.share: (K.SENDER, K.TOLD_ATTRIBUTED, K.NONE),
        small.anon: (K.SENDER, K.TOLD_UNATTRIBUTED, K.NONE),
        small.secret: (K.NONE, K.SENDER, K.NONE),  # for the facilitators: not "meant for"
        small.embargo: (K.MEANT_FOR, K.SENDER, K.NONE),
        small.reply: (K.MEANT_FOR, K.SENDER, K.NONE),
        small.counter: (K.SENDER, K.MEANT_FOR, K.NONE),
    }
    assert {r.message_id: r.cells for r in m.rows} == expected
    assert m.cell(small.anon, small.mov) == "told (unattributed)"
    assert m.cell(small.embargo, small.gov) == "meant for, not yet told"
    assert m.cell(small.share, 99_999) is K.NONE
    assert m.disclosure(small.secret) is Disclosure.CONFIDENTIAL
    assert m.rows[3].embargo_until == day(10)


def test_thread_runs_from_its_root_with_the_deliveries_between(vault: Vault, small: Small) -> None:
    d1 = deliver(vault, small, small.mov, day(1), (small.share, True))
    d2 = deliver(vault, small, small.gov, day(3), (small.reply, True))
    for member in (small.share, small.reply, small.counter):
        steps = thread(vault, member)
        assert [s.message_id for s in steps] == [small.share, small.reply, small.counter]
        assert [s.depth for s in steps] == [0, 1, 2]
        assert [s.in_reply_to_id for s in steps] == [None, small.share, small.reply]
        assert [[d.delivery_id for d in s.deliveries] for s in steps] == [[d1], [d2], []]
    first = thread(vault, small.share)[0]
    assert first.sender == "Government of Veskaria" and first.recipient == "Valley Movement"
    assert first.deliveries[0].party_name == "Valley Movement" and first.deliveries[0].attributed
    [alone] = thread(vault, small.secret)
    assert alone.sender == "Ana Vel, Valley Movement" and alone.deliveries == ()
    with pytest.raises(NotFound):
        thread(vault, 99_999)


def test_thread_survives_a_reply_loop(vault: Vault, small: Small) -> None:
    Records(vault).update("message", small.share, in_reply_to_id=small.counter)
    ids = [s.message_id for s in thread(vault, small.reply)]
    assert sorted(ids) == sorted([small.share, small.reply, small.counter])


def test_rounds_summary(vault: Vault, small: Small) -> None:
    r = Records(vault)
    empty = r.create("round", case_id=small.case, number=2, title="Second trip")
    record_delivery(
        vault,
        case_id=small.case,
        recipient_party_id=small.mov,
        delivered_at=day(7),
        items=[(small.share, True)],
        round_id=small.rnd,
    )
    first, second = rounds(vault, small.case)
    assert (first.round_id, first.number, first.title) == (small.rnd, 1, "First trip")
    assert (first.message_count, first.delivery_count) == (6, 1)
    assert (first.first_at, first.last_at) == (day(0), day(7))
    assert (second.round_id, second.message_count, second.delivery_count) == (empty, 0, 0)
    assert second.first_at is None
    with pytest.raises(NotFound):
        rounds(vault, 99_999)


def seen(view: AudienceView, message_id: int) -> bool:
    return view.message(message_id) is not Sight.NONE


def named(view: AudienceView, message_id: int) -> bool:
    return view.message(message_id) is Sight.FULL


def test_delivery_problems_and_audience_view(vault: Vault, small: Small) -> None:
    everything = [small.share, small.anon, small.secret, small.embargo, small.reply]
    found = delivery_problems(vault, small.gov, day(5), [(m, False) for m in everything])
    assert [(v.message_id, v.reason) for v in found] == [
        (small.secret, Refusal.CONFIDENTIAL),
        (small.embargo, Refusal.EMBARGOED),
    ]
    assert "is confidential: it may not be passed to Government of Veskaria" in found[0].text
    # Not even its sender's own party may see a confidence, or an embargo before its date.
    own = delivery_problems(vault, small.mov, day(5), [(m, False) for m in everything])
    assert [(v.message_id, v.reason) for v in own] == [
        (small.secret, Refusal.CONFIDENTIAL),
        (small.embargo, Refusal.EMBARGOED),
    ]
    assert "is confidential: it may not be passed to Valley Movement" in own[0].text
    assert [
        v.message_id
        for v in delivery_problems(vault, small.mov, day(10), [(m, False) for m in everything])
    ] == [small.secret]
    assert [
        v.message_id
        for v in delivery_problems(vault, small.gov, day(11), [(m, False) for m in everything])
    ] == [small.secret]

    view = audience_for(vault, small.case, small.gov, at=day(5))
    assert [seen(view, m) for m in everything] == [True, True, False, False, True]
    # ``anon`` is its own, unattributed: not even its sender's party sees it named.
    assert [named(view, m) for m in everything] == [True, False, False, False, True]
    view = audience_for(vault, small.case, small.mov, at=day(5))
    assert seen(view, small.anon) and not named(view, small.anon)
    assert [seen(view, m) for m in everything] == [True, True, False, False, True]
    assert [named(view, m) for m in everything] == [True, False, False, False, True]
    assert not seen(view, 99_999)
    release(
        vault,
        message_id=small.secret,
        party_id=None,
        released_by="M",
        reason="ok",
        released_at=day(6),
    )
    assert not seen(audience_for(vault, small.case, small.gov, at=day(5)), small.secret)
    later = audience_for(vault, small.case, small.gov, at=day(6))
    assert seen(later, small.secret) and not named(later, small.secret)
    own = audience_for(vault, small.case, small.mov, at=day(6))  # released to every party
    assert seen(own, small.secret) and not named(own, small.secret)
    assert seen(later, small.embargo) is False
    assert named(audience_for(vault, small.case, small.gov, at=day(10)), small.embargo)


# --- the demo notebook ---------------------------------------------------------------------


@pytest.fixture
def demo(vault: Vault) -> Vault:
    build_demo(vault)
    return vault


def _demo_ids(vault: Vault) -> tuple[int, dict[str, int], dict[str, int]]:
    with vault.session() as s:
        case = s.scalars(select(Case).where(Case.title == DEMO_CASE_TITLE)).one()
        parties = {
            p.kind.value: p.id for p in s.scalars(select(Party).where(Party.case_id == case.id))
        }
        msgs = {
            m.summary: m.id for m in s.scalars(select(Message).where(Message.case_id == case.id))
        }
    return case.id, parties, msgs


def _m(msgs: dict[str, int], start: str) -> int:
    [found] = [mid for summary, mid in msgs.items() if summary.startswith(start)]
    return found


def test_the_demo_obeys_the_rule(demo: Vault) -> None:
    with demo.session() as s:
        assert stored_violations(s) == []


def test_the_demo_refuses_a_leak_in_words(demo: Vault) -> None:
    case, parties, msgs = _demo_ids(demo)
    with pytest.raises(DisclosureViolation) as err:
        record_delivery(
            demo,
            case_id=case,
            recipient_party_id=parties["government"],
            delivered_at=datetime(2026, 3, 1, tzinfo=UTC),
            items=[(_m(msgs, "Field commanders"), False)],
        )
    assert str(err.value) == (
        "“Field commanders reject any…” (19 Feb 2026) is confidential: it may not be passed to "
        "Government of Veskaria. Record a release first if its source agreed."
    )


def test_the_demo_views(demo: Vault) -> None:
    case, parties, msgs = _demo_ids(demo)
    gov, khm = parties["government"], parties["political_movement"]
    now = datetime(2026, 12, 1, tzinfo=UTC)

    pending = pending_deliveries(demo, case, at=now)
    to_deliver = {p.message_id: p for p in pending if p.kind is PendingKind.DELIVER}
    assert set(to_deliver) == {
        _m(msgs, "KHM will propose a one-year"),
        _m(msgs, "Displaced families"),
        _m(msgs, "KHM accepts the working paper"),
        _m(msgs, "Safe passage"),
    }
    ceasefire = to_deliver[_m(msgs, "KHM will propose a one-year")]
    assert ceasefire.why_not == "embargoed until 1 Mar 2027, 08:00 UTC"
    assert not ceasefire.deliverable
    assert to_deliver[_m(msgs, "Displaced families")].deliverable
    assert not to_deliver[_m(msgs, "Displaced families")].may_name_source
    awaited = {(p.message_id, p.party_id) for p in pending if p.kind is PendingKind.REPLY_AWAITED}
    assert awaited == {
        (_m(msgs, "Parts of the cabinet"), khm),
        (_m(msgs, "KHM to release twelve"), gov),
    }

    co_chairs = _m(msgs, "The government could accept elders")
    khm_ledger = ledger(demo, khm)
    assert len(khm_ledger) == 7
    [entry] = [e for e in khm_ledger if e.message_id == co_chairs]
    assert entry.source is None and entry.release_id is not None
    assert entry.disclosure is Disclosure.CONFIDENTIAL
    [told] = who_knows(demo, co_chairs)
    assert told.party_id == khm and told.release_id == entry.release_id
    assert [k.party_id for k in who_knows(demo, _m(msgs, "Women's Circle asks"))] == [gov, khm]

    matrix = knowledge_matrix(demo, case)
    commanders = _m(msgs, "Field commanders")
    assert matrix.cell(commanders, khm) is Knowledge.SENDER
    assert {matrix.cell(commanders, p.id) for p in matrix.parties} == {
        Knowledge.SENDER,
        Knowledge.NONE,
    }
    assert matrix.cell(co_chairs, khm) is Knowledge.TOLD_UNATTRIBUTED
    assert matrix.cell(_m(msgs, "KHM will propose a one-year"), gov) is Knowledge.MEANT_FOR
    assert matrix.cell(_m(msgs, "Government ready to discuss"), khm) is Knowledge.TOLD_ATTRIBUTED

    steps = thread(demo, _m(msgs, "KHM accepts a commission"))
    assert [s.message_id for s in steps] == [
        _m(msgs, "Government ready to discuss"),
        _m(msgs, "KHM: the road opens"),
        _m(msgs, "Counter-proposal"),
        _m(msgs, "KHM accepts a commission"),
        co_chairs,
        _m(msgs, "Government's draft package"),
        _m(msgs, "KHM will propose a one-year"),
    ]
    assert [s.depth for s in steps] == [0, 1, 2, 3, 4, 4, 5]
    assert [len(s.deliveries) for s in steps] == [1, 1, 1, 1, 1, 1, 0]

    summary = rounds(demo, case)
    assert [r.number for r in summary] == [1, 2, 3, 4]
    assert [r.message_count for r in summary] == [5, 5, 5, 3]
    assert [r.delivery_count for r in summary] == [2, 2, 3, 0]

    view = audience_for(demo, case, gov, at=now)
    # Not even its own confidence: it was released to the KHM only.
    assert not seen(view, commanders) and not seen(view, co_chairs)
    cabinet = _m(msgs, "Parts of the cabinet")  # its own, unattributed: not named, even to it
    assert seen(view, cabinet) and not named(view, cabinet)
    twelve = _m(msgs, "KHM to release twelve")
    assert seen(view, twelve) and named(view, twelve)  # past its embargo
    security = _m(msgs, "Some in the KHM would accept")
    assert seen(view, security) and not named(view, security)
    leaks = delivery_problems(demo, gov, now, [(m, False) for m in list(msgs.values())])
    assert {v.message_id for v in leaks} == {
        commanders,
        _m(msgs, "KHM will propose a one-year"),
        # its own confidences, for the mediator alone
        _m(msgs, "A reshuffle is expected"),
        co_chairs,
        _m(msgs, "Coalition partner expected"),
    }


@contextlib.contextmanager
def _count_statements(vault: Vault) -> Iterator[list[int]]:
    n = [0]

    def bump(*_: Any) -> None:
        n[0] += 1

    event.listen(vault.engine, "before_cursor_execute", bump)
    try:
        yield n
    finally:
        event.remove(vault.engine, "before_cursor_execute", bump)


def test_views_take_a_few_queries_on_a_large_case(vault: Vault) -> None:
    generate_scale(vault, messages=3000, cases=1)
    with vault.session() as s:
        assert stored_violations(s) == []  # the scale generator obeys the rule too
        case = s.scalars(select(Case.id)).one()
        party = s.scalars(select(Party.id).where(Party.kind == PartyKind.GOVERNMENT)).first()
        some = s.scalars(select(Message.id).where(Message.in_reply_to_id.is_not(None))).first()
    assert party is not None and some is not None
    # The paged views: a few statements a page, the first one or one deep in the case.
    deep = knowledge_page(vault, case, limit=2500).after
    pend = pending_page(vault, case, limit=1500).after
    told = ledger_page(vault, party, limit=400).after
    assert deep and pend and told
    with _count_statements(vault) as n:
        for view in (
            lambda: knowledge_page(vault, case),
            lambda: knowledge_page(vault, case, after=deep),
            lambda: pending_page(vault, case),
            lambda: pending_page(vault, case, after=pend),
            lambda: pending_page(vault, case, after=("awaited",)),
            lambda: ledger_page(vault, party),
            lambda: ledger_page(vault, party, after=told),
            lambda: audience_for(vault, case, party),
            lambda: thread(vault, some),
            lambda: rounds(vault, case),
        ):
            n[0] = 0
            view()
            assert n[0] <= 12, n[0]
    assert len(knowledge_matrix(vault, case).rows) == 3000


# --- properties --------------------------------------------------------------------------


_hours = st.integers(0, 400)


@st.composite
def _message_facts(draw: st.DrawFn) -> MessageFacts:
    level = draw(st.sampled_from(list(Disclosure)))
    said = draw(_hours)
    return MessageFacts(
        id=1,
        sender_party_id=draw(st.sampled_from([1, 2, 3, None])),
        disclosure=level,
        embargo_until=T0 + timedelta(hours=said + draw(_hours))
        if level is Disclosure.EMBARGOED
        else None,
        said_at=T0 + timedelta(hours=said),
    )


_release_facts = st.builds(
    ReleaseFacts,
    id=st.integers(1, 50),
    message_id=st.sampled_from([1, 2]),
    party_id=st.sampled_from([1, 2, 3, None]),
    released_at=_hours.map(lambda h: T0 + timedelta(hours=h)),
    attribution_allowed=st.booleans(),
)


@settings(max_examples=400, deadline=None)
@given(
    message=_message_facts(),
    to=st.sampled_from([1, 2, 3]),
    at=_hours.map(lambda h: T0 + timedelta(hours=h)),
    later=st.integers(0, 400),
    attributed=st.booleans(),
    releases=st.lists(_release_facts, max_size=4),
    extra=_release_facts,
)
def test_the_rule_is_monotone_and_needs_a_covering_release(
    message: MessageFacts,
    to: int,
    at: datetime,
    later: int,
    attributed: bool,
    releases: list[ReleaseFacts],
    extra: ReleaseFacts,
) -> None:
    verdict = decide(
        message, recipient_party_id=to, at=at, attributed=attributed, releases=releases
    )
    # No back-to-sender exception: who sent it never matters, not even to its own party.
    for sender in (to, None, to % 3 + 1):
        assert (
            decide(
                replace(message, sender_party_id=sender),
                recipient_party_id=to,
                at=at,
                attributed=attributed,
                releases=releases,
            )
            == verdict
        )
    if verdict.allowed:
        # Not naming the source is never worse; time and more releases never take it back.
        assert decide(
            message, recipient_party_id=to, at=at, attributed=False, releases=releases
        ).allowed
        assert decide(
            message,
            recipient_party_id=to,
            at=at + timedelta(hours=later),
            attributed=attributed,
            releases=releases,
        ).allowed
        assert decide(
            message,
            recipient_party_id=to,
            at=at,
            attributed=attributed,
            releases=[*releases, extra],
        ).allowed
        assert verdict.reason is None
    else:
        assert verdict.reason is not None and verdict.release_id is None
    no_release = decide(message, recipient_party_id=to, at=at, attributed=attributed)
    level_alone = (
        message.disclosure is Disclosure.SHAREABLE
        or (message.disclosure is Disclosure.UNATTRIBUTED and not attributed)
        or (
            message.disclosure is Disclosure.EMBARGOED
            and message.embargo_until is not None
            and at >= message.embargo_until
        )
    )
    assert no_release.allowed == level_alone
    if verdict.release_id is not None:
        assert not level_alone
        assert any(
            r.message_id == message.id
            and r.party_id in (None, to)
            and r.released_at <= at
            and (r.attribution_allowed or not attributed)
            for r in releases
            if r.id == verdict.release_id
        )
    elif verdict.allowed:
        assert level_alone


@dataclass(frozen=True)
class _Msg:
    sender: str
    recipient: str | None
    level: Disclosure
    said: int  # hours after T0
    embargo: int  # hours after ``said`` (embargoed only)


@dataclass(frozen=True)
class _Deliver:
    to: str
    at: int
    items: tuple[tuple[int, bool], ...]  # (index of the message, attributed)


@dataclass(frozen=True)
class _Release:
    msg: int
    to: str | None
    at: int
    naming: bool


@dataclass(frozen=True)
class _Unrelease:
    pick: int  # which recorded release to delete (modulo how many there are)


@dataclass(frozen=True)
class _Relevel:
    msg: int
    level: Disclosure
    embargo: int


_SIDES = ("A", "B", "M")
# Weighted towards the levels that need a release, so that releases often matter.
_LEVELS = st.sampled_from(
    [
        Disclosure.CONFIDENTIAL,
        Disclosure.CONFIDENTIAL,
        Disclosure.EMBARGOED,
        Disclosure.EMBARGOED,
        Disclosure.UNATTRIBUTED,
        Disclosure.SHAREABLE,
    ]
)
_msg_specs = st.builds(
    _Msg,
    sender=st.sampled_from(_SIDES),
    recipient=st.sampled_from([*_SIDES, None]),
    level=_LEVELS,
    said=st.integers(0, 100),
    embargo=st.integers(0, 200),
).filter(lambda m: m.recipient != m.sender)  # the log refuses a message to its own party


_Op = _Deliver | _Release | _Unrelease | _Relevel


def _ops(n: int) -> st.SearchStrategy[list[_Op]]:
    """One operation, or a release followed by a delivery it may matter to."""
    index = st.integers(0, n - 1)
    items = st.lists(index, min_size=1, max_size=min(3, n), unique=True).flatmap(
        lambda picked: st.tuples(*(st.tuples(st.just(i), st.booleans()) for i in picked))
    )
    single: st.SearchStrategy[_Op] = st.one_of(
        st.builds(_Deliver, to=st.sampled_from(_SIDES), at=st.integers(0, 320), items=items),
        st.builds(
            _Release,
            msg=index,
            to=st.sampled_from([*_SIDES, None]),
            at=st.integers(0, 320),
            naming=st.booleans(),
        ),
        # Edits that could take away what allowed an earlier delivery.
        st.builds(_Unrelease, pick=st.integers(0, 20)),
        st.builds(
            _Relevel,
            msg=index,
            level=st.sampled_from(list(Disclosure)),
            embargo=st.integers(0, 200),
        ),
    )

    @st.composite
    def paired(draw: st.DrawFn) -> list[_Op]:
        delivery = draw(
            st.builds(_Deliver, to=st.sampled_from(_SIDES), at=st.integers(0, 320), items=items)
        )
        msg, _ = draw(st.sampled_from(delivery.items))
        return [
            _Release(
                msg=msg,
                to=draw(st.sampled_from([delivery.to, None])),
                at=draw(st.integers(0, delivery.at + 24)),  # mostly before the delivery
                naming=draw(st.booleans()),
            ),
            delivery,
        ]

    return st.one_of(single.map(lambda op: [op]), paired())


def _hour(h: int) -> datetime:
    return T0 + timedelta(hours=h)


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_ledger_ever_holds_what_its_source_did_not_allow(
    vault: Vault, data: st.DataObject
) -> None:
    """Random histories through the services (deliveries, releases) and the generic edits
    the GUI makes (deleting a release, changing a message's level): whatever is attempted,
    every party's ledger holds a confidential, still-embargoed or name-withheld source (its
    own included) only where an audited release for that party (or all) existed when it was
    told."""
    specs = data.draw(st.lists(_msg_specs, min_size=1, max_size=4), label="messages")
    ops = [
        op for ops in data.draw(st.lists(_ops(len(specs)), min_size=2, max_size=8)) for op in ops
    ]

    with vault.transaction() as s:  # a fresh case for every example
        case = Case(title="Property")
        s.add(case)
        s.flush()
        kinds = {"A": PartyKind.GOVERNMENT, "B": PartyKind.ARMED_GROUP, "M": PartyKind.THIRD_PARTY}
        party_objs = {k: Party(case_id=case.id, name=f"Side {k}", kind=v) for k, v in kinds.items()}
        s.add_all(party_objs.values())
        s.flush()
        pid = {k: p.id for k, p in party_objs.items()}
        msg_objs = [
            Message(
                case_id=case.id,
                sender_party_id=pid[m.sender],
                recipient_party_id=pid[m.recipient] if m.recipient else None,
                said_at=_hour(m.said),
                summary=f"message {i}",
                disclosure=m.level,
                embargo_until=_hour(m.said + m.embargo)
                if m.level is Disclosure.EMBARGOED
                else None,
            )
            for i, m in enumerate(specs)
        ]
        s.add_all(msg_objs)
        s.flush()
        case_id = case.id
        mids = [m.id for m in msg_objs]
    spec_of = dict(zip(mids, specs, strict=True))

    Rel = tuple[int, int, int | None, datetime, bool]  # id, message, party, at, naming
    recorded: list[Rel] = []  # the releases that exist now
    delivered: list[tuple[int, int, datetime, bool]] = []  # message, party, at, attributed

    def expected(
        mid: int, to: int, at: datetime, attributed: bool, specs: dict[int, _Msg], rels: list[Rel]
    ) -> bool:
        m = specs[mid]
        if m.level is Disclosure.SHAREABLE:  # whoever it goes to, its sender's party included
            return True
        if m.level is Disclosure.EMBARGOED and at >= _hour(m.said + m.embargo):
            return True
        if m.level is Disclosure.UNATTRIBUTED and not attributed:
            return True
        cover = [
            naming
            for _, rmid, rparty, rat, naming in rels
            if rmid == mid and rparty in (None, to) and rat <= at
        ]
        return bool(cover) and (not attributed or any(cover))

    def still_fine(specs: dict[int, _Msg], rels: list[Rel]) -> bool:
        return all(expected(*d, specs, rels) for d in delivered)

    records = Records(vault)
    for op in ops:
        if isinstance(op, _Release):
            party = pid[op.to] if op.to else None
            rid = release(
                vault,
                message_id=mids[op.msg],
                party_id=party,
                released_by="Mediator",
                reason="The source agreed.",
                attribution_allowed=op.naming,
                released_at=_hour(op.at),
            )
            recorded.append((rid, mids[op.msg], party, _hour(op.at), op.naming))
        elif isinstance(op, _Unrelease):
            if not recorded:
                continue
            gone = recorded[op.pick % len(recorded)]
            rest = [r for r in recorded if r is not gone]
            try:
                records.delete("release", gone[0])
            except DisclosureViolation:
                hypothesis_event("deleting a release was refused")
                assert not still_fine(spec_of, rest)
            else:
                assert still_fine(spec_of, rest)
                recorded = rest
        elif isinstance(op, _Relevel):
            mid = mids[op.msg]
            new = _Msg(
                spec_of[mid].sender, spec_of[mid].recipient, op.level, spec_of[mid].said, op.embargo
            )
            specs = {**spec_of, mid: new}
            try:
                records.update(
                    "message",
                    mid,
                    disclosure=op.level,
                    embargo_until=_hour(new.said + new.embargo)
                    if op.level is Disclosure.EMBARGOED
                    else None,
                )
            except DisclosureViolation:
                hypothesis_event("changing a message's level was refused")
                assert not still_fine(specs, recorded)
            else:
                assert still_fine(specs, recorded)
                spec_of = specs
        else:
            to, at = pid[op.to], _hour(op.at)
            items = [(mids[i], attributed) for i, attributed in op.items]
            allowed = all(expected(mid, to, at, a, spec_of, recorded) for mid, a in items)
            try:
                record_delivery(
                    vault, case_id=case_id, recipient_party_id=to, delivered_at=at, items=items
                )
            except DeliveryRefused as err:
                hypothesis_event("a delivery was refused")
                assert not allowed
                assert {v.message_id for v in err.violations} == {
                    mid for mid, a in items if not expected(mid, to, at, a, spec_of, recorded)
                }
            else:
                hypothesis_event("a delivery was recorded")
                assert allowed
                delivered.extend((mid, to, at, a) for mid, a in items)

    with vault.session() as s:
        audited = set(
            s.scalars(
                select(AuditEntry.record_id).where(
                    AuditEntry.record_kind == "release", AuditEntry.action == AuditAction.CREATE
                )
            )
        )
        stored = s.execute(
            select(
                Release.id,
                Release.message_id,
                Release.party_id,
                Release.released_at,
                Release.attribution_allowed,
            ).where(Release.message_id.in_(mids))
        ).all()
    # As of a moment after every delivery and release of the run.
    matrix = knowledge_matrix(vault, case_id, at=_hour(100_000))
    for side, party in pid.items():
        entries = ledger(vault, party)
        for e in entries:
            m = spec_of[e.message_id]
            assert (e.source is None) == (not e.attributed)
            # Its sender's own party too: a confidence is a person's, not a delegation's.
            early = m.level is Disclosure.EMBARGOED and e.delivered_at < _hour(m.said + m.embargo)
            needs_release = m.level is Disclosure.CONFIDENTIAL or early
            needs_naming = e.attributed and (m.level is Disclosure.UNATTRIBUTED or needs_release)
            if not (needs_release or needs_naming):
                assert e.release_id is None
                continue
            cover = {
                r.id
                for r in stored
                if r.message_id == e.message_id
                and r.party_id in (None, party)
                and r.released_at <= e.delivered_at
                and r.id in audited
                and (r.attribution_allowed or not e.attributed)
            }
            assert cover, f"{side} was told {m} without a release"
            hypothesis_event("a party was told something only a release allowed")
            if m.sender == side:
                hypothesis_event("its own party was told something only a release allowed")
            assert e.release_id in cover
        # The matrix says the same as the ledger.
        for mid, m in spec_of.items():
            told = [e.attributed for e in entries if e.message_id == mid]
            cell = matrix.cell(mid, party)
            if m.sender == side:
                assert cell is Knowledge.SENDER
            elif any(told):
                assert cell is Knowledge.TOLD_ATTRIBUTED
            elif told:
                assert cell is Knowledge.TOLD_UNATTRIBUTED
            elif m.recipient == side and side != "M":
                # Meant for it: withheld when confidential and never released to it.
                released = any(r.message_id == mid and r.party_id in (None, party) for r in stored)
                withheld = m.level is Disclosure.CONFIDENTIAL and not released
                assert cell is (Knowledge.WITHHELD if withheld else Knowledge.MEANT_FOR)
            else:
                assert cell is Knowledge.NONE
