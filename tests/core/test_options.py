"""The options board: refine, merge and split keep the lineage; one option's history follows
it and its ancestors across sessions and rounds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.core.errors import ValidationError
from app.core.services.options import (
    lineage,
    merge_options,
    option_history,
    refine_option,
    split_option,
)
from app.core.services.records import Records
from app.core.vault import Vault

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def board(vault: Vault) -> dict[str, int]:
    r = Records(vault)
    ids = {"case": r.create("case", title="River talks")}
    ids["up"] = r.create("party", case_id=ids["case"], name="Upstream", kind="government")
    ids["down"] = r.create("party", case_id=ids["case"], name="Downstream", kind="community")
    ids["interest"] = r.create(
        "profile_entry", party_id=ids["down"], kind="interest", text="Water in August"
    )
    ids["round"] = r.create(
        "round",
        case_id=ids["case"],
        number=2,
        title="Spring trip",
        started_on=date(2026, 3, 1),
        ended_on=date(2026, 3, 10),
    )
    ids["session"] = r.create(
        "session", case_id=ids["case"], title="Workshop I", kind="joint_workshop"
    )
    ids["quota"] = r.create(
        "option",
        case_id=ids["case"],
        title="Summer water quota",
        raised_by="party",
        raised_by_party_id=ids["down"],
        raised_on=date(2026, 3, 2),
    )
    ids["board"] = r.create(
        "option", case_id=ids["case"], title="Joint river board", raised_on=date(2026, 3, 3)
    )
    with vault.transaction() as s:
        from app.core.models import Option, ProfileEntry

        quota = s.get(Option, ids["quota"])
        quota.interests.append(s.get(ProfileEntry, ids["interest"]))
    r.create("stance", option_id=ids["quota"], party_id=ids["up"], stance="opposes", recorded_at=T0)
    r.create(
        "stance",
        option_id=ids["quota"],
        party_id=ids["up"],
        stance="open",
        recorded_at=datetime(2026, 3, 5, tzinfo=UTC),
        source_session_id=ids["session"],
    )
    return ids


def test_merge_keeps_both_parents_and_closes_them(vault: Vault, board: dict[str, int]) -> None:
    r = Records(vault)
    merged = merge_options(
        vault,
        [board["quota"], board["board"]],
        title="River board that sets the summer quota",
        on=date(2026, 4, 1),
        session_id=board["session"],
    )
    lin = lineage(vault, merged)
    assert sorted(lin.parents(merged)) == sorted([board["quota"], board["board"]])
    assert {st.kind for st in lin.steps} == {"merged"}
    assert r.get("option", board["quota"])["status"].value == "merged"
    assert r.get("option", board["board"])["status"].value == "merged"
    new = r.get("option", merged)
    assert new["raised_in_session_id"] == board["session"] and new["status"].value == "raised"
    with vault.session() as s:
        from app.core.models import Option

        # The merged option addresses what its parents addressed.
        assert [i.id for i in s.get(Option, merged).interests] == [board["interest"]]
    # A merged option is not on the table any more: it cannot be reworked again.
    with pytest.raises(ValidationError, match="already merged"):
        refine_option(vault, board["quota"], title="Quota again")
    with pytest.raises(ValidationError, match="at least two"):
        merge_options(vault, [merged], title="Alone")


def test_split_gives_each_part_the_parent_and_refuses_one_part(
    vault: Vault, board: dict[str, int]
) -> None:
    r = Records(vault)
    with pytest.raises(ValidationError, match="at least two parts"):
        split_option(vault, board["quota"], [("Only part", ""), ("  ", "")])
    assert r.get("option", board["quota"])["status"].value == "raised"  # nothing changed
    parts = split_option(
        vault,
        board["quota"],
        [("Quota in dry years", "Below 40% rainfall."), ("Quota in normal years", "")],
        on=date(2026, 4, 2),
    )
    assert len(parts) == 2
    lin = lineage(vault, board["quota"])
    assert sorted(lin.children(board["quota"])) == sorted(parts)
    assert all(lin.parents(p) == [board["quota"]] for p in parts)
    assert r.get("option", board["quota"])["status"].value == "split"
    assert r.get("option", parts[0])["text"] == "Below 40% rainfall."


def test_lineage_through_refine_then_merge_then_split(vault: Vault, board: dict[str, int]) -> None:
    v2 = refine_option(vault, board["quota"], title="Quota v2", on=date(2026, 3, 20))
    merged = merge_options(vault, [v2, board["board"]], title="Board + quota", on=date(2026, 4, 1))
    a, b = split_option(vault, merged, [("Board", ""), ("Quota", "")], on=date(2026, 5, 1))
    lin = lineage(vault, a)
    # Every option connected either way is there, whichever one is asked about.
    assert set(lin.options) == {board["quota"], v2, board["board"], merged, a, b}
    assert lin.ancestors(a) == [merged, v2, board["board"], board["quota"]]  # nearest first
    assert [st.kind for st in lin.steps] == ["refined", "merged", "merged", "split", "split"]
    assert lineage(vault, board["quota"]).options.keys() == lin.options.keys()


def test_history_of_one_option_follows_its_ancestors_across_rounds(
    vault: Vault, board: dict[str, int]
) -> None:
    r = Records(vault)
    v2 = refine_option(vault, board["quota"], title="Quota v2", on=date(2026, 3, 20))
    r.create(
        "stance",
        option_id=v2,
        party_id=board["up"],
        stance="supports",
        recorded_at=datetime(2026, 3, 21, tzinfo=UTC),
    )
    r.update("option", v2, status="agreed_in_principle")
    history = option_history(vault, v2)
    texts = [(e.option_id, e.what, e.text) for e in history]
    assert texts[0] == (board["quota"], "raised", "Raised by Downstream")
    stances = [e for e in history if e.what == "stance"]
    assert [e.text for e in stances] == [
        "Upstream: opposes",
        "Upstream: opposes → open",
        "Upstream: supports",
    ]
    # Dated events carry the round whose dates hold them, and the session they came from.
    assert stances[0].round == "Round 2: Spring trip" and stances[0].session == ""
    assert stances[1].session == "Workshop I"
    assert stances[2].round == ""
    steps = [e for e in history if e.what == "refined"]
    assert [e.text for e in steps] == ["Refined from “Summer water quota”"]
    statuses = [e.text for e in history if e.what == "status"]
    assert statuses == ["Status: raised → refined", "Status: raised → agreed_in_principle"]
    assert [e.at for e in history] == sorted(e.at for e in history)


def test_an_option_raised_from_a_live_note_keeps_its_origin(
    vault: Vault, board: dict[str, int]
) -> None:
    from app.core.services.options import raise_option_from_note
    from app.core.services.sessions import add_live_note

    r = Records(vault)
    note = add_live_note(
        vault,
        board["session"],
        "option",
        "Seasonal release calendar\nAgreed each spring by both water boards.",
        party_id=board["up"],
        noted_at=T0,
    )
    oid = raise_option_from_note(vault, note)
    option = r.get("option", oid)
    assert option["title"] == "Seasonal release calendar"
    assert option["text"].startswith("Seasonal release calendar\nAgreed")
    assert option["raised_in_session_id"] == board["session"]
    assert option["raised_by"].value == "party" and option["raised_by_party_id"] == board["up"]
    assert option["raised_on"] == T0.date() and option["case_id"] == board["case"]


def test_recording_stances_adds_only_changes(vault: Vault, board: dict[str, int]) -> None:
    from app.core.services.options import record_stances, stance_history

    at = datetime(2026, 4, 1, tzinfo=UTC)
    new = record_stances(
        vault,
        board["quota"],
        {board["up"]: ("open", ""), board["down"]: ("supports", "Their idea")},
        at=at,
        session_id=board["session"],
    )
    assert len(new) == 1  # Upstream was already open: no new history entry
    history = stance_history(vault, board["quota"])
    assert [c.stance for c in history[board["up"]]] == ["opposes", "open"]
    [down] = history[board["down"]]
    assert (down.stance, down.note, down.source_session_id) == (
        "supports",
        "Their idea",
        board["session"],
    )


def test_history_says_who_raised_an_option_in_plain_words(
    vault: Vault, board: dict[str, int]
) -> None:
    r = Records(vault)
    joint = r.create("option", case_id=board["case"], title="Shared gauge", raised_by="joint")
    mine = r.create("option", case_id=board["case"], title="Night ferry", raised_by="facilitator")
    assert option_history(vault, joint)[0].text == "Raised jointly"
    assert option_history(vault, mine)[0].text == "Raised by the facilitator"


def test_an_option_addresses_interests_of_its_own_case_only(
    vault: Vault, board: dict[str, int]
) -> None:
    from app.core.services.options import interest_choices, set_interests

    r = Records(vault)
    fear = r.create("profile_entry", party_id=board["up"], kind="fear", text="Floods in spring")
    r.create("profile_entry", party_id=board["up"], kind="position", text="No quota at all")
    old = r.create(
        "profile_entry",
        party_id=board["up"],
        kind="need",
        text="Old need",
        retired_on=date(2026, 1, 1),
    )
    choices = interest_choices(vault, board["board"])
    # Positions are not offered (an option addresses what lies beneath them), nor retired ones.
    assert [(c.party_name, c.kind, c.text, c.addressed) for c in choices] == [
        ("Downstream", "interest", "Water in August", False),
        ("Upstream", "fear", "Floods in spring", False),
    ]
    set_interests(vault, board["board"], [fear, board["interest"]])
    assert {c.entry_id for c in interest_choices(vault, board["board"]) if c.addressed} == {
        fear,
        board["interest"],
    }
    other_case = r.create("case", title="Elsewhere")
    stranger = r.create("party", case_id=other_case, name="Stranger", kind="community")
    theirs = r.create("profile_entry", party_id=stranger, kind="interest", text="Not here")
    with pytest.raises(ValidationError, match="its own case"):
        set_interests(vault, board["board"], [theirs])
    set_interests(vault, board["board"], [])
    assert not any(c.addressed for c in interest_choices(vault, board["board"]))
    assert old not in {c.entry_id for c in interest_choices(vault, board["board"])}


def test_stance_matrix_has_every_party_history_and_hides_closed_options(
    vault: Vault, board: dict[str, int]
) -> None:
    from app.core.services.options import stance_matrix

    merged = merge_options(vault, [board["quota"], board["board"]], title="Board with a quota")
    r = Records(vault)
    r.create("stance", option_id=merged, party_id=board["down"], stance="supports")
    rows = stance_matrix(vault, board["case"])
    assert [row.title for row in rows] == ["Board with a quota"]
    assert [c.stance for c in rows[0].history[board["down"]]] == ["supports"]
    every = stance_matrix(vault, board["case"], include_closed=True)
    assert [row.status for row in every] == ["merged", "merged", "raised"]
    quota = next(row for row in every if row.option_id == board["quota"])
    assert [c.stance for c in quota.history[board["up"]]] == ["opposes", "open"]
