"""The commitments register of a case as Qt models: one row per commitment (Due, Who, To, What,
Status, Condition, Level), narrowed by a filter (all, pending, overdue and due soon, resolved)
and by the party that made it; an overdue row in red and saying so, one due soon in amber.
Also a commitment's course (its dated outcomes, in words) and each party's record in words.

The rows are the core's plain dataclasses (app.core.services.commitments.CommitmentRow); the
words here only say what the register service worked out (status, overdue, due soon)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from enum import Enum
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QBrush, QColor

from app.core.models import CommitmentStatus, Verification
from app.core.services.commitments import CommitmentRow, OutcomeRow, PartyRecord
from app.gui.labels import DISCLOSURE_COLOURS, enum_label, tr
from app.gui.models.rows import ID_ROLE, SORT_ROLE
from app.gui.models.text_critique_matrix import day_label, first_words
from app.gui.widgets.dialog_parts import ERROR_RED

_Index = QModelIndex | QPersistentModelIndex
DUE, WHO, TO, WHAT, STATUS, CONDITION, LEVEL = range(7)
HEADERS = ("Due", "Who", "To", "What", "Status", "Condition", "Level")
# What each column's values are (app.gui.widgets.fit_table: text is elastic and may be cut;
# the due date, the status and the level are short and always shown whole).
COLUMN_KINDS = ("date", "text", "text", "text", "status", "text", "level")
AMBER = DISCLOSURE_COLOURS["embargoed"]  # due soon: the amber of "not yet"
PENDING = CommitmentStatus.PENDING


class Show(Enum):
    """The register's filter."""

    ALL = "All"
    PENDING = "Pending"
    ATTENTION = "Overdue & due soon"
    RESOLVED = "Resolved"


def status_label(status: CommitmentStatus) -> str:
    """ "Kept late", "Partly kept", ... (capitalised: it starts a cell)."""
    words = enum_label(status.value)
    return words[:1].upper() + words[1:]


HOW_WORDS = {
    Verification.MESSAGE: "a logged message",
    Verification.NOTE: "your own observation",
    Verification.OUTSIDE: "an outside source",
}


def how_label(how: Verification | None) -> str:
    return tr(HOW_WORDS[how]) if how is not None else ""


def status_words(row: CommitmentRow, today: date | None = None) -> str:
    """Where a commitment stands: "Overdue", "Due soon", "Pending", or its latest outcome
    and its day ("Kept late · 20 Mar 2026")."""
    if row.status is PENDING:
        if row.overdue:
            return tr("Overdue")
        if row.due_soon:
            return tr("Due soon")
        if (
            row.condition_id is not None
            and row.due_on is not None
            and today is not None
            and row.due_on < today
        ):
            return tr("Pending: its condition is not kept yet")
        return tr("Pending")
    if row.status_on is None:
        return status_label(row.status)
    return tr("{status} · {day}").format(
        status=status_label(row.status), day=day_label(row.status_on)
    )


def who_words(row: CommitmentRow) -> str:
    if row.person_name:
        return tr("{party} ({person})").format(party=row.party_name, person=row.person_name)
    return row.party_name


def to_words(row: CommitmentRow) -> str:
    return row.to_party_name or tr("you / all sides")


def condition_words(row: CommitmentRow) -> str:
    """The condition in words, and the commitment that must be kept first, if any."""
    words = " ".join(row.condition.split()).rstrip(" .;,")
    parts = [words] if words else []
    if row.condition_id is not None:
        parts.append(tr("once “{what}” is kept").format(what=first_words(row.condition_what, 60)))
    return "; ".join(parts)


def due_words(row: CommitmentRow) -> str:
    return day_label(row.due_on) if row.due_on is not None else tr("no date")


def is_resolved(row: CommitmentRow) -> bool:
    return row.status is not PENDING


def shows(row: CommitmentRow, show: Show, party_id: int | None) -> bool:
    """Whether the filter lets this row through."""
    if party_id is not None and row.party_id != party_id:
        return False
    if show is Show.PENDING:
        return row.status is PENDING
    if show is Show.ATTENTION:
        return row.overdue or row.due_soon
    if show is Show.RESOLVED:
        return is_resolved(row)
    return True


def record_words(record: PartyRecord) -> str:
    """A party's record: "kept 2 of 3 on time (1 broken)" (PartyRecord.words, translated)."""
    if not record.made:
        return tr("no commitments recorded")
    if record.judged:
        head = tr("kept {kept} of {judged} on time").format(kept=record.kept, judged=record.judged)
    else:
        head = tr("none due yet")
    rest = [
        (record.kept_late, tr("{n} kept late")),
        (record.partly_kept, tr("{n} partly kept")),
        (record.broken, tr("{n} broken")),
        (record.overdue, tr("{n} overdue")),
        (record.withdrawn, tr("{n} withdrawn")),
        (record.pending, tr("{n} pending")),
    ]
    tail = ", ".join(words.format(n=n) for n, words in rest if n)
    return tr("{head} ({tail})").format(head=head, tail=tail) if tail else head


def _one_line(text: str) -> str:
    return " ".join(text.split())


_TEXT: dict[int, Callable[[CommitmentRow, date | None], str]] = {
    DUE: lambda r, _t: due_words(r),
    WHO: lambda r, _t: who_words(r),
    TO: lambda r, _t: to_words(r),
    WHAT: lambda r, _t: _one_line(r.what),
    STATUS: status_words,
    CONDITION: lambda r, _t: condition_words(r),
    LEVEL: lambda r, _t: enum_label(r.disclosure.value),
}


def _sort_key(column: int, row: CommitmentRow, today: date | None) -> Any:
    if column == DUE:
        return (row.due_on is None, row.due_on or date.max, row.made_at, row.id)
    if column == STATUS:
        # Overdue first, then due soon, pending, then the outcomes.
        rank = 0 if row.overdue else 1 if row.due_soon else 2 if row.status is PENDING else 3
        return (rank, status_words(row, today).casefold())
    return _TEXT[column](row, today).casefold()


class CommitmentRegisterModel(QAbstractTableModel):
    """The register's rows that pass the filter (``set_filter``), in the register's order
    (by due date) unless sorted by a column."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._all: list[CommitmentRow] = []
        self._rows: list[CommitmentRow] = []
        self.today: date | None = None
        self.show = Show.ALL
        self.party_id: int | None = None
        self._sort: tuple[int, Qt.SortOrder] | None = None

    # -- content --------------------------------------------------------------------------

    def set_register(self, rows: Sequence[CommitmentRow], today: date | None = None) -> None:
        self.beginResetModel()
        self._all = list(rows)
        self.today = today
        self._rows = self._filtered()
        self.endResetModel()

    def set_filter(self, show: Show, party_id: int | None = None) -> None:
        self.beginResetModel()
        self.show, self.party_id = show, party_id
        self._rows = self._filtered()
        self.endResetModel()

    def clear(self) -> None:
        self.set_register([])

    def _filtered(self) -> list[CommitmentRow]:
        rows = [r for r in self._all if shows(r, self.show, self.party_id)]
        if self._sort is not None:
            column, order = self._sort
            rows.sort(
                key=lambda r: _sort_key(column, r, self.today),
                reverse=order == Qt.SortOrder.DescendingOrder,
            )
        return rows

    @property
    def all_rows(self) -> list[CommitmentRow]:
        """Every commitment of the register, whatever the filter."""
        return list(self._all)

    @property
    def filtered(self) -> bool:
        return self.show is not Show.ALL or self.party_id is not None

    def commitment(self, row: int) -> CommitmentRow | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def find(self, commitment_id: int) -> CommitmentRow | None:
        return next((r for r in self._all if r.id == commitment_id), None)

    def row_of(self, commitment_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.id == commitment_id), None)

    def overdue_count(self) -> int:
        return sum(r.overdue for r in self._all)

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(HEADERS)
        ):
            return tr(HEADERS[section])
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        row = self.commitment(index.row()) if index.isValid() else None
        column = index.column()
        if row is None or not 0 <= column < len(HEADERS):
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return _TEXT[column](row, self.today)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tip(row, column) or None
        if role == Qt.ItemDataRole.ForegroundRole:
            colour = self._colour(row, column)
            return QBrush(QColor(colour)) if colour else None
        if role == ID_ROLE:
            return row.id
        if role == SORT_ROLE:
            return _sort_key(column, row, self.today)
        return None

    def _colour(self, row: CommitmentRow, column: int) -> str | None:
        if row.overdue:
            return ERROR_RED
        if row.due_soon:
            return AMBER
        if column == LEVEL:
            return DISCLOSURE_COLOURS.get(row.disclosure.value)
        return None

    def _tip(self, row: CommitmentRow, column: int) -> str:
        if column == WHAT:
            return row.what[:1000]
        if column == CONDITION:
            return condition_words(row)[:1000]
        if column == STATUS and row.outcomes:
            return "\n".join(
                tr("{day}: {status}").format(day=day_label(o.on), status=status_label(o.status))
                for o in row.outcomes
            )
        if column in (WHO, TO):
            return _TEXT[column](row, self.today)
        return ""

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if not 0 <= column < len(HEADERS):
            return
        self.layoutAboutToBeChanged.emit()
        before = [r.id for r in self._rows]
        persistent = self.persistentIndexList()
        self._sort = (column, order)
        self._rows = self._filtered()
        now = {r.id: i for i, r in enumerate(self._rows)}
        self.changePersistentIndexList(
            persistent,
            [self.index(now[before[p.row()]], p.column()) for p in persistent],
        )
        self.layoutChanged.emit()


def outcome_words(
    outcome: OutcomeRow, evidence: Callable[[int], str] = lambda _i: ""
) -> tuple[str, str]:
    """An outcome as two lines: "20 Mar 2026 · Kept late", then who verified it and how,
    the evidence and the note."""
    head = tr("{day} · {status}").format(
        day=day_label(outcome.on), status=status_label(outcome.status)
    )
    details = []
    if outcome.verified_by:
        details.append(tr("verified by {who}").format(who=outcome.verified_by))
    if outcome.how is not None:
        details.append(tr("from {how}").format(how=how_label(outcome.how)))
    if outcome.evidence_message_id is not None:
        details.append(
            tr("evidence: {message}").format(message=evidence(outcome.evidence_message_id))
        )
    line = ", ".join(details)
    if outcome.note.strip():
        note = _one_line(outcome.note)
        line = f"{line}. {note}" if line else note
    return head, line


class CourseModel(QAbstractListModel):
    """A commitment's course: its outcomes by date, each in words (two lines)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._outcomes: list[OutcomeRow] = []
        self._evidence: Callable[[int], str] = lambda _i: ""

    def set_course(
        self, outcomes: Sequence[OutcomeRow], evidence: Callable[[int], str] = lambda _i: ""
    ) -> None:
        self.beginResetModel()
        self._outcomes = list(outcomes)
        self._evidence = evidence
        self.endResetModel()

    def clear(self) -> None:
        self.set_course([])

    def outcome(self, row: int) -> OutcomeRow | None:
        return self._outcomes[row] if 0 <= row < len(self._outcomes) else None

    def row_of(self, outcome_id: int) -> int | None:
        return next((i for i, o in enumerate(self._outcomes) if o.id == outcome_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._outcomes)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        outcome = self.outcome(index.row()) if index.isValid() else None
        if outcome is None or index.column() != 0:
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            head, line = outcome_words(outcome, self._evidence)
            return f"{head}\n{line}" if line else head
        if role == ID_ROLE:
            return outcome.id
        return None
