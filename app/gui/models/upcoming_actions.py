"""Upcoming actions across every case as a Qt table model: Due, Case, Action, Owner; an
overdue action is shown in red and says so."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.core.services.sessions import UpcomingAction
from app.gui.labels import fmt_date, tr
from app.gui.widgets.dialog_parts import ERROR_RED

_Index = QModelIndex | QPersistentModelIndex
COLUMNS = ("Due", "Case", "Action", "Owner")
DUE, CASE, ACTION, OWNER = range(4)


class UpcomingActionsModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.actions: list[UpcomingAction] = []

    def set_actions(self, actions: list[UpcomingAction]) -> None:
        self.beginResetModel()
        self.actions = list(actions)
        self.endResetModel()

    def clear(self) -> None:
        self.set_actions([])

    def action_at(self, row: int) -> UpcomingAction | None:
        return self.actions[row] if 0 <= row < len(self.actions) else None

    def overdue_count(self) -> int:
        return sum(a.overdue for a in self.actions)

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.actions)

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
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return (
            Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
            | Qt.ItemFlag.ItemNeverHasChildren
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        a = self.action_at(index.row()) if index.isValid() else None
        if a is None or not 0 <= index.column() < len(COLUMNS):
            return None
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == DUE:
                due = fmt_date(a.due_on) if a.due_on else tr("no date")
                return tr("{date} (overdue)").format(date=due) if a.overdue else due
            return (a.case_title, a.title, a.owner_name)[col - 1]
        if role == Qt.ItemDataRole.ToolTipRole and col == ACTION and a.notes:
            return a.notes
        if role == Qt.ItemDataRole.ForegroundRole and a.overdue:
            return QBrush(QColor(ERROR_RED))
        return None
