"""A Qt table model over one of the core's paged lists (app.core.services.lists).

Sorting and the filter box run in SQL (a case may hold 100,000 messages), and rows arrive
in batches as the view scrolls (canFetchMore/fetchMore), so the first screen shows at once
and memory stays flat.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QFont

from app.core.services import lists
from app.core.vault import Vault
from app.gui.labels import colour_for, fmt_value, tr

_Index = QModelIndex | QPersistentModelIndex
BATCH = 200
ID_ROLE = Qt.ItemDataRole.UserRole + 1
RAW_ROLE = Qt.ItemDataRole.UserRole + 2


class RecordTableModel(QAbstractTableModel):
    def __init__(self, vault: Vault, kind: str, scope_id: int | None = None, parent: Any = None):
        super().__init__(parent)
        self.vault = vault
        self.kind = kind
        self.spec = lists.LISTS[kind]
        self.scope_id = scope_id
        self.filter_text = ""
        self.sort_key: str | None = None
        self.descending: bool | None = None
        self._rows: list[tuple[Any, ...]] = []
        self._more = False
        # (sort value, id) of the last row fetched: the next batch starts after it.
        self._after: tuple[Any, int] | None = None
        self._colour_col = {
            i for i, c in enumerate(self.spec.columns) if c.key in ("disclosure", "stance")
        }

    # -- loading --------------------------------------------------------------------------

    def _fetch(
        self, offset: int, limit: int, after: tuple[Any, int] | None = None
    ) -> list[tuple[Any, ...]]:
        # A scoped list (the messages *of a case*) shows nothing until it has its scope.
        scoped = bool(self.spec.scope or self.spec.scope_sql)
        if not self.vault.is_unlocked or (scoped and self.scope_id is None):
            return []
        return lists.fetch_page(
            self.vault,
            self.kind,
            scope_id=self.scope_id,
            filter_text=self.filter_text,
            sort_key=self.sort_key,
            descending=self.descending,
            offset=offset,
            limit=limit,
            after=after,
        )

    def _remember_last(self, batch: list[tuple[Any, ...]]) -> None:
        if batch:
            self._after = (batch[-1][-1], batch[-1][0])

    def reload(self, keep_loaded: bool = True) -> None:
        """Query again (after an edit, a sort or a new filter)."""
        want = max(BATCH, len(self._rows)) if keep_loaded else BATCH
        self.beginResetModel()
        self._rows = self._fetch(0, want)
        self._more = len(self._rows) == want
        self._after = None
        self._remember_last(self._rows)
        self.endResetModel()

    def refresh_record(self, record_id: int) -> bool:
        """Show one edited record's new values where its row is (False: not loaded here).
        The row keeps its place until the next sort or reload, as in a mail client."""
        row = next((i for i, r in enumerate(self._rows) if r[0] == record_id), None)
        if row is None or not self.vault.is_unlocked:
            return False
        fresh = lists.fetch_row(self.vault, self.kind, record_id)
        if fresh is None:  # gone (or no longer fits this list)
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()
        else:
            self._rows[row] = fresh
            last = self.columnCount() - 1
            self.dataChanged.emit(self.index(row, 0), self.index(row, last))
        return True

    def set_scope(self, scope_id: int | None) -> None:
        self.scope_id = scope_id
        self.reload(keep_loaded=False)

    def set_filter(self, text: str) -> None:
        self.filter_text = text
        self.reload(keep_loaded=False)

    def clear(self) -> None:
        """Forget every row (on lock)."""
        self.beginResetModel()
        self._rows = []
        self._more = False
        self._after = None
        self.endResetModel()

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._more

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid() or not self._more:
            return
        batch = self._fetch(len(self._rows), BATCH, self._after)
        self._more = len(batch) == BATCH
        self._remember_last(batch)
        if batch:
            start = len(self._rows)
            self.beginInsertRows(QModelIndex(), start, start + len(batch) - 1)
            self._rows.extend(batch)
            self.endInsertRows()

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.spec.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        horizontal = orientation == Qt.Orientation.Horizontal
        if horizontal and role == Qt.ItemDataRole.DisplayRole and section < len(self.spec.columns):
            return tr(self.spec.columns[section].label)
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        row = self._rows[index.row()]
        col = index.column()
        if not 0 <= col < len(self.spec.columns):
            return None
        value = row[col + 1]
        column = self.spec.columns[col]
        if role == Qt.ItemDataRole.DisplayRole:
            text = fmt_value(column.kind, value)
            return text if len(text) <= 300 else text[:299] + "…"
        if role == Qt.ItemDataRole.ToolTipRole and column.kind == "text" and value:
            return str(value)[:1000]
        if role == Qt.ItemDataRole.ForegroundRole and col in self._colour_col and value:
            return colour_for(str(value))
        if role == Qt.ItemDataRole.FontRole and col in self._colour_col:
            font = QFont()
            font.setBold(True)
            return font
        if role == ID_ROLE:
            return row[0]
        if role == RAW_ROLE:
            return value
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.spec.columns):
            self.sort_key = self.spec.columns[column].key
            self.descending = order == Qt.SortOrder.DescendingOrder
            self.reload(keep_loaded=False)

    # -- helpers --------------------------------------------------------------------------

    def record_id(self, row: int) -> int | None:
        return int(self._rows[row][0]) if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: int, *, load: bool = True) -> int | None:
        """The row showing a record, fetching further batches until it is found."""
        while True:
            for i, r in enumerate(self._rows):
                if r[0] == record_id:
                    return i
            if not (load and self._more):
                return None
            self.fetchMore()

    def value(self, row: int, key: str) -> Any:
        keys = [c.key for c in self.spec.columns]
        return self._rows[row][keys.index(key) + 1] if 0 <= row < len(self._rows) else None
