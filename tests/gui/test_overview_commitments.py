"""The Overview's commitments and linked cases (issue 17): overdue commitments in red and
those due within two weeks, each opening in the Commitments section; the counts name
commitments and handovers; a link shows in both cases' overviews, Link a case… and Unlink
are undoable, and activating a linked case switches to it."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from app.core.services.commitments import NewCommitment, create_commitment
from app.core.services.handovers import links_of
from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.main_window import MainWindow
from app.gui.shell.overview import OverviewSection
from app.gui.shell.overview_blocks import (
    DueModel,
    LinkCaseDialog,
    LinksModel,
    day_words,
)
from tests.gui.conftest import answer_dialog, hosted

NOW = datetime.now(UTC).replace(microsecond=0)
TODAY = NOW.date()


@pytest.fixture
def ids(vault: Vault) -> dict[str, int]:
    r = Records(vault)
    ids = {"case": r.create("case", title="Highland workshops", track="2")}
    ids["talks"] = r.create("case", title="Envoy talks", track="1.5")
    ids["gov"] = r.create("party", case_id=ids["case"], name="Government", kind="government")
    ids["khm"] = r.create("party", case_id=ids["case"], name="KHM", kind="armed_group")

    def promise(party: str, what: str, due_in: int) -> int:
        new = NewCommitment(
            party_id=ids[party],
            what=what,
            made_at=NOW - timedelta(days=30),
            due_on=TODAY + timedelta(days=due_in),
        )
        return create_commitment(vault, ids["case"], new)

    ids["late"] = promise("gov", "Open the northern checkpoint", -3)
    ids["soon"] = promise("khm", "Release twelve detained soldiers", 5)
    ids["far"] = promise("khm", "Hand over the maps", 60)
    return ids


@pytest.fixture
def overview(
    qtbot: Any, vault: Vault, ids: dict[str, int], styled_app: QApplication
) -> Iterator[OverviewSection]:
    ctx = AppContext(vault)
    ctx.set_case(ids["case"])
    section = OverviewSection(ctx, lambda: None, lambda: None)
    with hosted(qtbot, section, (1024 - 220, 700)):
        section.set_case(ids["case"])
        qtbot.waitUntil(lambda: section.commitments.model.rowCount() > 0)
        yield section


def rows(view: Any) -> list[str]:
    model = view.model()
    return [model.index(r, 0).data() for r in range(model.rowCount())]


def test_overdue_and_due_soon_are_listed_and_open_in_commitments(
    qtbot: Any, overview: OverviewSection, ids: dict[str, int]
) -> None:
    block = overview.commitments
    late = f"Due {day_words(TODAY - timedelta(days=3))} (overdue) · Government: "
    soon = f"Due {day_words(TODAY + timedelta(days=5))} · KHM: "
    assert rows(block.view) == [
        late + "Open the northern checkpoint",
        soon + "Release twelve detained soldiers",
    ]  # (the one due in two months is not)
    model = block.model
    assert model.index(0, 0).data(Qt.ItemDataRole.ForegroundRole) is not None  # red
    assert model.index(1, 0).data(Qt.ItemDataRole.ForegroundRole) is None
    counts = overview.counts.text()
    assert "3 commitments" in counts and "0 handovers" in counts
    rect = block.view.visualRect(model.index(1, 0))
    with qtbot.waitSignal(overview.ctx.open_record) as opened:
        qtbot.mouseClick(block.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened.args == ["commitment", ids["soon"], ids["case"]]
    block.view.setFocus()
    block.view.setCurrentIndex(model.index(0, 0))
    with qtbot.waitSignal(overview.ctx.open_record) as opened:
        qtbot.keyClick(block.view, Qt.Key.Key_Return)
    assert opened.args == ["commitment", ids["late"], ids["case"]]


def test_an_outcome_takes_a_commitment_off_the_overview(
    qtbot: Any, overview: OverviewSection, ids: dict[str, int]
) -> None:
    from app.core.models import CommitmentStatus
    from app.core.services.commitments import NewOutcome, record_outcome

    record_outcome(
        overview.ctx.vault, ids["late"], NewOutcome(on=TODAY, status=CommitmentStatus.KEPT_LATE)
    )
    overview.ctx.notify("commitment_event", None)
    overview.reload()  # (the window reloads the section in view on a change it watches)
    assert "commitment_event" in overview.watches
    qtbot.waitUntil(lambda: overview.commitments.model.rowCount() == 1)
    assert "Release twelve detained soldiers" in rows(overview.commitments.view)[0]


def test_nothing_due_says_so(qtbot: Any, vault: Vault, styled_app: QApplication) -> None:
    ctx = AppContext(vault)
    case = Records(vault).create("case", title="Quiet case")
    ctx.set_case(case)
    section = OverviewSection(ctx, lambda: None, lambda: None)
    with hosted(qtbot, section, (1024 - 220, 700)):
        section.set_case(case)
        qtbot.waitUntil(lambda: bool(section.counts.text()))
        assert section.commitments.none.isVisible() and not section.commitments.view.isVisible()
        assert section.links.none.isVisible() and not section.links.unlink_button.isEnabled()


# --- linked cases ----------------------------------------------------------------------------


def link_through_the_dialog(qtbot: Any, block: Any, other: int, relation: str) -> None:
    def fill(w: QWidget) -> None:
        assert isinstance(w, LinkCaseDialog)
        w.other.setCurrentIndex(w.other.findData(other))
        w.relation.setCurrentIndex(w.relation.findData(relation))
        w.note.setText("Options of the workshops go to the envoy")
        w.save()

    answer_dialog(fill)
    qtbot.mouseClick(block.link_button, Qt.MouseButton.LeftButton)


def test_link_and_unlink_with_undo_shown_in_both_overviews_and_switching_case(
    qtbot: Any, ids: dict[str, int], window: MainWindow, vault: Vault
) -> None:
    window.load()
    row = window.cases_model.row_of(ids["case"])
    assert row is not None
    window.case_list.setCurrentIndex(window.cases_model.index(row, 0))
    overview = window.open_section("overview")
    assert isinstance(overview, OverviewSection)
    block = overview.links
    qtbot.waitUntil(lambda: bool(overview.counts.text()))
    assert block.none.isVisible()

    link_through_the_dialog(qtbot, block, ids["talks"], "feeds")
    qtbot.waitUntil(lambda: block.model.rowCount() == 1)
    assert rows(block.view) == ["Feeds “Envoy talks” (Track 1.5)"]
    [link] = links_of(vault, ids["talks"])
    assert link.words == "Fed by “Highland workshops” (Track 2)"

    # Linking the same two cases again is refused in the dialog, in one sentence.
    refused: list[str] = []

    def again(w: QWidget) -> None:
        assert isinstance(w, LinkCaseDialog)
        w.other.setCurrentIndex(w.other.findData(ids["talks"]))
        w.save()
        refused.append(w.error.text())
        w.reject()

    answer_dialog(again)
    qtbot.mouseClick(block.link_button, Qt.MouseButton.LeftButton)
    assert refused == ["These two cases are already linked."]

    # Undo and redo the link.
    window.ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: block.model.rowCount() == 0)
    assert links_of(vault, ids["case"]) == []
    window.ctx.undo_stack.redo()
    qtbot.waitUntil(lambda: block.model.rowCount() == 1)

    # Unlink, undo, redo, undo.
    block.view.setCurrentIndex(block.model.index(0, 0))
    qtbot.mouseClick(block.unlink_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: block.model.rowCount() == 0)
    window.ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: block.model.rowCount() == 1)
    window.ctx.undo_stack.redo()
    qtbot.waitUntil(lambda: block.model.rowCount() == 0)
    window.ctx.undo_stack.undo()
    qtbot.waitUntil(lambda: block.model.rowCount() == 1)
    assert [r.note for r in links_of(vault, ids["case"])] == [
        "Options of the workshops go to the envoy"
    ]

    # Enter on the linked case switches to it; its overview names the link the other way.
    block.view.setFocus()
    block.view.setCurrentIndex(block.model.index(0, 0))
    qtbot.keyClick(block.view, Qt.Key.Key_Return)
    assert window.ctx.case_id == ids["talks"]
    assert window.section_in_view() is overview
    qtbot.waitUntil(lambda: rows(block.view) == ["Fed by “Highland workshops” (Track 2)"])
    # A search hit of the link opens its case's overview with the link selected.
    [link] = links_of(vault, ids["case"])
    window.ctx.open_record.emit("case_link", link.id, ids["case"])
    assert window.ctx.case_id == ids["case"]
    qtbot.waitUntil(lambda: block.current_link() == link.id)


def test_fed_by_links_the_other_way(
    qtbot: Any, overview: OverviewSection, ids: dict[str, int]
) -> None:
    link_through_the_dialog(qtbot, overview.links, ids["talks"], "fed_by")
    overview.reload()
    qtbot.waitUntil(lambda: overview.links.model.rowCount() == 1)
    assert rows(overview.links.view) == ["Fed by “Envoy talks” (Track 1.5)"]


def test_the_block_models_pass_the_model_tester(
    qtmodeltester: Any, vault: Vault, ids: dict[str, int]
) -> None:
    from app.core.services.commitments import due
    from app.core.services.handovers import link_cases

    link_cases(vault, ids["case"], ids["talks"])
    overdue, soon = due(vault, ids["case"])
    dues = DueModel()
    dues.set_due(overdue, soon)
    links = LinksModel()
    links.set_rows(links_of(vault, ids["case"]))
    for model in (dues, links):
        qtmodeltester.check(model)
    assert dues.rowCount() == 2 and links.rowCount() == 1
