"""Record lists open in their own order (LISTS[...].default_sort), the header says so, and a
header click sorts, a second click reverses. Qt's header starts at the first column,
descending, and a view whose sorting is switched on sorts by it at once: every list came up
reversed by its first column (an agenda 6 to 1, options Z to A)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QTableView

from app.core.services import lists
from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.models.record_table import RecordTableModel, enable_sorting
from app.gui.sections.record_list import RecordList

pytestmark = pytest.mark.gui


def _column(view: QTableView, col: int) -> list[Any]:
    model = view.model()
    assert isinstance(model, RecordTableModel)
    return [model.value(r, model.spec.columns[col].key) for r in range(model.rowCount())]


def _click_header(qtbot: Any, view: QTableView, section: int) -> None:
    header = view.horizontalHeader()
    x = header.sectionViewportPosition(section) + header.sectionSize(section) // 2
    qtbot.mouseClick(
        header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2)
    )


def _session_with_agenda(vault: Vault) -> int:
    records = Records(vault)
    for session in records.find("session", order_by="id"):
        if len(records.find("agenda_item", session_id=session["id"])) >= 3:
            return int(session["id"])
    raise AssertionError("the demo has no session with an agenda")


def _record_list(qtbot: Any, vault: Vault, list_name: str, scope: str, scope_id: int) -> RecordList:
    ctx = AppContext(vault)
    widget = RecordList(ctx, list_name, scope_key=scope)
    qtbot.addWidget(widget)
    widget.resize(900, 500)
    widget.set_scope(scope_id)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_agenda_opens_first_item_first(qtbot: Any, vault: Vault, demo_case: int) -> None:
    session = _session_with_agenda(vault)
    agenda = _record_list(qtbot, vault, "agenda_item", "session_id", session)
    positions = _column(agenda.view, 0)
    assert len(positions) >= 3
    assert positions == sorted(positions)  # 1 → N, not N → 1
    header = agenda.view.horizontalHeader()
    assert header.sortIndicatorSection() == 0
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder


def test_options_open_in_their_defined_order_and_headers_sort(
    qtbot: Any, vault: Vault, demo_case: int
) -> None:
    spec = lists.LISTS["option"]
    options = _record_list(qtbot, vault, "option", "case_id", demo_case)
    view = options.view
    keys = [c.key for c in spec.columns]
    default_col = keys.index(spec.default_sort)
    raised = _column(view, default_col)
    assert raised == sorted(raised, reverse=spec.default_desc)
    titles = _column(view, 0)
    assert titles != sorted(titles, key=str.casefold, reverse=True)  # not Z → A
    header = view.horizontalHeader()
    assert header.sortIndicatorSection() == default_col
    expected = Qt.SortOrder.DescendingOrder if spec.default_desc else Qt.SortOrder.AscendingOrder
    assert header.sortIndicatorOrder() == expected

    # A click on "Option" sorts A → Z, a second click Z → A.
    _click_header(qtbot, view, 0)
    titles = _column(view, 0)
    assert header.sortIndicatorSection() == 0
    assert header.sortIndicatorOrder() == Qt.SortOrder.AscendingOrder
    assert titles == sorted(titles, key=lambda t: t.casefold()) or titles == sorted(titles)
    _click_header(qtbot, view, 0)
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert _column(view, 0) == list(reversed(titles))


@pytest.mark.parametrize("list_name", sorted(lists.LISTS))
def test_every_list_spec_has_a_shown_default_column(list_name: str, qapp: QApplication) -> None:
    # Without a shown default column the header could not show the order the list is in.
    spec = lists.LISTS[list_name]
    assert spec.default_sort in [c.key for c in spec.columns]


def test_enable_sorting_keeps_the_model_order(qtbot: Any, vault: Vault, demo_case: int) -> None:
    """The helper on a bare view: a view with Qt's own setSortingEnabled(True) reverses the
    agenda; with enable_sorting() it stays in the list's order."""
    session = _session_with_agenda(vault)
    for use_helper in (False, True):
        model = RecordTableModel(vault, "agenda_item")
        model.set_scope(session)
        view = QTableView()
        qtbot.addWidget(view)
        view.setModel(model)
        if use_helper:
            enable_sorting(view)
        else:
            view.setSortingEnabled(True)
        positions = _column(view, 0)
        assert (positions == sorted(positions)) is use_helper


def test_model_passes_the_model_tester_sorted_both_ways(
    qtmodeltester: Any, vault: Vault, demo_case: int
) -> None:
    model = RecordTableModel(vault, "message")
    model.set_scope(demo_case)
    assert model.rowCount() > 0
    qtmodeltester.check(model)
    model.sort(1, Qt.SortOrder.AscendingOrder)
    assert model.current_sort() == (1, Qt.SortOrder.AscendingOrder)
    qtmodeltester.check(model)


def test_an_edited_row_shows_its_new_text(qtbot: Any, vault: Vault, demo_case: int) -> None:
    """Each row's texts are formatted once and kept: an edit refreshed in place, a removed
    row and a reload must not show a stale text."""
    records = Records(vault)
    model = RecordTableModel(vault, "note")
    model.set_scope(demo_case)
    col = [c.key for c in model.spec.columns].index("title")
    first = model.record_id(0)
    assert first is not None
    assert model.index(0, col).data()  # formatted and kept
    records.update("note", first, title="Renamed after the workshop")
    assert model.refresh_record(first)
    assert model.index(0, col).data() == "Renamed after the workshop"
    second = model.record_id(1)
    records.delete("note", first)
    assert model.refresh_record(first)  # gone: its row is removed
    assert model.record_id(0) == second
    assert model.index(0, col).data() == model.value(0, "title")


def test_rows_share_their_repeated_texts_and_keep_no_sort_value(vault: Vault) -> None:
    """A view scrolled to the end of a huge case holds every row: each party name or level
    is held once for all the rows that show it, and no row keeps its sort value (only the
    last row's is needed to read on). Rows, ids and values are as the core gives them."""
    from PySide6.QtCore import QModelIndex

    from app.core.demo import generate_scale
    from app.core.services import lists
    from app.gui.models.record_table import RecordTableModel

    generate_scale(vault, messages=500, cases=1)
    case_id = Records(vault).find("case")[0]["id"]
    model = RecordTableModel(vault, "message", case_id)
    model.reload(keep_loaded=False)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    whole = lists.fetch_page(vault, "message", scope_id=case_id, limit=10**6)
    assert [model.record_id(i) for i in range(model.rowCount())] == [r[0] for r in whole]
    assert model._rows == [r[:-1] for r in whole]
    senders = {id(model.value(i, "sender")) for i in range(model.rowCount())}
    assert len(senders) <= 4  # one string per party, not one per row
