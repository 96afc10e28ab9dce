"""Texts (issue 16): drafting, circulating numbered drafts through the disclosure rules,
frozen circulated drafts, critiques, and the ledger of who holds which draft."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from app.core.errors import DisclosureViolation, DraftFrozen, ValidationError
from app.core.models import Clause, Delivery, Draft
from app.core.services.records import Records
from app.core.services.text_circulation import (
    CirculationRefused,
    check_circulation,
    circulate,
    discard_working_changes,
    drafts_held,
    texts_carrying,
)
from app.core.services.text_critiques import critique_matrix, record_critique
from app.core.services.text_wording import bracketed
from app.core.services.texts import (
    NewAlternative,
    add_clause,
    clauses_of,
    create_text,
    delete_clause,
    delete_text,
    drafts_of,
    move_clause,
    set_alternatives,
    set_clause_options,
    texts_of_case,
    update_clause,
)
from app.core.vault import Vault

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def case(vault: Vault) -> dict[str, int]:
    r = Records(vault)
    ids = {"case": r.create("case", title="Korvan talks")}
    ids["gov"] = r.create("party", case_id=ids["case"], name="Government", kind="government")
    ids["front"] = r.create("party", case_id=ids["case"], name="Front", kind="armed_group")
    ids["secret"] = r.create(
        "message",
        case_id=ids["case"],
        sender_party_id=ids["gov"],
        said_at=T0,
        disclosure="confidential",
        summary="Could accept joint patrols",
    )
    ids["open"] = r.create(
        "message",
        case_id=ids["case"],
        sender_party_id=ids["front"],
        said_at=T0,
        disclosure="shareable",
        summary="Wants a border commission",
    )
    ids["option"] = r.create(
        "option", case_id=ids["case"], title="Joint patrols", raised_in_message_id=ids["secret"]
    )
    ids["text"] = create_text(vault, ids["case"], "Working paper")
    return ids


def working(vault: Vault, text_id: int) -> int:
    return drafts_of(vault, text_id)[-1].id


def test_a_new_text_has_an_empty_working_draft_1(vault: Vault, case: dict[str, int]) -> None:
    [info] = texts_of_case(vault, case["case"])
    assert (info.title, info.working_number, info.circulated) == ("Working paper", 1, 0)
    [d] = drafts_of(vault, case["text"])
    assert d.working and d.number == 1 and d.clauses == 0


def test_clauses_are_numbered_headings_and_paragraphs(vault: Vault, case: dict[str, int]) -> None:
    d = working(vault, case["text"])
    add_clause(vault, d, wording="Preamble")
    add_clause(vault, d, wording="Security", kind="heading")
    add_clause(vault, d, wording="Patrols")
    add_clause(vault, d, wording="Commission")
    add_clause(vault, d, wording="Return", kind="heading")
    add_clause(vault, d, wording="Refugees")
    numbers = [(c.number, c.wording) for c in clauses_of(vault, d)]
    assert numbers == [
        ("1", "Preamble"),
        ("2", "Security"),
        ("2.1", "Patrols"),
        ("2.2", "Commission"),
        ("3", "Return"),
        ("3.1", "Refugees"),
    ]
    c = clauses_of(vault, d)[3]
    move_clause(vault, c.id, 0)
    assert [x.wording for x in clauses_of(vault, d)][:2] == ["Commission", "Preamble"]
    delete_clause(vault, c.id)
    assert [x.position for x in clauses_of(vault, d)] == list(range(5))


def test_brackets_are_structured_alternatives(vault: Vault, case: dict[str, int]) -> None:
    d = working(vault, case["text"])
    c = add_clause(vault, d, wording="The parties agree on {1} in the zone.")
    set_alternatives(
        vault,
        c,
        [
            NewAlternative(1, case["gov"], "security arrangements"),
            NewAlternative(1, case["front"], "disarmament"),
        ],
    )
    [info] = clauses_of(vault, d)
    assert bracketed(info.wording, info.alternatives) == (
        "The parties agree on [Government: security arrangements] [Front: disarmament] in the zone."
    )


def test_circulating_freezes_the_draft_and_starts_the_next(
    vault: Vault, case: dict[str, int]
) -> None:
    d1 = working(vault, case["text"])
    c = add_clause(vault, d1, wording="A border commission.", source_message_id=case["open"])
    result = circulate(vault, d1, [case["gov"], case["front"]], at=T0 + timedelta(days=1))
    assert result.number == 1 and len(result.delivery_ids) == 2
    drafts = drafts_of(vault, case["text"])
    assert [(x.number, x.working) for x in drafts] == [(1, False), (2, True)]
    assert {r.party_name for r in drafts[0].recipients} == {"Government", "Front"}
    # The copy keeps the clause's identity.
    [copy] = clauses_of(vault, result.working_draft_id)
    [orig] = clauses_of(vault, d1)
    assert copy.key == orig.key and copy.id != orig.id
    # Draft 1 cannot change, through the service or any other path.
    with pytest.raises(ValidationError):
        update_clause(vault, c, wording="Changed")
    with pytest.raises(DraftFrozen):
        Records(vault).update("clause", c, wording="Changed behind the service")
    with pytest.raises(DraftFrozen):
        Records(vault).delete("clause", c)
    with pytest.raises(DraftFrozen):
        Records(vault).create("clause", draft_id=d1, key=99, position=5, wording="Slipped in")
    with pytest.raises(DraftFrozen):
        Records(vault).create("alternative", clause_id=c, slot=1, wording="Slipped in")
    with pytest.raises(DraftFrozen):
        Records(vault).update("draft", d1, number=7)
    Records(vault).update("draft", d1, note="the mediator's own note may change")
    assert [x.wording for x in clauses_of(vault, d1)] == ["A border commission."]
    # The working draft is free.
    update_clause(vault, copy.id, wording="A joint border commission.")


def test_circulation_is_refused_for_a_clause_a_party_may_not_see(
    vault: Vault, case: dict[str, int]
) -> None:
    d = working(vault, case["text"])
    add_clause(vault, d, wording="Open clause")
    add_clause(vault, d, wording="Security", kind="heading")
    secret = add_clause(vault, d, wording="Joint patrols", source_message_id=case["secret"])
    carrier = add_clause(vault, d, wording="Patrol details")
    set_clause_options(vault, carrier, [case["option"]])
    problems = check_circulation(vault, d, [case["front"]], T0)
    assert [(p.clause_id, p.number) for p in problems] == [(secret, "2.1"), (carrier, "2.2")]
    assert problems[0].text.startswith("Clause 2.1 cannot go to Front: its wording came from")
    assert "confidential" in problems[0].text
    assert "option “Joint patrols”" in problems[1].text
    with pytest.raises(CirculationRefused) as refused:
        circulate(vault, d, [case["gov"], case["front"]], at=T0)
    # The sender's own party is refused a confidence too (a confidence is a person's).
    assert str(refused.value).startswith("Clause 2.1 cannot go to Government")
    assert str(refused.value).endswith("3 more clauses or parties are refused too.")
    # Nothing was saved: the draft is still the working one and nobody holds it.
    assert drafts_of(vault, case["text"])[-1].working
    assert drafts_held(vault, case["front"]) == []
    # A confidence is not passed even to its sender's own party.
    assert check_circulation(vault, d, [case["gov"]], T0)


def test_the_flush_guard_refuses_a_draft_delivery_written_any_other_way(
    vault: Vault, case: dict[str, int]
) -> None:
    d = working(vault, case["text"])
    add_clause(vault, d, wording="Joint patrols", source_message_id=case["secret"])
    with vault.session() as s:
        draft = s.get(Draft, d)
        assert draft is not None
        draft.circulated_at = T0
        s.add(
            Delivery(
                case_id=case["case"], recipient_party_id=case["front"], delivered_at=T0, draft_id=d
            )
        )
        with pytest.raises(DisclosureViolation, match="Clause 1 cannot go to Front"):
            s.commit()
    with pytest.raises(DisclosureViolation):
        Records(vault).create(
            "delivery", case_id=case["case"], recipient_party_id=case["front"], draft_id=d
        )


def test_a_release_lets_the_clause_through(vault: Vault, case: dict[str, int]) -> None:
    d = working(vault, case["text"])
    add_clause(vault, d, wording="Joint patrols", source_message_id=case["secret"])
    Records(vault).create(
        "release",
        message_id=case["secret"],
        party_id=case["front"],
        released_by="me",
        released_at=T0,
        reason="The minister agreed",
    )
    assert check_circulation(vault, d, [case["front"]], T0 + timedelta(hours=1)) == []
    circulate(vault, d, [case["front"]], at=T0 + timedelta(hours=1))


def test_the_ledger_shows_which_draft_each_party_holds(vault: Vault, case: dict[str, int]) -> None:
    d1 = working(vault, case["text"])
    add_clause(vault, d1, wording="One")
    r1 = circulate(vault, d1, [case["gov"], case["front"]], at=T0)
    add_clause(vault, r1.working_draft_id, wording="Two")
    r2 = circulate(vault, r1.working_draft_id, [case["gov"]], at=T0 + timedelta(days=3))
    gov = drafts_held(vault, case["gov"])
    front = drafts_held(vault, case["front"])
    assert [(h.number, h.latest) for h in gov] == [(1, False), (2, True)]
    assert [(h.number, h.latest) for h in front] == [(1, True)]
    assert front[0].label == "Draft 1 of “Working paper” (1 Mar 2026)"
    # Giving an already circulated draft to another party adds a delivery, no new draft.
    more = circulate(vault, r2.draft_id, [case["front"]], at=T0 + timedelta(days=4))
    assert more.working_draft_id == r2.working_draft_id
    assert [h.number for h in drafts_held(vault, case["front"]) if h.latest] == [2]
    assert [d.number for d in drafts_of(vault, case["text"])] == [1, 2, 3]


def test_critiques_make_a_matrix_of_clauses_by_parties(vault: Vault, case: dict[str, int]) -> None:
    d1 = working(vault, case["text"])
    a = add_clause(vault, d1, wording="One")
    b = add_clause(vault, d1, wording="Two")
    with pytest.raises(ValidationError, match="was not given draft 1"):
        record_critique(vault, a, case["gov"], "accepts")
    circulate(vault, d1, [case["gov"], case["front"]], at=T0)
    record_critique(vault, a, case["gov"], "rejects", recorded_on=date(2026, 3, 2))
    record_critique(vault, a, case["gov"], "accepts", recorded_on=date(2026, 3, 5))
    record_critique(
        vault, b, case["front"], "accepts_with_changes", proposed_wording="Two and a half"
    )
    m = critique_matrix(vault, d1)
    assert [p for _, p in m.parties] == ["Government", "Front"]
    cell_a = m.cell(a, case["gov"])
    cell_b = m.cell(b, case["front"])
    assert cell_a is not None and cell_a.reaction == "accepts"
    assert cell_b is not None and cell_b.proposed_wording == "Two and a half"
    assert m.cell(a, case["front"]) is None


def test_options_show_the_texts_that_carry_them(vault: Vault, case: dict[str, int]) -> None:
    opt = Records(vault).create("option", case_id=case["case"], title="Border commission")
    d1 = working(vault, case["text"])
    add_clause(vault, d1, wording="Intro")
    c = add_clause(vault, d1, wording="A commission")
    set_clause_options(vault, c, [opt])
    circulate(vault, d1, [case["gov"]], at=T0)
    [where] = texts_carrying(vault, opt)
    assert (where.title, where.draft_number, where.clause_number) == ("Working paper", 2, "2")


def test_a_circulated_text_cannot_be_deleted_and_discard_restores(
    vault: Vault, case: dict[str, int]
) -> None:
    d1 = working(vault, case["text"])
    add_clause(vault, d1, wording="One")
    r = circulate(vault, d1, [case["gov"]], at=T0)
    add_clause(vault, r.working_draft_id, wording="Scribble")
    new_working = discard_working_changes(vault, case["text"])
    assert [c.wording for c in clauses_of(vault, new_working)] == ["One"]
    assert drafts_of(vault, case["text"])[-1].number == 2
    with pytest.raises(ValidationError, match="stays in the case"):
        delete_text(vault, case["text"])
    other = create_text(vault, case["case"], "Scratch")
    delete_text(vault, other)
    with vault.session() as s:
        assert s.get(Clause, 1) is not None


def test_an_options_history_says_when_it_was_written_into_a_text_and_dropped(
    vault: Vault, case: dict[str, int]
) -> None:
    from app.core.services.options import option_history

    opt = Records(vault).create("option", case_id=case["case"], title="Border commission")
    d1 = working(vault, case["text"])
    c = add_clause(vault, d1, wording="A commission")
    set_clause_options(vault, c, [opt])
    r1 = circulate(vault, d1, [case["gov"]], at=T0)
    r2 = circulate(vault, r1.working_draft_id, [case["gov"]], at=T0 + timedelta(days=2))
    [copy] = clauses_of(vault, r2.working_draft_id)
    set_clause_options(vault, copy.id, [])
    circulate(vault, r2.working_draft_id, [case["gov"]], at=T0 + timedelta(days=5))
    texts = [e.text for e in option_history(vault, opt) if e.what == "text"]
    assert texts == [
        "Written into draft 1 of “Working paper”",
        "Dropped from draft 3 of “Working paper”",
    ]


def test_a_circulated_drafts_carried_options_cannot_change_either(
    vault: Vault, case: dict[str, int]
) -> None:
    from app.core.models import Option

    d1 = working(vault, case["text"])
    c = add_clause(vault, d1, wording="Open")
    circulate(vault, d1, [case["gov"]], at=T0)
    with vault.session() as s:
        clause = s.get(Clause, c)
        assert clause is not None
        clause.options = [o for o in [s.get(Option, case["option"])] if o is not None]
        with pytest.raises(DraftFrozen, match="Draft 1 was circulated on 1 Mar 2026"):
            s.commit()


def test_a_source_cannot_be_tightened_under_an_earlier_circulation(
    vault: Vault, case: dict[str, int]
) -> None:
    """Once a clause from a shareable message went to the Front, making that message
    confidential (or deleting the release that let a confidence through) would leave the
    Front holding what it may not see: refused, nothing changed."""
    d1 = working(vault, case["text"])
    add_clause(vault, d1, wording="A border commission.", source_message_id=case["open"])
    circulate(vault, d1, [case["front"], case["gov"]], at=T0 + timedelta(days=1))
    with pytest.raises(DisclosureViolation, match="would break the circulation of draft 1"):
        Records(vault).update("message", case["open"], disclosure="confidential")
    assert Records(vault).get("message", case["open"])["disclosure"] == "shareable"
    # A release that let a confidence into a draft cannot be taken back either.
    r = Records(vault)
    rel = r.create(
        "release",
        message_id=case["secret"],
        party_id=case["front"],
        released_by="me",
        released_at=T0,
        reason="The minister agreed",
    )
    d2 = drafts_of(vault, case["text"])[-1].id
    add_clause(vault, d2, wording="Joint patrols", source_message_id=case["secret"])
    circulate(vault, d2, [case["front"]], at=T0 + timedelta(days=3))
    with pytest.raises(DisclosureViolation, match="would break the circulation of draft 2"):
        r.delete("release", rel)
    assert r.get("release", rel)["reason"] == "The minister agreed"
    # A change that breaks nothing still goes through.
    r.update("message", case["open"], summary="Wants a joint border commission")
