"""A case's timeline: every event by date, filtered by kind and party, each message showing
its disclosure level. A big case has tens of thousands of events: the first page is read on
a worker thread, the next ones as the view scrolls (app.core.services.timeline pages them).

``TimelineView`` is a section of the window (app.gui.sections.protocol.Section): it lists
events, not records of one kind, so it creates and deletes nothing; Enter or a double-click
opens the event's record where it is edited. Words and icons come from app.gui.kinds.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.services.paging import FIRST_PAGE, Page
from app.core.services.timeline import (
    TIMELINE_KINDS,
    Key,
    TimelineEvent,
    timeline_count,
    timeline_page,
)
from app.gui.context import AppContext
from app.gui.kinds import kind_of
from app.gui.labels import tr
from app.gui.models.timeline import TimelineModel
from app.gui.workers import run_in_background

# Events that are not a record of their own section: a stance is shown within its option.
_NOT_OPENED = frozenset({"stance"})
# Column widths (in average characters) for the short columns; the details column stretches.
_WIDTHS = {0: 17, 1: 14, 2: 60, 3: 13}
# Kinds shown and hidden with another's box: a commitment's outcomes with the commitments.
_FOLLOWS = {"commitment_event": "commitment"}
# How far a reload reads on (page by page, on the GUI thread) to select again the event that
# was selected; beyond, the selection is given up rather than the case read.
KEEP_WITHIN = 2000


class TimelineView(QWidget):
    """The Timeline section: a case's events, newest last, filtered by kind and party."""

    # Records whose change moves, adds or removes an event, or renames a party to filter by.
    watches: frozenset[str] = frozenset({*TIMELINE_KINDS, "party"})
    current_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.case_id: int | None = None
        self.model = TimelineModel(self)
        self.kind_boxes: dict[str, QCheckBox] = {}
        filters = QHBoxLayout()
        for kind in TIMELINE_KINDS:
            if kind in _FOLLOWS:
                continue
            box = QCheckBox(tr(kind_of(kind).plural))
            box.setObjectName(f"timeline_{kind}")
            box.setChecked(True)
            box.toggled.connect(self.reload)
            self.kind_boxes[kind] = box
            filters.addWidget(box)
        filters.addStretch(1)
        # The party filter sits under the table, beside the count: nine kinds fill a row at
        # 1024 pixels.
        party_label = QLabel(tr("Party"))
        self.party = QComboBox()
        self.party.setObjectName("timeline_party")
        self.party.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        party_label.setBuddy(self.party)
        self.party.currentIndexChanged.connect(self.reload)

        self.view = QTableView()
        self.view.setObjectName("timeline_table")
        self.view.setModel(self.model)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.setAlternatingRowColors(True)
        header = self.view.horizontalHeader()
        header.setStretchLastSection(True)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        # Widths from the font, not by measuring every row: a case has tens of thousands.
        average = self.view.fontMetrics().averageCharWidth()
        for col, chars in _WIDTHS.items():
            header.resizeSection(col, chars * average + 16)
        self.view.activated.connect(self._open)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.current_changed.emit())

        self.status = QLabel()
        self.status.setObjectName("timeline_status")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(filters)
        layout.addWidget(self.view, 1)
        footer = QHBoxLayout()
        footer.addWidget(self.status, 1)
        footer.addWidget(party_label)
        footer.addWidget(self.party)
        layout.addLayout(footer)
        self._generation = 0
        self._keep: tuple[str, int] | None = None  # the event to select again after a load

    # -- the section protocol -------------------------------------------------------------

    def set_case(self, case_id: int | None) -> None:
        self.case_id = case_id
        self._keep = None
        self.party.blockSignals(True)
        self.party.clear()
        self.party.addItem(tr("All parties"), None)
        if case_id is not None and self.ctx.vault.is_unlocked:
            for pid, name in self.ctx.choices("party"):
                self.party.addItem(name, pid)
        self.party.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        """Read the first page again (on a worker), keeping the selected event where it can;
        the next pages are read as the view scrolls."""
        self._keep = self.current() or self._keep
        self._generation += 1
        generation = self._generation
        case_id = self.case_id
        if case_id is None or not self.ctx.vault.is_unlocked:
            self.model.clear()
            self.status.clear()
            return
        kinds = tuple(k for k, box in self.kind_boxes.items() if box.isChecked())
        kinds += tuple(k for k, lead in _FOLLOWS.items() if lead in kinds)
        party = self.party.currentData()
        vault = self.ctx.vault
        self.status.setText(tr("Loading…"))

        def fetch(after: Key | None, limit: int) -> Page[TimelineEvent]:
            if not vault.is_unlocked:
                return Page([])
            return timeline_page(
                vault, case_id, kinds=kinds, party_id=party, after=after, limit=limit
            )

        def first() -> tuple[Page[TimelineEvent], int]:
            page = fetch(None, FIRST_PAGE)
            return page, timeline_count(vault, case_id, kinds, party)

        def done(result: object) -> None:
            if generation != self._generation:
                return
            assert isinstance(result, tuple)
            page, count = result
            self.model.set_pager(page, fetch)
            self.status.setText(tr("{n} events").format(n=QLocale().toString(count)))
            keep, self._keep = self._keep, None
            row = self._find(*keep) if keep else None
            if row is not None:
                self.view.selectRow(row)
                self.view.scrollTo(self.model.index(row, 0))
            self.current_changed.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.status.setText(str(exc))

        run_in_background(self, first, done, failed, reader=vault)

    def _find(self, kind: str, record_id: int) -> int | None:
        """The row of that event, reading on while it is not among the first KEEP_WITHIN."""
        row = self.model.row_of_event(kind, record_id)
        while row is None and self.model.more and self.model.rowCount() < KEEP_WITHIN:
            self.model.fetchMore()  # a page (bounded work), on the GUI thread
            row = self.model.row_of_event(kind, record_id)
        return row

    def clear(self) -> None:
        """Forget the events, the pages still to read, the parties to filter by and what is
        loading (on lock)."""
        self._generation += 1  # a load still running is not shown when it ends
        self.case_id = None
        self._keep = None
        self.model.clear()
        self.party.blockSignals(True)
        self.party.clear()
        self.party.blockSignals(False)
        self.status.clear()

    def current(self) -> tuple[str, int] | None:
        """The selected event's record (what Copy text copies)."""
        index = self.view.currentIndex()
        ev = self.model.event_at(index.row()) if index.isValid() else None
        return (ev.kind, ev.record_id) if ev is not None else None

    def show_record(self, kind: str, record_id: int) -> bool:
        return False  # records are shown in their own sections, not here

    def new_record(self) -> None:
        """Nothing to create here: the timeline lists what the other sections hold."""

    def delete_record(self) -> None:
        """Nothing is deleted from the timeline."""

    # -- opening an event -----------------------------------------------------------------

    def _open(self, index: QModelIndex) -> None:
        ev = self.model.event_at(index.row())
        if ev is None or ev.kind in _NOT_OPENED or self.case_id is None:
            return
        self.ctx.open_record.emit(ev.kind, ev.record_id, self.case_id)
