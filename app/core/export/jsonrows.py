"""The rows of an imported JSON file, checked as the GUI checks what a user types.

The import inserts with Core statements, which the session's flush hooks never see: every
rule of ``app.core.models.hooks.validate`` (lengths, required titles and names) is applied
here instead, with the vocabularies, SQLite's integer range, links to records of the same
file (foreign keys and the ``record_kind``/``record_id`` of tags and attachments), safe
attachment names and the attachment size limit of the attach service. A fault is refused
in one line naming the table, the row and the field.
"""

from __future__ import annotations

import base64
import json
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, Enum, LargeBinary, Table, TypeDecorator

from app.core.errors import ImportRefused, ValidationError
from app.core.models import AuditAction, utcnow
from app.core.models.hooks import field_label, needs_text, too_long
from app.core.services.records import MAX_ATTACHMENT_BYTES, coerce_column

# SQLite stores 64-bit signed integers; ids and links to them are positive, and small enough
# for the search index, whose rowid is ``id * 32 + kind code`` (migrations 0001 and 0003).
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
MAX_ID = (INT_MAX - 31) // 32
# Tables whose rows name another record by (record_kind, record_id) instead of a foreign key.
POLYMORPHIC = ("taggings", "attachments")
# What could make a value from a file read as something else: controls (a new line, a bell,
# an escape), line and paragraph separators, and bidirectional embeddings, overrides and
# isolates ("report\u202etxt.exe" shows as "reportexe.txt").
_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _unsafe(c: str) -> bool:
    return c in _BIDI or unicodedata.category(c) in ("Cc", "Zl", "Zp")


def printable(text: str) -> str:
    """``text`` with what could break a one-line message written as escapes (``\\u000a``)."""
    if text.isprintable():
        return text
    return "".join(f"\\u{ord(c):04x}" if _unsafe(c) else c for c in text)


def shown(value: Any, limit: int = 60) -> str:
    """A value from the file as a message may quote it: printable and short."""
    text = printable(str(value))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def names(items: set[str]) -> str:
    """A few names from the file (table or field names), for a message."""
    listed = [shown(n, 40) for n in sorted(items)[:5]]
    more = len(items) - len(listed)
    return ", ".join(listed) + (f" and {more:,} more" if more else "")


def size_words(n: int) -> str:
    if n < 10_000:
        return f"{n:,} bytes"
    if n < 2**30:
        return f"{n / 2**20:,.1f} MB"
    return f"{n / 2**30:,.1f} GB"


def where(table: str, position: int, row: Any) -> str:
    """``cases row 3 (id 7)``: the row by its place in the file, and its id when it has one."""
    rid = row.get("id") if isinstance(row, dict) else None
    if isinstance(rid, int) and not isinstance(rid, bool) and 1 <= rid <= MAX_ID:
        return f"{table} row {position} (id {rid})"
    return f"{table} row {position}"


def row_refusal(place: str, problem: str) -> ImportRefused:
    """One line: "The file is not imported: cases row 3 (id 7): the title is too long: …"."""
    problem = printable(problem.strip().rstrip("."))
    if problem.startswith("The "):
        problem = "t" + problem[1:]
    if len(problem) > 400:
        problem = problem[:399] + "…"
    return ImportRefused(f"The file is not imported: {place}: {problem}.")


def column_default(column: Column[Any]) -> Any:
    default = column.default
    if default is None:
        return None
    arg = getattr(default, "arg", None)
    return arg(None) if callable(arg) else arg


def converter(column: Column[Any]) -> Callable[[Any], Any]:
    """JSON value -> column value; raises ValidationError in the user's words."""
    typ = column.type.impl_instance if isinstance(column.type, TypeDecorator) else column.type
    label = field_label(column.key)
    if isinstance(typ, LargeBinary):

        def from_base64(value: Any) -> Any:
            if value is None and column.nullable:
                return None
            if not (isinstance(value, dict) and isinstance(value.get("base64"), str)):
                raise ValidationError(f'The {column.key} must be {{"base64": "…"}}.')
            encoded: str = value["base64"]
            # Refused by its length, before the bytes are decoded (and held twice).
            size = len(encoded) // 4 * 3 - encoded[-2:].count("=")
            if size > MAX_ATTACHMENT_BYTES:
                raise ValidationError(
                    f"The {label} is {size_words(size)}; an attachment can be at most "
                    f"{size_words(MAX_ATTACHMENT_BYTES)}."
                )
            try:
                return base64.b64decode(encoded, validate=True)
            except ValueError:
                raise ValidationError(f"The {column.key} is not valid base64.") from None

        return from_base64
    if isinstance(typ, Enum):

        def to_enum(value: Any) -> Any:
            # No value of a vocabulary is this long: quote only its start in the refusal.
            if isinstance(value, str) and len(value) > 60:
                value = value[:57] + "..."
            return coerce_column(column, value)

        return to_enum
    return lambda value: coerce_column(column, value)


def check_value(column: Column[Any], value: Any, *, link: bool) -> None:
    """The rules a converted value must meet (``link``: an id or a link to one)."""
    if value is None:
        if not column.nullable:
            raise ValidationError(f"The {field_label(column.key)} is required.")
        return
    label = field_label(column.key)
    if isinstance(value, str):
        limit = too_long(column, value)
        if limit is not None:
            raise ValidationError(
                f"The {label} is too long: {len(value):,} characters, at most {limit:,}."
            )
        # Blank where the GUI would refuse it; an optional title left empty is its default.
        if needs_text(column) and not value.strip() and value != column_default(column):
            raise ValidationError(f"The {label} cannot be empty.")
    elif isinstance(value, int) and not isinstance(value, bool):
        low, high = (1, MAX_ID) if link else (INT_MIN, INT_MAX)
        if not low <= value <= high:
            raise ValidationError(
                f"The {label} must be a whole number from {low:,} to {high:,}, "
                f"not {shown(value, 40)}."
            )
    elif isinstance(value, datetime):
        try:
            value.astimezone(UTC)  # stored in UTC: a year 9999 evening west of Greenwich is not
        except OverflowError:
            raise ValidationError(
                f"The {label} “{shown(value.isoformat())}” is outside the dates Liaison can "
                "store (years 1 to 9999, in UTC)."
            ) from None


def check_file_name(name: str) -> None:
    """An attachment's name is a plain file name: it may be offered for saving as it is."""
    if not name.strip() or name in (".", "..") or any(c in "/\\" or _unsafe(c) for c in name):
        raise ValidationError(
            f"The filename “{shown(name)}” is not a plain file name (no folders, no “..”, "
            "no control characters, not blank)."
        )


def row_reader(
    name: str, table: Table, kind_names: set[str]
) -> Callable[[int, Any], dict[str, Any]]:
    """A function that converts and checks the row at ``position`` of table ``name``."""
    columns = {c.key: c for c in table.columns}
    converters = {k: converter(c) for k, c in columns.items()}
    links = {c.key for c in table.columns if c.foreign_keys}
    if "id" in columns:
        links.add("id")
    if name in POLYMORPHIC:
        links.add("record_id")

    def read(position: int, row: Any) -> dict[str, Any]:
        place = where(name, position, row)
        if not isinstance(row, dict):
            raise row_refusal(place, "it is not an object")
        extra = set(row) - set(columns)
        if extra:
            raise row_refusal(place, f"unknown fields: {names(extra)}")
        values: dict[str, Any] = {}
        try:
            for key, column in columns.items():
                if key in row:
                    value = converters[key](row[key])
                elif not column.nullable and column.default is None:
                    raise ValidationError(f"The required field “{key}” is missing.")
                else:
                    value = column_default(column)
                check_value(column, value, link=key in links)
                values[key] = value
            if name in POLYMORPHIC and values["record_kind"] not in kind_names:
                raise ValidationError(
                    f"The record kind “{shown(values['record_kind'])}” is not a kind of record."
                )
            if name == "attachments":
                check_file_name(values["filename"])
                if not 0 <= values["size"] <= MAX_ATTACHMENT_BYTES:
                    raise ValidationError(
                        f"The size must be a whole number from 0 to {MAX_ATTACHMENT_BYTES:,}, "
                        f"not {values['size']:,}."
                    )
        except ValidationError as exc:
            raise row_refusal(place, str(exc)) from exc
        return values

    return read


def check_ids(name: str, rows: list[dict[str, Any]]) -> dict[int, int]:
    """id -> position of the rows of ``name``; the same id twice is refused."""
    seen: dict[int, int] = {}
    for position, values in enumerate(rows, start=1):
        rid = values["id"]
        first = seen.setdefault(rid, position)
        if first != position:
            raise row_refusal(
                where(name, position, values), f"the id {rid} is also the id of row {first}"
            )
    return seen


def check_links(
    name: str,
    table: Table,
    rows: list[dict[str, Any]],
    ids: dict[str, dict[int, int]],
    table_of_kind: dict[str, str],
) -> None:
    """Every link of every row names a record of the file (its ids are shifted with it)."""
    fks = [
        (c.key, fk.column.table.name)
        for c in table.columns
        for fk in c.foreign_keys
        if fk.column.key == "id"
    ]
    for position, values in enumerate(rows, start=1):
        targets = list(fks)
        if name in POLYMORPHIC:
            targets.append(("record_id", table_of_kind[values["record_kind"]]))
        for key, target in targets:
            value = values[key]
            if value is not None and value not in ids.get(target, {}):
                raise row_refusal(
                    where(name, position, values),
                    f"the {field_label(key)} links to {target} id {value}, "
                    "which is not in the file",
                )


def check_room(name: str, rows: list[dict[str, Any]], offset: int) -> None:
    """Shifted past this vault's own records, the file's ids must still be in range."""
    if not rows or not offset:
        return
    position, top = max(enumerate((r["id"] for r in rows), start=1), key=lambda p: p[1])
    if top > MAX_ID - offset:
        raise row_refusal(
            f"{name} row {position} (id {top})",
            "the id is too large to follow this vault's own records; import the file into "
            "a new vault",
        )


def import_entry(file_name: str, counts: dict[str, int], skipped: dict[str, int]) -> dict[str, Any]:
    """The one audit entry of an import (its rows bypass the session's audit hook)."""
    total = sum(counts.values())
    tail = f": {total:,} records"
    label = file_name + tail
    if len(label) > 120:
        label = file_name[: 119 - len(tail)] + "…" + tail
    changes = {
        "file": file_name,
        "records": {table: n for table, n in counts.items() if n},
        "not imported": skipped,
    }
    return {
        "at": utcnow(),
        "action": AuditAction.CREATE,
        "record_kind": "import",
        "record_id": 0,
        "label": printable(label),
        "changes": json.dumps(changes, ensure_ascii=False),
    }
