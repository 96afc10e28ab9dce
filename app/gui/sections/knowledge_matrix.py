"""Who knows what, a page of the Shuttle Log: every message of the case against every party,
in a table whose first (message) column stays in view while the party columns scroll.

Paged: the first screenful of messages (in the order said) is read when the page is shown,
the next as the table is scrolled to its end; the header says how many there are (a count
in the index). The header does not sort: a sort of the rows read so far would lie."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.models import utcnow
from app.core.services import knowledge
from app.core.services.paging import FIRST_PAGE, Page
from app.gui.context import AppContext
from app.gui.labels import tr
from app.gui.models.knowledge_matrix import FIXED, KNOWLEDGE_COLOURS, KnowledgeMatrixModel
from app.gui.sections.knowledge import (
    Empty,
    message_at,
    select_message,
    setup_table,
    while_unlocked,
)
from app.gui.sections.options_section import frozen_column_x


class FrozenColumnTable(QTableView):
    """A table whose first column stays in place while the others scroll sideways: a second
    view over the same model and selection shows only that column, on top (as in Qt's
    "Frozen Column" example)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frozen = QTableView(self)
        self.frozen.setObjectName("frozen_column")
        self.frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frozen.verticalHeader().hide()
        self.frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setFrameShape(QFrame.Shape.NoFrame)
        self.frozen.setAlternatingRowColors(True)
        self.frozen.setWordWrap(False)
        self.frozen.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.frozen.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.frozen.setStyleSheet(
            "QTableView#frozen_column { border-right: 1px solid palette(mid); }"
        )
        self.viewport().stackUnder(self.frozen)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.frozen.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.horizontalHeader().sectionResized.connect(self._section_width)
        self.verticalHeader().sectionResized.connect(self._section_height)
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        # A click on the frozen column's header sorts like a click on the table's.
        self.frozen.horizontalHeader().sectionClicked.connect(
            lambda c: self.horizontalHeader().sectionClicked.emit(c)
        )

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        if model is not None:
            model.modelReset.connect(self._hide_others)
            model.layoutChanged.connect(self._hide_others)
            model.columnsInserted.connect(self._hide_others)
        self._hide_others()

    def _hide_others(self) -> None:
        model = self.model()
        columns = model.columnCount() if model is not None else 0
        for c in range(columns):
            self.frozen.setColumnHidden(c, c != 0)
        self.frozen.setColumnWidth(0, self.columnWidth(0))
        self.frozen.verticalHeader().setDefaultSectionSize(
            self.verticalHeader().defaultSectionSize()
        )
        self._geometry()

    def _section_width(self, index: int, _old: int, new: int) -> None:
        if index == 0:
            self.frozen.setColumnWidth(0, new)
            self._geometry()

    def _section_height(self, index: int, _old: int, new: int) -> None:
        self.frozen.setRowHeight(index, new)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._geometry()

    def scrollTo(
        self,
        index: QModelIndex | QPersistentModelIndex,
        hint: QAbstractItemView.ScrollHint = QAbstractItemView.ScrollHint.EnsureVisible,
    ) -> None:
        bar = self.horizontalScrollBar()
        sideways = bar.value()
        super().scrollTo(index, hint)
        if index.column() == 0:  # always in view: scroll up or down only
            bar.setValue(sideways)

    def moveCursor(
        self, action: QAbstractItemView.CursorAction, modifiers: Qt.KeyboardModifier
    ) -> QModelIndex:
        current = super().moveCursor(action, modifiers)
        frozen_width = self.frozen.columnWidth(0)
        if action == QAbstractItemView.CursorAction.MoveLeft and current.column() > 0:
            x = self.visualRect(current).topLeft().x()
            if x < frozen_width:
                bar = self.horizontalScrollBar()
                bar.setValue(bar.value() + x - frozen_width)
        return current

    def _geometry(self) -> None:
        self.frozen.setGeometry(
            frozen_column_x(self),
            self.frameWidth(),
            self.columnWidth(0),
            self.viewport().height() + self.horizontalHeader().height(),
        )


_LEGEND = (
    knowledge.Knowledge.SENDER,
    knowledge.Knowledge.TOLD_ATTRIBUTED,
    knowledge.Knowledge.TOLD_UNATTRIBUTED,
    knowledge.Knowledge.MEANT_FOR,
    knowledge.Knowledge.WITHHELD,
)
PARTY_WIDTH = 150  # a party column: at least "meant for, not yet told"
MAX_PARTY = 230  # and at most this for a long name (elided; its tool tip says it whole)
MIN_MATRIX_MESSAGE = 200


class MatrixPage(QWidget):
    """Who knows what: every message of the case against every party."""

    current_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = KnowledgeMatrixModel(self)
        self.view = FrozenColumnTable()
        self.view.setModel(self.model)  # paged: in the order said, no sorting proxy
        setup_table(self.view, "matrix_table")
        self.view.setSortingEnabled(False)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.view.viewport().installEventFilter(self)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.current_changed.emit())
        legend = QLabel(
            "  ".join(
                f"<span style='background:{KNOWLEDGE_COLOURS[k]}; color:#202124'>"
                f"&nbsp;{tr(k.value)}&nbsp;</span>"
                for k in _LEGEND
            )
        )
        legend.setObjectName("matrix_legend")
        legend.setWordWrap(False)
        legend.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Maximum)
        self.empty = Empty("matrix_empty")
        self.empty.say(
            tr("No messages yet"),
            tr(
                "Who knows what shows every message of the case against every party: who "
                "said it, who was told (naming its source or not), who it is meant for. Log "
                "a message with Quick capture (Ctrl+Shift+M)."
            ),
        )
        self.count = QLabel()
        self.count.setObjectName("matrix_count")
        top = QHBoxLayout()
        top.addWidget(legend, 1)
        top.addWidget(self.count)
        table = QWidget()
        tv = QVBoxLayout(table)
        tv.setContentsMargins(0, 0, 0, 0)
        tv.addLayout(top)
        tv.addWidget(self.view, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(table)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.stack)

    def load(self, case_id: int | None) -> None:
        vault = self.ctx.vault
        if case_id is None or not vault.is_unlocked:
            self.model.clear()
            self.count.clear()
        else:
            # The columns and "now" of the first page hold for the pages that follow.
            parties = knowledge.knowledge_parties(vault, case_id)
            at = utcnow()

            def fetch(after: Any, limit: int) -> Page[knowledge.MatrixRow]:
                return knowledge.knowledge_page(
                    vault, case_id, at=at, after=after, limit=limit, parties=parties
                )

            self.model.set_pager(parties, fetch(None, FIRST_PAGE), while_unlocked(vault, fetch))
            n = knowledge.knowledge_count(vault, case_id)
            self.count.setText(
                tr("{n} messages").format(n=QLocale().toString(n)) if n != 1 else tr("1 message")
            )
        has = self.model.rowCount() > 0
        self.stack.setCurrentIndex(1 if has else 0)
        if has:
            self._fit()

    def _fit(self) -> None:
        """Every party column in view when they fit at PARTY_WIDTH or more (the message
        column keeping MIN_MATRIX_MESSAGE); else PARTY_WIDTH each and the view scrolls
        sideways under the frozen message column."""
        view = self.view
        parties = self.model.columnCount() - len(FIXED)
        for c in range(1, len(FIXED)):
            view.resizeColumnToContents(c)
        fixed = sum(view.columnWidth(c) for c in range(1, len(FIXED)))
        width = view.viewport().width()
        per = (width - fixed - MIN_MATRIX_MESSAGE) // max(1, parties)
        party = min(per, MAX_PARTY) if per >= PARTY_WIDTH else PARTY_WIDTH
        for c in range(len(FIXED), self.model.columnCount()):
            view.setColumnWidth(c, party)
        view.setColumnWidth(0, max(MIN_MATRIX_MESSAGE, width - fixed - parties * party))

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        resized = obj is self.view.viewport() and event.type() == QEvent.Type.Resize
        if resized and self.model.rowCount():
            self._fit()
        return super().eventFilter(obj, event)

    def selected_message(self) -> int | None:
        return message_at(self.view)

    def select_message(self, message_id: int) -> bool:
        return select_message(self.view, message_id)

    def selected_party(self) -> int | None:
        return None

    def current(self) -> tuple[str, int] | None:
        mid = self.selected_message()
        return ("message", mid) if mid is not None else None

    def reload(self) -> None:
        self.load(self.ctx.case_id)

    def clear(self) -> None:
        self.model.clear()
        self.count.clear()
        self.stack.setCurrentIndex(0)
