"""Revision 0005 rebuilds the messages table with its short columns first: every row, index,
trigger and constraint survives; search, cascades and checks work as before."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import sqlcipher3
from alembic import command

from app.core import schema
from app.core.models.shuttle import Message
from app.core.services.records import Records
from app.core.services.search import search
from app.core.vault import Vault
from tests.conftest import FAST_KDF
from tests.core.test_migrations import FIXTURES, raw, revision_of, snapshot, without_added
from tests.fixtures.make_fixture_vault import FIXTURE_PASSPHRASE

SHORT_FIRST = [
    "id",
    "case_id",
    "round_id",
    "sender_party_id",
    "sender_person_id",
    "recipient_party_id",
    "recipient_person_id",
    "said_at",
    "disclosure",
    "embargo_until",
    "in_reply_to_id",
    "created_at",
    "updated_at",
    "summary",
    "place",
    "content",
]
ORIGINAL = [
    "id",
    "case_id",
    "round_id",
    "sender_party_id",
    "sender_person_id",
    "recipient_party_id",
    "recipient_person_id",
    "said_at",
    "place",
    "content",
    "summary",
    "disclosure",
    "embargo_until",
    "in_reply_to_id",
    "created_at",
    "updated_at",
]
# Far longer than a page: its tail lives in overflow pages.
LONG = "Verbatim: ნდობა / доверие / ثقة / trust. " * 700
NEWEST_OLD_FIXTURE = max(p for p in FIXTURES if p.stem <= "vault-0004")


def columns(conn: Any) -> list[str]:
    return [row[1] for row in conn.execute("PRAGMA table_info(messages)")]


def schema_of_messages(conn: Any) -> dict[str, str]:
    """The stored SQL of the messages table, its indexes and triggers, and of every other
    trigger that reads messages (those of releases), by name."""
    return dict(
        conn.execute(
            "SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND "
            "(tbl_name = 'messages' OR (type = 'trigger' AND sql LIKE '%messages%'))"
        ).fetchall()
    )


def definition_lines(sql: str) -> list[str]:
    """A CREATE TABLE statement's column and constraint lines, in order."""
    body = sql[sql.index("(") + 1 : sql.rindex(")")]
    return [line.strip().rstrip(",").strip() for line in body.splitlines() if line.strip()]


def message_index_entries(conn: Any) -> list[tuple[Any, ...]]:
    return conn.execute(
        "SELECT rowid, kind, record_id, case_id, scope, title, body FROM search_index "
        "WHERE kind = 'message' ORDER BY rowid"
    ).fetchall()


@pytest.fixture
def at_0004(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the newest older fixture, upgraded to 0004 only, with a few more messages:
    long content (overflow pages), an embargo, a reply, a person as sender, no summary."""
    path = tmp_path / "at-0004.liaison"
    shutil.copyfile(NEWEST_OLD_FIXTURE, path)
    with monkeypatch.context() as m:
        m.setattr(schema, "head_revision", lambda: "0004")
        v = Vault(path, kdf_sets=FAST_KDF)
        v.unlock(FIXTURE_PASSPHRASE)
        try:
            with v.raw_connection() as conn:
                assert columns(conn) == ORIGINAL
                case_id, party_id, first = conn.execute(
                    "SELECT case_id, sender_party_id, min(id) FROM messages"
                ).fetchone()
                person_id = conn.execute("SELECT min(id) FROM people").fetchone()[0]
                assert person_id is not None
                insert = (
                    "INSERT INTO messages (case_id, sender_party_id, sender_person_id, said_at, "
                    "place, content, summary, disclosure, embargo_until, in_reply_to_id, "
                    "created_at, updated_at) VALUES (?, ?, ?, '2026-02-01 09:30:00.000000', "
                    "?, ?, ?, ?, ?, ?, '2026-02-01 10:00:00.000000', '2026-02-02 11:00:00.000000')"
                )
                conn.execute("BEGIN")
                conn.execute(
                    insert,
                    (case_id, party_id, None, "Tbilisi, the old library", LONG,
                     "Summary after long content: overflowing " + "ა" * 300,
                     "embargoed", "2026-03-01 00:00:00.000000", first),
                )  # fmt: skip
                conn.execute(
                    insert,
                    (case_id, None, person_id, "", "No summary, only words: quillwort", "",
                     "unattributed", None, None),
                )  # fmt: skip
                conn.execute("COMMIT")
        finally:
            v.lock()
    assert revision_of(path) == "0004"
    yield path


def open_vault(path: Path) -> Vault:
    v = Vault(path, kdf_sets=FAST_KDF)
    v.unlock(FIXTURE_PASSPHRASE)
    return v


def test_upgrade_keeps_every_row_and_puts_long_text_last(at_0004: Path) -> None:
    before = snapshot(at_0004)
    conn = raw(at_0004)
    try:
        old_schema = schema_of_messages(conn)
        old_index = message_index_entries(conn)
    finally:
        conn.close()
    assert any(r["content"] == LONG for r in before["messages"])

    v = open_vault(at_0004)
    assert v.last_upgrade is not None and v.last_upgrade.from_revision == "0004"
    assert v.check() == []
    v.lock()

    assert revision_of(at_0004) == schema.head_revision()
    # Every row of every table, messages included, by column name (later revisions' new
    # tables and columns aside: they arrive empty).
    after = {t: without_added(t, rows) for t, rows in snapshot(at_0004).items() if t in before}
    assert after == before
    conn = raw(at_0004)
    try:
        assert columns(conn) == SHORT_FIRST
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        new_schema = schema_of_messages(conn)
        assert message_index_entries(conn) == old_index
    finally:
        conn.close()
    # Same indexes and triggers (messages' own re-created, those of releases untouched)...
    assert {k: v for k, v in new_schema.items() if k != "messages"} == {
        k: v for k, v in old_schema.items() if k != "messages"
    }
    assert sorted(n for n in new_schema if n.startswith("search_")) == [
        "search_messages_ad",
        "search_messages_ai",
        "search_messages_au",
        "search_releases_ai",
        "search_releases_au",
    ]
    # ...and the same columns and constraints, word for word; only the order changed.
    old_lines = definition_lines(old_schema["messages"])
    new_lines = definition_lines(new_schema["messages"])
    assert sorted(new_lines) == sorted(old_lines)
    assert [line.split()[0] for line in new_lines[: len(SHORT_FIRST)]] == SHORT_FIRST
    assert [line for line in new_lines if line.startswith("CONSTRAINT")] == [
        line for line in old_lines if line.startswith("CONSTRAINT")
    ]


def test_a_new_vault_and_an_upgraded_one_agree_with_the_model(at_0004: Path, vault: Vault) -> None:
    open_vault(at_0004).lock()
    conn = raw(at_0004)
    try:
        upgraded = schema_of_messages(conn)
    finally:
        conn.close()
    with vault.raw_connection() as fresh:
        assert schema_of_messages(fresh) == upgraded
        assert columns(fresh) == SHORT_FIRST
    assert [c.name for c in Message.__table__.columns] == SHORT_FIRST


def test_search_follows_messages_after_the_upgrade(at_0004: Path) -> None:
    v = open_vault(at_0004)
    try:
        r = Records(v)
        # Messages indexed before the upgrade are still found.
        assert [h.kind for h in search(v, "quillwort")] == ["message"]
        assert len(search(v, "overflowing", kinds=("message",))) == 1
        case_id = r.find("case")[0]["id"]
        party_id = r.find("party", case_id=case_id)[0]["id"]
        mid = r.create(
            "message",
            case_id=case_id,
            sender_party_id=party_id,
            summary="Bridge repairs",
            content="The ferry crossing at Kessan " + LONG,
            place="Kessan pier",
        )
        assert [(h.kind, h.record_id) for h in search(v, "Kessan", case_id=case_id)] == [
            ("message", mid)
        ]
        assert [h.record_id for h in search(v, "ferry", party_id=party_id)] == [mid]
        r.update("message", mid, content="The ford at Velmar", place="")
        assert search(v, "Kessan") == []
        assert [h.record_id for h in search(v, "Velmar")] == [mid]
        assert [h.record_id for h in search(v, "Bridge repairs")] == [mid]
        r.delete("message", mid)
        assert search(v, "Velmar") == [] and search(v, "Bridge repairs") == []
        # The triggers of releases read messages (the case of the released message).
        other = r.find("message", case_id=case_id)[0]["id"]
        with v.raw_connection() as conn:
            conn.execute(
                "INSERT INTO releases (message_id, party_id, released_by, released_at, reason, "
                "attribution_allowed, created_at, updated_at) VALUES (?, NULL, 'me', "
                "'2026-04-01 00:00:00.000000', 'Rhododendron accord', 0, "
                "'2026-04-01 00:00:00.000000', '2026-04-01 00:00:00.000000')",
                (other,),
            )
        hits = search(v, "Rhododendron", case_id=case_id)
        assert [(h.kind, h.case_id) for h in hits] == [("release", case_id)]
    finally:
        v.lock()


def test_deleting_a_case_still_deletes_its_messages(at_0004: Path) -> None:
    v = open_vault(at_0004)
    try:
        with v.raw_connection() as conn:
            case_id, n = conn.execute(
                "SELECT case_id, count(*) FROM messages GROUP BY case_id ORDER BY 2 DESC"
            ).fetchone()
            assert n > 40
            conn.execute("DELETE FROM cases WHERE id = ?", (case_id,))
            assert conn.execute(
                "SELECT count(*) FROM messages WHERE case_id = ?", (case_id,)
            ).fetchone() == (0,)
            assert conn.execute(
                "SELECT count(*) FROM search_index WHERE kind = 'message' AND case_id = ?",
                (case_id,),
            ).fetchone() == (0,)
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        v.lock()


def test_constraints_still_refuse_bad_rows(at_0004: Path) -> None:
    v = open_vault(at_0004)
    try:
        with v.raw_connection() as conn:
            case_id, party_id = conn.execute(
                "SELECT case_id, sender_party_id FROM messages WHERE sender_party_id IS NOT NULL"
            ).fetchone()
            insert = (
                "INSERT INTO messages (case_id, sender_party_id, said_at, place, content, "
                "summary, disclosure, embargo_until, in_reply_to_id, created_at, updated_at) "
                "VALUES (?, ?, '2026-01-01', '', '', '', ?, ?, ?, '2026-01-01', '2026-01-01')"
            )
            bad = [
                ((case_id, None, "shareable", None, None), "ck_messages_has_sender"),
                ((case_id, party_id, "embargoed", None, None), "ck_messages_embargo_date"),
                ((case_id, party_id, "shareable", "2027-01-01", None), "ck_messages_embargo_date"),
                ((case_id, party_id, "public", None, None), "ck_messages_disclosure"),
                ((999_999, party_id, "shareable", None, None), "FOREIGN KEY"),
                ((case_id, 999_999, "shareable", None, None), "FOREIGN KEY"),
                ((case_id, party_id, "shareable", None, 999_999), "FOREIGN KEY"),
            ]
            for values, error in bad:
                with pytest.raises(sqlcipher3.IntegrityError, match=error):
                    conn.execute(insert, values)
            conn.execute(insert, (case_id, party_id, "shareable", None, None))  # a good one
            assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        v.lock()


def test_downgrade_restores_the_old_order(at_0004: Path) -> None:
    before = snapshot(at_0004)
    v = open_vault(at_0004)
    try:
        with v.engine.connect() as conn:
            driver = conn.connection.driver_connection
            assert driver is not None
            driver.execute("PRAGMA foreign_keys = OFF")
            with conn.begin():
                command.downgrade(schema.alembic_config(conn), "0004")
                assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
            driver.execute("PRAGMA foreign_keys = ON")
    finally:
        v.lock()
    assert revision_of(at_0004) == "0004"
    assert snapshot(at_0004) == before
    conn = raw(at_0004)
    try:
        assert columns(conn) == ORIGINAL
    finally:
        conn.close()
