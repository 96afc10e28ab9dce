"""The JSON interchange format of a whole vault (documented in docs/json-format.md).

Export writes every table, attachments as base64, to a temporary file renamed when complete.
Import validates the whole file before touching the vault, then inserts everything in one
transaction: a bad file is refused with one clear sentence and nothing is half-imported.
Importing into a vault that already holds records shifts the imported ids past the existing
ones (and merges tags by name), so two notebooks can be combined.
"""

from __future__ import annotations

import base64
import contextlib
import enum
import json
import os
import secrets
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Table, func, insert, select
from sqlalchemy.exc import IntegrityError

from app import __version__
from app.core import schema
from app.core.disclosure import handovers as handover_rule
from app.core.disclosure.drafts import stored_refusals
from app.core.errors import CourseRefused, ImportRefused
from app.core.export import jsonrows
from app.core.files import create_private_file, disk_error
from app.core.models import AuditEntry, Base, Commitment, kinds
from app.core.models.course import check_courses
from app.core.outputs import check_output
from app.core.services.shuttle import stored_violations
from app.core.vault import Vault

FORMAT = "liaison-vault"
FORMAT_VERSION = 1
# Larger files are refused before parsing: a laptop's memory is the limit, not the format.
MAX_IMPORT_BYTES = 2 * 1024**3
# Tables whose rows name another record by (record_kind, record_id) instead of a foreign key.
_POLYMORPHIC = jsonrows.POLYMORPHIC
# Never taken from a file, not even read: the vault's own settings (its backup folder, its
# owner's name) and its audit log, which tells what happened in this vault. An import is one
# audit entry of its own.
_NOT_IMPORTED = ("audit_log", "vault_settings")
_VIRTUAL_TABLES = {"search_index"}


def _tables() -> list[Table]:
    return list(Base.metadata.sorted_tables)


def _table_of_kind() -> dict[str, str]:
    return {kind: model.__tablename__ for kind, model in kinds().items()}


def _to_json(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    return value


# Rows (and, when writing, pieces of JSON text) between two "has a lock begun?" checks.
_CHECK_EVERY = 1000


def export_json(vault: Vault, dest: str | os.PathLike[str]) -> dict[str, int]:
    """Write the whole vault as JSON; returns the number of rows per table.

    Locking the vault stops it (``VaultLocked``) and leaves no file: it reads and writes as
    a reader of the vault (see :meth:`Vault.reader`) and checks for a lock as it goes.
    """
    dest_path = Path(dest)
    check_output(dest_path, vault)  # before reading it all, not only when writing
    counts: dict[str, int] = {}
    tables: dict[str, list[dict[str, Any]]] = {}
    with vault.reader():
        with vault.session() as s:
            revision = schema.current_revision(s.connection())
            for table in _tables():
                vault.check_not_locking()
                rows = s.execute(select(table).order_by(*table.primary_key.columns)).mappings()
                out: list[dict[str, Any]] = []
                for i, row in enumerate(rows, start=1):
                    out.append({k: _to_json(v) for k, v in row.items()})
                    if i % _CHECK_EVERY == 0:
                        vault.check_not_locking()
                tables[table.name] = out
                counts[table.name] = len(out)
        document = {
            "format": FORMAT,
            "version": FORMAT_VERSION,
            "schema_revision": revision,
            "exported_at": datetime.now(UTC).isoformat(),
            "exported_by": f"Liaison {__version__}",
            "tables": tables,
        }

        def write(f: Any) -> None:  # json.dump, with a check between pieces
            encoder = json.JSONEncoder(ensure_ascii=False, indent=1)
            for i, chunk in enumerate(encoder.iterencode(document), start=1):
                if i % _CHECK_EVERY == 0:
                    vault.check_not_locking()
                f.write(chunk)

        write_atomically(dest_path, write, vault=vault)
    return counts


def write_atomically(
    dest: Path,
    write: Callable[[Any], None],
    *,
    binary: bool = False,
    vault: Vault | None = None,
) -> None:
    """Write via a temporary file in the same folder, then rename: never a partial file.

    With ``vault`` the writing is a reader of that vault (see :meth:`Vault.reader`): a lock
    that begins before the rename stops it (``VaultLocked``), and no file is left behind;
    and ``dest`` may not be that vault, its side files or a copy of it (``OutputRefused``).
    The file is private to the user (0600), whatever the umask.
    """
    if vault is not None:
        check_output(dest, vault)
    if not dest.parent.is_dir():
        raise disk_error(FileNotFoundError(f"no folder {dest.parent}"), dest)
    tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.partial")
    reading = vault.reader() if vault is not None else contextlib.nullcontext()
    try:
        with reading:
            fd = create_private_file(tmp)
            with open(fd, "wb" if binary else "w", encoding=None if binary else "utf-8") as f:
                write(f)
                f.flush()
                os.fsync(f.fileno())
            if vault is not None:
                vault.check_not_locking()  # the last moment a lock can still stop it
            os.replace(tmp, dest)
    except OSError as exc:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise disk_error(exc, dest) from exc
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise


# --- import ---------------------------------------------------------------------------------


def _refuse(msg: str) -> ImportRefused:
    return ImportRefused(f"{jsonrows.printable(msg)} Nothing was imported.")


def read_document(src: str | os.PathLike[str]) -> dict[str, Any]:
    path = Path(src)
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise _refuse(f"“{path}” cannot be read ({exc.strerror}).") from exc
    if path.is_dir():
        raise _refuse(f"“{path.name}” is a folder, not a Liaison JSON file.")
    limit = MAX_IMPORT_BYTES
    if size > limit:
        raise _refuse(
            f"“{path.name}” is too large to import: {jsonrows.size_words(size)}, at most "
            f"{jsonrows.size_words(limit)}."
        )
    try:
        with open(path, encoding="utf-8") as f:
            # A pipe or a device (/dev/zero) has no size to check first: read no further
            # than the limit (in characters, each at least one byte).
            text = f.read(limit + 1)
        if len(text) > limit:
            raise _refuse(
                f"“{path.name}” is too large to import: more than {jsonrows.size_words(limit)}."
            )
        doc = json.loads(text)
        del text
    except UnicodeDecodeError as exc:
        raise _refuse(f"“{path.name}” is not a text (UTF-8) file.") from exc
    except OSError as exc:
        raise _refuse(f"“{path}” cannot be read ({exc.strerror}).") from exc
    except json.JSONDecodeError as exc:
        raise _refuse(
            f"“{path.name}” is not valid JSON (line {exc.lineno}, column {exc.colno}: {exc.msg})."
        ) from exc
    except ValueError as exc:  # Python reads no integer of more than 4,300 digits
        raise _refuse(
            f"“{path.name}” is not valid JSON for Liaison: a number is too long."
        ) from exc
    except RecursionError as exc:
        raise _refuse(f"“{path.name}” is nested too deeply to be a Liaison file.") from exc
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise _refuse(f"“{path.name}” is JSON, but not a Liaison export.")
    return doc


# --- documents from an older Liaison ----------------------------------------------------------


def _option_links_from_refined_from(tables: dict[str, Any]) -> None:
    """0004: "refined from" moved from a column of options into the lineage table."""
    options = tables.get("options")
    if not isinstance(options, list):
        return
    links = tables.setdefault("option_links", [])
    ids = [link.get("id") for link in links if isinstance(link, dict)]
    next_id = 1 + max((i for i in ids if isinstance(i, int)), default=0)
    for option in options:
        if not isinstance(option, dict):
            continue  # validation refuses it with the usual message
        parent = option.pop("refined_from_id", None)
        if parent is not None and parent != option.get("id"):
            link = {"id": next_id, "option_id": option.get("id"), "parent_id": parent}
            link["kind"] = "refined"
            if option.get("raised_on"):
                link["linked_on"] = option["raised_on"]
            links.append(link)
            next_id += 1


# How a document written at one schema revision is brought to the next, keyed by the newer
# revision; None when the tables a document holds did not change (an index, the search
# index, column order). Every revision needs an entry: a test checks that none is missing.
DOCUMENT_UPGRADES: dict[str, Callable[[dict[str, Any]], None] | None] = {
    "0002": None,  # a new table (vault settings)
    "0003": None,  # the search index only
    "0004": _option_links_from_refined_from,
    "0005": None,  # the column order of messages only
    "0006": None,  # an index of options only
    "0007": None,  # an index of rounds only
    "0008": None,  # new tables (texts), deliveries.draft_id empty: older files fit as they are
    "0009": None,  # new tables (commitments, handovers, case links): older files fit as they are
}


def _upgrade_document(doc: dict[str, Any], revision: str) -> None:
    """Bring a document from an older revision to the head, step by step, in place."""
    steps = [r.revision for r in schema.script_directory().iterate_revisions("head", revision)]
    tables = doc.get("tables")
    for step in reversed(steps):  # iterate_revisions walks from the head down
        if step == revision:
            continue
        if step not in DOCUMENT_UPGRADES:
            raise _refuse(f"This Liaison cannot read files of schema “{revision}”.")
        upgrade = DOCUMENT_UPGRADES[step]
        if upgrade is not None and isinstance(tables, dict):
            upgrade(tables)
    doc["schema_revision"] = schema.head_revision()


def validate_document(doc: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Check everything and convert to column values; raises ImportRefused on the first fault."""
    version = doc.get("version")
    if not isinstance(version, int) or version < 1:
        raise _refuse("The file has no valid format version.")
    if version > FORMAT_VERSION:
        raise _refuse(
            f"The file was written by a newer Liaison (format {version}); update Liaison first."
        )
    revision = doc.get("schema_revision")
    head = schema.head_revision()
    if revision != head:
        known = isinstance(revision, str) and schema.is_known_revision(revision)
        if not known:
            shown = jsonrows.shown(revision)
            raise _refuse(f"The file's schema “{shown}” is unknown to this Liaison.")
        assert isinstance(revision, str)
        _upgrade_document(doc, revision)  # written by an older Liaison: read it as today's
    tables = doc.get("tables")
    if not isinstance(tables, dict):
        raise _refuse("The file has no “tables” section.")
    known_tables = {t.name: t for t in _tables()}
    unknown = set(tables) - set(known_tables) - _VIRTUAL_TABLES
    if unknown:
        raise _refuse(f"The file has unknown tables: {jsonrows.names(unknown)}.")
    table_of_kind = _table_of_kind()
    out: dict[str, list[dict[str, Any]]] = {}
    ids: dict[str, dict[int, int]] = {}
    for name, table in known_tables.items():
        if name in _NOT_IMPORTED:
            continue
        rows = tables.get(name, [])
        if not isinstance(rows, list):
            raise _refuse(f"“{name}” must be a list of records.")
        read = jsonrows.row_reader(name, table, set(table_of_kind))
        out[name] = [read(i, row) for i, row in enumerate(rows, start=1)]
        if "id" in table.c:
            ids[name] = jsonrows.check_ids(name, out[name])
    for name, rows in out.items():
        jsonrows.check_links(name, known_tables[name], rows, ids, table_of_kind)
    return out


def import_json(vault: Vault, src: str | os.PathLike[str]) -> dict[str, int]:
    """Import a JSON export into the vault in one transaction; returns rows per table.

    The file's vault settings and audit entries are skipped; the import is one audit entry.
    """
    doc = read_document(src)
    rows_by_table = validate_document(doc)
    skipped = {
        name: len(rows) if isinstance(rows := doc["tables"].get(name), list) else 0
        for name in _NOT_IMPORTED
    }
    table_of_kind = _table_of_kind()
    tables = {t.name: t for t in _tables() if t.name not in _NOT_IMPORTED}
    counts: dict[str, int] = {}
    try:
        with vault.transaction() as s:
            conn = s.connection()
            # Links are checked when the transaction commits, so order within a table
            # (a reply before the message it answers) does not matter.
            conn.exec_driver_sql("PRAGMA defer_foreign_keys = ON")
            offsets: dict[str, int] = {}
            for name, table in tables.items():
                if "id" in table.c:
                    top = s.scalar(select(func.coalesce(func.max(table.c.id), 0)))
                    offsets[name] = int(top or 0)
                    jsonrows.check_room(name, rows_by_table.get(name, []), offsets[name])
            tag_ids = _merge_tags(s, rows_by_table.get("tags", []), offsets)

            def shift(target_table: str, value: int | None) -> int | None:
                if value is None:
                    return None
                if target_table == "tags":
                    # An unknown tag stays unknown: the link check at commit refuses it.
                    return tag_ids.get(value, value + offsets.get("tags", 0))
                return value + offsets.get(target_table, 0)

            for name, table in tables.items():
                rows = rows_by_table.get(name, [])
                if name == "tags":
                    rows = [r for r in rows if tag_ids[r["id"]] == r["id"] + offsets["tags"]]
                fks = {fk.parent.key: fk.column.table.name for fk in table.foreign_keys}
                shifted = []
                for row in rows:
                    new = dict(row)
                    if "id" in new:
                        new["id"] = shift(name, new["id"])
                    for col, target in fks.items():
                        new[col] = shift(target, new[col])
                    if name in _POLYMORPHIC:
                        new["record_id"] = shift(
                            table_of_kind[new["record_kind"]], new["record_id"]
                        )
                    shifted.append(new)
                for start in range(0, len(shifted), 2000):
                    conn.execute(insert(table), shifted[start : start + 2000])
                counts[name] = len(rows)
            # Core inserts bypass the flush listener: check the imported deliveries here.
            leaks = stored_violations(s, after_item_id=offsets.get("delivery_items", 0))
            if leaks:
                raise _refuse(f"A delivery in the file breaks a disclosure rule: {leaks[0].text}")
            drafts = stored_refusals(s, after_delivery_id=offsets.get("deliveries", 0))
            if drafts:
                raise _refuse(f"A draft in the file went to a party: {drafts[0].text}")
            handed = handover_rule.stored_refusals(s, after_handover_id=offsets.get("handovers", 0))
            if handed:
                raise _refuse(f"A handover in the file breaks a disclosure rule: {handed[0].text}")
            # The course rules (no outcome before the promise, conditions in order) too.
            check_courses(
                s,
                s.scalars(
                    select(Commitment.id).where(Commitment.id > offsets.get("commitments", 0))
                ),
            )
            # Core inserts bypass the audit hook too: the import is one entry of its own.
            entry = jsonrows.import_entry(Path(src).name, counts, skipped)
            conn.execute(insert(AuditEntry), [entry])
    except IntegrityError as exc:
        raise _refuse(f"The file's records do not fit together ({exc.orig}).") from exc
    except CourseRefused as exc:
        raise _refuse(f"A commitment in the file has an impossible course: {exc}") from exc
    return counts


def _merge_tags(s: Any, rows: list[dict[str, Any]], offsets: dict[str, int]) -> dict[int, int]:
    """Imported tag id -> id in this vault: an existing tag of the same name is reused."""
    from app.core.models import Tag

    existing = {name: tid for tid, name in s.execute(select(Tag.id, Tag.name))}
    out: dict[int, int] = {}
    for row in rows:
        out[row["id"]] = existing.get(row["name"], row["id"] + offsets.get("tags", 0))
    return out
