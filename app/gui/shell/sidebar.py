"""The left column: the cases, "New case", and under them the sections of the selected case.

A vertical list of sections fits any number of them at 1024 px, where a row of nine tabs
hid behind scroll arrows; each section may have one row of pages of its own (two levels of
navigation at most)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.vault import Vault
from app.gui.labels import tr
from app.gui.models.record_table import RecordTableModel
from app.gui.resources import icon


class SectionNav(QListWidget):
    """The sections of a case, one row each, Ctrl+1… in order; never scrolls."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setUniformItemSizes(True)
        self.setFrameShape(QFrame.Shape.NoFrame)

    def add(self, key: str, label: str, icon_name: str) -> None:
        item = QListWidgetItem(icon(icon_name), label)
        item.setData(Qt.ItemDataRole.UserRole, key)
        n = self.count() + 1
        if n <= 10:  # Ctrl+1 … Ctrl+9, then Ctrl+0
            item.setToolTip(tr("{label} (Ctrl+{n})").format(label=label, n=n % 10))
        self.addItem(item)
        self.fit()

    def fit(self) -> None:
        rows = max(1, self.count())
        row = self.sizeHintForRow(0) if self.count() else 24
        self.setFixedHeight(rows * row + 2 * self.frameWidth() + 4)

    def key(self, row: int) -> str:
        item = self.item(row)
        return str(item.data(Qt.ItemDataRole.UserRole)) if item else ""

    def row_of(self, key: str) -> int:
        return next((r for r in range(self.count()) if self.key(r) == key), -1)


class CaseSidebar(QWidget):
    """The list of cases and "New case", then the sections of the selected case."""

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RecordTableModel(vault, "case", parent=self)
        self.cases = QListView()
        self.cases.setObjectName("sidebar")
        self.cases.ensurePolished()
        self.cases.setModel(self.model)
        self.cases.setModelColumn(0)
        self.cases.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.cases.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.cases.setUniformItemSizes(True)
        self.cases.setMinimumHeight(60)
        self.new_case = QPushButton(icon("add"), tr("New case"))
        self.new_case.setObjectName("new_case")
        self.nav = SectionNav()
        self.nav_label = QLabel(tr("<b>This case</b>"))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(QLabel(tr("<b>Cases</b>")))
        layout.addWidget(self.cases, 1)
        layout.addWidget(self.new_case)
        layout.addSpacing(8)
        layout.addWidget(self.nav_label)
        layout.addWidget(self.nav)

    def set_has_case(self, has: bool) -> None:
        self.nav.setEnabled(has)
        self.nav_label.setEnabled(has)

    def clear(self) -> None:
        self.model.clear()
