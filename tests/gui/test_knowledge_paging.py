"""The Shuttle Log's knowledge pages on a case bigger than a page (a generated case of 700
messages, with ties): Pending, Ledger and Who knows what show their first page, read the
rest as the table is scrolled to its end, and then hold exactly the core's whole list; the
Deliver dialog's sources likewise. Clearing (on lock) forgets the pages still to read."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtWidgets import QAbstractItemView, QApplication

from app.core.demo import generate_scale
from app.core.services.knowledge import (
    knowledge_count,
    knowledge_matrix,
    knowledge_page,
    knowledge_parties,
    ledger,
    ledger_count,
    ledger_page,
)
from app.core.services.paging import FIRST_PAGE, every_page
from app.core.services.pending import delivery_sources_page, pending_deliveries, pending_page
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.models.knowledge_matrix import KnowledgeMatrixModel
from app.gui.models.shuttle_rows import LedgerModel, PendingModel, SourcesModel
from app.gui.sections.shuttle_dialogs import DeliverDialog
from app.gui.sections.shuttle_log import ShuttleLogSection
from tests.core.test_knowledge_data import Scale, build_scale
from tests.gui.conftest import hosted


@pytest.fixture(scope="module")
def scale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scale]:
    yield from build_scale(tmp_path_factory)


@pytest.fixture
def section(qtbot: Any, scale: Scale, styled_app: QApplication) -> Iterator[ShuttleLogSection]:
    ctx = AppContext(scale.vault)
    ctx.set_case(scale.case)
    s = ShuttleLogSection(ctx)
    with hosted(qtbot, s, (1280 - 220, 800)):
        s.set_case(scale.case)
        yield s


def scroll_to_the_end(qtbot: Any, view: QAbstractItemView) -> int:
    """Scroll the table to its end until it has read every page; answers how many times it
    had to (pages read)."""
    model = view.model()
    bar = view.verticalScrollBar()
    pages = 0
    while model.canFetchMore(view.rootIndex()):
        before = model.rowCount()

        def read_on(before: int = before) -> bool:
            bar.setValue(bar.maximum())  # as a person dragging the bar to the bottom
            return model.rowCount() > before

        qtbot.waitUntil(read_on, timeout=3000)
        pages += 1
        assert pages < 50
    return pages


def test_pending_scrolls_to_the_end_and_equals_the_core(
    qtbot: Any, section: ShuttleLogSection, scale: Scale
) -> None:
    page = section.show_page("pending")
    model = page.model
    assert model.rowCount() == FIRST_PAGE and model.more  # the first page only
    assert not page.view.isSortingEnabled()
    assert scroll_to_the_end(qtbot, page.view) >= 2
    assert model.rows() == pending_deliveries(scale.vault, scale.case)
    page.clear()
    assert model.rowCount() == 0 and not model.canFetchMore()


def test_the_ledger_scrolls_to_the_end_and_shows_its_count(
    qtbot: Any, section: ShuttleLogSection, scale: Scale
) -> None:
    page = section.show_page("ledger")
    mov = scale.parties[1]
    page.party.setCurrentIndex(page.party.findData(mov))
    n = ledger_count(scale.vault, mov)
    assert n > FIRST_PAGE
    assert page.count.text() == f"{n} sources told"
    assert page.model.rowCount() == FIRST_PAGE and page.model.more
    scroll_to_the_end(qtbot, page.view)
    assert page.model.rows() == ledger(scale.vault, mov)
    # Another party: its own first page, from the start.
    page.party.setCurrentIndex(page.party.findData(scale.parties[0]))
    assert page.model.rows() == ledger_page(scale.vault, scale.parties[0]).rows
    page.clear()
    assert page.model.rowCount() == 0 and not page.model.more and page.count.text() == ""


def test_who_knows_what_scrolls_to_the_end_and_equals_the_core(
    qtbot: Any, section: ShuttleLogSection, scale: Scale
) -> None:
    page = section.show_page("knows")
    model = page.model
    assert model.rowCount() == FIRST_PAGE and model.more
    n = knowledge_count(scale.vault, scale.case)
    assert n < 1000 and page.count.text() == f"{n} messages"
    scroll_to_the_end(qtbot, page.view)
    whole = knowledge_matrix(scale.vault, scale.case)
    assert model.parties == whole.parties
    assert [model.message_id(r) for r in range(model.rowCount())] == [
        r.message_id for r in whole.rows
    ]
    assert all(
        model.cell(i, p.id) == r.cells[j]
        for i, r in enumerate(whole.rows)
        for j, p in enumerate(whole.parties)
    )
    # The frozen message column follows the rows read.
    frozen = page.view.frozen
    last = model.index(model.rowCount() - 1, 0)
    assert frozen.model().index(last.row(), 0).data() == whole.rows[-1].summary
    page.clear()
    assert model.rowCount() == 0 and not model.canFetchMore() and model.parties == ()


def test_the_deliver_dialog_offers_pending_first_then_the_rest_page_by_page(
    qtbot: Any, section: ShuttleLogSection, scale: Scale
) -> None:
    mov = scale.parties[1]
    dialog = DeliverDialog(section.ctx, section, party_id=mov)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    model = dialog.model
    whole = every_page(
        lambda a, n: delivery_sources_page(scale.vault, scale.case, mov, after=a, limit=n)
    )
    assert model.rows() == whole[:FIRST_PAGE] and model.more
    # Ticking a source not read yet reads on to it (a test's shortcut for scrolling there).
    oldest_other = whole[-1].message_id
    assert dialog.tick(oldest_other)
    assert dialog.items() == [(oldest_other, False)]
    scroll_to_the_end(qtbot, dialog.sources)
    assert model.rows() == whole
    assert [s.pending for s in whole] == sorted((s.pending for s in whole), reverse=True)
    dialog.reject()
    assert model.rowCount() == 0 and not model.more  # closed: nothing kept


def test_a_locked_vault_reads_no_more_pages(
    qtbot: Any, vault: Vault, styled_app: QApplication
) -> None:
    generate_scale(vault, messages=300, cases=1)
    ctx = AppContext(vault)
    case = vault_case(vault)
    ctx.set_case(case)
    s = ShuttleLogSection(ctx)
    with hosted(qtbot, s, (1060, 800)):
        s.set_case(case)
        page = s.show_page("knows")
        assert page.model.rowCount() == FIRST_PAGE and page.model.more
        vault.lock()
        page.model.fetchMore()
        assert page.model.rowCount() == FIRST_PAGE and not page.model.more


def vault_case(vault: Vault) -> int:
    from sqlalchemy import select

    from app.core.models import Case

    with vault.session() as s:
        return int(s.scalars(select(Case.id)).one())


def test_the_paged_models_pass_qtmodeltester(
    qtmodeltester: Any, scale: Scale, styled_app: QApplication
) -> None:
    v, case, mov = scale.vault, scale.case, scale.parties[1]

    def pending(a: Any, n: int) -> Any:
        return pending_page(v, case, after=a, limit=n)

    def told(a: Any, n: int) -> Any:
        return ledger_page(v, mov, after=a, limit=n)

    def sources(a: Any, n: int) -> Any:
        return delivery_sources_page(v, case, mov, after=a, limit=n)

    parties = knowledge_parties(v, case)

    def matrix(a: Any, n: int) -> Any:
        return knowledge_page(v, case, after=a, limit=n, parties=parties)

    p, led, src = PendingModel(), LedgerModel(), SourcesModel()
    p.set_pager(pending(None, FIRST_PAGE), pending)
    led.set_pager(told(None, FIRST_PAGE), told)
    src.set_pager(sources(None, FIRST_PAGE), sources)
    km = KnowledgeMatrixModel()
    km.set_pager(parties, matrix(None, FIRST_PAGE), matrix)
    for model in (p, led, src, km):
        assert model.rowCount() == FIRST_PAGE and model.canFetchMore()
        # The tester stays on the model: it checks the pages read after it too (it reads
        # one itself, as a view would).
        qtmodeltester.check(model)
        model.fetchMore()
        assert model.rowCount() > FIRST_PAGE
    km.fetch_all()
    assert km.rowCount() == knowledge_count(v, case) and not km.more
