"""A fitted table measures its rows once per content: resizing the window (or the scroll bar
appearing) shares the width again from the measures it has, and new rows, a reset or a
change of font measure again."""

from __future__ import annotations

from typing import Any

from app.gui.models.rows import Col, RowsModel
from app.gui.widgets.fit_table import FitTableView


def test_resizing_reuses_the_measures_and_new_content_measures_again(qtbot: Any) -> None:
    model: RowsModel[tuple[str, str]] = RowsModel(
        [Col("Date", lambda r: r[0]), Col("Summary", lambda r: r[1])]
    )
    model.set_rows([("2026-03-12", f"Ferry twice a week, row {i}") for i in range(60)])
    view = FitTableView()
    qtbot.addWidget(view)
    view.setModel(model)
    view.set_column_kinds(["date", "text"], main_column=1)
    view.resize(500, 300)
    view.show()
    qtbot.waitExposed(view)
    measured: list[int] = []
    real = view.sizeHintForColumn

    def counted(column: int) -> int:
        measured.append(column)
        return real(column)

    view.sizeHintForColumn = counted  # type: ignore[method-assign]
    narrow = view.columnWidth(1)
    view.resize(900, 300)
    qtbot.waitUntil(lambda: view.columnWidth(1) > narrow)
    assert measured == []  # shared again, not measured again
    model.set_rows([("2026-03-13", "A much longer summary of what was said " * 3)])
    assert sorted(set(measured)) == [0, 1]
    measured.clear()
    font = view.font()
    font.setPointSize(font.pointSize() + 4)
    view.setFont(font)
    view.resize(901, 300)
    qtbot.waitUntil(lambda: bool(measured))
