"""Where the Shuttle Log's views used to live, kept so that callers not yet moved keep working.

The section is app.gui.views.shuttle_log.ShuttleLogSection; its dialogs are in
app.gui.views.shuttle_dialogs and what each party knows in app.gui.views.knowledge.
``KnowledgeView`` and ``ShuttleActions`` serve the window's interim adapter only: delete
them once the window shows ``ShuttleLogSection``.
"""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QPushButton, QTabWidget, QVBoxLayout, QWidget

from app.gui.context import AppContext
from app.gui.labels import tr
from app.gui.views.knowledge import LedgerPage, PendingPage, ThreadPane
from app.gui.views.knowledge_matrix import MatrixPage
from app.gui.views.shuttle_dialogs import DeliverDialog, ReleaseDialog

__all__ = ["DeliverDialog", "KnowledgeView", "ReleaseDialog", "ShuttleActions"]


class KnowledgeView(QWidget):
    """Pending, a party's ledger, who knows what and a thread, as four tabs (interim)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pending = PendingPage(ctx)
        self.ledger = LedgerPage(ctx)
        self.matrix = MatrixPage(ctx)
        self.thread_pane = ThreadPane(ctx)
        self.tabs = QTabWidget()
        self.tabs.setObjectName("knowledge_tabs")
        self.tabs.addTab(self.pending, tr("Pending"))
        self.tabs.addTab(self.ledger, tr("Ledger"))
        self.tabs.addTab(self.matrix, tr("Who knows what"))
        self.tabs.addTab(self.thread_pane, tr("Thread"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tabs)

    def set_case(self, case_id: int | None) -> None:
        for page in (self.pending, self.ledger, self.matrix):
            page.load(case_id)

    def reload(self) -> None:
        self.set_case(self.ctx.case_id)
        self.thread_pane.refresh()

    def show_thread(self, message_id: int | None) -> None:
        self.thread_pane.show_thread(message_id)

    def clear(self) -> None:
        for page in (self.pending, self.ledger, self.matrix):
            page.clear()
        self.thread_pane.clear()


class ShuttleActions(QWidget):
    """The buttons above the shuttle log (interim: ShuttleLogSection has its own bar)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.deliver = QPushButton(tr("Record a delivery…"))
        self.deliver.setObjectName("record_delivery")
        self.release = QPushButton(tr("Release the selected message…"))
        self.release.setObjectName("release_message")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 0)
        row.addWidget(self.deliver)
        row.addWidget(self.release)
        row.addStretch(1)
