"""The ledger page names the texts a party holds: the latest draft of each it was given, the
earlier ones in a tooltip; nothing when it holds none. On the demo notebook: the government
and the KHM hold draft 4 of the working paper (after drafts 1-3), the Women's Peace Circle
draft 4 only, Lanterna nothing."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from app.core.demo_texts import TEXT_TITLE
from app.core.services.records import Records
from app.core.services.text_circulation import circulate
from app.core.services.texts import texts_of_case
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.sections.knowledge import LedgerPage
from app.gui.sections.shuttle_log import ShuttleLogSection
from tests.gui.conftest import hosted

PAPER = f"“{TEXT_TITLE}”"


@pytest.fixture
def ledger(
    qtbot: Any, vault: Vault, demo_case: int, styled_app: QApplication
) -> Iterator[LedgerPage]:
    ctx = AppContext(vault)
    ctx.set_case(demo_case)
    section = ShuttleLogSection(ctx)
    with hosted(qtbot, section, (1280 - 220, 800)):
        section.set_case(demo_case)
        page = section.show_page("ledger")
        assert isinstance(page, LedgerPage)
        yield page


def choose(qtbot: Any, page: LedgerPage, name: str) -> QLabel:
    """Pick a party as a person would: from the top of the list, arrow down to it."""
    page.party.setFocus()
    qtbot.keyClick(page.party, Qt.Key.Key_Home)
    for _ in range(page.party.findText(name)):
        qtbot.keyClick(page.party, Qt.Key.Key_Down)
    assert page.party.currentText() == name
    return page.held


def party_id(vault: Vault, name: str) -> int:
    return int(next(p["id"] for p in Records(vault).find("party") if p["name"] == name))


def test_a_party_s_latest_draft_shows_above_its_ledger(qtbot: Any, ledger: LedgerPage) -> None:
    held = choose(qtbot, ledger, "Korvan Highlands Movement (KHM)")
    assert held.isVisible()
    assert held.text() == f"Texts held: Draft 4 of {PAPER} (28 Oct 2026)"
    # The earlier drafts it was given, in order, in the tooltip.
    assert held.toolTip().splitlines() == [
        "Earlier drafts given to Korvan Highlands Movement (KHM):",
        f"Draft 1 of {PAPER} (30 Jul 2026)",
        f"Draft 2 of {PAPER} (1 Sep 2026)",
        f"Draft 3 of {PAPER} (2 Oct 2026)",
    ]
    # Above the table, not in it: the ledger's rows are still the messages it was told.
    assert held.geometry().bottom() <= ledger.stack.geometry().top()
    assert ledger.view.isVisible() and ledger.model.rowCount() > 0

    held = choose(qtbot, ledger, "Highland Women's Peace Circle")
    assert held.text() == f"Texts held: Draft 4 of {PAPER} (29 Oct 2026)"
    assert held.toolTip() == "No earlier draft was given to Highland Women's Peace Circle."
    # It was told no message: the page says so without saying it was told nothing.
    assert ledger.stack.currentWidget() is ledger.empty and held.isVisible()
    assert "has been told no message yet" in ledger.empty.text()
    assert "It holds the drafts named above." in ledger.empty.text()

    held = choose(qtbot, ledger, "Lanterna Dialogue Initiative")
    assert not held.isVisible() and held.text() == "" and held.toolTip() == ""
    assert "has been told nothing yet" in ledger.empty.text()


def test_a_new_circulation_moves_the_line_on(
    qtbot: Any, ledger: LedgerPage, vault: Vault, demo_case: int
) -> None:
    gov = party_id(vault, "Government of Veskaria")
    held = choose(qtbot, ledger, "Government of Veskaria")
    assert held.text() == f"Texts held: Draft 4 of {PAPER} (28 Oct 2026)"
    [paper] = texts_of_case(vault, demo_case)
    circulate(vault, paper.working_draft_id, [gov], at=datetime(2026, 11, 30, 10, 0, tzinfo=UTC))
    ledger.reload()
    assert held.text() == f"Texts held: Draft 5 of {PAPER} (30 Nov 2026)"
    assert held.toolTip().splitlines()[-1] == f"Draft 4 of {PAPER} (28 Oct 2026)"
    # The KHM was not given draft 5: it still holds draft 4.
    held = choose(qtbot, ledger, "Korvan Highlands Movement (KHM)")
    assert held.text() == f"Texts held: Draft 4 of {PAPER} (28 Oct 2026)"


def test_clearing_the_page_hides_the_line(qtbot: Any, ledger: LedgerPage, demo_case: int) -> None:
    held = choose(qtbot, ledger, "Highland Women's Peace Circle")
    assert held.isVisible()
    ledger.clear()  # as on lock: nothing of the vault stays on screen
    assert ledger.party.count() == 0
    assert not held.isVisible() and held.text() == "" and held.toolTip() == ""
    ledger.load(demo_case)  # unlocked again: the first party's line is back
    assert ledger.party.currentText() == "Government of Veskaria"
    assert held.isVisible() and held.text().startswith("Texts held: Draft 4 of")
