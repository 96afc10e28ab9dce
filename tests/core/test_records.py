"""Generic create/read/update/delete of every record kind, with audit, validation, tags,
attachments."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text

from app.core.errors import NotFound, ValidationError
from app.core.models import AuditEntry, kinds
from app.core.services.records import Records
from app.core.vault import Vault

T0 = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)


@pytest.fixture
def records(vault: Vault) -> Records:
    return Records(vault)


def build_one_of_each(r: Records) -> dict[str, int]:
    """One record of every kind, linked the way the domain links them."""
    ids: dict[str, int] = {}
    ids["case"] = r.create("case", title="Northern Valley water talks", track="2")
    ids["party"] = r.create("party", case_id=ids["case"], name="Council", kind="government")
    other = r.create("party", case_id=ids["case"], name="Valley Union", kind="political_movement")
    ids["profile_entry"] = r.create(
        "profile_entry", party_id=ids["party"], kind="interest", text="Secure summer flow"
    )
    ids["person"] = r.create("person", name="Mira Tolan", codename="HERON", languages="en, ka")
    ids["channel"] = r.create("channel", person_id=ids["person"], kind="email", value="m@x.invalid")
    ids["affiliation"] = r.create(
        "affiliation", person_id=ids["person"], party_id=ids["party"], capacity="unofficial"
    )
    ids["round"] = r.create("round", case_id=ids["case"], number=1, title="First trip")
    ids["message"] = r.create(
        "message",
        case_id=ids["case"],
        round_id=ids["round"],
        sender_party_id=ids["party"],
        recipient_party_id=other,
        said_at=T0,
        content="We could share the dam's data",
        disclosure="shareable",
    )
    ids["delivery"] = r.create(
        "delivery",
        case_id=ids["case"],
        recipient_party_id=other,
        delivered_at=T0,
        content="Conveyed the data offer",
    )
    ids["delivery_item"] = r.create(
        "delivery_item", delivery_id=ids["delivery"], message_id=ids["message"], attributed=True
    )
    ids["release"] = r.create(
        "release", message_id=ids["message"], party_id=other, released_by="me", reason="asked"
    )
    ids["session"] = r.create(
        "session",
        case_id=ids["case"],
        title="Workshop I",
        kind="problem_solving_workshop",
        starts_at=T0,
    )
    ids["participant"] = r.create(
        "participant", session_id=ids["session"], person_id=ids["person"], capacity="personal"
    )
    ids["agenda_item"] = r.create(
        "agenda_item", session_id=ids["session"], position=1, title="Ground rules"
    )
    ids["session_note"] = r.create(
        "session_note", session_id=ids["session"], kind="fear", text="Upstream dam closure"
    )
    ids["option"] = r.create("option", case_id=ids["case"], title="Joint monitoring board")
    ids["stance"] = r.create(
        "stance", option_id=ids["option"], party_id=ids["party"], stance="open", recorded_at=T0
    )
    refined = r.create("option", case_id=ids["case"], title="Joint board, monthly reports")
    ids["option_link"] = r.create(
        "option_link", option_id=refined, parent_id=ids["option"], kind="refined"
    )
    ids["text"] = r.create("text", case_id=ids["case"], title="Joint paper on the dam")
    ids["draft"] = r.create("draft", text_id=ids["text"], number=1, note="first go")
    ids["clause"] = r.create(
        "clause",
        draft_id=ids["draft"],
        key=1,
        position=0,
        wording="Both sides share {1} monthly.",
        source_message_id=ids["message"],
    )
    ids["alternative"] = r.create(
        "alternative", clause_id=ids["clause"], slot=1, party_id=ids["party"], wording="flow data"
    )
    ids["critique"] = r.create(
        "critique", clause_id=ids["clause"], party_id=other, reaction="reserves", note="later"
    )
    ids["commitment"] = r.create(
        "commitment",
        case_id=ids["case"],
        party_id=ids["party"],
        to_party_id=other,
        what="Share the dam's data monthly",
        made_at=T0,
        due_on=T0.date(),
        disclosure="shareable",
        source_message_id=ids["message"],
    )
    ids["commitment_event"] = r.create(
        "commitment_event",
        commitment_id=ids["commitment"],
        on=T0.date(),
        status="kept",
        verified_by="river monitor",
        how="outside",
    )
    ids["outsider"] = r.create(
        "outsider", case_id=ids["case"], name="Deputy minister Aral", organisation="Ministry"
    )
    ids["handover"] = r.create(
        "handover", case_id=ids["case"], outsider_id=ids["outsider"], handed_at=T0
    )
    ids["handover_item"] = r.create(
        "handover_item", handover_id=ids["handover"], option_id=ids["option"]
    )
    official = r.create("case", title="Valley basin accord (Track 1.5)", track="1.5")
    ids["case_link"] = r.create(
        "case_link", from_case_id=ids["case"], to_case_id=official, note="ideas go up"
    )
    ids["action"] = r.create("action", case_id=ids["case"], title="Send draft terms")
    ids["note"] = r.create("note", case_id=ids["case"], title="Impressions", body="Calm day")
    ids["tag"] = r.create("tag", name="water")
    ids["tagging"] = r.create("tagging", tag_id=ids["tag"], record_kind="case", record_id=1)
    ids["attachment"] = r.create(
        "attachment", record_kind="case", record_id=ids["case"], filename="map.txt", data=b"x"
    )
    return ids


def test_every_kind_can_be_created_read_updated_deleted(records: Records, vault: Vault) -> None:
    ids = build_one_of_each(records)
    assert set(ids) == set(kinds()), "a kind of record has no CRUD test"
    for kind, rid in ids.items():
        rec = records.get(kind, rid)
        assert rec["id"] == rid
    records.update("message", ids["message"], summary="Data-sharing offer")
    assert records.get("message", ids["message"])["summary"] == "Data-sharing offer"
    # Delete leaves first, then the roots.
    for kind in reversed(list(ids)):
        if kind in ("case", "party", "person"):
            continue
        records.delete(kind, ids[kind])
        with pytest.raises(NotFound):
            records.get(kind, ids[kind])
    records.delete("case", ids["case"])
    with vault.session() as s:
        assert s.execute(text("SELECT count(*) FROM parties")).scalar() == 0


def test_every_change_is_audited(records: Records, vault: Vault) -> None:
    cid = records.create("case", title="Audit me")
    records.update("case", cid, title="Audited", status="dormant")
    records.delete("case", cid)
    with vault.session() as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.record_kind == "case").order_by(AuditEntry.id)
        ).all()
    assert [e.action.value for e in entries] == ["create", "update", "delete"]
    assert json.loads(entries[1].changes) == {
        "title": ["Audit me", "Audited"],
        "status": ["active", "dormant"],
    }
    assert entries[2].label == "Audited"
    assert all(e.at.tzinfo is not None for e in entries)


def test_too_long_field_is_refused_with_a_clear_message(records: Records) -> None:
    with pytest.raises(ValidationError, match=r"title of this case is too long: 201 characters"):
        records.create("case", title="x" * 201)
    cid = records.create("case", title="ok")
    with pytest.raises(ValidationError, match="at most 200"):
        records.update("case", cid, title="y" * 500)
    assert records.get("case", cid)["title"] == "ok"


def test_bad_values_are_explained(records: Records) -> None:
    cid = records.create("case", title="Values")
    with pytest.raises(ValidationError, match="not a valid disclosure; use one of"):
        records.create("message", case_id=cid, sender_person_id=None, disclosure="secret")
    with pytest.raises(ValidationError, match="needs a sender"):
        records.create("message", case_id=cid, content="x")
    with pytest.raises(ValidationError, match="cannot be empty"):
        records.create("case", title="   ")
    with pytest.raises(ValidationError, match="time zone"):
        records.create("note", case_id=cid, written_at="2026-01-01T10:00:00")
    with pytest.raises(ValidationError, match="has no field"):
        records.create("case", title="x", colour="red")
    pid = records.create("party", case_id=cid, name="P", kind="community")
    with pytest.raises(ValidationError, match="embargo date"):
        records.create("message", case_id=cid, sender_party_id=pid, disclosure="embargoed")


def test_party_with_messages_cannot_be_deleted(records: Records) -> None:
    cid = records.create("case", title="Links")
    pid = records.create("party", case_id=cid, name="P", kind="community")
    records.create("message", case_id=cid, sender_party_id=pid, content="hello")
    with pytest.raises(ValidationError, match="still linked"):
        records.delete("party", pid)
    assert records.get("party", pid)["name"] == "P"


def test_tags(records: Records) -> None:
    cid = records.create("case", title="Tagged")
    records.tag("case", cid, "urgent")
    records.tag("case", cid, "urgent")  # idempotent
    records.tag("case", cid, "water")
    assert records.tags_of("case", cid) == ["urgent", "water"]
    records.untag("case", cid, "urgent")
    assert records.tags_of("case", cid) == ["water"]
    with pytest.raises(ValidationError):
        records.tag("case", cid, "  ")
    with pytest.raises(NotFound):
        records.tag("case", 999, "x")


def test_attachments_are_stored_in_the_vault(records: Records, vault: Vault) -> None:
    cid = records.create("case", title="With files")
    data = "Черновик повестки — ლოჯისტიკა".encode() * 100
    aid = records.attach("case", cid, "agenda.txt", data, description="draft")
    [info] = records.attachments_of("case", cid)
    assert (info.filename, info.size, info.media_type) == ("agenda.txt", len(data), "text/plain")
    assert records.attachment_data(aid) == data
    vault.lock()
    assert data not in vault.path.read_bytes()


def test_deleting_a_record_removes_its_tags_and_attachments(records: Records) -> None:
    cid = records.create("case", title="Doomed")
    records.tag("case", cid, "temp")
    records.attach("case", cid, "a.bin", b"\x00\x01")
    records.delete("case", cid)
    assert records.find("tagging") == []
    assert records.find("attachment") == []
    assert records.find("tag")[0]["name"] == "temp"  # the tag itself stays for reuse


def test_find_filters_and_orders(records: Records) -> None:
    cid = records.create("case", title="Many")
    for title in ("b", "a", "c"):
        records.create("note", case_id=cid, title=title)
    assert [n["title"] for n in records.find("note", case_id=cid, order_by="title")] == [
        "a",
        "b",
        "c",
    ]
