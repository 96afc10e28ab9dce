"""The Shuttle Log section: one row of pages (Messages, Deliveries, Handovers, Rounds, Who
knows what, Ledger, Pending) under a bar with Record a delivery… and Release…. The Messages
page shows the selected message's thread in a pane under the list; the Handovers page
(app.gui.sections.handovers_page) what went to outside audiences, and those audiences.

Only the page in view loads: the others are built the first time they are shown, and catch
up with the case and with the changes they missed when next shown. The section follows
record changes itself (app.gui.context.AppContext.record_changed), so the window's
``reload()`` only asks it to catch up. It implements app.gui.sections.protocol.Section.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.context import AppContext
from app.gui.kinds import listed_record
from app.gui.labels import tr
from app.gui.resources import icon
from app.gui.sections.handovers_page import HandoversPage
from app.gui.sections.knowledge import LedgerPage, PendingPage, ThreadPane
from app.gui.sections.knowledge_matrix import MatrixPage
from app.gui.sections.section import SectionView
from app.gui.sections.shuttle_dialogs import DeliverDialog, ReleaseDialog

NO_MESSAGE = "Select a message to release"
NO_CASE = "Select a case first"


class ListPage(QWidget):
    """A list of records beside its editor (Deliveries, Rounds)."""

    current_changed = Signal()

    def __init__(self, ctx: AppContext, list_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view = SectionView(ctx, list_name)
        self.kind = self.view.kind
        self.view.list.current_changed.connect(lambda _id: self.current_changed.emit())
        self.body = QVBoxLayout(self)
        self.body.setContentsMargins(0, 0, 0, 0)
        self.body.addWidget(self.view)

    def load(self, case_id: int | None) -> None:
        self.view.set_scope(case_id)

    def reload(self) -> None:
        self.view.list.reload()

    def clear(self) -> None:
        self.view.clear()

    def current_id(self) -> int | None:
        return self.view.list.current_id()

    def current(self) -> tuple[str, int] | None:
        rid = self.current_id()
        return (self.kind, rid) if rid is not None else None

    def select(self, record_id: int) -> bool:
        lst = self.view.list
        if lst.filter_box.text():  # a filter could hide it
            lst.filter_box.setText("")
            lst.model.set_filter("")
        if not self.view.select(record_id):
            return False
        lst.view.setFocus()
        return True

    def selected_message(self) -> int | None:
        return None

    def selected_party(self) -> int | None:
        return None


class MessagesPage(ListPage):
    """The case's messages beside the selected one's editor, and its thread below."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(ctx, "message", parent)
        self.thread_pane = ThreadPane(ctx)
        self.body.removeWidget(self.view)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setObjectName("messages_splitter")
        self.splitter.addWidget(self.view)
        self.splitter.addWidget(self.thread_pane)
        self.splitter.setCollapsible(0, False)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 1)
        self.body.addWidget(self.splitter)
        self.view.list.current_changed.connect(self._follow)
        self.thread_pane.open_message.connect(self.select)
        self.thread_pane.toggle.toggled.connect(self._folded)
        self._folded(self.thread_pane.expanded)

    def _follow(self, message_id: int) -> None:
        lst = self.view.list
        row = lst.view.currentIndex().row()
        if message_id < 0 or row < 0:
            self.thread_pane.show_thread(None)
            return
        summary = lst.model.value(row, "summary") or ""
        said = lst.model.value(row, "said_at")
        self.thread_pane.show_thread(message_id, str(summary), said)

    def _folded(self, expanded: bool) -> None:
        # Folded, the pane is its one-line header and the list takes the room.
        header = self.thread_pane.toggle.sizeHint().height() + 8
        self.thread_pane.setMaximumHeight(16_777_215 if expanded else header)
        total = sum(self.splitter.sizes())
        if expanded and total > 0:
            self.splitter.setSizes([total * 3 // 4, total - total * 3 // 4])

    def clear(self) -> None:
        super().clear()
        self.thread_pane.clear()

    def selected_message(self) -> int | None:
        return self.current_id()


@dataclass(frozen=True)
class PageSpec:
    key: str
    label: str
    icon: str
    factory: Callable[[AppContext], QWidget]
    watches: frozenset[str]  # kinds whose change makes the page stale (its own list aside)


_TOLD = frozenset({"message", "delivery", "delivery_item", "release", "party", "person"})
PAGES = (
    PageSpec(
        "messages", "Messages", "message", MessagesPage, frozenset({"party", "person", "round"})
    ),
    PageSpec(
        "deliveries",
        "Deliveries",
        "delivery",
        lambda ctx: ListPage(ctx, "delivery"),
        frozenset({"party", "person", "round", "delivery_item"}),
    ),
    PageSpec(
        "handovers",
        "Handovers",
        "delivery",
        HandoversPage,
        frozenset({"handover", "outsider", "person", "option", "commitment", "draft"}),
    ),
    PageSpec("rounds", "Rounds", "timeline", lambda ctx: ListPage(ctx, "round"), frozenset()),
    PageSpec("knows", "Who knows what", "ledger", MatrixPage, _TOLD),
    PageSpec("ledger", "Ledger", "ledger", LedgerPage, _TOLD),
    PageSpec("pending", "Pending", "message", PendingPage, _TOLD),
)
_LIST_OF = {"message": "messages", "delivery": "deliveries", "round": "rounds"}
_HANDOVER_KINDS = ("handover", "outsider")  # shown on the Handovers page


class ShuttleLogSection(QWidget):
    """The Shuttle Log (see the module's text)."""

    current_changed = Signal()
    watches = frozenset(
        {"message", "delivery", "delivery_item", "release", "round", "party", "person"}
        | {"handover", "outsider", "option", "commitment", "draft"}
    )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("shuttle_log")
        self.ctx = ctx
        self.deliver_button = QPushButton(icon("delivery"), tr("Record a delivery…"))
        self.deliver_button.setObjectName("record_delivery")
        self.deliver_button.clicked.connect(self.record_delivery)
        self.release_button = QPushButton(icon("shield"), tr("Release…"))
        self.release_button.setObjectName("release_message")
        self.release_button.clicked.connect(self.release_message)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 0)
        bar.addWidget(self.deliver_button)
        bar.addWidget(self.release_button)
        bar.addStretch(1)
        self.pages = QTabWidget()
        self.pages.setObjectName("shuttle_pages")
        self.pages.setDocumentMode(True)
        self.pages.setUsesScrollButtons(False)
        self._holders: dict[str, QWidget] = {}
        self._built: dict[str, Any] = {}
        self._case_of: dict[str, int | None] = {}  # the case each built page shows
        self._stale: set[str] = set()
        self._case_id: int | None = None
        for spec in PAGES:
            holder = QWidget()
            holder.setObjectName(f"page_{spec.key}")
            QVBoxLayout(holder).setContentsMargins(0, 0, 0, 0)
            self._holders[spec.key] = holder
            self.pages.addTab(holder, icon(spec.icon), tr(spec.label))
        self.pages.currentChanged.connect(lambda _i: self._catch_up())
        ctx.record_changed.connect(self._on_record_changed)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(bar)
        layout.addWidget(self.pages, 1)
        self.current_changed.connect(self._update_buttons)
        self._update_buttons()

    # -- pages ----------------------------------------------------------------------------

    def page(self, key: str) -> Any:
        """The page (built if needed, not shown)."""
        if key not in self._built:
            spec = next(s for s in PAGES if s.key == key)
            widget = spec.factory(self.ctx)
            layout = self._holders[key].layout()
            assert layout is not None
            layout.addWidget(widget)
            widget.show()  # now, not when the layout's queued show comes round
            widget.current_changed.connect(self.current_changed)  # type: ignore[attr-defined]
            self._built[key] = widget
        return self._built[key]

    def current_key(self) -> str:
        widget = self.pages.currentWidget()
        return next(k for k, h in self._holders.items() if h is widget)

    def current_page(self) -> Any:
        return self.page(self.current_key())

    def show_page(self, key: str) -> Any:
        self.pages.setCurrentWidget(self._holders[key])
        self._catch_up()
        return self.page(key)

    @property
    def messages(self) -> SectionView:
        """The Messages list and editor (built if needed)."""
        page: MessagesPage = self.page("messages")
        return page.view

    def _catch_up(self) -> None:
        if not self.isVisible() or not self.ctx.vault.is_unlocked:
            self._update_buttons()
            return
        key = self.current_key()
        page = self.page(key)
        if self._case_of.get(key, -2) != self._case_id:
            self._case_of[key] = self._case_id
            self._stale.discard(key)
            page.load(self._case_id)
        elif key in self._stale:
            self._stale.discard(key)
            page.reload() if hasattr(page, "reload") else page.load(self._case_id)
        self.current_changed.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._catch_up()

    def _on_record_changed(self, kind: str, _record_id: int) -> None:
        if kind not in self.watches:
            return
        self._stale |= {s.key for s in PAGES if kind in s.watches and s.key in self._built}
        messages = self._built.get("messages")
        if messages is not None and kind in ("message", "delivery", "delivery_item"):
            messages.thread_pane.refresh()
        self._catch_up()

    # -- Section --------------------------------------------------------------------------

    def set_case(self, case_id: int | None) -> None:
        self._case_id = case_id
        self._catch_up()

    def reload(self) -> None:
        self._catch_up()

    def clear(self) -> None:
        self._case_of.clear()
        self._stale.clear()
        self._case_id = None
        for page in self._built.values():
            page.clear()
        self._update_buttons()

    def current(self) -> tuple[str, int] | None:
        if not self.ctx.vault.is_unlocked:
            return None
        result = self.current_page().current()
        return result if isinstance(result, tuple) else None

    def show_record(self, kind: str, record_id: int) -> bool:
        listed = listed_record(kind, record_id, self.ctx.records.get)
        if listed is None:
            return False
        kind, record_id = listed
        if kind in _HANDOVER_KINDS:
            handovers: HandoversPage = self.show_page("handovers")
            if kind == "outsider":
                return handovers.select_outsider(record_id)
            return handovers.select(record_id)
        if kind not in _LIST_OF:
            return False
        page = self.show_page(_LIST_OF[kind])
        return bool(page.select(record_id))

    def new_record(self) -> None:
        key = self.current_key()
        if self._case_id is None:
            return
        if key in ("deliveries", "pending", "ledger"):
            self.record_delivery()
        elif key == "handovers":
            self.page("handovers").new_handover()
        elif key == "rounds":
            self.page("rounds").view.list.create_record()
        else:
            self.show_page("messages").view.list.create_record()

    def delete_record(self) -> None:
        page = self.current_page()
        if isinstance(page, ListPage):
            page.view.list.delete_current()
        elif isinstance(page, HandoversPage):
            page.delete_current()

    # -- the bar --------------------------------------------------------------------------

    def selected_message(self) -> int | None:
        """The message selected on the page in view (Messages, or a row of the knowledge
        pages), if any: what Release… releases."""
        if self.current_key() not in self._built or not self.ctx.vault.is_unlocked:
            return None
        value = self.current_page().selected_message()
        return int(value) if value is not None else None

    def _update_buttons(self) -> None:
        has_case = self._case_id is not None and self.ctx.vault.is_unlocked
        self.deliver_button.setEnabled(has_case)
        self.deliver_button.setToolTip(
            tr("What you conveyed to a party, and from which messages") if has_case else tr(NO_CASE)
        )
        ok = has_case and self.selected_message() is not None
        self.release_button.setEnabled(ok)
        self.release_button.setToolTip(
            tr("Let the selected message travel further than its level allows (audited)")
            if ok
            else tr(NO_MESSAGE)
        )

    def record_delivery(self) -> None:
        if self._case_id is None or self.ctx.case_id is None:
            return
        party = self.current_page().selected_party() if self.current_key() in self._built else None
        DeliverDialog(self.ctx, self, party_id=party).exec()

    def release_message(self) -> None:
        if (message_id := self.selected_message()) is not None:
            dialog = ReleaseDialog(self.ctx, message_id, self)
            if dialog.exec() == QDialog.DialogCode.Accepted:
                self._update_buttons()
