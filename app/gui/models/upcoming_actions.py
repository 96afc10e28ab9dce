"""Upcoming actions and commitments across every case as a Qt table model: Due, Case, What,
Owner; overdue first, then by due date. An overdue row is shown in red and says so. A
commitment reads ``Commitment · KHM · Release twelve detained soldiers`` and its owner is the
party that promised it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from app.core.services.commitments import CommitmentRow
from app.core.services.sessions import UpcomingAction
from app.gui.labels import fmt_date, tr
from app.gui.models.rows import Col, RowsModel
from app.gui.widgets.dialog_parts import ERROR_RED

DUE, CASE, ACTION, OWNER = range(4)


@dataclass(frozen=True)
class UpcomingCommitment:
    """A commitment that is overdue or due soon, in one case of the vault."""

    id: int
    case_id: int
    case_title: str
    party_name: str
    what: str
    due_on: date | None
    overdue: bool

    @classmethod
    def of(cls, row: CommitmentRow, case_title: str, overdue: bool) -> UpcomingCommitment:
        return cls(row.id, row.case_id, case_title, row.party_name, row.what, row.due_on, overdue)

    @property
    def title(self) -> str:
        parts = [tr("Commitment"), self.party_name, self.what]
        return " · ".join(p for p in parts if p)


Upcoming = UpcomingAction | UpcomingCommitment


def kind_of_row(u: Upcoming) -> str:
    return "commitment" if isinstance(u, UpcomingCommitment) else "action"


def _due(a: Upcoming) -> str:
    due = fmt_date(a.due_on) if a.due_on else tr("no date")
    return tr("{date} (overdue)").format(date=due) if a.overdue else due


def _late(a: Upcoming) -> str | None:
    return ERROR_RED if a.overdue else None


def _owner(a: Upcoming) -> str:
    return a.party_name if isinstance(a, UpcomingCommitment) else a.owner_name


def _tip(a: Upcoming) -> str:
    return a.what if isinstance(a, UpcomingCommitment) else a.notes or ""


def ordered(rows: list[Upcoming]) -> list[Upcoming]:
    """Overdue first, then by due date (undated last); an action before a commitment due
    the same day."""
    return sorted(
        rows,
        key=lambda u: (
            not u.overdue,
            u.due_on is None,
            u.due_on or date.max,
            isinstance(u, UpcomingCommitment),
            u.id,
        ),
    )


class UpcomingActionsModel(RowsModel[Upcoming]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col("Due", _due, _late, sort=lambda a: a.due_on or date.max),
                Col("Case", lambda a: a.case_title, _late),
                Col("What", lambda a: a.title, _late, tip_text=_tip),
                Col("Owner", _owner, _late),
            ],
            parent,
        )

    @property
    def actions(self) -> list[UpcomingAction]:
        return [r for r in self.rows() if isinstance(r, UpcomingAction)]

    @property
    def commitments(self) -> list[UpcomingCommitment]:
        return [r for r in self.rows() if isinstance(r, UpcomingCommitment)]

    def set_actions(
        self, actions: list[UpcomingAction], commitments: list[UpcomingCommitment] | None = None
    ) -> None:
        self.set_rows(ordered([*actions, *(commitments or [])]))

    def action_at(self, row: int) -> Upcoming | None:
        return self.row(row)

    def overdue_count(self) -> int:
        return sum(a.overdue for a in self.rows())
