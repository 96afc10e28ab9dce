"""Headings (bookmarks, and lines of the table of contents) and the table of contents."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reportlab.platypus import Flowable

from app.core.export.pdf.fonts import font_name
from app.core.export.pdf.palette import INK
from app.core.export.pdf.text import Line, Rich, Text, TextStyle, Typesetter, clip_rich, plain_text


class Heading(Text):
    """A heading: a PDF bookmark (outline entry) and, with ``toc_level``, a line in the
    table of contents."""

    def __init__(
        self,
        ts: Typesetter,
        content: Rich,
        style: TextStyle,
        *,
        key: str,
        outline_level: int,
        toc_level: int | None = None,
    ) -> None:
        # Cut when absurdly long: a heading moves to the next page whole, so it must fit one.
        content = clip_rich(content)
        super().__init__(ts, content, style, keep_with_next=True)
        self.key = key
        self.outline_level = outline_level
        self.toc_level = toc_level
        self.title = plain_text(content)

    def draw(self) -> None:
        super().draw()
        canv = self.canv
        canv.bookmarkHorizontal(self.key, 0, self.height + 6)
        # An outline may not skip a level: clamp to one below the previous entry.
        level = min(self.outline_level, getattr(canv, "_liaison_outline", -1) + 1)
        canv._liaison_outline = level
        canv.addOutlineEntry(self.title[:120], self.key, level=level, closed=level > 0)

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        return []  # a heading moves to the next page whole


@dataclass(slots=True)
class TocEntry:
    level: int
    title: str
    page: int
    key: str


class Contents(Flowable):  # type: ignore[misc,unused-ignore]  # untyped base
    """The table of contents: headings with their pages, linked to them."""

    def __init__(self, ts: Typesetter, expected_entries: int) -> None:
        super().__init__()
        self.ts = ts
        self.entries: list[TocEntry] = []  # collected during this pass
        self.shown: list[TocEntry] = []  # drawn during this pass (from the previous one)
        self.expected = expected_entries
        self.style = TextStyle(size=9.5)
        self._rows: list[tuple[TocEntry | None, list[Line], float]] = []

    def begin_pass(self) -> None:
        self.shown, self.entries = self.entries, []

    def satisfied(self) -> bool:
        return [(e.title, e.page) for e in self.entries] == [(e.title, e.page) for e in self.shown]

    def _layout(self, width: float) -> list[tuple[TocEntry | None, list[Line], float]]:
        rows: list[tuple[TocEntry | None, list[Line], float]] = []
        entries: list[TocEntry | None] = list(self.shown)
        # First pass: reserve the lines the real entries will take.
        entries += [None] * max(self.expected - len(entries), 0)
        for entry in entries:
            indent = 14.0 * (entry.level if entry else 0)
            style = self.style.but(bold=bool(entry and entry.level == 0))
            title = entry.title if entry else " "
            lines = self.ts.layout(title, style, width - indent - 40)
            rows.append((entry, lines, indent))
        return rows

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._rows = self._layout(avail_width)
        self.width = avail_width
        self.height = sum(sum(ln.height for ln in lines) + 2 for _, lines, _ in self._rows)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        rows = self._layout(avail_width)
        return [_TocRow(self.ts, self.style, e, lines, indent) for e, lines, indent in rows]

    def draw(self) -> None:
        y = self.height
        for entry, lines, indent in self._rows:
            h = sum(ln.height for ln in lines) + 2
            _draw_toc_row(self.canv, self.ts, self.style, entry, lines, indent, y, self.width)
            y -= h


class _TocRow(Flowable):  # type: ignore[misc,unused-ignore]  # untyped base
    def __init__(
        self,
        ts: Typesetter,
        style: TextStyle,
        entry: TocEntry | None,
        lines: list[Line],
        indent: float,
    ) -> None:
        super().__init__()
        self.ts, self.style, self.entry, self.lines, self.indent = ts, style, entry, lines, indent

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        self.height = sum(ln.height for ln in self.lines) + 2
        return self.width, self.height

    def draw(self) -> None:
        _draw_toc_row(
            self.canv,
            self.ts,
            self.style,
            self.entry,
            self.lines,
            self.indent,
            self.height,
            self.width,
        )


def _draw_toc_row(
    canv: Any,
    ts: Typesetter,
    style: TextStyle,
    entry: TocEntry | None,
    lines: list[Line],
    indent: float,
    top: float,
    width: float,
) -> None:
    if entry is None:
        return
    st = style.but(bold=entry.level == 0)
    ts.draw_lines(
        canv, lines, indent, top, width - indent - 40, st.but(align="start", direction="ltr")
    )
    height = sum(ln.height for ln in lines)
    baseline = top - height + (lines[-1].height - st.size) / 2 + st.size * 0.22
    canv.setFont(font_name("Sans", bold=entry.level == 0), st.size)
    canv.setFillColor(INK)
    canv.drawRightString(width, baseline, str(entry.page))
    canv.linkRect("", entry.key, (indent, top - height, width, top), relative=1, thickness=0)
