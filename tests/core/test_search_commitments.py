"""Full-text search over commitments and handovers (migration 0009's triggers): what was
promised, its condition and note; who verified an outcome; an outside audience's name,
organisation and notes; a handover's note and a finding handed over; a case link's note.
Each is found under its kind, called by what it is about (the index holds no title for
most of them), scoped by case and (a commitment) by the party that made it; edits and
deletions follow."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime

import pytest

from app.core.models import CommitmentStatus, Disclosure, Verification
from app.core.services.commitments import (
    NewCommitment,
    NewOutcome,
    create_commitment,
    delete_commitment,
    delete_outcome,
    get_commitment,
    record_outcome,
    restore_commitment,
    update_commitment,
)
from app.core.services.handovers import (
    NewHandoverItem,
    create_handover,
    create_outsider,
    delete_handover,
    delete_outsider,
    link_cases,
    unlink_cases,
    update_outsider,
)
from app.core.services.records import Records
from app.core.services.search import search, strip_marks
from app.core.vault import Vault

MADE = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
HANDED = datetime(2026, 6, 20, 10, 0, tzinfo=UTC)


def hits(
    vault: Vault, words: str, *, case_id: int | None = None, party_id: int | None = None
) -> set[tuple[str, int]]:
    return {(h.kind, h.record_id) for h in search(vault, words, case_id=case_id, party_id=party_id)}


def titles(vault: Vault, words: str) -> dict[str, str]:
    return {h.kind: strip_marks(h.title) for h in search(vault, words)}


@pytest.fixture
def ids(vault: Vault) -> dict[str, int]:
    r = Records(vault)
    out = {"case": r.create("case", title="Highland talks")}
    out["gov"] = r.create("party", case_id=out["case"], name="Government", kind="government")
    out["khm"] = r.create(
        "party", case_id=out["case"], name="Korvan Highlands Movement (KHM)", kind="armed_group"
    )
    out["circle"] = r.create("party", case_id=out["case"], name="Circle", kind="civil_society")
    out["talks"] = r.create("case", title="Exploratory talks", track="1.5")
    out["promise"] = create_commitment(
        vault,
        out["case"],
        NewCommitment(
            party_id=out["khm"],
            to_party_id=out["gov"],
            what="Release the twelve detained soldiers at Kaldavi.",
            condition="Once the posts are back from the ridge",
            note="Marigold was the code word",
            made_at=MADE,
            due_on=date(2026, 6, 15),
            disclosure=Disclosure.SHAREABLE,
        ),
    )
    out["outcome"] = record_outcome(
        vault,
        out["promise"],
        NewOutcome(
            date(2026, 6, 15),
            CommitmentStatus.KEPT,
            verified_by="Delegate Ferrand",
            how=Verification.OUTSIDE,
            note="Counted at the crossing",
        ),
    )
    out["envoy"] = create_outsider(
        vault,
        out["case"],
        "Envoy Marra",
        organisation="Valmark foreign ministry",
        notes="Prefers mornings",
    )
    out["handover"] = create_handover(
        vault,
        out["case"],
        out["envoy"],
        HANDED,
        [
            NewHandoverItem(commitment_id=out["promise"]),
            NewHandoverItem(finding="The heronry by the pass is quiet again"),
        ],
        note="Debrief at the embassy",
    )
    out["link"] = link_cases(vault, out["case"], out["talks"], note="Findings go up unnamed")
    return out


def test_every_part_is_found_under_its_kind(vault: Vault, ids: dict[str, int]) -> None:
    promise = {("commitment", ids["promise"])}
    assert hits(vault, "Kaldavi") == promise  # what was promised
    assert hits(vault, "ridge") == promise  # its condition
    assert hits(vault, "Marigold") == promise  # the mediator's note
    assert hits(vault, "Ferrand") == {("commitment_event", ids["outcome"])}  # the verifier
    assert hits(vault, "crossing") == {("commitment_event", ids["outcome"])}
    assert hits(vault, "Marra") == {("outsider", ids["envoy"])}  # an outsider's name
    assert hits(vault, "Valmark") == {("outsider", ids["envoy"])}  # and organisation
    assert hits(vault, "mornings") == {("outsider", ids["envoy"])}
    assert hits(vault, "embassy") == {("handover", ids["handover"])}
    [(kind, _)] = hits(vault, "heronry")  # a finding handed over
    assert kind == "handover_item"
    assert hits(vault, "unnamed") == {("case_link", ids["link"])}


def test_hits_are_called_by_what_they_are_about(vault: Vault, ids: dict[str, int]) -> None:
    assert titles(vault, "Kaldavi") == {
        "commitment": "KHM — Release the twelve detained soldiers at Kaldavi"
    }
    assert titles(vault, "Ferrand") == {
        "commitment_event": "Kept: KHM — Release the twelve detained soldiers at Kaldavi"
    }
    assert titles(vault, "embassy") == {"handover": "Handed over to Envoy Marra, 20 Jun 2026"}
    assert titles(vault, "heronry") == {
        "handover_item": "Finding handed over to Envoy Marra, 20 Jun 2026"
    }
    assert titles(vault, "unnamed") == {"case_link": "“Highland talks” feeds “Exploratory talks”"}
    [outsider] = search(vault, "Marra")
    assert "\x02Marra\x03" in outsider.title  # an outsider has a title of its own
    # The words that matched are in the snippet.
    [outcome] = search(vault, "Ferrand")
    assert "\x02Ferrand\x03" in outcome.snippet


def test_scoped_by_case_and_by_the_party_that_promised(vault: Vault, ids: dict[str, int]) -> None:
    promise = {("commitment", ids["promise"])}
    assert hits(vault, "Kaldavi", party_id=ids["khm"]) == promise
    assert hits(vault, "Kaldavi", party_id=ids["circle"]) == set()
    assert hits(vault, "Kaldavi", case_id=ids["case"], party_id=ids["khm"]) == promise
    assert hits(vault, "Kaldavi", case_id=ids["talks"]) == set()
    for word in ("Ferrand", "Marra", "embassy", "heronry"):
        assert hits(vault, word, case_id=ids["case"]), word
        assert hits(vault, word, case_id=ids["talks"]) == set(), word
    # A link is found from either of its cases.
    link = {("case_link", ids["link"])}
    assert hits(vault, "unnamed", case_id=ids["case"]) == link
    assert hits(vault, "unnamed", case_id=ids["talks"]) == link


def test_edits_and_deletions_follow(vault: Vault, ids: dict[str, int]) -> None:
    old = get_commitment(vault, ids["promise"])
    new = NewCommitment(
        party_id=old.party_id or 0,
        to_party_id=old.to_party_id,
        what="Release the twelve detained soldiers at Tsera.",
        made_at=old.made_at,
        due_on=old.due_on,
        disclosure=old.disclosure,
    )
    update_commitment(vault, ids["promise"], new)
    assert hits(vault, "Kaldavi") == set() and hits(vault, "Marigold") == set()
    assert hits(vault, "Tsera") == {("commitment", ids["promise"])}
    update_commitment(vault, ids["promise"], replace(new, party_id=ids["gov"], to_party_id=None))
    assert hits(vault, "Tsera", party_id=ids["gov"]) == {("commitment", ids["promise"])}
    assert hits(vault, "Tsera", party_id=ids["khm"]) == set()
    update_outsider(vault, ids["envoy"], name="Envoy Halloran")
    assert hits(vault, "Marra") == set() and hits(vault, "Halloran")

    delete_outcome(vault, ids["outcome"])
    assert hits(vault, "Ferrand") == set()
    delete_handover(vault, ids["handover"])  # its items go with it
    assert hits(vault, "embassy") == set() and hits(vault, "heronry") == set()
    delete_outsider(vault, ids["envoy"])
    assert hits(vault, "Halloran") == set() and hits(vault, "Valmark") == set()
    unlink_cases(vault, ids["link"])
    assert hits(vault, "unnamed") == set()
    copy = delete_commitment(vault, ids["promise"])
    assert hits(vault, "Tsera") == set()
    # Brought back (undo) under its id, it is found again.
    back = restore_commitment(vault, copy)
    record_outcome(
        vault,
        back,
        NewOutcome(date(2026, 6, 1), CommitmentStatus.WITHDRAWN, note="Taken back at Tsera"),
    )
    assert {k for k, _ in hits(vault, "Tsera")} == {"commitment", "commitment_event"}
