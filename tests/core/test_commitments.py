"""Commitments (issue 17): the course rules, overdue and due soon, a party's record, and what
each audience sees of a commitment and its course."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from app.core.disclosure.audience import audience_for, audience_for_outsider
from app.core.errors import CourseRefused, ValidationError
from app.core.models import CommitmentStatus, Verification
from app.core.models.course import Step, course_problem, is_due_soon, is_overdue, status_on
from app.core.services.commitments import (
    NewCommitment,
    NewOutcome,
    create_commitment,
    delete_commitment,
    delete_outcome,
    due,
    due_before,
    party_records,
    record_outcome,
    register,
    restore_commitment,
    update_commitment,
)
from app.core.services.handovers import create_outsider
from app.core.services.records import Records
from app.core.vault import Vault

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
KEPT, LATE, PARTLY, BROKEN, WITHDRAWN, PENDING = (
    CommitmentStatus.KEPT,
    CommitmentStatus.KEPT_LATE,
    CommitmentStatus.PARTLY_KEPT,
    CommitmentStatus.BROKEN,
    CommitmentStatus.WITHDRAWN,
    CommitmentStatus.PENDING,
)


@pytest.fixture
def case(vault: Vault) -> dict[str, int]:
    r = Records(vault)
    ids = {"case": r.create("case", title="Korvan talks")}
    ids["gov"] = r.create("party", case_id=ids["case"], name="Government", kind="government")
    ids["front"] = r.create("party", case_id=ids["case"], name="Front", kind="armed_group")
    ids["secret"] = r.create(
        "message",
        case_id=ids["case"],
        sender_party_id=ids["front"],
        said_at=T0,
        disclosure="confidential",
        summary="Will free the twelve soldiers quietly",
    )
    return ids


def promise(vault: Vault, case: dict[str, int], **kw: object) -> int:
    values: dict[str, object] = {
        "party_id": case["front"],
        "what": "Release twelve detained soldiers",
        "made_at": T0,
        "to_party_id": case["gov"],
        "due_on": date(2026, 3, 15),
        "disclosure": "shareable",
    }
    values.update(kw)
    return create_commitment(vault, case["case"], NewCommitment(**values))  # type: ignore[arg-type]


# --- the course, pure ----------------------------------------------------------------------


def test_status_is_the_latest_outcome_on_a_day() -> None:
    steps = [Step(date(2026, 3, 10), PARTLY, 1), Step(date(2026, 3, 20), LATE, 2)]
    assert status_on([], date(2026, 3, 1)) is PENDING
    assert status_on(steps, date(2026, 3, 9)) is PENDING
    assert status_on(steps, date(2026, 3, 10)) is PARTLY
    assert status_on(steps) is LATE


def test_overdue_and_due_soon_go_by_the_date() -> None:
    due_on = date(2026, 3, 15)
    assert not is_overdue(due_on, [], date(2026, 3, 15))  # due today is not yet overdue
    assert is_overdue(due_on, [], date(2026, 3, 16))
    assert not is_overdue(due_on, [Step(date(2026, 3, 14), KEPT)], date(2026, 3, 16))
    assert not is_overdue(None, [], date(2030, 1, 1))
    # a promise whose condition was not kept is not yet owed
    assert not is_overdue(due_on, [], date(2026, 3, 16), condition_steps=[])
    assert is_overdue(due_on, [], date(2026, 3, 16), [Step(date(2026, 3, 2), KEPT)])
    assert is_due_soon(due_on, [], date(2026, 3, 1))
    assert not is_due_soon(due_on, [], date(2026, 2, 1))
    assert not is_due_soon(due_on, [], date(2026, 3, 16))


def test_course_rules_in_words() -> None:
    made, due_on = date(2026, 3, 1), date(2026, 3, 15)
    assert course_problem(made, due_on, [Step(date(2026, 3, 10), KEPT)]) is None
    assert "only made on 1 Mar 2026" in (
        course_problem(made, due_on, [Step(date(2026, 2, 28), KEPT)]) or ""
    )
    assert "kept late" in (course_problem(made, due_on, [Step(date(2026, 3, 16), KEPT)]) or "")
    assert "Kept late" in (course_problem(made, due_on, [Step(date(2026, 3, 10), LATE)]) or "")
    assert course_problem(made, None, [Step(date(2026, 3, 10), LATE)]) is not None
    cond = [Step(date(2026, 3, 5), KEPT)]
    assert course_problem(made, due_on, [Step(date(2026, 3, 6), KEPT)], cond) is None
    assert "condition" in (course_problem(made, due_on, [Step(date(2026, 3, 4), KEPT)], cond) or "")
    assert course_problem(made, due_on, [Step(date(2026, 3, 4), WITHDRAWN)], cond) is None
    assert course_problem(made, due_on, [Step(date(2026, 3, 4), BROKEN)], []) is not None


# --- the course, through the vault ------------------------------------------------------------


def test_no_outcome_before_the_promise_was_made(vault: Vault, case: dict[str, int]) -> None:
    cid = promise(vault, case)
    with pytest.raises(CourseRefused, match="only made on 1 Mar 2026"):
        record_outcome(vault, cid, NewOutcome(date(2026, 2, 20), KEPT))
    assert register(vault, case["case"], today=date(2026, 3, 2))[0].status is PENDING


def test_kept_late_only_after_the_due_date(vault: Vault, case: dict[str, int]) -> None:
    cid = promise(vault, case)
    with pytest.raises(CourseRefused, match="kept late"):
        record_outcome(vault, cid, NewOutcome(date(2026, 3, 20), KEPT))
    record_outcome(vault, cid, NewOutcome(date(2026, 3, 20), LATE, "ICRC", Verification.OUTSIDE))
    row = register(vault, case["case"], today=date(2026, 4, 1))[0]
    assert row.status is LATE and row.status_on == date(2026, 3, 20) and not row.overdue


def test_conditions_are_resolved_in_order(vault: Vault, case: dict[str, int]) -> None:
    pullback = promise(
        vault, case, party_id=case["gov"], to_party_id=case["front"], what="Pull back 5 km"
    )
    release = promise(vault, case, condition_id=pullback, condition="once the army pulls back")
    with pytest.raises(CourseRefused, match="condition"):
        record_outcome(vault, release, NewOutcome(date(2026, 3, 10), KEPT))
    record_outcome(vault, pullback, NewOutcome(date(2026, 3, 8), KEPT))
    with pytest.raises(CourseRefused, match="condition"):
        record_outcome(vault, release, NewOutcome(date(2026, 3, 7), KEPT))
    oid = record_outcome(vault, release, NewOutcome(date(2026, 3, 10), KEPT))
    # Taking back the condition's outcome would leave the release kept before its condition.
    with pytest.raises(CourseRefused, match="condition"):
        pulled = next(o for o in register(vault, case["case"]) if o.id == pullback)
        delete_outcome(vault, pulled.outcomes[0].id)
    assert oid


def test_a_condition_never_leads_back_to_itself(vault: Vault, case: dict[str, int]) -> None:
    a = promise(vault, case, what="A")
    b = promise(vault, case, what="B", condition_id=a)
    fields = NewCommitment(
        party_id=case["front"], what="A", made_at=T0, condition_id=b, disclosure="shareable"
    )  # type: ignore[arg-type]
    with pytest.raises(CourseRefused, match="itself"):
        update_commitment(vault, a, fields)


def test_overdue_and_due_soon_in_the_register(vault: Vault, case: dict[str, int]) -> None:
    late = promise(vault, case, what="Open the road", due_on=date(2026, 3, 10))
    soon = promise(vault, case, what="Exchange lists", due_on=date(2026, 3, 20))
    promise(vault, case, what="Later", due_on=date(2026, 6, 1))
    overdue, due_soon = due(vault, case["case"], today=date(2026, 3, 12))
    assert [r.id for r in overdue] == [late]
    assert [r.id for r in due_soon] == [soon]
    assert [r.id for r in due_before(vault, case["case"], date(2026, 3, 21))] == [late, soon]


def test_a_partys_record(vault: Vault, case: dict[str, int]) -> None:
    day = date(2026, 5, 1)
    outcomes = [KEPT, KEPT, LATE, PARTLY, BROKEN, WITHDRAWN, None, None]
    for i, outcome in enumerate(outcomes):
        due_on = date(2026, 6, 1) if i == 7 else date(2026, 3, 15)
        cid = promise(vault, case, what=f"Promise {i}", due_on=due_on)
        if outcome is not None:
            on = date(2026, 3, 20) if outcome is LATE else date(2026, 3, 14)
            record_outcome(vault, cid, NewOutcome(on, outcome))
    records = party_records(vault, case["case"], today=day)
    front = next(r for r in records if r.party_id == case["front"])
    assert (front.made, front.kept, front.kept_late, front.partly_kept, front.broken) == (
        8,
        2,
        1,
        1,
        1,
    )
    assert (front.withdrawn, front.overdue, front.pending, front.judged) == (1, 1, 1, 6)
    assert front.words == (
        "kept 2 of 6 on time (1 kept late, 1 partly kept, 1 broken, 1 overdue, 1 withdrawn, "
        "1 pending)"
    )


def test_undo_brings_a_commitment_back_with_its_course(vault: Vault, case: dict[str, int]) -> None:
    cid = promise(vault, case)
    record_outcome(vault, cid, NewOutcome(date(2026, 3, 10), KEPT, "monitor"))
    copy = delete_commitment(vault, cid)
    assert register(vault, case["case"]) == []
    assert restore_commitment(vault, copy) == cid
    row = register(vault, case["case"])[0]
    assert row.status is KEPT and row.outcomes[0].verified_by == "monitor"


def test_bad_input_is_refused_in_words(vault: Vault, case: dict[str, int]) -> None:
    with pytest.raises(ValidationError, match="what was promised"):
        promise(vault, case, what="  ")
    with pytest.raises(ValidationError, match="to itself"):
        promise(vault, case, to_party_id=case["front"])
    with pytest.raises(ValidationError, match="due before"):
        promise(vault, case, due_on=date(2026, 2, 1))


# --- what an audience sees ------------------------------------------------------------------


def test_a_commitment_made_in_confidence_is_not_shown_to_the_other_side(
    vault: Vault, case: dict[str, int]
) -> None:
    promise(vault, case, what="Quiet release", disclosure="confidential")
    promise(vault, case, what="Said in a confidence", source_message_id=case["secret"])
    public = promise(vault, case, what="Public release")
    gov = audience_for(vault, case["case"], case["gov"])
    assert [r.id for r in register(vault, case["case"], view=gov)] == [public]
    # Not even to its own side unless asked for its own statements (a confidence is a person's)
    front = audience_for(vault, case["case"], case["front"])
    assert [r.what for r in register(vault, case["case"], view=front)] == ["Public release"]
    own = audience_for(vault, case["case"], case["front"], include_own=True)
    # asked for its own statements, it sees all three: each rests on what it said itself
    assert len(register(vault, case["case"], view=own)) == 3


def test_unattributed_hides_who_promised_and_outcomes_rest_on_their_evidence(
    vault: Vault, case: dict[str, int]
) -> None:
    cid = promise(vault, case, disclosure="unattributed", note="mediator only")
    record_outcome(
        vault,
        cid,
        NewOutcome(date(2026, 3, 10), KEPT, "Col. X", Verification.MESSAGE, case["secret"]),
    )
    gov = audience_for(vault, case["case"], case["gov"])
    (row,) = register(vault, case["case"], view=gov, today=date(2026, 3, 12))
    assert row.party_id is None and row.party_name == "" and row.to_party_name == ""
    assert row.note == "" and row.outcomes == () and row.status is PENDING
    assert party_records(vault, case["case"], view=gov) == []
    outsider = create_outsider(vault, case["case"], "Envoy Marra")
    seen = register(vault, case["case"], view=audience_for_outsider(vault, outsider))
    assert [r.id for r in seen] == [cid] and seen[0].party_name == ""


def test_an_audience_that_may_not_see_an_outcome_sees_the_commitment_overdue(
    vault: Vault, case: dict[str, int]
) -> None:
    """Its status, overdue and due soon come from the outcomes it sees, not from all."""
    cid = promise(vault, case, due_on=date(2026, 3, 15))
    record_outcome(
        vault,
        cid,
        NewOutcome(date(2026, 3, 20), LATE, "", Verification.MESSAGE, case["secret"]),
    )
    gov = audience_for(vault, case["case"], case["gov"])
    (row,) = register(vault, case["case"], view=gov, today=date(2026, 4, 1))
    assert row.status is PENDING and row.overdue
    (mine,) = register(vault, case["case"], today=date(2026, 4, 1))
    assert mine.status is LATE and not mine.overdue
