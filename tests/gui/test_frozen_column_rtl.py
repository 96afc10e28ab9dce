"""The frozen first column of the matrices sits over the first column in a right-to-left
layout too (it was always drawn on the left, covering the party columns)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QTableView

from app.gui.sections.knowledge_matrix import FrozenColumnTable as KnowledgeTable
from app.gui.sections.options_section import FrozenColumnTable as OptionsTable


@pytest.mark.parametrize("table_class", [OptionsTable, KnowledgeTable])
@pytest.mark.parametrize(
    "direction", [Qt.LayoutDirection.LeftToRight, Qt.LayoutDirection.RightToLeft]
)
def test_the_frozen_column_covers_the_first_column(
    qtbot: Any, table_class: type[QTableView], direction: Qt.LayoutDirection
) -> None:
    model = QStandardItemModel(5, 6)
    table = table_class()
    qtbot.addWidget(table)
    table.setLayoutDirection(direction)
    table.setModel(model)
    table.setColumnWidth(0, 150)
    table.resize(700, 300)
    table.show()
    qtbot.waitExposed(table)
    frozen = table.findChild(QTableView, "frozen_column")
    assert frozen is not None
    first = table.visualRect(model.index(0, 0))
    # The first column's place in the table's own coordinates.
    left = table.viewport().mapTo(table, first.topLeft()).x()
    qtbot.waitUntil(lambda: abs(frozen.geometry().x() - left) <= 2)
    assert abs(frozen.geometry().width() - first.width()) <= 2
