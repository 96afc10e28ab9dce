"""The options matrix, paged (issue #18): paged in any size it equals one big page, and the
whole matrix equals what the matrix showed before it was paged (the old two-query
implementation, kept here as the oracle), ties in the order included."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

import pytest
from sqlalchemy import select

from app.core.demo import generate_scale
from app.core.models import Option, Stance
from app.core.services.option_stances import (
    CLOSED_STATUSES,
    MatrixRow,
    StanceChange,
    case_stance_histories,
    stance_histories,
    stance_matrix,
    stance_matrix_page,
)
from app.core.services.paging import Page
from app.core.services.records import Records
from app.core.vault import Vault
from tests.core.paging_check import assert_pages_equal_one_big_page


def old_stance_matrix(vault: Vault, case_id: int, *, include_closed: bool) -> list[MatrixRow]:
    """The matrix as it was read before paging: every option of the case, then every stance
    of the case in one query (the oracle)."""
    with vault.session() as s:
        options = [
            o
            for o in s.execute(
                select(Option.id, Option.title, Option.status)
                .where(Option.case_id == case_id)
                .order_by(Option.raised_on, Option.id)
            )
            if include_closed or o.status not in CLOSED_STATUSES
        ]
        history: dict[int, dict[int, list[StanceChange]]] = {}
        for st in s.execute(
            select(Stance)
            .join(Option, Option.id == Stance.option_id)
            .where(Option.case_id == case_id)
            .order_by(Stance.recorded_at, Stance.id)
        ).scalars():
            history.setdefault(st.option_id, {}).setdefault(st.party_id, []).append(
                StanceChange(st.recorded_at, st.stance.value, st.note, st.source_session_id)
            )
    return [MatrixRow(o.id, o.title, o.status.value, history.get(o.id, {})) for o in options]


@pytest.fixture
def scaled(vault: Vault) -> tuple[Vault, int]:
    """A generated case, plus options raised on the same day (ties in the matrix's order),
    open and closed, and stances recorded at the same moment."""
    generate_scale(vault, messages=700, cases=1)
    r = Records(vault)
    case_id = r.find("case")[0]["id"]
    parties = [p["id"] for p in r.find("party", case_id=case_id)]
    same_day = date(2019, 5, 4)
    at = datetime(2019, 5, 4, 10, 0, tzinfo=UTC)
    for i, status in enumerate(["raised", "merged", "discussed", "adopted", "parked", "raised"]):
        oid = r.create(
            "option", case_id=case_id, title=f"Same day {i}", status=status, raised_on=same_day
        )
        for party_id in parties[:3]:
            r.create("stance", option_id=oid, party_id=party_id, stance="open", recorded_at=at)
        r.create("stance", option_id=oid, party_id=parties[0], stance="supports", recorded_at=at)
    return vault, case_id


@pytest.mark.parametrize("include_closed", [False, True])
def test_the_matrix_paged_equals_one_big_page_and_the_old_matrix(
    scaled: tuple[Vault, int], include_closed: bool
) -> None:
    vault, case_id = scaled

    def fetch(after: Any, limit: int) -> Page[MatrixRow]:
        return stance_matrix_page(
            vault, case_id, include_closed=include_closed, after=after, limit=limit
        )

    rows = assert_pages_equal_one_big_page(fetch, at_least=6)
    old = old_stance_matrix(vault, case_id, include_closed=include_closed)
    assert rows == old
    # The parties of each row in the same order as before (the brief's stances follow it).
    assert [list(r.history) for r in rows] == [list(r.history) for r in old]
    assert stance_matrix(vault, case_id, include_closed=include_closed) == old
    same_day = [r.title for r in rows if r.title.startswith("Same day")]
    assert same_day == sorted(same_day)  # ties in raised_on: by id, as before
    assert len(same_day) == (6 if include_closed else 4)


def test_a_page_reads_only_its_own_options_stances(scaled: tuple[Vault, int]) -> None:
    vault, case_id = scaled
    page = stance_matrix_page(vault, case_id, include_closed=True, limit=3)
    with vault.session() as s:
        mine = stance_histories(s, [r.option_id for r in page.rows])
        whole = case_stance_histories(s, case_id)
    assert set(mine) <= {r.option_id for r in page.rows}
    assert mine == {oid: whole[oid] for oid in mine}
    assert all(r.history == whole.get(r.option_id, {}) for r in page.rows)


def test_a_case_without_options_has_an_empty_matrix(vault: Vault) -> None:
    case_id = Records(vault).create("case", title="Quiet")
    assert stance_matrix_page(vault, case_id) == Page([])
    assert stance_matrix(vault, case_id) == []
