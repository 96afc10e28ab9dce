"""RowsModel paged: a view holds its first page, reads the rest as it scrolls, and forgets
the pages still to read when cleared (on lock)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QTableView

from app.core.services.paging import Page, page_of
from app.gui.models.rows import Col, RowsModel

ROWS = list(range(1, 451))


def fetch(after: Any, limit: int) -> Page[int]:
    start = 0 if after is None else ROWS.index(after) + 1
    return page_of(ROWS[start : start + limit + 1], limit, key=lambda r: r)


def test_a_paged_view_reads_pages_as_it_scrolls_to_the_end(qtbot: Any, qtmodeltester: Any) -> None:
    model: RowsModel[int] = RowsModel([Col("n", str)])
    model.set_pager(fetch(None, 60), fetch)
    assert model.rowCount() == 60 and model.more
    qtmodeltester.check(model)
    view = QTableView()
    qtbot.addWidget(view)
    view.resize(300, 200)
    view.setModel(model)
    view.show()
    qtbot.waitExposed(view)
    view.scrollToBottom()  # the view asks for more when it reaches the end of what it has
    qtbot.waitUntil(lambda: model.rowCount() > 60)
    model.fetch_all()
    assert [model.row(i) for i in range(model.rowCount())] == ROWS
    assert not model.more and not model.canFetchMore()


def test_clear_forgets_the_pages_still_to_read() -> None:
    model: RowsModel[int] = RowsModel([Col("n", str)])
    model.set_pager(fetch(None, 60), fetch)
    model.clear()
    assert model.rowCount() == 0 and not model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 0


def test_a_single_page_is_all_there_is() -> None:
    model: RowsModel[int] = RowsModel([Col("n", str)])
    model.set_pager(Page([1, 2, 3]), fetch)
    assert model.rowCount() == 3 and not model.canFetchMore()


def test_the_model_tester_passes_with_many_pages_left(qtmodeltester: Any) -> None:
    """Qt's model tester asks for more from its rowsInserted slot: a page asked for while
    another is going in must wait for it (it read 1,260 rows where 1,060 were announced)."""
    rows = list(range(1, 2001))

    def many(after: Any, limit: int) -> Page[int]:
        start = 0 if after is None else rows.index(after) + 1
        return page_of(rows[start : start + limit + 1], limit, key=lambda r: r)

    model: RowsModel[int] = RowsModel([Col("n", str)])
    model.set_pager(many(None, 60), many)
    qtmodeltester.check(model)
    model.fetch_all()
    assert [model.row(i) for i in range(model.rowCount())] == rows
