"""Rebuilding a table, the way SQLite documents it, for changes ALTER TABLE cannot make
(a new CHECK, dropping a column that is a foreign key, reordering columns).

The new definition is a frozen ``sa.Table`` written in the migration (never the current
model, which keeps changing). Rows are copied for the columns both definitions share; the
old table's indexes and triggers (the full-text index is kept in step by triggers) are
re-created from their stored SQL. Runs inside the upgrade's transaction with foreign keys
off (see ``app.core.schema.upgrade``), so dropping the old table cascades nothing.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.schema import CreateTable


def rebuild_table(table: sa.Table, *, skip_indexes: tuple[str, ...] = ()) -> None:
    bind = op.get_bind()
    name = table.name
    kept = bind.exec_driver_sql(
        "SELECT name, sql FROM sqlite_master WHERE tbl_name = ? AND type IN ('index', 'trigger')"
        " AND sql IS NOT NULL ORDER BY type, name",
        (name,),
    ).fetchall()
    old_columns = {row[1] for row in bind.exec_driver_sql(f'PRAGMA table_info("{name}")')}
    shared = ", ".join(f'"{c.name}"' for c in table.columns if c.name in old_columns)
    ddl = str(CreateTable(table).compile(dialect=bind.dialect)).strip()
    prefix = f"CREATE TABLE {name} "
    assert ddl.startswith(prefix), ddl[:60]
    tmp = f"_rebuild_{name}"
    bind.exec_driver_sql(f"CREATE TABLE {tmp} " + ddl[len(prefix) :])
    bind.exec_driver_sql(f"INSERT INTO {tmp} ({shared}) SELECT {shared} FROM {name}")
    bind.exec_driver_sql(f"DROP TABLE {name}")
    # Triggers on other tables name this table; the modern RENAME would re-check them while
    # the table is missing and fail. The legacy rename only renames.
    bind.exec_driver_sql("PRAGMA legacy_alter_table = ON")
    try:
        bind.exec_driver_sql(f"ALTER TABLE {tmp} RENAME TO {name}")
    finally:
        bind.exec_driver_sql("PRAGMA legacy_alter_table = OFF")
    for index_or_trigger, sql in kept:
        if index_or_trigger not in skip_indexes:
            bind.exec_driver_sql(sql)


def referenced_tables(metadata: sa.MetaData, *names: str) -> None:
    """Stand-ins for the tables a frozen definition's foreign keys name, so it compiles."""
    for name in names:
        if name not in metadata.tables:
            sa.Table(name, metadata, sa.Column("id", sa.Integer, primary_key=True))
