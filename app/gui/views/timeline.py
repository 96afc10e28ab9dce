"""A case's timeline: every event by date, filtered by kind and party, each message showing
its disclosure level. Loaded on a worker thread (a big case has tens of thousands of events)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.services.timeline import EVENT_KINDS, TimelineEvent, timeline
from app.gui.context import AppContext
from app.gui.labels import colour_for, enum_label, fmt_datetime, tr
from app.gui.resources import icon
from app.gui.workers import run_in_background

_Index = QModelIndex | QPersistentModelIndex
_KIND_WORDS = {
    "message": "Messages",
    "delivery": "Deliveries",
    "session": "Sessions",
    "note": "Notes",
    "option": "Options",
    "stance": "Stances",
    "action": "Actions",
}
_EVENT_TO_RECORD = {"stance": "option"}
_ICON_OF = {"stance": "option"}


class TimelineModel(QAbstractTableModel):
    HEADERS = ("When", "What", "", "Disclosure", "Details")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.events: list[TimelineEvent] = []

    def set_events(self, events: list[TimelineEvent]) -> None:
        self.beginResetModel()
        self.events = events
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.events)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return tr(self.HEADERS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        ev = self.events[index.row()]
        col = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return (
                fmt_datetime(ev.at),
                tr(ev.kind),
                ev.title,
                enum_label(ev.disclosure) if ev.disclosure else "",
                ev.detail,
            )[col]
        if role == Qt.ItemDataRole.DecorationRole and col == 1:
            return icon(_ICON_OF.get(ev.kind, ev.kind))
        if role == Qt.ItemDataRole.ForegroundRole and col == 3 and ev.disclosure:
            return colour_for(ev.disclosure)
        if role == Qt.ItemDataRole.ToolTipRole and col in (2, 4):
            return ev.title if col == 2 else ev.detail
        return None


class TimelineView(QWidget):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = TimelineModel(self)
        self.kind_boxes: dict[str, QCheckBox] = {}
        filters = QHBoxLayout()
        for kind in EVENT_KINDS:
            box = QCheckBox(tr(_KIND_WORDS[kind]))
            box.setObjectName(f"timeline_{kind}")
            box.setChecked(True)
            box.toggled.connect(self.reload)
            self.kind_boxes[kind] = box
            filters.addWidget(box)
        filters.addStretch(1)
        filters.addWidget(QLabel(tr("Party")))
        self.party = QComboBox()
        self.party.setObjectName("timeline_party")
        self.party.currentIndexChanged.connect(self.reload)
        filters.addWidget(self.party)
        self.view = QTableView()
        self.view.setObjectName("timeline_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.verticalHeader().setVisible(False)
        self.view.horizontalHeader().setStretchLastSection(True)
        self.view.setAlternatingRowColors(True)
        self.view.activated.connect(self._open)
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        layout.addWidget(self.status)
        self._generation = 0

    def set_case(self, case_id: int | None) -> None:
        self.party.blockSignals(True)
        self.party.clear()
        self.party.addItem(tr("All parties"), None)
        if case_id is not None:
            for pid, name in self.ctx.choices("party"):
                self.party.addItem(name, pid)
        self.party.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        case_id = self.ctx.case_id
        self._generation += 1
        generation = self._generation
        if case_id is None or not self.ctx.vault.is_unlocked:
            self.model.set_events([])
            return
        kinds = tuple(k for k, box in self.kind_boxes.items() if box.isChecked())
        party = self.party.currentData()
        vault = self.ctx.vault
        self.status.setText(tr("Loading…"))

        def done(events: object) -> None:
            if generation != self._generation:
                return
            assert isinstance(events, list)
            self.model.set_events(events)
            for col in range(4):
                self.view.resizeColumnToContents(col)
                self.view.setColumnWidth(col, min(self.view.columnWidth(col), 360))
            self.status.setText(tr("{n} events").format(n=len(events)))

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.status.setText(str(exc))

        run_in_background(
            self,
            lambda: timeline(vault, case_id, kinds=kinds, party_id=party),
            done,
            failed,
            reader=vault,
        )

    def clear(self) -> None:
        """Forget the events, the parties to filter by and what is loading (on lock)."""
        self._generation += 1  # a load still running is not shown when it ends
        self.model.set_events([])
        self.party.blockSignals(True)
        self.party.clear()
        self.party.blockSignals(False)
        self.status.clear()

    def _open(self, index: QModelIndex) -> None:
        ev = self.model.events[index.row()]
        if ev.kind == "stance":
            return  # a stance is shown within its option
        self.ctx.open_record.emit(
            _EVENT_TO_RECORD.get(ev.kind, ev.kind), ev.record_id, self.ctx.case_id or -1
        )
