"""The Commitments section: the case's register of commitments (who promised what to whom,
by when, and where each stands) across the top, and below it the selected one in words beside
its course; above the register, its filters and each party's record ("kept 2 of 3 on time
(1 broken)").

Keyboard first: Ctrl+N a new commitment (the window's New item), Enter or a double-click
edits, Del deletes (Ctrl+Z brings it back with its course), Ctrl+Shift+R records an outcome;
in the course, Enter edits an outcome and Del deletes it. The register is a few queries, read
on the GUI thread like the other lists of a case. (The lower pane: commitment_detail.py; the
dialogs: commitment_dialogs.py; the undo commands: commitment_commands.py; the models:
app/gui/models/commitment_register.py.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from html import escape

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LiaisonError
from app.core.services.commitments import CommitmentRow, OutcomeRow, record_of, register
from app.gui.context import AppContext
from app.gui.forms import blocked
from app.gui.labels import tr
from app.gui.models.commitment_register import (
    COLUMN_KINDS,
    DUE,
    WHAT,
    CommitmentRegisterModel,
    Show,
    record_words,
)
from app.gui.models.text_critique_matrix import day_label, first_words
from app.gui.sections.commitment_commands import DeleteCommitment, DeleteOutcome
from app.gui.sections.commitment_detail import CommitmentDetail
from app.gui.sections.commitment_dialogs import CommitmentDialog, OutcomeDialog
from app.gui.sections.sessions_section import bar_button, need_selection
from app.gui.widgets.empty_state import EmptyState
from app.gui.widgets.fit_table import FitTableView


def _run(dialog: QDialog) -> bool:
    """Show a dialog until it closes (True: saved), then let it go: a closed dialog kept as
    the section's child would hold what it showed."""
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return accepted


class CommitmentsSection(QWidget):
    """Implements app.gui.sections.protocol.Section for commitments and their outcomes."""

    current_changed = Signal()  # current() may have changed: the window updates its actions
    watches: frozenset[str] = frozenset(
        {"commitment", "commitment_event", "party", "person", "message", "session"}
    )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._selected: int | None = None
        # The bar: the register's filters, and what can be done.
        self.show_combo = QComboBox()
        self.show_combo.setObjectName("commitments_show")
        for show in Show:
            self.show_combo.addItem(tr(show.value), show.name)
        self.party_combo = QComboBox()
        self.party_combo.setObjectName("commitments_party")
        self.party_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.party_combo.setMinimumContentsLength(14)
        self.party_combo.addItem(tr("Every party"), None)
        self.new_button = bar_button(
            "new_commitment",
            tr("New commitment…"),
            "add",
            tr("Who promised what to whom, and by when (Ctrl+N)"),
        )
        self.edit_button = bar_button(
            "edit_commitment", tr("Edit…"), "edit", tr("This commitment's fields (Enter)")
        )
        self.delete_button = bar_button(
            "delete_commitment",
            tr("Delete"),
            "delete",
            tr("Delete this commitment and its course (Del); Ctrl+Z brings it back"),
        )
        self.top = QWidget()
        top = QHBoxLayout(self.top)
        top.setContentsMargins(6, 6, 6, 0)
        top.addWidget(QLabel(tr("Show")))
        top.addWidget(self.show_combo)
        top.addWidget(QLabel(tr("made by")))
        top.addWidget(self.party_combo)
        top.addStretch(1)
        for b in (self.new_button, self.edit_button, self.delete_button):
            top.addWidget(b)
        # Each party's record, in one line of words (wrapped where the window is narrow).
        self.records = QLabel()
        self.records.setObjectName("party_records")
        self.records.setWordWrap(True)
        self.records.setTextFormat(Qt.TextFormat.RichText)
        self.records.setContentsMargins(8, 2, 8, 2)
        # The register.
        self.model = CommitmentRegisterModel(self)
        self.table = FitTableView()
        self.table.setObjectName("commitments_register")
        self.table.setModel(self.model)
        self.table.set_column_kinds(COLUMN_KINDS, WHAT)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSortIndicator(DUE, Qt.SortOrder.AscendingOrder)  # the register's order
        header.setSortIndicatorShown(True)
        self.table.setSortingEnabled(True)
        # Below it, the selected commitment in words beside its course.
        self.pane = CommitmentDetail(ctx)
        self.detail, self.course = self.pane.detail, self.pane.course
        self.course_model, self.course_empty = self.pane.course_model, self.pane.course_empty
        self.outcome_button = self.pane.outcome_button
        self.edit_outcome_button = self.pane.edit_outcome_button
        self.delete_outcome_button = self.pane.delete_outcome_button
        # (The register across the whole width: its seven columns need it.)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("commitments_splitter")
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.pane)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([520, 480])
        self.empty = EmptyState()
        self.empty.setObjectName("commitments_empty")
        self.empty.activated.connect(self._empty_action)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.top)
        layout.addWidget(self.records)
        layout.addWidget(self.stack, 1)
        # Wiring.
        self.show_combo.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.party_combo.currentIndexChanged.connect(lambda _i: self._filter_changed())
        self.new_button.clicked.connect(self.new_record)
        self.edit_button.clicked.connect(self.edit_commitment)
        self.delete_button.clicked.connect(self.delete_record)
        self.outcome_button.clicked.connect(self.record_outcome)
        self.edit_outcome_button.clicked.connect(self.edit_outcome)
        self.delete_outcome_button.clicked.connect(self.delete_outcome)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.table.doubleClicked.connect(lambda _i: self.edit_commitment())
        self.course.selectionModel().currentRowChanged.connect(lambda *_a: self._update_bar())
        self.course.doubleClicked.connect(lambda _i: self.edit_outcome())
        QShortcut(
            QKeySequence("Ctrl+Shift+R"),
            self,
            self.record_outcome,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        # Enter and Del in the register act on the commitment, in the course on the outcome
        # (keys the views themselves do not use; shortcuts of the same keys on both views
        # would be ambiguous to Qt and fire on neither).
        self._keys: dict[tuple[QWidget, int], Callable[[], object]] = {}
        for view, edit, delete in (
            (self.table, self.edit_commitment, self.delete_record),
            (self.course, self.edit_outcome, self.delete_outcome),
        ):
            self._keys[(view, Qt.Key.Key_Return.value)] = edit
            self._keys[(view, Qt.Key.Key_Enter.value)] = edit
            self._keys[(view, Qt.Key.Key_Delete.value)] = delete
            view.installEventFilter(self)
        self.setTabOrder(self.show_combo, self.party_combo)
        self.setTabOrder(self.party_combo, self.new_button)
        self.setTabOrder(self.new_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.delete_button)
        self.setTabOrder(self.delete_button, self.table)
        self.setTabOrder(self.table, self.outcome_button)
        self.setTabOrder(self.outcome_button, self.course)
        ctx.record_changed.connect(self._record_changed)
        self._update_bar()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            mods = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
            slot = self._keys.get((watched, event.key())) if isinstance(watched, QWidget) else None
            if slot is not None and mods == Qt.KeyboardModifier.NoModifier:
                slot()
                return True
        return super().eventFilter(watched, event)

    # -- what is selected -----------------------------------------------------------------

    def selected(self) -> CommitmentRow | None:
        index = self.table.currentIndex()
        return self.model.commitment(index.row()) if index.isValid() else None

    def selected_outcome(self) -> OutcomeRow | None:
        return self.pane.selected_outcome()

    def select(self, commitment_id: int) -> bool:
        row = self.model.row_of(commitment_id)
        if row is None:
            return False
        self.table.setCurrentIndex(self.model.index(row, WHAT))
        self.table.scrollTo(self.model.index(row, WHAT))
        return True

    # -- loading --------------------------------------------------------------------------

    def _load(self) -> None:
        """Read the case's register again, keeping the selected commitment where it can."""
        vault, case_id = self.ctx.vault, self.ctx.case_id
        if case_id is None or not vault.is_unlocked:
            self.clear()
            return
        keep = self._selected
        today = date.today()  # overdue on the user's own day
        rows = register(vault, case_id, today=today)
        self.model.set_register(rows, today)
        self._fill_parties()
        makers = sorted(
            {(r.party_name, r.party_id) for r in rows if r.party_id is not None},
            key=lambda p: p[0].casefold(),
        )
        self.records.setText(
            "&nbsp;&nbsp;·&nbsp; ".join(
                tr("<b>{party}</b>: {record}").format(
                    party=escape(name), record=escape(record_words(record_of(rows, pid, name)))
                )
                for name, pid in makers
            )
        )
        self.records.setVisible(bool(makers))
        if keep is None or not self.select(keep):
            if self.model.rowCount():
                self.table.setCurrentIndex(self.model.index(0, WHAT))
            else:
                self._selected = None
        self._show_selected()
        self._update_state()
        self.current_changed.emit()

    def _fill_parties(self) -> None:
        """The parties of the case in the "made by" filter, keeping the one chosen."""
        chosen = self.party_combo.currentData()
        with blocked(self.party_combo):
            self.party_combo.clear()
            self.party_combo.addItem(tr("Every party"), None)
            for pid, name in self.ctx.choices("party"):
                self.party_combo.addItem(name, pid)
            self.party_combo.setCurrentIndex(max(0, self.party_combo.findData(chosen)))
        if self.party_combo.currentData() != chosen:  # that party is gone
            self.model.set_filter(self.model.show, None)

    def _update_state(self) -> None:
        """The register, or what to do while it shows nothing."""
        has_any = bool(self.model.all_rows)
        if self.model.rowCount():
            self.stack.setCurrentWidget(self.splitter)
        elif has_any:
            self.empty.show_state(
                tr("No commitment matches this filter"),
                tr("{n} other commitments are in the register.").format(n=len(self.model.all_rows)),
                tr("Show them all"),
                "search",
            )
            self.stack.setCurrentWidget(self.empty)
        else:
            self.empty.show_state(
                tr("No commitments yet"),
                tr(
                    "A commitment is a promise a party made: what, to whom, under which "
                    "condition and by when. Record where it was said, then each outcome as "
                    "it comes (kept, kept late, partly kept, broken, withdrawn): each party's "
                    "record follows."
                ),
                tr("New commitment…"),
                "add",
            )
            self.stack.setCurrentWidget(self.empty)
        self.top.setVisible(has_any or self.ctx.case_id is None)
        self._update_bar()

    def _empty_action(self) -> None:
        if self.model.all_rows:
            self.show_all()
        else:
            self.new_record()

    def show_all(self) -> None:
        """Every commitment again (no filter)."""
        with blocked(self.show_combo), blocked(self.party_combo):
            self.show_combo.setCurrentIndex(0)
            self.party_combo.setCurrentIndex(0)
        self._filter_changed()

    def _filter_changed(self) -> None:
        show = Show[str(self.show_combo.currentData() or Show.ALL.name)]
        keep = self._selected
        self.model.set_filter(show, self.party_combo.currentData())
        if keep is None or not self.select(keep):
            if self.model.rowCount():
                self.table.setCurrentIndex(self.model.index(0, WHAT))
            else:
                self._selected = None
                self._show_selected()
        self._update_state()
        self.current_changed.emit()

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = self.model.commitment(current.row()) if current.isValid() else None
        self._selected = row.id if row is not None else None
        self._show_selected()
        self._update_bar()
        self.current_changed.emit()

    def _show_selected(self, outcome_id: int | None = None) -> None:
        self.pane.show_commitment(self.selected(), self.model.today, outcome_id)

    # -- updates from elsewhere -----------------------------------------------------------

    def _record_changed(self, kind: str, record_id: int) -> None:
        """Show what an edit, an undo or a redo did here: the window has reloaded the
        section; this selects the commitment (and the outcome) it was about."""
        if record_id < 0 or not self.isVisible() or kind not in ("commitment", "commitment_event"):
            return
        self.show_record(kind, record_id, focus=False)

    # -- Section protocol -----------------------------------------------------------------

    def set_case(self, case_id: int | None) -> None:
        self._selected = None
        with blocked(self.show_combo), blocked(self.party_combo):
            self.show_combo.setCurrentIndex(0)
            self.party_combo.setCurrentIndex(0)
        self.model.set_filter(Show.ALL, None)
        self._load()

    def reload(self) -> None:
        self._load()

    def clear(self) -> None:
        self._selected = None
        self.model.clear()
        self.pane.clear()
        self.records.clear()
        with blocked(self.party_combo):
            self.party_combo.clear()
            self.party_combo.addItem(tr("Every party"), None)
        self._update_bar()

    def current(self) -> tuple[str, int] | None:
        row = self.selected()
        return ("commitment", row.id) if row is not None else None

    def show_record(self, kind: str, record_id: int, *, focus: bool = True) -> bool:
        """A commitment, or an outcome (in its commitment's course)."""
        outcome_id = None
        if kind == "commitment_event":
            try:
                outcome_id = record_id
                record_id = int(self.ctx.records.get(kind, record_id)["commitment_id"])
            except LiaisonError:
                return False
        elif kind != "commitment":
            return False
        if self.ctx.case_id is None:
            return False
        if self.model.find(record_id) is None:
            self._load()  # (new since the last read)
            if self.model.find(record_id) is None:
                return False  # not of this case
        if self.model.row_of(record_id) is None:
            self.show_all()  # the filter hid it
        self.select(record_id)
        self._show_selected(outcome_id)
        self._update_bar()
        if focus:
            (self.course if outcome_id is not None else self.table).setFocus()
        return True

    def new_record(self) -> None:
        """Ctrl+N: a new commitment."""
        self.new_commitment()

    def delete_record(self) -> None:
        """Del (or Ctrl+Delete): delete the selected commitment, asking first."""
        row = self.selected()
        if row is None:
            return
        course = (
            tr(" and its course ({n} outcomes)").format(n=len(row.outcomes)) if row.outcomes else ""
        )
        answer = QMessageBox.question(
            self,
            tr("Delete commitment"),
            tr("Delete the commitment “{what}”{course}? Ctrl+Z brings it back.").format(
                what=first_words(row.what, 60), course=course
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.run(DeleteCommitment(self.ctx, row.id))

    # -- the bar --------------------------------------------------------------------------

    def _update_bar(self) -> None:
        has_case = self.ctx.case_id is not None and self.ctx.vault.is_unlocked
        self.new_button.setEnabled(has_case)
        selected = self.selected() is not None
        pick = tr("Select a commitment in the register first.")
        need_selection([self.edit_button, self.delete_button, self.outcome_button], selected, pick)
        need_selection(
            [self.edit_outcome_button, self.delete_outcome_button],
            self.selected_outcome() is not None,
            tr("Select an outcome in the course first."),
        )

    # -- actions --------------------------------------------------------------------------

    def new_commitment(self) -> None:
        case_id = self.ctx.case_id
        if case_id is None or not self.ctx.vault.is_unlocked:
            return
        if not self.ctx.choices("party"):
            self.ctx.error_handler(
                tr(
                    "A commitment is made by a party: add the case's parties first "
                    "(Parties & People)."
                )
            )
            return
        dialog = CommitmentDialog(self.ctx, case_id, self.model.all_rows, None, self)
        if _run(dialog) and dialog.created_id is not None:
            self.show_record("commitment", dialog.created_id)

    def edit_commitment(self) -> None:
        row = self.selected()
        if row is None or self.ctx.case_id is None:
            return
        _run(CommitmentDialog(self.ctx, self.ctx.case_id, self.model.all_rows, row, self))
        self.table.setFocus()

    def record_outcome(self) -> None:
        row = self.selected()
        if row is None:
            return
        dialog = OutcomeDialog(self.ctx, row, None, self)
        if _run(dialog) and dialog.created_id is not None:
            self.show_record("commitment_event", dialog.created_id, focus=False)

    def edit_outcome(self) -> None:
        row, outcome = self.selected(), self.selected_outcome()
        if row is None or outcome is None:
            return
        _run(OutcomeDialog(self.ctx, row, outcome, self))

    def delete_outcome(self) -> None:
        outcome = self.selected_outcome()
        if outcome is None:
            return
        answer = QMessageBox.question(
            self,
            tr("Delete outcome"),
            tr("Delete the outcome of {day} from the course? Ctrl+Z brings it back.").format(
                day=day_label(outcome.on)
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.run(DeleteOutcome(self.ctx, outcome.id))
