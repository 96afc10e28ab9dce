"""The paragraph flowable: text laid out by a typesetter (text.Typesetter), split between
lines across pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from reportlab.platypus import Flowable

from app.core.export.pdf.spans import Line, Rich, TextStyle


class Typesetter(Protocol):
    """What a paragraph needs of text.Typesetter (named here, so that this module does not
    import the one that imports it)."""

    def layout(self, content: Rich, style: TextStyle, width: float) -> list[Line]: ...

    def draw_lines(
        self, canv: Any, lines: Iterable[Line], x: float, top: float, width: float, style: TextStyle
    ) -> float: ...


class Text(Flowable):  # type: ignore[misc,unused-ignore]  # untyped base
    """A paragraph (or several, separated by newlines) laid out by a :class:`Typesetter`."""

    def __init__(
        self,
        ts: Typesetter,
        content: Rich,
        style: TextStyle,
        *,
        lines: list[Line] | None = None,
        keep_with_next: bool = False,
    ) -> None:
        super().__init__()
        self.ts = ts
        self.content = content
        self.style = style
        self.spaceBefore = style.space_before
        self.spaceAfter = style.space_after
        self.keepWithNext = keep_with_next
        self._fixed = lines
        self._lines: list[Line] = lines or []
        self._laid_width: float | None = None

    def _layout(self, avail_width: float) -> list[Line]:
        if self._fixed is not None:
            return self._fixed
        inner = max(avail_width - self.style.indent, 10.0)
        if self._laid_width != inner:
            self._lines = self.ts.layout(self.content, self.style, inner)
            self._laid_width = inner
        return self._lines

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        lines = self._layout(avail_width)
        self.width = avail_width
        self.height = sum(ln.height for ln in lines)
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        lines = self._layout(avail_width)
        used, k = 0.0, 0
        while k < len(lines) and used + lines[k].height <= avail_height + 0.01:
            used += lines[k].height
            k += 1
        if k == 0 or k >= len(lines):
            return []
        first = Text(self.ts, self.content, self.style.but(space_after=0), lines=lines[:k])
        rest = Text(self.ts, self.content, self.style.but(space_before=0), lines=lines[k:])
        first.width = rest.width = avail_width
        return [first, rest]

    def draw(self) -> None:
        self.ts.draw_lines(self.canv, self._lines, 0.0, self.height, self.width, self.style)
