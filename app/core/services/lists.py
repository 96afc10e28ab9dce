"""The lists the GUI shows, as paged queries: sorted and filtered in SQL, fetched in batches.

A case can hold 100,000 messages; loading them all into a Qt model would take seconds and
hundreds of megabytes. Each list is a spec (columns, scope, text filter:
:mod:`app.core.services.list_specs`) and ``fetch_page`` returns one batch of plain tuples (id
first), already in display order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import text

from app.core.services.list_specs import LISTS, ListColumn, ListSpec
from app.core.services.search import text_match
from app.core.vault import Vault


def _not_null(spec: ListSpec, column: ListColumn) -> bool:
    """Is this list column a NOT NULL column of the list's own table?"""
    from app.core.models import Base

    match = re.fullmatch(r"t\.(\w+)", column.sql)
    table = Base.metadata.tables.get(spec.from_sql.split()[0])
    if not match or table is None or match.group(1) not in table.c:
        return False
    return not table.c[match.group(1)].nullable


def _utc_datetime(value: Any) -> datetime | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    text_value = str(value)
    if any(c in text_value[19:] for c in "+-Z"):  # it says its own offset
        return datetime.fromisoformat(text_value)
    # Stored as naive UTC. Parsing with the offset appended makes one object instead of two
    # (a hot list converts 200 of these per page; this halves the time).
    return datetime.fromisoformat(text_value + "+00:00")


def _convert(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "datetime":
        return _utc_datetime(value)
    if kind == "date":
        return value if isinstance(value, date) else date.fromisoformat(str(value)[:10])
    if kind == "bool":
        return bool(value)
    return value


def _where(spec: ListSpec, scope_id: int | None, filter_text: str) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if scope_id is not None:
        if spec.scope_sql:
            clauses.append(spec.scope_sql)
        elif spec.scope:
            clauses.append(f"t.{spec.scope} = :scope_id")
        params["scope_id"] = scope_id
    if spec.extra_where:
        clauses.append(spec.extra_where)
    words = filter_text.strip()
    if words:
        if spec.like_columns is None:
            query = text_match(words)
            if query is None:
                clauses.append("0")
            else:
                clauses.append(
                    "t.id IN (SELECT record_id FROM search_index WHERE search_index MATCH :fts "
                    f"AND kind = '{spec.kind}')"
                )
                params["fts"] = query
        else:
            for i, word in enumerate(words.split()):
                ors = " OR ".join(f"{col} LIKE :w{i} ESCAPE '\\'" for col in spec.like_columns)
                clauses.append(f"({ors})")
                escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
                params[f"w{i}"] = f"%{escaped}%"
    return (" WHERE " + " AND ".join(clauses)) if clauses else "", params


def page_query(
    kind: str,
    *,
    scope_id: int | None = None,
    filter_text: str = "",
    sort_key: str | None = None,
    descending: bool | None = None,
    offset: int = 0,
    limit: int = 200,
    after: tuple[Any, int] | None = None,
) -> tuple[str, dict[str, Any], list[str]]:
    """The SQL of one page, its parameters, and each column's kind (for conversion).

    Each row is (id, *columns, sort value). ``after`` is the (sort value, id) of the last
    row already shown: the page starts just after it (keyset paging). An OFFSET makes
    SQLite walk every earlier row again, so the 100th page of a long list took ~100 ms."""
    spec = LISTS[kind]
    keys = [c.key for c in spec.columns]
    sort_key = sort_key if sort_key in keys else spec.default_sort
    desc = spec.default_desc if descending is None else descending
    sort_col = next(c for c in spec.columns if c.key == sort_key)
    direction = "DESC" if desc else "ASC"
    cols = ", ".join(c.sql for c in spec.columns)
    where, params = _where(spec, scope_id, filter_text)
    # NULLs last either way; the id breaks ties so that paging is stable. A NOT NULL column
    # needs no NULL term, and without it SQLite walks the index instead of sorting the
    # whole case for every page.
    not_null = _not_null(spec, sort_col)
    nulls = "" if not_null else f"({sort_col.sql}) IS NULL, "
    if after is not None:
        beyond = "<" if desc else ">"
        last_value, last_id = after
        if not_null:
            # A row value: SQLite seeks in the (…, sort column) index and reads on from there.
            seek = f"({sort_col.sql}, t.id) {beyond} (:after_value, :after_id)"
        elif last_value is None:
            seek = f"({sort_col.sql}) IS NULL AND t.id {beyond} :after_id"
        else:
            seek = (
                f"(({sort_col.sql}) IS NULL OR ({sort_col.sql}, t.id) {beyond} "
                "(:after_value, :after_id))"
            )
        where = f"{where} AND {seek}" if where else f" WHERE {seek}"
        params.update(after_value=last_value, after_id=last_id)
        offset = 0
    sql = (
        f"SELECT t.id, {cols}, {sort_col.sql} FROM {spec.from_sql}{where} "
        f"ORDER BY {nulls}{sort_col.sql} {direction}, t.id {direction} "
        "LIMIT :limit OFFSET :offset"
    )
    params.update(limit=limit, offset=offset)
    return sql, params, [c.kind for c in spec.columns]


def fetch_page(
    vault: Vault,
    kind: str,
    *,
    scope_id: int | None = None,
    filter_text: str = "",
    sort_key: str | None = None,
    descending: bool | None = None,
    offset: int = 0,
    limit: int = 200,
    after: tuple[Any, int] | None = None,
) -> list[tuple[Any, ...]]:
    """One batch of rows: (id, *column values, raw sort value), in the order asked for; the
    last row's (sort value, id) is the ``after`` of the next batch."""
    sql, params, kinds = page_query(
        kind,
        scope_id=scope_id,
        filter_text=filter_text,
        sort_key=sort_key,
        descending=descending,
        offset=offset,
        limit=limit,
        after=after,
    )
    with vault.session() as s:
        # Straight to the driver (it understands :name parameters): a hot list needs no
        # statement compilation on every page.
        rows = s.connection().exec_driver_sql(sql, params).fetchall()
    return _converted(rows, kinds)


def fetch_row(vault: Vault, kind: str, record_id: int) -> tuple[Any, ...] | None:
    """One record's row as the list shows it (None if it is gone): an edit refreshes its
    row in place instead of querying every row the list has loaded again."""
    spec = LISTS[kind]
    cols = ", ".join(c.sql for c in spec.columns)
    extra = f" AND {spec.extra_where}" if spec.extra_where else ""
    sql = f"SELECT t.id, {cols} FROM {spec.from_sql} WHERE t.id = :record_id{extra}"
    with vault.session() as s:
        rows = s.connection().exec_driver_sql(sql, {"record_id": record_id}).fetchall()
    converted = _converted(rows, [c.kind for c in spec.columns])
    return converted[0] if converted else None


def _converted(rows: Sequence[Any], kinds: list[str]) -> list[tuple[Any, ...]]:
    # Convert only the columns that need it (dates, times, flags); text passes through.
    convert = [(i + 1, k) for i, k in enumerate(kinds) if k in ("datetime", "date", "bool")]
    if not convert:
        return [tuple(row) for row in rows]
    out = []
    for row in rows:
        values = list(row)
        for i, k in convert:
            values[i] = _convert(k, values[i])
        out.append(tuple(values))
    return out


# A join to one row by its primary key ("LEFT JOIN parties sp ON sp.id = t.sender_party_id").
_TO_ONE = re.compile(r"\s*(LEFT )?JOIN (\w+) (\w+) ON \3\.id = t\.(\w+)")


def _count_from(spec: ListSpec, where: str) -> str:
    """The list's FROM without the joins that cannot change how many rows it has and that
    the WHERE does not use: a LEFT JOIN to one row by its key, or a JOIN through a NOT NULL
    foreign key (foreign keys are enforced: the row is always there). Counting a case's
    330,000 messages then reads only the case's index, not every row and its joins."""
    from app.core.models import Base

    table = Base.metadata.tables.get(spec.from_sql.split()[0])

    def drop(m: re.Match[str]) -> str:
        if f"{m.group(3)}." in where:
            return m.group(0)
        if m.group(1):  # LEFT JOIN
            return ""
        column = table.c.get(m.group(4)) if table is not None else None
        sure = column is not None and not column.nullable and bool(column.foreign_keys)
        return "" if sure else m.group(0)

    return _TO_ONE.sub(drop, spec.from_sql)


def count_rows(
    vault: Vault, kind: str, *, scope_id: int | None = None, filter_text: str = ""
) -> int:
    spec = LISTS[kind]
    where, params = _where(spec, scope_id, filter_text)
    sql = f"SELECT count(*) FROM {_count_from(spec, where)}{where}"
    with vault.session() as s:
        return int(s.execute(text(sql), params).scalar() or 0)


# Everybody in the vault, for picking a person who is not yet tied to the case.
LISTS["person_all"] = ListSpec(
    "person",
    LISTS["person"].columns,
    "people t",
    "",
    "name",
    like_columns=("t.name", "t.codename", "t.role"),
)
