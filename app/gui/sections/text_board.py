"""The pages of the Texts section, as widgets. The Draft page: the bar (new clause or
heading, move, delete; circulate, record a critique, discard the working changes), the
text's drafts and the outline of the selected draft's clauses on the left, the clause
editor on the right. The Critique and Compare pages are built from their own modules when
the section is (a label if they cannot be). (What they all do: texts_section.py.)"""

from __future__ import annotations

import importlib
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QPainter, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QToolButton,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from app.gui.context import AppContext
from app.gui.labels import tr
from app.gui.models.text_outline import INDENT_ROLE, DraftsModel, OutlineModel
from app.gui.sections.sessions_section import bar_button
from app.gui.sections.text_editor import ClauseEditor

_Index = QModelIndex | QPersistentModelIndex
# The drafts and outline's share of the page's width, and its bounds in pixels.
LEFT_SHARE, LEFT_MIN, LEFT_MAX = 0.38, 260, 440


@runtime_checkable
class TextPage(Protocol):
    """What the Critique and Compare pages offer (text_critique.py, text_compare.py)."""

    def set_text(self, text_id: int | None) -> None: ...
    def reload(self) -> None: ...
    def clear(self) -> None: ...
    def show_draft(self, draft_id: int) -> None: ...


class _Placeholder(QLabel):
    """Stands in for a page whose module is not there (a partial installation)."""

    def set_text(self, text_id: int | None) -> None: ...
    def reload(self) -> None: ...
    def clear(self) -> None: ...
    def show_draft(self, draft_id: int) -> None: ...


def text_page(ctx: AppContext, module: str, name: str) -> QWidget:
    """The page ``name`` of ``app.gui.sections.<module>``, imported when the section is
    built; a plain label if it cannot be."""
    try:
        page = getattr(importlib.import_module(f"app.gui.sections.{module}"), name)(ctx)
    except (ImportError, AttributeError):
        page = _Placeholder(tr("This page is not available in this installation."))
        page.setAlignment(Qt.AlignmentFlag.AlignCenter)
    assert isinstance(page, QWidget) and isinstance(page, TextPage)
    return page


class OutlineDelegate(QStyledItemDelegate):
    """Paragraphs under a heading are drawn indented (on the reading side)."""

    INDENT = 22

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: _Index) -> None:
        if index.data(INDENT_ROLE):
            option = QStyleOptionViewItem(option)
            if option.direction == Qt.LayoutDirection.RightToLeft:
                option.rect.adjust(0, 0, -self.INDENT, 0)
            else:
                option.rect.adjust(self.INDENT, 0, 0, 0)
        super().paint(painter, option, index)


def one_column_list(name: str) -> QTreeView:
    """A list whose rows are as wide as the view, long ones cut with "…" (the tooltip has
    them whole)."""
    view = QTreeView()
    view.setObjectName(name)
    view.setHeaderHidden(True)
    view.setRootIsDecorated(False)
    view.setItemsExpandable(False)
    view.setUniformRowHeights(True)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    return view


def _arrow(name: str, arrow: Qt.ArrowType, tip: str) -> QToolButton:
    b = QToolButton()
    b.setObjectName(name)
    b.setArrowType(arrow)
    b.setProperty("enabled_tip", tip)
    b.setToolTip(tip)
    return b


class DraftBoard(QWidget):
    """The bar above, the drafts and the outline beside the clause editor."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.drafts_model = DraftsModel(self)
        self.drafts = one_column_list("drafts_list")
        self.drafts.setModel(self.drafts_model)
        self.drafts_model.modelReset.connect(self._fit_drafts)
        self.outline_model = OutlineModel(self)
        self.outline = one_column_list("clause_outline")
        self.outline.setModel(self.outline_model)
        self.outline.setItemDelegate(OutlineDelegate(self.outline))
        self.editor = ClauseEditor(ctx)
        self.buttons: dict[str, QPushButton | QToolButton] = {
            "new_clause": bar_button(
                "new_clause",
                tr("New clause"),
                "add",
                tr("A paragraph after the selected clause (Ctrl+N)"),
            ),
            "new_heading": bar_button(
                "new_heading", tr("New heading"), "add", tr("A heading that opens a new part")
            ),
            "up": _arrow("move_up", Qt.ArrowType.UpArrow, tr("Move the clause up (Alt+Up)")),
            "down": _arrow(
                "move_down", Qt.ArrowType.DownArrow, tr("Move the clause down (Alt+Down)")
            ),
            "delete": bar_button(
                "delete_clause", tr("Delete clause"), "delete", tr("Delete the selected clause")
            ),
            "circulate": bar_button(
                "circulate",
                tr("Circulate…"),
                "delivery",
                tr("Give this draft to the parties you choose (cannot be undone)"),
            ),
            "critique": bar_button(
                "record_critique",
                tr("Record critique…"),
                "party",
                tr("A party's reaction to the selected clause of a draft it holds"),
            ),
            "discard": bar_button(
                "discard_changes",
                tr("Discard changes…"),
                "undo",
                tr("Start the working draft again from the last circulated draft"),
            ),
        }
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.setSpacing(4)
        for name in ("new_clause", "new_heading", "up", "down", "delete"):
            bar.addWidget(self.buttons[name])
        bar.addStretch(1)
        for name in ("circulate", "critique", "discard"):
            bar.addWidget(self.buttons[name])
        left = QWidget()
        lv = QVBoxLayout(left)
        lv.setContentsMargins(0, 0, 0, 0)
        lv.addWidget(QLabel(tr("<b>Drafts</b>")))
        lv.addWidget(self.drafts)
        lv.addWidget(QLabel(tr("<b>Outline</b>")))
        lv.addWidget(self.outline, 1)
        left.setMinimumWidth(LEFT_MIN - 40)
        self.editor.setMinimumWidth(360)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.setObjectName("texts_splitter")
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.editor)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.splitterMoved.connect(self._handle_moved)
        self._user_split = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.splitter, 1)

    def _fit_drafts(self) -> None:
        """The list of drafts as tall as its rows: two at least, five at most (it scrolls)."""
        rows = max(2, min(self.drafts_model.rowCount(), 5))
        row = self.drafts.sizeHintForRow(0) if self.drafts_model.rowCount() else 0
        row = max(row, self.drafts.fontMetrics().height() + 4)
        self.drafts.setFixedHeight(rows * row + 2 * self.drafts.frameWidth() + 2)

    def need(self, name: str, ok: bool, why: str) -> None:
        """Enable a button of the bar, or disable it with a tip that says what to do."""
        b = self.buttons[name]
        b.setEnabled(ok)
        b.setToolTip(str(b.property("enabled_tip")) if ok else why)

    def _handle_moved(self, _pos: int, _index: int) -> None:
        self._user_split = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._user_split:
            width = self.splitter.width() or event.size().width()
            left = int(min(max(width * LEFT_SHARE, LEFT_MIN), LEFT_MAX))
            self.splitter.setSizes([left, max(width - left - self.splitter.handleWidth(), 0)])
