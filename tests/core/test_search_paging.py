"""Search results paged by keyset: any page size gives the same hits, in the same order, as
one big page, whether a query is ranked whole or (a common word) ranked over its newest
matches with the older ones after; ties in the score (identical texts) included."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import text

from app.core.demo import generate_scale
from app.core.services import search as search_module
from app.core.services.paging import Page, every_page
from app.core.services.records import Records
from app.core.services.search import (
    SearchHit,
    scoped_match,
    search,
    search_page,
)
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.core.paging_check import assert_pages_equal_one_big_page

# (what is typed, filters): each search form
FORMS: list[tuple[str, dict[str, int]]] = [
    ("road", {}),  # plain; a common word (the generator's vocabulary is small)
    ("road", {"case_id": 1}),  # in one case
    ("road", {"party_id": 2}),  # for one party
    ("wat", {}),  # the last word is a prefix while typing
    ('"security arrangements"', {}),  # a phrase
    ("water road", {}),  # two common words
    ("twin", {}),  # the identical notes: every score ties
]


@pytest.fixture(scope="module")
def scale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    """One generated vault for the module (searching changes nothing)."""
    vault = Vault.create(
        tmp_path_factory.mktemp("search") / "scale.liaison", PASSPHRASE, kdf_sets=FAST_KDF
    )
    generate_scale(vault, messages=700, cases=1)
    r = Records(vault)
    # Identical texts rank the same: ties in the score, broken by the index entry.
    for _ in range(9):
        r.create("note", case_id=1, title="twin note", body="twin body about the road")
    yield vault
    vault.lock()


def small_windows(monkeypatch: pytest.MonkeyPatch, ranked: int = 5) -> None:
    """Windows of a few matches, so that a few hundred matches make many windows."""
    monkeypatch.setattr(search_module, "RANKED", ranked)
    monkeypatch.setattr(search_module, "_WIDEST", 4 * ranked)
    monkeypatch.setattr(search_module, "_FIRST_WIDTH", 64 * ranked)


def fetcher(vault: Vault, user_text: str, **kw: Any) -> Any:
    def fetch(after: Any, limit: int) -> Page[SearchHit]:
        return search_page(vault, user_text, after=after, limit=limit, **kw)

    return fetch


def matches(vault: Vault, user_text: str, **kw: Any) -> set[tuple[str, int]]:
    """Every (kind, record) the query matches, straight from the index."""
    with vault.session() as s:
        rows = s.execute(
            text("SELECT kind, record_id FROM search_index WHERE search_index MATCH :q"),
            {"q": scoped_match(user_text, **kw)},
        ).all()
    return {(str(k), int(r)) for k, r in rows}


@pytest.mark.parametrize(("user_text", "filters"), FORMS)
def test_pages_equal_one_big_page_ranked_whole(
    scale: Vault, user_text: str, filters: dict[str, int]
) -> None:
    whole = assert_pages_equal_one_big_page(fetcher(scale, user_text, **filters), at_least=8)
    assert {(h.kind, h.record_id) for h in whole} == matches(scale, user_text, **filters)
    scores = [h.score for h in whole]
    assert scores == sorted(scores)  # best (lowest bm25) first, throughout


@pytest.mark.parametrize(("user_text", "filters"), FORMS)
def test_pages_equal_one_big_page_ranked_a_window_at_a_time(
    scale: Vault, user_text: str, filters: dict[str, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A common word: ranked a window of the newest matches at a time; each match once, and
    pages that cross from one window to the next join up."""
    small_windows(monkeypatch)
    whole = assert_pages_equal_one_big_page(
        fetcher(scale, user_text, **filters), sizes=(1, 2, 4, 5, 6, 7, 60), at_least=8
    )
    keys = [(h.kind, h.record_id) for h in whole]
    assert len(keys) == len(set(keys))
    assert set(keys) == matches(scale, user_text, **filters)
    ranked = [h.score for h in whole[:5]]
    assert ranked == sorted(ranked)
    first = fetcher(scale, user_text, **filters)(None, 3)
    assert first.found is not None and min(5, len(keys)) <= first.found <= 20
    assert first.found_all == (first.found == len(keys))
    assert len(first.rows) == 3


def test_ties_keep_one_order_and_equal_scores(scale: Vault) -> None:
    twins = [h for h in search(scale, "twin", limit=100) if h.kind == "note"]
    assert len(twins) == 9 and len({h.score for h in twins}) == 1
    # Newest entry first among equals.
    assert [h.record_id for h in twins] == sorted((h.record_id for h in twins), reverse=True)
    paged = every_page(fetcher(scale, "twin"), 2)
    assert [h.record_id for h in paged if h.kind == "note"] == [h.record_id for h in twins]


def test_the_first_page_is_the_best_of_all_matches(scale: Vault) -> None:
    """Ranked whole (fewer matches than RANKED): the first page holds the best scores there
    are, as bm25 over every match says."""
    page = search_page(scale, "road", limit=20)
    with scale.session() as s:
        best = s.execute(
            text(
                f"SELECT {search_module.BM25} AS score FROM search_index"
                " WHERE search_index MATCH :q ORDER BY score LIMIT 20"
            ),
            {"q": scoped_match("road")},
        ).scalars()
        assert [h.score for h in page.rows] == list(best)
    assert page.found == len(matches(scale, "road")) and page.found_all


def test_every_hit_has_its_snippet_and_title(scale: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    small_windows(monkeypatch)
    for hit in every_page(fetcher(scale, "road"), 7):
        assert "\x02" in hit.snippet + hit.title, hit  # the match is marked where it is
        assert hit.title


def test_nothing_to_look_for_is_an_empty_last_page(scale: Vault) -> None:
    page = search_page(scale, "  ")
    assert page.rows == [] and not page.more
    nothing = search_page(scale, "nosuchwordanywhere")
    assert nothing.rows == [] and nothing.found == 0 and nothing.found_all


def test_a_window_holds_ranked_to_widest_matches(
    scale: Vault, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Windows are found by widening and narrowing a guess; each holds RANKED..4*RANKED
    matches, or all that remain, and the windows tile the entries from the newest down."""
    small_windows(monkeypatch, ranked=7)
    m = search_module._Matches(scoped_match("road") or "", None)
    with scale.session() as s:
        high = int(s.execute(text("SELECT max(rowid) FROM search_index")).scalar_one())
        total = 0
        while (window := m.window(s, high)) is not None:
            low, top = window
            assert top == high and low <= high
            assert 7 <= m.last_count <= 28 or low == 1
            total += m.last_count
            if low == 1:
                break
            high = low - 1
    assert total == len(matches(scale, "road"))


def test_windows_of_a_case_start_at_the_case_s_newest_entry(vault: Vault) -> None:
    """A case whose entries are all older than another case's: its windows start at its own
    newest entry (not the vault's), and its hits are the same as when counted from the top."""
    r = Records(vault)
    old_case = r.create("case", title="Old talks")
    new_case = r.create("case", title="New talks")
    for case in (old_case, new_case):
        for i in range(30):
            r.create("note", case_id=case, title=f"harbour note {i}", body="harbour ferry")
    with vault.session() as s:
        top_old = search_module._top_entry(s, old_case, None)
        top_all = search_module._top_entry(s, None, None)
        newest_old = s.execute(
            text("SELECT max(rowid) FROM search_index WHERE case_id = :c"), {"c": old_case}
        ).scalar()
    assert top_old == newest_old and top_all is not None and top_old < top_all
    hits = search_module.search(vault, "harbour", case_id=old_case, limit=100)
    assert len(hits) == 30 and {h.case_id for h in hits} == {old_case}
