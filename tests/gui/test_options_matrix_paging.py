"""The options matrix paged (issue #18): a case with more options than a page shows the
first page, reads the rest as the matrix is scrolled to its end, and then holds exactly the
core's whole matrix; a reload keeps the selected row; on lock it forgets every row and the
pages still to read."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtWidgets import QApplication

from app.core.models import Option, Stance, StanceKind
from app.core.services.choices import choices
from app.core.services.options import stance_matrix, stance_matrix_page
from app.core.services.paging import FIRST_PAGE, Page
from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.models.options_matrix import TITLE, OptionsMatrixModel
from app.gui.sections.options_section import OptionsSection
from tests.gui.test_sessions_section import Host

pytestmark = pytest.mark.gui

OPTIONS = 150  # more than a first page (60) and than a first page and one more (260 > 150)


@pytest.fixture
def ctx(vault: Vault, messages: list[str], styled_app: QApplication) -> Iterator[AppContext]:
    context = AppContext(vault)
    context.error_handler = messages.append
    yield context
    context.undo_stack.clear()


@pytest.fixture
def big_case(vault: Vault) -> int:
    """A case with OPTIONS options, several raised the same day, each with stances."""
    r = Records(vault)
    case = r.create("case", title="Long talks")
    parties = [
        r.create("party", case_id=case, name=name, kind="government")
        for name in ("North", "South", "Forum")
    ]
    start = datetime(2024, 1, 1, 9, 0, tzinfo=UTC)
    with vault.transaction() as s:
        for i in range(OPTIONS):
            day = date(2024, 1, 1) + timedelta(days=i // 3)  # three a day: ties
            option = Option(case_id=case, title=f"Option {i:03d}", raised_on=day)
            s.add(option)
            s.flush()
            for k, party_id in enumerate(parties):
                s.add(
                    Stance(
                        option_id=option.id,
                        party_id=party_id,
                        stance=list(StanceKind)[(i + k) % len(StanceKind)],
                        recorded_at=start + timedelta(days=i // 3),
                    )
                )
    return case


def _shown(qtbot: Any, ctx: AppContext, case: int) -> tuple[OptionsSection, Host]:
    section = OptionsSection(ctx)
    host = Host(ctx, section)
    qtbot.addWidget(host)
    host.resize(1280, 800)
    host.show()
    qtbot.waitExposed(host)
    host.open_case(case)
    section.show_matrix()
    return section, host


def _titles(model: OptionsMatrixModel) -> list[str]:
    return [str(model.index(r, TITLE).data()) for r in range(model.rowCount())]


def test_scrolling_the_matrix_to_its_end_reads_every_page(
    qtbot: Any, ctx: AppContext, big_case: int, qtmodeltester: Any
) -> None:
    section, _host = _shown(qtbot, ctx, big_case)
    model = section.matrix.model
    assert model.rowCount() == FIRST_PAGE and model.more
    qtmodeltester.check(model)
    table = section.matrix.table
    for _ in range(20):  # each time the view reaches the end of what it holds, one page
        if not model.more:
            break
        table.scrollToBottom()
        qtbot.wait(10)
    assert not model.more
    whole = stance_matrix(ctx.vault, big_case)
    assert _titles(model) == [row.title for row in whole]
    assert section.matrix.option_ids == [row.option_id for row in whole]
    qtmodeltester.check(model)


def test_a_reload_keeps_the_selected_row(qtbot: Any, ctx: AppContext, big_case: int) -> None:
    section, _host = _shown(qtbot, ctx, big_case)
    matrix = section.matrix
    first_page_id = matrix.option_ids[10]
    assert matrix.select(first_page_id)
    matrix.reload()
    assert matrix.current_id() == first_page_id
    # A row read on a later page stays selected too: the reload reads as many as were held.
    matrix.model.fetchMore()
    later = matrix.option_ids[FIRST_PAGE + 20]
    assert matrix.select(later)
    matrix.reload()
    assert matrix.current_id() == later and matrix.model.rowCount() >= FIRST_PAGE + 21


def test_the_closed_toggle_starts_again_from_the_first_page(
    qtbot: Any, ctx: AppContext, big_case: int
) -> None:
    section, _host = _shown(qtbot, ctx, big_case)
    section.matrix.model.fetch_all()
    section.matrix.show_closed.setChecked(True)
    assert section.matrix.model.rowCount() == FIRST_PAGE and section.matrix.model.more


def test_clear_on_lock_forgets_the_rows_and_the_pages_to_read(
    qtbot: Any, ctx: AppContext, big_case: int
) -> None:
    section, _host = _shown(qtbot, ctx, big_case)
    model = section.matrix.model
    assert model.more
    section.clear()
    assert model.rowCount() == 0 and model.columnCount() == TITLE + 2
    assert not model.more and not model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == 0


def test_the_pages_read_after_a_lock_are_empty(
    qtbot: Any, vault: Vault, big_case: int, styled_app: QApplication, qtmodeltester: Any
) -> None:
    """The fetch the section hands the model answers nothing once the vault is locked,
    should the view ask before the window clears it."""
    model = OptionsMatrixModel()
    parties = choices(vault, "party", big_case)

    def fetch(after: Any, limit: int) -> Page[Any]:
        if not vault.is_unlocked:
            return Page([])
        return stance_matrix_page(vault, big_case, after=after, limit=limit)

    model.set_pager(fetch(None, FIRST_PAGE), fetch, parties)
    vault.lock()
    model.fetchMore()
    assert model.rowCount() == FIRST_PAGE and not model.more
    qtmodeltester.check(model)


def test_rows_are_as_tall_as_their_wrapped_titles_in_every_page(
    qtbot: Any, ctx: AppContext, vault: Vault, big_case: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Row heights come from the titles (once per content), not from Qt measuring every cell
    of every row at each geometry update: a long title wraps to a taller row, in the first
    page and in the pages read as the view scrolls; a resize asks no stance cell again."""
    with vault.transaction() as s:
        first = s.get(Option, 1)
        assert first is not None
        first.title = "A very long option title " * 8
    section, _host = _shown(qtbot, ctx, big_case)
    table, model = section.matrix.table, section.matrix.model
    while model.more:
        table.scrollToBottom()
        qtbot.wait(10)
    titles = _titles(model)
    long_row = next(i for i, t in enumerate(titles) if t.startswith("A very long"))
    short = [table.rowHeight(i) for i, t in enumerate(titles) if not t.startswith("A very")]
    assert table.rowHeight(long_row) > max(short) >= 30
    assert table.rowHeight(model.rowCount() - 1) >= 30  # a row of a later page has its height
    asked: list[int] = []
    real = type(model).data

    def counted(self: Any, index: Any, role: int = 0) -> Any:
        if index.column() >= 2:  # a stance cell
            asked.append(index.row())
        return real(self, index, role)

    monkeypatch.setattr(type(model), "data", counted)
    table.updateGeometries()
    assert asked == []
