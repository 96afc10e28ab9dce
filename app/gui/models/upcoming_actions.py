"""Upcoming actions across every case as a Qt table model: Due, Case, Action, Owner; an
overdue action is shown in red and says so."""

from __future__ import annotations

from typing import Any

from app.core.services.sessions import UpcomingAction
from app.gui.labels import fmt_date, tr
from app.gui.models.rows import Col, RowsModel
from app.gui.widgets.dialog_parts import ERROR_RED

DUE, CASE, ACTION, OWNER = range(4)


def _due(a: UpcomingAction) -> str:
    due = fmt_date(a.due_on) if a.due_on else tr("no date")
    return tr("{date} (overdue)").format(date=due) if a.overdue else due


def _late(a: UpcomingAction) -> str | None:
    return ERROR_RED if a.overdue else None


class UpcomingActionsModel(RowsModel[UpcomingAction]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col("Due", _due, _late),
                Col("Case", lambda a: a.case_title, _late),
                Col("Action", lambda a: a.title, _late, tip_text=lambda a: a.notes or ""),
                Col("Owner", lambda a: a.owner_name, _late),
            ],
            parent,
        )

    @property
    def actions(self) -> list[UpcomingAction]:
        return self.rows()

    def set_actions(self, actions: list[UpcomingAction]) -> None:
        self.set_rows(actions)

    def action_at(self, row: int) -> UpcomingAction | None:
        return self.row(row)

    def overdue_count(self) -> int:
        return sum(a.overdue for a in self.rows())
