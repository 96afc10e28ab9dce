"""The text engine's intermediate forms: a paragraph (:class:`Para`) after font runs and
bidi levels, as tokens (words and runs of spaces) ready to be broken into lines."""

from __future__ import annotations

from dataclasses import dataclass

from app.core.export.pdf.spans import Piece, Span, TextStyle


@dataclass(slots=True)
class Token:
    pieces: list[Piece]
    width: float
    space: bool
    start: int
    end: int


# A placeholder in _run_words, replaced before anyone sees it.
NO_TOKEN = Token([], 0.0, False, 0, 0)


@dataclass(slots=True)
class Words:
    """The tokens of a paragraph in which every token is one piece, as parallel lists (no
    object per token): the usual paragraph."""

    pieces: list[Piece]
    widths: list[float]
    starts: list[int]
    ends: list[int]
    spaces: list[bool]
    # Every piece drawn alike (one font, size and colour, none shaped): a line is one piece.
    alike: bool = False


@dataclass(slots=True)
class Para:
    text: str
    span_of: list[int]
    families: list[str]
    levels: list[int]
    base: int
    spans: list[Span]
    style: TextStyle
    uniform: bool  # one span, one font, one level: every word is one piece
    controls: bool = True  # holds bidi controls (dropped from the pieces)
    tokens: list[Token] | None = None
    marks: bool = True  # has combining marks or joiners (pieces with them are shaped)
    words: Words | None = None  # instead of tokens, when every token is one piece
    flat: bool = True  # every level is 0: no reordering
