"""Search everywhere, paged: the list shows the first page of hits and reads the next ones as
it scrolls to its end; what it ends up holding is the core's search_page sequence."""

from __future__ import annotations

from typing import Any

import pytest

from app.core.demo import generate_scale
from app.core.services import search as search_module
from app.core.services.paging import Page, every_page
from app.core.services.search import SearchHit, search_page
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.dialogs.search import SearchDialog
from app.gui.models.search_results import PAGE, SearchResultsModel


@pytest.fixture
def scale(vault: Vault) -> Vault:
    generate_scale(vault, messages=400, cases=1)
    return vault


def core_pages(vault: Vault, user_text: str) -> list[SearchHit]:
    def fetch(after: Any, limit: int) -> Page[SearchHit]:
        return search_page(vault, user_text, after=after, limit=limit)

    return every_page(fetch, PAGE)


def open_dialog(qtbot: Any, vault: Vault, user_text: str) -> SearchDialog:
    dialog = SearchDialog(AppContext(vault))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.query, user_text)
    qtbot.waitUntil(lambda: dialog.model.rowCount() > 0)
    return dialog


def test_scrolling_to_the_end_reads_the_next_pages(
    qtbot: Any, qtmodeltester: Any, scale: Vault
) -> None:
    dialog = open_dialog(qtbot, scale, "road")
    model = dialog.model
    assert model.rowCount() == PAGE and model.more  # a page, not every hit
    qtmodeltester.check(model)
    expected = core_pages(scale, "road")
    assert len(expected) > 2 * PAGE
    while model.rowCount() < len(expected):
        shown = model.rowCount()
        dialog.results.scrollToBottom()  # the view asks for more at the end of what it holds
        qtbot.waitUntil(lambda shown=shown: model.rowCount() > shown)
    assert not model.more
    assert [model.hit(i) for i in range(model.rowCount())] == expected
    qtmodeltester.check(model)
    assert dialog.status.text() == f"{len(expected):,} results"


def test_a_common_word_says_how_many_it_counted(
    qtbot: Any, scale: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Counting every match of a common word costs as much as ranking them all: the line
    says "N+": the matches of the first window of the newest entries."""
    monkeypatch.setattr(search_module, "RANKED", 20)
    monkeypatch.setattr(search_module, "_WIDEST", 80)
    monkeypatch.setattr(search_module, "_FIRST_WIDTH", 64 * 20)
    dialog = open_dialog(qtbot, scale, "road")
    first = search_page(scale, "road", limit=PAGE)
    assert first.found is not None and not first.found_all
    assert dialog.status.text() == f"{first.found}+ results"
    dialog.model.fetchMore()
    assert [dialog.model.hit(i) for i in range(dialog.model.rowCount())] == core_pages(
        scale, "road"
    )[: 2 * PAGE]


def test_after_a_lock_no_page_is_read(qtbot: Any, scale: Vault) -> None:
    dialog = open_dialog(qtbot, scale, "road")
    assert dialog.model.more
    shown = dialog.model.rowCount()
    scale.lock()
    dialog.model.fetchMore()  # what a scroll after the lock does
    assert dialog.model.rowCount() == shown
    dialog.model.clear()
    assert dialog.model.rowCount() == 0 and not dialog.model.canFetchMore()


def test_model_pager_on_its_own(qtmodeltester: Any, scale: Vault) -> None:
    model = SearchResultsModel()

    def fetch(after: Any, limit: int) -> Page[SearchHit]:
        return search_page(scale, "water", after=after, limit=limit)

    model.set_pager(fetch(None, 10), fetch)
    assert model.rowCount() == 10 and model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 10 + PAGE
    qtmodeltester.check(model)
    while model.canFetchMore():
        model.fetchMore()
    assert model.hits == every_page(fetch, 10)
