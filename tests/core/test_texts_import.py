"""The JSON import writes with Core inserts (no flush guard): a draft delivered in the file
to a party that may not see one of its clauses is refused there too, and nothing imported."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.core.errors import ImportRefused
from app.core.export.jsonio import export_json, import_json
from app.core.models import Case
from app.core.services.text_circulation import circulate
from app.core.services.texts import add_clause
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.core import test_texts
from tests.core.test_texts import T0, working

case = test_texts.case  # the fixture


def test_an_imported_draft_delivery_is_checked_like_any_other(
    vault: Vault,
    case: dict[str, int],
    tmp_path: Path,
) -> None:
    d = working(vault, case["text"])
    clause = add_clause(vault, d, wording="Joint patrols", source_message_id=case["open"])
    circulate(vault, d, [case["front"]], at=T0)
    path = tmp_path / "vault.json"
    export_json(vault, path)
    doc = json.loads(path.read_text(encoding="utf-8"))
    # Tamper: the clause now comes from the government's confidence.
    [row] = [r for r in doc["tables"]["clauses"] if r["id"] == clause]
    row["source_message_id"] = case["secret"]
    path.write_text(json.dumps(doc), encoding="utf-8")
    fresh = Vault.create(tmp_path / "fresh.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    try:
        with pytest.raises(ImportRefused, match="Clause 1 cannot go to Front") as refused:
            import_json(fresh, path)
        assert "Nothing was imported" in str(refused.value)
        with fresh.session() as s:
            assert s.query(Case).count() == 0
    finally:
        fresh.lock()
