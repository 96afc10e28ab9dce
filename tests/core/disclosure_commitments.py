"""Commitments and handovers (issue 17) for tests/core/test_disclosure_fuzz.py: the random
case of tests/core/disclosure_cases.py with, on top, commitments and their course, outside
audiences, handovers to them and a linked case; and the check of the commitments register
(the service every commitments PDF, the dossier's part and a debrief read through) as each
audience reads it, against the oracle (tests/core/disclosure_oracle.py).

The audiences are built with ``app.core.disclosure`` because they are what is under test;
what each may see is the oracle's answer alone.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import select

from app.core.disclosure.audience import audience_for, audience_for_outsider
from app.core.disclosure.handovers import HandoverRefused
from app.core.errors import CourseRefused
from app.core.models import (
    Case,
    CaseText,
    Clause,
    CommitmentStatus,
    Disclosure,
    Draft,
    Message,
    Option,
    OutsiderKind,
    Verification,
)
from app.core.services.commitments import (
    NewCommitment,
    NewOutcome,
    create_commitment,
    party_records,
    record_outcome,
    register,
)
from app.core.services.handovers import (
    NewHandoverItem,
    create_handover,
    create_outsider,
    link_cases,
)
from app.core.services.text_circulation import CirculationRefused, circulate
from app.core.services.texts import add_clause, create_text, drafts_of
from app.core.vault import Vault
from tests.core.disclosure_cases import (
    BASE,
    FUTURE,
    PAST,
    Built,
    Draw,
    _label,
    _name_in_text,
    _outsider_label,
)
from tests.core.disclosure_cases import build_random as build_case
from tests.core.disclosure_oracle import (
    ExportLabel,
    Finding,
    Markers,
    Oracle,
    Sight,
    World,
    report,
)


def build_random(vault: Vault, draw: Draw) -> Built:
    """The random case of :func:`tests.core.disclosure_cases.build_random`, then a few
    commitments and their course, one or two outside audiences, handovers to them and a
    case it feeds; every text field a fresh marker."""
    built = build_case(vault, draw)
    with vault.session() as s:
        message_ids = list(
            s.scalars(
                select(Message.id).where(Message.case_id == built.case_id).order_by(Message.id)
            )
        )
        option_ids = list(
            s.scalars(select(Option.id).where(Option.case_id == built.case_id).order_by(Option.id))
        )
    commitment_ids = random_commitments(vault, draw, built.mk, built, message_ids)
    random_handovers(vault, draw, built.mk, built, message_ids, option_ids, commitment_ids)
    return built


def _circulated(vault: Vault, case_id: int) -> tuple[list[int], list[int]]:
    """The case's circulated drafts and the clauses of those drafts."""
    with vault.session() as s:
        drafts = list(
            s.scalars(
                select(Draft.id)
                .join(CaseText, CaseText.id == Draft.text_id)
                .where(CaseText.case_id == case_id, Draft.circulated_at.is_not(None))
                .order_by(Draft.id)
            )
        )
        clauses = (
            list(
                s.scalars(select(Clause.id).where(Clause.draft_id.in_(drafts)).order_by(Clause.id))
            )
            if drafts
            else []
        )
    return drafts, clauses


def _short_text(
    vault: Vault, draw: Draw, mk: Markers, built: Built, message_ids: list[int]
) -> None:
    """A one- or two-clause text, its clauses said nowhere or in a message of any level,
    circulated to whichever parties the rule lets it go to."""
    text_id = create_text(vault, built.case_id, mk("principles"), purpose=mk())
    draft_id = drafts_of(vault, text_id)[-1].id
    for _ in range(draw(st.integers(1, 2), label="short text clauses")):
        add_clause(
            vault,
            draft_id,
            wording=mk(_name_in_text(draw, built.people)),
            note=mk(),
            source_message_id=draw(st.sampled_from([None, *message_ids])),
        )
    for k, pid in enumerate(built.parties):
        if draw(st.booleans()):
            try:
                circulate(vault, draft_id, [pid], at=PAST + timedelta(days=40 + k))
            except CirculationRefused:
                pass


_ACTED_ON = (
    CommitmentStatus.KEPT,
    CommitmentStatus.KEPT_LATE,
    CommitmentStatus.PARTLY_KEPT,
    CommitmentStatus.BROKEN,
)


def random_commitments(
    vault: Vault, draw: Draw, mk: Markers, built: Built, message_ids: list[int]
) -> list[int]:
    """A few commitments (issue 17): made by any party, maybe by one of its people, maybe to
    another party, at every level (embargoes past and future), said nowhere, in a message of
    any level, in a session or at a clause of a circulated draft, some on condition of an
    earlier one; then their course — outcomes with evidence of any level, most of them valid
    (conditions kept first, kept on time or late around the due date), the rest refused.
    A short second text (clauses said nowhere or in a message) is circulated first, so that
    some drafts can be handed to an outside audience too."""
    people = built.people
    _short_text(vault, draw, mk, built, message_ids)
    _drafts, clause_ids = _circulated(vault, built.case_id)
    made: list[tuple[int, NewCommitment]] = []
    for k in range(draw(st.integers(2, 4), label="commitments")):
        maker = draw(st.sampled_from(built.parties))
        level = draw(st.sampled_from(list(Disclosure)))
        origin = draw(st.sampled_from(["message", "clause", "none", "session"]))
        if origin == "clause" and not clause_ids:
            origin = "none"
        made_at = BASE + timedelta(days=10 + 9 * k, hours=draw(st.integers(0, 5)))
        due = draw(st.sampled_from([None, 12, 45]))
        new = NewCommitment(
            party_id=maker,
            what=mk(_name_in_text(draw, people)),
            made_at=made_at,
            person_id=draw(st.sampled_from([None, *[p.id for p in people]])),
            to_party_id=draw(st.sampled_from([None, *[p for p in built.parties if p != maker]])),
            condition=mk(_name_in_text(draw, people)) if draw(st.booleans()) else "",
            condition_id=(
                draw(st.sampled_from([cid for cid, _ in made]))
                if made and draw(st.booleans())
                else None
            ),
            due_on=None if due is None else made_at.date() + timedelta(days=due),
            disclosure=level,
            embargo_until=(
                draw(st.sampled_from([PAST, FUTURE])) if level is Disclosure.EMBARGOED else None
            ),
            source_message_id=(draw(st.sampled_from(message_ids)) if origin == "message" else None),
            source_session_id=(
                draw(st.sampled_from(built.sessions)) if origin == "session" else None
            ),
            source_clause_id=draw(st.sampled_from(clause_ids)) if origin == "clause" else None,
            note=mk(),
        )
        made.append((create_commitment(vault, built.case_id, new), new))
    kept: dict[int, date] = {}  # the day each commitment was first kept
    for cid, new in made:
        last = new.made_at.date()
        for _ in range(draw(st.integers(0, 2), label="outcomes")):
            status = draw(st.sampled_from(list(CommitmentStatus)))
            earliest = last
            if status in _ACTED_ON and new.condition_id is not None:
                # conditions first: on or after the day the condition was kept (if ever)
                earliest = max(earliest, kept.get(new.condition_id, earliest))
            if status is CommitmentStatus.KEPT_LATE and new.due_on is not None:
                earliest = max(earliest, new.due_on + timedelta(days=1))
            on = earliest + timedelta(days=draw(st.integers(0, 20)))
            if status is CommitmentStatus.KEPT and new.due_on is not None:
                on = min(on, new.due_on)  # refused if even that is too late
            try:
                record_outcome(
                    vault,
                    cid,
                    NewOutcome(
                        on=on,
                        status=status,
                        verified_by=mk(),
                        how=draw(st.sampled_from(list(Verification))),
                        evidence_message_id=draw(st.sampled_from([None, *message_ids])),
                        note=mk(_name_in_text(draw, people)),
                    ),
                )
            except CourseRefused:
                continue
            last = on
            if status in (CommitmentStatus.KEPT, CommitmentStatus.KEPT_LATE):
                kept.setdefault(cid, on)
    return [cid for cid, _ in made]


def random_handovers(
    vault: Vault,
    draw: Draw,
    mk: Markers,
    built: Built,
    message_ids: list[int],
    option_ids: list[int],
    commitment_ids: list[int],
) -> None:
    """One or two outside audiences and a few handovers to them of options, circulated
    drafts, commitments and findings (resting on a message or a session), through
    ``create_handover``: what the rule refuses is dropped and the rest handed over again,
    so only allowed handovers exist. And a case this one feeds (a link no export shows)."""
    people = built.people
    for _ in range(draw(st.integers(1, 2), label="outsiders")):
        built.outsiders.append(
            create_outsider(
                vault,
                built.case_id,
                mk("Envoy"),
                kind=draw(st.sampled_from(list(OutsiderKind))),
                organisation=mk(),
                person_id=draw(st.sampled_from([None, *[p.id for p in people]])),
                notes=mk(_name_in_text(draw, people)),
            )
        )
    drafts, _clauses = _circulated(vault, built.case_id)
    for k in range(draw(st.integers(1, 4), label="handovers")):
        items: list[NewHandoverItem] = []
        for _ in range(draw(st.integers(1, 3), label="handover items")):
            kind = draw(st.sampled_from(["commitment", "draft", "option", "finding"]))
            if kind == "option":
                items.append(NewHandoverItem(option_id=draw(st.sampled_from(option_ids))))
            elif kind == "draft" and drafts:
                items.append(NewHandoverItem(draft_id=draw(st.sampled_from(drafts))))
            elif kind == "commitment":
                items.append(NewHandoverItem(commitment_id=draw(st.sampled_from(commitment_ids))))
            else:
                items.append(
                    NewHandoverItem(
                        finding=mk(_name_in_text(draw, people)),
                        finding_message_id=draw(st.sampled_from([None, *message_ids])),
                        finding_session_id=draw(st.sampled_from([None, None, *built.sessions])),
                    )
                )
        # Mostly after the embargoes that have passed; now and then dated in the future,
        # when an embargo that has not yet passed will have.
        handed_at = draw(st.sampled_from([PAST + timedelta(days=60 + k), BASE, FUTURE]))
        outsider = draw(st.sampled_from(built.outsiders))
        through = draw(st.sampled_from([None, *[p.id for p in people]]))
        sources_named = draw(st.booleans())
        note = mk(_name_in_text(draw, people))
        while items:
            try:
                create_handover(
                    vault,
                    built.case_id,
                    outsider,
                    handed_at,
                    items,
                    through_person_id=through,
                    sources_named=sources_named,
                    note=note,
                )
                break
            except HandoverRefused as refused:
                gone = {r.index for r in refused.refusals}
                assert gone, "a refusal names the items refused"
                items = [it for i, it in enumerate(items) if i not in gone]
    with vault.transaction() as s:
        other = Case(title=mk("Track 1.5 talks"), summary=mk())
        s.add(other)
        s.flush()
        other_id = other.id
    ends = (built.case_id, other_id) if draw(st.booleans()) else (other_id, built.case_id)
    link_cases(vault, *ends, note=mk())


# --- the commitments register, read as each audience -------------------------------------


def audit_registers(built: Built, world: World, *, include_own: bool = False) -> list[str]:
    """The register every commitments PDF, the dossier's part and a debrief read through
    (``register(view=...)``), read as each party (and, without ``include_own``, as each
    outside audience), against the oracle: exactly the commitments and outcomes it lets
    that audience see, each at the oracle's sight; the maker, its person and the party it
    was made to only in full sight (the person only where the audience may see that
    person); a condition only if that commitment is seen; never the mediator's note, the
    sources, or who verified an outcome, how, and on what evidence; and a party's record
    counts only what it sees with its maker. One report per audience with problems."""
    out: list[str] = []
    audiences: list[tuple[int | None, int | None]] = [(p, None) for p in built.parties]
    if not include_own:
        audiences += [(None, o) for o in built.outsiders]
    for party, outsider in audiences:
        if outsider is None:
            view = audience_for(built.vault, built.case_id, party, include_own=include_own)
            label = ExportLabel("register", _label(world, party), False, include_own)
        else:
            view = audience_for_outsider(built.vault, outsider, codenames=False)
            label = ExportLabel("register", _outsider_label(world, outsider), False)
        oracle = Oracle(world, party, include_own=include_own, outsider_id=outsider)
        findings = _register_findings(built, oracle, view)
        if findings:
            out.append(report(label, findings))
    return out


def _register_findings(built: Built, oracle: Oracle, view: Any) -> list[Finding]:
    w = oracle.w
    rows = register(built.vault, built.case_id, view=view)
    expected = {
        cid
        for cid, c in w.commitments.items()
        if c.case_id == built.case_id and oracle.commitment_visible(cid)
    }
    got = {r.id for r in rows}
    out = [
        Finding("register", "register", f"holds {oracle._why_commitment(cid)}")
        for cid in sorted(got - expected)
    ]
    out += [
        Finding("register", "register", f"lacks {oracle._why_commitment(cid)}")
        for cid in sorted(expected - got)
    ]

    def wrong(r: Any, what: str) -> None:
        out.append(Finding("register", "register", f"{what}: {oracle._why_commitment(r.id)}"))

    for r in rows:
        if r.id not in expected:
            continue
        c = w.commitments[r.id]
        seen = oracle.commitment_sight(r.id)
        named = seen is Sight.FULL
        if int(r.sight) != int(seen):
            wrong(r, f"sight {Sight(int(r.sight)).name}, the oracle says {seen.name}")
        maker = c.party_id if named else None
        if r.party_id != maker or bool(r.party_name) != (maker is not None):
            wrong(r, f"maker shown as {r.party_id!r} {r.party_name!r}, expected {maker!r}")
        to = c.to_party_id if named else None
        if r.to_party_id != to or bool(r.to_party_name) != (to is not None):
            wrong(r, f"made to {r.to_party_id!r} {r.to_party_name!r}, expected {to!r}")
        person = c.person_id if named and oracle.person_named(c.person_id) else None
        if r.person_id != person or bool(r.person_name) != (person is not None):
            wrong(r, f"person shown as {r.person_id!r} {r.person_name!r}, expected {person!r}")
        condition = (
            c.condition_id
            if c.condition_id is not None and oracle.commitment_visible(c.condition_id)
            else None
        )
        if r.condition_id != condition or (condition is None and r.condition_what):
            wrong(r, f"condition shown as #{r.condition_id} {r.condition_what!r}")
        if r.note or (r.source_message_id, r.source_session_id, r.source_clause_id) != (
            None,
            None,
            None,
        ):
            wrong(r, "shows the mediator's note or where it was said")
        outcomes = {e for e, o in w.outcomes.items() if o.commitment_id == r.id}
        want = {e for e in outcomes if oracle.outcome_visible(e)}
        shown = {o.id for o in r.outcomes}
        if shown != want:
            evidence = ", ".join(
                f"#{e} evidence {oracle._why_message(w.outcomes[e].evidence_message_id)}"
                if w.outcomes[e].evidence_message_id is not None
                else f"#{e} no evidence"
                for e in sorted(shown ^ want)
            )
            wrong(r, f"outcomes {sorted(shown)}, expected {sorted(want)} ({evidence})")
        for o in r.outcomes:
            if o.verified_by or o.how is not None or o.evidence_message_id or o.note:
                wrong(r, f"outcome #{o.id} says who verified it, how, on what or a note")
    # A party's record counts only the commitments seen with their maker.
    counts: dict[int, int] = {}
    for cid in expected:
        if oracle.commitment_sight(cid) is Sight.FULL:
            maker = w.commitments[cid].party_id
            counts[maker] = counts.get(maker, 0) + 1
    records = {
        rec.party_id: rec.made
        for rec in party_records(built.vault, built.case_id, view=view)
        if rec.made
    }
    if records != counts:
        out.append(
            Finding(
                "register",
                "party_records",
                f"counts made {records}, the oracle {counts} (commitments seen with their maker)",
            )
        )
    return out
