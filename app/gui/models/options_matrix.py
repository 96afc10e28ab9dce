"""Options × parties: each party's current stance on each option of a case, in the order the
options were raised. Column 0 is the option's title, 1 its status, then one per party."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFont

from app.core.services.options import MatrixRow
from app.gui.labels import colour_for, enum_label, fmt_datetime, tr

_Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
TITLE, STATUS = 0, 1
FIRST_PARTY = 2


class OptionsMatrixModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._rows: list[MatrixRow] = []
        self._parties: list[tuple[int, str]] = []

    def load(self, rows: list[MatrixRow], parties: list[tuple[int, str]]) -> None:
        self.beginResetModel()
        self._rows, self._parties = list(rows), list(parties)
        self.endResetModel()

    def clear(self) -> None:
        """Forget every option title, party name and stance (on lock)."""
        self.load([], [])

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
