"""Revision 0008 adds the texts (texts, text_drafts, clauses, clause_alternatives,
clause_options, critiques), deliveries.draft_id in place, and full-text triggers for the new
tables. An older vault arrives with the new tables empty and no delivery conveying a draft;
what is written afterwards is searchable; the downgrade drops the new tables and the column
and keeps every delivery (one that conveyed a draft stays, as a plain delivery)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command

from app.core import schema
from app.core.services.records import Records
from app.core.services.search import search
from app.core.services.text_circulation import circulate
from app.core.services.text_critiques import record_critique
from app.core.services.texts import NewAlternative, add_clause, create_text, set_alternatives
from app.core.vault import Vault
from tests.conftest import FAST_KDF
from tests.core.test_migration_0005 import definition_lines
from tests.core.test_migrations import FIXTURES, raw, revision_of, snapshot
from tests.fixtures.make_fixture_vault import FIXTURE_PASSPHRASE

OLD_FIXTURE = next(p for p in FIXTURES if p.stem == "vault-0005")
NEW_TABLES = (
    "texts",
    "text_drafts",
    "clauses",
    "clause_alternatives",
    "clause_options",
    "critiques",
)
SEARCHED = ("texts", "text_drafts", "clauses", "clause_alternatives", "critiques")
NEW_KINDS = ("text", "draft", "clause", "alternative", "critique")
T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def open_vault(path: Path) -> Vault:
    v = Vault(path, kdf_sets=FAST_KDF)
    v.unlock(FIXTURE_PASSPHRASE)
    return v


def tables(conn: Any) -> set[str]:
    return {n for (n,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def delivery_columns(conn: Any) -> list[str]:
    return [row[1] for row in conn.execute("PRAGMA table_info(deliveries)")]


def schema_of_deliveries(conn: Any) -> dict[str, str]:
    """The stored SQL of the deliveries table, its indexes and triggers, by name."""
    return dict(
        conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND tbl_name = 'deliveries'"
        ).fetchall()
    )


def text_triggers(conn: Any) -> list[str]:
    placeholders = ", ".join("?" for _ in SEARCHED)
    return sorted(
        n
        for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            f" AND tbl_name IN ({placeholders})",
            SEARCHED,
        )
    )


@pytest.fixture
def old(tmp_path: Path) -> Path:
    path = tmp_path / OLD_FIXTURE.name
    shutil.copyfile(OLD_FIXTURE, path)
    assert revision_of(path) == "0005"
    return path


@pytest.fixture
def at_0007(old: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The older fixture upgraded to 0007 only: the revision 0008 starts from."""
    with monkeypatch.context() as m:
        m.setattr(schema, "head_revision", lambda: "0007")
        open_vault(old).lock()
    assert revision_of(old) == "0007"
    yield old


def test_an_older_vault_arrives_with_empty_texts_and_no_draft_deliveries(old: Path) -> None:
    before = snapshot(old)
    v = open_vault(old)
    assert v.last_upgrade is not None and v.last_upgrade.from_revision == "0005"
    assert v.check() == []
    v.lock()
    assert revision_of(old) == schema.head_revision()
    after = snapshot(old)
    for table in NEW_TABLES:
        assert table not in before and after[table] == [], table
    assert len(before["deliveries"]) >= 1
    assert [r.pop("draft_id") for r in after["deliveries"]] == [None] * len(before["deliveries"])
    assert after["deliveries"] == before["deliveries"]
    conn = raw(old)
    try:
        assert "draft_id" in delivery_columns(conn)
        assert text_triggers(conn) == sorted(
            f"search_{t}_{suffix}" for t in SEARCHED for suffix in ("ad", "ai", "au")
        )
        kinds = ", ".join(f"'{k}'" for k in NEW_KINDS)
        assert conn.execute(
            f"SELECT count(*) FROM search_index WHERE kind IN ({kinds})"
        ).fetchone() == (0,)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def test_texts_written_after_the_upgrade_are_searchable(old: Path) -> None:
    v = open_vault(old)
    try:
        r = Records(v)
        case_id = r.find("case")[0]["id"]
        party_id, other_id = (p["id"] for p in r.find("party", case_id=case_id)[:2])
        text_id = create_text(v, case_id, "Quillwort accord", purpose="Ferry timetable")
        [draft] = [d["id"] for d in r.find("draft", text_id=text_id)]
        clause = add_clause(
            v, draft, wording="The ferry at Kessan runs {1}.", proposed_by_party_id=party_id
        )
        set_alternatives(v, clause, [NewAlternative(1, other_id, "twice a day by Velmar ford")])
        circulate(v, draft, [party_id, other_id], at=T0, note="Sent with the Ostrakon letter")
        record_critique(v, clause, other_id, "rejects", note="Hawthorn objection")
        found = {
            word: [(h.kind, h.record_id) for h in search(v, word, case_id=case_id)]
            for word in ("Quillwort", "Kessan", "Velmar", "Ostrakon", "Hawthorn")
        }
        # The text by its title (and the deliveries of its draft, which name it).
        assert [k for k, i in found["Quillwort"] if k != "delivery"] == ["text"]
        assert ("text", text_id) in found["Quillwort"]
        assert [k for k, _ in found["Kessan"]] == ["clause", "clause"]  # draft 1 and its copy
        assert {k for k, _ in found["Velmar"]} == {"alternative"}
        assert found["Ostrakon"] == [("draft", draft)]
        assert [k for k, _ in found["Hawthorn"]] == ["critique"]
        # The scope tokens: a clause by its proposer, an alternative and a critique by party.
        assert {h.kind for h in search(v, "Kessan", party_id=party_id)} == {"clause"}
        assert search(v, "Kessan", party_id=other_id) == []
        assert {h.kind for h in search(v, "Hawthorn", party_id=other_id)} == {"critique"}
        assert search(v, "Kessan", case_id=case_id + 1000) == []
    finally:
        v.lock()


def downgrade_to_0007(path: Path) -> None:
    v = open_vault(path)
    try:
        with v.engine.connect() as conn:
            driver = conn.connection.driver_connection
            assert driver is not None
            driver.execute("PRAGMA foreign_keys = OFF")
            with conn.begin():
                command.downgrade(schema.alembic_config(conn), "0007")
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            driver.execute("PRAGMA foreign_keys = ON")
    finally:
        v.lock()


def test_downgrade_drops_the_texts_and_keeps_every_delivery(at_0007: Path) -> None:
    before = snapshot(at_0007)
    conn = raw(at_0007)
    try:
        old_schema = schema_of_deliveries(conn)
        old_tables = tables(conn)
    finally:
        conn.close()
    # At head: a draft circulated to a party (a delivery conveying it) and a critique.
    v = open_vault(at_0007)
    try:
        r = Records(v)
        case_id = r.find("case")[0]["id"]
        party_id = r.find("party", case_id=case_id)[0]["id"]
        text_id = create_text(v, case_id, "Quillwort accord")
        [draft] = [d["id"] for d in r.find("draft", text_id=text_id)]
        clause = add_clause(v, draft, wording="The ferry at Kessan runs daily.")
        [delivery] = circulate(v, draft, [party_id], at=T0).delivery_ids
        record_critique(v, clause, party_id, "accepts")
    finally:
        v.lock()

    downgrade_to_0007(at_0007)
    assert revision_of(at_0007) == "0007"
    after = snapshot(at_0007)
    conn = raw(at_0007)
    try:
        assert tables(conn) == old_tables
        assert "draft_id" not in delivery_columns(conn)
        # Its columns, constraints, indexes and triggers as they were (the rebuilt table's
        # name is quoted in its stored SQL: that is all).
        new_schema = schema_of_deliveries(conn)
        table_sql = new_schema.pop("deliveries")
        assert definition_lines(table_sql) == definition_lines(old_schema.pop("deliveries"))
        assert new_schema == old_schema
        assert text_triggers(conn) == []
        kinds = ", ".join(f"'{k}'" for k in NEW_KINDS)
        assert conn.execute(
            f"SELECT count(*) FROM search_index WHERE kind IN ({kinds})"
        ).fetchone() == (0,)
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()
    # Every delivery stays: the old ones as they were, the draft's as a plain delivery.
    [kept] = [d for d in after["deliveries"] if d["id"] == delivery]
    assert kept["recipient_party_id"] == party_id and "Quillwort accord" in str(kept["content"])
    assert [d for d in after["deliveries"] if d["id"] != delivery] == before["deliveries"]
    for table, rows in before.items():
        if table not in ("deliveries", "audit_log"):
            assert after[table] == rows, table

    # And up again: the delivery is found in search and conveys no draft any more.
    v = open_vault(at_0007)
    try:
        hits = search(v, "Quillwort", case_id=case_id)
        assert [(h.kind, h.record_id) for h in hits] == [("delivery", delivery)]
        assert Records(v).get("delivery", delivery)["draft_id"] is None
        assert Records(v).find("text") == []
    finally:
        v.lock()
