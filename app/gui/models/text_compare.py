"""Two drafts of a text compared, one row per clause in the newer draft's order (a removed
clause right after the clause it followed): its number(s), what happened to it (added,
removed, moved, changed, moved and changed) and its wording with the word-level changes as
rich text: deletions struck through in red, insertions underlined in green.

The rich text is built here, escaped (a clause's wording is the user's text, never markup),
and painted by :class:`app.gui.sections.text_compare.RichTextDelegate`."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor, QFont

from app.core.services.text_diff import ClauseDiff, DraftDiff
from app.gui.labels import DISCLOSURE_COLOURS, STANCE_COLOURS, tr

_Index = QModelIndex | QPersistentModelIndex
HTML_ROLE = Qt.ItemDataRole.UserRole + 1  # the wording column's rich text
MARKER_ROLE = Qt.ItemDataRole.UserRole + 2  # a key of MARKERS: "added", "removed", ...
KEY_ROLE = Qt.ItemDataRole.UserRole + 3  # the clause's key (its identity across drafts)
NUMBER, CHANGE, WORDING = 0, 1, 2

MARKERS = {
    "added": "Added",
    "removed": "Removed",
    "moved": "Moved",
    "changed": "Changed",
    "moved_changed": "Moved and changed",
    "unchanged": "",  # (the marker column stays blank: nothing to read there)
}
MOVED_COLOUR = "#6a4c93"  # a violet of its own: a move is neither good nor bad news
MARKER_COLOURS = {
    "added": STANCE_COLOURS["supports"],
    "removed": STANCE_COLOURS["opposes"],
    "moved": MOVED_COLOUR,
    "changed": DISCLOSURE_COLOURS["embargoed"],
    "moved_changed": DISCLOSURE_COLOURS["embargoed"],
}


@dataclass(frozen=True)
class DiffColours:
    """How deletions and insertions read: a text colour and a soft background each."""

    deleted: str = STANCE_COLOURS["opposes"]
    deleted_back: str = "#fdecea"
    inserted: str = STANCE_COLOURS["supports"]
    inserted_back: str = "#e6f4ea"


LIGHT = DiffColours()
DARK = DiffColours("#f28b82", "#4a2523", "#81c995", "#1f3a26")


def marker(entry: ClauseDiff) -> str:
    """What happened to the clause, as a key of MARKERS."""
    if entry.added:
        return "added"
    if entry.removed:
        return "removed"
    if entry.moved and entry.changed:
        return "moved_changed"
    if entry.moved:
        return "moved"
    return "changed" if entry.changed else "unchanged"


GAP = "\u2009"  # a thin space between a deletion and the insertion that replaces it


def _ltr(text: str) -> str:
    # Numbers and the arrow keep their order inside right-to-left text (an LTR isolate).
    return f"\u2066{text}\u2069"


def number_text(entry: ClauseDiff) -> str:
    """``2.1``; ``3 → 2.4`` for a moved clause; a removed clause's number in the old draft."""
    old, new = entry.old_number or "", entry.new_number or ""
    if entry.removed:
        return _ltr(old)
    if entry.moved and old and old != new:
        return _ltr(f"{old} → {new}")
    return _ltr(new)


def _span(text: str, tag: str, colour: str, back: str) -> str:
    return f'<{tag} style="color:{colour}; background-color:{back}">{_escaped(text)}</{tag}>'


def _escaped(text: str) -> str:
    return escape(text).replace("\n", "<br>")


def diff_html(entry: ClauseDiff, colours: DiffColours = LIGHT) -> str:
    """The clause's wording as rich text: a changed one word by word (``<s>`` deleted,
    ``<u>`` inserted), an added one all inserted, a removed one all deleted; a heading bold."""
    c = colours
    if entry.removed and entry.old is not None:
        body = _span(entry.old.text, "s", c.deleted, c.deleted_back)
    elif entry.added and entry.new is not None:
        body = _span(entry.new.text, "u", c.inserted, c.inserted_back)
    elif entry.words:
        parts = []
        previous = ""
        for w in entry.words:
            if w.op == "delete":
                parts.append(_span(w.text, "s", c.deleted, c.deleted_back))
            elif w.op == "insert":
                if previous.endswith("</s>") and not w.text[:1].isspace():
                    parts.append(GAP)  # "thirty|forty-five" would read as one word
                parts.append(_span(w.text, "u", c.inserted, c.inserted_back))
            else:
                parts.append(_escaped(w.text))
            previous = parts[-1]
        body = "".join(parts)
    else:
        body = _escaped(entry.new.text if entry.new is not None else "")
    return f"<b>{body}</b>" if _is_heading(entry) else body


def _is_heading(entry: ClauseDiff) -> bool:
    snap = entry.new if entry.new is not None else entry.old
    return snap is not None and snap.kind == "heading"


def plain_text(entry: ClauseDiff) -> str:
    snap = entry.new if entry.new is not None else entry.old
    return snap.text if snap is not None else ""


def summary(diff: DraftDiff) -> str:
    """``3 added · 1 removed · 2 moved · 5 changed · 12 unchanged``."""
    unchanged = sum(1 for e in diff.entries if e.unchanged)
    return tr("{added} added · {removed} removed · {moved} moved · {changed} changed").format(
        added=diff.added, removed=diff.removed, moved=diff.moved, changed=diff.changed
    ) + tr(" · {unchanged} unchanged").format(unchanged=unchanged)


class CompareModel(QAbstractTableModel):
    def __init__(self, parent: Any = None, colours: DiffColours = LIGHT) -> None:
        super().__init__(parent)
        self.colours = colours
        self._all: tuple[ClauseDiff, ...] = ()
        self._rows: list[ClauseDiff] = []
        self._html: list[str] = []
        self._show_unchanged = False
        self._names = ("", "")  # "draft 2", "draft 3": for the tooltips

    def load(self, diff: DraftDiff, old_name: str = "", new_name: str = "") -> None:
        self._all = diff.entries
        self._names = (old_name, new_name)
        self._refill()

    def set_show_unchanged(self, show: bool) -> None:
        if show != self._show_unchanged:
            self._show_unchanged = show
            self._refill()

    @property
    def show_unchanged(self) -> bool:
        return self._show_unchanged

    def clear(self) -> None:
        """Forget every clause's wording (on lock)."""
        self._all = ()
        self._names = ("", "")
        self._refill()

    def _refill(self) -> None:
        self.beginResetModel()
        self._rows = [e for e in self._all if self._show_unchanged or not e.unchanged]
        self._html = [diff_html(e, self.colours) for e in self._rows]
        self.endResetModel()

    def entry(self, row: int) -> ClauseDiff | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def html(self, row: int) -> str:
        return self._html[row]

    @property
    def hidden(self) -> int:
        """How many unchanged clauses are not shown."""
        return len(self._all) - len(self._rows)

    # -- Qt model API ---------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 3

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole:
            return None
        return {NUMBER: tr("Clause"), CHANGE: tr("Change"), WORDING: tr("Wording")}.get(section)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row, col = index.row(), index.column()
        if not 0 <= col < 3:
            return None
        entry = self._rows[row]
        kind = marker(entry)
        if role == KEY_ROLE:
            return entry.key
        if role == MARKER_ROLE:
            return kind
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        if col == NUMBER:
            if role == Qt.ItemDataRole.DisplayRole:
                return number_text(entry)
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._number_tip(entry)
            if role == Qt.ItemDataRole.FontRole and (entry.removed or _is_heading(entry)):
                font = QFont()
                font.setStrikeOut(entry.removed)  # the number it had: it has none now
                font.setBold(_is_heading(entry))  # as its wording
                return font
            return None
        if col == CHANGE:
            if role == Qt.ItemDataRole.DisplayRole:
                return tr(MARKERS[kind])
            if role == Qt.ItemDataRole.ForegroundRole and kind in MARKER_COLOURS:
                return QColor(MARKER_COLOURS[kind])
            if role == Qt.ItemDataRole.FontRole and kind in MARKER_COLOURS:
                font = QFont()
                font.setBold(True)
                return font
            if role == Qt.ItemDataRole.ToolTipRole:
                return self._change_tip(entry)
            return None
        if role == HTML_ROLE:
            return self._html[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return plain_text(entry)  # (the delegate paints HTML_ROLE instead)
        return None

    def _number_tip(self, entry: ClauseDiff) -> str:
        old_name, new_name = self._names
        if entry.added:
            return tr("New in {draft}").format(draft=new_name)
        if entry.removed:
            return tr("Clause {number} of {draft}; not in {other}").format(
                number=entry.old_number, draft=old_name, other=new_name
            )
        return tr("Clause {old} of {a}; clause {new} of {b}").format(
            old=entry.old_number, a=old_name, new=entry.new_number, b=new_name
        )

    def _change_tip(self, entry: ClauseDiff) -> str | None:
        if entry.old is not None and entry.new is not None and entry.old.kind != entry.new.kind:
            return tr("Now a heading") if entry.new.kind == "heading" else tr("Now a paragraph")
        if entry.moved:
            return tr("Its place among the other clauses changed")
        return None
