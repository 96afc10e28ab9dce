"""The vault's schema version: checked on every open, upgraded with a backup first.

A vault written by a newer Liaison (an unknown revision) is refused rather than touched.
An upgrade runs in one transaction, so a failure or a kill leaves the old revision intact;
before it starts, an encrypted copy of the vault is written beside it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Connection

import migrations
from app.core.errors import NotAVault, UpgradeFailed, VaultTooNew

if TYPE_CHECKING:
    from app.core.vault import UpgradeInfo, Vault

MIGRATIONS_DIR = Path(migrations.__file__).resolve().parent


def alembic_config(connection: Connection | None = None) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    if connection is not None:
        cfg.attributes["connection"] = connection
    return cfg


def script_directory() -> ScriptDirectory:
    return ScriptDirectory.from_config(alembic_config())


def head_revision() -> str | None:
    return script_directory().get_current_head()


def is_known_revision(revision: str) -> bool:
    try:
        return script_directory().get_revision(revision) is not None
    except Exception:  # alembic raises for ids it cannot resolve
        return False


def current_revision(conn: Connection) -> str | None:
    return MigrationContext.configure(conn).get_current_revision()


def upgrade(conn: Connection, target: str = "head") -> None:
    """Upgrade in the caller's connection, inside one transaction the caller commits.

    Foreign keys are off while tables are rebuilt (SQLite cannot switch them inside a
    transaction, and a rebuild with them on would cascade deletes); they are checked
    before commit instead.
    """
    driver = conn.connection.driver_connection  # below SQLAlchemy's autobegin
    assert driver is not None
    driver.execute("PRAGMA foreign_keys = OFF")
    try:
        with conn.begin():
            command.upgrade(alembic_config(conn), target)
            broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            if broken:
                raise RuntimeError(f"the upgrade left {len(broken)} broken links")
    finally:
        driver.execute("PRAGMA foreign_keys = ON")


def ensure_current(vault: Vault) -> UpgradeInfo | None:
    """Bring the vault to the head revision; returns what was done (None if nothing)."""
    from app.core.vault import UpgradeInfo

    head = head_revision()
    with vault.engine.connect() as conn:
        current = current_revision(conn)
        user_tables = conn.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
        ).scalar()
        conn.rollback()
    if current == head or head is None:
        return None
    if current is None and user_tables:
        raise NotAVault(f"“{vault.path.name}” is an encrypted database, but not a Liaison vault.")
    if current is not None and not is_known_revision(current):
        raise VaultTooNew(
            f"“{vault.path.name}” was written by a newer version of Liaison. "
            "Update Liaison to open it; the file was not changed."
        )
    backup = None
    if current is not None:
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
        stem = f"{vault.path.stem}.before-upgrade-{current[:12]}-{stamp}"
        backup = vault.path.with_name(stem + vault.path.suffix)
        n = 1
        while backup.exists():  # an earlier attempt in the same second
            n += 1
            backup = vault.path.with_name(f"{stem}-{n}{vault.path.suffix}")
        vault.backup_to(backup)
    try:
        with vault.engine.connect() as conn:
            upgrade(conn, head)
    except Exception as exc:
        where = f" A copy from before the upgrade is at “{backup}”." if backup else ""
        raise UpgradeFailed(
            f"Liaison could not upgrade “{vault.path.name}”; the vault was left as it was.{where}"
        ) from exc
    return UpgradeInfo(from_revision=current, to_revision=head, backup_path=backup)
