"""The table of record kinds: where a record is shown."""

from __future__ import annotations

from typing import Any

from app.core.errors import NotFound
from app.gui.kinds import listed_record


def _get(records: dict[tuple[str, int], dict[str, Any]]) -> Any:
    def get(kind: str, record_id: int) -> dict[str, Any]:
        if (kind, record_id) not in records:
            raise NotFound(f"no {kind} {record_id}")
        return records[(kind, record_id)]

    return get


def test_a_record_is_shown_where_its_kind_or_its_parent_is_listed() -> None:
    get = _get({("agenda_item", 7): {"session_id": 3}, ("release", 2): {"message_id": 9}})
    assert listed_record("session", 3, get) == ("session", 3)
    assert listed_record("agenda_item", 7, get) == ("session", 3)
    assert listed_record("release", 2, get) == ("message", 9)
    assert listed_record("tag", 1, get) is None  # shown nowhere of its own


def test_a_record_that_is_gone_is_shown_nowhere() -> None:
    assert listed_record("agenda_item", 8, _get({})) is None
