"""The Timeline section paged: it shows the first page, reads the next ones as the view is
scrolled to its end, says the total from the count, keeps the selected event across a
reload (reading on a bounded number of rows to find it), re-queries when filtered, and
forgets its pages when cleared on lock."""

from __future__ import annotations

import itertools
from typing import Any

import pytest
from PySide6.QtCore import QLocale, Qt
from sqlalchemy import text

from app.core.demo import generate_scale
from app.core.services.paging import FIRST_PAGE, PAGE
from app.core.services.timeline import timeline
from app.core.vault import Vault
from app.gui import sections
from app.gui.context import AppContext
from app.gui.labels import tr
from app.gui.sections.timeline import TimelineView

pytestmark = pytest.mark.gui


@pytest.fixture
def big_case(vault: Vault) -> int:
    generate_scale(vault, messages=300, cases=1)  # about 460 events: several pages
    with vault.session() as s:
        return int(s.execute(text("SELECT id FROM cases")).scalar_one())


@pytest.fixture
def section(qtbot: Any, vault: Vault, big_case: int) -> TimelineView:
    ctx = AppContext(vault)
    ctx.set_case(big_case)
    view = TimelineView(ctx)
    qtbot.addWidget(view)
    view.resize(1000, 500)
    view.show()
    qtbot.waitExposed(view)
    view.set_case(big_case)
    _wait_loaded(qtbot, view)
    return view


def _wait_loaded(qtbot: Any, view: TimelineView) -> None:
    qtbot.waitUntil(lambda: view.status.text() not in ("", tr("Loading…")), timeout=10_000)


def _events_text(n: int) -> str:
    return tr("{n} events").format(n=QLocale().toString(n))


def _scroll_to_the_end(qtbot: Any, view: TimelineView) -> list[int]:
    """Scroll down as a user does until nothing more comes; the row counts seen."""
    counts = [view.model.rowCount()]
    while view.model.canFetchMore():
        view.view.setFocus()
        qtbot.keyClick(view.view, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
        view.view.scrollToBottom()
        qtbot.waitUntil(lambda: view.model.rowCount() > counts[-1], timeout=5000)
        counts.append(view.model.rowCount())
    return counts


def test_scrolling_to_the_end_reads_every_page(
    qtbot: Any, qtmodeltester: Any, section: TimelineView, vault: Vault, big_case: int
) -> None:
    whole = timeline(vault, big_case)
    assert len(whole) > FIRST_PAGE + PAGE
    assert section.model.rowCount() == FIRST_PAGE and section.model.more
    assert section.status.text() == _events_text(len(whole))  # the count, not the rows held
    counts = _scroll_to_the_end(qtbot, section)
    steps = [b - a for a, b in itertools.pairwise(counts)]
    assert steps and all(step % PAGE == 0 for step in steps[:-1])  # page by page
    assert section.model.events == whole
    assert not section.model.more
    qtmodeltester.check(section.model)


def test_the_selection_is_kept_beyond_the_first_page(
    qtbot: Any, section: TimelineView, monkeypatch: pytest.MonkeyPatch
) -> None:
    _scroll_to_the_end(qtbot, section)
    row = FIRST_PAGE + PAGE + 10  # in the third page
    section.view.selectRow(row)
    chosen = section.current()
    assert chosen is not None
    section.reload()
    _wait_loaded(qtbot, section)
    assert section.current() == chosen
    assert section.view.currentIndex().row() == row
    assert section.model.rowCount() == FIRST_PAGE + 2 * PAGE  # read on as far as needed

    # Too far down: given up, not the whole case read.
    monkeypatch.setattr(sections.timeline, "KEEP_WITHIN", FIRST_PAGE + 1)
    section.view.scrollToTop()  # (at the end, the view would read on by itself)
    section.reload()
    _wait_loaded(qtbot, section)
    assert section.current() is None
    assert section.model.rowCount() == FIRST_PAGE + PAGE


def test_filters_query_again(
    qtbot: Any, section: TimelineView, vault: Vault, big_case: int
) -> None:
    party = section.party.itemData(2)
    section.party.setCurrentIndex(2)
    _wait_loaded(qtbot, section)
    expected = timeline(vault, big_case, party_id=party)
    assert section.status.text() == _events_text(len(expected))
    _scroll_to_the_end(qtbot, section)
    assert section.model.events == expected

    section.kind_boxes["message"].setChecked(False)
    _wait_loaded(qtbot, section)
    kinds = tuple(k for k, box in section.kind_boxes.items() if box.isChecked())
    expected = timeline(vault, big_case, kinds=kinds, party_id=party)
    section.model.fetch_all()
    assert section.model.events == expected
    assert section.status.text() == _events_text(len(expected))


def test_clear_on_lock_forgets_the_pages(qtbot: Any, section: TimelineView, vault: Vault) -> None:
    assert section.model.canFetchMore()
    section.clear()
    assert section.model.rowCount() == 0 and not section.model.canFetchMore()
    section.view.scrollToBottom()
    assert section.model.rowCount() == 0


def test_a_page_asked_for_after_the_lock_reads_nothing(
    qtbot: Any, section: TimelineView, vault: Vault
) -> None:
    held = section.model.rowCount()
    vault.lock()
    section.model.fetchMore()  # the pager outlives the lock until clear(): it reads nothing
    assert section.model.rowCount() == held
    assert not section.model.canFetchMore()
