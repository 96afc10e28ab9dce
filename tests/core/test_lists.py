"""Paged lists: a page and a single row agree on what a record's row shows."""

from __future__ import annotations

from app.core.services import lists
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
        assert lists.fetch_row(vault, "option", row[0]) == row
    came_from = [c.key for c in lists.LISTS["option"].columns].index("came_from") + 1
    assert lists.fetch_row(vault, "option", refined)[came_from] == "Board"  # type: ignore[index]
    r.delete("option", refined)
    assert lists.fetch_row(vault, "option", refined) is None
