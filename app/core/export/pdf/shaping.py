"""Shaping with HarfBuzz: the glyphs of one word piece in visual order, with their
positions, as strings of the codes that draw them (see :mod:`fonts` for the glyph aliases
that make shaped glyphs extract as the letters they stand for)."""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

from app.core.export.pdf.fonts import FontSet

_HB_FEATURES = {"kern": True, "liga": True}
# Shaped pieces kept (least recently used dropped): words repeat, shaping is slow.
_CACHED = 20_000


class Shaper:
    """Shapes word pieces with one font set; keeps the recent results."""

    def __init__(self, font_set: FontSet) -> None:
        self.fonts = font_set
        self._shaped: OrderedDict[tuple[str, str, bool], tuple[float, tuple[Any, ...]]] = (
            OrderedDict()
        )

    def forget(self) -> None:
        self._shaped.clear()

    def shape(self, name: str, text: str, rtl: bool) -> tuple[float, tuple[Any, ...]]:
        """The advance of ``text`` in font ``name`` (thousandths of the font size) and its
        glyphs in visual order as (string of codes, x, y) chunks."""
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
        if len(self._shaped) > _CACHED:
            self._shaped.popitem(last=False)
        return result
