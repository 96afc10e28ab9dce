"""JSON interchange of commitments (with a condition and a course), outside audiences,
handovers and their items, and links between cases (issue 17): they round trip into a new
vault row for row; a file whose handover gives an outsider what the disclosure rules keep
from it, or whose course is impossible, is refused as a whole; a file written before they
existed (schema 0008) still imports."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.core.errors import ImportRefused
from app.core.export.jsonio import export_json, import_json
from app.core.models import CommitmentStatus, Disclosure, Verification
from app.core.services.commitments import (
    NewCommitment,
    NewOutcome,
    create_commitment,
    record_outcome,
    register,
)
from app.core.services.handovers import (
    NewHandoverItem,
    create_handover,
    create_outsider,
    handovers_of,
    link_cases,
    links_of,
)
from app.core.services.records import Records
from app.core.services.search import search
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

MADE = datetime(2026, 5, 4, 8, 0, tzinfo=UTC)
HANDED = datetime(2026, 7, 1, 10, 0, tzinfo=UTC)
NEW_TABLES = (
    "commitments",
    "commitment_events",
    "outsiders",
    "handovers",
    "handover_items",
    "case_links",
)


def build(vault: Vault) -> dict[str, int]:
    """A case with a kept promise and one kept once its condition was, a promise made in
    confidence, a handover of an option, a commitment and a finding, and a linked case."""
    r = Records(vault)
    ids = {"case": r.create("case", title="Highland talks")}
    ids["gov"] = r.create("party", case_id=ids["case"], name="Government", kind="government")
    ids["khm"] = r.create("party", case_id=ids["case"], name="Movement", kind="armed_group")
    ids["open"] = r.create(
        "message",
        case_id=ids["case"],
        sender_party_id=ids["khm"],
        said_at=MADE - timedelta(days=2),
        disclosure="shareable",
        summary="Wants the road open",
    )
    ids["secret"] = r.create(
        "message",
        case_id=ids["case"],
        sender_party_id=ids["gov"],
        said_at=MADE - timedelta(days=1),
        disclosure="confidential",
        summary="Could pull back further",
    )
    ids["option"] = r.create(
        "option", case_id=ids["case"], title="Open road", raised_in_message_id=ids["open"]
    )
    ids["hidden_option"] = r.create(
        "option", case_id=ids["case"], title="Deeper pull-back", raised_in_message_id=ids["secret"]
    )

    def promise(party: str, what: str, **kw: Any) -> int:
        kw.setdefault("disclosure", Disclosure.SHAREABLE)
        new = NewCommitment(party_id=ids[party], what=what, made_at=MADE, **kw)
        return create_commitment(vault, ids["case"], new)

    ids["pull_back"] = promise(
        "gov", "Pull back 5 km", to_party_id=ids["khm"], due_on=date(2026, 6, 1)
    )
    ids["convoy"] = promise(
        "khm",
        "Open the road to the convoy",
        condition="Once the posts are back",
        condition_id=ids["pull_back"],
        due_on=date(2026, 6, 10),
        source_message_id=ids["open"],
    )
    ids["confidence"] = promise("gov", "Keep the ridge empty", disclosure=Disclosure.CONFIDENTIAL)
    ids["pulled"] = record_outcome(
        vault,
        ids["pull_back"],
        NewOutcome(
            date(2026, 6, 3),
            CommitmentStatus.KEPT_LATE,
            verified_by="Monitoring patrol",
            how=Verification.OUTSIDE,
        ),
    )
    ids["opened"] = record_outcome(
        vault, ids["convoy"], NewOutcome(date(2026, 6, 8), CommitmentStatus.PARTLY_KEPT)
    )
    ids["envoy"] = create_outsider(vault, ids["case"], "Envoy Marra", organisation="Sponsor")
    ids["handover"] = create_handover(
        vault,
        ids["case"],
        ids["envoy"],
        HANDED,
        [
            NewHandoverItem(option_id=ids["option"]),
            NewHandoverItem(commitment_id=ids["convoy"]),
            NewHandoverItem(finding="The road is open on market days"),
        ],
        note="Debrief",
    )
    ids["talks"] = r.create("case", title="Exploratory talks", track="1.5")
    ids["link"] = link_cases(vault, ids["case"], ids["talks"], note="Feeds the talks")
    return ids


@pytest.fixture
def source(vault: Vault, tmp_path: Path) -> tuple[Vault, dict[str, int], Path]:
    ids = build(vault)
    out = tmp_path / "commitments.json"
    export_json(vault, out)
    return vault, ids, out


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Vault]:
    v = Vault.create(tmp_path / "fresh.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    yield v
    v.lock()


def tables(path: Path) -> dict[str, list[dict[str, Any]]]:
    found: dict[str, list[dict[str, Any]]] = json.loads(path.read_text(encoding="utf-8"))["tables"]
    return found


def write(doc: dict[str, Any], path: Path) -> Path:
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def case_count(vault: Vault) -> int:
    with vault.session() as s:
        return int(s.execute(text("SELECT count(*) FROM cases")).scalar_one())


def test_round_trip_into_a_fresh_vault(
    source: tuple[Vault, dict[str, int], Path], fresh: Vault, tmp_path: Path
) -> None:
    vault, ids, exported = source
    sent = tables(exported)
    assert all(sent[t] for t in NEW_TABLES)
    counts = import_json(fresh, exported)
    assert all(counts[t] == len(sent[t]) for t in NEW_TABLES)
    again = export_json(fresh, tmp_path / "again.json")
    got = tables(tmp_path / "again.json")
    for table in NEW_TABLES:
        assert got[table] == sent[table], table
    assert again["commitments"] == 3
    # Read back through the services as before: the course, the condition, the handover.
    today = date(2026, 7, 2)
    assert register(fresh, ids["case"], today=today) == register(vault, ids["case"], today=today)
    assert handovers_of(fresh, ids["case"]) == handovers_of(vault, ids["case"])
    assert links_of(fresh, ids["talks"]) == links_of(vault, ids["talks"])
    [convoy] = [r for r in register(fresh, ids["case"]) if r.id == ids["convoy"]]
    assert convoy.condition_id == ids["pull_back"] and convoy.status is CommitmentStatus.PARTLY_KEPT
    assert {h.kind for h in search(fresh, "market")} == {"handover_item"}
    assert fresh.check() == []


def test_a_handover_of_a_confidence_is_refused_as_a_whole(
    source: tuple[Vault, dict[str, int], Path], fresh: Vault, tmp_path: Path
) -> None:
    """The import writes with Core inserts, which the flush guard does not see: handovers
    are checked after inserting, and one item too many refuses the whole file."""
    _vault, ids, exported = source
    doc = json.loads(exported.read_text(encoding="utf-8"))
    [item] = [i for i in doc["tables"]["handover_items"] if i["option_id"] == ids["option"]]
    item["option_id"] = ids["hidden_option"]  # raised in a confidential message
    with pytest.raises(ImportRefused, match="cannot go to Envoy Marra") as refused:
        import_json(fresh, write(doc, tmp_path / "leak.json"))
    assert "Nothing was imported" in str(refused.value)
    assert case_count(fresh) == 0

    # Likewise a commitment made in confidence, handed over.
    doc = json.loads(exported.read_text(encoding="utf-8"))
    [item] = [i for i in doc["tables"]["handover_items"] if i["commitment_id"] is not None]
    item["commitment_id"] = ids["confidence"]
    with pytest.raises(ImportRefused, match="Nothing was imported"):
        import_json(fresh, write(doc, tmp_path / "leak2.json"))
    assert case_count(fresh) == 0


def _outcome_before_the_promise(doc: dict[str, Any], ids: dict[str, int]) -> None:
    [row] = [e for e in doc["tables"]["commitment_events"] if e["id"] == ids["pulled"]]
    row["on"] = "2026-05-01"  # made on 4 May


def _kept_before_its_condition(doc: dict[str, Any], ids: dict[str, int]) -> None:
    [row] = [e for e in doc["tables"]["commitment_events"] if e["id"] == ids["opened"]]
    row["on"] = "2026-06-02"  # the pull-back was kept on 3 June


def _kept_after_it_was_due(doc: dict[str, Any], ids: dict[str, int]) -> None:
    [row] = [e for e in doc["tables"]["commitment_events"] if e["id"] == ids["pulled"]]
    row["status"] = "kept"  # on 3 June, due 1 June: kept late


@pytest.mark.parametrize(
    "tamper",
    [_outcome_before_the_promise, _kept_before_its_condition, _kept_after_it_was_due],
    ids=["before-made", "before-condition", "kept-not-late"],
)
def test_an_impossible_course_is_refused_as_a_whole(
    source: tuple[Vault, dict[str, int], Path], fresh: Vault, tmp_path: Path, tamper: Any
) -> None:
    _vault, ids, exported = source
    doc = copy.deepcopy(json.loads(exported.read_text(encoding="utf-8")))
    tamper(doc, ids)
    with pytest.raises(ImportRefused, match="impossible course") as refused:
        import_json(fresh, write(doc, tmp_path / "course.json"))
    assert "Nothing was imported" in str(refused.value)
    assert case_count(fresh) == 0


def test_a_file_from_before_commitments_still_imports(
    source: tuple[Vault, dict[str, int], Path], fresh: Vault, tmp_path: Path
) -> None:
    """Schema 0008: none of the new tables."""
    _vault, ids, exported = source
    doc = json.loads(exported.read_text(encoding="utf-8"))
    doc["schema_revision"] = "0008"
    for table in NEW_TABLES:
        del doc["tables"][table]
    counts = import_json(fresh, write(doc, tmp_path / "old.json"))
    assert all(counts[t] == 0 for t in NEW_TABLES)
    assert counts["options"] == 2 and counts["cases"] == 2
    assert register(fresh, ids["case"]) == [] and handovers_of(fresh, ids["case"]) == []
    assert links_of(fresh, ids["case"]) == []
    assert [o["title"] for o in Records(fresh).find("option")] == ["Open road", "Deeper pull-back"]
    assert fresh.check() == []
