"""A list of records with a filter box and New / Edit / Delete, used for every section and
for the child lists inside a record (a party's profile, a session's agenda, ...)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QLineEdit,
    QMessageBox,
    QScrollArea,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.services import lists
from app.gui.context import AppContext
from app.gui.forms import RecordForm, blocked
from app.gui.kinds import fields_of, kind_of, word
from app.gui.labels import tr
from app.gui.models.record_table import RecordTableModel, enable_sorting
from app.gui.resources import icon
from app.gui.undo import CreateRecord, DeleteRecord, EditRecord
from app.gui.widgets.dialog_parts import save_cancel
from app.gui.widgets.empty_state import EmptyState
from app.gui.widgets.fit_table import FitTableView


def default_values(kind: str, scope_key: str | None, scope_id: int | None) -> dict[str, Any]:
    """Sensible starting values for a new record: now, today, the scope it belongs to."""
    values: dict[str, Any] = {}
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    for f in fields_of(kind):
        if f.widget == "datetime" and f.key in (
            "said_at",
            "delivered_at",
            "noted_at",
            "written_at",
            "recorded_at",
            "released_at",
        ):
            values[f.key] = now
        elif f.widget == "date" and f.key in ("recorded_on", "raised_on"):
            values[f.key] = date.today()
        elif f.widget == "enum" and f.enum is not None:
            values[f.key] = next(iter(f.enum)).value
    if kind == "message":
        values["disclosure"] = "confidential"  # the safe default: nothing travels unasked
    if scope_key and scope_id is not None:
        values[scope_key] = scope_id
    return values


def _needs(button: QToolButton, ok: bool, tip: str, why: str) -> None:
    """Enable a button, or disable it with a tip that says what to do first."""
    button.setEnabled(ok)
    button.setToolTip(tip if ok else why)
    button.setStatusTip("" if ok else why)


class RecordDialog(QDialog):
    """A record's form in a dialog, for creating records and editing child records."""

    def __init__(
        self,
        ctx: AppContext,
        kind: str,
        record: dict[str, Any],
        title: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.form = RecordForm(kind, ctx.choices, self)
        self.form.load(record)
        scroll = QScrollArea()
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        buttons = save_cancel(self.accept, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
        self.resize(560, min(720, 140 + 48 * len(fields_of(kind))))
        self.form.first_editor().setFocus()


class RecordList(QWidget):
    """Table + filter + actions over one kind of record, optionally scoped (``scope_key``).

    An empty list says what its records are and offers one button to make the first; Edit
    and Delete are disabled, with a tip saying why, while no row is selected."""

    current_changed = Signal(int)  # record id, or -1

    def __init__(
        self,
        ctx: AppContext,
        list_name: str,
        *,
        scope_key: str | None = None,
        edit_in_dialog: bool = True,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.list_name = list_name
        self.kind = lists.LISTS[list_name].kind
        self.scope_key = scope_key
        self.edit_in_dialog = edit_in_dialog
        self.model = RecordTableModel(ctx.vault, list_name, parent=self)

        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText(tr("Filter…"))
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setObjectName(f"filter_{list_name}")
        self._filter_timer = QTimer(self, singleShot=True, interval=200)
        self._filter_timer.timeout.connect(lambda: self.model.set_filter(self.filter_box.text()))
        self.filter_box.textChanged.connect(lambda _t: self._filter_timer.start())

        self.new_button = self._tool("add", tr("New"), self.create_record)
        self.new_button.setObjectName("new")
        self.edit_button = self._tool("edit", tr("Edit"), self.edit_current)
        self.edit_button.setObjectName("edit")
        if not edit_in_dialog:  # in a section, the form beside edits
            # hide(), not setVisible(True): on a widget with no parent yet that shows it as a
            # window of its own for a moment, which takes the focus from the main window.
            self.edit_button.hide()
        self.delete_button = self._tool("delete", tr("Delete"), self.delete_current)
        self.delete_button.setObjectName("delete")
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.new_button)
        top.addWidget(self.edit_button)
        top.addWidget(self.delete_button)

        self.view = FitTableView()
        self.view.setObjectName(f"table_{list_name}")
        self.view.setModel(self.model)
        columns = self.model.spec.columns
        naming = [i for i, c in enumerate(columns) if c.key in ("title", "summary", "name")]
        self.view.set_column_kinds([c.kind for c in columns], naming[0] if naming else None)
        self.view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        enable_sorting(self.view)  # in the list's own order (not Qt's first column, Z to A)
        self.view.setAlternatingRowColors(True)
        self.view.setWordWrap(False)
        self.view.verticalHeader().setVisible(False)
        self.view.verticalHeader().setDefaultSectionSize(26)
        header = self.view.horizontalHeader()
        # Fit columns to the first rows only: measuring every loaded row costs more than it gives.
        header.setResizeContentsPrecision(50)
        self.view.selectionModel().currentRowChanged.connect(self._row_changed)
        self.view.doubleClicked.connect(lambda _i: self.edit_current())

        self.empty = EmptyState(compact=edit_in_dialog)
        self.empty.activated.connect(self._empty_action)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.view)
        self.stack.addWidget(self.empty)
        for signal in (self.model.modelReset, self.model.rowsInserted, self.model.rowsRemoved):
            signal.connect(self._update_state)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.stack, 1)
        ctx.record_changed.connect(self._on_record_changed)
        self._update_state()

    def _tool(self, icon_name: str, text: str, slot: Any) -> QToolButton:
        b = QToolButton()
        b.setIcon(icon(icon_name))
        b.setText(text)
        b.setToolTip(text)
        b.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        b.clicked.connect(slot)
        return b

    # -- what can be done now -------------------------------------------------------------

    def _has_scope(self) -> bool:
        return not self.scope_key or self.scope_id is not None

    def _needs_scope_text(self) -> str:
        parent = kind_of(self.kind).parent
        if parent is not None:
            return tr("Select or create a {parent} first.").format(parent=word(parent[0]))
        return tr("Open a case first: {plural} belong to a case.").format(
            plural=tr(kind_of(self.kind).plural).lower()
        )

    def _update_state(self, *_args: object) -> None:
        """Enable what can be done (a tip says why not), and show the empty state if the
        list has no rows."""
        scoped = self._has_scope()
        _needs(
            self.new_button,
            scoped,
            tr("New {kind}").format(kind=word(self.kind)),
            self._needs_scope_text(),
        )
        selected = self.current_id() is not None
        _needs(
            self.edit_button,
            selected,
            tr("Edit the selected {kind}").format(kind=word(self.kind)),
            tr("Select a {kind} in the list to edit it.").format(kind=word(self.kind)),
        )
        _needs(
            self.delete_button,
            selected,
            tr("Delete the selected {kind}").format(kind=word(self.kind)),
            tr("Select a {kind} in the list to delete it.").format(kind=word(self.kind)),
        )
        empty = self.model.rowCount() == 0
        if empty:
            if not scoped:
                self.empty.show_state(tr("Nothing to show yet"), self._needs_scope_text())
            elif self.model.filter_text:
                self.empty.show_state(
                    tr("Nothing matches “{text}”").format(text=self.model.filter_text),
                    "",
                    tr("Clear the filter"),
                    "search",
                )
            else:
                self.empty.show_no_records(self.kind)
        self.stack.setCurrentWidget(self.empty if empty else self.view)

    def _empty_action(self) -> None:
        if self.model.filter_text:
            self.clear_filter()
        else:
            self.create_record()

    def clear_filter(self) -> None:
        """Show every row again (now, not after the typing pause)."""
        self.filter_box.clear()
        self._filter_timer.stop()
        if self.model.filter_text:
            self.model.set_filter("")

    # -- scope and data -------------------------------------------------------------------

    @property
    def scope_id(self) -> int | None:
        return self.model.scope_id

    def set_scope(self, scope_id: int | None) -> None:
        self.model.set_scope(scope_id)
        self.current_changed.emit(self.current_id() or -1)

    def reload(self) -> None:
        current = self.current_id()
        self.model.reload()
        if current is not None:
            self.select(current, load=False)

    def clear(self) -> None:
        """Forget every row and the filter typed (it may be a name): on lock."""
        self._filter_timer.stop()
        with blocked(self.filter_box):
            self.filter_box.setText("")  # (setText, not clear(): it also forgets the undo history)
        self.model.filter_text = ""
        self.model.clear()

    def _on_record_changed(self, kind: str, record_id: int) -> None:
        if kind == self.kind and record_id >= 0 and self.model.refresh_record(record_id):
            return  # an edit: its row is refreshed in place, the others are not queried again
        if kind == self.kind or (self.kind == "person" and kind == "affiliation"):
            current = self.current_id()
            self.model.reload()
            target = record_id if record_id >= 0 and kind == self.kind else current
            if target is not None:
                self.select(target, load=False)

    # -- selection ------------------------------------------------------------------------

    def current_id(self) -> int | None:
        index = self.view.currentIndex()
        return self.model.record_id(index.row()) if index.isValid() else None

    def select(self, record_id: int, *, load: bool = True) -> bool:
        row = self.model.row_of(record_id, load=load)
        if row is None:
            return False
        index = self.model.index(row, 0)
        self.view.selectionModel().setCurrentIndex(
            index,
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.view.scrollTo(index)
        return True

    def _row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        rid = self.model.record_id(current.row()) if current.isValid() else None
        self._update_state()
        self.current_changed.emit(rid if rid is not None else -1)

    # -- actions --------------------------------------------------------------------------

    def create_record(self) -> int | None:
        """New …: the record's form in a dialog; the new record is selected once saved."""
        if not self._has_scope():
            return None
        values = default_values(self.kind, self.scope_key, self.scope_id)
        dialog = RecordDialog(
            self.ctx,
            self.kind,
            values,
            tr("New {kind}").format(kind=word(self.kind)),
            self,
        )
        while dialog.exec() == QDialog.DialogCode.Accepted:
            data = {**values, **dialog.form.values()}
            command = CreateRecord(self.ctx.records, self.kind, data, self.ctx.notify)
            if self.ctx.run(command):
                if command.record_id is not None:
                    self.select(command.record_id)
                return command.record_id
        return None

    def edit_current(self) -> None:
        rid = self.current_id()
        if rid is None or not self.edit_in_dialog:
            return
        record = self.ctx.records.get(self.kind, rid)
        dialog = RecordDialog(
            self.ctx,
            self.kind,
            record,
            tr("Edit {kind}").format(kind=word(self.kind)),
            self,
        )
        while dialog.exec() == QDialog.DialogCode.Accepted:
            changes = dialog.form.changes()
            if not changes or self.ctx.run(
                EditRecord(self.ctx.records, self.kind, rid, record, changes, self.ctx.notify)
            ):
                return

    def delete_current(self) -> None:
        rid = self.current_id()
        if rid is None:
            return
        label = self.model.data(self.model.index(self.view.currentIndex().row(), 0)) or ""
        answer = QMessageBox.question(
            self,
            tr("Delete"),
            tr(
                "Delete this {kind} ({label})? Everything recorded under it goes too. "
                "You can undo this with Ctrl+Z."
            ).format(kind=word(self.kind), label=label),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.run(DeleteRecord(self.ctx.records, self.kind, rid, self.ctx.notify))
