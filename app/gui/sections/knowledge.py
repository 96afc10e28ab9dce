"""What each party knows, as pages of the Shuttle Log: a party's ledger, what is pending, and
a message's thread (a collapsible pane under the Messages list); who knows what is in
app.gui.sections.knowledge_matrix. The core answers (app.core.services.knowledge, .pending,
.shuttle); these pages show them through the models in app.gui.models.

The ledger and pending deliveries are paged: a page shows the first screenful (read when it
is shown, bounded work whatever the size of the case) and reads the next as the view is
scrolled to its end. Their headers do not sort: a sort of the rows read so far would lie."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QEvent,
    QLocale,
    QModelIndex,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.core.models import utcnow
from app.core.services import knowledge, pending, shuttle, text_circulation
from app.core.services.paging import FIRST_PAGE, Fetch, Page
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.labels import tr
from app.gui.models.rows import PARTY_ROLE, SORT_ROLE, RowsModel
from app.gui.models.shuttle_rows import MESSAGE_ROLE, LedgerModel, PendingModel, ThreadModel

SHORT = 130  # a column whose values all fit in this keeps its width (dates, levels)
MAX_NAME = 220  # a column of names (From, To, a source) is never wider than this
MIN_NAME = 90  # nor, squeezed, narrower than this
MIN_MESSAGE = 160  # the message column keeps at least this, and takes what is left


def sortable(model: QAbstractItemModel, parent: QObject) -> QSortFilterProxyModel:
    """A proxy that sorts on SORT_ROLE (dates as dates) and starts in the model's order."""
    proxy = QSortFilterProxyModel(parent)
    proxy.setSortRole(SORT_ROLE)
    proxy.setSortCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    proxy.setSourceModel(model)
    return proxy


T = TypeVar("T")


def while_unlocked(vault: Vault, fetch: Callable[[Any, int], Page[T]]) -> Fetch[T]:
    """``fetch`` for a paged model, answering an empty last page once the vault is locked
    (a model outlives a lock until it is cleared)."""

    def read(after: Any, limit: int) -> Page[T]:
        return fetch(after, limit) if vault.is_unlocked else Page([])

    return read


def setup_table(view: QTableView, name: str) -> None:
    view.setObjectName(name)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.setWordWrap(False)
    view.verticalHeader().setVisible(False)
    view.verticalHeader().setDefaultSectionSize(26)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setHighlightSections(False)
    # Sorting by a header click, starting in the core's own order: no indicator (-1), so
    # enabling sorting does not sort by the first column, descending.
    header.setSortIndicator(-1, Qt.SortOrder.AscendingOrder)
    view.setSortingEnabled(True)


def fit_columns(view: QTableView, message_column: int) -> None:
    """Short columns (dates, levels) keep their contents' width; columns of names share what
    the message column leaves them (MIN_NAME to MAX_NAME); the message column takes the
    rest, at least MIN_MESSAGE (below that, the view scrolls sideways)."""
    model = view.model()
    if model is None or not model.columnCount():
        return
    natural: dict[int, int] = {}
    for c in range(model.columnCount()):
        if c != message_column:
            head = view.horizontalHeader().sectionSizeFromContents(c).width()
            natural[c] = max(head, view.sizeHintForColumn(c))
    short = {c: w for c, w in natural.items() if w <= SHORT}
    names = {c: min(w, MAX_NAME) for c, w in natural.items() if w > SHORT}
    room = view.viewport().width() - sum(short.values()) - MIN_MESSAGE
    wanted = sum(names.values())
    if names and wanted > room:
        floor = MIN_NAME * len(names)
        spare = max(0, room - floor)
        names = {
            c: MIN_NAME + (w - MIN_NAME) * spare // max(1, wanted - floor) for c, w in names.items()
        }
    for c, w in {**short, **names}.items():
        view.setColumnWidth(c, w)
    rest = view.viewport().width() - sum(short.values()) - sum(names.values())
    view.setColumnWidth(message_column, max(MIN_MESSAGE, rest))


def message_at(view: QTableView) -> int | None:
    """The message of the current row (through any proxy)."""
    index = view.currentIndex()
    if not index.isValid():
        return None
    value = index.siblingAtColumn(0).data(MESSAGE_ROLE)
    return int(value) if value is not None else None


def select_message(view: QTableView, message_id: int) -> bool:
    model = view.model()
    if model is None:
        return False
    for row in range(model.rowCount()):
        index = model.index(row, 0)
        if index.data(MESSAGE_ROLE) == message_id:
            view.setCurrentIndex(index)
            view.scrollTo(index)
            return True
    return False


class Empty(QLabel):
    """What a page says instead of bare headers: what it is and what to do first."""

    def __init__(self, name: str) -> None:
        super().__init__()
        self.setObjectName(name)
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setMargin(24)
        self.setTextFormat(Qt.TextFormat.RichText)

    def say(self, title: str, text: str) -> None:
        self.setText(f"<p><b>{title}</b></p><p>{text}</p>")


class _TablePage(QWidget):
    """A page that is one table (or, while it has no rows, its empty state)."""

    current_changed = Signal()

    def __init__(
        self, ctx: AppContext, model: RowsModel, name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.model = model
        model.setParent(self)
        self.view = QTableView()
        self.view.setModel(model)  # paged: in the core's order, no sorting proxy
        setup_table(self.view, name)
        self.view.setSortingEnabled(False)
        self.view.horizontalHeader().setStretchLastSection(False)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self.current_changed.emit())
        self.view.viewport().installEventFilter(self)
        self.empty = Empty(f"{name}_empty")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.empty)
        self.stack.addWidget(self.view)
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(6, 6, 6, 6)
        self.body.addWidget(self.stack, 1)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.view.viewport() and event.type() == QEvent.Type.Resize:
            fit_columns(self.view, self.model.columnCount() - 1)
        return super().eventFilter(obj, event)

    def _shown(self) -> None:
        has = self.model.rowCount() > 0
        self.stack.setCurrentWidget(self.view if has else self.empty)
        if has:
            fit_columns(self.view, self.model.columnCount() - 1)

    def selected_message(self) -> int | None:
        return message_at(self.view)

    def select_message(self, message_id: int) -> bool:
        return select_message(self.view, message_id)

    def current(self) -> tuple[str, int] | None:
        mid = self.selected_message()
        return ("message", mid) if mid is not None else None

    def reload(self) -> None:
        self.load(self.ctx.case_id)

    def load(self, case_id: int | None) -> None:
        raise NotImplementedError

    def selected_party(self) -> int | None:
        index = self.view.currentIndex()
        value = index.siblingAtColumn(0).data(PARTY_ROLE) if index.isValid() else None
        return int(value) if value is not None else None

    def clear(self) -> None:
        self.model.clear()
        self._shown()


class PendingPage(_TablePage):
    """Messages meant for a party and not passed on yet, then answers awaited."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, PendingModel(), "pending_table", parent)
        self.empty.say(
            tr("Nothing pending"),
            tr(
                "Messages meant for a party that it has not been told yet show here, then "
                "the answers you are waiting for. Confidential messages never do: they are "
                "not to be passed on."
            ),
        )

    def load(self, case_id: int | None) -> None:
        vault = self.ctx.vault
        if case_id is None or not vault.is_unlocked:
            self.model.clear()
        else:
            at = utcnow()  # every page as of the moment the page was loaded

            def fetch(after: Any, limit: int) -> Page[pending.PendingItem]:
                return pending.pending_page(vault, case_id, at=at, after=after, limit=limit)

            self.model.set_pager(fetch(None, FIRST_PAGE), while_unlocked(vault, fetch))
        self._shown()


class LedgerPage(_TablePage):
    """Everything one party has been told, in the order told, and from which source."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, LedgerModel(), "ledger_table", parent)
        self.party = QComboBox()
        self.party.setObjectName("ledger_party")
        self.party.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.party.currentIndexChanged.connect(lambda _i: self._load_party())
        self.count = QLabel()
        self.count.setObjectName("ledger_count")
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("What has this party been told?")))
        row.addWidget(self.party)
        row.addStretch(1)
        row.addWidget(self.count)
        self.body.insertLayout(0, row)
        # The texts the party holds: the latest draft of each it was given (circulated
        # drafts are deliveries too, but of a text, not of messages: not rows of the table).
        self.held = QLabel()
        self.held.setObjectName("ledger_texts_held")
        self.held.setWordWrap(True)
        self.held.setTextFormat(Qt.TextFormat.PlainText)
        self.held.setVisible(False)
        self.body.insertWidget(1, self.held)

    def load(self, case_id: int | None) -> None:
        keep = self.party.currentData()
        self.party.blockSignals(True)
        self.party.clear()
        if case_id is not None and self.ctx.vault.is_unlocked:
            for pid, name in self.ctx.choices("party"):
                self.party.addItem(name, pid)
        self.party.setCurrentIndex(max(0, self.party.findData(keep)))
        self.party.blockSignals(False)
        self._load_party()

    def _load_party(self) -> None:
        party_id = self.party.currentData()
        vault = self.ctx.vault
        if party_id is None or not vault.is_unlocked:
            self.model.clear()
            self.count.clear()
        else:

            def fetch(after: Any, limit: int) -> Page[knowledge.LedgerEntry]:
                return knowledge.ledger_page(vault, party_id, after=after, limit=limit)

            self.model.set_pager(fetch(None, FIRST_PAGE), while_unlocked(vault, fetch))
            # How many, counted in the index: the rows past the first page are not read yet.
            n = knowledge.ledger_count(vault, party_id)
            self.count.setText(
                tr("{n} sources told").format(n=QLocale().toString(n))
                if n != 1
                else tr("1 source told")
            )
        name = self.party.currentText()
        holds_texts = self._show_texts_held(party_id, name)
        if party_id is None:
            self.empty.say(
                tr("No parties yet"),
                tr("Add the parties of the case; then each one's ledger shows what it knows."),
            )
        elif holds_texts:  # given a draft, but no message: not "told nothing"
            self.empty.say(
                tr("{party} has been told no message yet").format(party=name),
                tr(
                    "It holds the drafts named above. Record a delivery to say what else you "
                    "passed on, and from which messages."
                ),
            )
        else:
            self.empty.say(
                tr("{party} has been told nothing yet").format(party=name),
                tr("Record a delivery to say what you passed on, and from which messages."),
            )
        self._shown()

    def _show_texts_held(self, party_id: int | None, name: str) -> bool:
        """“Texts held: Draft 4 of “…” (28 Oct 2026)”, the earlier drafts in its tooltip;
        hidden when the party was given no draft. Answers whether it holds any."""
        vault = self.ctx.vault
        held = []
        if party_id is not None and vault.is_unlocked:
            held = text_circulation.drafts_held(vault, int(party_id))
        latest = [h for h in held if h.latest]
        if not latest:
            self._hide_texts_held()
            return False
        self.held.setText(
            tr("Texts held: {drafts}").format(drafts="; ".join(map(_draft_words, latest)))
        )
        earlier = [h for h in held if not h.latest]
        if earlier:
            tip = tr("Earlier drafts given to {party}:").format(party=name)
            tip += "\n" + "\n".join(map(_draft_words, earlier))
        else:
            tip = tr("No earlier draft was given to {party}.").format(party=name)
        self.held.setToolTip(tip)
        self.held.setVisible(True)
        return True

    def _hide_texts_held(self) -> None:
        self.held.clear()
        self.held.setToolTip("")
        self.held.setVisible(False)

    def selected_party(self) -> int | None:
        value = self.party.currentData()
        return int(value) if value is not None else None

    def clear(self) -> None:
        self.party.blockSignals(True)
        self.party.clear()
        self.party.blockSignals(False)
        self.count.clear()
        self._hide_texts_held()
        self.empty.say(tr("Ledger"), tr("What each party has been told, and from which source."))
        super().clear()


def _draft_words(held: text_circulation.HeldDraft) -> str:
    """``Draft 4 of “Tsera Pass working paper” (28 Oct 2026)``, the day in local time."""
    local = held.delivered_at.astimezone()
    day = QLocale().toString(QDate(local.year, local.month, local.day), "d MMM yyyy")
    return tr("Draft {number} of “{title}” ({day})").format(
        number=held.number, title=held.title, day=day
    )


class ThreadPane(QWidget):
    """The thread of the message selected above it: a header that names the message (and
    folds the pane), and the thread's messages, root first. Worked out only when unfolded
    and shown, a moment after the selection settles (arrowing down the log stays quick)."""

    open_message = Signal(int)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.message_id: int | None = None
        self._shown_for: int | None = None
        self.toggle = QToolButton()
        self.toggle.setObjectName("thread_toggle")
        self.toggle.setCheckable(True)
        self.toggle.setChecked(True)
        self.toggle.setAutoRaise(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.toggle.toggled.connect(self._toggled)
        self.model = ThreadModel(self)
        self.proxy = sortable(self.model, self)
        self.view = QTableView()
        self.view.setModel(self.proxy)
        setup_table(self.view, "thread_table")
        self.view.doubleClicked.connect(self._open)
        self.view.viewport().installEventFilter(self)
        self._timer = QTimer(self, singleShot=True, interval=120)
        self._timer.timeout.connect(self._render)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 0, 6, 6)
        layout.setSpacing(2)
        layout.addWidget(self.toggle)
        layout.addWidget(self.view, 1)
        self._title()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.view.viewport() and event.type() == QEvent.Type.Resize:
            fit_columns(self.view, self.model.columnCount() - 1)
        return super().eventFilter(obj, event)

    @property
    def expanded(self) -> bool:
        return self.toggle.isChecked()

    def show_thread(
        self, message_id: int | None, summary: str = "", said: datetime | None = None
    ) -> None:
        """Follow the selection: name it now, work its thread out shortly (if unfolded)."""
        self.message_id = message_id
        self._title(summary, said)
        if message_id is None:
            self._timer.stop()
            self._shown_for = None
            self.model.clear()
            return
        self._timer.start()

    def refresh(self) -> None:
        """Work the thread out again (a reply or a delivery may have changed it)."""
        self._shown_for = None
        if self.message_id is not None:
            self._timer.start()

    def _title(self, summary: str = "", said: datetime | None = None) -> None:
        arrow = Qt.ArrowType.DownArrow if self.expanded else Qt.ArrowType.RightArrow
        self.toggle.setArrowType(arrow)
        if self.message_id is None:
            self.toggle.setText(
                tr("Thread: select a message to see what it answers and what answered it")
            )
            return
        short = summary if len(summary) <= 60 else summary[:59].rstrip() + "…"
        day = ""
        if said is not None:
            local = said.astimezone()
            day = QLocale().toString(QDate(local.year, local.month, local.day), "d MMM")
        text = tr("Thread of “{summary}” ({day})").format(summary=short, day=day)
        n = self.model.rowCount() if self._shown_for == self.message_id else 0
        if n:
            text += " · " + (tr("{n} messages").format(n=n) if n > 1 else tr("no replies yet"))
        self.toggle.setText(text)
        self.toggle.setToolTip(summary[:1000])

    def _toggled(self, on: bool) -> None:
        self.view.setVisible(on)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        if on:
            self._timer.start()

    def _render(self) -> None:
        if not (self.expanded and self.isVisible()):
            return
        if self._shown_for == self.message_id:
            return
        self._shown_for = self.message_id
        if self.message_id is None or not self.ctx.vault.is_unlocked:
            self.model.clear()
            return
        steps = shuttle.thread(self.ctx.vault, self.message_id)
        self.model.set_rows(steps)
        fit_columns(self.view, self.model.columnCount() - 1)
        select_message(self.view, self.message_id)
        root = steps[0] if steps else None
        mine = next((s for s in steps if s.message_id == self.message_id), root)
        if mine is not None:
            self._title(mine.summary, mine.said_at)

    def render_now(self) -> None:
        """Work the thread out at once (the timer's job; for a caller that cannot wait)."""
        self._timer.stop()
        self._render()

    def _open(self, index: QModelIndex) -> None:
        value = index.siblingAtColumn(0).data(MESSAGE_ROLE)
        if value is not None:
            self.open_message.emit(int(value))

    def clear(self) -> None:
        self._timer.stop()
        self.message_id = self._shown_for = None
        self.model.clear()
        self._title()
        self.toggle.setToolTip("")
