"""`liaison import-json` refuses a file that breaks the models' rules in one line, exit 1."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main


def test_an_id_beyond_sqlite_is_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.schema import head_revision

    monkeypatch.setenv("LIAISON_PASSPHRASE", "a long enough passphrase")
    src = tmp_path / "big-id.json"
    case = {"id": 10**30, "title": "Mountain pass talks"}
    doc = {
        "format": "liaison-vault",
        "version": 1,
        "schema_revision": head_revision(),
        "tables": {"cases": [case]},
    }
    src.write_text(json.dumps(doc), encoding="utf-8")
    vault = tmp_path / "imported.liaison"
    code = main(["import-json", str(vault), str(src)])
    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("liaison: The file is not imported: cases row 1: the id must be")
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert not vault.exists()
