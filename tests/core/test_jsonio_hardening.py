"""JSON import hardening (issue 15): every row passes the rules the GUI applies, links point at
records of the file, nothing outside the vault's range or a safe file name gets in, and the
vault's own settings and audit log are never taken from a file. Each refusal is one line that
names the table, the row and the field, and leaves the vault exactly as it was."""

from __future__ import annotations

import copy
import json
import os
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text

from app.core.errors import ImportRefused
from app.core.export import jsonio, jsonrows
from app.core.export.jsonio import export_json, import_json
from app.core.models import AuditEntry, Base
from app.core.models.base import LONG
from app.core.services.records import Records
from app.core.services.settings import BACKUP_FOLDER, get_setting, set_setting
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.core.test_records import build_one_of_each

INT_MAX = 2**63 - 1  # SQLite's largest integer
BIG = (INT_MAX - 31) // 32  # the largest id: the search index's rowid is id * 32 + kind code


@pytest.fixture
def doc(vault: Vault, tmp_path: Path) -> dict[str, Any]:
    """An export of one record of every kind, a tag and an attachment."""
    r = Records(vault)
    build_one_of_each(r)
    r.tag("message", 1, "urgent")
    r.attach("note", 1, "blob.bin", bytes(range(256)) * 4)
    return export(vault, tmp_path)


def export(vault: Vault, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "export.json"
    export_json(vault, path)
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def snapshot(vault: Vault) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, and the search index."""
    out: dict[str, list[tuple[Any, ...]]] = {}
    with vault.session() as s:
        for table in Base.metadata.sorted_tables:
            rows = s.execute(select(table).order_by(*table.primary_key.columns))
            out[table.name] = [tuple(row) for row in rows]
        out["search_index"] = [
            tuple(row) for row in s.execute(text("SELECT rowid, * FROM search_index"))
        ]
    return out


def write(tmp_path: Path, document: dict[str, Any], name: str = "bad.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document), encoding="utf-8")
    return path


def refused(vault: Vault, path: Path) -> str:
    """Import ``path``; it must be refused in one line and change nothing."""
    before = snapshot(vault)
    with pytest.raises(ImportRefused) as err:
        import_json(vault, path)
    message = str(err.value)
    assert "\n" not in message and "Traceback" not in message
    assert snapshot(vault) == before
    return message


def with_row(d: dict[str, Any], table: str, i: int, **changes: Any) -> dict[str, Any]:
    d = copy.deepcopy(d)
    d["tables"][table][i].update(changes)
    return d


# --- the models' own rules --------------------------------------------------------------------


def test_a_title_longer_than_the_limit_is_refused(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    bad = with_row(doc, "cases", 0, title="x" * 1_000_000)
    message = refused(vault, write(tmp_path, bad))
    assert message == (
        "The file is not imported: cases row 1 (id 1): the title is too long: "
        "1,000,000 characters, at most 200."
    )


def test_a_note_longer_than_the_limit_is_refused(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    """A 200 MB note is refused by the same rule; one character over the limit shows it."""
    bad = with_row(doc, "notes", 0, body="n" * (LONG + 1))
    message = refused(vault, write(tmp_path, bad))
    assert "notes row 1 (id 1): the body is too long: 1,000,001 characters" in message
    assert "at most 1,000,000" in message


@pytest.mark.parametrize(
    ("table", "field"), [("cases", "title"), ("parties", "name"), ("people", "name")]
)
def test_a_title_or_name_of_spaces_is_refused(
    vault: Vault, doc: dict[str, Any], tmp_path: Path, table: str, field: str
) -> None:
    bad = with_row(doc, table, 0, **{field: "   \t "})
    message = refused(vault, write(tmp_path, bad))
    row_id = doc["tables"][table][0]["id"]
    assert message == (
        f"The file is not imported: {table} row 1 (id {row_id}): the {field} cannot be empty."
    )


def test_an_optional_empty_title_still_imports(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    """A round's title may be left empty in the GUI, so an export may hold one."""
    ok = with_row(doc, "rounds", 0, title="")
    import_json(vault, write(tmp_path, ok, "ok.json"))
    assert [r["title"] for r in Records(vault).find("round")] == ["First trip", ""]


def test_a_value_outside_a_vocabulary_names_the_row_and_field(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    bad = with_row(doc, "messages", 0, disclosure="whispered")
    message = refused(vault, write(tmp_path, bad))
    assert message.startswith("The file is not imported: messages row 1 (id 1): ")
    assert "“whispered” is not a valid disclosure" in message


# --- links ----------------------------------------------------------------------------------


def test_a_link_to_a_record_not_in_the_file_is_refused(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    bad = with_row(doc, "messages", 0, sender_party_id=999)
    message = refused(vault, write(tmp_path, bad))
    assert message == (
        "The file is not imported: messages row 1 (id 1): the sender party links to "
        "parties id 999, which is not in the file."
    )


def test_a_tag_on_a_record_that_does_not_exist_is_refused(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    bad = with_row(doc, "taggings", 0, record_kind="message", record_id=999)
    message = refused(vault, write(tmp_path, bad))
    assert message == (
        "The file is not imported: taggings row 1 (id 1): the record links to "
        "messages id 999, which is not in the file."
    )


def test_a_tagging_of_a_tag_that_does_not_exist_is_refused(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    bad = with_row(doc, "taggings", 0, tag_id=42)
    message = refused(vault, write(tmp_path, bad))
    assert "taggings row 1 (id 1): the tag links to tags id 42, which is not in the file" in (
        message
    )


def test_an_attachment_of_a_record_that_does_not_exist_is_refused(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    """The record exists in the vault, but not in the file: into a vault that holds records,
    the import would otherwise hang the attachment on whatever record gets that id."""
    bad = with_row(doc, "attachments", 0, record_kind="case", record_id=99)
    message = refused(vault, write(tmp_path, bad))
    assert message == (
        "The file is not imported: attachments row 1 (id 1): the record links to "
        "cases id 99, which is not in the file."
    )


def test_the_same_id_twice_in_a_table_is_refused(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    bad = copy.deepcopy(doc)
    bad["tables"]["parties"][1]["id"] = bad["tables"]["parties"][0]["id"]
    message = refused(vault, write(tmp_path, bad))
    assert message == (
        "The file is not imported: parties row 2 (id 1): the id 1 is also the id of row 1."
    )


# --- numbers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("table", "field", "value", "words"),
    [
        ("cases", "id", 10**30, "the id must be a whole number from 1 to"),
        ("notes", "id", BIG + 1, "the id must be a whole number from 1 to 288,230,376,151,711,743"),
        ("messages", "case_id", 10**30, "the case must be a whole number from 1 to"),
        ("taggings", "record_id", -(10**30), "the record must be a whole number from 1 to"),
        ("rounds", "number", INT_MAX + 1, "the number must be a whole number from"),
        ("agenda_items", "position", -(2**63) - 1, "the position must be a whole number from"),
        ("cases", "id", 0, "the id must be a whole number from 1 to"),
        ("parties", "case_id", -1, "the case must be a whole number from 1 to"),
    ],
    ids=[
        "id",
        "id-past-search-index",
        "link",
        "record",
        "number-high",
        "position-low",
        "id-zero",
        "link-negative",
    ],
)
def test_a_number_outside_the_vault_range_is_refused(
    vault: Vault,
    doc: dict[str, Any],
    tmp_path: Path,
    table: str,
    field: str,
    value: int,
    words: str,
) -> None:
    bad = with_row(doc, table, 0, **{field: value})
    message = refused(vault, write(tmp_path, bad))
    assert message.startswith(f"The file is not imported: {table} row 1")
    assert words in message, message


def test_ids_that_would_overflow_after_the_vault_own_are_refused(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    """Valid in a new vault, but shifted past this vault's records they would not fit."""
    bad = copy.deepcopy(doc)
    case = bad["tables"]["cases"][0]
    case["id"] = BIG
    bad["tables"]["cases"] = [case]  # the one case (and no link to another)
    bad["tables"]["case_links"] = []
    for rows in bad["tables"].values():
        for row in rows:
            if "case_id" in row:
                row["case_id"] = BIG
    for row in bad["tables"]["taggings"] + bad["tables"]["attachments"]:
        if row["record_kind"] == "case":
            row["record_id"] = BIG
    message = refused(vault, write(tmp_path, bad))
    assert message.startswith(f"The file is not imported: cases row 1 (id {BIG}): ")
    assert "too large" in message
    fresh = Vault.create(tmp_path / "fresh.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    try:
        import_json(fresh, write(tmp_path, bad, "big.json"))  # nothing to shift past
        assert [c["id"] for c in Records(fresh).find("case")] == [BIG]
    finally:
        fresh.lock()


def test_a_date_time_that_leaves_the_calendar_in_utc_is_refused(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    bad = with_row(doc, "messages", 0, said_at="9999-12-31T23:00:00-05:00")
    message = refused(vault, write(tmp_path, bad))
    assert message.startswith("The file is not imported: messages row 1 (id 1): the said at")


def test_a_number_too_long_to_read_is_refused(vault: Vault, tmp_path: Path) -> None:
    path = tmp_path / "digits.json"
    path.write_text('{"format": "liaison-vault", "version": ' + "9" * 5000 + "}", "utf-8")
    message = refused(vault, path)
    assert "is not valid JSON" in message and "Nothing was imported" in message


# --- attachments --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "../../.bashrc",
        "/etc/passwd",
        "notes/../x.txt",
        "..",
        "C:\\Windows\\evil.dll",
        "a\x07b",
        "report\u202etxt.exe",
        "   ",
        "",
    ],
    ids=[
        "dotdot",
        "absolute",
        "inner-dotdot",
        "parent",
        "backslash",
        "control",
        "bidi",
        "spaces",
        "empty",
    ],
)
def test_an_attachment_name_that_is_not_a_plain_file_name_is_refused(
    vault: Vault, doc: dict[str, Any], tmp_path: Path, name: str
) -> None:
    bad = with_row(doc, "attachments", 0, filename=name)
    message = refused(vault, write(tmp_path, bad))
    assert message.startswith("The file is not imported: attachments row 1 (id 1): the filename ")
    assert "is not a plain file name" in message


def test_an_attachment_over_the_size_limit_is_refused(
    vault: Vault, doc: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit of the attach service (64 MB), patched down: the file's one is 1,024 bytes."""
    monkeypatch.setattr(jsonrows, "MAX_ATTACHMENT_BYTES", 1000)
    message = refused(vault, write(tmp_path, doc))
    assert message == (
        "The file is not imported: attachments row 2 (id 2): the data is 1,024 bytes; "
        "an attachment can be at most 1,000 bytes."
    )


def test_an_attachment_size_beyond_the_limit_is_refused(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    bad = with_row(doc, "attachments", 0, size=10**12)
    message = refused(vault, write(tmp_path, bad))
    assert message == (
        "The file is not imported: attachments row 1 (id 1): the size must be a whole number "
        "from 0 to 67,108,864, not 1,000,000,000,000."
    )


# --- the whole file ---------------------------------------------------------------------------


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    vault: Vault, doc: dict[str, Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(jsonio, "MAX_IMPORT_BYTES", 1000)
    path = write(tmp_path, doc, "big.json")
    monkeypatch.setattr(jsonio.json, "loads", lambda *a, **k: pytest.fail("parsed"))
    message = refused(vault, path)
    assert message.startswith("“big.json” is too large to import: ")
    assert "at most 1,000 bytes" in message


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
def test_a_stream_of_unknown_size_is_read_no_further_than_the_limit(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A pipe (or a device such as /dev/zero) has no size to check first: reading stops just
    past the limit instead of filling the memory."""
    monkeypatch.setattr(jsonio, "MAX_IMPORT_BYTES", 1000)
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)

    def feed() -> None:
        with open(pipe, "w", encoding="utf-8") as f:
            f.write('{"format": "liaison-vault", "pad": "' + "x" * 3000 + '"}')

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    message = refused(vault, pipe)
    writer.join()
    assert "is too large to import" in message


# --- what is never taken from a file ----------------------------------------------------------


def test_settings_and_audit_rows_of_the_file_are_ignored_and_the_import_is_one_entry(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    set_setting(vault, BACKUP_FOLDER, "/media/stick/backups")  # audited as a vault_settings row
    doc = export(vault, tmp_path)
    doc["tables"]["vault_settings"] = [
        {"key": BACKUP_FOLDER, "value": "/home/someone/.ssh"},
        {"key": "owner_name", "value": "Mallory"},
    ]
    forged = {
        "id": 99_999,
        "at": "2020-01-01T00:00:00+00:00",
        "action": "delete",
        "record_kind": "case",
        "record_id": 1,
        "label": "forged",
        "changes": "{}",
    }
    doc["tables"]["audit_log"].append(forged)
    doc["tables"]["audit_log"].append({"anything": "at all"})  # not even read
    path = write(tmp_path, doc, "from-laptop.json")
    fresh = Vault.create(tmp_path / "fresh.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    try:
        before = snapshot(fresh)
        counts = import_json(fresh, path)
        after = snapshot(fresh)
        assert after["vault_settings"] == before["vault_settings"]
        assert get_setting(fresh, BACKUP_FOLDER) == ""
        assert "vault_settings" not in counts and "audit_log" not in counts
        new = after["audit_log"][len(before["audit_log"]) :]
        assert len(new) == 1
        with fresh.session() as s:
            [entry] = s.scalars(select(AuditEntry).where(AuditEntry.id == new[0][0]))
            assert (entry.action.value, entry.record_kind, entry.record_id) == (
                "create",
                "import",
                0,
            )
            total = sum(counts.values())
            assert entry.label == f"from-laptop.json: {total:,} records"
            changes = json.loads(entry.changes)
            assert changes["file"] == "from-laptop.json"
            assert changes["records"] == {k: v for k, v in counts.items() if v}
            assert changes["not imported"] == {
                "audit_log": len(doc["tables"]["audit_log"]),
                "vault_settings": 2,
            }
            assert "forged" not in {e.label for e in s.scalars(select(AuditEntry))}
    finally:
        fresh.lock()


def test_a_valid_export_still_round_trips(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    """Also with a vault setting set: its audit entry once made every such export refused."""
    set_setting(vault, BACKUP_FOLDER, "/media/stick/backups")
    doc = export(vault, tmp_path)
    fresh = Vault.create(tmp_path / "fresh.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    try:
        import_json(fresh, write(tmp_path, doc, "export.json"))
        again = tmp_path / "again.json"
        export_json(fresh, again)
        tables = json.loads(again.read_text(encoding="utf-8"))["tables"]
        for name, rows in doc["tables"].items():
            if name not in ("audit_log", "vault_settings"):
                assert tables[name] == rows, name
        assert [a["record_kind"] for a in tables["audit_log"]][-1] == "import"
        [blob] = Records(fresh).attachments_of("note", 1)
        assert Records(fresh).attachment_data(blob.id) == bytes(range(256)) * 4
        assert fresh.check() == []
        # ...and the export of a vault that was imported into imports again.
        import_json(vault, again)
        assert vault.check() == []
    finally:
        fresh.lock()


def test_an_older_file_with_odd_lineage_ids_is_refused_not_crashed(
    vault: Vault, doc: dict[str, Any], tmp_path: Path
) -> None:
    """Upgrading a file of schema 0003 numbers the new lineage rows after the file's own: an
    id that is not a number there must reach validation, not stop the upgrade."""
    old = copy.deepcopy(doc)
    old["schema_revision"] = "0003"
    for option in old["tables"]["options"]:
        option["refined_from_id"] = None
    old["tables"]["option_links"][0]["id"] = "x"
    message = refused(vault, write(tmp_path, old))
    assert message.startswith("The file is not imported: option_links row 1: the id must be")
