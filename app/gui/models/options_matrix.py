"""Options × parties: each party's current stance on each option of a case, in the order the
options were raised. Column 0 is the option's title, 1 its status, then one per party.

Paged (a case may hold thousands of options): ``set_pager`` shows the first page and Qt
asks for the next ones (canFetchMore/fetchMore) as the view scrolls, as in RowsModel."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.core.services.options import MatrixRow
from app.core.services.paging import Fetch, Page
from app.gui.labels import colour_for, enum_label, fmt_datetime, tr
from app.gui.models.paged import Pager

_Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
TITLE, STATUS = 0, 1
FIRST_PARTY = 2


class OptionsMatrixModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[MatrixRow] = []
        self._parties: list[tuple[int, str]] = []
        self._pager: Pager[MatrixRow] = Pager()  # the pages not read yet

    def load(self, rows: list[MatrixRow], parties: list[tuple[int, str]]) -> None:
        """Show ``rows``, all there is."""
        self.set_pager(Page(list(rows)), None, parties)

    def set_pager(
        self,
        first: Page[MatrixRow],
        fetch: Fetch[MatrixRow] | None,
        parties: list[tuple[int, str]],
    ) -> None:
        """Show ``first`` (the matrix's first page); ``fetch(after, limit)`` reads the pages
        that follow as the view scrolls there (it must answer nothing once the vault is
        locked: the model outlives a lock until ``clear()``)."""
        self.beginResetModel()
        self._rows, self._parties = self._pager.start(first, fetch), list(parties)
        self.endResetModel()

    def clear(self) -> None:
        """Forget every option title, party name and stance, and the pages still to read
        (on lock)."""
        self.load([], [])

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
        """Read every page that remains."""
        while self.canFetchMore():
            self.fetchMore()

    def option_id(self, row: int) -> int | None:
        return self._rows[row].option_id if 0 <= row < len(self._rows) else None

    def row_of(self, option_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.option_id == option_id), None)

    def party_column(self, party_id: int) -> int | None:
        ids = [pid for pid, _name in self._parties]
        return ids.index(party_id) + FIRST_PARTY if party_id in ids else None

    def _current_stance(self, row: int, column: int) -> str:
        party_id = self._parties[column - FIRST_PARTY][0]
        changes = self._rows[row].history.get(party_id, [])
        return changes[-1].stance if changes else ""

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_PARTY + len(self._parties)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if section < FIRST_PARTY:
                return tr("Option") if section == TITLE else tr("Status")
            return self._parties[section - FIRST_PARTY][1]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = index.row(), index.column()
        if not 0 <= col < self.columnCount():
            return None
        option = self._rows[row]
        if role == ID_ROLE:
            return option.option_id
        if col == TITLE:
            if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                return option.title
            return None
        if col == STATUS:
            return enum_label(option.status) if role == Qt.ItemDataRole.DisplayRole else None
        stance = self._current_stance(row, col)
        if role == Qt.ItemDataRole.DisplayRole:
            return enum_label(stance) if stance else ""
        if role == Qt.ItemDataRole.ForegroundRole and stance:
            return colour_for(stance)
        if role == Qt.ItemDataRole.FontRole and stance and stance != "unknown":
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ToolTipRole:
            changes = option.history.get(self._parties[col - FIRST_PARTY][0], [])
            lines = [f"{fmt_datetime(c.at)}: {enum_label(c.stance)}" for c in changes]
            return "\n".join(lines) if lines else tr("No stance recorded")
        return None
