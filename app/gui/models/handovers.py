"""The Handovers page's Qt table models: the case's handovers (newest first), the items of
one handover, the case's outside audiences, and the items of a handover being written (each
with the sentence that refuses it, if the rules refuse it)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QModelIndex

from app.core.services.handovers import (
    HandoverItemRow,
    HandoverRow,
    NewHandoverItem,
    OutsiderRow,
)
from app.gui.labels import enum_label, fmt_datetime, tr
from app.gui.models.rows import Col, RowsModel
from app.gui.widgets.dialog_parts import ERROR_RED

# What each kind of item is called.
ITEM_WORDS = {
    "option": "Option",
    "draft": "Circulated draft",
    "commitment": "Commitment",
    "finding": "Finding",
}


def item_word(kind: str) -> str:
    return tr(ITEM_WORDS.get(kind, kind))


def yes_no(value: bool) -> str:
    return tr("yes") if value else tr("no")


# --- the case's handovers ------------------------------------------------------------------

WHEN, TO, THROUGH, NAMED, WHAT = range(5)


def what_of(row: HandoverRow) -> str:
    """``2 items: Joint monitoring; Draft 2 of “Principles”``."""
    labels = "; ".join(i.label for i in row.items if i.label)
    count = len(row.items)
    head = tr("1 item") if count == 1 else tr("{n} items").format(n=count)
    return f"{head}: {labels}" if labels else head


class HandoversModel(RowsModel[HandoverRow]):
    """When, to whom (and their organisation), through whom, sources named, what."""

    def __init__(self, parent: Any = None) -> None:
        self._org: dict[int, str] = {}
        super().__init__(
            [
                Col("When", lambda h: fmt_datetime(h.handed_at), sort=lambda h: h.handed_at),
                Col("To", self.to_whom),
                Col("Through", lambda h: h.through_name),
                Col("Sources", lambda h: tr("named") if h.sources_named else tr("unnamed")),
                Col("What", what_of, tip_text=lambda h: "\n".join(i.label for i in h.items)),
            ],
            parent,
        )

    def to_whom(self, h: HandoverRow) -> str:
        org = self._org.get(h.outsider_id, "")
        return f"{h.outsider_name} ({org})" if org else h.outsider_name

    def set_handovers(self, rows: list[HandoverRow], outsiders: list[OutsiderRow]) -> None:
        self._org = {o.id: o.organisation for o in outsiders}
        self.set_rows(rows)

    def clear(self) -> None:
        self._org = {}
        super().clear()


# --- one handover's items ------------------------------------------------------------------

ITEM_KIND, ITEM_LABEL = range(2)


class HandoverItemsModel(RowsModel[HandoverItemRow]):
    """What one handover carried: each item's kind and what it is."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col("Kind", lambda i: item_word(i.kind)),
                Col("Item", lambda i: i.label, tip=True),
            ],
            parent,
        )

    def record_id(self, row: HandoverItemRow) -> int | None:
        return row.record_id  # the option, draft or commitment (None: a finding)


# --- the case's outside audiences ----------------------------------------------------------

NAME, KIND, ORGANISATION, GIVEN = range(4)


class OutsidersModel(RowsModel[OutsiderRow]):
    """Name, kind (official, institution, sponsor), organisation, how many handovers."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col("Name", lambda o: o.name, tip_text=lambda o: o.notes),
                Col("Kind", lambda o: enum_label(o.kind.value)),
                Col("Organisation", lambda o: o.organisation),
                Col("Handovers", lambda o: str(o.handovers), sort=lambda o: o.handovers),
            ],
            parent,
        )


# --- a handover being written --------------------------------------------------------------


@dataclass(frozen=True)
class DraftItem:
    """One item of a handover not saved yet: its kind, what it is called, what it carries,
    and the sentence that refuses it ("" while it may go)."""

    kind: str
    label: str
    item: NewHandoverItem
    refusal: str = ""


DRAFT_KIND, DRAFT_LABEL, DRAFT_VERDICT = range(3)


def _verdict_colour(d: DraftItem) -> str | None:
    return ERROR_RED if d.refusal else None


class DraftItemsModel(RowsModel[DraftItem]):
    """The items of the New handover dialog; a refused one says why, in red, beside it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(
            [
                Col("Kind", lambda d: item_word(d.kind)),
                Col("Item", lambda d: d.label, tip=True),
                Col(
                    "May it go?",
                    lambda d: d.refusal or tr("yes"),
                    _verdict_colour,
                    tip=True,
                ),
            ],
            parent,
        )

    def record_id(self, row: DraftItem) -> int | None:
        return None

    def add(self, item: DraftItem) -> bool:
        """Add an item (False if the same thing is there already)."""
        if any(d.item == item.item for d in self._rows):
            return False
        row = len(self._rows)
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.append(item)
        self.endInsertRows()
        return True

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self.beginRemoveRows(QModelIndex(), row, row)
            del self._rows[row]
            self.endRemoveRows()

    def set_refusals(self, refusals: dict[int, str]) -> None:
        """Each item's refusal (by its row), "" for the others."""
        changed = False
        for i, d in enumerate(self._rows):
            text = refusals.get(i, "")
            if d.refusal != text:
                self._rows[i] = DraftItem(d.kind, d.label, d.item, text)
                changed = True
        if changed and self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1)
            )

    def items(self) -> list[NewHandoverItem]:
        return [d.item for d in self._rows]

    def refused(self) -> int:
        return sum(bool(d.refusal) for d in self._rows)
