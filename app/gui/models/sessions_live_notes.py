"""The live-notes list of a session: when, what kind, who spoke (person and party), what was
said. One row per note, oldest first, as the room heard them."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from app.core.services.sessions import LiveNote
from app.gui.labels import enum_label, fmt_datetime, tr

_Index = QModelIndex | QPersistentModelIndex
ID_ROLE = Qt.ItemDataRole.UserRole + 1

COLUMNS = ("When", "Kind", "Who", "Note")
WHEN, KIND, WHO, TEXT = range(4)


def speaker(note: LiveNote) -> str:
    """Who spoke, in words: "Dana Ost (North)", "North", or the room."""
    if note.person_name and note.party_name:
        return f"{note.person_name} ({note.party_name})"
    return note.person_name or note.party_name or tr("the room")


class LiveNotesModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._notes: list[LiveNote] = []

    def load(self, notes: list[LiveNote]) -> None:
        self.beginResetModel()
        self._notes = list(notes)
        self.endResetModel()

    def append(self, note: LiveNote) -> None:
        row = len(self._notes)
        self.beginInsertRows(QModelIndex(), row, row)
        self._notes.append(note)
        self.endInsertRows()

    def clear(self) -> None:
        """Forget every note (on lock)."""
        self.load([])

    def note(self, row: int) -> LiveNote | None:
        return self._notes[row] if 0 <= row < len(self._notes) else None

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._notes)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and 0 <= section < len(COLUMNS)
        ):
            return tr(COLUMNS[section])
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._notes):
            return None
        note, col = self._notes[index.row()], index.column()
        if role == ID_ROLE:
            return note.id
        if role == Qt.ItemDataRole.DisplayRole:
            if col == WHEN:
                return fmt_datetime(note.noted_at)
            if col == KIND:
                return enum_label(note.kind)
            if col == WHO:
                return speaker(note)
            if col == TEXT:
                return note.text
        if role == Qt.ItemDataRole.ToolTipRole and col == TEXT:
            return note.text[:1000]
        return None
