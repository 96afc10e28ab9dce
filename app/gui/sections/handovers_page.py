"""The Shuttle Log's Handovers page: what went up to outside audiences (officials,
institutions, sponsors outside the case's parties), newest first, beside the selected
handover's items and note; under the list, the case's outside audiences.

New handover… (Ctrl+Shift+H, or Ctrl+N on this page) opens the dialog that asks the rule
before it saves (app.gui.sections.handover_dialogs). Del deletes the selected handover (or
audience), Ctrl+Z brings it back; Enter on a handover goes to its items, Enter on an item
opens the option, draft or commitment it is. The page follows the page protocol of
app.gui.sections.shuttle_log (load, reload, clear, current, select)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.services.handovers import HandoverRow, handovers_of, outsiders_of
from app.gui.context import AppContext
from app.gui.labels import fmt_datetime, tr
from app.gui.models.handovers import (
    ITEM_LABEL,
    HandoverItemsModel,
    HandoversModel,
    OutsidersModel,
    yes_no,
)
from app.gui.resources import icon
from app.gui.sections.handover_commands import DeleteHandover, DeleteOutsider
from app.gui.sections.handover_dialogs import NewHandoverDialog, edit_outsider, new_outsider
from app.gui.sections.knowledge import setup_table
from app.gui.widgets.empty_state import EmptyState
from app.gui.widgets.fit_table import FitTableView

NEW_HANDOVER_KEYS = "Ctrl+Shift+H"  # (not taken: app.gui.actions)


def _table(name: str) -> FitTableView:
    view = FitTableView()
    setup_table(view, name)
    view.setSortingEnabled(False)  # the core's order: newest first, audiences by name
    return view


class HandoverDetail(QWidget):
    """One handover: to whom, when, through whom, whether sources were named, its items
    (kind and what each is) and the mediator's note."""

    open_item = Signal(str, int)  # (kind, record id): an option, draft or commitment

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.head = QLabel()
        self.head.setObjectName("handover_head")
        self.head.setWordWrap(True)
        self.head.setTextFormat(Qt.TextFormat.PlainText)
        font = self.head.font()
        font.setBold(True)
        self.head.setFont(font)
        self.organisation = QLabel()
        self.organisation.setObjectName("handover_organisation")
        self.organisation.setWordWrap(True)
        self.organisation.setTextFormat(Qt.TextFormat.PlainText)
        self.facts = QLabel()
        self.facts.setObjectName("handover_facts")
        self.facts.setWordWrap(True)
        self.facts.setTextFormat(Qt.TextFormat.PlainText)
        self.model = HandoverItemsModel(self)
        self.items = QTableView()
        self.items.setModel(self.model)
        setup_table(self.items, "handover_detail_items")
        self.items.setSortingEnabled(False)
        self.items.setWordWrap(True)
        header = self.items.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ITEM_LABEL, QHeaderView.ResizeMode.Stretch)
        self.items.setToolTip(tr("Enter or double-click: open the option, draft or commitment"))
        self.items.activated.connect(self._activated)
        self.note = QLabel()
        self.note.setObjectName("handover_note_text")
        self.note.setWordWrap(True)
        self.note.setTextFormat(Qt.TextFormat.PlainText)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note_head = QLabel(tr("<b>Note</b> (yours, not handed over)"))
        body = QWidget()
        v = QVBoxLayout(body)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(self.head)
        v.addWidget(self.organisation)
        v.addWidget(self.facts)
        v.addWidget(QLabel(tr("<b>What was handed over</b>")))
        v.addWidget(self.items, 1)
        v.addWidget(self.note_head)
        v.addWidget(self.note)
        self.empty = EmptyState(compact=True)
        self.empty.show_state(
            tr("No handover selected"),
            tr("Select a handover in the list to see what went up, and to whom."),
        )
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(body)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 0, 0)
        layout.addWidget(self.stack)

    def show_handover(self, row: HandoverRow | None, organisation: str = "") -> None:
        if row is None:
            self.clear()
            return
        self.head.setText(tr("To {who}").format(who=row.outsider_name))
        self.organisation.setText(organisation)
        self.organisation.setVisible(bool(organisation))
        through = row.through_name or tr("you, directly")
        self.facts.setText(
            tr("{when} · through {through} · sources named: {named}").format(
                when=fmt_datetime(row.handed_at), through=through, named=yes_no(row.sources_named)
            )
        )
        self.model.set_rows(list(row.items))
        self.items.resizeRowsToContents()
        self.note.setText(row.note or tr("(no note)"))
        self.stack.setCurrentIndex(1)

    def _activated(self, index: object) -> None:
        row = self.model.row(self.items.currentIndex().row())
        if row is not None and row.record_id is not None:
            self.open_item.emit(row.kind, row.record_id)

    def clear(self) -> None:
        self.head.clear()
        self.organisation.clear()
        self.facts.clear()
        self.note.clear()
        self.model.clear()
        self.stack.setCurrentIndex(0)


class HandoversPage(QWidget):
    """The Handovers page (see the module's text)."""

    current_changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("handovers_page")
        self.ctx = ctx
        self._case_id: int | None = None
        self._organisations: dict[int, str] = {}

        self.new_button = QPushButton(icon("add"), tr("New handover…"))
        self.new_button.setObjectName("new_handover")
        self.new_button.setToolTip(
            tr("What you handed to an outside audience ({keys})").format(keys=NEW_HANDOVER_KEYS)
        )
        self.new_button.clicked.connect(self.new_handover)
        self.delete_button = QPushButton(icon("delete"), tr("Delete"))
        self.delete_button.setObjectName("delete_handover")
        self.delete_button.setToolTip(tr("Delete the selected handover (Del; Ctrl+Z undoes)"))
        self.delete_button.clicked.connect(self.delete_handover)
        bar = QHBoxLayout()
        bar.addWidget(self.new_button)
        bar.addWidget(self.delete_button)
        bar.addStretch(1)

        self.model = HandoversModel(self)
        self.table = _table("handovers")
        self.table.setModel(self.model)
        self.table.set_column_kinds(["datetime", "text", "text", "int", "text"], main_column=4)
        self.table.selectionModel().currentRowChanged.connect(lambda *_a: self._follow())
        self.table.installEventFilter(self)
        self.list_empty = QLabel()
        self.list_empty.setObjectName("handovers_empty")
        self.list_empty.setWordWrap(True)
        self.list_empty.setText(
            tr(
                "No handovers yet. A handover is what you passed to an official, an "
                "institution or a sponsor outside the case's parties: options, a circulated "
                "draft, commitments, your findings. New handover… records one."
            )
        )

        self.outsiders = OutsidersModel(self)
        self.audiences = _table("outsiders")
        self.audiences.setModel(self.outsiders)
        self.audiences.set_column_kinds(["text", "enum", "text", "int"], main_column=0)
        rows = self.audiences.verticalHeader().defaultSectionSize()
        self.audiences.setMinimumHeight(
            self.audiences.horizontalHeader().sizeHint().height() + 3 * rows
        )
        self.audiences.installEventFilter(self)
        self.audiences.activated.connect(lambda _i: self.edit_audience())
        self.audiences.selectionModel().currentRowChanged.connect(
            lambda *_a: self._audience_changed()
        )
        self.new_audience_button = QPushButton(icon("add"), tr("New audience…"))
        self.new_audience_button.setObjectName("new_outsider")
        self.new_audience_button.clicked.connect(self.new_audience)
        self.edit_audience_button = QPushButton(icon("edit"), tr("Edit…"))
        self.edit_audience_button.setObjectName("edit_outsider")
        self.edit_audience_button.clicked.connect(self.edit_audience)
        self.delete_audience_button = QPushButton(icon("delete"), tr("Delete"))
        self.delete_audience_button.setObjectName("delete_outsider")
        self.delete_audience_button.setToolTip(
            tr("Delete the selected audience, if it was given nothing (Del)")
        )
        self.delete_audience_button.clicked.connect(self.delete_audience)
        audience_bar = QHBoxLayout()
        audience_bar.setContentsMargins(0, 0, 0, 0)
        audience_bar.addWidget(QLabel(tr("<b>Outside audiences</b>")))
        audience_bar.addStretch(1)
        for b in (
            self.new_audience_button,
            self.edit_audience_button,
            self.delete_audience_button,
        ):
            audience_bar.addWidget(b)
        audiences_box = QWidget()
        ab = QVBoxLayout(audiences_box)
        ab.setContentsMargins(0, 6, 0, 0)
        ab.addLayout(audience_bar)
        ab.addWidget(self.audiences, 1)

        list_box = QWidget()
        lb = QVBoxLayout(list_box)
        lb.setContentsMargins(0, 0, 0, 0)
        lb.addWidget(self.table, 1)
        lb.addWidget(self.list_empty)
        left = QSplitter(Qt.Orientation.Vertical)
        left.setObjectName("handovers_left")
        left.addWidget(list_box)
        left.addWidget(audiences_box)
        left.setStretchFactor(0, 2)
        left.setStretchFactor(1, 1)
        left.setChildrenCollapsible(False)

        self.detail = HandoverDetail()
        self.detail.setMinimumWidth(280)
        self.detail.open_item.connect(self._open_item)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("handovers_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        self._split = False  # the first time it has a width: 60 % list, 40 % detail

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)
        QShortcut(
            QKeySequence(NEW_HANDOVER_KEYS),
            self,
            self.new_handover,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        self._update_buttons()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        width = self.splitter.width()
        if not self._split and width > 0:
            self._split = True
            self.splitter.setSizes([width * 3 // 5, width - width * 3 // 5])

    # -- the page protocol ----------------------------------------------------------------

    def load(self, case_id: int | None) -> None:
        self._case_id = case_id
        self.reload()

    def reload(self) -> None:
        """Read the case's handovers and audiences again, keeping the selection."""
        keep, keep_audience = self.current_id(), self.current_outsider()
        if self._case_id is None or not self.ctx.vault.is_unlocked:
            self.clear()
            return
        vault = self.ctx.vault
        outsiders = outsiders_of(vault, self._case_id)
        self._organisations = {o.id: o.organisation for o in outsiders}
        self.model.set_handovers(handovers_of(vault, self._case_id), outsiders)
        self.outsiders.set_rows(outsiders)
        self.list_empty.setVisible(self.model.rowCount() == 0)
        if not (keep is not None and self.select(keep, focus=False)) and self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, 0))
        if keep_audience is not None:
            self.select_outsider(keep_audience, focus=False)
        self._follow()

    def clear(self) -> None:
        self._organisations = {}
        self.model.clear()
        self.outsiders.clear()
        self.detail.clear()
        self._update_buttons()

    def current_id(self) -> int | None:
        row = self.model.row(self.table.currentIndex().row())
        return row.id if row is not None else None

    def current_outsider(self) -> int | None:
        row = self.outsiders.row(self.audiences.currentIndex().row())
        return row.id if row is not None else None

    def current(self) -> tuple[str, int] | None:
        if self.audiences.hasFocus() and (oid := self.current_outsider()) is not None:
            return ("outsider", oid)
        hid = self.current_id()
        return ("handover", hid) if hid is not None else None

    def select(self, handover_id: int, *, focus: bool = True) -> bool:
        row = self.model.row_of(handover_id)
        if row is None:
            return False
        self.table.setCurrentIndex(self.model.index(row, 0))
        self.table.scrollTo(self.model.index(row, 0))
        if focus:
            self.table.setFocus()
        return True

    def select_outsider(self, outsider_id: int, *, focus: bool = True) -> bool:
        row = self.outsiders.row_of(outsider_id)
        if row is None:
            return False
        self.audiences.setCurrentIndex(self.outsiders.index(row, 0))
        if focus:
            self.audiences.setFocus()
        return True

    def selected_message(self) -> int | None:
        return None

    def selected_party(self) -> int | None:
        return None

    # -- following the selection ----------------------------------------------------------

    def _follow(self) -> None:
        row = self.model.row(self.table.currentIndex().row())
        org = self._organisations.get(row.outsider_id, "") if row is not None else ""
        self.detail.show_handover(row, org)
        self._update_buttons()
        self.current_changed.emit()

    def _audience_changed(self) -> None:
        self._update_buttons()
        self.current_changed.emit()

    def _update_buttons(self) -> None:
        has_case = self._case_id is not None
        self.new_button.setEnabled(has_case)
        self.new_audience_button.setEnabled(has_case)
        self.delete_button.setEnabled(self.current_id() is not None)
        has_audience = self.current_outsider() is not None
        self.edit_audience_button.setEnabled(has_audience)
        self.delete_audience_button.setEnabled(has_audience)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if isinstance(event, QKeyEvent) and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            plain = event.modifiers() in (
                Qt.KeyboardModifier.NoModifier,
                Qt.KeyboardModifier.KeypadModifier,
            )
            if watched is self.table and plain and key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.open_details()
                return True
            if plain and key == Qt.Key.Key_Delete:
                if watched is self.table:
                    self.delete_handover()
                    return True
                if watched is self.audiences:
                    self.delete_audience()
                    return True
        return super().eventFilter(watched, event)

    def open_details(self) -> None:
        """Enter on a handover: its items, ready to open one."""
        if self.current_id() is None:
            return
        items = self.detail.items
        items.setFocus()
        if self.detail.model.rowCount() and not items.currentIndex().isValid():
            items.setCurrentIndex(self.detail.model.index(0, 0))

    def _open_item(self, kind: str, record_id: int) -> None:
        self.ctx.open_record.emit(kind, record_id, self._case_id if self._case_id else -1)

    # -- actions --------------------------------------------------------------------------

    def new_handover(self, outsider_id: int | None = None) -> int | None:
        if self._case_id is None or self.ctx.case_id is None:
            return None
        dialog = NewHandoverDialog(self.ctx, self, outsider_id=outsider_id)
        made = dialog.created_id if dialog.exec() else None
        dialog.deleteLater()
        if made is not None:
            self.reload()
            self.select(made)
        return made

    def delete_handover(self) -> None:
        hid = self.current_id()
        row = self.model.row(self.table.currentIndex().row())
        if hid is None or row is None:
            return
        answer = QMessageBox.question(
            self,
            tr("Delete"),
            tr(
                "Delete the handover to {who} of {when}? The record of what went up goes "
                "with it. You can undo this with Ctrl+Z."
            ).format(who=row.outsider_name, when=fmt_datetime(row.handed_at)),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.run(DeleteHandover(self.ctx.vault, hid, self.ctx.notify))

    def new_audience(self) -> None:
        made = new_outsider(self.ctx, self)
        if made is not None:
            self.reload()
            self.select_outsider(made)

    def edit_audience(self) -> None:
        oid = self.current_outsider()
        if oid is not None:
            edit_outsider(self.ctx, oid, self)

    def delete_audience(self) -> None:
        oid = self.current_outsider()
        if oid is None or self._case_id is None:
            return
        self.ctx.run(DeleteOutsider(self.ctx.vault, self._case_id, oid, self.ctx.notify))

    def delete_current(self) -> None:
        """Ctrl+Delete (the window's Delete item): the audience if its list has the focus,
        else the selected handover."""
        if self.audiences.hasFocus():
            self.delete_audience()
        else:
            self.delete_handover()
