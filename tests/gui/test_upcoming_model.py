"""Upcoming actions, all cases: a Qt table model; Enter on a row opens the action."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import Qt

from app.core.services.records import Records
from app.core.services.sessions import upcoming_actions
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.dialogs.upcoming import UpcomingActionsDialog
from app.gui.models.upcoming_actions import UpcomingActionsModel


def test_upcoming_actions_model_on_demo_data(
    qtmodeltester: Any, vault: Vault, demo_case: int
) -> None:
    model = UpcomingActionsModel()
    model.set_actions(upcoming_actions(vault, days=3650))
    assert model.rowCount() >= 3
    qtmodeltester.check(model)
    model.clear()
    qtmodeltester.check(model)


def test_dialog_lists_overdue_first_and_enter_opens_the_action(
    qtbot: Any, vault: Vault, demo_case: int
) -> None:
    r = Records(vault)
    today = datetime.now(UTC).date()
    late = r.create("action", case_id=demo_case, title="Send the map", due_on=today - timedelta(3))
    ctx = AppContext(vault)
    dialog = UpcomingActionsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    model = dialog.table.model()
    assert isinstance(model, UpcomingActionsModel)
    titles = [model.index(row, 2).data() for row in range(model.rowCount())]
    assert "Send the map" in titles
    row = titles.index("Send the map")
    assert "overdue" in model.index(row, 0).data()
    assert model.index(row, 0).data(Qt.ItemDataRole.ForegroundRole) is not None
    assert dialog.summary.text().startswith(f"{model.rowCount()} open")
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(model.index(row, 2))
    with qtbot.waitSignal(ctx.open_record) as opened:
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert opened.args == ["action", late, demo_case]
    assert not dialog.isVisible()


def test_commitments_due_are_listed_beside_actions_overdue_first(
    qtbot: Any, vault: Vault, demo_case: int
) -> None:
    """Commitments overdue or due within two weeks (of every case) are listed beside the
    actions, marked as commitments; Enter on one opens it."""
    from app.core.services.commitments import NewCommitment, create_commitment
    from app.gui.models.upcoming_actions import UpcomingCommitment

    r = Records(vault)
    today = datetime.now(UTC).date()
    made = datetime.now(UTC) - timedelta(days=40)
    party = r.find("party", case_id=demo_case, order_by="id")[0]

    def promise(what: str, due_in: int) -> int:
        new = NewCommitment(
            party_id=party["id"], what=what, made_at=made, due_on=today + timedelta(due_in)
        )
        return create_commitment(vault, demo_case, new)

    late = promise("Release twelve detained soldiers", -30)
    soon = promise("Open the pass road", 4)
    promise("Hand over the maps", 60)  # not due within two weeks
    ctx = AppContext(vault)
    dialog = UpcomingActionsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    model = dialog.model
    titles = [model.index(row, 2).data() for row in range(model.rowCount())]
    marked = f"Commitment · {party['name']} · Release twelve detained soldiers"
    assert marked in titles and not any("Hand over the maps" in t for t in titles)
    listed = [c.id for c in model.commitments]
    assert late in listed and soon in listed and listed.index(late) < listed.index(soon)
    row = titles.index(marked)
    assert all(model.action_at(i).overdue for i in range(row + 1))  # type: ignore[union-attr]
    assert "overdue" in model.index(row, 0).data()
    assert model.index(row, 3).data() == party["name"]
    assert isinstance(model.action_at(row), UpcomingCommitment)
    dialog.table.setFocus()
    dialog.table.setCurrentIndex(model.index(row, 2))
    with qtbot.waitSignal(ctx.open_record) as opened:
        qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    assert opened.args == ["commitment", late, demo_case]
