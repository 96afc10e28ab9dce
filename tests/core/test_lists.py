"""Paged lists: a page and a single row agree on what a record's row shows."""

from __future__ import annotations

from app.core.services import choices, lists
from app.core.services.records import Records
from app.core.vault import Vault


def test_one_row_is_what_its_page_shows_and_none_once_gone(vault: Vault) -> None:
    r = Records(vault)
    case = r.create("case", title="Lake talks")
    r.create("option", case_id=case, title="Board")
    refined = r.create("option", case_id=case, title="Board, refined")
    r.create("option_link", option_id=refined, parent_id=1, kind="refined")
    page = lists.fetch_page(vault, "option", scope_id=case)
    for row in page:
        assert lists.fetch_row(vault, "option", row[0]) == row[:-1]  # less the sort value
    came_from = [c.key for c in lists.LISTS["option"].columns].index("came_from") + 1
    assert lists.fetch_row(vault, "option", refined)[came_from] == "Board"  # type: ignore[index]
    r.delete("option", refined)
    assert lists.fetch_row(vault, "option", refined) is None


def test_stored_times_come_back_in_utc_whatever_their_form() -> None:
    from datetime import UTC, datetime, timedelta

    from app.core.services.lists import _utc_datetime

    utc = datetime(2026, 11, 26, 1, 3, 48, 686289, tzinfo=UTC)
    assert _utc_datetime("2026-11-26 01:03:48.686289") == utc
    assert _utc_datetime("2026-11-26T01:03:48.686289+00:00") == utc
    assert _utc_datetime(utc.replace(tzinfo=None)) == utc
    five_west = _utc_datetime("2026-11-26 01:03:48-05:00")
    assert five_west is not None and five_west.utcoffset() == timedelta(hours=-5)
    assert _utc_datetime(None) is None
    assert _utc_datetime("2026-11-26 01:03:48").tzinfo == UTC  # type: ignore[union-attr]


def test_paging_after_the_last_row_gives_the_same_rows_as_one_big_page(vault: Vault) -> None:
    """Keyset paging (each page starts after the previous page's last row) must show every
    row exactly once, in order, whatever the sort column: with ties, with NULLs (a message's
    round or recipient may be empty), ascending and descending."""
    from app.core.demo import generate_scale

    generate_scale(vault, messages=700, cases=1)
    case_id = Records(vault).find("case")[0]["id"]
    for kind in ("message", "option", "action"):
        for column in lists.LISTS[kind].columns:
            for descending in (False, True):
                sort = {"sort_key": column.key, "descending": descending}
                whole = lists.fetch_page(vault, kind, scope_id=case_id, limit=10_000, **sort)
                paged: list[tuple[object, ...]] = []
                after = None
                while True:
                    page = lists.fetch_page(
                        vault, kind, scope_id=case_id, limit=37, after=after, **sort
                    )
                    paged.extend(page)
                    if len(page) < 37:
                        break
                    after = (page[-1][-1], page[-1][0])
                assert [r[0] for r in paged] == [r[0] for r in whole], (kind, column.key)


def test_counts_equal_the_rows_and_come_from_an_index(vault: Vault) -> None:
    """The overview's counts: the number of rows each list shows, for every list, counted
    without the joins that cannot change it (a case's messages from the case's index, not
    by reading every message and its sender, recipient and round)."""
    from sqlalchemy import text

    from app.core.demo import generate_scale

    generate_scale(vault, messages=300, cases=2)
    case_id = Records(vault).find("case")[0]["id"]
    for kind, spec in lists.LISTS.items():
        scope = case_id if (spec.scope or spec.scope_sql) else None
        for words in ("", "a"):
            if words and spec.like_columns is not None and not spec.like_columns:
                continue
            rows = lists.fetch_page(vault, kind, scope_id=scope, filter_text=words, limit=10**6)
            assert lists.count_rows(vault, kind, scope_id=scope, filter_text=words) == len(rows), (
                kind,
                words,
            )
    for kind in ("message", "delivery"):
        spec = lists.LISTS[kind]
        where, params = lists._where(spec, case_id, "")
        with vault.session() as s:
            plan = " ".join(
                str(row[-1])
                for row in s.execute(
                    text(
                        f"EXPLAIN QUERY PLAN SELECT count(*) FROM "
                        f"{lists._count_from(spec, where)}{where}"
                    ),
                    params,
                )
            )
        assert "COVERING INDEX" in plan and "JOIN" not in plan and "rowid" not in plan, plan


def test_a_reference_to_a_round_offers_the_newest_300_and_the_one_it_points_at(
    vault: Vault,
) -> None:
    """A case of a million messages holds 8,000 rounds: the round field offers the newest
    300 (newest first), and a record pointing at an older round still shows that one."""
    r = Records(vault)
    case = r.create("case", title="Long shuttle")
    ids = [r.create("round", case_id=case, number=n) for n in range(1, 321)]
    offered = choices.choices(vault, "round", case)
    assert [i for i, _ in offered] == ids[::-1][:300]
    with_old = choices.choices(vault, "round", case, include=ids[0])
    assert with_old[0] == (ids[0], "Round 1") and len(with_old) == 301
