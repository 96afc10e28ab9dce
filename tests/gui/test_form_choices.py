"""Reference fields read what they may point at once, not per record shown: arrowing down
the Shuttle Log loads a form per row, and re-reading the 300 newest messages, the parties,
people and rounds for each made moving through a big log slow. A change of any record, a
change of case and a lock forget them."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QTableView

from app.core.services import choices as choices_module
from app.gui.main_window import MainWindow
from app.gui.undo import EditRecord


def _log(window: MainWindow, qtbot: Any, case_id: int) -> QTableView:
    window.case_list.setCurrentIndex(
        window.cases_model.index(window.cases_model.row_of(case_id), 0)
    )
    window.open_section("shuttle")
    table = window.findChild(QTableView, "table_message")
    assert table is not None
    qtbot.waitUntil(lambda: table.model().rowCount() > 3)
    return table


def test_arrowing_down_the_log_reads_the_choices_once(
    window: MainWindow, demo_case: int, qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    window.load()
    table = _log(window, qtbot, demo_case)
    table.setFocus()
    table.selectRow(0)
    calls: list[tuple[str, int | None]] = []
    real = choices_module.choices

    def counted(vault: Any, kind: str, case_id: Any = None, limit: int = 5000, include: Any = None):  # type: ignore[no-untyped-def]
        calls.append((kind, include))
        return real(vault, kind, case_id, limit=limit, include=include)

    monkeypatch.setattr(choices_module, "choices", counted)
    for _ in range(3):
        qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 3
    # Only an older record's own value may be looked up (one row), never a whole list.
    assert [c for c in calls if c[1] is None] == [], calls


def test_a_renamed_party_shows_its_new_name_in_the_form_and_undo_brings_the_old_one(
    window: MainWindow, demo_case: int, qtbot: Any
) -> None:
    window.load()
    table = _log(window, qtbot, demo_case)
    table.selectRow(0)
    combo = window.findChild(QComboBox, "field_sender_party_id")
    assert combo is not None
    party_id = combo.currentData()
    old_name = combo.currentText()
    assert party_id is not None and old_name
    ctx = window.ctx
    before = ctx.records.get("party", party_id)
    assert ctx.run(
        EditRecord(ctx.records, "party", party_id, before, {"name": "Renamed side"}, ctx.notify)
    )
    table.selectRow(1)
    table.selectRow(0)
    assert combo.currentText() == "Renamed side"
    ctx.undo_stack.undo()
    table.selectRow(1)
    table.selectRow(0)
    assert combo.currentText() == old_name


def test_lock_forgets_the_choices(window: MainWindow, demo_case: int, qtbot: Any) -> None:
    window.load()
    _log(window, qtbot, demo_case)
    assert window.ctx._choices  # read for the form on screen
    window.lock()
    assert window.ctx._choices == {}
