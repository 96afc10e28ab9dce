"""Drawing laid-out lines on a ReportLab canvas.

Every piece is placed at its own origin (the text engine has measured everything), so a
piece's PDF operators depend only on its font and its text. ReportLab's text object would
split each string into the font's 256-glyph subsets and escape it anew on every page, and
format the fill colour anew for every piece; :class:`Painter` does each once per document
and writes the operators ReportLab writes (``setFont``, ``setFillColor``, ``setTextOrigin``
and ``_textOut`` of a TrueType font), so a page's content is byte for byte the same.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from reportlab.lib.colors import toColor
from reportlab.lib.rl_accel import fp_str
from reportlab.pdfbase.pdfmetrics import getFont

from app.core.export.pdf.spans import Line, TextStyle

# Strings whose operators are kept per document (cleared beyond): short ones, that repeat
# (names, labels, dates, glyph runs); a whole line of text seldom does.
_CACHED = 20_000
_SHORT = 40


class Painter:
    """Draws :class:`Line` s; one per typesetter (its caches belong to one document at a
    time: the subsets of a font are numbered per document)."""

    def __init__(self) -> None:
        self._doc: Any = None
        self._colors: dict[str, str] = {}  # colour -> its fill operator
        self._ops: dict[tuple[str, str], tuple[tuple[int, str], ...]] = {}
        self._subset_fonts: dict[tuple[str, int, float], str] = {}  # -> its Tf operator

    def forget(self) -> None:
        self._doc = None
        self._ops.clear()
        self._subset_fonts.clear()

    def _fill(self, canv: Any, value: str) -> str:
        op = self._colors.get(value)
        if op is None:  # what the text object writes for it
            scratch = canv.beginText()
            before = len(scratch._code)
            scratch.setFillColor(toColor(value))
            op = self._colors[value] = " ".join(scratch._code[before:])
        return op

    def draw_lines(
        self, canv: Any, lines: Iterable[Line], x: float, top: float, width: float, style: TextStyle
    ) -> float:
        """Draw ``lines`` in the box starting at (x, top) going down; returns the height.
        The style's indent is taken on each line's start side."""
        doc = canv._doc
        if doc is not self._doc:
            self._doc = doc
            self._ops.clear()
            self._subset_fonts.clear()
        indent = style.indent
        tx = canv.beginText()
        code: list[str] = tx._code
        origin = "1 0 0 1 %s Tm" if canv.bottomup else "1 0 0 -1 %s Tm"
        ops_of = self._ops
        y = top
        font = ""
        size = 0.0
        subset = -1  # the font subset selected (none after a change of font)
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
                if piece.font != font or piece.size != size:
                    font, size, subset = piece.font, piece.size, -1
                if piece.color != color:
                    color = piece.color
                    code.append(self._fill(canv, color))
                if piece.chunks is None:
                    places: tuple[tuple[str, float, float], ...] = ((piece.text, pen, baseline),)
                else:
                    k = piece.size / 1000.0
                    chunks = piece.chunks
                    places = tuple((g, pen + dx * k, baseline + dy * k) for g, dx, dy in chunks)
                for text, tx_x, tx_y in places:
                    code.append(origin % fp_str(tx_x, tx_y))
                    ops = ops_of.get((font, text))
                    if ops is None:
                        ops = self._split(canv, font, text)
                    if not ops:
                        code.append("")  # as _textOut: an empty string still adds a separator
                        continue
                    parts: list[str] = []
                    for part_subset, op in ops:
                        if part_subset != subset:
                            parts.append(self._select(doc, font, part_subset, size))
                            subset = part_subset
                        parts.append(op)
                    code.append(parts[0] if len(parts) == 1 else " ".join(parts))
                pen += piece.width
            y -= line.height
        canv.drawText(tx)
        return top - y

    def _split(self, canv: Any, font: str, text: str) -> tuple[tuple[int, str], ...]:
        """``text`` in ``font`` as (subset, "(…) Tj") parts (assigning the codes of
        characters not yet used in this document, as ReportLab would)."""
        escape = canv._escape
        ops = tuple(
            (subset, f"({escape(part)}) Tj")
            for subset, part in getFont(font).splitString(text, canv._doc)
        )
        if len(text) <= _SHORT:
            if len(self._ops) > _CACHED:
                self._ops.clear()
            self._ops[(font, text)] = ops
        return ops

    def _select(self, doc: Any, font: str, subset: int, size: float) -> str:
        """The operator that selects a subset of ``font`` at ``size`` (leading 1.2 × size,
        ReportLab's default)."""
        key = (font, subset, size)
        op = self._subset_fonts.get(key)
        if op is None:
            name = getFont(font).getSubsetInternalName(subset, doc)
            op = f"{name} {fp_str(size)} Tf {fp_str(size * 1.2)} TL"
            self._subset_fonts[key] = op
        return op
