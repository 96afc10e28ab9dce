"""Qt models of the shuttle log's read-only lists: pending deliveries, a party's ledger, a
message's thread, and the sources a delivery may convey (two tick columns).

Each is a ``RowsModel``: a list of the core's frozen dataclasses and one ``Col`` per column
(how a row reads, its colour, its sort key). The rows come in the core's own order. Pending
deliveries, the ledger and the sources are paged (``set_pager``: the next page is read as
the view scrolls), so their views do not sort them (a sort over the rows read so far would
lie); a thread is whole, and its view may sort it on ``SORT_ROLE`` (dates as dates).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont

from app.core.models import Disclosure
from app.core.services.knowledge import LedgerEntry
from app.core.services.paging import Fetch, Page
from app.core.services.pending import DeliverySource, PendingItem, PendingKind
from app.core.services.shuttle import ThreadStep
from app.gui.labels import DISCLOSURE_COLOURS, enum_label, fmt_datetime, tr
from app.gui.models.rows import ID_ROLE, Col, R, RowsModel, _Index
from app.gui.widgets.dialog_parts import ERROR_RED

MESSAGE_ROLE = ID_ROLE  # the message id of a row


def _when(value: datetime | None) -> str:
    return value.isoformat() if value is not None else ""


def _level(d: Disclosure) -> str:
    return enum_label(d.value)


def _level_colour(d: Disclosure) -> str | None:
    return DISCLOSURE_COLOURS.get(d.value)


class MessageRowsModel(RowsModel[R]):
    """Rows about messages: ID_ROLE (MESSAGE_ROLE) is the row's message."""

    def record_id(self, row: R) -> int | None:
        return self.message_id(row)

    def message_id(self, row: R) -> int | None:
        return getattr(row, "message_id", None)

    def row_of_message(self, message_id: int) -> int | None:
        return self.row_of(message_id)


# --- pending deliveries -------------------------------------------------------------------


def _pending_for(p: PendingItem) -> str:
    if p.kind is PendingKind.REPLY_AWAITED:
        return tr("answer awaited from {p}").format(p=p.party_name)
    return p.party_name


def _pending_now(p: PendingItem) -> str:
    if p.kind is PendingKind.REPLY_AWAITED:
        return tr("told {when}").format(when=fmt_datetime(p.delivered_at))
    if p.deliverable:
        return tr("may be conveyed") if p.may_name_source else tr("may be conveyed, unnamed")
    return p.why_not


def _pending_colour(p: PendingItem) -> str | None:
    return ERROR_RED if p.kind is PendingKind.DELIVER and not p.deliverable else None


class PendingModel(MessageRowsModel[PendingItem]):
    """What is still to do: messages to pass on, then answers awaited (core's order)."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col("For", _pending_for, tip=True),
                Col("Said", lambda p: fmt_datetime(p.said_at), sort=lambda p: _when(p.said_at)),
                Col("From", lambda p: p.sender, tip=True),
                Col(
                    "Disclosure",
                    lambda p: _level(p.disclosure),
                    lambda p: _level_colour(p.disclosure),
                ),
                Col("Now", _pending_now, _pending_colour, tip=True),
                Col("Message", lambda p: p.summary, tip=True),
            ],
            parent,
        )

    def party_id(self, row: PendingItem) -> int | None:
        return row.party_id if row.kind is PendingKind.DELIVER else None


# --- a party's ledger ---------------------------------------------------------------------


class LedgerModel(MessageRowsModel[LedgerEntry]):
    """Everything one party has been told, in the order told."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col(
                    "Told",
                    lambda e: fmt_datetime(e.delivered_at),
                    sort=lambda e: _when(e.delivered_at),
                ),
                Col("Said", lambda e: fmt_datetime(e.said_at), sort=lambda e: _when(e.said_at)),
                Col("Source as conveyed", lambda e: e.source or tr("(not named)"), tip=True),
                Col(
                    "Disclosure",
                    lambda e: _level(e.disclosure),
                    lambda e: _level_colour(e.disclosure),
                ),
                Col("Release", lambda e: tr("released") if e.release_id else ""),
                Col("Message", lambda e: e.summary, tip=True),
            ],
            parent,
        )


# --- a message's thread -------------------------------------------------------------------


def _thread_message(step: ThreadStep) -> str:
    indent = "    " * max(0, step.depth - 1) + ("↳ " if step.depth else "")
    return indent + step.summary


def _conveyed(step: ThreadStep) -> str:
    return ", ".join(f"{d.party_name} {fmt_datetime(d.delivered_at)}" for d in step.deliveries)


class ThreadModel(MessageRowsModel[ThreadStep]):
    """A thread, root first then in the order said; replies indented under what they answer."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col("Said", lambda s: fmt_datetime(s.said_at), sort=lambda s: _when(s.said_at)),
                Col("From", lambda s: s.sender, tip=True),
                Col("To", lambda s: s.recipient, tip=True),
                Col(
                    "Disclosure",
                    lambda s: _level(s.disclosure),
                    lambda s: _level_colour(s.disclosure),
                ),
                Col("Conveyed to", _conveyed, tip=True),
                Col("Message", _thread_message, tip=True),
            ],
            parent,
        )


# --- the sources a delivery conveys -------------------------------------------------------


# A message the Deliver dialog offers as a source (the core's row: message id, when said,
# sender, level, summary, and ``pending``: meant for this party and not told yet).
Source = DeliverySource


CONVEY, NAME = 0, 1  # the two tick columns


def _checked(value: Any) -> bool:
    try:
        return Qt.CheckState(value) == Qt.CheckState.Checked
    except ValueError:
        return bool(value)


class SourcesModel(MessageRowsModel[Source]):
    """The Deliver dialog's sources: tick "Convey" to pass a message on, and "Name the
    source" to attribute it. Ticking "Name" ticks "Convey"; unticking "Convey" unticks
    "Name". ``ticked`` is emitted on every change."""

    ticked = Signal()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col("Convey", lambda s: ""),
                Col("Name the source", lambda s: ""),
                Col("Said", lambda s: fmt_datetime(s.said_at), sort=lambda s: _when(s.said_at)),
                Col("From", lambda s: s.sender, tip=True),
                Col(
                    "Disclosure",
                    lambda s: _level(s.disclosure),
                    lambda s: _level_colour(s.disclosure),
                ),
                Col("Message", lambda s: s.summary, tip=True),
            ],
            parent,
        )
        self._convey: set[int] = set()
        self._name: set[int] = set()

    def set_rows(self, rows: Sequence[Source]) -> None:
        self._convey.clear()
        self._name.clear()
        super().set_rows(rows)
        self.ticked.emit()

    def set_pager(self, first: Page[Source], fetch: Fetch[Source] | None) -> None:
        self._convey.clear()
        self._name.clear()
        super().set_pager(first, fetch)
        self.ticked.emit()

    def items(self) -> list[tuple[int, bool]]:
        """(message id, source named) of each ticked source, in the rows' order."""
        return [
            (s.message_id, s.message_id in self._name)
            for s in self._rows
            if s.message_id in self._convey
        ]

    def tick(self, message_id: int, convey: bool = True, name: bool = False) -> bool:
        """Tick a source by its message (reading on through the pages not read yet, as a
        person would scroll to it): False if it is not offered."""
        row = self.row_of_message(message_id)
        while row is None and self.canFetchMore():
            start = len(self._rows)
            self.fetchMore()
            found = (
                i for i in range(start, len(self._rows)) if self._rows[i].message_id == message_id
            )
            row = next(found, None)
        if row is None:
            return False
        state = Qt.CheckState.Checked if convey else Qt.CheckState.Unchecked
        self.setData(self.index(row, CONVEY), state.value, Qt.ItemDataRole.CheckStateRole)
        named = Qt.CheckState.Checked if name else Qt.CheckState.Unchecked
        self.setData(self.index(row, NAME), named.value, Qt.ItemDataRole.CheckStateRole)
        return True

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and index.column() in (CONVEY, NAME):
            flags |= Qt.ItemFlag.ItemIsUserCheckable
        return flags

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.CheckStateRole
            and index.isValid()
            and index.column() in (CONVEY, NAME)
            and (row := self.row(index.row())) is not None
        ):
            chosen = self._convey if index.column() == CONVEY else self._name
            on = row.message_id in chosen
            return (Qt.CheckState.Checked if on else Qt.CheckState.Unchecked).value
        if (
            role == Qt.ItemDataRole.FontRole
            and index.isValid()
            and index.column() == len(self.columns) - 1
            and (r := self.row(index.row())) is not None
            and r.pending
        ):
            font = QFont()
            font.setBold(True)
            return font  # a message meant for this party, not told yet
        return super().data(index, role)

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if (
            role != Qt.ItemDataRole.CheckStateRole
            or not index.isValid()
            or index.column() not in (CONVEY, NAME)
            or (row := self.row(index.row())) is None
        ):
            return False
        on = _checked(value)
        mid = row.message_id
        if index.column() == CONVEY:
            (self._convey.add if on else self._convey.discard)(mid)
            if not on:
                self._name.discard(mid)
        else:
            (self._name.add if on else self._name.discard)(mid)
            if on:
                self._convey.add(mid)
        self.dataChanged.emit(
            self.index(index.row(), CONVEY),
            self.index(index.row(), NAME),
            [Qt.ItemDataRole.CheckStateRole],
        )
        self.ticked.emit()
        return True
