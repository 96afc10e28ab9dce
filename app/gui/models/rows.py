"""A Qt table model over a list of rows (the core's frozen dataclasses), one ``Col`` per
column: how a row reads, its colour, what it sorts by. Read-only unless a subclass says
otherwise. The lists of the shuttle log, live notes, an option's history and the upcoming
actions are all ``RowsModel``s; the paged record lists are ``RecordTableModel``s.

A view that grows with the case is *paged*: ``set_pager`` gives it its first page (read on
a worker, say) and the core's fetch for the rest, and Qt asks for the next page
(``canFetchMore``/``fetchMore``) as the view scrolls to the end of what it holds. Each page
is bounded work (app/core/services/paging.py), so it is read on the GUI thread.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.core.services.paging import Fetch, Page
from app.gui.labels import tr
from app.gui.models.paged import Pager

R = TypeVar("R")
_Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1  # the record a row is about (a message, a note...)
SORT_ROLE = Qt.ItemDataRole.UserRole + 2  # what a column sorts by
PARTY_ROLE = Qt.ItemDataRole.UserRole + 3  # the party a row is about (pending: to be told)


@dataclass(frozen=True)
class Col(Generic[R]):
    header: str
    text: Callable[[R], str]
    colour: Callable[[R], str | None] | None = None
    sort: Callable[[R], Any] | None = None  # default: the text
    tip: bool = False  # long text: the whole of it as a tool tip
    tip_text: Callable[[R], str] | None = None  # another text as the tool tip


class RowsModel(QAbstractTableModel, Generic[R]):
    """A table over a list of rows; read-only unless a subclass says otherwise."""

    def __init__(self, columns: Sequence[Col[R]], parent: Any = None) -> None:
        super().__init__(parent)
        self.columns = list(columns)
        self._rows: list[R] = []
        self._pager: Pager[R] = Pager()  # the rest of a paged view

    def record_id(self, row: R) -> int | None:
        """The id given under ID_ROLE (a row's ``id``, unless a subclass says otherwise)."""
        value = getattr(row, "id", None)
        return value if isinstance(value, int) else None

    def party_id(self, row: R) -> int | None:
        return None

    # -- content --------------------------------------------------------------------------

    def set_rows(self, rows: Sequence[R]) -> None:
        """Show ``rows``, all there is (a view that is not paged, or not any more)."""
        self.beginResetModel()
        self._rows = list(rows)
        self._pager.forget()
        self.endResetModel()

    def set_pager(self, first: Page[R], fetch: Fetch[R] | None) -> None:
        """Show ``first`` (a view's first page); ``fetch(after, limit)`` reads the pages
        that follow when the view scrolls there. ``fetch`` must check that the vault is
        still open: a model outlives a lock until ``clear()``."""
        self.beginResetModel()
        self._rows = self._pager.start(first, fetch)
        self.endResetModel()

    def clear(self) -> None:
        """Forget every row and the pages still to read (on lock, or when the case goes)."""
        self.set_rows([])

    @property
    def more(self) -> bool:
        """Whether pages remain to be read (the view has not reached its end)."""
        return self._pager.more

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._pager.more

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not parent.isValid():
            self._pager.read_next(self, self._rows)

    def fetch_all(self) -> None:
        """Read every page that remains (Select all, Copy, or going to a row not read yet)."""
        while self.canFetchMore():
            self.fetchMore()

    def row(self, row: int) -> R | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rows(self) -> list[R]:
        return list(self._rows)

    def row_of(self, record_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if self.record_id(r) == record_id), None)

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(self.columns)
        ):
            return tr(self.columns[section].header)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.column() < len(self.columns):
            return None
        row = self.row(index.row())
        if row is None:
            return None
        col = self.columns[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return col.text(row)
        if role == Qt.ItemDataRole.ToolTipRole and col.tip:
            return col.text(row)[:1000] or None
        if role == Qt.ItemDataRole.ToolTipRole and col.tip_text is not None:
            return col.tip_text(row) or None
        if role == Qt.ItemDataRole.ForegroundRole and col.colour is not None:
            colour = col.colour(row)
            return QBrush(QColor(colour)) if colour else None
        if role == SORT_ROLE:
            return col.sort(row) if col.sort is not None else col.text(row)
        if role == ID_ROLE:
            return self.record_id(row)
        if role == PARTY_ROLE:
            return self.party_id(row)
        return None
