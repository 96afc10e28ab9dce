"""The results of Search everywhere as a Qt list model: one row per hit, ranked as the core's
search returned them. The dialog's worker hands it the first page of plain SearchHit
dataclasses; the next pages are read as the list scrolls to its end (``canFetchMore`` /
``fetchMore``), each with the snippets of its own hits only."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

from app.core.services.paging import Fetch, Page
from app.core.services.search import SearchHit, marks_to_html, strip_marks
from app.gui.kinds import kind_of, word
from app.gui.models.paged import Pager
from app.gui.resources import icon

_Index = QModelIndex | QPersistentModelIndex
HIT_ROLE = Qt.ItemDataRole.UserRole + 1  # the SearchHit
HTML_ROLE = Qt.ItemDataRole.UserRole + 2  # title, kind and case, snippet; matches in bold
PAGE = 50  # hits read per page: a screenful or two, each with its snippet


class SearchResultsModel(QAbstractListModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.hits: list[SearchHit] = []
        self._pager: Pager[SearchHit] = Pager(PAGE)  # the pages still to read

    def set_hits(self, hits: list[SearchHit]) -> None:
        """Show ``hits``, all there is."""
        self.set_pager(Page(list(hits)), None)

    def set_pager(self, first: Page[SearchHit], fetch: Fetch[SearchHit] | None) -> None:
        """Show ``first``; ``fetch(after, limit)`` reads the pages that follow as the list
        scrolls there. ``fetch`` must answer an empty page once the vault is locked."""
        self.beginResetModel()
        self.hits = self._pager.start(first, fetch)
        self.endResetModel()

    def clear(self) -> None:
        """Forget the hits and the pages still to read (on lock)."""
        self.set_hits([])

    @property
    def more(self) -> bool:
        return self._pager.more

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._pager.more

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._pager.read_next(self, self.hits)

    def hit(self, row: int) -> SearchHit | None:
        return self.hits[row] if 0 <= row < len(self.hits) else None

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.hits)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        hit = self.hit(index.row()) if index.isValid() and index.column() == 0 else None
        if hit is None:
            return None
        where = f" · {hit.case_title}" if hit.case_title else ""
        if role == Qt.ItemDataRole.DisplayRole:
            return f"{strip_marks(hit.title)} ({word(hit.kind)}{where})"
        if role == Qt.ItemDataRole.ToolTipRole:
            return strip_marks(hit.snippet)
        if role == Qt.ItemDataRole.DecorationRole:
            return icon(kind_of(hit.kind).icon)
        if role == HTML_ROLE:
            where_html = f" · {html.escape(hit.case_title)}" if hit.case_title else ""
            return (
                f"<b>{marks_to_html(hit.title)}</b> <span style='color:gray'>"
                f"{html.escape(word(hit.kind))}{where_html}</span><br>"
                f"<small>{marks_to_html(hit.snippet)}</small>"
            )
        if role == HIT_ROLE:
            return hit
        return None
