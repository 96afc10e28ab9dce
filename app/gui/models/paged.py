"""Reading a paged view's next pages into a model (app/core/services/paging.py): one place
for what every paged model does when Qt asks for more, so that none of them forgets that a
view (or Qt's model tester) may ask again from its rowsInserted slot while a page goes in."""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex

from app.core.services.paging import PAGE, Fetch, Page

R = TypeVar("R")


class Pager(Generic[R]):
    """The pages of a view still to read (its fetch and where the next page starts)."""

    def __init__(self, page_size: int = PAGE) -> None:
        self.page_size = page_size
        self._fetch: Fetch[R] | None = None
        self._after: Any = None
        self._busy = False  # a page is going in

    def start(self, first: Page[R], fetch: Fetch[R] | None) -> list[R]:
        """Begin again at ``first`` (the rows to show now); ``fetch(after, limit)`` reads
        the pages that follow. Answers the rows for the model to hold."""
        self._fetch, self._after = (fetch, first.after) if first.more else (None, None)
        return list(first.rows)

    def forget(self) -> None:
        self._fetch, self._after = None, None

    @property
    def more(self) -> bool:
        """Whether pages remain to be read (the view has not reached its end)."""
        return self._fetch is not None

    def read_next(self, model: QAbstractItemModel, rows: list[R]) -> None:
        """Read the next page and append it to ``rows``, the model's list, telling the
        model's views. Nothing while a page is going in: a page asked for from inside the
        insert would land in the middle of it (pages out of order, rows counted twice)."""
        if self._fetch is None or self._busy:
            return
        self._busy = True
        try:
            page = self._fetch(self._after, self.page_size)
            self._fetch, self._after = (self._fetch, page.after) if page.more else (None, None)
            if page.rows:
                start = len(rows)
                model.beginInsertRows(QModelIndex(), start, start + len(page.rows) - 1)
                rows.extend(page.rows)
                model.endInsertRows()
        finally:
            self._busy = False
