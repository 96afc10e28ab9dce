"""Who may sit at the table of a planned session: the case's people, each ticked or not, with
the capacity they attend in (for a workshop often "personal", even for an official)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.core.models import Capacity
from app.core.services.sessions import Candidate
from app.gui.labels import enum_label, tr

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Person", "Party, role", "Capacity")
PERSON, PARTY, CAPACITY = range(3)


class ParticipantsModel(QAbstractTableModel):
    """Column 0 is checkable (who attends); column 2 is editable (the capacity, whose edit
    value is a Capacity value string)."""

    def __init__(self, candidates: list[Candidate], parent: Any = None) -> None:
        super().__init__(parent)
        self.candidates = list(candidates)
        self._ticked = [False] * len(self.candidates)
        self._capacity = [c.capacity for c in self.candidates]

    def chosen(self) -> list[tuple[int, int | None, Capacity]]:
        """(person, party, capacity) of every ticked person, in list order."""
        return [
            (c.person_id, c.party_id, self._capacity[r])
            for r, c in enumerate(self.candidates)
            if self._ticked[r]
        ]

    def clear(self) -> None:
        self.beginResetModel()
        self.candidates, self._ticked, self._capacity = [], [], []
        self.endResetModel()

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.candidates)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return tr(COLUMNS[section])
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if not index.isValid():
            return base
        if index.column() == PERSON:
            return base | Qt.ItemFlag.ItemIsUserCheckable
        if index.column() == CAPACITY:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.candidates):
            return None
        r, col = index.row(), index.column()
        c = self.candidates[r]
        if role == Qt.ItemDataRole.DisplayRole:
            if col == PERSON:
                return c.name
            if col == PARTY:
                return f"{c.party_name}, {c.role}".strip(", ")
            if col == CAPACITY:
                return enum_label(self._capacity[r].value)
        if role == Qt.ItemDataRole.EditRole and col == CAPACITY:
            return self._capacity[r].value
        if role == Qt.ItemDataRole.CheckStateRole and col == PERSON:
            return Qt.CheckState.Checked if self._ticked[r] else Qt.CheckState.Unchecked
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid() or not 0 <= index.row() < len(self.candidates):
            return False
        r, col = index.row(), index.column()
        if role == Qt.ItemDataRole.CheckStateRole and col == PERSON:
            self._ticked[r] = Qt.CheckState(value) == Qt.CheckState.Checked
        elif role == Qt.ItemDataRole.EditRole and col == CAPACITY:
            try:
                self._capacity[r] = Capacity(value)
            except ValueError:
                return False
        else:
            return False
        self.dataChanged.emit(index, index, [role])
        return True
