"""A long shuttle log is streamed: the builder reads messages and deliveries from the
database a batch at a time while ReportLab lays the pages out, so the rows read ahead of
the page being laid out stay bounded however long the log is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
from sqlalchemy.orm import Session

from app.core.demo import generate_scale
from app.core.export.pdf import export_pdf
from app.core.export.pdf import log as docs
from app.core.export.pdf.story import LazyStory
from app.core.vault import Vault

BATCH = 25


def test_log_reads_rows_a_batch_at_a_time(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    generate_scale(vault, messages=400, cases=1)
    with vault.session() as s:
        records = docs.count_log(s, 1, None, None)
    monkeypatch.setattr(docs, "BATCH", BATCH)
    read = 0
    laid_out = 0  # records ReportLab has placed on pages (progress marks reached)
    ahead: list[int] = []  # rows read but not yet laid out, each time a row is read
    queries: list[int] = []  # rows each query returned
    keyset = docs._keyset

    def counting(s: Any, stmt_for: Any, time_of: Any) -> Iterator[Any]:
        nonlocal read

        def stmt(after: Any) -> Any:
            return _Counted(stmt_for(after), queries)

        for row in keyset(cast(Session, _CountingSession(s)), stmt, time_of):
            read += 1
            ahead.append(read - laid_out)
            yield row

    def progress(done: int, total: int) -> None:
        nonlocal laid_out
        laid_out = done

    monkeypatch.setattr(docs, "_keyset", counting)
    result = export_pdf(
        vault, kind="log", case_id=1, out_path=tmp_path / "log.pdf", progress=progress
    )

    assert result.pages > 20
    assert read == records > 10 * BATCH  # every row, read once
    assert queries and max(queries) <= BATCH  # no query returns more than a batch
    # Never more than about two batches (one of messages and one of deliveries being merged)
    # and the story's look-ahead are held before being laid out — not the whole log.
    assert max(ahead) <= 2 * BATCH + LazyStory.LOOKAHEAD
    assert max(ahead) < records / 4


class _Counted:
    """A statement whose ``limit`` is recorded, so the rows each query returns are counted."""

    def __init__(self, stmt: Any, sizes: list[int]) -> None:
        self.stmt, self.sizes = stmt, sizes

    def limit(self, n: int) -> _Counted:
        return _Counted(self.stmt.limit(n), self.sizes)


class _CountingSession:
    def __init__(self, s: Any) -> None:
        self.s = s

    def execute(self, stmt: Any) -> Any:
        result = self.s.execute(stmt.stmt if isinstance(stmt, _Counted) else stmt).all()
        if isinstance(stmt, _Counted):
            stmt.sizes.append(len(result))
        return _All(result)


class _All:
    def __init__(self, rows: list[Any]) -> None:
        self.rows = rows

    def all(self) -> list[Any]:
        return self.rows
