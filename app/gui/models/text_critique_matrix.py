"""Clauses × parties of one circulated draft: each party's latest critique of each clause, in
words and a colour, like the options matrix. Column 0 is the clause (its number and first
words), then one column per party of the case. A party that was not given the draft has
"not given" in every cell, greyed: it cannot critique what it does not hold."""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtGui import QColor, QFont

from app.core.services.text_critiques import CritiqueInfo, CritiqueMatrix
from app.core.services.text_wording import bracketed
from app.core.services.texts import ClauseInfo
from app.gui.labels import DISCLOSURE_COLOURS, STANCE_COLOURS, enum_label, tr

_Index = QModelIndex | QPersistentModelIndex
CLAUSE_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PARTY_ID_ROLE = Qt.ItemDataRole.UserRole + 2
# The cell's state: a reaction ("accepts", ...), "" (no critique yet) or "not_given".
REACTION_ROLE = Qt.ItemDataRole.UserRole + 3
CLAUSE = 0
FIRST_PARTY = 1
NOT_GIVEN = "not_given"

# The options matrix's palette: accepts as "supports", rejects as "opposes", accepts with
# changes in the amber of "embargoed"; reserves (waiting, not refusing) a grey-blue of its own
# (app.gui.labels has none).
RESERVES_COLOUR = "#546e7a"
REACTION_COLOURS = {
    "accepts": STANCE_COLOURS["supports"],
    "accepts_with_changes": DISCLOSURE_COLOURS["embargoed"],
    "rejects": STANCE_COLOURS["opposes"],
    "reserves": RESERVES_COLOUR,
}
QUIET_COLOUR = "#8a8f94"  # "—" and "not given": there, but nothing to read
FIRST_WORDS = 90  # characters of a clause's wording the first column shows


def day_label(value: date | datetime) -> str:
    """``12 Mar 2026`` in the user's language, a datetime on its local day; kept in order
    inside right-to-left text (a Unicode LTR isolate)."""
    if isinstance(value, datetime):
        value = value.astimezone()  # stored in UTC, shown on the user's own day
    text = QLocale().toString(QDate(value.year, value.month, value.day), "d MMM yyyy")
    return f"\u2066{text}\u2069"


def first_words(text: str, limit: int = FIRST_WORDS) -> str:
    """The start of ``text``, cut at a word and marked with "…" when longer than ``limit``."""
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] or text[:limit]
    return cut.rstrip(",;:.") + "…"


def clause_wording(clause: ClauseInfo) -> str:
    """The clause as the parties read it (and as drafts are compared): its brackets printed
    with the party that proposed each."""
    return bracketed(clause.wording, clause.alternatives)


def cell_texts() -> list[str]:
    """Everything a party's cell can say (the views size the party columns by it)."""
    return [enum_label(r) for r in REACTION_COLOURS] + ["—", tr("not given")]


class CritiqueMatrixModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._clauses: tuple[ClauseInfo, ...] = ()
        self._labels: list[str] = []  # the first column's text, per clause
        self._wordings: list[str] = []
        self._parties: tuple[tuple[int, str], ...] = ()
        self._given: frozenset[int] = frozenset()
        self._cells: dict[tuple[int, int], CritiqueInfo] = {}
        self._draft_number = 0

    def load(self, matrix: CritiqueMatrix) -> None:
        self.beginResetModel()
        self._clauses = matrix.clauses
        self._wordings = [clause_wording(c) for c in matrix.clauses]
        # The words in a first-strong isolate: they read in their own direction whatever the
        # layout's (an English clause in a right-to-left interface keeps its full stop last).
        self._labels = [
            f"{c.number}  \u2068{first_words(w)}\u2069"
            for c, w in zip(matrix.clauses, self._wordings, strict=True)
        ]
        self._parties = matrix.parties
        self._given = frozenset(r.party_id for r in matrix.draft.recipients)
        self._cells = dict(matrix.cells)
        self._draft_number = matrix.draft.number
        self.endResetModel()

    def clear(self) -> None:
        """Forget every clause, party name and critique (on lock)."""
        self.beginResetModel()
        self._clauses, self._labels, self._wordings = (), [], []
        self._parties, self._given, self._cells = (), frozenset(), {}
        self._draft_number = 0
        self.endResetModel()

    def clause_id(self, row: int) -> int | None:
        return self._clauses[row].id if 0 <= row < len(self._clauses) else None

    def party_id(self, column: int) -> int | None:
        i = column - FIRST_PARTY
        return self._parties[i][0] if 0 <= i < len(self._parties) else None

    def party_column(self, party_id: int) -> int | None:
        ids = [pid for pid, _name in self._parties]
        return ids.index(party_id) + FIRST_PARTY if party_id in ids else None

    def row_of(self, clause_id: int) -> int | None:
        return next((i for i, c in enumerate(self._clauses) if c.id == clause_id), None)

    def given(self, party_id: int) -> bool:
        """Whether the party was given this draft (so may critique it)."""
        return party_id in self._given

    def clause_label(self, row: int) -> str:
        return self._labels[row]

    def is_heading(self, row: int) -> bool:
        return self._clauses[row].heading

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._clauses)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else FIRST_PARTY + len(self._parties)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if section == CLAUSE:
            return tr("Clause") if role == Qt.ItemDataRole.DisplayRole else None
        party_id, name = self._parties[section - FIRST_PARTY]
        if role == Qt.ItemDataRole.DisplayRole:
            return name
        if role == Qt.ItemDataRole.ToolTipRole:
            if party_id in self._given:
                return tr("{party} was given draft {number}.").format(
                    party=name, number=self._draft_number
                )
            return tr("{party} was not given draft {number}.").format(
                party=name, number=self._draft_number
            )
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row, col = index.row(), index.column()
        if not (0 <= row < len(self._clauses) and 0 <= col < self.columnCount()):
            return None
        clause = self._clauses[row]
        if role == CLAUSE_ID_ROLE:
            return clause.id
        if col == CLAUSE:
            return self._clause_data(row, role)
        party_id, party_name = self._parties[col - FIRST_PARTY]
        if role == PARTY_ID_ROLE:
            return party_id
        given = party_id in self._given
        critique = self._cells.get((clause.id, party_id)) if given else None
        if role == REACTION_ROLE:
            return NOT_GIVEN if not given else (str(critique.reaction) if critique else "")
        if role == Qt.ItemDataRole.DisplayRole:
            if not given:
                return tr("not given")
            return enum_label(str(critique.reaction)) if critique else "—"
        if role == Qt.ItemDataRole.ForegroundRole:
            code = REACTION_COLOURS.get(str(critique.reaction)) if critique else QUIET_COLOUR
            return QColor(code or QUIET_COLOUR)
        if role == Qt.ItemDataRole.FontRole and (critique is not None or not given):
            font = QFont()
            font.setBold(critique is not None)
            font.setItalic(not given)
            return font
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(party_name, given, critique)
        return None

    def _clause_data(self, row: int, role: int) -> Any:
        clause = self._clauses[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._labels[row]
        if role == Qt.ItemDataRole.ToolTipRole:  # rich text, so that a long clause wraps
            return f"<p><b>{escape(clause.number)}</b>&nbsp; {escape(self._wordings[row])}</p>"
        if role == Qt.ItemDataRole.FontRole and clause.heading:
            font = QFont()
            font.setBold(True)
            return font
        return None

    def _tooltip(self, party: str, given: bool, critique: CritiqueInfo | None) -> str:
        """Rich text (it wraps): who said what, when, the wording it proposes, the note."""
        if not given:
            text = tr("{party} was not given draft {number}, so has no critique of it.")
            return text.format(party=party, number=self._draft_number)
        if critique is None:
            return tr("No critique from {party} yet. Double-click to record one.").format(
                party=party
            )
        head = tr("{party} {reaction} ({day})").format(
            party=f"<b>{escape(party)}</b>",
            reaction=escape(enum_label(str(critique.reaction))),
            day=day_label(critique.recorded_on),
        )
        lines = [head]
        if critique.proposed_wording:
            lines.append(
                tr("Proposed wording: “{text}”").format(text=escape(critique.proposed_wording))
            )
        if critique.note:
            lines.append(tr("Note: {text}").format(text=escape(critique.note)))
        return "<p>" + "<br>".join(lines) + "</p>"
