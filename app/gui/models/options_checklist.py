"""A list of records to tick: the interests an option addresses, the options to merge with."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractListModel, QModelIndex, QPersistentModelIndex, Qt

_Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1


class CheckListModel(QAbstractListModel):
    """(record id, label, ticked) rows, in the order given."""

    def __init__(self, rows: list[tuple[int, str, bool]] | None = None, parent: Any = None):
        super().__init__(parent)
        self._ids: list[int] = []
        self._labels: list[str] = []
        self._ticked: list[bool] = []
        self.load(rows or [])

    def load(self, rows: list[tuple[int, str, bool]]) -> None:
        self.beginResetModel()
        self._ids = [r[0] for r in rows]
        self._labels = [r[1] for r in rows]
        self._ticked = [r[2] for r in rows]
        self.endResetModel()

    def clear(self) -> None:
        self.load([])

    def checked_ids(self) -> list[int]:
        """The record ids of the ticked rows, in list order."""
        return [i for i, on in zip(self._ids, self._ticked, strict=True) if on]

    def row_of_label(self, label: str) -> int | None:
        return self._labels.index(label) if label in self._labels else None

    def set_checked(self, row: int, on: bool = True) -> None:
        state = Qt.CheckState.Checked if on else Qt.CheckState.Unchecked
        self.setData(self.index(row, 0), state, Qt.ItemDataRole.CheckStateRole)

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        return base | Qt.ItemFlag.ItemIsUserCheckable if index.isValid() else base

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        r = index.row()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._labels[r]
        if role == Qt.ItemDataRole.CheckStateRole:
            return Qt.CheckState.Checked if self._ticked[r] else Qt.CheckState.Unchecked
        if role == ID_ROLE:
            return self._ids[r]
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.CheckStateRole
            or not index.isValid()
            or not 0 <= index.row() < len(self._ids)
        ):
            return False
        self._ticked[index.row()] = Qt.CheckState(value) == Qt.CheckState.Checked
        self.dataChanged.emit(index, index, [role])
        return True
