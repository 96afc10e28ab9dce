"""A case's timeline as a table: one row per event (app.core.services.timeline), paged as the
view scrolls (``set_pager``), each kind with its word and icon from app.gui.kinds and each
message with its disclosure level in its colour."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QIcon

from app.core.services.timeline import TimelineEvent
from app.gui.kinds import kind_of, word
from app.gui.labels import colour_for, enum_label, fmt_datetime
from app.gui.models.rows import Col, RowsModel
from app.gui.resources import icon

_Index = QModelIndex | QPersistentModelIndex


def _disclosure_colour(ev: TimelineEvent) -> str | None:
    colour = colour_for(ev.disclosure) if ev.disclosure else None
    return colour.name() if colour is not None else None


class TimelineModel(RowsModel[TimelineEvent]):
    """The events read so far, in the timeline's own order (never sorted here: the rows
    not read yet would belong in between)."""

    HEADERS = ("When", "Kind", "What", "Disclosure", "Details")
    WHEN, KIND, TITLE, DISCLOSURE, DETAIL = range(5)

    def __init__(self, parent: Any = None) -> None:
        columns: list[Col[TimelineEvent]] = [
            Col(self.HEADERS[0], lambda e: fmt_datetime(e.at)),
            Col(self.HEADERS[1], lambda e: word(e.kind)),
            Col(self.HEADERS[2], lambda e: e.title, tip=True),
            Col(
                self.HEADERS[3],
                lambda e: enum_label(e.disclosure) if e.disclosure else "",
                colour=_disclosure_colour,
            ),
            Col(self.HEADERS[4], lambda e: e.detail, tip=True),
        ]
        super().__init__(columns, parent)
        self._icons: dict[str, QIcon] = {}

    def record_id(self, row: TimelineEvent) -> int | None:
        return row.record_id

    @property
    def events(self) -> list[TimelineEvent]:
        """The events read so far."""
        return self.rows()

    def event_at(self, row: int) -> TimelineEvent | None:
        return self.row(row)

    def row_of_event(self, kind: str, record_id: int) -> int | None:
        """The row of that record's event among those read so far."""
        return next(
            (
                i
                for i in range(self.rowCount())
                if (ev := self.row(i)) is not None and ev.record_id == record_id and ev.kind == kind
            ),
            None,
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # The kind's icon beside its word (RowsModel's columns have no icon of their own).
        if role == Qt.ItemDataRole.DecorationRole:
            ev = self.row(index.row()) if index.isValid() else None
            if ev is None or index.column() != self.KIND:
                return None
            if ev.kind not in self._icons:
                self._icons[ev.kind] = icon(kind_of(ev.kind).icon)
            return self._icons[ev.kind]
        return super().data(index, role)
