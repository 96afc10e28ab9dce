"""Search everywhere: its results are a Qt list model, and typing then Enter opens a hit."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.services.search import SearchHit, search
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.dialogs.search import SearchDialog
from app.gui.models.search_results import HIT_ROLE, HTML_ROLE, SearchResultsModel
from app.gui.widgets.dialog_parts import empty_dialog


def test_search_results_model_on_demo_hits(
    qtmodeltester: Any, qapp: QApplication, vault: Vault, demo_case: int
) -> None:
    """(qapp: the icons the rows show need the application.)"""
    model = SearchResultsModel()
    model.set_hits(search(vault, "valley", limit=50))
    assert model.rowCount() > 3
    qtmodeltester.check(model)
    first = model.index(0, 0)
    hit = first.data(HIT_ROLE)
    assert isinstance(hit, SearchHit)
    assert "<b>" in first.data(HTML_ROLE)
    assert "\x02" not in first.data(Qt.ItemDataRole.DisplayRole)
    model.clear()
    assert model.rowCount() == 0
    qtmodeltester.check(model)


def test_typed_search_finds_a_hit_and_enter_opens_it(
    qtbot: Any, vault: Vault, demo_case: int
) -> None:
    ctx = AppContext(vault)
    dialog = SearchDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.query, "checkpoints")
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    assert isinstance(dialog.results.model(), SearchResultsModel)
    assert dialog.status.text().endswith("results")
    first = dialog.model.hit(0)
    assert first is not None
    qtbot.keyClick(dialog.query, Qt.Key.Key_Down)  # to the second hit and back
    qtbot.keyClick(dialog.query, Qt.Key.Key_Up)
    with qtbot.waitSignal(ctx.open_record) as opened:
        qtbot.keyClick(dialog.query, Qt.Key.Key_Return)
    assert opened.args == [first.kind, first.record_id, first.case_id]
    assert not dialog.isVisible()


def test_lock_empties_the_results(qtbot: Any, vault: Vault, demo_case: int) -> None:
    ctx = AppContext(vault)
    dialog = SearchDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.query, "valley")
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    empty_dialog(dialog)  # what the window does to every dialog on lock
    QApplication.processEvents()
    assert dialog.model.rowCount() == 0
