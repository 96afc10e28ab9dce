"""The options board's lists are Qt models (they were item widgets), each checked by
pytest-qt's model tester on the demo notebook."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication

from app.core.services.choices import choices
from app.core.services.options import (
    interest_choices,
    lineage,
    option_history,
    stance_matrix,
)
from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.models.options_checklist import ID_ROLE, CheckListModel
from app.gui.models.options_history import OptionEventsModel, lineage_model
from app.gui.models.options_matrix import FIRST_PARTY, STATUS, TITLE, OptionsMatrixModel

pytestmark = pytest.mark.gui


def _with_lineage(vault: Vault, case: int) -> int:
    """An option of the demo made from others (a refinement, merge or split)."""
    links = Records(vault).find("option_link")
    assert links, "the demo has no lineage"
    return int(links[-1]["option_id"])


def test_options_matrix_model(
    qtmodeltester: Any, vault: Vault, demo_case: int, styled_app: QApplication
) -> None:
    model = OptionsMatrixModel()
    rows = stance_matrix(vault, demo_case, include_closed=True)
    parties = choices(vault, "party", demo_case)
    model.load(rows, parties)
    qtmodeltester.check(model)
    assert model.rowCount() == len(rows) and model.columnCount() == FIRST_PARTY + len(parties)
    assert model.index(0, TITLE).data() == rows[0].title
    assert model.index(0, STATUS).data()
    # A stance cell: its word, its colour, its history as the tooltip.
    row, (party_id, _name) = next(
        (r, p) for r, o in enumerate(rows) for p in parties if o.history.get(p[0])
    )
    cell = model.index(row, model.party_column(party_id) or 0)
    assert cell.data() == rows[row].history[party_id][-1].stance.replace("_", " ")
    assert cell.data(Qt.ItemDataRole.ForegroundRole) is not None
    assert ":" in cell.data(Qt.ItemDataRole.ToolTipRole)
    model.clear()
    qtmodeltester.check(model)


def test_checklist_models_for_interests_and_merging(
    qtmodeltester: Any, vault: Vault, demo_case: int, styled_app: QApplication
) -> None:
    r = Records(vault)
    option = next(
        o for o in r.find("option", case_id=demo_case) if interest_choices(vault, o["id"])
    )
    picks = interest_choices(vault, option["id"])
    model = CheckListModel([(c.entry_id, c.text, c.addressed) for c in picks])
    qtmodeltester.check(model)
    assert model.checked_ids() == [c.entry_id for c in picks if c.addressed]
    model.set_checked(0, not picks[0].addressed)
    assert (picks[0].entry_id in model.checked_ids()) != picks[0].addressed
    assert model.index(0, 0).data(ID_ROLE) == picks[0].entry_id
    qtmodeltester.check(model)
    others = CheckListModel([(o["id"], o["title"], False) for o in r.find("option")])
    qtmodeltester.check(others)


def test_option_history_models(
    qtmodeltester: Any, vault: Vault, demo_case: int, styled_app: QApplication
) -> None:
    option_id = _with_lineage(vault, demo_case)
    lin = lineage(vault, option_id)
    tree = lineage_model(lin, option_id)
    qtmodeltester.check(tree)
    assert tree.rowCount() >= 1 and tree.columnCount() == 3
    # The tree holds every option of the lineage once.
    seen: list[str] = []

    def walk(parent: Any) -> None:
        for row in range(tree.rowCount(parent)):
            index = tree.index(row, 0, parent)
            seen.append(index.data())
            walk(index)

    walk(QModelIndex())
    assert len(seen) == len(lin.options)
    events = OptionEventsModel(option_history(vault, option_id))
    qtmodeltester.check(events)
    assert events.rowCount() >= 2
