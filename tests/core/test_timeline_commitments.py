"""Commitments on the timeline (issue 17): each commitment on the day it was made, each
outcome of its course on its day, each handover to an outside audience on its day; filtered
by kind and by party (a commitment is about the party that made it and the one it was made
to; a handover about no party); paged like every other kind (any page size, both
directions, ties with the other kinds at the same instant), counted from the same reads."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from app.core.models import CommitmentStatus, Disclosure, Verification
from app.core.services.commitments import (
    NewCommitment,
    NewOutcome,
    create_commitment,
    delete_commitment,
    delete_outcome,
    record_outcome,
)
from app.core.services.handovers import (
    NewHandoverItem,
    create_handover,
    create_outsider,
    delete_handover,
)
from app.core.services.paging import Page
from app.core.services.records import Records
from app.core.services.timeline import (
    COMMITMENT_KINDS,
    EVENT_KINDS,
    TIMELINE_KINDS,
    TimelineEvent,
    timeline,
    timeline_count,
    timeline_page,
)
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.core.paging_check import assert_pages_equal_one_big_page

MADE = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
MIDNIGHT = datetime(2026, 7, 1, tzinfo=UTC)  # an outcome's day is this instant
NOON = MIDNIGHT + timedelta(hours=12)


@pytest.fixture
def story(vault: Vault) -> dict[str, int]:
    """A case with a promise kept late, one kept on time once its condition was, one in
    confidence still pending, and a handover of two items; and a case that is not ours."""
    r = Records(vault)
    ids = {"case": r.create("case", title="Highland talks")}
    ids["gov"] = r.create("party", case_id=ids["case"], name="Government", kind="government")
    ids["khm"] = r.create(
        "party", case_id=ids["case"], name="Korvan Highlands Movement (KHM)", kind="armed_group"
    )
    ids["circle"] = r.create(
        "party", case_id=ids["case"], name="Women's Circle", kind="civil_society"
    )

    def promise(party: str, what: str, made: datetime, **kw: Any) -> int:
        new = NewCommitment(party_id=ids[party], what=what, made_at=made, **kw)
        return create_commitment(vault, ids["case"], new)

    ids["soldiers"] = promise(
        "khm",
        "Release twelve detained soldiers.",
        MADE,
        to_party_id=ids["gov"],
        due_on=date(2026, 6, 15),
        disclosure=Disclosure.SHAREABLE,
    )
    ids["late"] = record_outcome(
        vault,
        ids["soldiers"],
        NewOutcome(
            date(2026, 6, 18),
            CommitmentStatus.KEPT_LATE,
            verified_by="ICRC delegate",
            how=Verification.OUTSIDE,
            note="Three days late",
        ),
    )
    ids["pull_back"] = promise("gov", "Pull back 5 km from the road", MADE + timedelta(days=1))
    ids["convoy"] = promise(
        "khm",
        "Open the road to the market convoy",
        MADE + timedelta(days=2),
        condition="Once the army is 5 km back",
        condition_id=ids["pull_back"],
        disclosure=Disclosure.SHAREABLE,
    )
    ids["pulled"] = record_outcome(
        vault, ids["pull_back"], NewOutcome(date(2026, 5, 20), CommitmentStatus.KEPT)
    )
    ids["opened"] = record_outcome(
        vault, ids["convoy"], NewOutcome(date(2026, 5, 25), CommitmentStatus.KEPT)
    )
    ids["secret"] = promise(
        "circle", "Walk with the families", MADE + timedelta(days=3), due_on=date(2026, 9, 1)
    )
    ids["envoy"] = create_outsider(vault, ids["case"], "Envoy Marra", organisation="Sponsor")
    ids["handover"] = create_handover(
        vault,
        ids["case"],
        ids["envoy"],
        datetime(2026, 6, 20, 10, 0, tzinfo=UTC),
        [
            NewHandoverItem(commitment_id=ids["soldiers"]),
            NewHandoverItem(finding="The road is open on market days"),
        ],
        sources_named=True,
        note="Debrief at the embassy",
    )
    other = r.create("case", title="Elsewhere")
    theirs = r.create("party", case_id=other, name="Theirs", kind="community")
    create_commitment(vault, other, NewCommitment(party_id=theirs, what="Not ours", made_at=MADE))
    return ids


def keys(events: list[TimelineEvent]) -> list[tuple[str, int]]:
    return [(e.kind, e.record_id) for e in events]


def test_each_promise_outcome_and_handover_is_on_its_day(
    vault: Vault, story: dict[str, int]
) -> None:
    events = timeline(vault, story["case"], kinds=COMMITMENT_KINDS)
    assert keys(events) == [
        ("commitment", story["soldiers"]),
        ("commitment", story["pull_back"]),
        ("commitment", story["convoy"]),
        ("commitment", story["secret"]),
        ("commitment_event", story["pulled"]),
        ("commitment_event", story["opened"]),
        ("commitment_event", story["late"]),
        ("handover", story["handover"]),
    ]
    made, *_, pulled, opened, late, handed = events
    # The party's short name, what was promised (without its full stop), when it is due.
    assert made.title == "Commitment made: KHM — Release twelve detained soldiers, due 15 Jun 2026"
    assert made.at == MADE and made.detail == "to Government"
    assert made.disclosure == "shareable"
    assert set(made.party_ids) == {story["khm"], story["gov"]}
    assert late.title == "Commitment kept late: KHM — Release twelve detained soldiers"
    assert late.at == datetime(2026, 6, 18, tzinfo=UTC)
    assert late.detail == "verified by ICRC delegate · outside source · Three days late"
    assert pulled.title == "Commitment kept: Government — Pull back 5 km from the road"
    assert opened.title.startswith("Commitment kept: KHM — Open the road")
    convoy = events[2]
    assert convoy.detail == "Once the army is 5 km back"  # its condition (made to all sides)
    # A promise made in confidence shows its level (the timeline is the mediator's own).
    assert events[3].disclosure == "confidential" and events[3].title.endswith("due 1 Sep 2026")
    assert handed.title == "Handed over to Envoy Marra: 2 items"
    assert handed.detail == "sources named · Debrief at the embassy"
    assert handed.disclosure is None and handed.party_ids == ()
    # Another case's commitments are not on this one's timeline.
    assert all("Not ours" not in e.title for e in timeline(vault, story["case"]))


def test_read_with_the_other_kinds_by_default(vault: Vault, story: dict[str, int]) -> None:
    assert TIMELINE_KINDS == EVENT_KINDS + COMMITMENT_KINDS
    r = Records(vault)
    note = r.create("note", case_id=story["case"], title="Thoughts", written_at=MADE)
    everything = timeline(vault, story["case"])
    assert ("note", note) in keys(everything)
    # At the same instant, kinds sort by name: "commitment" before "note".
    first_two = keys(everything)[:2]
    assert first_two == [("commitment", story["soldiers"]), ("note", note)]
    assert timeline_count(vault, story["case"]) == len(everything) == 9
    only = timeline(vault, story["case"], kinds=("commitment_event",))
    assert {e.kind for e in only} == {"commitment_event"} and len(only) == 3
    assert timeline(vault, story["case"], kinds=EVENT_KINDS) == [everything[1]]


def test_a_party_sees_what_it_promised_and_what_was_promised_to_it(
    vault: Vault, story: dict[str, int]
) -> None:
    case = story["case"]
    gov = timeline(vault, case, party_id=story["gov"])
    assert keys(gov) == [
        ("commitment", story["soldiers"]),  # made to it
        ("commitment", story["pull_back"]),  # made by it
        ("commitment_event", story["pulled"]),
        ("commitment_event", story["late"]),
    ]
    khm = timeline(vault, case, party_id=story["khm"])
    assert keys(khm) == [
        ("commitment", story["soldiers"]),
        ("commitment", story["convoy"]),  # to all sides: only its maker's
        ("commitment_event", story["opened"]),
        ("commitment_event", story["late"]),
    ]
    circle = timeline(vault, case, party_id=story["circle"])
    assert keys(circle) == [("commitment", story["secret"])]
    # A handover is about no party; each filter counts what it shows.
    for party in ("gov", "khm", "circle"):
        shown = timeline(vault, case, party_id=story[party])
        assert timeline_count(vault, case, party_id=story[party]) == len(shown)
        assert "handover" not in {e.kind for e in shown}


def test_deleted_promises_outcomes_and_handovers_leave_the_timeline(
    vault: Vault, story: dict[str, int]
) -> None:
    case = story["case"]
    delete_outcome(vault, story["late"])
    delete_handover(vault, story["handover"])
    left = keys(timeline(vault, case, kinds=COMMITMENT_KINDS))
    assert ("commitment_event", story["late"]) not in left
    assert ("handover", story["handover"]) not in left
    delete_commitment(vault, story["convoy"])  # its outcome goes with it
    left = keys(timeline(vault, case, kinds=COMMITMENT_KINDS))
    assert ("commitment", story["convoy"]) not in left
    assert ("commitment_event", story["opened"]) not in left
    assert timeline_count(vault, case, kinds=COMMITMENT_KINDS) == len(left) == 4


# -- paging: the same contract as every other kind (tests/core/test_timeline_paging.py) --------


@pytest.fixture(scope="module")
def ties(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Vault, int, int]]:
    """(vault, case, party): commitments, outcomes and handovers over many days, and at two
    instants tied with every other kind."""
    v = Vault.create(tmp_path_factory.mktemp("tl") / "t.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    r = Records(v)
    case = r.create("case", title="Ties")
    a = r.create("party", case_id=case, name="Alpha", kind="government")
    b = r.create("party", case_id=case, name="Beta", kind="community")
    envoy = create_outsider(v, case, "Envoy")

    def promise(party: int, to: int | None, at: datetime, n: int) -> int:
        new = NewCommitment(
            party_id=party, to_party_id=to, what=f"Promise {n}", made_at=at,
            disclosure=Disclosure.SHAREABLE,
        )  # fmt: skip
        return create_commitment(v, case, new)

    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    for n in range(24):
        at = start + timedelta(days=n)
        maker = (a, b)[n % 2]
        cid = promise(maker, None if n % 3 == 1 else a + b - maker, at, n)
        if n % 4 == 0:
            record_outcome(
                v, cid, NewOutcome(at.date() + timedelta(days=n % 5), CommitmentStatus.KEPT)
            )
        if n % 6 == 0:
            create_handover(v, case, envoy, at, [NewHandoverItem(commitment_id=cid)])
    for at in (MIDNIGHT, NOON):  # every kind at the same instant, twice each
        for k in range(2):
            r.create("message", case_id=case, sender_party_id=a, recipient_party_id=b,
                     said_at=at, summary=f"Tie {k}")  # fmt: skip
            r.create("note", case_id=case, title=f"Tie {k}", written_at=at)
            r.create("option", case_id=case, title=f"Tie {k}", raised_on=at.date(),
                     raised_by_party_id=a)  # fmt: skip
            r.create("action", case_id=case, title=f"Due {k}", due_on=at.date())
            cid = promise(a, b, at, 100 + k)
            record_outcome(v, cid, NewOutcome(at.date(), CommitmentStatus.WITHDRAWN))
            create_handover(v, case, envoy, at, [NewHandoverItem(finding=f"Tie {k}")])
    yield v, case, a
    v.lock()


@pytest.mark.parametrize("newest_first", [False, True], ids=["oldest", "newest"])
@pytest.mark.parametrize("party", [False, True], ids=["all", "party"])
@pytest.mark.parametrize("kinds", [TIMELINE_KINDS, COMMITMENT_KINDS], ids=["every", "commitments"])
def test_paged_like_every_other_kind(
    ties: tuple[Vault, int, int], newest_first: bool, party: bool, kinds: tuple[str, ...]
) -> None:
    vault, case, a = ties
    args: dict[str, Any] = {
        "kinds": kinds,
        "party_id": a if party else None,
        "newest_first": newest_first,
    }

    def fetch(after: Any, limit: int) -> Page[TimelineEvent]:
        return timeline_page(vault, case, after=after, limit=limit, **args)

    whole = assert_pages_equal_one_big_page(fetch, (1, 2, 7, 60), at_least=20)
    assert whole == timeline(vault, case, **args)
    assert [e.key for e in whole] == sorted((e.key for e in whole), reverse=newest_first)
    assert len({e.key for e in whole}) == len(whole)  # each once, though read twice
    assert timeline_count(vault, case, kinds, args["party_id"]) == len(whole)
    # Tied at one instant with each other and with the other kinds the data has there; a
    # handover, a note and an action are about no party.
    tied = set(kinds) & {"message", "note", "option", "action", *COMMITMENT_KINDS}
    if party:
        tied -= {"handover", "note", "action"}
    assert {e.kind for e in whole if e.at == MIDNIGHT} == tied
