"""Search everywhere (Ctrl+K): results as you type, ranked, with the match highlighted and the
record's kind and case; Enter opens the record. The first page of hits is read on a worker
thread; the next pages as the list scrolls to its end (bounded work each)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QRectF,
    QSize,
    Qt,
    QTimer,
)
from PySide6.QtGui import QAbstractTextDocumentLayout, QKeyEvent, QPainter, QPalette, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from app.core.services.paging import Fetch, Page
from app.core.services.search import SearchHit, SearchPage, search_page
from app.gui.context import AppContext
from app.gui.labels import tr
from app.gui.models.search_results import HIT_ROLE, HTML_ROLE, PAGE, SearchResultsModel
from app.gui.workers import run_in_background

__all__ = ["HIT_ROLE", "HTML_ROLE", "HtmlDelegate", "SearchDialog"]


class HtmlDelegate(QStyledItemDelegate):
    """Draws an item's HTML (bold matches) with the view's palette and selection."""

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        html = index.data(HTML_ROLE) or ""
        opt.text = ""
        style = opt.widget.style() if opt.widget else None
        if style:
            style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        doc = self._doc(html, opt.rect.width() - 40)
        ctx = QAbstractTextDocumentLayout.PaintContext()
        selected = bool(opt.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        ctx.palette.setColor(QPalette.ColorRole.Text, opt.palette.color(role))
        painter.save()
        x = (
            opt.rect.left() + 32
            if opt.direction == Qt.LayoutDirection.LeftToRight
            else opt.rect.left() + 4
        )
        painter.translate(x, opt.rect.top() + 2)
        painter.setClipRect(QRectF(0, 0, opt.rect.width() - 36, opt.rect.height()))
        doc.documentLayout().draw(painter, ctx)
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        doc = self._doc(index.data(HTML_ROLE) or "", max(200, option.rect.width() - 40))
        return QSize(int(doc.idealWidth()), int(doc.size().height()) + 6)

    @staticmethod
    def _doc(html: str, width: int) -> QTextDocument:
        doc = QTextDocument()
        doc.setHtml(html)
        doc.setTextWidth(width)
        return doc


class SearchDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Search everywhere"))
        self.query = QLineEdit()
        self.query.setObjectName("search_query")
        self.query.setPlaceholderText(tr('Words, beginnings of words, "a phrase"…'))
        self.query.setClearButtonEnabled(True)
        self.model = SearchResultsModel(self)
        self.results = QListView()
        self.results.setObjectName("search_results")
        self.results.setModel(self.model)
        self.results.setItemDelegate(HtmlDelegate(self.results))
        self.results.setUniformItemSizes(False)
        self.results.activated.connect(self._open)
        self.status = QLabel()
        self.status.setObjectName("search_status")
        layout = QVBoxLayout(self)
        layout.addWidget(self.query)
        layout.addWidget(self.results, 1)
        layout.addWidget(self.status)
        self._timer = QTimer(self, singleShot=True, interval=120)
        self._timer.timeout.connect(self._run)
        self.query.textChanged.connect(lambda _t: self._timer.start())
        self.query.returnPressed.connect(self._open_current)
        self.query.installEventFilter(self)
        self._generation = 0
        self.resize(640, 480)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        # Up/Down in the query field move through the results.
        if (
            obj is self.query
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up)
        ):
            row = self.results.currentIndex().row()
            row = row + 1 if event.key() == Qt.Key.Key_Down else row - 1
            if 0 <= row < self.model.rowCount():
                self.results.setCurrentIndex(self.model.index(row, 0))
            return True
        return super().eventFilter(obj, event)

    def _run(self) -> None:
        text = self.query.text()
        self._generation += 1
        generation = self._generation
        if not text.strip():
            self._show(SearchPage([]), generation, text)
            return
        vault = self.ctx.vault
        self.status.setText(tr("Searching…"))
        run_in_background(
            self,
            lambda: search_page(vault, text, limit=PAGE),
            lambda page: self._show(page, generation, text),
            lambda exc: self.status.setText(str(exc)),
            reader=vault,
        )

    def _fetch(self, text: str) -> Fetch[SearchHit]:
        vault = self.ctx.vault

        def fetch(after: Any, limit: int) -> Page[SearchHit]:
            if not vault.is_unlocked:
                return Page([])  # locked while the list was still showing
            return search_page(vault, text, after=after, limit=limit)

        return fetch

    def _show(self, page: object, generation: int, text: str) -> None:
        if generation != self._generation:
            return  # an older query finished after a newer one started
        if not self.ctx.vault.is_unlocked:
            return  # it finished as the vault was locked: show nothing
        if not isinstance(page, SearchPage):
            page = SearchPage([])
        self.model.set_pager(page, self._fetch(text))
        if page.rows:
            self.results.setCurrentIndex(self.model.index(0, 0))
        self.status.setText(self._count_line(page) if text.strip() else "")

    @staticmethod
    def _count_line(page: SearchPage) -> str:
        # Counting every match of a common word costs as much as ranking them all (at a
        # million messages, 100 ms and more): the core counts up to the matches it ranks.
        found = page.found if page.found is not None else len(page.rows)
        if page.found_all:
            return tr("{n} results").format(n=f"{found:,}")
        return tr("{n}+ results").format(n=f"{found:,}")

    def _open_current(self) -> None:
        index = self.results.currentIndex()
        if index.isValid():
            self._open(index)

    def _open(self, index: QModelIndex) -> None:
        hit = index.data(HIT_ROLE)
        if isinstance(hit, SearchHit):
            self.ctx.open_record.emit(hit.kind, hit.record_id, hit.case_id or -1)
            self.accept()
