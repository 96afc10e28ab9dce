"""One line of facts a record's detail pane shows above its form, for the kinds that have
one: a party's record of keeping its word, ``Commitments: kept 7 of 9 on time (1 kept late,
1 broken)``, read from the commitments register as the mediator sees it (no audience view).

``line_for(ctx, kind)`` gives the pane its line (None for a kind without one); the line
reads again when a commitment or an outcome changes."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QStyle, QWidget

from app.core.errors import LiaisonError
from app.core.services.commitments import record_of, register
from app.gui.context import AppContext
from app.gui.labels import tr
from app.gui.models.commitment_register import record_words


def party_record(ctx: AppContext, party_id: int) -> str:
    """``Commitments: kept 7 of 9 on time (1 kept late, 1 broken)`` for a party."""
    party = ctx.records.get("party", party_id)
    rows = register(ctx.vault, int(party["case_id"]), party_id=party_id)
    record = record_of(rows, party_id, str(party["name"]))
    if not record.made:
        return tr("Commitments: none recorded")
    return tr("Commitments: {record}").format(record=record_words(record))


# kind -> (what the line says of a record, the kinds whose change makes it read again)
LINES: dict[str, tuple[Callable[[AppContext, int], str], frozenset[str]]] = {
    "party": (party_record, frozenset({"commitment", "commitment_event"})),
}


class RecordLine(QLabel):
    """The line of one kind's detail pane; empty while no record is shown."""

    def __init__(
        self,
        ctx: AppContext,
        kind: str,
        words: Callable[[AppContext, int], str],
        watches: frozenset[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName(f"{kind}_record_line")
        self.setWordWrap(True)
        # In line with the form's fields below it (the form's layout keeps the style's margin).
        margin = self.style().pixelMetric(QStyle.PixelMetric.PM_LayoutLeftMargin)
        self.setContentsMargins(margin, 0, margin, 0)
        self.setTextFormat(Qt.TextFormat.PlainText)
        self.ctx = ctx
        self.words = words
        self.watches = watches
        self.record_id: int | None = None
        ctx.record_changed.connect(self._on_record_changed)
        self.setVisible(False)

    def show_for(self, record_id: int | None) -> None:
        self.record_id = record_id
        text = ""
        if record_id is not None and self.ctx.vault.is_unlocked:
            try:
                text = self.words(self.ctx, record_id)
            except LiaisonError:
                text = ""
        self.setText(text)
        self.setVisible(bool(text))

    def _on_record_changed(self, kind: str, _record_id: int) -> None:
        if kind in self.watches and self.record_id is not None:
            self.show_for(self.record_id)

    def clear(self) -> None:
        self.record_id = None
        super().clear()
        self.setVisible(False)


def line_for(ctx: AppContext, kind: str) -> RecordLine | None:
    found = LINES.get(kind)
    return RecordLine(ctx, kind, *found) if found is not None else None
