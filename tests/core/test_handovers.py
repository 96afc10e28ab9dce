"""Handovers to outside audiences (issue 17): a delivery to an official, institution or
sponsor, refused where the disclosure rules forbid it, on every path; linked cases."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.disclosure.handovers import HandoverRefused
from app.core.errors import ValidationError
from app.core.models import Handover, HandoverItem
from app.core.services.handovers import (
    NewHandoverItem,
    create_handover,
    create_outsider,
    delete_handover,
    delete_outsider,
    handover_problems,
    handovers_of,
    link_cases,
    links_of,
    restore_handover,
    unlink_cases,
    update_handover,
)
from app.core.services.records import Records
from app.core.vault import Vault

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def case(vault: Vault) -> dict[str, int]:
    r = Records(vault)
    ids = {"case": r.create("case", title="Korvan talks")}
    ids["gov"] = r.create("party", case_id=ids["case"], name="Government", kind="government")
    ids["front"] = r.create("party", case_id=ids["case"], name="Front", kind="armed_group")
    for level in ("shareable", "unattributed", "confidential"):
        ids[level] = r.create(
            "message",
            case_id=ids["case"],
            sender_party_id=ids["front"],
            said_at=T0,
            disclosure=level,
            summary=f"A {level} line",
        )
        ids[f"option_{level}"] = r.create(
            "option",
            case_id=ids["case"],
            title=f"Option from a {level} line",
            raised_in_message_id=ids[level],
        )
    ids["session"] = r.create(
        "session", case_id=ids["case"], title="Workshop", kind="joint_workshop", starts_at=T0
    )
    ids["envoy"] = create_outsider(vault, ids["case"], "Envoy Marra", organisation="Sponsor")
    return ids


def option(ids: dict[str, int], level: str) -> NewHandoverItem:
    return NewHandoverItem(option_id=ids[f"option_{level}"])


def test_shareable_and_unattributed_substance_go_up(vault: Vault, case: dict[str, int]) -> None:
    items = [option(case, "shareable"), option(case, "unattributed")]
    assert handover_problems(vault, case["envoy"], LATER, items) == []
    hid = create_handover(vault, case["case"], case["envoy"], LATER, items)
    (row,) = handovers_of(vault, case["case"])
    assert row.id == hid and [i.kind for i in row.items] == ["option", "option"]
    assert row.outsider_name == "Envoy Marra" and not row.sources_named


def test_a_confidence_or_a_closed_session_never_goes_up(vault: Vault, case: dict[str, int]) -> None:
    finding = NewHandoverItem(finding="The room was warm", finding_session_id=case["session"])
    problems = handover_problems(
        vault, case["envoy"], LATER, [option(case, "confidential"), finding]
    )
    assert [p.index for p in problems] == [0, 1]
    assert problems[0].text == (
        "The option “Option from a confidential line” cannot go to Envoy Marra: it came from "
        "the confidential message “A confidential line” (1 Mar 2026)."
    )
    assert problems[1].text == (
        "The finding “The room was warm” cannot go to Envoy Marra: it came from the session "
        "“Workshop”, and Envoy Marra sat at no table of the case."
    )
    with pytest.raises(HandoverRefused):
        create_handover(vault, case["case"], case["envoy"], LATER, [option(case, "confidential")])
    assert handovers_of(vault, case["case"]) == []


def test_naming_sources_needs_full_sight(vault: Vault, case: dict[str, int]) -> None:
    items = [option(case, "unattributed")]
    problems = handover_problems(vault, case["envoy"], LATER, items, sources_named=True)
    assert len(problems) == 1 and "only without naming its source" in problems[0].text
    hid = create_handover(vault, case["case"], case["envoy"], LATER, items)
    with pytest.raises(HandoverRefused):
        update_handover(vault, hid, sources_named=True)


def test_a_release_to_every_party_reaches_an_outsider_one_to_a_party_does_not(
    vault: Vault, case: dict[str, int]
) -> None:
    r = Records(vault)
    items = [option(case, "confidential")]
    r.create(
        "release",
        message_id=case["confidential"],
        party_id=case["gov"],
        released_by="me",
        reason="the Front agreed",
        released_at=T0,
    )
    assert handover_problems(vault, case["envoy"], LATER, items)
    r.create(
        "release",
        message_id=case["confidential"],
        party_id=None,
        released_by="me",
        reason="made public",
        released_at=T0,
    )
    assert handover_problems(vault, case["envoy"], LATER, items) == []


def test_the_guard_refuses_items_written_any_other_way(vault: Vault, case: dict[str, int]) -> None:
    hid = create_handover(vault, case["case"], case["envoy"], LATER, [option(case, "shareable")])
    with pytest.raises(HandoverRefused), vault.session() as s:
        s.add(HandoverItem(handover_id=hid, option_id=case["option_confidential"]))
        s.commit()
    with pytest.raises(HandoverRefused), vault.session() as s:
        h = Handover(case_id=case["case"], outsider_id=case["envoy"], handed_at=LATER)
        h.items = [HandoverItem(option_id=case["option_confidential"])]
        s.add(h)
        s.commit()
    assert len(handovers_of(vault, case["case"])) == 1


def test_a_source_cannot_be_tightened_under_an_earlier_handover(
    vault: Vault, case: dict[str, int]
) -> None:
    create_handover(vault, case["case"], case["envoy"], LATER, [option(case, "shareable")])
    with pytest.raises(HandoverRefused, match="break the handover"):
        Records(vault).update("message", case["shareable"], disclosure="confidential")
    assert Records(vault).get("message", case["shareable"])["disclosure"] == "shareable"


def test_undo_and_the_audience_that_was_given_something(vault: Vault, case: dict[str, int]) -> None:
    hid = create_handover(vault, case["case"], case["envoy"], LATER, [option(case, "shareable")])
    with pytest.raises(ValidationError, match="was given 1 handover"):
        delete_outsider(vault, case["envoy"])
    row = delete_handover(vault, hid)
    assert handovers_of(vault, case["case"]) == []
    assert restore_handover(vault, row) == hid
    assert handovers_of(vault, case["case"])[0].items[0].record_id == case["option_shareable"]
    with pytest.raises(ValidationError, match="at least one"):
        create_handover(vault, case["case"], case["envoy"], LATER, [])


def test_linked_cases_show_from_both_sides(vault: Vault, case: dict[str, int]) -> None:
    r = Records(vault)
    official = r.create("case", title="Exploratory talks", track="1.5")
    link = link_cases(vault, case["case"], official, note="ideas go up")
    assert [x.words for x in links_of(vault, case["case"])] == [
        "Feeds “Exploratory talks” (Track 1.5)"
    ]
    assert [x.words for x in links_of(vault, official)] == ["Fed by “Korvan talks” (Track 2)"]
    with pytest.raises(ValidationError, match="already linked"):
        link_cases(vault, official, case["case"])
    with pytest.raises(ValidationError, match="itself"):
        link_cases(vault, official, official)
    assert unlink_cases(vault, link)[:2] == (case["case"], official)
    assert links_of(vault, official) == []
