"""Schema upgrades: every committed fixture vault reaches head with every row kept, a backup
is taken first, a failed upgrade changes nothing, a newer vault is refused untouched."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import sqlcipher3
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from app.core import schema
from app.core.errors import UpgradeFailed, VaultTooNew
from app.core.models import Base
from app.core.vault import Vault, derive_key
from tests.conftest import FAST_KDF
from tests.fixtures.make_fixture_vault import FIXTURE_PASSPHRASE

FIXTURES = sorted((Path(__file__).parents[1] / "fixtures").glob("vault-*.liaison"))


def raw(path: Path) -> sqlcipher3.Connection:
    salt = path.read_bytes()[:16]
    key = derive_key(FIXTURE_PASSPHRASE, salt, FAST_KDF[0])
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


Row = dict[str, object]

# Columns a later revision moved elsewhere; test_moved_columns_arrive checks where they went.
MOVED = {("options", "refined_from_id")}
# Columns a later revision added, empty in every older row (0008: a delivery may convey a draft).
ADDED = {("deliveries", "draft_id")}


def snapshot(path: Path) -> dict[str, list[Row]]:
    """Every row of every ordinary table by column name (the FTS shadow tables are derived;
    a rebuilt table may order its columns differently)."""
    conn = raw(path)
    conn.row_factory = sqlcipher3.Row
    try:
        names = [
            n
            for (n,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'search_index%' AND name != 'alembic_version'"
            )
        ]
        return {
            n: sorted((dict(r) for r in conn.execute(f'SELECT * FROM "{n}"')), key=repr)
            for n in names
        }
    finally:
        conn.close()


def without_moved(table: str, rows: list[Row]) -> list[Row]:
    return sorted(({k: v for k, v in r.items() if (table, k) not in MOVED} for r in rows), key=repr)


def without_added(table: str, rows: list[Row]) -> list[Row]:
    """Rows as an older revision had them: an added column must arrive empty."""
    out = []
    for r in rows:
        for k in [k for k in r if (table, k) in ADDED]:
            assert r.pop(k) is None, f"{table}.{k} of an old row is not empty"
        out.append(r)
    return out


def revision_of(path: Path) -> str:
    conn = raw(path)
    try:
        return str(conn.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    finally:
        conn.close()


def test_there_is_a_fixture_for_the_initial_revision() -> None:
    assert any(p.name == "vault-0001.liaison" for p in FIXTURES)


def test_models_and_migrations_agree(vault: Vault) -> None:
    with vault.engine.connect() as conn:
        ctx = MigrationContext.configure(
            conn,
            opts={
                "compare_type": True,
                "include_object": lambda o, name, *a: not (name or "").startswith("search_index"),
            },
        )
        assert compare_metadata(ctx, Base.metadata) == []


def test_constraint_names_are_those_of_the_models(vault: Vault) -> None:
    """A rebuilt table keeps the names the models give its constraints (a rebuild without
    the naming convention once named a CHECK "option_status" instead of
    "ck_options_option_status")."""
    import re

    from sqlalchemy.schema import CreateTable

    named = re.compile(r"CONSTRAINT (\w+)")
    with vault.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            stored = conn.exec_driver_sql(
                "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (table.name,)
            ).scalar()
            model = str(CreateTable(table).compile(dialect=conn.dialect))
            assert sorted(named.findall(stored)) == sorted(named.findall(model)), table.name


@pytest.mark.parametrize("fixture", FIXTURES, ids=[p.stem for p in FIXTURES])
def test_every_fixture_upgrades_to_head_keeping_every_row(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / fixture.name
    shutil.copyfile(fixture, path)
    before = snapshot(path)
    old_revision = revision_of(path)
    assert sum(len(rows) for rows in before.values()) > 50
    v = Vault(path, kdf_sets=FAST_KDF)
    v.unlock(FIXTURE_PASSPHRASE)
    head = schema.head_revision()
    if old_revision != head:
        assert v.last_upgrade is not None and v.last_upgrade.to_revision == head
        backup = v.last_upgrade.backup_path
        assert backup is not None and backup.exists()
    assert v.check() == []
    from app.core.services.search import search

    # The full-text index is rebuilt by the upgrade: old records are found, also by case.
    hits = search(v, "Fixture message", case_id=1, kinds=("message",), limit=100)
    assert len(hits) == 40
    v.lock()
    after = snapshot(path)
    for table, rows in before.items():
        old_columns = set(rows[0]) if rows else set()
        arrived = [
            r if set(r) <= old_columns else without_added(table, [dict(r)])[0] for r in after[table]
        ]
        assert without_moved(table, arrived) == without_moved(table, rows), (
            f"rows of {table} changed in the upgrade"
        )
    # 0004: "refined from" became a lineage link.
    refined = {
        (r["id"], r["refined_from_id"]) for r in before["options"] if r.get("refined_from_id")
    }
    if refined:
        links = {
            (r["option_id"], r["parent_id"])
            for r in after["option_links"]
            if r["kind"] == "refined"
        }
        assert refined <= links
    assert revision_of(path) == head
    if old_revision != head:
        assert revision_of(backup) == old_revision
        assert snapshot(backup) == before


def test_failed_upgrade_leaves_the_vault_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "old.liaison"
    shutil.copyfile(FIXTURES[0], path)
    before = snapshot(path)
    real_upgrade = schema.command.upgrade

    def upgrade_then_fail(cfg: object, target: str) -> None:
        real_upgrade(cfg, target)  # type: ignore[arg-type]
        raise RuntimeError("injected failure after the last step")

    monkeypatch.setattr(schema.command, "upgrade", upgrade_then_fail)
    v = Vault(path, kdf_sets=FAST_KDF)
    with pytest.raises(UpgradeFailed, match="left as it was") as exc:
        v.unlock(FIXTURE_PASSPHRASE)
    assert not v.is_unlocked
    assert "before-upgrade" in str(exc.value)
    backups = list(tmp_path.glob("old.before-upgrade-*.liaison"))
    assert len(backups) == 1
    assert revision_of(path) == "0001"
    assert snapshot(path) == before
    monkeypatch.undo()
    v.unlock(FIXTURE_PASSPHRASE)  # and it upgrades fine next time
    v.lock()


def test_vault_from_a_newer_liaison_is_refused_untouched(vault: Vault) -> None:
    path = vault.path
    vault.lock()
    salt = path.read_bytes()[:16]
    from tests.conftest import PASSPHRASE

    key = derive_key(PASSPHRASE, salt, FAST_KDF[0])
    conn = sqlcipher3.connect(str(path))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    conn.execute("UPDATE alembic_version SET version_num = '9999_from_the_future'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(VaultTooNew, match="newer version"):
        Vault(path, kdf_sets=FAST_KDF).unlock(PASSPHRASE)
    assert path.read_bytes() == before
