"""How stored values read in the interface: enum values, dates and times in local time."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from PySide6.QtCore import QCoreApplication, QDate, QDateTime, QLocale
from PySide6.QtGui import QColor

_CTX = "labels"

# Words the user sees for stored values (translatable).
_ENUM_WORDS = {
    "armed_group": "armed group",
    "political_movement": "political movement",
    "civil_society": "civil society",
    "third_party": "third party",
    "red_line": "red line",
    "personal": "personal capacity",
    "bilateral_consultation": "bilateral consultation",
    "shuttle_visit": "shuttle visit",
    "joint_workshop": "joint workshop",
    "problem_solving_workshop": "problem-solving workshop",
    "brainstorming": "facilitated brainstorming",
    "agreed_in_principle": "agreed in principle",
    "1": "Track 1",
    "1.5": "Track 1.5",
    "2": "Track 2",
    "3": "Track 3",
}

DISCLOSURE_COLOURS = {
    "shareable": "#2e7d32",
    "unattributed": "#1565c0",
    "confidential": "#c62828",
    "embargoed": "#b26a00",
}
STANCE_COLOURS = {
    "supports": "#2e7d32",
    "open": "#1565c0",
    "opposes": "#c62828",
    "unknown": "#757575",
}


def tr(text: str) -> str:
    return QCoreApplication.translate(_CTX, text)


def enum_label(value: str) -> str:
    return tr(_ENUM_WORDS.get(value, value.replace("_", " ")))


def fmt_datetime(value: datetime | None) -> str:
    if value is None:
        return ""
    local = QDateTime.fromSecsSinceEpoch(int(value.timestamp())).toLocalTime()
    return _ltr(QLocale().toString(local, "yyyy-MM-dd HH:mm"))


def fmt_date(value: date | None) -> str:
    if value is None:
        return ""
    return _ltr(QLocale().toString(QDate(value.year, value.month, value.day), "yyyy-MM-dd"))


def _ltr(text: str) -> str:
    """Keep a date's parts in order inside right-to-left text (a Unicode LTR isolate)."""
    return f"\u2066{text}\u2069"


def fmt_value(kind: str, value: Any) -> str:
    if value is None:
        return ""
    if kind == "datetime":
        return fmt_datetime(value)
    if kind == "date":
        return fmt_date(value)
    if kind == "bool":
        return "✓" if value else ""
    if kind == "enum":
        return enum_label(str(value))
    return str(value)


def colour_for(value: str) -> QColor | None:
    code = DISCLOSURE_COLOURS.get(value) or STANCE_COLOURS.get(value)
    return QColor(code) if code else None
