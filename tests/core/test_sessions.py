"""Sessions: templates, live notes, profiles fed from sessions with provenance, stance
history, upcoming actions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.core.errors import ValidationError
from app.core.models import Capacity
from app.core.services.options import stance_history
from app.core.services.records import Records
from app.core.services.sessions import (
    TEMPLATES,
    add_live_note,
    plan_session,
    promote_to_profile,
    upcoming_actions,
)
from app.core.vault import Vault

T0 = datetime(2026, 7, 8, 9, 0, tzinfo=UTC)


@pytest.fixture
def case(vault: Vault) -> dict[str, int]:
    r = Records(vault)
    ids = {"case": r.create("case", title="Lake talks")}
    ids["a"] = r.create("party", case_id=ids["case"], name="Upstream", kind="government")
    ids["b"] = r.create("party", case_id=ids["case"], name="Downstream", kind="community")
    ids["person"] = r.create("person", name="Lia Morven")
    return ids


def test_every_template_plans_a_session(vault: Vault, case: dict[str, int]) -> None:
    r = Records(vault)
    for key, t in TEMPLATES.items():
        sid = plan_session(
            vault,
            case_id=case["case"],
            template=key,
            starts_at=T0,
            participants=[(case["person"], case["a"], Capacity.PERSONAL)],
        )
        session = r.get("session", sid)
        assert session["kind"] == t.kind and session["status"].value == "planned"
        assert session["title"] == t.label and session["ground_rules"] == t.ground_rules
        agenda = r.find("agenda_item", session_id=sid, order_by="position")
        assert [a["title"] for a in agenda] == [item for item, _ in t.agenda]
        [p] = r.find("participant", session_id=sid)
        assert p["capacity"].value == "personal"
    with pytest.raises(ValidationError, match="no template"):
        plan_session(vault, case_id=case["case"], template="picnic")


def test_live_notes_and_promotion_to_profile_with_provenance(
    vault: Vault, case: dict[str, int]
) -> None:
    r = Records(vault)
    sid = plan_session(vault, case_id=case["case"], template="problem_solving_workshop")
    fear = add_live_note(
        vault, sid, "fear", "That the dam closes in a dry summer", party_id=case["b"], noted_at=T0
    )
    obs = add_live_note(vault, sid, "observation", "Long silence after the map was shown")
    entry = promote_to_profile(vault, fear)
    profile = r.get("profile_entry", entry)
    assert profile["kind"].value == "fear" and profile["party_id"] == case["b"]
    assert profile["source_session_id"] == sid and profile["recorded_on"] == T0.date()
    with pytest.raises(ValidationError, match="Only an interest"):
        promote_to_profile(vault, obs, case["a"])


def test_stance_history_and_upcoming_actions(vault: Vault, case: dict[str, int]) -> None:
    r = Records(vault)
    option = r.create("option", case_id=case["case"], title="Joint river board")
    for i, stance in enumerate(["opposes", "open", "supports"]):
        r.create(
            "stance",
            option_id=option,
            party_id=case["a"],
            stance=stance,
            recorded_at=T0 + timedelta(days=30 * i),
        )
    history = stance_history(vault, option)
    assert [c.stance for c in history[case["a"]]] == ["opposes", "open", "supports"]
    today = date(2026, 7, 10)
    r.create("action", case_id=case["case"], title="late", due_on=date(2026, 7, 1))
    r.create(
        "action",
        case_id=case["case"],
        title="soon",
        due_on=date(2026, 7, 20),
        owner_person_id=case["person"],
    )
    r.create("action", case_id=case["case"], title="far", due_on=date(2026, 12, 1))
    r.create("action", case_id=case["case"], title="done", due_on=date(2026, 7, 12), done=True)
    r.create("action", case_id=case["case"], title="someday")
    upcoming = upcoming_actions(vault, today=today)
    assert [u.title for u in upcoming] == ["late", "soon", "someday"]
    assert upcoming[0].overdue and not upcoming[1].overdue
    assert upcoming[1].owner_name == "Lia Morven"  # the owner's name, not an id
    every_open = upcoming_actions(vault, today=today, days=None, case_id=case["case"])
    assert [u.title for u in every_open] == ["late", "soon", "far", "someday"]
    assert upcoming_actions(vault, today=today, days=None, case_id=case["case"] + 1) == []


def test_session_brief_assembles_everything_in_one_call(vault: Vault) -> None:
    from app.core.demo import build_demo
    from app.core.services.sessions import session_brief

    build_demo(vault)
    r = Records(vault)
    planned = next(s for s in r.find("session") if s["status"].value == "planned")
    brief = session_brief(vault, planned["id"])
    assert brief.title == planned["title"] and brief.agenda
    assert brief.participants and all(p.name for p in brief.participants)
    assert any(party.profile for party in brief.parties)
    assert brief.open_options and all(
        o.status not in ("rejected", "adopted") for o in brief.open_options
    )
    assert any(o.current_stances for o in brief.open_options)
    assert brief.knows and all(n >= 0 for n in brief.knows.values())
    assert all(a.title != "" for a in brief.open_actions)
    # What the PDF brief needs as well, from the same call.
    assert brief.case_id == planned["case_id"] and brief.status == "planned"
    assert brief.logistics == planned["logistics"] and brief.summary == planned["summary"]
    assert brief.ends_at == planned["ends_at"]
    assert [a.position for a in brief.agenda] == sorted(a.position for a in brief.agenda)
    assert any(a.notes for a in brief.agenda)
    attending = sorted({p.party_id for p in brief.participants if p.party_id is not None})
    assert [p.party_id for p in brief.parties] == attending
    assert set(brief.knows) == {p.name for p in brief.parties}
    for party in brief.parties:
        current = [
            (e["kind"].value, e["text"])
            for e in r.find("profile_entry", party_id=party.party_id)
            if e["retired_on"] is None
        ]
        assert sorted((e.kind, e.text) for e in party.profile) == sorted(current)
        days = [e.recorded_on for e in party.profile]
        assert days == sorted(days)
    statuses = {o.status for o in brief.open_options}
    assert statuses.isdisjoint({"refined", "merged", "split", "rejected", "adopted"})
    for o in brief.open_options:
        latest = {pid: ch[-1].stance for pid, ch in stance_history(vault, o.option_id).items()}
        assert {c.party_id: c.stance for c in o.current_stances} == latest
        assert o.raised_on and o.raised_by
    assert all(a.case_id == brief.case_id for a in brief.open_actions)
    assert any(a.owner_person_id for a in brief.open_actions)
    every_open = upcoming_actions(vault, days=None, case_id=brief.case_id)
    assert list(brief.open_actions) == every_open


def test_candidates_are_the_people_tied_to_the_case_now(vault: Vault, case: dict[str, int]) -> None:
    from app.core.services.sessions import candidates

    r = Records(vault)
    ana = r.create("person", name="Ana Vell")
    former = r.create("person", name="Bo Former")
    r.create("affiliation", person_id=case["person"], party_id=case["a"], role="Adviser")
    r.create("affiliation", person_id=ana, party_id=case["b"], role="Elder", capacity="personal")
    r.create(
        "affiliation",
        person_id=former,
        party_id=case["b"],
        role="Ex-envoy",
        until=date(2025, 1, 1),
    )
    got = [
        (c.name, c.party_name, c.role, c.capacity.value) for c in candidates(vault, case["case"])
    ]
    assert got == [
        ("Ana Vell", "Downstream", "Elder", "personal"),
        ("Lia Morven", "Upstream", "Adviser", "official"),
    ]


def test_an_action_agreed_in_the_room_keeps_its_session_owner_and_date(
    vault: Vault, case: dict[str, int]
) -> None:
    from app.core.services.sessions import action_from_note

    r = Records(vault)
    sid = plan_session(vault, case_id=case["case"], template="bilateral_consultation")
    note = add_live_note(
        vault, sid, "action", "Send the dam schedule to both sides\nBy the secure channel."
    )
    aid = action_from_note(vault, note, due_on=date(2026, 8, 1), owner_person_id=case["person"])
    action = r.get("action", aid)
    assert action["title"] == "Send the dam schedule to both sides"
    assert action["notes"].endswith("By the secure channel.")
    assert (action["session_id"], action["case_id"]) == (sid, case["case"])
    assert (action["owner_person_id"], action["due_on"]) == (case["person"], date(2026, 8, 1))
    assert [u.title for u in upcoming_actions(vault, today=date(2026, 7, 20))] == [
        "Send the dam schedule to both sides"
    ]
