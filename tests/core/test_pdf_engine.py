"""The fast paths of the PDF text engine give exactly what the general ones give: bidi
levels without python-bidi's walk, lines broken over a paragraph's words without a token
object each, pieces drawn with their operators cached, and "keep with next" measured
without copying the frame."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.lib.colors import toColor
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether

from app.core.export.pdf.furniture import _Canvas, _Together
from app.core.export.pdf.levels import _full, base_level, levels
from app.core.export.pdf.spans import Line, Span, TextStyle
from app.core.export.pdf.story import Mark
from app.core.export.pdf.text import Text, Typesetter

# Characters of every bidi class a paragraph may hold (explicit embeddings and isolates go
# through python-bidi itself, so they are here too).
BIDI_ALPHABET = (
    "abc XYZ 0123 +-%$#.,:;/()[]!? \u00a0\u2212\u20ac\u00b0"
    "שלום\u05b4سلام\u0661\u0662\u06f1\u066b\u066c\u0300\u064b"
    "\u200d\u200c\u00ad\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
WORDS = [
    "road",
    "Crossing",
    "guarantees",
    "12",
    "3.5%",
    "שלום",
    "עולם",
    "نجّار",
    "الميناء",
    "საბჭო",
    "Правительство",
    "Ελληνικά",
    "e\u0301te\u0301",
    "(we",
    "ask)",
    "«نطلب",
    "ضمانات»",
    "x" * 90,
    "🙂",
]


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=BIDI_ALPHABET, max_size=40))
def test_levels_are_python_bidis(text: str) -> None:
    for base in (0, 1, base_level(text)):
        assert levels(text, base) == _full(text, base)


def test_levels_of_known_paragraphs() -> None:
    assert levels("one שלום עולם two", 0) == [0] * 4 + [1] * 9 + [0] * 4
    assert levels("שלום abc", 1) == [1] * 5 + [2] * 3
    assert levels("12 שלום", 1) == [2, 2, 1, 1, 1, 1, 1]


def _styled(words: list[str], spans: int) -> list[Span]:
    """The words in ``spans`` spans of alternating weight and colour."""
    if spans <= 1:
        return [Span(" ".join(words))]
    size = max(len(words) // spans, 1)
    out = []
    for k in range(0, len(words), size):
        part = " ".join(words[k : k + size]) + " "
        out.append(Span(part, bold=bool(k % 2), color="#0b5c8a" if k % 3 else None))
    return out


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(WORDS), min_size=0, max_size=40),
    st.integers(min_value=1, max_value=4),
    st.sampled_from([30.0, 80.0, 200.0, 480.0]),
    st.sampled_from(["auto", "ltr", "rtl"]),
)
def test_lines_over_words_are_the_lines_over_tokens(
    words: list[str], spans: int, width: float, direction: str
) -> None:
    ts = Typesetter()
    style = TextStyle(size=9.5, direction=direction)
    paras = ts.paragraphs(_styled(words, spans), style)
    fast = ts.lines(paras, width)
    # The general path: every token an object, every word its own _token call.
    for para in paras:
        if para.controls:
            continue
        para.tokens = [
            ts._token(para, m.start(), m.end(), m.group()[0] == " ")
            for m in re.finditer(" +|[^ ]+", para.text)
        ]
        para.words = None
    assert ts.lines(paras, width) == fast


def _reference_draw(ts: Typesetter, canv: Any, lines: list[Line], style: TextStyle) -> None:
    """How pieces were drawn before operators were cached: ReportLab's own text object."""
    tx = canv.beginText()
    y = 500.0
    font: tuple[str, float] | None = None
    color: str | None = None
    for line in lines:
        baseline = y - line.height + (line.height - style.size) / 2 + style.size * 0.22
        start = 500 - line.width if line.rtl else 40.0
        pen = start
        for piece in line.pieces:
            if (piece.font, piece.size) != font:
                font = (piece.font, piece.size)
                tx.setFont(piece.font, piece.size)
            if piece.color != color:
                color = piece.color
                tx.setFillColor(toColor(piece.color))
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


def test_drawn_operators_are_reportlabs() -> None:
    ts = Typesetter()
    style = TextStyle(size=9.5)
    content = [
        Span("Salma "),
        Span("نجّار", bold=True),
        Span(" said «نطلب ضمانات مكتوبة» to נועה on 12 March; ", color="#a4161a"),
        Span("გზა გაიხსნება, Правительство, Ελληνικά, e\u0301te\u0301 " * 3, italic=True),
    ]
    lines = ts.layout(content, style, 460.0)
    lines += ts.layout(content, style.but(size=14), 460.0)  # the same strings, larger
    ours, theirs = Canvas(io.BytesIO()), Canvas(io.BytesIO())
    for _ in range(2):  # the second time from the caches
        ts.draw_lines(ours, lines, 40.0, 500.0, 460.0, style)
        _reference_draw(ts, theirs, lines, style)
    assert ours._code == theirs._code


def test_keep_together_measures_as_reportlab() -> None:
    ts = Typesetter()
    flowables = [
        Text(ts, "2025-02-03 08:30  SHAREABLE", TextStyle(size=8.5, space_before=7, space_after=2)),
        Text(ts, "From Anna Berg to Omar Haddad", TextStyle(size=8.5, space_after=2)),
        Mark(3),
        Text(ts, "Road " * 80, TextStyle(size=9.5, space_before=1, space_after=3)),
        Text(ts, "", TextStyle(size=9.5, space_before=4)),
    ]
    for content in (flowables, flowables[2:], flowables[:1]):
        ours, theirs = _Together(list(content)), KeepTogether(list(content))
        ours.canv = theirs.canv = None
        assert ours.wrap(400.0, 300.0) == theirs.wrap(400.0, 300.0)
        assert (ours._H, ours._H0) == (theirs._H, theirs._H0)


def test_a_saved_file_is_streamed_byte_for_byte(tmp_path: Path) -> None:
    """Saving writes each object as it is formatted, and writes what ReportLab would."""

    def draw(target: Any) -> bytes | None:
        canv = _Canvas(target, invariant=1)
        for n in range(3):
            canv.drawString(72, 720, f"page {n} — Ελληνικά")
            canv.showPage()
        canv.save()
        return target.getvalue() if isinstance(target, io.BytesIO) else None

    streamed = draw(io.BytesIO())
    draw(str(tmp_path / "whole.pdf"))  # a file name: ReportLab's own way, whole in memory
    assert streamed == (tmp_path / "whole.pdf").read_bytes()
