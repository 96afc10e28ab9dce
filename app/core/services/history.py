"""What undo needs from the core: a snapshot of everything a delete would take with it,
and a way to put it all back exactly (same ids, same links).

Deleting a case cascades to its parties, messages, sessions...; records elsewhere that
pointed at a deleted one have the link set to NULL. A snapshot records both, so that
restoring it undoes the delete completely.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, insert, select, update

from app.core.models import AuditAction, AuditEntry, Base, kinds, utcnow
from app.core.vault import Vault

_POLYMORPHIC = ("taggings", "attachments")


@dataclass
class Snapshot:
    root_kind: str
    root_id: int
    rows: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    # (table, id, column, value): links that the delete sets to NULL.
    nulled: list[tuple[str, Any, str, Any]] = field(default_factory=list)

    def count(self) -> int:
        return sum(len(r) for r in self.rows.values())


def _tables() -> dict[str, Table]:
    return {t.name: t for t in Base.metadata.sorted_tables}


def _kind_of_table() -> dict[str, str]:
    return {m.__tablename__: k for k, m in kinds().items()}


def snapshot(vault: Vault, kind: str, record_id: int) -> Snapshot:
    """Everything deleting ``kind #record_id`` would remove or change."""
    tables = _tables()
    kind_of = _kind_of_table()
    root_table = kinds()[kind].__tablename__
    snap = Snapshot(kind, record_id)
    with vault.session() as s:
        pending: list[tuple[str, set[Any]]] = [(root_table, {record_id})]
        seen: dict[str, set[Any]] = {}
        while pending:
            name, ids = pending.pop()
            ids = ids - seen.setdefault(name, set())
            if not ids:
                continue
            seen[name] |= ids
            table = tables[name]
            pk = next(iter(table.primary_key.columns))
            for row in s.execute(select(table).where(pk.in_(ids))).mappings():
                snap.rows.setdefault(name, []).append(dict(row))
            for other in tables.values():
                for fk in other.foreign_keys:
                    if fk.column.table.name != name:
                        continue
                    col = fk.parent
                    if fk.ondelete == "CASCADE":
                        if "id" in other.c:
                            child_ids = set(s.scalars(select(other.c.id).where(col.in_(ids))))
                            pending.append((other.name, child_ids))
                        else:  # association table: keep its rows as they are
                            for row in s.execute(select(other).where(col.in_(ids))).mappings():
                                rows = snap.rows.setdefault(other.name, [])
                                if dict(row) not in rows:
                                    rows.append(dict(row))
                    elif fk.ondelete == "SET NULL":
                        for rid, value in s.execute(select(other.c.id, col).where(col.in_(ids))):
                            snap.nulled.append((other.name, rid, col.key, value))
            record_kind = kind_of.get(name)
            if record_kind:
                for poly in _POLYMORPHIC:
                    t = tables[poly]
                    for row in s.execute(
                        select(t).where(t.c.record_kind == record_kind, t.c.record_id.in_(ids))
                    ).mappings():
                        snap.rows.setdefault(poly, []).append(dict(row))
    return snap


def restore(vault: Vault, snap: Snapshot) -> None:
    """Put a snapshot back in one transaction, and say so in the audit log."""
    tables = _tables()
    with vault.transaction() as s:
        conn = s.connection()
        conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
        for name, table in tables.items():  # parents before children
            rows = snap.rows.get(name)
            if rows:
                conn.execute(insert(table), rows)
        restored = {(name, row.get("id")) for name, rows in snap.rows.items() for row in rows}
        for name, rid, column, value in snap.nulled:
            if (name, rid) in restored:
                continue  # inserted above with its link intact
            t = tables[name]
            values: dict[str, Any] = {column: value}
            if "updated_at" in t.c:  # putting a link back is not an edit
                values["updated_at"] = t.c.updated_at
            conn.execute(update(t).where(t.c.id == rid).values(values))
        root_rows = snap.rows.get(kinds()[snap.root_kind].__tablename__, [])
        label_col = getattr(kinds()[snap.root_kind], "__label_column__", None)
        label = str(root_rows[0].get(label_col, "")) if root_rows and label_col else ""
        conn.execute(
            insert(AuditEntry),
            [
                {
                    "at": utcnow(),
                    "action": AuditAction.CREATE,
                    "record_kind": snap.root_kind,
                    "record_id": snap.root_id,
                    "label": label[:120],
                    "changes": json.dumps({"restored_records": snap.count()}),
                }
            ],
        )
