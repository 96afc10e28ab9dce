"""Full-text search: diacritics, prefixes, phrases, ranking, snippets, filters, any input."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.core.services.records import Records
from app.core.services.search import (
    MARK_END,
    MARK_START,
    fts_query,
    marks_to_html,
    search,
    strip_marks,
)
from app.core.vault import Vault

T0 = datetime(2026, 4, 1, 8, 0, tzinfo=UTC)


@pytest.fixture
def filled(vault: Vault) -> dict[str, int]:
    r = Records(vault)
    ids: dict[str, int] = {}
    ids["case"] = r.create("case", title="Río Verde négociations", summary="Talks on grazing")
    ids["case2"] = r.create("case", title="Other case", summary="grazing elsewhere")
    ids["gov"] = r.create("party", case_id=ids["case"], name="Ministry", kind="government")
    ids["mov"] = r.create("party", case_id=ids["case"], name="Highland Front", kind="armed_group")
    ids["msg_title"] = r.create(
        "message",
        case_id=ids["case"],
        sender_party_id=ids["gov"],
        recipient_party_id=ids["mov"],
        said_at=T0,
        summary="Ceasefire proposal",
        content="A pause in fighting during the harvest",
    )
    ids["msg_body"] = r.create(
        "message",
        case_id=ids["case"],
        sender_party_id=ids["mov"],
        said_at=T0,
        summary="Reply",
        content="They mention a ceasefire only in passing; перемирие возможно",
    )
    ids["note"] = r.create(
        "note", case_id=ids["case2"], title="ملاحظة", body="مفاوضات السلام ceasefire rumours"
    )
    ids["ka"] = r.create("note", case_id=ids["case"], title="შეხვედრა", body="მშვიდობა და წყალი")
    return ids


def test_diacritics_and_case_are_ignored(vault: Vault, filled: dict[str, int]) -> None:
    for q in ("rio verde", "NEGOCIATIONS", "négociations", "Río"):
        hits = search(vault, q)
        assert [h.kind for h in hits] == ["case"], q


def test_prefix_search(vault: Vault, filled: dict[str, int]) -> None:
    assert {h.record_id for h in search(vault, "ceasef")} >= {filled["msg_title"]}
    assert search(vault, "harv*", prefix_last=False)
    assert not search(vault, "harv", prefix_last=False)


def test_phrase_search(vault: Vault, filled: dict[str, int]) -> None:
    assert [h.record_id for h in search(vault, '"pause in fighting"')] == [filled["msg_title"]]
    assert search(vault, '"fighting pause"') == []


def test_title_match_ranks_above_body_match(vault: Vault, filled: dict[str, int]) -> None:
    hits = search(vault, "ceasefire", kinds=("message",))
    assert [h.record_id for h in hits] == [filled["msg_title"], filled["msg_body"]]


def test_snippet_and_title_are_highlighted(vault: Vault, filled: dict[str, int]) -> None:
    hit = search(vault, "harvest")[0]
    assert f"{MARK_START}harvest{MARK_END}" in hit.snippet
    assert "<b>harvest</b>" in marks_to_html(hit.snippet)
    assert hit.case_title == "Río Verde négociations"
    title_hit = search(vault, "proposal")[0]
    assert title_hit.title == f"Ceasefire {MARK_START}proposal{MARK_END}"
    assert strip_marks(title_hit.title) == "Ceasefire proposal"


def test_non_latin_scripts(vault: Vault, filled: dict[str, int]) -> None:
    assert [h.record_id for h in search(vault, "перемирие")] == [filled["msg_body"]]
    assert [h.record_id for h in search(vault, "مفاوضات")] == [filled["note"]]
    assert [h.record_id for h in search(vault, "მშვიდობა")] == [filled["ka"]]
    assert [h.record_id for h in search(vault, "შეხ")] == [filled["ka"]]  # prefix in Georgian


def test_case_and_party_filters(vault: Vault, filled: dict[str, int]) -> None:
    assert {h.case_id for h in search(vault, "grazing")} == {filled["case"], filled["case2"]}
    assert {h.case_id for h in search(vault, "grazing", case_id=filled["case2"])} == {
        filled["case2"]
    }
    by_gov = search(vault, "ceasefire", party_id=filled["gov"])
    assert [h.record_id for h in by_gov] == [filled["msg_title"]]
    by_mov = {h.record_id for h in search(vault, "ceasefire", party_id=filled["mov"])}
    assert by_mov == {filled["msg_title"], filled["msg_body"]}


def test_edits_and_deletes_update_the_index(vault: Vault, filled: dict[str, int]) -> None:
    r = Records(vault)
    r.update("note", filled["ka"], body="ახალი ტექსტი")
    assert search(vault, "მშვიდობა") == []
    assert search(vault, "ახალი")
    r.delete("note", filled["ka"])
    assert search(vault, "ახალი") == []


def test_query_building() -> None:
    assert fts_query("") is None
    assert fts_query("  *** ") is None
    assert fts_query("water rights") == '"water" "rights"*'
    assert fts_query("water rights", prefix_last=False) == '"water" "rights"'
    assert fts_query('"dam data" fl*', prefix_last=False) == '"dam data" "fl"*'
    assert fts_query("AND OR NOT") == '"AND" "OR" "NOT"*'


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(st.text(max_size=40))
def test_any_input_is_a_valid_query(vault: Vault, user_text: str) -> None:
    # The vault is shared across examples on purpose: searching changes nothing.
    assert isinstance(search(vault, user_text), list)  # never raises, whatever is typed
