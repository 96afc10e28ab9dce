"""Revision 0009 adds commitments and their course, outsiders, handovers and their items,
and case links, with full-text triggers. An older vault arrives with the new tables empty
and every row kept; what is written afterwards is searchable; the downgrade drops the new
tables and their triggers and leaves the rest as it was."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from alembic import command

from app.core import schema
from app.core.models import CommitmentStatus, Verification
from app.core.services.commitments import NewCommitment, NewOutcome, create_commitment
from app.core.services.commitments import record_outcome as record
from app.core.services.handovers import (
    NewHandoverItem,
    create_handover,
    create_outsider,
    link_cases,
)
from app.core.services.records import Records
from app.core.services.search import search
from app.core.vault import Vault
from tests.conftest import FAST_KDF
from tests.core.test_migrations import FIXTURES, raw, revision_of, snapshot
from tests.fixtures.make_fixture_vault import FIXTURE_PASSPHRASE

OLD_FIXTURE = next(p for p in FIXTURES if p.stem == "vault-0008")
NEW_TABLES = (
    "commitments",
    "commitment_events",
    "outsiders",
    "handovers",
    "handover_items",
    "case_links",
)
T0 = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


def open_vault(path: Path) -> Vault:
    v = Vault(path, kdf_sets=FAST_KDF)
    v.unlock(FIXTURE_PASSPHRASE)
    return v


def triggers(conn: Any) -> list[str]:
    names = ", ".join(f"'{t}'" for t in NEW_TABLES)
    return sorted(
        n
        for (n,) in conn.execute(
            f"SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({names})"
        )
    )


@pytest.fixture
def old(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / OLD_FIXTURE.name
    shutil.copyfile(OLD_FIXTURE, path)
    assert revision_of(path) == "0008"
    yield path


def test_an_older_vault_arrives_with_empty_commitments_and_every_row(old: Path) -> None:
    before = snapshot(old)
    v = open_vault(old)
    assert v.last_upgrade is not None and v.last_upgrade.from_revision == "0008"
    assert v.check() == []
    v.lock()
    after = snapshot(old)
    for table in NEW_TABLES:
        assert table not in before and after[table] == [], table
    for table, rows in before.items():
        if table not in ("alembic_version", "audit_log"):
            assert after[table] == rows, table
    conn = raw(old)
    try:
        assert triggers(conn) == sorted(
            f"search_{t}_{suffix}" for t in NEW_TABLES for suffix in ("ad", "ai", "au")
        )
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        conn.close()


def _write(v: Vault) -> dict[str, int]:
    r = Records(v)
    case_id = r.find("case")[0]["id"]
    party, other = (p["id"] for p in r.find("party", case_id=case_id)[:2])
    cid = create_commitment(
        v,
        case_id,
        NewCommitment(
            party_id=party,
            to_party_id=other,
            what="Open the Quillwort ferry",
            condition="once the Kessan bridge is inspected",
            made_at=T0,
            due_on=date(2026, 4, 30),
            disclosure="shareable",  # type: ignore[arg-type]
        ),
    )
    record(
        v,
        cid,
        NewOutcome(
            date(2026, 4, 20), CommitmentStatus.KEPT, "Velmar monitors", Verification.OUTSIDE
        ),
    )
    envoy = create_outsider(v, case_id, "Envoy Ostrakon", organisation="Hawthorn Foundation")
    create_handover(
        v, case_id, envoy, T0, [NewHandoverItem(finding="Both sides want the Tamsin ford open")]
    )
    official = r.create("case", title="Exploratory talks", track="1.5")
    link_cases(v, case_id, official, note="Brindle channel")
    return {"case": case_id, "party": party, "commitment": cid}


def test_commitments_written_after_the_upgrade_are_searchable(old: Path) -> None:
    v = open_vault(old)
    try:
        ids = _write(v)
        found = {
            word: {h.kind for h in search(v, word)}
            for word in (
                "Quillwort",
                "Kessan",
                "Velmar",
                "Ostrakon",
                "Hawthorn",
                "Tamsin",
                "Brindle",
            )
        }
        assert found == {
            "Quillwort": {"commitment"},
            "Kessan": {"commitment"},
            "Velmar": {"commitment_event"},
            "Ostrakon": {"outsider"},
            "Hawthorn": {"outsider"},
            "Tamsin": {"handover_item"},
            "Brindle": {"case_link"},
        }
        # A commitment is found under its party's scope and not another's.
        assert {h.kind for h in search(v, "Quillwort", party_id=ids["party"])} == {"commitment"}
        assert search(v, "Quillwort", case_id=ids["case"] + 1000) == []
    finally:
        v.lock()


def test_downgrade_drops_the_new_tables_and_keeps_the_rest(old: Path) -> None:
    v = open_vault(old)
    try:
        _write(v)
    finally:
        v.lock()
    before = snapshot(old)
    v = open_vault(old)
    try:
        with v.engine.connect() as conn, conn.begin():
            command.downgrade(schema.alembic_config(conn), "0008")
            assert conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall() == []
    finally:
        v.lock()
    assert revision_of(old) == "0008"
    after = snapshot(old)
    for table in NEW_TABLES:
        assert table not in after
    for table, rows in after.items():
        if table not in ("alembic_version", "search_index", "audit_log"):
            assert rows == before[table], table
    conn = raw(old)
    try:
        assert triggers(conn) == []
        assert conn.execute(
            "SELECT count(*) FROM search_index WHERE kind IN ('commitment', 'outsider')"
        ).fetchone() == (0,)
    finally:
        conn.close()
