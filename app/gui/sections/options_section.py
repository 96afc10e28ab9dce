"""The Options section, one level of pages: "Options" (the list beside the selected option's
editor, with its bar: stances, interests, refine / merge / split, history) and "Matrix"
(options × parties, each party's current stance). A designed empty state while the case has
no option. (The dialogs: views/options.py.)"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QModelIndex,
    QPersistentModelIndex,
    QSize,
    Qt,
    Signal,
)
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.services.options import MatrixRow, stance_matrix_page
from app.core.services.paging import FIRST_PAGE, Page
from app.gui.context import AppContext
from app.gui.kinds import listed_record
from app.gui.labels import tr
from app.gui.models.options_matrix import FIRST_PARTY, STATUS, TITLE, OptionsMatrixModel
from app.gui.resources import icon
from app.gui.sections.options import (
    DeriveDialog,
    InterestsDialog,
    OptionHistoryDialog,
    StancesDialog,
)
from app.gui.sections.section import SectionView
from app.gui.sections.sessions_section import (
    bar_button,
    list_is_empty,
    need_selection,
    watch_rows,
)
from app.gui.widgets.empty_state import EmptyState


class OptionActions(QWidget):
    """The buttons above the options list; each acts on the selected option, and is
    disabled (its tooltip says why) while none is selected."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 6, 6, 0)
        row.setSpacing(4)
        self.buttons: dict[str, QPushButton] = {}
        for name, text, icon_name, tip in (
            ("stances", "Stances…", "option", "Record each party's stance on this option"),
            ("interests", "Interests…", "party", "Tick the interests this option addresses"),
            ("refine", "Refine…", "edit", "A better-worded option that remembers this one"),
            ("merge", "Merge…", "option", "Merge this option with others into one"),
            ("split", "Split…", "option", "Split this option into several"),
            ("history", "History…", "timeline", "Its lineage and every dated event"),
        ):
            b = bar_button(f"option_{name}", tr(text), icon_name, tr(tip))
            self.buttons[name] = b
            row.addWidget(b)
        row.addStretch(1)

    def set_selected(self, selected: bool) -> None:
        need_selection(
            list(self.buttons.values()), selected, tr("Select an option in the list first")
        )


def frozen_column_x(table: QTableView) -> int:
    """Where a frozen first column goes: over the first column, which a right-to-left
    layout puts on the right."""
    if table.isRightToLeft():
        port = table.viewport().geometry()
        return port.x() + port.width() - table.columnWidth(0)
    return table.verticalHeader().width() + table.frameWidth()


class FrozenColumnTable(QTableView):
    """A table whose first column stays in place while the others scroll sideways: a second
    view over the same model and selection shows column 0 on top (Qt's "frozen column")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.frozen = QTableView(self)
        self.frozen.setObjectName("frozen_column")
        self.frozen.setFrameShape(QFrame.Shape.NoFrame)
        self.frozen.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.frozen.verticalHeader().hide()
        self.frozen.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.frozen.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.frozen.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.viewport().stackUnder(self.frozen)
        self.horizontalHeader().sectionResized.connect(self._column_resized)
        self.verticalHeader().sectionResized.connect(
            lambda row, _old, new: self.frozen.setRowHeight(row, new)
        )
        self.frozen.verticalScrollBar().valueChanged.connect(self.verticalScrollBar().setValue)
        self.verticalScrollBar().valueChanged.connect(self.frozen.verticalScrollBar().setValue)
        self.frozen.doubleClicked.connect(self.doubleClicked.emit)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self.frozen.setModel(model)
        self.frozen.setSelectionModel(self.selectionModel())
        if model is not None:
            model.modelReset.connect(self._show_first_column_only)
            model.columnsInserted.connect(self._show_first_column_only)
        self._show_first_column_only()

    def setWordWrap(self, on: bool) -> None:
        super().setWordWrap(on)
        self.frozen.setWordWrap(on)

    def _show_first_column_only(self) -> None:
        model = self.model()
        columns = model.columnCount() if model is not None else 0
        for col in range(columns):
            self.frozen.setColumnHidden(col, col != 0)
        if columns:
            self.frozen.setColumnWidth(0, self.columnWidth(0))
        self.frozen.setVisible(columns > 0)
        self._place_frozen()

    def _column_resized(self, column: int, _old: int, new: int) -> None:
        if column == 0:
            self.frozen.setColumnWidth(0, new)
            self._place_frozen()

    def _place_frozen(self) -> None:
        frame = self.frameWidth()
        self.frozen.horizontalHeader().setFixedHeight(self.horizontalHeader().height())
        self.frozen.setGeometry(
            frozen_column_x(self),
            frame,
            self.columnWidth(0),
            self.viewport().height() + self.horizontalHeader().height(),
        )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_frozen()

    def updateGeometries(self) -> None:
        super().updateGeometries()
        self._place_frozen()

    def scrollTo(
        self,
        index: QModelIndex | QPersistentModelIndex,
        hint: QAbstractItemView.ScrollHint = (QAbstractItemView.ScrollHint.EnsureVisible),
    ) -> None:
        if index.column() > 0:  # never scroll a cell under the frozen column
            super().scrollTo(index, hint)


class OptionsMatrix(QWidget):
    """Options × parties: each party's current stance, coloured; hover for its history,
    double-click for the option's whole history. The option titles stay in place (a frozen
    column, wrapped) while the party columns scroll."""

    TITLE_MIN, TITLE_MAX = 200, 340
    PARTY_MAX = 150

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.show_closed = QPushButton(tr("Show merged, split and closed options"))
        self.show_closed.setObjectName("matrix_show_closed")
        self.show_closed.setCheckable(True)  # the style draws it plainly on or off
        self.show_closed.toggled.connect(lambda _on: self.reload())
        self.model = OptionsMatrixModel(self)
        self._shown: tuple[int, bool] | None = None  # the case and toggle the rows are of
        self.table = FrozenColumnTable()
        self.table.setObjectName("options_matrix")
        self.table.setModel(self.model)
        for view in (self.table, self.table.frozen):
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setMinimumSectionSize(30)
        # Heights are set from the wrapped titles (_fit_rows), once per content: sized to
        # contents, Qt measured every cell of every row at each geometry update (21,700
        # data() calls for the first 60 options of a big case).
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.model.rowsInserted.connect(lambda _p, first, last: self._fit_rows(first, last))
        columns = self.table.horizontalHeader()
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        columns.setTextElideMode(Qt.TextElideMode.ElideNone)  # wrap party names, do not cut
        columns.setStretchLastSection(False)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.doubleClicked.connect(self._open_history)
        self.note = QLabel()
        self.note.setObjectName("matrix_note")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.hide()
        hint = QLabel(
            tr(
                "Each party's current stance: hover a cell for its history, double-click a row "
                "for the option's whole story."
            )
        )
        hint.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(hint, 1)
        top.addWidget(self.show_closed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)

    @property
    def option_ids(self) -> list[int]:
        return [self.model.option_id(r) or 0 for r in range(self.model.rowCount())]

    def current_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.option_id(index.row()) if index.isValid() else None

    def select(self, option_id: int) -> bool:
        row = self.model.row_of(option_id)
        if row is None:
            return False
        self.table.selectRow(row)
        return True

    def _open_history(self, index: QModelIndex) -> None:
        option_id = self.model.option_id(index.row())
        if option_id is not None:
            OptionHistoryDialog(self.ctx, option_id, self).exec()

    def clear(self) -> None:
        """Forget every option title, party name and stance: on lock."""
        self.model.clear()
        self.note.clear()
        self._shown = None

    def reload(self) -> None:
        """The first page of the matrix (bounded, so read here); the rest as the view
        scrolls. A reload after an edit reads again as many rows as the view held, so the
        selected row and the scroll position stay."""
        vault, case_id = self.ctx.vault, self.ctx.case_id
        if case_id is None or not vault.is_unlocked:
            self.clear()
            return
        keep = self.current_id()
        include_closed = self.show_closed.isChecked()

        def fetch(after: Any, limit: int) -> Page[MatrixRow]:
            if not vault.is_unlocked:
                return Page([])
            return stance_matrix_page(
                vault, case_id, include_closed=include_closed, after=after, limit=limit
            )

        shown = (case_id, include_closed)
        held = self.model.rowCount() if shown == self._shown else 0
        self._shown = shown
        first = fetch(None, max(FIRST_PAGE, held))
        self.model.set_pager(first, fetch, self.ctx.choices("party"))
        if keep is not None:
            self.select(keep)
        self.note.setVisible(not first.rows)
        self.note.setText(
            tr(
                "No open option to compare: every option of this case is merged, split or "
                "closed. “Show merged, split and closed options” shows them too."
            )
            if not first.rows
            else ""
        )
        self._fit_columns()

    def _fit_columns(self) -> None:
        """Titles get up to 40 % of the width and wrap; the status and party columns fit
        their contents, party names wrapping onto up to three lines."""
        metrics = self.table.fontMetrics()
        titles = [str(self.model.index(r, TITLE).data()) for r in range(self.model.rowCount())]
        widest = max((metrics.horizontalAdvance(t) for t in titles), default=0) + 16
        limit = max(self.TITLE_MIN, min(self.TITLE_MAX, int(self.table.width() * 0.4)))
        self.table.setColumnWidth(TITLE, max(self.TITLE_MIN, min(widest, limit)))
        self.table.resizeColumnToContents(STATUS)
        lines = 1
        for col in range(FIRST_PARTY, self.model.columnCount()):
            name = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            longest_word = max((metrics.horizontalAdvance(w) for w in name.split()), default=0)
            width = max(
                self.table.sizeHintForColumn(col),
                longest_word + 20,
                min(metrics.horizontalAdvance(name) + 20, 110),
            )
            width = min(width, self.PARTY_MAX)
            self.table.setColumnWidth(col, width)
            box = metrics.boundingRect(0, 0, width - 16, 1000, int(Qt.TextFlag.TextWordWrap), name)
            lines = max(lines, min(3, round(box.height() / metrics.lineSpacing())))
        self.table.horizontalHeader().setFixedHeight(metrics.lineSpacing() * lines + 14)
        self._fit_rows(0, self.model.rowCount() - 1)

    def _fit_rows(self, first: int, last: int) -> None:
        """Each row as tall as its title wrapped in the title column (the other cells hold
        one short line: a status or a stance)."""
        metrics = self.table.fontMetrics()
        width = max(self.table.columnWidth(TITLE) - 8, 40)
        flags = int(Qt.TextFlag.TextWordWrap)
        for row in range(first, last + 1):
            title = str(self.model.index(row, TITLE).data() or "")
            height = metrics.boundingRect(0, 0, width, 10_000, flags, title).height() + 12
            self.table.setRowHeight(row, max(30, height))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.model.rowCount():
            self._fit_columns()

    def sizeHint(self) -> QSize:
        return QSize(640, 400)


class OptionsSection(QWidget):
    """Implements app.gui.sections.protocol.Section for options and their stances."""

    current_changed = Signal()  # current() may have changed: the window updates its actions

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view = SectionView(ctx, "option")
        # Options and their stances, the parties (the matrix's columns), what an option can
        # address (profile entries), and what the option's form points at.
        self.watches: frozenset[str] = self.view.watches | {"stance", "party", "profile_entry"}
        self.bar = OptionActions()
        self.bar.buttons["stances"].clicked.connect(self.record_stances)
        self.bar.buttons["interests"].clicked.connect(self.option_interests)
        for mode in ("refine", "merge", "split"):
            self.bar.buttons[mode].clicked.connect(lambda _c=False, m=mode: self.derive_option(m))
        self.bar.buttons["history"].clicked.connect(self.option_history)
        board = QWidget()
        v = QVBoxLayout(board)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(0)
        v.addWidget(self.bar)
        v.addWidget(self.view, 1)
        self.board = board
        self.matrix = OptionsMatrix(ctx)
        self._matrix_stale = True
        self.pages = QTabWidget()
        self.pages.setObjectName("options_pages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(board, icon("option"), tr("Options"))
        self.pages.addTab(self.matrix, icon("party"), tr("Matrix"))
        self.pages.currentChanged.connect(lambda _i: self._refresh_matrix())
        self.empty = EmptyState()
        self.empty.setObjectName("options_empty")
        self.empty.button.setObjectName("options_empty_action")
        self.empty.show_state(
            tr("No options yet"),
            tr(
                "An option is an idea for resolution, raised by a party, a person or you. "
                "Add the first one here, or raise one from a session's live notes; then record "
                "each party's stance and follow them all in the Matrix."
            ),
            tr("New option…"),
            "option",
        )
        self.empty.activated.connect(self.new_record)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.pages)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.view.list.current_changed.connect(
            lambda _id: self.bar.set_selected(self.view.list.current_id() is not None)
        )
        self.view.list.current_changed.connect(lambda _id: self.current_changed.emit())
        self.matrix.table.selectionModel().currentRowChanged.connect(
            lambda *_a: self.current_changed.emit()
        )
        self.pages.currentChanged.connect(lambda _i: self.current_changed.emit())
        watch_rows(self.view, self._rows_changed)
        self.bar.set_selected(False)

    def _rows_changed(self) -> None:
        # A reload (a filter typed, a record gone) changes the selection without saying so.
        self._update_empty()
        self.bar.set_selected(self.view.list.current_id() is not None)
        self.current_changed.emit()

    # -- Section protocol -----------------------------------------------------------------

    def set_case(self, case_id: int | None) -> None:
        self.view.set_case(case_id)
        self.bar.set_selected(self.view.list.current_id() is not None)
        self._matrix_stale = True
        self._refresh_matrix()
        self._update_empty()

    def reload(self) -> None:
        self.view.reload()
        self._matrix_stale = True
        self._refresh_matrix()
        self._update_empty()

    def clear(self) -> None:
        self.view.clear()
        self.matrix.clear()
        self._matrix_stale = True
        self.bar.set_selected(False)

    def current(self) -> tuple[str, int] | None:
        option_id = self._current_option()
        return ("option", option_id) if option_id is not None else None

    def show_record(self, kind: str, record_id: int) -> bool:
        listed = listed_record(kind, record_id, self.ctx.records.get)
        if listed is None or listed[0] != "option":
            return False
        kind, record_id = listed
        self.pages.setCurrentWidget(self.board)
        if not self.view.show_record(kind, record_id):
            return False
        self._update_empty()
        self.view.list.view.setFocus()
        return True

    def new_record(self) -> None:
        self.view.new_record()

    def delete_record(self) -> None:
        option_id = self._current_option()
        if option_id is not None and self.view.list.current_id() != option_id:
            self.view.select(option_id)
        self.view.delete_record()

    # -- pages ----------------------------------------------------------------------------

    def show_matrix(self) -> None:
        self.pages.setCurrentWidget(self.matrix)

    def _refresh_matrix(self) -> None:
        """The matrix is read when in view; while hidden it is only marked stale."""
        if self.pages.currentWidget() is self.matrix and self._matrix_stale:
            self._matrix_stale = False
            self.matrix.reload()
            selected = self.view.list.current_id()
            if selected is not None:
                self.matrix.select(selected)

    def _update_empty(self) -> None:
        self.stack.setCurrentWidget(self.empty if list_is_empty(self.view) else self.pages)

    def _current_option(self) -> int | None:
        if self.pages.currentWidget() is self.matrix:
            return self.matrix.current_id()
        return self.view.list.current_id()

    # -- the bar --------------------------------------------------------------------------

    def record_stances(self) -> None:
        if (option_id := self._current_option()) is not None:
            StancesDialog(self.ctx, option_id, self).exec()

    def option_interests(self) -> None:
        if (option_id := self._current_option()) is not None:
            InterestsDialog(self.ctx, option_id, self).exec()

    def derive_option(self, mode: str) -> None:
        if (option_id := self._current_option()) is None:
            return
        dialog = DeriveDialog(self.ctx, mode, option_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.new_ids:
            self.view.select(dialog.new_ids[0])

    def option_history(self) -> None:
        if (option_id := self._current_option()) is not None:
            OptionHistoryDialog(self.ctx, option_id, self).exec()
