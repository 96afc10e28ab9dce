"""The vocabulary of the text engine: styled text (:class:`Span`, :data:`Rich`), paragraph
styles (:class:`TextStyle`), and laid-out lines (:class:`Line` of :class:`Piece`) ready to
draw; and cutting over-long titles (:func:`clip`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any


@dataclass(frozen=True, slots=True)
class Span:
    """A stretch of text with its own weight, slant or colour."""

    text: str
    bold: bool | None = None
    italic: bool | None = None
    color: str | None = None


Rich = str | Span | Sequence[Span]


@dataclass(frozen=True, slots=True)
class TextStyle:
    size: float = 9.5
    leading: float = 0.0  # 0: 1.38 × size (1.6 × size on lines with Arabic)
    bold: bool = False
    italic: bool = False
    color: str = "#1f2328"
    # start | end (start: left, or right for right-to-left lines) | left | right | center
    align: str = "start"
    space_before: float = 0.0
    space_after: float = 0.0
    indent: float = 0.0  # on the start side
    direction: str = "auto"  # auto | ltr | rtl

    def but(self, **changes: Any) -> TextStyle:
        return replace(self, **changes)

    @property
    def line_height(self) -> float:
        return self.leading or self.size * 1.38


def spans_of(content: Rich) -> list[Span]:
    if isinstance(content, str):
        return [Span(content)]
    if isinstance(content, Span):
        return [content]
    return list(content)


def plain_text(content: Rich) -> str:
    return "".join(s.text for s in spans_of(content))


# A title, heading, table-of-contents line or page header longer than this is cut (with an
# ellipsis): far more than any title the app lets one type, yet layout stays quick whatever
# a vault holds (a 1 MB title imported from elsewhere would otherwise fill every header).
TITLE_LIMIT = 500
# Characters laid out per line of a text drawn in a fixed number of lines (draw_text).
_DRAWN_PER_LINE = 500


def clip(value: str, limit: int = TITLE_LIMIT) -> str:
    """``value`` cut to at most ``limit`` characters, ending in "…" when it was cut."""
    if len(value) <= limit:
        return value
    return value[: max(limit - 1, 0)] + "…"


def clip_rich(content: Rich, limit: int = TITLE_LIMIT) -> Rich:
    """Like :func:`clip` for styled text: the spans are kept up to ``limit`` characters."""
    if isinstance(content, str):
        return clip(content, limit)
    spans = spans_of(content)
    if sum(len(s.text) for s in spans) <= limit:
        return content
    out: list[Span] = []
    room = max(limit - 1, 0)
    for span in spans:
        if room <= 0:
            break
        out.append(replace(span, text=span.text[:room]))
        room -= len(out[-1].text)
    last = out[-1] if out else Span("")
    out[-1:] = [replace(last, text=last.text + "…")]
    return out


# --- laid-out pieces --------------------------------------------------------------------


@dataclass(slots=True)
class Piece:
    """Text of one font, style and bidi level within one word, ready to draw.

    ``chunks`` is None for a left-to-right piece drawn as it is; otherwise the shaped glyphs
    in visual order as (string of glyph codes, x, y) in thousandths of the font size.
    """

    font: str
    size: float
    color: str
    level: int
    text: str
    width: float
    chunks: tuple[tuple[str, float, float], ...] | None = None
    tall: bool = False  # drawn with a font with tall ascenders (Arabic)


@dataclass(slots=True)
class Line:
    pieces: list[Piece]  # visual order
    width: float
    height: float
    rtl: bool
