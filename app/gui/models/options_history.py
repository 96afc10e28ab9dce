"""One option's story as models: its lineage as a tree (the oldest ancestors at the top, each
step's result below what it came from) and its dated events across sessions and rounds."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex
from PySide6.QtGui import QStandardItem, QStandardItemModel

from app.core.services.options import HistoryEvent, Lineage
from app.gui.labels import enum_label, fmt_date, fmt_datetime, tr
from app.gui.models.rows import ID_ROLE, Col, RowsModel

_Index = QModelIndex | QPersistentModelIndex
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


def _when(e: HistoryEvent) -> str:
    # Raising and lineage steps are known to the day; stances and statuses to the minute.
    dated = e.what in ("raised", "refined", "merged", "split")
    return fmt_date(e.at.date()) if dated else fmt_datetime(e.at)


class OptionEventsModel(RowsModel[HistoryEvent]):
    """Every dated event of an option and its ancestors, oldest first."""

    def __init__(self, events: list[HistoryEvent] | None = None, parent: Any = None) -> None:
        columns: list[Col[HistoryEvent]] = [
            Col(EVENT_COLUMNS[0], _when),
            Col(EVENT_COLUMNS[1], lambda e: e.text, tip=True),
            Col(EVENT_COLUMNS[2], lambda e: e.option_title, tip=True),
            Col(EVENT_COLUMNS[3], lambda e: e.session, tip=True),
            Col(EVENT_COLUMNS[4], lambda e: e.round, tip=True),
        ]
        super().__init__(columns, parent)
        self.set_rows(events or [])

    def record_id(self, row: HistoryEvent) -> int | None:
        return row.option_id  # the option the event happened to

    def text(self, row: int, column: int) -> str:
        event = self.row(row)
        return self.columns[column].text(event) if event is not None else ""
