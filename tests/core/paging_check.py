"""The one check every paged view passes: paged in any size, it shows the same rows, in the
same order, as one big page, each row once (as tests/core/test_lists.py checks the lists)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from app.core.services.paging import Fetch, every_page


def assert_pages_equal_one_big_page(
    fetch: Fetch[Any], sizes: Iterable[int] = (1, 2, 7, 60), *, at_least: int = 2
) -> list[Any]:
    """``fetch`` paged by each of ``sizes`` equals ``fetch(None, huge)``; answers that big
    page. ``at_least``: the big page must hold at least this many rows, so that a test on an
    empty view does not pass by saying nothing."""
    whole = fetch(None, 10**9)
    assert whole.after is None, "one huge page must be the last"
    assert len(whole.rows) >= at_least, f"only {len(whole.rows)} rows: the test shows nothing"
    for size in sizes:
        first = fetch(None, size)
        assert len(first.rows) == min(size, len(whole.rows))
        assert first.more == (len(whole.rows) > size), size
        paged = every_page(fetch, size)
        assert paged == whole.rows, f"paged by {size}: differs from one big page"
    return whole.rows
