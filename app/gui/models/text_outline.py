"""The Texts section's lists: a text's drafts (circulated ones with their date and
recipients, the working draft last), the outline of a draft's clauses (numbered, headings
bold, paragraphs indented, bracketed places shown as […]), and the editable table of a
clause's bracketed alternatives."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QBrush, QColor, QFont

from app.core.services.text_wording import SLOT, bracketed
from app.core.services.texts import ClauseInfo, DraftInfo, NewAlternative
from app.gui.labels import tr
from app.gui.models.text_critique_matrix import day_label  # (the texts' one date format)

_Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2  # a clause's key
INDENT_ROLE = Qt.ItemDataRole.UserRole + 3  # a paragraph under a heading
WORKING_ROLE = Qt.ItemDataRole.UserRole + 4  # the working draft
QUIET = QColor("#8a8f94")
PREVIEW = 110  # characters of a clause's wording in the outline


def names(parts: Sequence[str]) -> str:
    """Names joined: “Government”, “Government and Front”, “A, B and C”."""
    parts = list(parts)
    if len(parts) <= 1:
        return "".join(parts)
    return tr("{first} and {last}").format(first=", ".join(parts[:-1]), last=parts[-1])


def recipients_of(draft: DraftInfo) -> list[str]:
    """The parties a draft was given to, each once, in the order they got it."""
    return list(dict.fromkeys(r.party_name for r in draft.recipients))


def draft_label(draft: DraftInfo) -> str:
    if draft.working:
        return tr("Working draft {n}").format(n=draft.number)
    assert draft.circulated_at is not None
    label = tr("Draft {n} · {day}").format(n=draft.number, day=day_label(draft.circulated_at))
    given = recipients_of(draft)
    return label + (tr(" · to {parties}").format(parties=", ".join(given)) if given else "")


def frozen_sentence(draft: DraftInfo) -> str:
    """What a circulated draft's banner says."""
    assert draft.circulated_at is not None
    given = recipients_of(draft)
    if given:
        text = tr("Draft {n} was circulated on {day} to {parties}; it cannot change.")
    else:
        text = tr("Draft {n} was circulated on {day}; it cannot change.")
    return (
        text.format(n=draft.number, day=day_label(draft.circulated_at), parties=names(given))
        + " "
        + tr("Edit the working draft.")
    )


def preview(wording: str) -> str:
    """A clause's first words on one line, each bracketed place as […]."""
    text = " ".join(SLOT.sub("[…]", wording).split())
    if len(text) <= PREVIEW:
        return text
    return text[:PREVIEW].rsplit(" ", 1)[0] + "…"


class DraftsModel(QAbstractListModel):
    """A text's drafts by number; the last is the working draft."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.drafts: list[DraftInfo] = []

    def load(self, drafts: Sequence[DraftInfo]) -> None:
        self.beginResetModel()
        self.drafts = list(drafts)
        self.endResetModel()

    def clear(self) -> None:
        self.load([])

    def row_of(self, draft_id: int) -> int | None:
        return next((i for i, d in enumerate(self.drafts) if d.id == draft_id), None)

    def draft(self, row: int) -> DraftInfo | None:
        return self.drafts[row] if 0 <= row < len(self.drafts) else None

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.drafts)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        d = self.draft(index.row()) if index.isValid() else None
        if d is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return draft_label(d)
        if role == Qt.ItemDataRole.ToolTipRole:
            if d.working:
                return tr(
                    "The draft you edit. Circulating it makes it Draft {n}, frozen, and starts "
                    "the next working draft as a copy."
                ).format(n=d.number)
            return frozen_sentence(d)
        if role == Qt.ItemDataRole.FontRole and d.working:
            font = QFont()
            font.setBold(True)
            return font
        if role == ID_ROLE:
            return d.id
        if role == WORKING_ROLE:
            return d.working
        return None


class OutlineModel(QAbstractListModel):
    """The clauses of one draft, in order: "2.1  The parties agree on […] in the zone."."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.clauses: list[ClauseInfo] = []

    def load(self, clauses: Sequence[ClauseInfo]) -> None:
        self.beginResetModel()
        self.clauses = list(clauses)
        self.endResetModel()

    def clear(self) -> None:
        self.load([])

    def clause(self, row: int) -> ClauseInfo | None:
        return self.clauses[row] if 0 <= row < len(self.clauses) else None

    def row_of_key(self, key: int) -> int | None:
        return next((i for i, c in enumerate(self.clauses) if c.key == key), None)

    def row_of_id(self, clause_id: int) -> int | None:
        return next((i for i, c in enumerate(self.clauses) if c.id == clause_id), None)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.clauses)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        c = self.clause(index.row()) if index.isValid() else None
        if c is None:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            words = preview(c.wording) or tr("(no wording yet)")
            return f"{c.number}\u2003{words}"
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{c.number}  {bracketed(c.wording, c.alternatives)}"
        if role == Qt.ItemDataRole.FontRole and c.heading:
            font = QFont()
            font.setBold(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole and not c.wording.strip():
            return QBrush(QUIET)
        if role == ID_ROLE:
            return c.id
        if role == KEY_ROLE:
            return c.key
        if role == INDENT_ROLE:
            return not c.heading and "." in c.number
        return None


# --- a clause's bracketed alternatives -----------------------------------------------------

SLOT_COLUMN, PARTY_COLUMN, WORDING_COLUMN, SOURCE_COLUMN = range(4)
_HEADERS = ("Bracket", "Proposed by", "Wording", "From message")


@dataclass(frozen=True)
class AlternativeRow:
    slot: int
    party_id: int | None  # None: the mediator's own
    wording: str
    source_message_id: int | None = None

    def new(self) -> NewAlternative:
        return NewAlternative(self.slot, self.party_id, self.wording, self.source_message_id)


Labels = Callable[[str], dict[int, str]]  # kind -> {id: label}


class AlternativesModel(QAbstractTableModel):
    """A clause's alternatives, one row each: its bracket's number, who proposed it (a
    party, or the mediator), its wording and the message it came from. Editable unless the
    draft was circulated; ``edited`` fires on every change the user makes."""

    edited = Signal()

    def __init__(self, labels: Labels, parent: Any = None) -> None:
        super().__init__(parent)
        self.labels = labels
        self.rows: list[AlternativeRow] = []
        self.read_only = False

    def load(self, rows: Sequence[AlternativeRow], *, read_only: bool = False) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.read_only = read_only
        self.endResetModel()

    def clear(self) -> None:
        self.load([])

    def alternatives(self) -> list[NewAlternative]:
        """The rows as the service takes them, by bracket (the order within one kept)."""
        ordered = sorted(enumerate(self.rows), key=lambda p: (p[1].slot, p[0]))
        return [r.new() for _i, r in ordered]

    def add(self, row: AlternativeRow) -> int:
        at = len(self.rows)
        self.beginInsertRows(QModelIndex(), at, at)
        self.rows.append(row)
        self.endInsertRows()
        self.edited.emit()
        return at

    def remove(self, row: int) -> None:
        if 0 <= row < len(self.rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.rows[row]
            self.endRemoveRows()
            self.edited.emit()

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(_HEADERS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(_HEADERS)
        ):
            return tr(_HEADERS[section])
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        base = super().flags(index)
        if index.isValid() and not self.read_only:
            return base | Qt.ItemFlag.ItemIsEditable
        return base

    def _label(self, kind: str, value: int | None, none: str) -> str:
        if value is None:
            return none
        return self.labels(kind).get(value, tr("#{id}").format(id=value))

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r, col = self.rows[index.row()], index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if col == SLOT_COLUMN:
                return f"{{{r.slot}}}"
            if col == PARTY_COLUMN:
                return self._label("party", r.party_id, tr("Mediator"))
            if col == WORDING_COLUMN:
                return r.wording
            if col == SOURCE_COLUMN:
                return self._label("message", r.source_message_id, tr("—"))
        if role == Qt.ItemDataRole.EditRole:
            return (r.slot, r.party_id, r.wording, r.source_message_id)[col]
        if role == Qt.ItemDataRole.TextAlignmentRole and col == SLOT_COLUMN:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.read_only or not index.isValid():
            return False
        if not 0 <= index.row() < len(self.rows):
            return False
        r, col = self.rows[index.row()], index.column()
        if col == SLOT_COLUMN:
            new = replace(r, slot=max(1, int(value)))
        elif col == PARTY_COLUMN:
            new = replace(r, party_id=None if value is None else int(value))
        elif col == WORDING_COLUMN:
            new = replace(r, wording=str(value))
        elif col == SOURCE_COLUMN:
            new = replace(r, source_message_id=None if value is None else int(value))
        else:
            return False
        if new != r:
            self.rows[index.row()] = new
            self.dataChanged.emit(index, index, [role, Qt.ItemDataRole.DisplayRole])
            self.edited.emit()
        return True
