"""The page's margins and colours (shared by the page furniture and the documents)."""

from __future__ import annotations

from reportlab.lib.units import mm

MARGIN_X = 18 * mm
MARGIN_TOP = 24 * mm
MARGIN_BOTTOM = 18 * mm
INK = "#1f2328"
MUTED = "#5f6368"
RULE = "#c8ccd0"
ACCENT = "#0b5c8a"
CONFIDENTIAL_RED = "#a4161a"
