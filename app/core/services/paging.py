"""Keyset paging for every view that grows with a case (the timeline, the knowledge ledger,
who-knows-what, pending deliveries, the options matrix, search results, sessions and notes).

A view asks for its first screenful, then for the rows *after* the last one it holds as the
user scrolls; each page is bounded work whatever the size of the case (a million messages),
because the query starts at a key, not at an offset, and reads its rows from an index in the
view's own order. ``every_page`` is the same rows in one list, for exports and tests: a view
paged in any size equals one big page (tests/core/paging_check.py checks each view so).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

T = TypeVar("T")

FIRST_PAGE = 60  # a screenful and some: what a view asks for when it opens
PAGE = 200  # what it asks for each time it is scrolled to the end of what it holds


@dataclass(frozen=True)
class Page(Generic[T]):
    """Rows in the view's order, and where the next page starts.

    ``after`` is opaque to the caller (a tuple of the last row's sort values and id, say):
    pass it back to get the rows that follow. ``None`` means there are none: a service reads
    ``limit + 1`` rows to know, so a view never asks for an empty page."""

    rows: list[T]
    after: Any = None

    @property
    def more(self) -> bool:
        return self.after is not None


# fetch(after, limit) -> the page of at most ``limit`` rows that follows ``after``
# (``after=None``: the first page).
Fetch = Callable[[Any, int], Page[T]]


def page_of(rows: list[T], limit: int, key: Callable[[T], Any]) -> Page[T]:
    """The page a service returns from ``limit + 1`` rows it read: the first ``limit`` of
    them, and the key of the last one kept when there was one more."""
    if len(rows) > limit:
        kept = rows[:limit]
        return Page(kept, key(kept[-1]))
    return Page(rows, None)


def every_page(fetch: Fetch[T], limit: int = PAGE) -> list[T]:
    """Every row, fetched page by page (bounded memory per query, not in total)."""
    out: list[T] = []
    page = fetch(None, limit)
    out.extend(page.rows)
    while page.after is not None:
        page = fetch(page.after, limit)
        out.extend(page.rows)
    return out
