"""The Critiques page of a text: choose a circulated draft, see each party's latest reaction to
each of its clauses (clauses × parties, like the options matrix), and double-click a cell to
record one (the Texts section opens its dialog on ``critique_requested``)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QModelIndex, QObject, QSize, Qt, Signal
from PySide6.QtGui import QFontMetrics, QKeyEvent, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.services.text_critiques import critique_matrix
from app.core.services.texts import DraftInfo, drafts_of
from app.gui.context import AppContext
from app.gui.labels import tr
from app.gui.models.text_critique_matrix import (
    CLAUSE,
    FIRST_PARTY,
    CritiqueMatrixModel,
    cell_texts,
    day_label,
)
from app.gui.sections.options_section import FrozenColumnTable
from app.gui.widgets.empty_state import EmptyState


def draft_label(draft: DraftInfo) -> str:
    """``Draft 3 · 12 Mar 2026``; the working draft says so."""
    if draft.circulated_at is None:
        return tr("Draft {number} · working draft").format(number=draft.number)
    return tr("Draft {number} · {day}").format(
        number=draft.number, day=day_label(draft.circulated_at)
    )


class CritiqueView(QWidget):
    """Clauses × parties of one circulated draft: each party's latest critique."""

    critique_requested = Signal(int, int)  # (clause id, party id): record a critique

    CLAUSE_MIN, CLAUSE_MAX = 220, 460
    PARTY_MIN, PARTY_MAX = 110, 170

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._text_id: int | None = None
        self._widest: int | None = None  # the widest clause label, unwrapped
        self.drafts = QComboBox()
        self.drafts.setObjectName("critique_draft")
        self.drafts.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.drafts.currentIndexChanged.connect(lambda _i: self._show_selected())
        label = QLabel(tr("Draft:"))
        label.setBuddy(self.drafts)
        hint = QLabel(
            tr(
                "Each party's latest reaction to each clause. Hover a cell for the wording it "
                "proposes and its note; double-click to record a critique."
            )
        )
        hint.setWordWrap(True)
        hint.setObjectName("critique_hint")
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.drafts)
        top.addSpacing(12)
        top.addWidget(hint, 1)

        self.model = CritiqueMatrixModel(self)
        self.table = FrozenColumnTable()
        self.table.setObjectName("critique_matrix")
        self.table.setModel(self.model)
        for view in (self.table, self.table.frozen):
            view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
            view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
            view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(True)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setMinimumSectionSize(30)
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # fitted once per content
        columns = self.table.horizontalHeader()
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap)
        columns.setTextElideMode(Qt.TextElideMode.ElideNone)
        columns.setStretchLastSection(False)
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        self.table.doubleClicked.connect(self._cell_activated)
        self.table.installEventFilter(self)

        matrix = QWidget()
        v = QVBoxLayout(matrix)
        v.setContentsMargins(0, 0, 0, 0)
        v.addLayout(top)
        v.addWidget(self.table, 1)
        self.matrix_page = matrix
        self.empty = EmptyState()
        self.empty.setObjectName("critique_empty")
        self.stack = QStackedWidget()
        self.stack.addWidget(matrix)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.stack)
        self._show_empty()

    # -- what the Texts section calls -----------------------------------------------------

    def set_text(self, text_id: int | None) -> None:
        """Show the critiques of this text (None: none), its newest circulated draft first."""
        if text_id != self._text_id:
            self._text_id = text_id
            self._set_drafts([], None)
        self.reload()

    def show_draft(self, draft_id: int) -> bool:
        """Show this draft's critiques; False if it is not a circulated draft of the text."""
        i = self.drafts.findData(draft_id)
        if i < 0:
            return False
        self.drafts.setCurrentIndex(i)
        return True

    def reload(self) -> None:
        """Read the drafts and critiques again, keeping the draft and the cell in view."""
        vault = self.ctx.vault
        if self._text_id is None or not vault.is_unlocked:
            self._forget()
            self._show_empty()
            return
        circulated = [d for d in drafts_of(vault, self._text_id) if not d.working]
        keep = self.current_draft_id()
        self._set_drafts(circulated, keep if keep is not None else None)
        self._show_selected()

    def clear(self) -> None:
        """Keep nothing of the vault (on lock)."""
        self._text_id = None
        self._forget()
        self._show_empty()

    # -- reading --------------------------------------------------------------------------

    def current_draft_id(self) -> int | None:
        data = self.drafts.currentData()
        return int(data) if data is not None else None

    def current_cell(self) -> tuple[int, int] | None:
        """(clause id, party id) of the selected cell, if a party's cell is selected."""
        index = self.table.currentIndex()
        if not index.isValid() or index.column() < FIRST_PARTY:
            return None
        clause, party = self.model.clause_id(index.row()), self.model.party_id(index.column())
        return (clause, party) if clause is not None and party is not None else None

    def _set_drafts(self, drafts: list[DraftInfo], keep: int | None) -> None:
        self.drafts.blockSignals(True)
        self.drafts.clear()
        for d in reversed(drafts):  # the newest first: the one a critique is usually of
            self.drafts.addItem(draft_label(d), d.id)
            self.drafts.setItemData(
                self.drafts.count() - 1,
                tr("Given to {parties}").format(
                    parties=", ".join(r.party_name for r in d.recipients) or "—"
                ),
                Qt.ItemDataRole.ToolTipRole,
            )
        i = self.drafts.findData(keep) if keep is not None else -1
        self.drafts.setCurrentIndex(i if i >= 0 else (0 if drafts else -1))
        self.drafts.blockSignals(False)

    def _show_selected(self) -> None:
        draft_id = self.current_draft_id()
        vault = self.ctx.vault
        if draft_id is None or not vault.is_unlocked:
            self.model.clear()
            self._show_empty()
            return
        keep = self.current_cell()
        self.model.load(critique_matrix(vault, draft_id))
        self.stack.setCurrentWidget(self.matrix_page)
        self._fit_columns()
        if keep is not None:
            row, col = self.model.row_of(keep[0]), self.model.party_column(keep[1])
            if row is not None and col is not None:
                self.table.setCurrentIndex(self.model.index(row, col))

    def _forget(self) -> None:
        self.model.clear()
        self._set_drafts([], None)

    def _show_empty(self) -> None:
        if self._text_id is None:
            self.empty.show_state(
                tr("No text chosen"), tr("Choose a text to see the parties' critiques of it.")
            )
        else:
            self.empty.show_state(
                tr("No draft circulated yet — critiques come in on circulated drafts."),
                tr(
                    "Circulate the working draft to the parties; then record here how each "
                    "party reacts to each clause: accepts, accepts with changes, rejects or "
                    "reserves."
                ),
            )
        self.stack.setCurrentWidget(self.empty)

    # -- acting ---------------------------------------------------------------------------

    def _cell_activated(self, index: QModelIndex) -> None:
        clause_id = self.model.clause_id(index.row())
        party_id = self.model.party_id(index.column())
        # A party that was not given the draft cannot critique it (the service refuses).
        if clause_id is not None and party_id is not None and self.model.given(party_id):
            self.critique_requested.emit(clause_id, party_id)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Enter on a cell does what a double-click does (for the keyboard).
        if (
            obj is self.table
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self._cell_activated(self.table.currentIndex())
            return True
        return super().eventFilter(obj, event)

    # -- fitting --------------------------------------------------------------------------

    def _fit_columns(self, force: bool = True) -> None:
        """The clause column gets up to 40 % of the width and wraps; each party column fits
        the longest thing a cell can say ("accepts with changes": the same width whatever
        the draft) and the longest word of the party's name (names wrap onto up to three
        lines)."""
        metrics = self.table.fontMetrics()
        strong = self._bold_metrics()
        if force or self._widest is None:  # (measured once per content, not per resize)
            labels = [self.model.clause_label(r) for r in range(self.model.rowCount())]
            self._widest = max((metrics.horizontalAdvance(t) for t in labels), default=0) + 16
        widest = self._widest
        limit = max(self.CLAUSE_MIN, min(self.CLAUSE_MAX, int(self.table.width() * 0.4)))
        before = self.table.columnWidth(CLAUSE)
        self.table.setColumnWidth(CLAUSE, max(self.CLAUSE_MIN, min(widest, limit)))
        cells = max(strong.horizontalAdvance(t) for t in cell_texts())
        lines = 1
        flags = int(Qt.TextFlag.TextWordWrap)
        for col in range(FIRST_PARTY, self.model.columnCount()):
            name = str(self.model.headerData(col, Qt.Orientation.Horizontal))
            longest_word = max((strong.horizontalAdvance(w) for w in name.split()), default=0)
            width = min(max(self.PARTY_MIN, cells + 20, longest_word + 20), self.PARTY_MAX)
            self.table.setColumnWidth(col, width)
            box = strong.boundingRect(0, 0, width - 16, 1000, flags, name)
            lines = max(lines, min(3, round(box.height() / strong.lineSpacing())))
        self.table.horizontalHeader().setFixedHeight(metrics.lineSpacing() * lines + 14)
        if force or self.table.columnWidth(CLAUSE) != before:
            self._fit_rows()

    def _bold_metrics(self) -> QFontMetrics:
        bold = self.table.font()
        bold.setBold(True)
        return QFontMetrics(bold)

    def _fit_rows(self) -> None:
        """Each row as tall as its clause's first words wrapped in the clause column (a
        party's cell holds one short line)."""
        metrics = self.table.fontMetrics()
        strong = self._bold_metrics()
        width = max(self.table.columnWidth(CLAUSE) - 8, 40)
        flags = int(Qt.TextFlag.TextWordWrap)
        for row in range(self.model.rowCount()):
            fm = strong if self.model.is_heading(row) else metrics  # headings are bold
            text = self.model.clause_label(row)
            height = fm.boundingRect(0, 0, width, 10_000, flags, text).height()
            self.table.setRowHeight(row, max(30, height + 12))

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if self.model.rowCount():
            self._fit_columns(force=False)  # the rows re-wrap only if the clauses' width changed

    def sizeHint(self) -> QSize:
        return QSize(640, 400)
