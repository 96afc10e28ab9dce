"""How the core writes a day in its own sentences: ``19 Feb 2026``, with fixed English month
names (the core does not depend on a locale). A leaf module, importing nothing of Liaison, so
the models' flush checks and the disclosure rule can share it without an import circle."""

from __future__ import annotations

from datetime import date, datetime

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_day(value: datetime | date) -> str:
    """``19 Feb 2026``."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"
