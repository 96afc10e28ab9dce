"""JSON interchange of texts: drafts (circulated and working), clauses, bracketed
alternatives, carried options and critiques, and the deliveries that conveyed drafts, round
trip into a new vault and into one that already has records (every link shifted with its
record); a file written before texts existed (schema 0007) still imports; a delivery in a
file that gives a party a draft it may not see is refused, and nothing is imported."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.core.errors import DraftFrozen, ImportRefused, ValidationError
from app.core.export.jsonio import export_json, import_json
from app.core.services.records import Records
from app.core.services.search import search
from app.core.services.text_circulation import circulate, drafts_held
from app.core.services.text_critiques import record_critique
from app.core.services.texts import (
    NewAlternative,
    add_clause,
    clauses_of,
    create_text,
    drafts_of,
    set_alternatives,
    set_clause_options,
    update_clause,
)
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

T0 = datetime(2026, 5, 4, 9, 0, tzinfo=UTC)
TEXT_TABLES = (
    "texts",
    "text_drafts",
    "clauses",
    "clause_alternatives",
    "clause_options",
    "critiques",
)


def build_texts(vault: Vault, title: str) -> dict[str, int]:
    """A case with a text circulated twice (draft 1 to both parties, draft 2 to the
    government only) and a working draft 3; brackets, an option carried, critiques."""
    r = Records(vault)
    ids = {"case": r.create("case", title=title)}
    ids["gov"] = r.create("party", case_id=ids["case"], name="Tern Bay council", kind="government")
    ids["front"] = r.create("party", case_id=ids["case"], name="Tern Bay front", kind="armed_group")
    ids["open"] = r.create(
        "message",
        case_id=ids["case"],
        sender_party_id=ids["front"],
        said_at=T0 - timedelta(days=3),
        disclosure="shareable",
        summary="Wants a harbour commission",
    )
    ids["secret"] = r.create(
        "message",
        case_id=ids["case"],
        sender_party_id=ids["gov"],
        said_at=T0 - timedelta(days=2),
        disclosure="confidential",
        summary="Could accept night patrols",
    )
    ids["option"] = r.create(
        "option", case_id=ids["case"], title="Harbour commission", raised_in_message_id=ids["open"]
    )
    ids["hidden_option"] = r.create(
        "option", case_id=ids["case"], title="Night patrols", raised_in_message_id=ids["secret"]
    )
    ids["text"] = create_text(vault, ids["case"], "Harbour paper")
    d1 = drafts_of(vault, ids["text"])[-1].id
    add_clause(vault, d1, wording="The harbour", kind="heading")
    ids["clause"] = add_clause(
        vault, d1, wording="A commission of {1} runs the quay.", source_message_id=ids["open"]
    )
    set_alternatives(
        vault,
        ids["clause"],
        [
            NewAlternative(1, ids["gov"], "harbour officials"),
            NewAlternative(1, ids["front"], "fishermen and officials", ids["open"]),
        ],
    )
    ids["carrier"] = add_clause(vault, d1, wording="The commission meets monthly.")
    set_clause_options(vault, ids["carrier"], [ids["option"]])
    first = circulate(vault, d1, [ids["gov"], ids["front"]], at=T0, note="First draft")
    ids["draft1"] = d1
    record_critique(
        vault,
        ids["clause"],
        ids["gov"],
        "accepts_with_changes",
        proposed_wording="harbour officials only",
        note="Officials first",
        recorded_on=date(2026, 5, 6),
    )
    record_critique(vault, ids["carrier"], ids["front"], "rejects", note="Weekly, not monthly")
    d2 = first.working_draft_id
    add_clause(vault, d2, wording="Fishing boats may use the quay at night.")
    second = circulate(vault, d2, [ids["gov"]], at=T0 + timedelta(days=7), note="Second draft")
    ids["draft2"] = d2
    [ids["clause2"]] = [c.id for c in clauses_of(vault, d2) if c.key == 2]
    record_critique(vault, ids["clause2"], ids["gov"], "accepts", note="Fine now")
    update_clause(
        vault,
        clauses_of(vault, second.working_draft_id)[1].id,
        wording="A commission of {1} runs the quay and the slipway.",
    )
    return ids


def table_rows(path: Path) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = json.loads(path.read_text(encoding="utf-8"))["tables"]
    return tables


def max_ids(vault: Vault) -> dict[str, int]:
    with vault.session() as s:
        return {
            t: int(s.execute(text(f"SELECT coalesce(max(id), 0) FROM {t}")).scalar() or 0)
            for t in ("cases", "parties", "messages", "options", "deliveries", *TEXT_TABLES)
            if t != "clause_options"
        }


def held(vault: Vault, party_id: int) -> list[tuple[str, int, bool, str]]:
    return [(h.title, h.number, h.latest, h.label) for h in drafts_held(vault, party_id)]


@pytest.fixture
def source(vault: Vault, tmp_path: Path) -> Iterator[tuple[Vault, dict[str, int], Path]]:
    ids = build_texts(vault, "Tern Bay talks")
    out = tmp_path / "texts.json"
    export_json(vault, out)
    yield vault, ids, out


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Vault]:
    v = Vault.create(tmp_path / "other.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    yield v
    v.lock()


def assert_frozen(vault: Vault, clause_id: int) -> None:
    with pytest.raises(DraftFrozen):
        Records(vault).update("clause", clause_id, wording="Rewritten after import")
    with pytest.raises(ValidationError):
        update_clause(vault, clause_id, wording="Rewritten after import")


def test_texts_round_trip_into_a_new_vault(
    source: tuple[Vault, dict[str, int], Path], other: Vault, tmp_path: Path
) -> None:
    vault, ids, exported = source
    sent = table_rows(exported)
    assert len(sent["text_drafts"]) == 3 and sent["clause_options"]
    assert sum(1 for d in sent["deliveries"] if d["draft_id"] is not None) == 3
    import_json(other, exported)
    again = tmp_path / "again.json"
    export_json(other, again)
    got = table_rows(again)
    for table in (*TEXT_TABLES, "deliveries"):
        assert got[table] == sent[table], table
    for party in ("gov", "front"):
        assert held(other, ids[party]) == held(vault, ids[party])
    assert_frozen(other, ids["clause"])
    assert_frozen(other, ids["clause2"])
    # Everything is searchable as before, and the working draft is still the one to edit.
    found = {
        word: {h.kind for h in search(other, word)} for word in ("slipway", "fishermen", "Weekly")
    }
    assert found == {"slipway": {"clause"}, "fishermen": {"alternative"}, "Weekly": {"critique"}}
    working = drafts_of(other, ids["text"])[-1]
    assert working.working and working.number == 3
    update_clause(other, clauses_of(other, working.id)[1].id, wording="Edited after import")
    assert [h.record_id for h in search(other, "Edited after import")] == [
        clauses_of(other, working.id)[1].id
    ]


def test_texts_imported_into_a_vault_with_records_shift_every_link(
    source: tuple[Vault, dict[str, int], Path], other: Vault
) -> None:
    vault, ids, exported = source
    own = build_texts(other, "Own talks")  # the target has texts of its own
    own_held = {p: held(other, own[p]) for p in ("gov", "front")}
    offset = max_ids(other)
    assert all(offset[t] > 0 for t in offset)
    import_json(other, exported)

    def moved(table: str, old: int) -> int:
        return old + offset[table]

    sent = table_rows(exported)
    with other.session() as s:

        def rows(sql: str) -> set[tuple[Any, ...]]:
            return {tuple(r) for r in s.execute(text(sql))}

        # Deliveries of drafts: the draft, the recipient and the case, shifted alike.
        assert {
            (moved("deliveries", d["id"]), moved("text_drafts", d["draft_id"]),
             moved("parties", d["recipient_party_id"]), moved("cases", d["case_id"]))
            for d in sent["deliveries"] if d["draft_id"] is not None
        } == rows(
            f"SELECT id, draft_id, recipient_party_id, case_id FROM deliveries "
            f"WHERE draft_id IS NOT NULL AND id > {offset['deliveries']}"
        )  # fmt: skip
        assert {
            (moved("text_drafts", d["id"]), moved("texts", d["text_id"]), d["number"])
            for d in sent["text_drafts"]
        } == rows(f"SELECT id, text_id, number FROM text_drafts WHERE id > {offset['text_drafts']}")
        assert {
            (moved("clauses", c["id"]), moved("text_drafts", c["draft_id"]), c["key"])
            for c in sent["clauses"]
        } == rows(f"SELECT id, draft_id, key FROM clauses WHERE id > {offset['clauses']}")
        assert {
            (moved("clause_alternatives", a["id"]), moved("clauses", a["clause_id"]),
             None if a["party_id"] is None else moved("parties", a["party_id"]),
             None if a["source_message_id"] is None else moved("messages", a["source_message_id"]))
            for a in sent["clause_alternatives"]
        } == rows(
            "SELECT id, clause_id, party_id, source_message_id FROM clause_alternatives "
            f"WHERE id > {offset['clause_alternatives']}"
        )  # fmt: skip
        assert {
            (moved("critiques", c["id"]), moved("clauses", c["clause_id"]),
             moved("parties", c["party_id"]))
            for c in sent["critiques"]
        } == rows(
            f"SELECT id, clause_id, party_id FROM critiques WHERE id > {offset['critiques']}"
        )  # fmt: skip
        assert {
            (moved("clauses", o["clause_id"]), moved("options", o["option_id"]))
            for o in sent["clause_options"]
        } == rows(
            f"SELECT clause_id, option_id FROM clause_options WHERE clause_id > {offset['clauses']}"
        )
    # The imported circulated drafts are frozen; the ledger says who holds which draft.
    assert_frozen(other, moved("clauses", ids["clause"]))
    assert_frozen(other, moved("clauses", ids["clause2"]))
    for party in ("gov", "front"):
        assert held(other, moved("parties", ids[party])) == held(vault, ids[party])
        assert held(other, own[party]) == own_held[party]  # the vault's own, untouched
    assert [(h.number, h.latest) for h in drafts_held(other, moved("parties", ids["gov"]))] == [
        (1, False),
        (2, True),
    ]
    assert other.check() == []


def test_a_file_from_before_texts_still_imports(
    source: tuple[Vault, dict[str, int], Path], other: Vault, tmp_path: Path
) -> None:
    """Schema 0007: no texts tables, no deliveries.draft_id."""
    _vault, _ids, exported = source
    doc = json.loads(exported.read_text(encoding="utf-8"))
    doc["schema_revision"] = "0007"
    for table in TEXT_TABLES:
        del doc["tables"][table]
    for delivery in doc["tables"]["deliveries"]:
        del delivery["draft_id"]
    old = tmp_path / "old.json"
    old.write_text(json.dumps(doc), encoding="utf-8")
    counts = import_json(other, old)
    assert counts["deliveries"] == len(doc["tables"]["deliveries"]) > 0
    assert all(counts[t] == 0 for t in TEXT_TABLES)
    r = Records(other)
    assert r.find("text") == [] and all(d["draft_id"] is None for d in r.find("delivery"))
    assert [m["summary"] for m in r.find("message")] == [
        m["summary"] for m in doc["tables"]["messages"]
    ]
    assert other.check() == []


def _clause_from_the_confidence(doc: dict[str, Any], ids: dict[str, int]) -> None:
    [row] = [c for c in doc["tables"]["clauses"] if c["id"] == ids["clause"]]
    row["source_message_id"] = ids["secret"]


def _alternative_from_the_confidence(doc: dict[str, Any], ids: dict[str, int]) -> None:
    row = next(a for a in doc["tables"]["clause_alternatives"] if a["clause_id"] == ids["clause"])
    row["source_message_id"] = ids["secret"]


def _option_from_the_confidence(doc: dict[str, Any], ids: dict[str, int]) -> None:
    [row] = [o for o in doc["tables"]["clause_options"] if o["clause_id"] == ids["carrier"]]
    row["option_id"] = ids["hidden_option"]


TAMPERED: dict[str, Callable[[dict[str, Any], dict[str, int]], None]] = {
    "clause": _clause_from_the_confidence,
    "alternative": _alternative_from_the_confidence,
    "option": _option_from_the_confidence,
}


@pytest.mark.parametrize("how", list(TAMPERED))
def test_a_draft_delivery_a_party_may_not_see_is_refused_as_a_whole(
    source: tuple[Vault, dict[str, int], Path], other: Vault, tmp_path: Path, how: str
) -> None:
    """The import writes with Core inserts, which the flush guard does not see: the draft
    deliveries are checked after inserting (disclosure.drafts.stored_refusals), even when
    every id of the file is shifted past the vault's own records."""
    _vault, ids, exported = source
    doc = copy.deepcopy(json.loads(exported.read_text(encoding="utf-8")))
    TAMPERED[how](doc, ids)
    bad = tmp_path / f"bad-{how}.json"
    bad.write_text(json.dumps(doc), encoding="utf-8")
    build_texts(other, "Own talks")
    before = max_ids(other)
    with pytest.raises(ImportRefused, match="cannot go to Tern Bay") as refused:
        import_json(other, bad)
    assert "Nothing was imported" in str(refused.value)
    assert max_ids(other) == before
