"""One option's story as models: its lineage as a tree (the oldest ancestors at the top, each
step's result below what it came from) and its dated events across sessions and rounds."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QStandardItem, QStandardItemModel

from app.core.services.options import HistoryEvent, Lineage
from app.gui.labels import enum_label, fmt_date, fmt_datetime, tr

_Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
LINEAGE_COLUMNS = ("Option", "Status", "Raised")
EVENT_COLUMNS = ("When", "What happened", "Option", "Session", "Round")


def lineage_model(lin: Lineage, option_id: int, parent: Any = None) -> QStandardItemModel:
    """The lineage tree; the option asked about is in bold."""
    model = QStandardItemModel(parent)
    model.setHorizontalHeaderLabels([tr(c) for c in LINEAGE_COLUMNS])

    def row(oid: int, how: str = "") -> list[QStandardItem]:
        n = lin.options[oid]
        title = f"{enum_label(how)}: {n.title}" if how else n.title
        cells = [QStandardItem(title), QStandardItem(enum_label(n.status))]
        cells.append(QStandardItem(fmt_date(n.raised_on)))
        for cell in cells:
            cell.setEditable(False)
            cell.setData(oid, ID_ROLE)
            cell.setToolTip(cell.text())
        if oid == option_id:
            font = cells[0].font()
            font.setBold(True)
            cells[0].setFont(font)
        return cells

    def grow(item: QStandardItem, oid: int, seen: set[int]) -> None:
        for step in lin.steps:
            if step.parent_id == oid and step.option_id not in seen:
                seen.add(step.option_id)
                child = row(step.option_id, step.kind)
                item.appendRow(child)
                grow(child[0], step.option_id, seen)

    for oid in (o for o in lin.options if not lin.parents(o)):
        root = row(oid)
        model.appendRow(root)
        grow(root[0], oid, {oid})
    return model


class OptionEventsModel(QAbstractTableModel):
    """Every dated event of an option and its ancestors, oldest first."""

    def __init__(self, events: list[HistoryEvent] | None = None, parent: Any = None) -> None:
        super().__init__(parent)
        self._events = list(events or [])

    def clear(self) -> None:
        self.beginResetModel()
        self._events = []
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._events)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(EVENT_COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(EVENT_COLUMNS)
        ):
            return tr(EVENT_COLUMNS[section])
        return None

    def text(self, row: int, column: int) -> str:
        e = self._events[row]
        if column == 0:
            # Raising and lineage steps are known to the day; stances and statuses to the minute.
            dated = e.what in ("raised", "refined", "merged", "split")
            return fmt_date(e.at.date()) if dated else fmt_datetime(e.at)
        return (e.text, e.option_title, e.session, e.round)[column - 1]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._events):
            return None
        if not 0 <= index.column() < len(EVENT_COLUMNS):
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.text(index.row(), index.column())
        if role == ID_ROLE:
            return self._events[index.row()].option_id
        return None
