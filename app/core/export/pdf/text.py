"""Text for the whole world: font fallback, bidi, shaping and line breaking for PDF export.

ReportLab draws glyphs one by one in the order it is given; it neither reorders right-to-left
text nor (without help) joins Arabic letters, and a font without a glyph prints an empty box.
This module lays text out itself and hands ReportLab only positioned glyph strings:

1. **Runs.** Each character goes to a bundled font whose ``cmap`` has it (the span's own
   family first, then the fallback order of :data:`fonts.FAMILIES`); neutral characters
   (spaces, punctuation, digits) stay in the font of the text before them when it has them,
   so an Arabic phrase with its spaces and commas is one run. A character no bundled font
   has becomes U+FFFD (�) and is reported, never a silent box.
2. **Levels.** The Unicode bidi algorithm (:mod:`levels`) gives every character of a
   paragraph its embedding level; the paragraph direction comes from its first strong
   character (P2–P3).
3. **Shaping.** Runs in a script that needs it (Arabic), right-to-left runs, and runs with
   combining marks are shaped with HarfBuzz (:mod:`shaping`), one word piece at a time
   (joining never crosses a space). HarfBuzz returns glyphs in visual order with their
   advances and offsets.
4. **Lines.** Words are measured in logical order and broken greedily into lines (an
   over-long word is cut between characters); *then*, per line, rule L1 drops the trailing
   spaces and rule L2 reverses the pieces from the highest level down to the lowest odd one.
   Right-to-left paragraphs are aligned to the right.

The result extracts in logical order: every drawn glyph maps back (ToUnicode) to the
characters it stands for, and PDF readers reorder right-to-left text themselves.

Long logs repeat words: the font of each word (given the font before it), the width of each
(font, word) and the shaped glyphs of each piece are computed once per export; a word that
lies in one run (one span, font and level) becomes its piece with a dictionary look-up.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, pairwise
from typing import Any, cast

from reportlab.pdfbase.pdfmetrics import stringWidth

from app.core.export.pdf.breaking import JOINERS, LineBreaker, is_mark_or_joiner
from app.core.export.pdf.drawing import Painter
from app.core.export.pdf.flowable import Text
from app.core.export.pdf.fonts import REPLACEMENT, FontSet, fonts
from app.core.export.pdf.levels import BIDI_CONTROLS, base_level, is_strong, levels
from app.core.export.pdf.shaping import Shaper
from app.core.export.pdf.spans import (
    TITLE_LIMIT,
    Line,
    Piece,
    Rich,
    Span,
    TextStyle,
    clip,
    clip_rich,
    plain_text,
    spans_of,
)
from app.core.export.pdf.tokens import NO_TOKEN, Para, Token, Words

_SPACE = " "
_WORDS = re.compile(" +|[^ ]+")
# Entries kept in the per-export caches of word widths and word fonts, and of the pieces of
# each face (cleared beyond): enough for the vocabulary of a long log, bounded memory.
_CACHED = 50_000
_FACE_PIECES = 10_000
# Common symbols no bundled font has, and what to print instead (used only while no bundled
# font covers them); anything else a font lacks becomes U+FFFD and is reported.
_SUBSTITUTES = {
    "→": "->",
    "←": "<-",
    "↔": "<->",
    "⇒": "=>",
    "⇐": "<=",
    "⇔": "<=>",
    "↑": "^",
    "↓": "v",
    "✓": "+",
    "✔": "+",
    "✗": "x",
    "✘": "x",
    "≈": "~",
    "≠": "!=",
    "≤": "<=",
    "≥": ">=",
    "●": "•",
    "■": "•",
    "▪": "•",
    "○": "o",
    "◦": "o",
    "□": "[ ]",
    "★": "*",
    "☆": "*",
}
# Characters laid out per line of a text drawn in a fixed number of lines (draw_text).
_DRAWN_PER_LINE = 500


@dataclass(slots=True, eq=False)
class _Face:
    """How the words of one run (span, family, level) are drawn, and the pieces of the words
    drawn so far (a word's piece is the same wherever it is)."""

    name: str
    size: float
    color: str
    level: int
    tall: bool
    shaped: bool  # always shaped: a script that needs it, or right-to-left
    rtl: bool
    pieces: dict[str, Piece] = field(default_factory=dict)


# (families of the word's characters, where they change inside the word, the word as
# printed, the family after it, the characters no bundled font has)
_WordFonts = tuple[tuple[str, ...], tuple[int, ...], str, str | None, tuple[str, ...]]


class Typesetter(LineBreaker):
    """Lays out text with the bundled fonts; one per export (it holds caches and the list
    of characters no bundled font has)."""

    def __init__(self, font_set: FontSet | None = None) -> None:
        self.fonts = font_set or fonts()
        self.missing: set[str] = set()
        self._shaper = Shaper(self.fonts)
        self._painter = Painter()
        self._sans = self.fonts.order[0]
        self._widths: dict[tuple[str, str], float] = {}  # (font, text) -> width at 1 pt
        # (family before, word) -> _WordFonts
        self._word_fonts: dict[tuple[str | None, str], _WordFonts] = {}
        self._faces: dict[tuple[Any, ...], _Face] = {}
        self._unmarked: set[str] = set()  # characters that are neither marks nor joiners
        self._sans_coverage = self.fonts.fonts[self.fonts.face(self._sans, False, False)].coverage
        self._substitutes = str.maketrans(
            {k: v for k, v in _SUBSTITUTES.items() if self.fonts.family_for(k) is None}
        )

    def forget(self) -> None:
        """Drop what was remembered of words and pieces (the document is laid out: the
        memory goes to writing the file). Laying out again remembers anew."""
        self._widths.clear()
        self._word_fonts.clear()
        self._faces.clear()
        self._shaper.forget()
        self._painter.forget()

    # --- paragraphs -------------------------------------------------------------------

    def paragraphs(self, content: Rich, style: TextStyle) -> list[Para]:
        spans = spans_of(content)
        out: list[Para] = []
        texts: list[str] = []
        owners: list[int] = []
        cuts: list[int] = []  # where the span changes
        for index, span in enumerate(spans):
            text = span.text.replace("\r\n", "\n").replace("\r", "\n")
            if not text.isascii():
                text = text.translate(self._substitutes)
            parts = text.split("\n")
            for k, part in enumerate(parts):
                if k:
                    out.append(self._paragraph("".join(texts), owners, cuts, spans, style))
                    texts, owners, cuts = [], [], []
                texts.append(part)
                if part and owners and owners[-1] != index:
                    cuts.append(len(owners))
                owners.extend([index] * len(part))
        out.append(self._paragraph("".join(texts), owners, cuts, spans, style))
        return out

    def _paragraph(
        self,
        text: str,
        owners: list[int],
        owner_cuts: list[int],
        spans: list[Span],
        style: TextStyle,
    ) -> Para:
        raw = len(text)
        text = _clean(text)
        if len(text) != raw:  # control characters dropped: where the spans change, anew
            owner_cuts = _changes(owners)
        if style.direction == "rtl":
            base = 1
        elif style.direction == "ltr":
            base = 0
        else:
            base = base_level(text)
        lv = levels(text, base)
        low, high = (min(lv), max(lv)) if lv else (0, 0)
        families, text, family_cuts = self._families(text)
        if not owners:
            owners = [0] * len(text)
        ascii_text = text.isascii()
        controls = not ascii_text and bool(BIDI_CONTROLS.intersection(text))
        uniform = (
            not family_cuts
            and low == high
            and (not owners or owners[0] == owners[-1])
            and not controls
        )
        para = Para(text, owners, families, lv, base, spans, style, uniform)
        para.marks = not ascii_text and self._has_marks(text)
        para.controls = controls
        para.flat = high == 0
        if uniform and text:
            para.words = self._uniform_words(para)
        elif controls:
            para.tokens = [
                self._token(para, m.start(), m.end(), m.group()[0] == _SPACE)
                for m in _WORDS.finditer(text)
            ]
        else:
            self._run_words(para, family_cuts, owner_cuts, low != high)
        return para

    def _has_marks(self, text: str) -> bool:
        """Whether ``text`` has a combining mark or a joiner (characters found to be neither
        are remembered)."""
        unknown = set(text).difference(self._unmarked)
        if any(is_mark_or_joiner(c) for c in unknown):
            return True
        self._unmarked.update(unknown)
        return False

    def _face(self, span: Span, style: TextStyle, family: str, level: int) -> _Face:
        key = (
            span.bold,
            span.italic,
            span.color,
            style.bold,
            style.italic,
            style.color,
            style.size,
            family,
            level,
        )
        face = self._faces.get(key)
        if face is None:
            fs = self.fonts
            bold = style.bold if span.bold is None else span.bold
            italic = style.italic if span.italic is None else span.italic
            name = fs.face(family, bold, italic)
            rtl = level % 2 == 1
            face = _Face(
                name,
                style.size,
                span.color or style.color,
                level,
                fs.shaped[family],
                fs.fonts[name].always_shaped or rtl,
                rtl,
            )
            self._faces[key] = face
        return face

    def _word(self, face: _Face, word: str, marks: bool) -> Piece:
        """One word (or part of one) drawn in one face."""
        piece = face.pieces.get(word)
        if piece is not None:
            return piece
        if not face.shaped and not (marks and any(is_mark_or_joiner(c) for c in word)):
            key = (face.name, word)
            unit = self._widths.get(key)
            if unit is None:
                unit = stringWidth(word, face.name, 1.0)
                if len(self._widths) > _CACHED:
                    self._widths.clear()
                self._widths[key] = unit
            width = unit * face.size
            piece = Piece(
                face.name, face.size, face.color, face.level, word, width, None, face.tall
            )
        else:
            width, chunks = self._shaper.shape(face.name, word, face.rtl)
            piece = Piece(
                face.name,
                face.size,
                face.color,
                face.level,
                word,
                width * face.size / 1000.0,
                chunks,
                face.tall,
            )
        if len(face.pieces) > _FACE_PIECES:
            face.pieces.clear()
        face.pieces[word] = piece
        return piece

    def _uniform_words(self, para: Para) -> Words:
        """One font, one style, one level: one piece per word."""
        span = para.spans[para.span_of[0]] if para.spans else Span("")
        level = para.levels[0] if para.levels else para.base
        face = self._face(span, para.style, para.families[0], level)
        marks = para.marks
        known = face.pieces
        word = self._word
        texts = _WORDS.findall(para.text)
        pieces = [known.get(w) or word(face, w, marks) for w in texts]
        ends = list(accumulate(map(len, texts)))
        return Words(
            pieces,
            [p.width for p in pieces],
            [0, *ends[:-1]],
            ends,
            [w[0] == _SPACE for w in texts],
            alike=not any(p.chunks for p in pieces),
        )

    def _run_words(
        self, para: Para, family_cuts: list[int], owner_cuts: list[int], mixed_levels: bool
    ) -> None:
        """Tokens of a paragraph of several runs (spans, fonts or levels), no bidi controls:
        a word inside one run is one piece; one across runs, one piece per part (then the
        paragraph gets tokens instead of words). Words are handled run by run, in order."""
        owners, fams, lv = para.span_of, para.families, para.levels
        cuts = set(family_cuts)
        cuts.update(owner_cuts)
        if mixed_levels:
            cuts.update(_changes(lv))
        cuts.discard(0)
        bounds = sorted(cuts)
        spans, style, marks = para.spans, para.style, para.marks
        texts = _WORDS.findall(para.text)
        ends = list(accumulate(map(len, texts)))
        starts = [0, *ends[:-1]]
        # Words a run changes inside: those containing a cut that is not their start.
        across: dict[int, Token] = {}
        for c in bounds:
            k = bisect_right(starts, c) - 1
            if 0 <= k < len(texts) and starts[k] < c < ends[k]:
                across[k] = NO_TOKEN
        pieces: list[Piece | None] = [None] * len(texts)
        faces: dict[tuple[int, str, int], _Face] = {}
        word = self._word
        run_starts = [0, *bounds]
        for r, b in enumerate(run_starts):
            k0 = bisect_left(starts, b)
            k1 = bisect_left(starts, run_starts[r + 1]) if r + 1 < len(run_starts) else len(texts)
            if k0 >= k1:
                continue
            key = (owners[b], fams[b], lv[b])
            face = faces.get(key)
            if face is None:
                face = faces[key] = self._face(spans[key[0]], style, key[1], key[2])
            known = face.pieces
            if not across:
                pieces[k0:k1] = [known.get(w) or word(face, w, marks) for w in texts[k0:k1]]
                continue
            for k in range(k0, k1):
                w = texts[k]
                if k in across:
                    across[k] = self._token(para, starts[k], ends[k], w[0] == _SPACE)
                else:
                    pieces[k] = known.get(w) or word(face, w, marks)
        spaces = [w[0] == _SPACE for w in texts]
        if not across:
            whole = cast(list[Piece], pieces)
            para.words = Words(whole, [p.width for p in whole], starts, ends, spaces)
            return
        rows = zip(pieces, spaces, starts, ends, strict=True)
        para.tokens = [
            across[k] if p is None else Token([p], p.width, space, start, end)
            for k, (p, space, start, end) in enumerate(rows)
        ]

    def _families(self, text: str) -> tuple[list[str], str, list[int]]:
        """The font family of every character, the text with U+FFFD for characters no
        bundled font has, and where the family changes (empty: one family throughout)."""
        sans = self._sans
        if self._sans_coverage.issuperset(map(ord, text)):
            return [sans] * len(text), text, []
        # Word by word: a word's fonts depend only on the word and the family before it.
        cache = self._word_fonts
        families: list[str] = []
        out: list[str] = []
        cuts: list[int] = []
        prev: str | None = None
        last: str | None = None  # the family of the character before
        pos = 0
        for word in _WORDS.findall(text):
            key = (prev, word)
            hit = cache.get(key)
            if hit is None:
                hit = self._word_families(word, prev)
                if len(cache) > _CACHED:
                    cache.clear()
                cache[key] = hit
            fams, inner, printed, prev, missing = hit
            if missing:
                self.missing.update(missing)
            if last is not None and fams[0] != last:
                cuts.append(pos)
            if inner:
                cuts.extend(pos + i for i in inner)
            families.extend(fams)
            out.append(printed)
            last = fams[-1]
            pos += len(word)
        return families, "".join(out), cuts

    def _word_families(self, word: str, prev: str | None) -> _WordFonts:
        fs = self.fonts
        sans = self._sans
        families: list[str] = []
        chars = list(word)
        missing: list[str] = []
        for i, ch in enumerate(chars):
            if ch in BIDI_CONTROLS or ch in JOINERS:
                families.append(prev or sans)
                continue
            if prev is not None and not is_strong(ch) and fs.covers(prev, ch):
                fam = prev
            elif fs.covers(sans, ch):
                fam = sans
            else:
                found = fs.family_for(ch)
                if found is None:
                    missing.append(ch)
                    chars[i] = REPLACEMENT
                    found = sans
                fam = found
            families.append(fam)
            prev = fam
        inner = tuple(i for i in range(1, len(families)) if families[i] != families[i - 1])
        return tuple(families), inner, "".join(chars), prev, tuple(missing)

    def _token(self, para: Para, start: int, end: int, space: bool) -> Token:
        text, style = para.text, para.style
        if para.uniform:
            span = para.spans[para.span_of[start]] if para.spans else Span("")
            level = para.levels[start] if para.levels else para.base
            piece = self._piece(
                text[start:end], para.families[start], level, span, style, para.marks
            )
            return Token([piece], piece.width, space, start, end)
        pieces: list[Piece] = []
        owners, fams, levels = para.span_of, para.families, para.levels
        if not para.controls and owners[start] == owners[end - 1]:
            # Most words of a mixed paragraph lie in one run (one span, font and level):
            # one piece, found by C-speed slice counts instead of a walk per character.
            fam, level = fams[start], levels[start]
            n = end - start
            if fams[start:end].count(fam) == n and levels[start:end].count(level) == n:
                span = para.spans[owners[start]]
                piece = self._piece(text[start:end], fam, level, span, style, para.marks)
                return Token([piece], piece.width, space, start, end)
        i = start
        while i < end:
            key = (owners[i], fams[i], levels[i])
            j = i + 1
            while j < end and (owners[j], fams[j], levels[j]) == key:
                j += 1
            span = para.spans[key[0]]
            piece_text = "".join(c for c in text[i:j] if c not in BIDI_CONTROLS)
            if piece_text:
                pieces.append(self._piece(piece_text, key[1], key[2], span, style, para.marks))
            i = j
        return Token(pieces, sum(p.width for p in pieces), space, start, end)

    def _piece(
        self,
        text: str,
        family: str,
        level: int,
        span: Span,
        style: TextStyle,
        para_marks: bool = True,
    ) -> Piece:
        return self._word(self._face(span, style, family, level), text, para_marks)

    def layout(self, content: Rich, style: TextStyle, width: float) -> list[Line]:
        return self.lines(self.paragraphs(content, style), width)

    # --- drawing ----------------------------------------------------------------------

    def draw_lines(
        self, canv: Any, lines: Iterable[Line], x: float, top: float, width: float, style: TextStyle
    ) -> float:
        """Draw ``lines`` in the box starting at (x, top) going down; returns the height.
        The style's indent is taken on each line's start side."""
        return self._painter.draw_lines(canv, lines, x, top, width, style)

    def draw_text(
        self,
        canv: Any,
        content: Rich,
        x: float,
        y: float,
        width: float,
        style: TextStyle,
        *,
        max_lines: int = 1,
    ) -> float:
        """Draw text in a box whose top-left corner is (x, y); at most ``max_lines``.
        Only as much of ``content`` is laid out as those lines can show."""
        return self.draw_lines(canv, self.box(content, style, width, max_lines), x, y, width, style)

    def box(self, content: Rich, style: TextStyle, width: float, max_lines: int = 1) -> list[Line]:
        """The lines :meth:`draw_text` draws (to draw them again, on every page)."""
        content = clip_rich(content, _DRAWN_PER_LINE * max(max_lines, 1))
        return self.layout(content, style, width)[:max_lines]

    def width(self, content: Rich, style: TextStyle) -> float:
        """The natural width of one line of ``content`` (its widest paragraph)."""
        lines = self.layout(content, style, 1e9)
        return max((ln.width for ln in lines), default=0.0)


# --- helpers ----------------------------------------------------------------------------


def _clean(text: str) -> str:
    """Tabs become spaces; other control characters are dropped."""
    if text.isprintable():
        return text
    out = []
    for ch in text:
        if ch == "\t":
            out.append(_SPACE)
        elif unicodedata.category(ch) == "Cc":
            continue
        else:
            out.append(ch)
    return "".join(out)


def _changes(values: Sequence[Any]) -> list[int]:
    """The indexes where ``values`` differs from the value before."""
    return [i for i, (a, b) in enumerate(pairwise(values), 1) if a != b]


__all__ = [
    "TITLE_LIMIT",
    "Line",
    "Piece",
    "Rich",
    "Span",
    "Text",
    "TextStyle",
    "Typesetter",
    "clip",
    "clip_rich",
    "plain_text",
    "spans_of",
]
