"""The who-knows-what matrix as a Qt model: one row per message (in the order said), the
message's summary first (a view keeps that column frozen), its date and level, then one
column per party saying what that party knows of it (app.core.services.knowledge.Knowledge).

Paged like a ``RowsModel`` (app/gui/models/rows.py): ``set_pager`` shows the first page and
Qt asks for the next ones (``canFetchMore``/``fetchMore``) as the view scrolls to the end of
what it holds; ``clear`` forgets them (on lock)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from app.core.services.knowledge import Knowledge, KnowledgeMatrix, MatrixRow
from app.core.services.paging import Fetch, Page
from app.core.services.shuttle_facts import PartyRef
from app.gui.labels import DISCLOSURE_COLOURS, enum_label, fmt_datetime, tr
from app.gui.models.paged import Pager
from app.gui.models.rows import PARTY_ROLE, SORT_ROLE
from app.gui.models.shuttle_rows import MESSAGE_ROLE

_Index = QModelIndex | QPersistentModelIndex
FIXED = ("Message", "Said", "Disclosure")  # the columns before the parties'

KNOWLEDGE_COLOURS = {
    Knowledge.SENDER: "#e0e0e0",
    Knowledge.TOLD_ATTRIBUTED: "#c8e6c9",
    Knowledge.TOLD_UNATTRIBUTED: "#bbdefb",
    Knowledge.MEANT_FOR: "#ffe0b2",
    Knowledge.WITHHELD: "#ffcdd2",
}
INK = "#202124"  # on the light cell colours, in light and dark themes alike


class KnowledgeMatrixModel(QAbstractTableModel):
    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._parties: tuple[PartyRef, ...] = ()
        self._rows: list[MatrixRow] = []
        self._pager: Pager[MatrixRow] = Pager()  # the rows still to read

    def set_matrix(self, matrix: KnowledgeMatrix | None) -> None:
        """Show a whole matrix (not paged)."""
        self.set_pager(
            matrix.parties if matrix is not None else (),
            Page(list(matrix.rows) if matrix is not None else []),
            None,
        )

    def set_pager(
        self,
        parties: Sequence[PartyRef],
        first: Page[MatrixRow],
        fetch: Fetch[MatrixRow] | None,
    ) -> None:
        """Show ``parties`` as columns and ``first`` (the first page, its cells in the order
        of ``parties``); ``fetch(after, limit)`` reads the pages that follow as the view
        scrolls. ``fetch`` must answer an empty page once the vault is locked."""
        self.beginResetModel()
        self._parties = tuple(parties)
        self._rows = self._pager.start(first, fetch)
        self.endResetModel()

    def clear(self) -> None:
        """Forget the parties (the headers name them), the rows and the pages (on lock)."""
        self.set_matrix(None)

    @property
    def more(self) -> bool:
        """Whether pages remain to be read."""
        return self._pager.more

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._pager.more

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        # Each page's cells are for the parties shown: the fetch passes them.
        if not parent.isValid():
            self._pager.read_next(self, self._rows)

    def fetch_all(self) -> None:
        while self.canFetchMore():
            self.fetchMore()

    @property
    def parties(self) -> tuple[PartyRef, ...]:
        return self._parties

    def message_id(self, row: int) -> int | None:
        return self._rows[row].message_id if 0 <= row < len(self._rows) else None

    def row_of_message(self, message_id: int) -> int | None:
        return next((i for i, r in enumerate(self._rows) if r.message_id == message_id), None)

    def cell(self, row: int, party_id: int) -> Knowledge:
        j = next((j for j, p in enumerate(self._parties) if p.id == party_id), None)
        if j is None or not 0 <= row < len(self._rows):
            return Knowledge.NONE
        return self._rows[row].cells[j]

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(FIXED) + len(self._parties)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.columnCount():
            return None
        if section < len(FIXED):
            return tr(FIXED[section]) if role == Qt.ItemDataRole.DisplayRole else None
        party = self._parties[section - len(FIXED)]
        if role == Qt.ItemDataRole.DisplayRole:
            return party.name
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{party.name} ({enum_label(party.kind.value)})"
        if role == PARTY_ROLE:
            return party.id
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        col = index.column()
        if not 0 <= col < self.columnCount():
            return None
        row = self._rows[index.row()]
        if role == MESSAGE_ROLE:
            return row.message_id
        if col == 0:
            if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
                return row.summary
            if role == Qt.ItemDataRole.ToolTipRole:
                return row.summary[:1000] or None
            return None
        if col == 1:
            if role == Qt.ItemDataRole.DisplayRole:
                return fmt_datetime(row.said_at)
            if role == SORT_ROLE:
                return row.said_at.isoformat()
            return None
        if col == 2:
            if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
                return enum_label(row.disclosure.value)
            if role == Qt.ItemDataRole.ForegroundRole:
                colour = DISCLOSURE_COLOURS.get(row.disclosure.value)
                return QBrush(QColor(colour)) if colour else None
            return None
        cell = row.cells[col - len(FIXED)]
        if role in (Qt.ItemDataRole.DisplayRole, SORT_ROLE):
            return tr(cell.value)
        if role == PARTY_ROLE:
            return self._parties[col - len(FIXED)].id
        if role == Qt.ItemDataRole.BackgroundRole and cell in KNOWLEDGE_COLOURS:
            return QBrush(QColor(KNOWLEDGE_COLOURS[cell]))
        if role == Qt.ItemDataRole.ForegroundRole and cell in KNOWLEDGE_COLOURS:
            return QBrush(QColor(INK))
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        return None
