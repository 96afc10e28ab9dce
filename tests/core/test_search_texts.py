"""Full-text search over texts (migration 0008's triggers): a text's title and purpose, a
draft's note, a clause's wording, an alternative's wording and a critique's note and proposed
wording are found by app.core.services.search, with the kind names "text", "draft",
"clause", "alternative" and "critique"; scoped by case and by party (a clause by the party
that proposed it, an alternative and a critique by theirs); edits and deletions follow."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.services.records import Records
from app.core.services.search import search, strip_marks
from app.core.services.text_circulation import circulate
from app.core.services.text_critiques import record_critique
from app.core.services.texts import (
    NewAlternative,
    add_clause,
    clauses_of,
    create_text,
    delete_clause,
    delete_text,
    drafts_of,
    set_alternatives,
    update_clause,
)
from app.core.vault import Vault

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


def hits(vault: Vault, words: str, **scope: int) -> set[tuple[str, int]]:
    """What a search finds, but the deliveries of a circulated draft (their content names
    the text: "Draft 1 of “…”"; test_deliveries_of_a_draft_name_it checks them)."""
    return {(h.kind, h.record_id) for h in search(vault, words, **scope) if h.kind != "delivery"}


@pytest.fixture
def texts(vault: Vault) -> dict[str, int]:
    """Two cases, each with a text; case 1's draft 1 circulated to both of its parties."""
    r = Records(vault)
    ids = {"case": r.create("case", title="Marsh talks")}
    ids["gov"] = r.create("party", case_id=ids["case"], name="Marsh council", kind="government")
    ids["front"] = r.create("party", case_id=ids["case"], name="Reed front", kind="armed_group")
    ids["other_case"] = r.create("case", title="Delta talks")
    ids["other_party"] = r.create(
        "party", case_id=ids["other_case"], name="Delta union", kind="political_movement"
    )
    ids["text"] = create_text(
        vault, ids["case"], "Causeway memorandum", purpose="Keep the heronry quiet"
    )
    d1 = drafts_of(vault, ids["text"])[-1].id
    ids["draft"] = d1
    ids["clause"] = add_clause(
        vault,
        d1,
        wording="The causeway reopens to {1} at dawn.",
        proposed_by_party_id=ids["gov"],
        note="Ferryman's idea",
    )
    set_alternatives(
        vault,
        ids["clause"],
        [
            NewAlternative(1, ids["gov"], "carts and pedestrians"),
            NewAlternative(1, ids["front"], "fishing skiffs"),
        ],
    )
    ids["plain"] = add_clause(vault, d1, wording="Lanterns on the causeway at night.")
    circulate(vault, d1, [ids["gov"], ids["front"]], at=T0, note="Sent with the eelgrass map")
    ids["critique"] = record_critique(
        vault,
        ids["clause"],
        ids["front"],
        "accepts_with_changes",
        proposed_wording="skiffs and punts",
        note="Bitterns nest there in spring",
    )
    ids["other_text"] = create_text(vault, ids["other_case"], "Delta causeway note")
    ids["other_clause"] = add_clause(
        vault,
        drafts_of(vault, ids["other_text"])[-1].id,
        wording="The causeway tolls are halved.",
        proposed_by_party_id=ids["other_party"],
    )
    return ids


def test_every_part_of_a_text_is_found_under_its_kind(vault: Vault, texts: dict[str, int]) -> None:
    d2 = drafts_of(vault, texts["text"])[-1].id
    [copy_of_clause, _] = [c.id for c in clauses_of(vault, d2)]
    assert hits(vault, "Causeway memorandum") == {("text", texts["text"])}
    assert hits(vault, "heronry") == {("text", texts["text"])}  # its purpose
    assert hits(vault, "eelgrass") == {("draft", texts["draft"])}  # the draft's note
    # A clause's wording and note, in draft 1 and in its copy, the working draft 2.
    assert hits(vault, "reopens") == {("clause", texts["clause"]), ("clause", copy_of_clause)}
    assert hits(vault, "Ferryman") == hits(vault, "reopens")
    assert {k for k, _ in hits(vault, "skiffs")} == {"alternative", "critique"}
    assert {k for k, _ in hits(vault, "fishing skiffs")} == {"alternative"}
    assert hits(vault, "Bitterns") == {("critique", texts["critique"])}
    assert hits(vault, "punts") == {("critique", texts["critique"])}  # its proposed wording
    # Every kind name the search gives for texts, and readable titles for the hit list.
    found = search(vault, "causeway")
    assert {h.kind for h in found} == {"text", "clause", "delivery"}
    assert all(strip_marks(h.title) for h in found)
    kinds = {h.kind for w in ("heronry", "eelgrass", "reopens", "fishing", "Bitterns")
             for h in search(vault, w)}  # fmt: skip
    assert kinds == {"text", "draft", "clause", "alternative", "critique"}
    assert {h.kind for h in search(vault, "causeway", kinds=("clause",))} == {"clause"}


def test_texts_are_scoped_by_case(vault: Vault, texts: dict[str, int]) -> None:
    mine = hits(vault, "causeway", case_id=texts["case"])
    theirs = hits(vault, "causeway", case_id=texts["other_case"])
    assert ("text", texts["text"]) in mine and ("clause", texts["clause"]) in mine
    assert theirs == {("text", texts["other_text"]), ("clause", texts["other_clause"])}
    assert hits(vault, "Bitterns", case_id=texts["other_case"]) == set()
    assert hits(vault, "fishing skiffs", case_id=texts["case"]) != set()
    assert {h.case_id for h in search(vault, "Bitterns")} == {texts["case"]}


def test_texts_are_scoped_by_party(vault: Vault, texts: dict[str, int]) -> None:
    gov, front = texts["gov"], texts["front"]
    # A clause by the party that proposed it; an alternative and a critique by theirs.
    assert {k for k, _ in hits(vault, "reopens", party_id=gov)} == {"clause"}
    assert hits(vault, "reopens", party_id=front) == set()
    assert {k for k, _ in hits(vault, "carts", party_id=gov)} == {"alternative"}
    assert hits(vault, "carts", party_id=front) == set()
    assert {k for k, _ in hits(vault, "fishing", party_id=front)} == {"alternative"}
    assert hits(vault, "Bitterns", party_id=front) == {("critique", texts["critique"])}
    assert hits(vault, "Bitterns", party_id=gov) == set()
    # Texts and drafts belong to the case, not to a party; a clause nobody proposed likewise.
    assert hits(vault, "memorandum", party_id=gov) == set()
    assert hits(vault, "Lanterns", party_id=gov) == set()
    assert hits(vault, "Lanterns", case_id=texts["case"]) != set()
    # Case and party together.
    assert hits(vault, "skiffs", case_id=texts["case"], party_id=front) == hits(
        vault, "skiffs", party_id=front
    )
    assert hits(vault, "skiffs", case_id=texts["other_case"], party_id=front) == set()


def test_deliveries_of_a_draft_name_it(vault: Vault, texts: dict[str, int]) -> None:
    found = search(vault, "Causeway memorandum", party_id=texts["front"])
    assert [h.kind for h in found] == ["delivery"]  # the one that gave the draft to the front
    assert "Draft 1 of" in strip_marks(found[0].snippet + found[0].title)


def test_the_index_follows_edits_and_deletions(vault: Vault, texts: dict[str, int]) -> None:
    working = drafts_of(vault, texts["text"])[-1].id
    copy_of_clause = clauses_of(vault, working)[0].id
    update_clause(vault, copy_of_clause, wording="The causeway reopens to {1} at noon.")
    assert hits(vault, "noon") == {("clause", copy_of_clause)}
    update_clause(vault, copy_of_clause, proposed_by_party_id=texts["front"])
    assert hits(vault, "noon", party_id=texts["front"]) == {("clause", copy_of_clause)}
    assert hits(vault, "noon", party_id=texts["gov"]) == set()
    set_alternatives(vault, copy_of_clause, [NewAlternative(1, None, "ox carts")])
    assert {k for k, _ in hits(vault, "ox")} == {"alternative"}
    assert {i for _, i in hits(vault, "fishing")} != set()  # draft 1's stays: it is frozen
    delete_clause(vault, copy_of_clause)
    assert hits(vault, "noon") == set() and hits(vault, "ox") == set()
    # Deleting a text that was never circulated takes its clauses out of the index too.
    delete_text(vault, texts["other_text"])
    assert hits(vault, "tolls") == set()
    assert hits(vault, "Delta causeway") == set()
