"""The live-notes list of a session: when, what kind, who spoke (person and party), what was
said. One row per note, oldest first, as the room heard them; paged (a long workshop holds
hundreds of notes), the notes just taken added at the end."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QModelIndex

from app.core.services.paging import Fetch, Page
from app.core.services.sessions import LiveNote
from app.gui.labels import enum_label, fmt_datetime, tr
from app.gui.models.rows import Col, RowsModel

WHEN, KIND, WHO, TEXT = range(4)


def speaker(note: LiveNote) -> str:
    """Who spoke, in words: "Dana Ost (North)", "North", or the room."""
    if note.person_name and note.party_name:
        return f"{note.person_name} ({note.party_name})"
    return note.person_name or note.party_name or tr("the room")


class LiveNotesModel(RowsModel[LiveNote]):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col("When", lambda n: fmt_datetime(n.noted_at)),
                Col("Kind", lambda n: enum_label(n.kind)),
                Col("Who", speaker),
                Col("Note", lambda n: n.text, tip=True),
            ],
            parent,
        )

    def load(self, notes: list[LiveNote]) -> None:
        self.set_rows(notes)

    def append(self, note: LiveNote) -> None:
        row = self.rowCount()
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(note)
        self.endInsertRows()

    def append_page(self, page: Page[LiveNote], fetch: Fetch[LiveNote] | None) -> None:
        """The notes that follow the last one held (those just taken): added at the end,
        and ``fetch`` reads any that follow them."""
        if page.rows:
            start = self.rowCount()
            self.beginInsertRows(QModelIndex(), start, start + len(page.rows) - 1)
            self._rows.extend(page.rows)
            self.endInsertRows()
        self._pager.start(Page([], page.after), fetch)  # what follows them, if anything

    def last_key(self) -> tuple[datetime, int] | None:
        """The (noted_at, id) of the last note held: the notes after it are not read yet."""
        last = self.row(self.rowCount() - 1)
        return (last.noted_at, last.id) if last is not None else None

    def note(self, row: int) -> LiveNote | None:
        return self.row(row)
