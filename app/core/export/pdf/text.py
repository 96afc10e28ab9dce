"""Text for the whole world: font fallback, bidi, shaping and line breaking for PDF export.

ReportLab draws glyphs one by one in the order it is given; it neither reorders right-to-left
text nor (without help) joins Arabic letters, and a font without a glyph prints an empty box.
This module lays text out itself and hands ReportLab only positioned glyph strings:

1. **Runs.** Each character goes to a bundled font whose ``cmap`` has it (the span's own
   family first, then the fallback order of :data:`fonts.FAMILIES`); neutral characters
   (spaces, punctuation, digits) stay in the font of the text before them when it has them,
   so an Arabic phrase with its spaces and commas is one run. A character no bundled font
   has becomes U+FFFD (�) and is reported, never a silent box.
2. **Levels.** The Unicode bidi algorithm (python-bidi's rule-by-rule API:
   X1–X10, W1–W7, N1–N2, I1–I2) gives every character of a paragraph its embedding level;
   the paragraph direction comes from its first strong character (P2–P3).
3. **Shaping.** Runs in a script that needs it (Arabic), right-to-left runs, and runs with
   combining marks are shaped with HarfBuzz, one word piece at a time (joining never crosses
   a space). HarfBuzz returns glyphs in visual order with their advances and offsets.
4. **Lines.** Words are measured in logical order and broken greedily into lines (an
   over-long word is cut between characters); *then*, per line, rule L1 drops the trailing
   spaces and rule L2 reverses the pieces from the highest level down to the lowest odd one.
   Right-to-left paragraphs are aligned to the right.

The result extracts in logical order: every drawn glyph maps back (ToUnicode) to the
characters it stands for, and PDF readers reorder right-to-left text themselves.
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable

from app.core.export.pdf.fonts import REPLACEMENT, FontSet, fonts, is_mark

# Characters that make the bidi algorithm worth running (R, AL, AN and explicit controls).
_NEEDS_BIDI = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff"
    "\u200f\u202a-\u202e\u2066-\u2069]"
)
# python-bidi's rule-by-rule API predates isolates; treat them as the matching embeddings.
_ISOLATES = str.maketrans(
    {"\u2066": "\u202a", "\u2067": "\u202b", "\u2068": "\u202a", "\u2069": "\u202c"}
)
# Invisible formatting characters: they steer bidi and shaping but are never drawn.
_BIDI_CONTROLS = frozenset(
    "\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u061c"
)
_JOINERS = frozenset("\u200c\u200d\u034f")
_SPACE = " "
_WORDS = re.compile(" +|[^ ]+")
_HB_FEATURES = {"kern": True, "liga": True}
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
class _Token:
    pieces: list[Piece]
    width: float
    space: bool
    start: int
    end: int


@dataclass(slots=True)
class Line:
    pieces: list[Piece]  # visual order
    width: float
    height: float
    rtl: bool


@dataclass(slots=True)
class _Para:
    text: str
    span_of: list[int]
    families: list[str]
    levels: list[int]
    base: int
    spans: list[Span]
    style: TextStyle
    uniform: bool  # one span, one font, one level: every word is one piece
    controls: bool = True  # holds bidi controls (dropped from the pieces)
    tokens: list[_Token] = field(default_factory=list)
    marks: bool = True  # has combining marks or joiners (pieces with them are shaped)


class Typesetter:
    """Lays out text with the bundled fonts; one per export (it holds caches and the list
    of characters no bundled font has)."""

    def __init__(self, font_set: FontSet | None = None) -> None:
        self.fonts = font_set or fonts()
        self.missing: set[str] = set()
        self._shaped: OrderedDict[tuple[str, str, bool], tuple[float, tuple[Any, ...]]] = (
            OrderedDict()
        )
        self._sans = self.fonts.order[0]
        self._widths: dict[tuple[str, str], float] = {}  # (font, text) -> width at 1 pt
        self._colors: dict[str, Any] = {}
        self._sans_coverage = self.fonts.fonts[self.fonts.face(self._sans, False, False)].coverage
        self._substitutes = str.maketrans(
            {k: v for k, v in _SUBSTITUTES.items() if self.fonts.family_for(k) is None}
        )

    # --- paragraphs -------------------------------------------------------------------

    def paragraphs(self, content: Rich, style: TextStyle) -> list[_Para]:
        spans = spans_of(content)
        out: list[_Para] = []
        texts: list[str] = []
        owners: list[int] = []
        for index, span in enumerate(spans):
            text = span.text.replace("\r\n", "\n").replace("\r", "\n")
            if not text.isascii():
                text = text.translate(self._substitutes)
            parts = text.split("\n")
            for k, part in enumerate(parts):
                if k:
                    out.append(self._paragraph("".join(texts), owners, spans, style))
                    texts, owners = [], []
                texts.append(part)
                owners.extend([index] * len(part))
        out.append(self._paragraph("".join(texts), owners, spans, style))
        return out

    def _paragraph(
        self, text: str, owners: list[int], spans: list[Span], style: TextStyle
    ) -> _Para:
        text = _clean(text)
        if style.direction == "rtl":
            base = 1
        elif style.direction == "ltr":
            base = 0
        else:
            base = _base_level(text)
        levels = _levels(text, base)
        families, text, one_family = self._families(text)
        if not owners:
            owners = [0] * len(text)
        uniform = (
            one_family
            and (not levels or min(levels) == max(levels))
            and (not owners or owners[0] == owners[-1])
            and not _BIDI_CONTROLS.intersection(text)
        )
        para = _Para(text, owners, families, levels, base, spans, style, uniform)
        para.marks = not text.isascii() and any(_is_mark_or_joiner(c) for c in set(text))
        para.controls = not text.isascii() and bool(_BIDI_CONTROLS.intersection(text))
        if uniform and text:
            para.tokens = self._uniform_tokens(para)
        else:
            para.tokens = [
                self._token(para, m.start(), m.end(), m.group()[0] == _SPACE)
                for m in _WORDS.finditer(text)
            ]
        return para

    def _uniform_tokens(self, para: _Para) -> list[_Token]:
        """One font, one style, one level: one piece per word, widths from a cache."""
        span = para.spans[para.span_of[0]] if para.spans else Span("")
        level = para.levels[0] if para.levels else para.base
        family = para.families[0]
        style = para.style
        bold = style.bold if span.bold is None else span.bold
        italic = style.italic if span.italic is None else span.italic
        name = self.fonts.face(family, bold, italic)
        if para.marks or level % 2 or self.fonts.fonts[name].always_shaped:
            return [
                self._token(para, m.start(), m.end(), m.group()[0] == _SPACE)
                for m in _WORDS.finditer(para.text)
            ]
        color = span.color or style.color
        size = style.size
        tall = self.fonts.shaped[family]
        widths = self._widths
        tokens = []
        for m in _WORDS.finditer(para.text):
            word = m.group()
            key = (name, word)
            unit = widths.get(key)
            if unit is None:
                unit = widths[key] = stringWidth(word, name, 1.0)
                if len(widths) > 200_000:
                    widths.clear()
            width = unit * size
            piece = Piece(name, size, color, level, word, width, None, tall)
            tokens.append(_Token([piece], width, word[0] == _SPACE, m.start(), m.end()))
        return tokens

    def _families(self, text: str) -> tuple[list[str], str, bool]:
        """The font family of every character (and the text with U+FFFD for characters no
        bundled font has); True if it is one family throughout."""
        fs = self.fonts
        sans = self._sans
        if self._sans_coverage.issuperset(map(ord, text)):
            return [sans] * len(text), text, True
        families: list[str] = []
        chars = list(text)
        prev: str | None = None
        for i, ch in enumerate(chars):
            if ch in _BIDI_CONTROLS or ch in _JOINERS:
                families.append(prev or sans)
                continue
            if prev is not None and not _is_strong(ch) and fs.covers(prev, ch):
                fam = prev
            elif fs.covers(sans, ch):
                fam = sans
            else:
                found = fs.family_for(ch)
                if found is None:
                    self.missing.add(ch)
                    chars[i] = REPLACEMENT
                    found = sans
                fam = found
            families.append(fam)
            prev = fam
        return families, "".join(chars), len(set(families)) == 1

    def _token(self, para: _Para, start: int, end: int, space: bool) -> _Token:
        text, style = para.text, para.style
        if para.uniform:
            span = para.spans[para.span_of[start]] if para.spans else Span("")
            level = para.levels[start] if para.levels else para.base
            piece = self._piece(
                text[start:end], para.families[start], level, span, style, para.marks
            )
            return _Token([piece], piece.width, space, start, end)
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
                return _Token([piece], piece.width, space, start, end)
        i = start
        while i < end:
            key = (owners[i], fams[i], levels[i])
            j = i + 1
            while j < end and (owners[j], fams[j], levels[j]) == key:
                j += 1
            span = para.spans[key[0]]
            piece_text = "".join(c for c in text[i:j] if c not in _BIDI_CONTROLS)
            if piece_text:
                pieces.append(self._piece(piece_text, key[1], key[2], span, style, para.marks))
            i = j
        return _Token(pieces, sum(p.width for p in pieces), space, start, end)

    def _piece(
        self,
        text: str,
        family: str,
        level: int,
        span: Span,
        style: TextStyle,
        para_marks: bool = True,
    ) -> Piece:
        fs = self.fonts
        bold = style.bold if span.bold is None else span.bold
        italic = style.italic if span.italic is None else span.italic
        name = fs.face(family, bold, italic)
        font = fs.fonts[name]
        color = span.color or style.color
        size = style.size
        rtl = level % 2 == 1
        tall = fs.shaped[family]
        plain = not (
            font.always_shaped
            or rtl
            or (para_marks and any(is_mark(c) or c in _JOINERS for c in text))
        )
        if plain:
            key = (name, text)
            unit = self._widths.get(key)
            if unit is None:
                unit = self._widths[key] = stringWidth(text, name, 1.0)
            return Piece(name, size, color, level, text, unit * size, None, tall)
        width, chunks = self._shape(name, text, rtl)
        return Piece(name, size, color, level, text, width * size / 1000.0, chunks, tall)

    def _shape(self, name: str, text: str, rtl: bool) -> tuple[float, tuple[Any, ...]]:
        key = (name, text, rtl)
        hit = self._shaped.get(key)
        if hit is not None:
            self._shaped.move_to_end(key)
            return hit
        import uharfbuzz as hb

        font = self.fonts.fonts[name]
        buf = hb.Buffer()
        buf.add_str(text)
        buf.guess_segment_properties()
        buf.direction = "rtl" if rtl else "ltr"
        buf.cluster_level = hb.BufferClusterLevel.MONOTONE_CHARACTERS
        hb.shape(font.hb_font, buf, _HB_FEATURES)
        infos = buf.glyph_infos
        positions = buf.glyph_positions
        clusters = sorted({info.cluster for info in infos})
        ends = {
            c: (clusters[k + 1] if k + 1 < len(clusters) else len(text))
            for k, c in enumerate(clusters)
        }
        seen: set[int] = set()
        scale = 1000.0 / font.units_per_em
        pen = 0.0
        chunks: list[tuple[str, float, float]] = []
        run: list[str] = []
        run_x = 0.0
        for info, pos in zip(infos, positions, strict=True):
            cluster = info.cluster
            glyph_text = "" if cluster in seen else text[cluster : ends[cluster]]
            seen.add(cluster)
            extra = ""
            if rtl and len(glyph_text) > 1 and font.invisible_gid is not None:
                # A ligature in right-to-left text: text extractors reverse the letters of a
                # multi-letter glyph, so the glyph carries the first letter and invisible
                # zero-width glyphs just to its left carry the others, in reading order.
                glyph_text, extra = glyph_text[0], glyph_text[1:]
            for k, letter in enumerate(reversed(extra)):
                if run:
                    chunks.append(("".join(run), run_x, 0.0))
                    run = []
                invisible = font.code_for_glyph(font.invisible_gid or 0, letter)
                chunks.append((chr(invisible), pen - 0.01 * (len(extra) - k), 0.0))
            code = font.code_for_glyph(info.codepoint, glyph_text)
            advance = pos.x_advance * scale
            dx, dy = pos.x_offset * scale, pos.y_offset * scale
            simple = dx == 0 and dy == 0 and abs(advance - font.nominal_advance(code)) < 0.5
            if simple:
                if not run:
                    run_x = pen
                run.append(chr(code))
            else:
                if run:
                    chunks.append(("".join(run), run_x, 0.0))
                    run = []
                chunks.append((chr(code), pen + dx, dy))
            pen += advance
        if run:
            chunks.append(("".join(run), run_x, 0.0))
        result = (pen, tuple(chunks))
        self._shaped[key] = result
        if len(self._shaped) > 20_000:
            self._shaped.popitem(last=False)
        return result

    # --- lines ------------------------------------------------------------------------

    def lines(self, paras: Sequence[_Para], width: float) -> list[Line]:
        out: list[Line] = []
        for para in paras:
            out.extend(self._break(para, width))
        return out

    def _break(self, para: _Para, width: float) -> list[Line]:
        lines: list[list[_Token]] = []
        current: list[_Token] = []
        used = 0.0
        pending: list[_Token] = []
        pending_width = 0.0
        queue = list(para.tokens)
        k = 0
        while k < len(queue):
            tok = queue[k]
            k += 1
            if tok.space:
                if current:
                    pending.append(tok)
                    pending_width += tok.width
                continue
            if not current:
                if tok.width > width and tok.end - tok.start > 1:
                    parts = self._cut(para, tok, width)
                    queue[k:k] = parts[1:]
                    tok = parts[0]
                current, used = [tok], tok.width
            elif used + pending_width + tok.width <= width + 0.01:
                current.extend(pending)
                current.append(tok)
                used += pending_width + tok.width
            else:
                lines.append(current)
                k -= 1
                current, used = [], 0.0
            pending, pending_width = [], 0.0
        if current or not lines:
            lines.append(current)
        return [self._line(para, toks) for toks in lines]

    def _cut(self, para: _Para, tok: _Token, width: float) -> list[_Token]:
        """Cut an over-long word into pieces that each fit (at least one character each),
        between characters (never before a combining mark or joiner); the last piece is the
        rest, which fits too and may share its line with the words after it.

        Time is about linear in the word's length: each piece is found by probing lengths
        near the one the word's average character width suggests, so no probe measures much
        more than twice a line (the rest of the word is never measured as a whole)."""
        text = para.text
        end = tok.end
        per_char = tok.width / max(end - tok.start, 1)
        guess = max(1, int(width / per_char)) if per_char > 0 else end - tok.start

        def snap(i: int, low: int, high: int) -> int:
            """A place to cut in (low, high]: the nearest at or before i, else after it."""
            j = i
            while low < j < end and _is_mark_or_joiner(text[j]):
                j -= 1
            if j > low:
                return j
            j = i + 1
            while j < high and _is_mark_or_joiner(text[j]):
                j += 1
            return min(j, high)

        def fits(stop: int) -> _Token | None:
            piece = self._token(para, pos, stop, False)
            return piece if piece.width <= width + 0.01 else None

        pieces: list[_Token] = []
        pos = tok.start
        while pos < end:
            best: _Token | None = None  # the longest piece from pos known to fit, to lo
            lo, hi = pos, snap(min(pos + guess, end), pos, end)
            # Grow while it fits (doubling), then bisect between what fits and what does not.
            while (probe := fits(hi)) is not None:
                best, lo = probe, hi
                if hi >= end:
                    break
                hi = snap(min(pos + 2 * (hi - pos), end), lo, end)
            if best is None or best.end < end:
                while True:
                    mid = snap((lo + hi) // 2, lo, hi)
                    if mid >= hi:
                        break
                    if (probe := fits(mid)) is not None:
                        best, lo = probe, mid
                    else:
                        hi = mid
            if best is None:  # not even one character fits: take the first one anyway
                best = self._token(para, pos, snap(pos + 1, pos, end), False)
            pieces.append(best)
            pos = best.end
        return pieces or [tok]

    def _line(self, para: _Para, tokens: list[_Token]) -> Line:
        style = para.style
        pieces = [p for t in tokens for p in t.pieces]
        width = sum(t.width for t in tokens)
        if any(p.level for p in pieces):
            _reorder(pieces)
        pieces = _merge(pieces)
        tall = any(p.tall for p in pieces)
        height = style.line_height
        if tall and not style.leading:
            height = max(height, style.size * 1.6)
        return Line(pieces, width, height, para.base == 1)

    def layout(self, content: Rich, style: TextStyle, width: float) -> list[Line]:
        return self.lines(self.paragraphs(content, style), width)

    # --- drawing ----------------------------------------------------------------------

    def _color(self, value: str) -> Any:
        found = self._colors.get(value)
        if found is None:
            from reportlab.lib.colors import toColor

            found = self._colors[value] = toColor(value)
        return found

    def draw_lines(
        self, canv: Any, lines: Iterable[Line], x: float, top: float, width: float, style: TextStyle
    ) -> float:
        """Draw ``lines`` in the box starting at (x, top) going down; returns the height.
        The style's indent is taken on each line's start side."""
        indent = style.indent
        tx = canv.beginText()
        y = top
        font: tuple[str, float] | None = None
        color: str | None = None
        for line in lines:
            baseline = y - line.height + (line.height - style.size) / 2 + style.size * 0.22
            left = x if line.rtl else x + indent
            right = x + width - indent if line.rtl else x + width
            align = style.align
            if align == "center":
                start = (left + right - line.width) / 2
            elif align == "right" or (align in ("start", "end") and (align == "end") != line.rtl):
                start = right - line.width
            else:
                start = left
            pen = start
            for piece in line.pieces:
                if (piece.font, piece.size) != font:
                    font = (piece.font, piece.size)
                    tx.setFont(piece.font, piece.size)
                if piece.color != color:
                    color = piece.color
                    tx.setFillColor(self._color(piece.color))
                # _textOut: textOut less its cursor bookkeeping (a string width per call);
                # every string is placed with its own origin here anyway.
                if piece.chunks is None:
                    tx.setTextOrigin(pen, baseline)
                    tx._textOut(piece.text)
                else:
                    k = piece.size / 1000.0
                    for glyphs, gx, gy in piece.chunks:
                        tx.setTextOrigin(pen + gx * k, baseline + gy * k)
                        tx._textOut(glyphs)
                pen += piece.width
            y -= line.height
        canv.drawText(tx)
        return top - y

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
        content = clip_rich(content, _DRAWN_PER_LINE * max(max_lines, 1))
        lines = self.layout(content, style, width)[:max_lines]
        return self.draw_lines(canv, lines, x, y, width, style)

    def width(self, content: Rich, style: TextStyle) -> float:
        """The natural width of one line of ``content`` (its widest paragraph)."""
        lines = self.layout(content, style, 1e9)
        return max((ln.width for ln in lines), default=0.0)


# --- flowables --------------------------------------------------------------------------


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


def _base_level(text: str) -> int:
    """P2–P3: the direction of the first strong character (left-to-right if none)."""
    if not _NEEDS_BIDI.search(text):
        return 0
    for ch in text:
        kind = unicodedata.bidirectional(ch)
        if kind == "L":
            return 0
        if kind in ("R", "AL"):
            return 1
    return 0


def _levels(text: str, base: int) -> list[int]:
    """The resolved embedding level of every character (rules X1–I2 of UAX #9)."""
    if base == 0 and not _NEEDS_BIDI.search(text):
        return [0] * len(text)
    from bidi import algorithm as uba

    storage = uba.get_empty_storage()
    storage["base_level"] = base
    storage["base_dir"] = ("L", "R")[base]
    try:
        uba.get_embedding_levels(text.translate(_ISOLATES), storage)
        for index, ch in enumerate(storage["chars"]):
            ch["index"] = index
        uba.explicit_embed_and_overrides(storage)
        uba.resolve_weak_types(storage)
        uba.resolve_neutral_types(storage, False)
        uba.resolve_implicit_levels(storage, False)
    except (AssertionError, KeyError, IndexError):  # pragma: no cover - malformed controls
        return [1 if unicodedata.bidirectional(c) in ("R", "AL") else base for c in text]
    levels = [-1] * len(text)
    for ch in storage["chars"]:
        levels[ch["index"]] = ch["level"]
    last = base
    for i, level in enumerate(levels):  # characters removed by X9 take their neighbour's
        if level < 0:
            levels[i] = last
        else:
            last = level
    return levels


def _reorder(pieces: list[Piece]) -> None:
    """L2: from the highest level to the lowest odd one, reverse every run at that level or
    higher (in place; each piece has one level)."""
    levels = [p.level for p in pieces]
    odd = [lv for lv in levels if lv % 2]
    if not odd:
        return
    lowest_odd = min(odd)
    for level in range(max(levels), lowest_odd - 1, -1):
        i, n = 0, len(pieces)
        while i < n:
            if levels[i] >= level:
                j = i
                while j < n and levels[j] >= level:
                    j += 1
                pieces[i:j] = pieces[i:j][::-1]
                levels[i:j] = levels[i:j][::-1]
                i = j
            else:
                i += 1


def _merge(pieces: list[Piece]) -> list[Piece]:
    """Neighbouring unshaped pieces of one font, size and colour drawn as one string (the
    widths add up exactly: ReportLab does not kern)."""
    out: list[Piece] = []
    for p in pieces:
        last = out[-1] if out else None
        if (
            last is not None
            and last.chunks is None
            and p.chunks is None
            and last.font == p.font
            and last.size == p.size
            and last.color == p.color
        ):
            out[-1] = Piece(
                last.font,
                last.size,
                last.color,
                last.level,
                last.text + p.text,
                last.width + p.width,
                None,
                last.tall or p.tall,
            )
        else:
            out.append(p)
    return out


def _is_strong(ch: str) -> bool:
    return unicodedata.bidirectional(ch) in ("L", "R", "AL")


def _is_mark_or_joiner(ch: str) -> bool:
    return ch in _JOINERS or is_mark(ch)
