"""JSON interchange: a round trip loses nothing; a bad file is refused and imports nothing."""

from __future__ import annotations

import copy
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import text

from app.core.errors import ImportRefused, WriteFailed
from app.core.export.jsonio import FORMAT_VERSION, export_json, import_json
from app.core.services.records import Records
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.core.test_records import build_one_of_each


def tables_of(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))["tables"]


def counts(vault: Vault) -> dict[str, int]:
    with vault.session() as s:
        names = [
            n
            for (n,) in s.execute(
                text(
                    "SELECT name FROM sqlite_master "
                    "WHERE type = 'table' AND name NOT LIKE 'search_index_%'"
                )
            )
        ]
        return {n: s.execute(text(f'SELECT count(*) FROM "{n}"')).scalar() or 0 for n in names}


def search_rows(vault: Vault) -> list[tuple[Any, ...]]:
    with vault.session() as s:
        return [
            tuple(r)
            for r in s.execute(
                text(
                    "SELECT rowid, kind, record_id, case_id, title, body "
                    "FROM search_index ORDER BY rowid"
                )
            )
        ]


@pytest.fixture
def exported(vault: Vault, tmp_path: Path) -> Path:
    r = Records(vault)
    build_one_of_each(r)
    r.tag("message", 1, "σημαντικό")
    r.attach("note", 1, "blob.bin", bytes(range(256)) * 4)
    out = tmp_path / "export.json"
    export_json(vault, out)
    return out


def test_round_trip_into_a_new_vault_loses_nothing(
    vault: Vault, exported: Path, tmp_path: Path
) -> None:
    fresh = Vault.create(tmp_path / "fresh.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    import_json(fresh, exported)
    again = tmp_path / "again.json"
    export_json(fresh, again)
    # Everything but the vault's own audit log (the import is its one entry) and settings.
    got, sent = tables_of(again), tables_of(exported)
    assert [e["record_kind"] for e in got.pop("audit_log")].count("import") == 1
    got.pop("vault_settings")
    del sent["audit_log"], sent["vault_settings"]
    assert got == sent
    assert search_rows(fresh) == search_rows(vault)
    [blob] = Records(fresh).attachments_of("note", 1)
    assert Records(fresh).attachment_data(blob.id) == bytes(range(256)) * 4
    assert fresh.check() == []
    fresh.lock()


def test_import_into_a_vault_with_records_shifts_ids_and_merges_tags(
    vault: Vault, exported: Path
) -> None:
    before = counts(vault)
    import_json(vault, exported)
    after = counts(vault)
    for table, n in before.items():
        if table in ("alembic_version", "search_index"):  # bookkeeping, derived
            continue
        if table == "tags":  # merged by name
            assert after[table] == n
        elif table == "audit_log":  # the import is one entry; the file's are not imported
            assert after[table] == n + 1
        elif table == "vault_settings":  # never taken from a file
            assert after[table] == n
        else:
            assert after[table] == 2 * n, table
    r = Records(vault)
    msgs = r.find("message")
    assert [m["id"] for m in msgs] == [1, 2]
    # ids shift past those already there (the vault had as many cases as the file)
    assert msgs[1]["round_id"] == 2 and msgs[1]["case_id"] == 1 + before["cases"]
    assert r.tags_of("message", 2) == ["σημαντικό"]
    assert vault.check() == []


def _doc(path: Path) -> dict[str, Any]:
    return json.loads(path.read_text(encoding="utf-8"))


BAD_DOCUMENTS = {
    "not json": lambda d: "{not json",
    "not an export": lambda d: {"hello": "world"},
    "newer format": lambda d: {**d, "version": FORMAT_VERSION + 1},
    "unknown schema": lambda d: {**d, "schema_revision": "9999"},
    "unknown table": lambda d: {**d, "tables": {**d["tables"], "secrets": []}},
    "unknown field": lambda d: _set(d, "cases", 0, "colour", "red"),
    "bad enum": lambda d: _set(d, "messages", 0, "disclosure", "whispered"),
    "naive date": lambda d: _set(d, "messages", 0, "said_at", "2026-01-01T10:00:00"),
    "text as id": lambda d: _set(d, "messages", 0, "case_id", "one"),
    "missing required": lambda d: _drop(d, "parties", 0, "name"),
    "dangling link": lambda d: _set(d, "messages", 0, "sender_party_id", 999),
    "bad base64": lambda d: _set(d, "attachments", 0, "data", {"base64": "%%%"}),
    "unknown kind": lambda d: _set(d, "taggings", 0, "record_kind", "spaceship"),
    "check violated": lambda d: _set(
        d, "messages", 0, "embargo_until", "2027-01-01T00:00:00+00:00"
    ),
}


def _set(d: dict[str, Any], table: str, i: int, key: str, value: Any) -> dict[str, Any]:
    d = copy.deepcopy(d)
    d["tables"][table][i][key] = value
    return d


def _drop(d: dict[str, Any], table: str, i: int, key: str) -> dict[str, Any]:
    d = copy.deepcopy(d)
    del d["tables"][table][i][key]
    return d


@pytest.mark.parametrize("name", list(BAD_DOCUMENTS))
def test_bad_files_are_refused_and_nothing_is_imported(
    vault: Vault, exported: Path, tmp_path: Path, name: str
) -> None:
    bad = BAD_DOCUMENTS[name](_doc(exported))
    path = tmp_path / "bad.json"
    path.write_text(bad if isinstance(bad, str) else json.dumps(bad), encoding="utf-8")
    before = counts(vault)
    with pytest.raises(ImportRefused, match=r"Nothing was imported|The file is not imported"):
        import_json(vault, path)
    assert counts(vault) == before


def test_binary_and_missing_files_are_refused(vault: Vault, tmp_path: Path) -> None:
    binary = tmp_path / "x.json"
    binary.write_bytes(b"\xff\xfe\x00garbage")
    with pytest.raises(ImportRefused, match="not a text"):
        import_json(vault, binary)
    with pytest.raises(ImportRefused, match="cannot be read"):
        import_json(vault, tmp_path / "missing.json")
    with pytest.raises(ImportRefused, match="folder"):
        import_json(vault, tmp_path)


def test_export_to_missing_or_read_only_folder_fails_cleanly(vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(WriteFailed):
        export_json(vault, tmp_path / "no" / "such" / "x.json")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        import os

        if os.access(ro, os.W_OK):  # running as root: permissions are not enforced
            pytest.skip("root ignores folder permissions")
        with pytest.raises(WriteFailed, match="read-only"):
            export_json(vault, ro / "x.json")
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o700)


_leaf = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 10**6),
    st.text(max_size=20),
    st.sampled_from(["shareable", "2026-01-01T10:00:00+00:00", "case", {"base64": "AA=="}]),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_fuzzed_documents_import_fully_or_not_at_all(
    vault: Vault, exported: Path, tmp_path: Path, data: st.DataObject
) -> None:
    doc = _doc(exported)
    tables = [t for t, rows in doc["tables"].items() if rows]
    for _ in range(data.draw(st.integers(1, 3))):
        table = data.draw(st.sampled_from(tables))
        row = data.draw(st.sampled_from(doc["tables"][table]))
        key = data.draw(st.sampled_from([*row.keys(), "extra"]))
        row[key] = data.draw(_leaf)
    path = tmp_path / "fuzz.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    before = counts(vault)
    try:
        import_json(vault, path)
    except ImportRefused:
        assert counts(vault) == before
    else:
        after = counts(vault)
        assert all(after[t] >= before[t] for t in before)
    assert vault.check() == []


@pytest.mark.parametrize(
    ("err", "words"),
    [(28, "disk is full"), (13, "read-only"), (30, "read-only")],
    ids=["ENOSPC", "EACCES", "EROFS"],
)
def test_write_failures_leave_no_partial_file(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int, words: str
) -> None:
    """A full disk or a read-only folder, simulated (the suite runs as root, where
    permissions are not enforced): one clear sentence, no file, no temporary left over."""
    import builtins
    import os

    from app.core.export import jsonio

    real_open = builtins.open

    class FailingFile:
        def __init__(self, path: str, *a: Any, **k: Any) -> None:
            self._f = real_open(path, *a, **k)
            self.written = 0

        def write(self, s: str) -> int:
            self.written += len(s)
            if self.written > 100:
                raise OSError(err, os.strerror(err))
            return self._f.write(s)

        def __getattr__(self, name: str) -> Any:
            return getattr(self._f, name)

        def __enter__(self) -> FailingFile:
            return self

        def __exit__(self, *exc: object) -> None:
            self._f.close()

    monkeypatch.setattr(jsonio, "open", FailingFile, raising=False)
    dest = tmp_path / "out.json"
    with pytest.raises(WriteFailed, match=words):
        export_json(vault, dest)
    assert not dest.exists()
    assert not list(tmp_path.glob("*.partial"))


def test_every_schema_revision_says_how_an_older_document_is_upgraded() -> None:
    from app.core import schema
    from app.core.export.jsonio import DOCUMENT_UPGRADES

    revisions = [r.revision for r in schema.script_directory().walk_revisions()]
    assert set(revisions) - {"0001"} == set(DOCUMENT_UPGRADES)


def test_a_file_from_an_older_liaison_is_imported_with_its_lineage(
    vault: Vault, tmp_path: Path
) -> None:
    """A file exported before lineage had its own table (schema 0003): "refined from" was a
    column of options. It imports, and the refinement becomes a lineage link."""
    r = Records(vault)
    case = r.create("case", title="Old file")
    first = r.create("option", case_id=case, title="Draft", raised_on=date(2026, 2, 1))
    second = r.create("option", case_id=case, title="Draft, refined", raised_on=date(2026, 3, 1))
    dest = tmp_path / "old.json"
    export_json(vault, dest)
    doc = json.loads(dest.read_text(encoding="utf-8"))
    # Turn today's export into what Liaison wrote at schema 0003.
    doc["schema_revision"] = "0003"
    del doc["tables"]["option_links"]
    for option in doc["tables"]["options"]:
        option["refined_from_id"] = first if option["id"] == second else None
    dest.write_text(json.dumps(doc), encoding="utf-8")
    target = Vault.create(tmp_path / "new.liaison", "passphrase", kdf_sets=FAST_KDF)
    try:
        import_json(target, dest)
        [link] = Records(target).find("option_link")
        assert (link["option_id"], link["parent_id"], link["kind"].value) == (
            second,
            first,
            "refined",
        )
        assert link["linked_on"] == date(2026, 3, 1)
    finally:
        target.lock()
