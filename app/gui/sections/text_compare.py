"""The Compare page of a text: two drafts side by side in time, "From draft" → "To draft"
(any two, the working draft included), a summary of what changed and one row per clause with
its word-level changes: deletions struck through in red, insertions underlined in green.

The rows are a table (app.gui.models.text_compare) whose wording column is painted from rich
text by a delegate holding one laid-out QTextDocument per row: each row wraps at the column's
width, right-to-left wording lays out right-to-left on its own (Qt picks each paragraph's
direction from its text), and only rows in view are painted, so 300 clauses stay quick."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAbstractTextDocumentLayout,
    QColor,
    QFont,
    QPainter,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.services.text_diff import DraftDiff, compare_drafts
from app.core.services.texts import DraftInfo, drafts_of
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.labels import tr
from app.gui.models.text_compare import (
    CHANGE,
    DARK,
    LIGHT,
    MARKERS,
    NUMBER,
    WORDING,
    CompareModel,
    summary,
)
from app.gui.resources import is_dark
from app.gui.sections.text_critique import draft_label
from app.gui.widgets.empty_state import EmptyState
from app.gui.workers import run_in_background

_Index = QModelIndex | QPersistentModelIndex


class CompareDelegate(QStyledItemDelegate):
    """Paints the compare table: the wording column from the model's rich text, wrapped at
    the column's width; the number and the change as plain text with the same padding, so
    that the three start on one line; a quiet line between rows (no grid: the wording reads
    as running text). One QTextDocument per row, kept until the rows change (``forget``), so
    a repaint or a scroll neither parses nor lays out the text again."""

    PAD_X, PAD_Y = 6, 6

    def __init__(self, model: CompareModel, parent: QWidget) -> None:
        super().__init__(parent)
        self.model = model
        self._docs: dict[int, QTextDocument] = {}
        model.modelReset.connect(self.forget)

    def forget(self) -> None:
        self._docs.clear()

    def document(self, row: int, width: float, font: QFont) -> QTextDocument:
        doc = self._docs.get(row)
        if doc is None:
            doc = QTextDocument()
            doc.setDocumentMargin(0)
            doc.setDefaultFont(font)
            doc.setHtml(self.model.html(row))
            self._docs[row] = doc
        if doc.textWidth() != width:
            doc.setTextWidth(width)
        return doc

    def height_for(self, row: int, column_width: int, font: QFont) -> int:
        doc = self.document(row, max(40, column_width - 2 * self.PAD_X), font)
        return int(doc.size().height()) + 2 * self.PAD_Y

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""  # the style draws background and selection; we, the text
        widget = option.widget
        style = widget.style() if widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, widget)
        rect = option.rect
        inner = rect.adjusted(self.PAD_X, self.PAD_Y, -self.PAD_X, 0)
        painter.save()
        painter.setClipRect(rect)
        if index.column() == WORDING:
            doc = self.document(index.row(), max(40, inner.width()), option.font)
            context = QAbstractTextDocumentLayout.PaintContext()
            context.palette = QPalette(option.palette)
            painter.translate(inner.topLeft())
            doc.documentLayout().draw(painter, context)
        else:
            brush = index.data(Qt.ItemDataRole.ForegroundRole)
            colour = (
                QColor(brush)
                if brush is not None
                else option.palette.color(QPalette.ColorRole.Text)
            )
            painter.setFont(opt.font)
            painter.setPen(colour)
            align = QStyle.visualAlignment(
                opt.direction, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
            )
            painter.drawText(inner, int(align) | int(Qt.TextFlag.TextWordWrap), text)
        painter.restore()
        painter.save()
        painter.setPen(
            QColor(
                style.styleHint(QStyle.StyleHint.SH_Table_GridLineColor, opt, widget) & 0xFFFFFFFF
            )
        )
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.restore()

    def sizeHint(self, option: QStyleOptionViewItem, index: _Index) -> QSize:
        if index.column() != WORDING:
            return super().sizeHint(option, index) + QSize(2 * self.PAD_X, 2 * self.PAD_Y)
        width = option.rect.width() if option.rect.width() > 0 else 400
        return QSize(width, self.height_for(index.row(), width, option.font))


def default_comparison(vault: Vault, drafts: list[DraftInfo]) -> tuple[int, int, DraftDiff]:
    """The drafts compared first (of at least two): the newest against the one before it;
    but while the working draft is still the copy of the last circulated one, the last two
    circulated drafts (what changed in the draft the parties just got, not "nothing yet")."""
    old, new = drafts[-2], drafts[-1]
    diff = compare_drafts(vault, old.id, new.id)
    if len(drafts) >= 3 and new.working and diff.identical:
        old, new = drafts[-3], drafts[-2]
        diff = compare_drafts(vault, old.id, new.id)
    return old.id, new.id, diff


class CompareView(QWidget):
    """What changed from one draft of a text to another, clause by clause."""

    compared = Signal()  # a comparison was shown (or failed): the drafts chosen are in view
    FIT_CHUNK = 60  # rows fitted per turn of the event loop

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._text_id: int | None = None
        self._drafts: list[DraftInfo] = []
        self.diff: DraftDiff | None = None
        self._pair: tuple[int | None, int | None] = (None, None)  # the drafts of self.diff
        self._generation = 0
        self.old_draft = QComboBox()
        self.old_draft.setObjectName("compare_from")
        self.new_draft = QComboBox()
        self.new_draft.setObjectName("compare_to")
        for combo in (self.old_draft, self.new_draft):
            combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
            combo.currentIndexChanged.connect(lambda _i: self._compare())
        self.show_unchanged = QCheckBox(tr("Show unchanged clauses"))
        self.show_unchanged.setObjectName("compare_show_unchanged")
        self.show_unchanged.toggled.connect(self._toggle_unchanged)
        top = QHBoxLayout()
        for text, combo in ((tr("From draft"), self.old_draft), (tr("To draft"), self.new_draft)):
            label = QLabel(text)
            label.setBuddy(combo)
            top.addWidget(label)
            top.addWidget(combo)
            top.addSpacing(12)
        top.addStretch(1)
        top.addWidget(self.show_unchanged)
        self.summary = QLabel()
        self.summary.setObjectName("compare_summary")
        self.summary.setWordWrap(True)

        self.model = CompareModel(self, DARK if is_dark(self.palette()) else LIGHT)
        self.table = QTableView()
        self.table.setObjectName("compare_table")
        self.table.setModel(self.model)
        self.delegate = CompareDelegate(self.model, self.table)
        self.table.setItemDelegate(self.delegate)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.table.setWordWrap(True)
        self.table.setShowGrid(False)
        self.table.verticalHeader().hide()
        rows = self.table.verticalHeader()
        rows.setMinimumSectionSize(24)
        # Heights come from the laid-out wording (_fit_rows), not from Qt asking every cell
        # of every row at each geometry update.
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        columns = self.table.horizontalHeader()
        columns.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        columns.setStretchLastSection(True)  # the wording takes what is left
        columns.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        # A new width of the wording column re-wraps every row: once, after the resizing.
        self._refit = QTimer(self, singleShot=True, interval=0)
        self._refit.timeout.connect(self._fit_rows)
        self._fitted_width = -1
        self._fit_next = 0  # the first row not fitted yet at that width
        self._fit_later = QTimer(self, singleShot=True, interval=0)
        self._fit_later.timeout.connect(self._fit_more)
        columns.sectionResized.connect(
            lambda col, _old, _new: self._refit.start() if col == WORDING else None
        )
        self.note = QLabel()
        self.note.setObjectName("compare_note")
        self.note.setWordWrap(True)
        self.note.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.note.hide()

        page = QWidget()
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        v.addLayout(top)
        v.addWidget(self.summary)
        v.addWidget(self.table, 1)
        v.addWidget(self.note)
        self.page = page
        self.empty = EmptyState()
        self.empty.setObjectName("compare_empty")
        self.stack = QStackedWidget()
        self.stack.addWidget(page)
        self.stack.addWidget(self.empty)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.stack)
        self._show_empty()

    # -- what the Texts section calls -----------------------------------------------------

    def set_text(self, text_id: int | None) -> None:
        """Compare drafts of this text (None: none): by default the newest with the one
        before it."""
        if text_id != self._text_id:
            self._text_id = text_id
            self._set_drafts([], None, None)
        self.reload()

    def show_draft(self, draft_id: int) -> bool:
        """What changed in this draft: it (To) against the draft before it (From)."""
        ids = [d.id for d in self._drafts]
        if draft_id not in ids:
            return False
        i = ids.index(draft_id)
        self._set_drafts(self._drafts, ids[max(0, i - 1)], draft_id)
        self._compare()
        return True

    def reload(self) -> None:
        """Read the drafts again and compare, keeping the two drafts chosen."""
        vault = self.ctx.vault
        if self._text_id is None or not vault.is_unlocked:
            self._forget()
            self._show_empty()
            return
        drafts = drafts_of(vault, self._text_id)
        old, new = self.current_pair()
        ids = {d.id for d in drafts}
        kept = old in ids and new in ids
        self._set_drafts(drafts, old if kept else None, new if kept else None)
        self._compare(choose=not kept)

    def clear(self) -> None:
        """Keep nothing of the vault (on lock)."""
        self._text_id = None
        self._forget()
        self._show_empty()

    # -- choosing -------------------------------------------------------------------------

    def current_pair(self) -> tuple[int | None, int | None]:
        old, new = self.old_draft.currentData(), self.new_draft.currentData()
        return (
            int(old) if old is not None else None,
            int(new) if new is not None else None,
        )

    def _set_drafts(self, drafts: list[DraftInfo], old: int | None, new: int | None) -> None:
        self._drafts = list(drafts)
        for combo, keep in ((self.old_draft, old), (self.new_draft, new)):
            combo.blockSignals(True)
            combo.clear()
            for d in reversed(drafts):  # the newest first
                combo.addItem(draft_label(d), d.id)
            i = combo.findData(keep) if keep is not None else -1
            combo.setCurrentIndex(i)
            combo.blockSignals(False)

    def _name(self, draft_id: int | None) -> str:
        d = next((d for d in self._drafts if d.id == draft_id), None)
        if d is None:
            return ""
        if d.working:
            return tr("the working draft ({number})").format(number=d.number)
        return tr("draft {number}").format(number=d.number)

    # -- comparing ------------------------------------------------------------------------

    def _compare(self, choose: bool = False) -> None:
        """Compare the drafts chosen (``choose``: the default pair) on a worker: reading two
        drafts of 300 clauses and diffing their words takes some 50-120 ms on a slow machine,
        too long for the GUI thread. The rows shown stay until the answer comes."""
        vault = self.ctx.vault
        self._generation += 1  # an answer still on its way for an older choice is dropped
        generation = self._generation
        if self._text_id is None or not vault.is_unlocked:
            return
        drafts = list(self._drafts)
        old, new = self.current_pair()
        if len(drafts) < 2 or (not choose and (old is None or new is None)):
            self.diff, self._pair = None, (None, None)
            self.model.clear()
            self._show_empty()
            self.compared.emit()
            return

        def work() -> tuple[int, int, DraftDiff]:
            if choose:
                return default_comparison(vault, drafts)
            assert old is not None and new is not None
            return old, new, compare_drafts(vault, old, new)

        def done(result: object) -> None:
            if generation != self._generation:
                return
            assert isinstance(result, tuple)
            old_id, new_id, diff = result
            if choose:
                self._set_drafts(self._drafts, old_id, new_id)
            self.diff, self._pair = diff, (old_id, new_id)
            self.model.load(diff, self._name(old_id), self._name(new_id))
            self.stack.setCurrentWidget(self.page)
            self._after_load()
            self.compared.emit()

        def failed(exc: BaseException) -> None:
            if generation == self._generation:
                self.summary.setText(str(exc))
                self.compared.emit()

        self.summary.setText(tr("Comparing…"))
        run_in_background(self, work, done, failed, reader=vault)

    def _toggle_unchanged(self, show: bool) -> None:
        self.model.set_show_unchanged(show)
        self._after_load()

    def _after_load(self) -> None:
        diff = self.diff
        old, new = self._pair  # the drafts of the diff shown (another may be on its way)
        if diff is None:
            self.summary.clear()
            self.note.hide()
            return
        if old == new:
            self.summary.setText(tr("The same draft on both sides."))
        else:
            self.summary.setText(summary(diff))
        self._fit_columns()
        self._fitted_width = -1
        self._fit_rows()
        empty = self.model.rowCount() == 0
        self.note.setVisible(empty)
        if not empty:
            self.note.clear()
        elif not diff.entries:
            self.note.setText(tr("Neither draft has a clause yet."))
        elif old == new:
            self.note.setText(tr("Choose two different drafts to see what changed."))
        else:
            self.note.setText(
                tr(
                    "Nothing changed: {new} reads exactly as {old}. Tick “Show unchanged "
                    "clauses” to read it."
                ).format(new=self._name(new), old=self._name(old))
            )
        self.table.setVisible(not empty)

    def _forget(self) -> None:
        self._generation += 1
        self.diff, self._pair = None, (None, None)
        self.model.clear()
        self.summary.clear()
        self._set_drafts([], None, None)

    def _show_empty(self) -> None:
        if self._text_id is None:
            self.empty.show_state(tr("No text chosen"), tr("Choose a text to compare its drafts."))
        else:
            self.empty.show_state(
                tr("Only one draft so far"),
                tr(
                    "Comparing needs two drafts. Once you circulate the working draft, the "
                    "next working draft can be compared with it, and every circulated draft "
                    "with any other."
                ),
            )
        self.stack.setCurrentWidget(self.empty)

    # -- fitting --------------------------------------------------------------------------

    def _fit_columns(self) -> None:
        metrics = self.table.fontMetrics()
        bold = self.table.font()
        bold.setBold(True)
        strong = type(metrics)(bold)
        numbers = [str(self.model.index(r, NUMBER).data()) for r in range(self.model.rowCount())]
        widest = max((metrics.horizontalAdvance(n) for n in numbers), default=0)
        header = strong.horizontalAdvance(tr("Clause"))
        self.table.setColumnWidth(NUMBER, max(widest, header, 40) + 24)
        markers = max(strong.horizontalAdvance(tr(m)) for m in MARKERS.values())
        self.table.setColumnWidth(CHANGE, max(markers, strong.horizontalAdvance(tr("Change"))) + 24)

    def _fit_rows(self) -> None:
        """Each row as tall as its wording wrapped at the wording column's width: the first
        FIT_CHUNK rows (more than a screen) at once, the others a chunk per turn of the event
        loop, so that 300 clauses (some 40 ms of text layout) never hold the window still."""
        width = self.table.columnWidth(WORDING)
        if width == self._fitted_width or width <= 0:
            return
        self._fitted_width = width
        self._fit_next = 0
        self._fit_more()

    def _fit_more(self) -> None:
        width = self._fitted_width
        line = self.table.fontMetrics().lineSpacing() + 2 * CompareDelegate.PAD_Y
        end = min(self.model.rowCount(), self._fit_next + self.FIT_CHUNK)
        for row in range(self._fit_next, end):
            height = self.delegate.height_for(row, width, self.table.font())
            self.table.setRowHeight(row, max(line, height))
        self._fit_next = end
        if end < self.model.rowCount():
            self._fit_later.start()

    def sizeHint(self) -> QSize:
        return QSize(640, 400)
