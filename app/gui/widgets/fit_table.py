"""A table whose columns fit its width: short columns (dates, levels, numbers) keep their
whole text, long text columns share what is left and are elided, the widest of them takes
any room to spare. Once the user drags a column's edge, the widths are theirs."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QAbstractItemModel, QEvent, Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QHeaderView, QTableView, QWidget

# A long text column is never cut below this (nor below its header), nor grown past CAP
# unless it is the one that takes the room to spare.
MIN_TEXT = 48
CAP = 280
CAP_SHORT = 200
MIN_SQUEEZED = 36
# The main text column (a title, a summary) keeps at least this much, so that a list's
# secondary text columns are cut before the one that names each row.
MIN_MAIN = 150


def share(naturals: Sequence[int], minimums: Sequence[int], available: int) -> list[int]:
    """Widths for elastic columns that want ``naturals`` and need ``minimums``, within
    ``available``: each gets its minimum, the rest goes in proportion to what is missing."""
    want = sum(naturals)
    if want <= available:
        return list(naturals)
    floor = sum(minimums)
    if available <= floor:
        return list(minimums)
    missing = want - floor
    room = available - floor
    widths = [m + (n - m) * room // missing for n, m in zip(naturals, minimums, strict=True)]
    return widths


class FitTableView(QTableView):
    """A QTableView that fits its columns to its width (see the module's text)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.elastic: list[bool] = []  # per column: its values may be elided
        self.main: list[bool] = []  # per column: long text, that may take the room to spare
        self.main_column: int | None = None  # the text that names a row (title, summary)
        self._fitting = False
        self._unfitted = False  # asked to fit while hidden: fit when shown
        # column -> (header width, content width), measured once per content: a resize of
        # the window (or the scroll bar appearing) shares the width again without asking
        # the model for every cell's text, font and icon once more.
        self._measured: dict[int, tuple[int, int]] = {}
        self.user_sized = False
        header = self.horizontalHeader()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.sectionResized.connect(self._section_resized)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)

    def setModel(self, model: QAbstractItemModel | None) -> None:
        super().setModel(model)
        self._measured.clear()
        if model is not None:
            model.modelReset.connect(self._content_changed)
            for signal in (
                model.rowsInserted,
                model.rowsRemoved,
                model.layoutChanged,
                model.dataChanged,
                model.headerDataChanged,
                model.columnsInserted,
                model.columnsRemoved,
            ):
                signal.connect(self._forget_measures)

    def _forget_measures(self, *_args: object) -> None:
        self._measured.clear()

    def _content_changed(self) -> None:
        self._measured.clear()
        self.fit_columns()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() in (QEvent.Type.FontChange, QEvent.Type.StyleChange):
            self._measured.clear()

    def set_column_kinds(self, kinds: Sequence[str], main_column: int | None = None) -> None:
        """The kind of each column's values (as app.core.services.lists names them): text
        and enum columns are elastic, the others (dates, numbers) keep their values'
        width; ``main_column`` (else the widest text column) takes the room to spare."""
        self.elastic = [k in ("text", "enum") for k in kinds]
        self.main = [k == "text" for k in kinds]
        self.main_column = main_column
        self.fit_columns()

    def _section_resized(self, _index: int, _old: int, _new: int) -> None:
        if not self._fitting and self.horizontalHeader().underMouse():
            self.user_sized = True  # the user dragged a column's edge

    def viewportEvent(self, event: QEvent) -> bool:
        # The viewport's width changes with the window and with the vertical scroll bar.
        handled = super().viewportEvent(event)
        if event.type() == QEvent.Type.Resize:
            self.fit_columns()
        return handled

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._unfitted:
            self.fit_columns()

    def fit_columns(self) -> None:
        model = self.model()
        if model is None or self.user_sized:
            return
        if not self.isVisible():
            # Measuring a hidden table's rows (a page not in view, a list being built) is
            # wasted: its width is not known yet and it may change again before it shows.
            self._unfitted = True
            return
        self._unfitted = False
        header = self.horizontalHeader()
        columns = [c for c in range(model.columnCount()) if not self.isColumnHidden(c)]
        if not columns:
            return
        self._fitting = True
        try:
            natural: dict[int, int] = {}
            floor: dict[int, int] = {}
            content: dict[int, int] = {}
            for c in columns:
                if c not in self._measured:
                    self._measured[c] = (
                        header.sectionSizeFromContents(c).width(),
                        self.sizeHintForColumn(c),
                    )
                head, content[c] = self._measured[c]
                natural[c] = max(head, content[c])
                floor[c] = max(head, MIN_TEXT) if self._is_elastic(c) else natural[c]
                if self._is_elastic(c) and not self._is_main(c):
                    natural[c] = min(natural[c], CAP_SHORT)
            width = self.viewport().width()
            fixed = [c for c in columns if not self._is_elastic(c)]
            elastic = [c for c in columns if self._is_elastic(c)]
            widths = {c: min(natural[c], CAP_SHORT) for c in fixed}
            if elastic:
                if self.main_column in elastic:
                    main = self.main_column
                else:
                    main = max(elastic, key=lambda c: (self._is_main(c), natural[c]))
                available = width - sum(widths.values())
                # The naming column keeps MIN_MAIN; to make room, the other free-text columns
                # give up their headers' width first (rightmost first; their tooltips and
                # the form beside still show them whole).
                deficit = min(natural[main], MIN_MAIN) - (
                    available - sum(floor[c] for c in elastic if c != main)
                )
                for c in reversed(elastic):
                    if deficit <= 0:
                        break
                    if c != main and self._is_main(c):  # text, not a level or a status
                        cut = min(deficit, floor[c] - MIN_TEXT)
                        if cut > 0:
                            floor[c] -= cut
                            deficit -= cut
                others = sum(floor[c] for c in elastic if c != main)
                floor[main] = max(floor[main], min(natural[main], MIN_MAIN, available - others))
                wants = [min(natural[c], CAP) for c in elastic]
                got = share(
                    wants,
                    [min(floor[c], w) for c, w in zip(elastic, wants, strict=True)],
                    available,
                )
                widths.update(zip(elastic, got, strict=True))
                # The widest text (a summary, a title) takes the room to spare.
                spare = width - sum(widths.values())
                if spare > 0:
                    widths[main] += spare
            else:
                spare = width - sum(widths.values())
                if spare > 0:
                    widths[columns[-1]] += spare
            # Still too wide: a short column whose header is wider than its values (a
            # number, a tick, a date seldom set) gives up its header's width, rightmost first.
            over = sum(widths.values()) - width
            for c in reversed(fixed):
                if over <= 0:
                    break
                cut = min(over, widths[c] - max(content[c], MIN_SQUEEZED))
                if cut > 0:
                    widths[c] -= cut
                    over -= cut
            for c, w in widths.items():
                if header.sectionSize(c) != w:
                    header.resizeSection(c, w)
        finally:
            self._fitting = False

    def _is_main(self, column: int) -> bool:
        return column < len(self.main) and self.main[column]

    def _is_elastic(self, column: int) -> bool:
        return column < len(self.elastic) and self.elastic[column]
