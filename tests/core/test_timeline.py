"""A case's timeline: every event kind, in date order, filterable, disclosure visible."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from app.core.services.records import Records
from app.core.services.timeline import timeline
from app.core.vault import Vault

T0 = datetime(2026, 5, 1, 9, 0, tzinfo=UTC)


def test_timeline_orders_every_kind_and_filters(vault: Vault) -> None:
    r = Records(vault)
    c = r.create("case", title="Timeline case")
    a = r.create("party", case_id=c, name="Alpha", kind="government")
    b = r.create("party", case_id=c, name="Beta", kind="community")
    person = r.create("person", name="Ana")
    m = r.create(
        "message",
        case_id=c,
        sender_party_id=a,
        recipient_party_id=b,
        said_at=T0,
        summary="Offer",
        disclosure="confidential",
    )
    d = r.create(
        "delivery",
        case_id=c,
        recipient_party_id=b,
        delivered_at=T0 + timedelta(days=1),
        content="Told them",
    )
    s = r.create(
        "session",
        case_id=c,
        title="Workshop",
        kind="joint_workshop",
        starts_at=T0 + timedelta(days=2),
    )
    r.create("participant", session_id=s, person_id=person, party_id=b)
    n = r.create("note", case_id=c, title="Thoughts", written_at=T0 - timedelta(days=1))
    o = r.create("option", case_id=c, title="Shared well", raised_on=date(2026, 5, 4))
    st = r.create(
        "stance", option_id=o, party_id=a, stance="supports", recorded_at=T0 + timedelta(days=5)
    )
    act = r.create("action", case_id=c, title="Call back", due_on=date(2026, 5, 10))
    other = r.create("case", title="Other")
    r.create("note", case_id=other, title="Elsewhere", written_at=T0)

    events = timeline(vault, c)
    assert [(e.kind, e.record_id) for e in events] == [
        ("note", n),
        ("message", m),
        ("delivery", d),
        ("session", s),
        ("option", o),
        ("stance", st),
        ("action", act),
    ]
    assert events[1].disclosure == "confidential"
    assert events[1].detail == "Alpha → Beta"
    assert [e.at for e in events] == sorted(e.at for e in events)
    assert timeline(vault, c, newest_first=True)[0].kind == "action"
    assert [e.kind for e in timeline(vault, c, kinds=("message", "note"))] == ["note", "message"]
    for_b = timeline(vault, c, party_id=b)
    assert [e.kind for e in for_b] == ["message", "delivery", "session"]
