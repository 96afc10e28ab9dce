"""Two blocks of the Overview, under the counts: the case's commitments that are overdue
(in red) or due within two weeks, and the cases it is linked to (a Track 2 case that feeds a
Track 1.5 one), with Link a case… and Unlink (both undoable).

Clicking a commitment (or Enter on it) opens it in the Commitments section; Enter or a
double-click on a linked case switches to that case. The overview reads what they show on a
worker (app.gui.shell.overview) and hands them plain rows."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QLocale, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LiaisonError
from app.core.models import CaseLinkKind
from app.core.services.commitments import CommitmentRow
from app.core.services.handovers import CaseLinkRow
from app.gui.context import AppContext
from app.gui.labels import tr
from app.gui.models.rows import Col, RowsModel
from app.gui.resources import icon
from app.gui.sections.handover_commands import LinkCases, UnlinkCases
from app.gui.undo import push
from app.gui.widgets.dialog_parts import ERROR_RED, error_label, save_cancel

ROWS_SHOWN = 4  # a block shows this many rows before it scrolls


def day_words(day: date | None) -> str:
    """``15 Mar 2026`` in the user's language (kept in order in right-to-left text)."""
    if day is None:
        return ""
    text = QLocale().toString(QDate(day.year, day.month, day.day), "d MMM yyyy")
    return f"\u2066{text}\u2069"


def due_words(row: CommitmentRow, overdue: bool) -> str:
    """``Due 15 Mar 2026 · KHM: Release twelve detained soldiers`` (``(overdue)`` when it
    is)."""
    when = tr("Due {day}").format(day=day_words(row.due_on))
    if overdue:
        when = tr("{due} (overdue)").format(due=when)
    who = f"{row.party_name}: " if row.party_name else ""
    return f"{when} · {who}{row.what}"


# --- the models ----------------------------------------------------------------------------


class DueModel(RowsModel[tuple[CommitmentRow, bool]]):
    """(commitment, overdue) rows, one line each; an overdue one in red."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col(
                    "Commitment",
                    lambda r: due_words(r[0], r[1]),
                    lambda r: ERROR_RED if r[1] else None,
                    tip_text=lambda r: due_words(r[0], r[1]),
                )
            ],
            parent,
        )

    def record_id(self, row: tuple[CommitmentRow, bool]) -> int | None:
        return row[0].id

    def set_due(self, overdue: list[CommitmentRow], soon: list[CommitmentRow]) -> None:
        self.set_rows([(r, True) for r in overdue] + [(r, False) for r in soon])


class LinksModel(RowsModel[CaseLinkRow]):
    """The linked cases, in words: ``Feeds “…” (Track 1.5)``."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [Col("Linked case", lambda r: r.words, tip_text=lambda r: r.note or r.words)], parent
        )


def _list(name: str, model: RowsModel[Any]) -> QTableView:
    """A one-column list whose lines are cut with "…" (the whole line is its tool tip)."""
    view = QTableView()
    view.setObjectName(name)
    view.setModel(model)
    view.horizontalHeader().setVisible(False)
    view.horizontalHeader().setStretchLastSection(True)
    view.verticalHeader().setVisible(False)
    view.setShowGrid(False)
    view.setWordWrap(False)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
    view.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QTableView.SelectionMode.SingleSelection)
    height = view.fontMetrics().height() + 8
    view.verticalHeader().setDefaultSectionSize(height)
    view.setMaximumHeight(height * ROWS_SHOWN + 2 * view.frameWidth())
    return view


def _heading(text: str, *buttons: QPushButton) -> QHBoxLayout:
    """A block's bold heading, and its buttons on the far side; as high as a button, so
    that two blocks side by side start their lists on one line."""
    label = QLabel(text)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    label.setMinimumHeight(QPushButton("X").sizeHint().height())
    row = QHBoxLayout()
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(label)
    row.addStretch(1)
    for b in buttons:
        row.addWidget(b)
    return row


def _hint(name: str, text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.setEnabled(False)  # (greyed: it says what is not there)
    return label


# --- the blocks ----------------------------------------------------------------------------


class CommitmentsBlock(QWidget):
    """Overdue commitments (red) and those due within two weeks."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = DueModel(self)
        self.view = _list("overview_commitments", self.model)
        self.view.setToolTip(tr("Click or press Enter to open the commitment"))
        self.view.clicked.connect(lambda index: self.open_row(index.row()))
        self.view.activated.connect(lambda index: self.open_row(index.row()))
        self.none = _hint(
            "overview_commitments_none",
            tr("No commitment is overdue or due in the next two weeks."),
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(_heading(tr("Commitments due")))
        layout.addWidget(self.view)
        layout.addWidget(self.none)
        layout.addStretch(1)
        self.show_due([], [])

    def show_due(self, overdue: list[CommitmentRow], soon: list[CommitmentRow]) -> None:
        self.model.set_due(overdue, soon)
        empty = self.model.rowCount() == 0
        self.view.setVisible(not empty)
        self.none.setVisible(empty)

    def open_row(self, row: int) -> None:
        found = self.model.row(row)
        if found is not None:
            c = found[0]
            self.ctx.open_record.emit("commitment", c.id, c.case_id)

    def clear(self) -> None:
        self.show_due([], [])


class LinkedCasesBlock(QWidget):
    """The cases this one feeds, is fed by or is related to; Link a case…, Unlink."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._wanted: int | None = None  # a link to select once the links are read
        self.model = LinksModel(self)
        self.view = _list("overview_links", self.model)
        self.view.setToolTip(tr("Enter or double-click: switch to that case"))
        self.view.activated.connect(lambda index: self.open_row(index.row()))
        self.none = _hint(
            "overview_links_none",
            tr("No linked case. A Track 2 case may feed a Track 1.5 or Track 1 process."),
        )
        self.link_button = QPushButton(icon("add"), tr("Link a case…"))
        self.link_button.setObjectName("link_case")
        self.link_button.clicked.connect(self.link_case)
        self.unlink_button = QPushButton(icon("delete"), tr("Unlink"))
        self.unlink_button.setObjectName("unlink_case")
        self.unlink_button.setToolTip(tr("Remove the selected link (Ctrl+Z brings it back)"))
        self.unlink_button.clicked.connect(self.unlink)
        self.view.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(_heading(tr("Linked cases"), self.link_button, self.unlink_button))
        layout.addWidget(self.view)
        layout.addWidget(self.none)
        layout.addStretch(1)
        self.show_links([])

    def show_links(self, links: list[CaseLinkRow]) -> None:
        keep = self._wanted if self._wanted is not None else self.current_link()
        self._wanted = None
        self.model.set_rows(links)
        empty = self.model.rowCount() == 0
        self.view.setVisible(not empty)
        self.none.setVisible(empty)
        if keep is not None:
            self.select(keep)
        self._update_buttons()

    def current_link(self) -> int | None:
        row = self.model.row(self.view.currentIndex().row())
        return row.id if row is not None else None

    def select(self, link_id: int) -> bool:
        """Select a link (one not read yet is selected once it is: see show_links)."""
        row = self.model.row_of(link_id)
        if row is None:
            self._wanted = link_id
            return False
        self.view.setCurrentIndex(self.model.index(row, 0))
        return True

    def _update_buttons(self) -> None:
        self.link_button.setEnabled(self.ctx.case_id is not None)
        self.unlink_button.setEnabled(self.current_link() is not None)

    def open_row(self, row: int) -> None:
        found = self.model.row(row)
        if found is not None:
            self.ctx.open_record.emit("case", found.other_case_id, found.other_case_id)

    def link_case(self) -> None:
        if self.ctx.case_id is not None:
            LinkCaseDialog(self.ctx, self).exec()

    def unlink(self) -> None:
        link_id = self.current_link()
        if link_id is not None:
            self.ctx.run(UnlinkCases(self.ctx.vault, link_id, self.ctx.notify))

    def clear(self) -> None:
        self.show_links([])
        self._wanted = None


# --- Link a case… --------------------------------------------------------------------------

FEEDS, FED_BY, RELATED = "feeds", "fed_by", "related"


class LinkCaseDialog(QDialog):
    """Link the case in view to another: it feeds the other, is fed by it, or is related."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Link a case"))
        self.other = QComboBox()
        self.other.setObjectName("link_other_case")
        for cid, title in ctx.choices("case"):
            if cid != ctx.case_id:
                self.other.addItem(title, cid)
        self.relation = QComboBox()
        self.relation.setObjectName("link_relation")
        for key, words in (
            (FEEDS, "This case feeds it (its ideas go there)"),
            (FED_BY, "It feeds this case"),
            (RELATED, "Related"),
        ):
            self.relation.addItem(tr(words), key)
        self.note = QLineEdit()
        self.note.setObjectName("link_note")
        self.note.setPlaceholderText(tr("e.g. options of the workshops go to the envoy's talks"))
        self.error = error_label("link_error", wrap=True)
        form = QFormLayout()
        form.addRow(tr("Other case"), self.other)
        form.addRow(tr("Link"), self.relation)
        form.addRow(tr("Note"), self.note)
        buttons = save_cancel(self.save, self.reject)
        if not self.other.count():
            self.error.setText(tr("There is no other case to link to yet."))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.other.setFocus()
        self.resize(520, self.sizeHint().height())

    def save(self) -> None:
        other, here = self.other.currentData(), self.ctx.case_id
        if other is None or here is None:
            return
        relation = self.relation.currentData()
        a, b = (other, here) if relation == FED_BY else (here, other)
        kind = CaseLinkKind.RELATED if relation == RELATED else CaseLinkKind.FEEDS
        command = LinkCases(self.ctx.vault, a, b, kind, self.note.text(), self.ctx.notify)
        try:
            push(self.ctx.undo_stack, command)
        except LiaisonError as exc:  # already linked: one sentence, and the dialog stays
            self.error.setText(str(exc))
            return
        self.accept()
