"""Upcoming actions across every case, and the commitments overdue or due within two weeks
(app.core.services.commitments.due, as the overview lists them): overdue first, then by due
date; double-click (or Enter) opens the action or commitment in its case."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.services.commitments import due
from app.core.services.records import Records
from app.core.services.sessions import UpcomingAction, upcoming_actions
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.labels import tr
from app.gui.models.upcoming_actions import (
    ACTION,
    CASE,
    DUE,
    UpcomingActionsModel,
    UpcomingCommitment,
    kind_of_row,
)


def upcoming_commitments(vault: Vault) -> list[UpcomingCommitment]:
    """Every case's commitments that are overdue or due within two weeks."""
    out: list[UpcomingCommitment] = []
    for case in Records(vault).find("case", order_by="title"):
        overdue, soon = due(vault, case["id"])
        out += [UpcomingCommitment.of(r, case["title"], True) for r in overdue]
        out += [UpcomingCommitment.of(r, case["title"], False) for r in soon]
    return out


class UpcomingActionsDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Upcoming actions and commitments, all cases"))
        self.horizon = QComboBox()
        self.horizon.setObjectName("upcoming_horizon")
        for days, label in ((7, "next 7 days"), (30, "next 30 days"), (90, "next 90 days")):
            self.horizon.addItem(tr(label), days)
        self.horizon.setCurrentIndex(1)
        self.horizon.currentIndexChanged.connect(lambda _i: self.reload())
        self.model = UpcomingActionsModel(self)
        self.table = QTableView()
        self.table.setObjectName("upcoming_actions")
        self.table.setModel(self.model)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.horizontalHeader().setSectionResizeMode(ACTION, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda index: self.open_row(index.row()))
        self.summary = QLabel()
        self.summary.setObjectName("upcoming_summary")
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Open actions due in the")))
        top.addWidget(self.horizon)
        top.addWidget(QLabel(tr("(overdue and undated ones too)")))
        top.addStretch(1)
        commitments_note = QLabel(tr("Commitments: those overdue, and those due within two weeks."))
        commitments_note.setObjectName("upcoming_commitments_note")
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(commitments_note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(close)
        self.reload()
        self.resize(820, 480)

    @property
    def actions_shown(self) -> list[UpcomingAction]:
        return self.model.actions

    def reload(self) -> None:
        vault = self.ctx.vault
        self.model.set_actions(
            upcoming_actions(vault, days=self.horizon.currentData()),
            upcoming_commitments(vault),
        )
        self.table.resizeColumnToContents(DUE)
        self.table.resizeColumnToContents(CASE)
        if self.model.rowCount():
            self.table.setCurrentIndex(self.model.index(0, ACTION))
        self.summary.setText(
            tr("{n} open, {late} overdue").format(
                n=self.model.rowCount(), late=self.model.overdue_count()
            )
        )

    def keyPressEvent(self, event: QKeyEvent) -> None:
        index: QModelIndex = self.table.currentIndex()
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and index.isValid():
            self.open_row(index.row())
            return
        super().keyPressEvent(event)

    def open_row(self, row: int) -> None:
        a = self.model.action_at(row)
        if a is None:
            return
        self.ctx.open_record.emit(kind_of_row(a), a.id, a.case_id)
        self.accept()
