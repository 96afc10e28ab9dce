"""Upcoming actions across every case: overdue first, then by due date; double-click (or
Enter) opens the action in its case."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.services.sessions import UpcomingAction, upcoming_actions
from app.gui.context import AppContext
from app.gui.labels import fmt_date, tr
from app.gui.widgets.dialog_parts import ERROR_RED

OVERDUE = ERROR_RED


class UpcomingActionsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Upcoming actions, all cases"))
        self.horizon = QComboBox()
        self.horizon.setObjectName("upcoming_horizon")
        for days, label in ((7, "next 7 days"), (30, "next 30 days"), (90, "next 90 days")):
            self.horizon.addItem(tr(label), days)
        self.horizon.setCurrentIndex(1)
        self.horizon.currentIndexChanged.connect(lambda _i: self.reload())
        self.table = QTableWidget(0, 4)
        self.table.setObjectName("upcoming_actions")
        self.table.setHorizontalHeaderLabels([tr("Due"), tr("Case"), tr("Action"), tr("Owner")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.cellDoubleClicked.connect(lambda row, _c: self.open_row(row))
        self.summary = QLabel()
        self.summary.setObjectName("upcoming_summary")
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Open actions due in the")))
        top.addWidget(self.horizon)
        top.addWidget(QLabel(tr("(overdue and undated ones too)")))
        top.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(close)
        self.actions_shown: list[UpcomingAction] = []
        self.reload()
        self.resize(820, 480)

    def reload(self) -> None:
        self.actions_shown = upcoming_actions(self.ctx.vault, days=self.horizon.currentData())
        self.table.setRowCount(len(self.actions_shown))
        for r, a in enumerate(self.actions_shown):
            due = fmt_date(a.due_on) if a.due_on else tr("no date")
            if a.overdue:
                due = tr("{date} (overdue)").format(date=due)
            for c, text in enumerate((due, a.case_title, a.title, a.owner_name)):
                item = QTableWidgetItem(text)
                if a.overdue:
                    item.setForeground(QBrush(QColor(OVERDUE)))
                self.table.setItem(r, c, item)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(1)
        overdue = sum(a.overdue for a in self.actions_shown)
        self.summary.setText(
            tr("{n} open, {late} overdue").format(n=len(self.actions_shown), late=overdue)
        )

    def keyPressEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.table.currentRow() >= 0:
            self.open_row(self.table.currentRow())
            return
        super().keyPressEvent(event)

    def open_row(self, row: int) -> None:
        a = self.actions_shown[row]
        self.ctx.open_record.emit("action", a.id, a.case_id)
        self.accept()
