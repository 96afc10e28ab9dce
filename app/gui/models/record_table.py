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
from PySide6.QtWidgets import QTableView

from app.core.services import lists
from app.core.vault import Vault
from app.gui.labels import colour_for, fmt_value, tr

_Index = QModelIndex | QPersistentModelIndex
BATCH = 200  # rows fetched each time the view scrolls to the end of what it has
# Rows of a list's first query: a screenful and some, not a whole batch. Views measure the
# rows they hold to fit their columns, so the first screen pays for every row loaded.
FIRST_BATCH = 60
ID_ROLE = Qt.ItemDataRole.UserRole + 1
RAW_ROLE = Qt.ItemDataRole.UserRole + 2
# The roles data() answers, as plain ints (an enum member lookup per call costs more).
_DISPLAY = int(Qt.ItemDataRole.DisplayRole)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole)
_FOREGROUND = int(Qt.ItemDataRole.ForegroundRole)
_FONT = int(Qt.ItemDataRole.FontRole)
_ROLES = frozenset({_DISPLAY, _TOOLTIP, _FOREGROUND, _FONT, int(ID_ROLE), int(RAW_ROLE)})


class RecordTableModel(QAbstractTableModel):
    def __init__(self, vault: Vault, kind: str, scope_id: int | None = None, parent: Any = None):
        super().__init__(parent)
        self.vault = vault
        self.kind = kind
        self.spec = lists.LISTS[kind]
        self.scope_id = scope_id
        self.filter_text = ""
        # The list's own order until a header is clicked (LISTS[kind].default_sort).
        self.sort_key: str = self.spec.default_sort
        self.descending: bool = self.spec.default_desc
        self._rows: list[tuple[Any, ...]] = []
        self._more = False
        # (sort value, id) of the last row fetched: the next batch starts after it.
        self._after: tuple[Any, int] | None = None
        self._colour_col = {
            i for i, c in enumerate(self.spec.columns) if c.key in ("disclosure", "stance")
        }
        self._ncols = len(self.spec.columns)
        self._bold = QFont()
        self._bold.setBold(True)
        # row -> its cells' display texts, formatted when first asked for.
        self._texts: dict[int, list[str]] = {}
        self._shared: dict[str, str] = {}  # one copy of each short text the rows repeat

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

    def _compact(self, batch: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
        """``batch`` as the model keeps it: without the sort value (only the last row's is
        needed, and ``_remember_last`` has it) and with each short text shared between the
        rows that repeat it (a party's name, a level). A view scrolled to the end of a case of
        330,000 messages holds every row: this takes ~30 % off each. The shared texts are
        the model's own, forgotten with its rows (not interned for the life of the process:
        they are the case's words)."""
        shared = self._shared
        out = []
        for row in batch:
            out.append(
                tuple(
                    shared.setdefault(v, v) if type(v) is str and len(v) <= 64 else v
                    for v in row[:-1]
                )
            )
        return out

    def reload(self, keep_loaded: bool = True) -> None:
        """Query again (after an edit, a sort or a new filter)."""
        want = max(FIRST_BATCH, len(self._rows)) if keep_loaded else FIRST_BATCH
        self.beginResetModel()
        self._texts.clear()
        self._shared.clear()
        rows = self._fetch(0, want)
        self._more = len(rows) == want
        self._after = None
        self._remember_last(rows)
        self._rows = self._compact(rows)
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
            self._texts.clear()  # the rows below moved up
            self.endRemoveRows()
        else:
            self._rows[row] = fresh
            self._texts.pop(row, None)
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
        self._texts.clear()
        self._shared.clear()
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
            self._rows.extend(self._compact(batch))
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
        if not horizontal or not 0 <= section < len(self.spec.columns):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return tr(self.spec.columns[section].label)
        if role == Qt.ItemDataRole.InitialSortOrderRole:
            # The first click on a header sorts the list's own default column its own way
            # (newest first for the shuttle log), any other column ascending.
            column, order = self.default_sort()
            return order if section == column else Qt.SortOrder.AscendingOrder
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # Hot: a view asks every role of every cell it shows or measures, so the roles that
        # answer nothing leave first, and each row's texts are formatted once.
        if role not in _ROLES or not index.isValid():
            return None
        r, col = index.row(), index.column()
        if not (0 <= r < len(self._rows) and 0 <= col < self._ncols):
            return None
        if role == _DISPLAY:
            texts = self._texts.get(r)
            if texts is None:
                texts = self._texts[r] = self._format(self._rows[r])
            return texts[col]
        row = self._rows[r]
        value = row[col + 1]
        if role == _TOOLTIP:
            return str(value)[:1000] if value and self.spec.columns[col].kind == "text" else None
        if role == _FOREGROUND:
            return colour_for(str(value)) if value and col in self._colour_col else None
        if role == _FONT:
            return self._bold if col in self._colour_col else None
        if role == ID_ROLE:
            return row[0]
        return value  # RAW_ROLE

    def _format(self, row: tuple[Any, ...]) -> list[str]:
        texts = []
        for column, value in zip(self.spec.columns, row[1:], strict=False):
            text = fmt_value(column.kind, value)
            texts.append(text if len(text) <= 300 else text[:299] + "…")
        return texts

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Sort by a column (a header click); the order it already has queries nothing."""
        if not 0 <= column < len(self.spec.columns):
            return
        key = self.spec.columns[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        if (key, descending) == (self.sort_key, self.descending):
            return
        self.sort_key, self.descending = key, descending
        self.reload(keep_loaded=False)

    def default_sort(self) -> tuple[int, Qt.SortOrder]:
        """The list's own order (its spec's default_sort) as a header's sort indicator:
        (column, order), column -1 when that key is not a shown column."""
        keys = [c.key for c in self.spec.columns]
        column = keys.index(self.spec.default_sort) if self.spec.default_sort in keys else -1
        order = (
            Qt.SortOrder.DescendingOrder if self.spec.default_desc else Qt.SortOrder.AscendingOrder
        )
        return column, order

    def current_sort(self) -> tuple[int, Qt.SortOrder]:
        """The order the rows are in now, as (column, order); column -1: not a shown one."""
        keys = [c.key for c in self.spec.columns]
        column = keys.index(self.sort_key) if self.sort_key in keys else -1
        order = Qt.SortOrder.DescendingOrder if self.descending else Qt.SortOrder.AscendingOrder
        return column, order

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


def enable_sorting(view: QTableView) -> None:
    """Let the user sort ``view`` (a RecordTableModel's) by clicking its headers, the header
    showing the order the list is in.

    Call it instead of ``view.setSortingEnabled(True)``: that sorts the model at once by the
    header's current indicator, which Qt starts at the first column, *descending*, so every
    list came up in reverse by its first column (an agenda 6 to 1, options Z to A).
    """
    model = view.model()
    header = view.horizontalHeader()
    if isinstance(model, RecordTableModel):
        column, order = model.current_sort()
        header.setSortIndicator(column, order)
    header.setSortIndicatorShown(True)
    view.setSortingEnabled(True)
