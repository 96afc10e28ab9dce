"""Issue 13, "no export for a party leaks": random vaults with every kind of record, a unique
marker in every text field and people with awkwardly spelled names, exported as every kind
of PDF for every party, with and without codenames; what each party's copy holds is checked
against an independent oracle of the rules (tests/core/disclosure_oracle.py) by five readers:
pypdf's text, poppler's pdftotext (when installed), the raw bytes with every stream inflated
and every string decoded, the bookmarks and the metadata. The vaults and the export loop are
in tests/core/disclosure_cases.py.

Issue 17 adds commitments (every level and origin, conditions, outcomes on evidence of every
level), outside audiences and handovers to them (only those the rule lets through): each
party's commitments register and each outside audience's debrief are audited the same way,
and first the register they read through (``register(view=...)``) is checked row by row
against the oracle, as each party and each outside audience — which commitments and outcomes,
at which sight, whose names, and never the mediator's fields.

Then one small, hand-built vault per known leak (``test_no_leak_*``), so that each is pinned
whatever hypothesis happens to draw.

``LIAISON_FUZZ_EXAMPLES=200`` makes a soak of the property tests (default: 6 examples, some
90 s on two cores, which export a party's commitments once, with codenames, one debrief per
vault and one text; the soak exports everything for everyone); ``LIAISON_FUZZ_SHRINK=1``
lets hypothesis shrink a failure to a smaller vault (slow: every step is a vault and some 60
exports).
"""

from __future__ import annotations

import faulthandler
import os
import tempfile
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from app.core.disclosure.handovers import HandoverRefused
from app.core.errors import DisclosureViolation, ValidationError
from app.core.models import (
    Action,
    Affiliation,
    AgendaItem,
    CommitmentStatus,
    Disclosure,
    Party,
    RaisedBy,
    Round,
    SessionNoteKind,
)
from app.core.services.handovers import NewHandoverItem, link_cases
from app.core.services.options import (
    merge_options,
    record_stances,
    refine_option,
    split_option,
)
from app.core.services.sessions import promote_to_profile
from app.core.services.shuttle import record_delivery, release
from app.core.services.text_circulation import CirculationRefused, circulate
from app.core.services.text_critiques import record_critique
from app.core.services.texts import (
    NewAlternative,
    add_clause,
    clauses_of,
    create_text,
    drafts_of,
    set_alternatives,
    set_clause_options,
    update_clause,
)
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.core.disclosure_cases import (
    FUTURE,
    NBSP,
    PAST,
    PDF_KINDS,
    SESSION_KINDS,
    Hand,
    export_and_audit,
)
from tests.core.disclosure_commitments import audit_registers, build_random
from tests.core.disclosure_oracle import load_world

_EXAMPLES = int(os.environ.get("LIAISON_FUZZ_EXAMPLES", "6"))
_SOAK = "LIAISON_FUZZ_EXAMPLES" in os.environ
settings.register_profile(
    "liaison-disclosure-fuzz",
    settings(
        max_examples=_EXAMPLES,
        deadline=None,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.function_scoped_fixture,
        ],
        phases=(
            list(Phase)
            if os.environ.get("LIAISON_FUZZ_SHRINK")
            else [Phase.explicit, Phase.reuse, Phase.generate]
        ),
        print_blob=True,
    ),
)
FUZZ = settings.get_profile("liaison-disclosure-fuzz")


# --- the property test -------------------------------------------------------------------


def _fuzz_once(data: st.DataObject, **kw: Any) -> None:
    """One random vault, every export asked for, audited; fails at the first export with a
    problem, saying which marker (field, record), which export and which reader."""
    if "LIAISON_FUZZ_EXAMPLES" in os.environ:
        # A soak runs longer than pytest's faulthandler_timeout (100 s): no stack dump midway.
        faulthandler.cancel_dump_traceback_later()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        vault = Vault.create(folder / "fuzz.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
        try:
            built = build_random(vault, data.draw)
            world = load_world(vault, built.case_id)
            # The register every commitments PDF reads through, as each audience, first.
            problems = audit_registers(built, world, include_own=kw.get("include_own", False))
            if kw.pop("parties_only", False):
                kw["audiences"] = list(built.parties)
            if not problems:
                if _SOAK:  # a debrief without codenames too
                    kw.setdefault("outsider_codenames", (True, False))
                else:  # a party's commitments once (mine are in my dossier), one debrief;
                    # the short second text is read in the dossier and debriefs
                    kw.setdefault("once", ("commitments",))
                    kw.setdefault("texts", 1)
                    kw.setdefault("outsiders", built.outsiders[:1])
                problems = export_and_audit(built, world, folder, **kw)
        finally:
            vault.lock()
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.timeout(max(180, 45 * _EXAMPLES))
@FUZZ
@given(data=st.data())
def test_no_export_for_a_party_leaks(data: st.DataObject) -> None:
    """Every kind of PDF for every party (and "me"), with and without codenames: nothing a
    party may not see, no real name with codenames, no count of what was withheld."""
    _fuzz_once(data)


@pytest.mark.slow
@pytest.mark.timeout(max(180, 45 * _EXAMPLES))
@settings(FUZZ, max_examples=max(1, _EXAMPLES // 3))
@given(data=st.data())
def test_no_export_with_include_own_leaks(data: st.DataObject) -> None:
    """The same with ``include_own``: a party's own statements too, and nothing more."""
    _fuzz_once(data, parties_only=True, include_own=True)


# --- one hand-built vault per known leak -------------------------------------------------


def test_no_leak_profile_from_another_partys_confidential_message(
    vault: Vault, tmp_path: Path
) -> None:
    """What B said in confidence, written into A's profile, is still B's confidence."""
    h = Hand(vault)
    pa = h.person("Lia Morven", h.a)
    secret = h.message(h.b, h.a, Disclosure.CONFIDENTIAL)
    embargoed = h.message(h.b, h.a, Disclosure.EMBARGOED, embargo_until=FUTURE)
    h.profile(h.a, source_message_id=secret)
    h.profile(h.a, source_message_id=embargoed, retired_on=date(2025, 5, 1))
    plain = h.profile(h.a)
    h.session([(pa, h.a)])
    h.check(tmp_path, audiences=[h.a], kinds=("dossier", "brief"), categories={"marker"})
    # The profile is there: A's own entry without a source is shown.
    assert h.marker_of("profile_entries", "text", plain) in h.text(tmp_path, "dossier", h.a)


def test_no_leak_profile_from_a_session_not_attended(vault: Vault, tmp_path: Path) -> None:
    """A note promoted to A's profile from a session only B attended stays out of A's copy."""
    h = Hand(vault)
    pa = h.person("Lia Morven", h.a)
    pb = h.person("Oren Tal", h.b)
    closed = h.session([(pb, h.b)])
    fear = h.note(closed, SessionNoteKind.FEAR, h.b)
    promote_to_profile(vault, fear, h.a)
    statement = h.note(closed, SessionNoteKind.STATEMENT, None)
    promote_to_profile(vault, statement, h.a)
    h.session([(pa, h.a), (pb, h.b)])
    h.check(tmp_path, audiences=[h.a], kinds=("dossier", "brief"), categories={"marker"})


def test_no_leak_options_refined_split_or_merged_from_a_confidential_message(
    vault: Vault, tmp_path: Path
) -> None:
    """An option raised in A's confidence, refined, split and merged: none of its
    descendants reaches B; nor those of an option raised in a session B did not attend."""
    h = Hand(vault)
    pa = h.person("Lia Morven", h.a)
    pb = h.person("Oren Tal", h.b)
    secret = h.message(h.a, h.b, Disclosure.CONFIDENTIAL)
    raised = h.option(raised_in_message_id=secret, raised_by=RaisedBy.PARTY, raised_by_party_id=h.a)
    refined = refine_option(vault, raised, title=h.mk(), text=h.mk())
    left, right = split_option(vault, refined, [(h.mk(), h.mk()), (h.mk(), h.mk())])
    other = h.option()
    merge_options(vault, [right, other], title=h.mk(), text=h.mk())
    refine_option(vault, left, title=h.mk(), text=h.mk())
    closed = h.session([(pa, h.a)])
    in_closed = h.option(raised_in_session_id=closed)
    split_option(vault, in_closed, [(h.mk(), h.mk()), (h.mk(), h.mk())])
    record_stances(vault, refined, {h.b: ("opposes", h.mk())}, at=PAST)
    shown = h.option()
    h.session([(pb, h.b)])
    h.check(tmp_path, audiences=[h.b], kinds=("options", "dossier", "brief"), categories={"marker"})
    assert h.marker_of("options", "title", shown) in h.text(tmp_path, "options", h.b)


def test_no_leak_real_names_with_codenames(vault: Vault, tmp_path: Path) -> None:
    """With codenames no part of a real name survives: not in a session's, a round's or the
    case's title, the contents, the bookmarks, nor written with ß as "ss", in capitals, with
    two spaces, a non-breaking space or a line break between the parts, decomposed (NFD), or
    one part alone; people without a codename are not named either."""
    h = Hand(vault, title="talks with JÜRGEN WEISSMÜLLER")
    jurgen = h.person("Jürgen Weißmüller", h.a, "Heron")
    sofia = h.person(f"Σοφία{NBSP}Παπαδόπουλος", h.a, "Falcon")
    zhanna = h.person("Жанна Фёдорова", h.b)  # no codename
    asa = h.person("Åsa Ólafsdóttir Strauß", h.b, "Maple")
    with vault.transaction() as s:
        rnd = Round(case_id=h.case_id, number=1, title=h.mk("visit to weissmüller"), notes="")
        s.add(rnd)
        s.flush()
        round_id = rnd.id
    h.message(h.a, h.b, Disclosure.SHAREABLE, words="Jürgen\nWeißmüller agreed", round_id=round_id)
    h.message(
        h.b,
        h.a,
        Disclosure.SHAREABLE,
        words=unicodedata.normalize("NFD", "Åsa Ólafsdóttir Strauß") + " asks",
        round_id=round_id,
    )
    h.message(
        h.b,
        h.a,
        Disclosure.SHAREABLE,
        words="Фёдорова will write",
        round_id=round_id,
        sender_person_id=zhanna,
    )
    h.person("Ævar  Brontë", h.c, "Quartz")  # two spaces in the name itself
    sid = h.session(
        [(jurgen, h.a), (sofia, h.a), (zhanna, h.b), (asa, h.b)],
        words="Meeting with Σοφία Παπαδόπουλος",
    )
    h.note(sid, SessionNoteKind.AGREEMENT, None, words="Жанна Фёдорова and ÅSA  STRAUSS agree")
    h.note(sid, SessionNoteKind.AGREEMENT, None, words=f"Ævar{NBSP}Brontë and ævar brontë too")
    h.option(words="Plan of Åsa  Strauß", raised_in_session_id=sid)
    h.option(words="Σοφία's plan", raised_by=RaisedBy.PERSON, raised_by_person_id=sofia)
    with vault.transaction() as s:
        s.add(Action(case_id=h.case_id, session_id=sid, title=h.mk(), owner_person_id=zhanna))
    h.check(
        tmp_path,
        audiences=[h.a, h.b],
        kinds=PDF_KINDS + SESSION_KINDS,
        categories={"codename"},
        codenames=(True,),
    )
    assert "Heron" in h.text(tmp_path, "dossier", h.a, codenames=True)


def test_no_leak_in_reply_to_points_at_a_source(vault: Vault, tmp_path: Path) -> None:
    """An "In reply to" line ties two messages together, so it is shown only where both may
    be named. C may read what A said without attribution, and B's named answer to it, but not
    "B answered <what A said>" (that names A as the source); nor an unattributed answer to a
    named message (that names its sender)."""
    h = Hand(vault)
    said = h.message(h.a, h.b, Disclosure.UNATTRIBUTED)
    answer = h.message(h.b, h.a, Disclosure.SHAREABLE, reply_to=said)
    named = h.message(h.a, h.b, Disclosure.SHAREABLE)
    h.message(h.b, h.a, Disclosure.UNATTRIBUTED, reply_to=named)
    secret = h.message(h.a, h.b, Disclosure.CONFIDENTIAL)
    h.message(h.b, h.a, Disclosure.SHAREABLE, reply_to=secret)
    h.check(tmp_path, audiences=[h.c], kinds=("log", "dossier"), categories={"marker", "reply"})
    h.check(tmp_path, audiences=[h.b], kinds=("log", "dossier"), categories={"reply"})
    text = h.text(tmp_path, "log", h.c)
    assert h.marker_of("messages", "summary", answer) in text
    assert h.marker_of("messages", "summary", said) in text  # the substance, unattributed


def test_no_leak_of_a_partys_own_confidences(vault: Vault, tmp_path: Path) -> None:
    """A confidence is a person's, not a delegation's: A's copy does not hold what A's own
    people said in confidence (nor, before its date, under embargo), nor the verbatim words
    and place of what they said without attribution."""
    h = Hand(vault)
    pa = h.person("Lia Morven", h.a)
    secret = h.message(h.a, h.b, Disclosure.CONFIDENTIAL)
    h.message(h.a, h.b, Disclosure.EMBARGOED, embargo_until=FUTURE)
    h.message(h.a, None, Disclosure.UNATTRIBUTED)
    try:  # conveying a confidence back to its own party is refused (or, before, allowed)
        record_delivery(
            vault,
            case_id=h.case_id,
            recipient_party_id=h.a,
            delivered_at=PAST,
            items=[(secret, False)],
            content=h.mk(),
        )
    except DisclosureViolation:
        pass
    h.session([(pa, h.a)])
    h.check(
        tmp_path,
        audiences=[h.a],
        kinds=("log", "dossier", "brief", "options"),
        categories={"marker", "reply"},
    )


def test_no_leak_of_how_much_was_withheld(vault: Vault, tmp_path: Path) -> None:
    """A party's copy never says how much was left out of it, nor that nothing was."""
    h = Hand(vault)
    pa = h.person("Lia Morven", h.a)
    h.message(h.b, h.a, Disclosure.CONFIDENTIAL)
    h.message(h.b, h.a, Disclosure.SHAREABLE)
    sid = h.session([(pa, h.a)])
    h.note(sid, SessionNoteKind.OBSERVATION, None)
    h.option()
    h.check(
        tmp_path, audiences=[h.a, h.c], kinds=PDF_KINDS + SESSION_KINDS, categories={"withheld"}
    )


def test_no_leak_of_agenda_notes_or_other_parties_ties(vault: Vault, tmp_path: Path) -> None:
    """The mediator's agenda notes, a person's ties to other parties and the actions of a
    session the party did not attend stay out of a party's copy, even when its own people
    appear in them."""
    h = Hand(vault)
    pa = h.person("Lia Morven", h.a)
    with vault.transaction() as s:
        s.add(Affiliation(person_id=pa, party_id=h.b, role=h.mk()))  # A's person, tied to B
    pb = h.person("Oren Tal", h.b)
    sid = h.session([(pa, h.a), (pb, h.b)])
    with vault.transaction() as s:
        for item in s.scalars(select(AgendaItem).where(AgendaItem.session_id == sid)):
            item.notes = h.mk()
    closed = h.session([(pb, h.b)])
    with vault.transaction() as s:
        s.add(Action(case_id=h.case_id, session_id=closed, title=h.mk(), owner_person_id=pa))
    h.check(tmp_path, audiences=[h.a], kinds=("dossier", "brief"), categories={"marker"})


def test_include_own_shows_a_partys_own_statements_and_nothing_more(
    vault: Vault, tmp_path: Path
) -> None:
    """``include_own``: A's copy holds what A said, at every level, and its own notes of the
    sessions it attended; still nothing of B's confidences."""
    h = Hand(vault)
    pa = h.person("Lia Morven", h.a)
    pb = h.person("Oren Tal", h.b)
    own = h.message(h.a, h.b, Disclosure.CONFIDENTIAL)
    h.message(h.b, h.a, Disclosure.CONFIDENTIAL)
    h.message(h.b, h.a, Disclosure.UNATTRIBUTED)
    sid = h.session([(pa, h.a), (pb, h.b)])
    own_note = h.note(sid, SessionNoteKind.OBSERVATION, h.a)
    h.note(sid, SessionNoteKind.OBSERVATION, h.b)
    closed = h.session([(pb, h.b)])
    h.note(closed, SessionNoteKind.STATEMENT, h.a)
    h.check(
        tmp_path,
        audiences=[h.a],
        kinds=("log", "dossier", "notes"),
        categories={"marker", "reply", "withheld"},
        include_own=True,
    )
    log = h.text(tmp_path, "log", h.a, include_own=True)
    for column in ("summary", "content"):
        assert h.marker_of("messages", column, own) in log
    notes = h.text(tmp_path, "notes", h.a, include_own=True, session_id=sid)
    assert h.marker_of("session_notes", "text", own_note) in notes


# --- texts (issue 16) ------------------------------------------------------------------------


def _text_with(h: Hand, clauses: list[dict[str, Any]]) -> tuple[int, int]:
    """A text whose working draft holds these clauses; returns (text id, draft id)."""
    tid = create_text(h.vault, h.case_id, h.mk("paper"), purpose=h.mk())
    did = drafts_of(h.vault, tid)[-1].id
    for c in clauses:
        alternatives = c.pop("alternatives", [])
        options = c.pop("options", [])
        cid = add_clause(h.vault, did, wording=h.mk(c.pop("words", "")), note=h.mk(), **c)
        if alternatives:
            set_alternatives(h.vault, cid, alternatives)
        if options:
            set_clause_options(h.vault, cid, options)
    return tid, did


def test_no_draft_goes_to_a_party_with_a_clause_from_what_it_may_not_see(
    vault: Vault, tmp_path: Path
) -> None:
    """A clause from A's confidence, from a session B did not attend, carrying an option
    refined from A's confidence, or with an alternative from A's embargoed words: the draft
    cannot be circulated to B (each such clause refused with its reason); nothing of it
    reaches B's copy."""
    h = Hand(vault)
    pa = h.person("Lia Morven", h.a)
    secret = h.message(h.a, h.b, Disclosure.CONFIDENTIAL)
    embargoed = h.message(h.a, h.b, Disclosure.EMBARGOED, embargo_until=FUTURE)
    closed = h.session([(pa, h.a)])
    raised = h.option(raised_in_message_id=secret)
    refined = refine_option(vault, raised, title=h.mk(), text=h.mk())
    for origin in (
        {"source_message_id": secret},
        {"source_session_id": closed},
        {"options": [refined]},
        {"alternatives": [NewAlternative(1, h.a, h.mk(), embargoed)]},
    ):
        _tid, did = _text_with(h, [{"words": "fine"}, origin])
        with pytest.raises(CirculationRefused, match="Clause 2 cannot go to"):
            circulate(vault, did, [h.b], at=PAST)
        assert drafts_of(vault, _tid)[-1].working  # nothing was saved
    h.check(tmp_path, audiences=[h.b], kinds=("text", "dossier", "log"), categories={"marker"})


def test_no_leak_bracket_naming_the_party_behind_an_unattributed_source(
    vault: Vault, tmp_path: Path
) -> None:
    """An alternative taken from A's unattributed words may reach B, but not with A's name
    on its bracket; one from A's shareable words carries it."""
    h = Hand(vault)
    hidden = h.message(h.a, h.b, Disclosure.UNATTRIBUTED)
    tid, did = _text_with(
        h, [{"words": "on {1}", "alternatives": [NewAlternative(1, h.a, h.mk(), hidden)]}]
    )
    circulate(vault, did, [h.b], at=PAST)
    shown = h.text(tmp_path, "text", h.b, text_id=tid)
    with vault.session() as s:
        a_name = s.get(Party, h.a).name  # type: ignore[union-attr]
    assert a_name not in shown
    open_words = h.message(h.a, h.b, Disclosure.SHAREABLE)
    tid2, did2 = _text_with(
        h, [{"words": "on {1}", "alternatives": [NewAlternative(1, h.a, h.mk(), open_words)]}]
    )
    circulate(vault, did2, [h.b], at=PAST)
    assert f"{a_name}:" in h.text(tmp_path, "text", h.b, text_id=tid2)
    h.check(tmp_path, audiences=[h.b], kinds=("text",), categories={"marker"})


def test_a_partys_copy_of_a_text_is_only_of_drafts_it_was_given(
    vault: Vault, tmp_path: Path
) -> None:
    """B was given draft 1; C nothing: C's copy is refused, B's holds draft 1's words and not
    the working draft's edits, nor the mediator's notes, the text's purpose or critiques."""
    h = Hand(vault)
    tid, did = _text_with(h, [{"words": "first"}])
    result = circulate(vault, did, [h.b], at=PAST)
    record_critique(vault, clauses_of(vault, did)[0].id, h.b, "reserves", note=h.mk())
    later = clauses_of(vault, result.working_draft_id)[0]
    update_clause(vault, later.id, wording=h.mk("edited"))
    with pytest.raises(ValidationError):
        h.text(tmp_path, "text", h.c, text_id=tid)
    shown = h.text(tmp_path, "text", h.b, text_id=tid)
    assert h.marker_of("clauses", "wording", clauses_of(vault, did)[0].id) in shown
    h.check(tmp_path, audiences=[h.b, h.c], kinds=("text",), categories={"marker"})


# --- commitments and handovers (issue 17) ----------------------------------------------------


def _registers_agree(h: Hand, *, include_own: bool = False) -> None:
    """The register as each party (and outside audience) reads it agrees with the oracle."""
    problems = audit_registers(h.built, load_world(h.vault, h.case_id), include_own=include_own)
    assert not problems, "\n".join(problems)


def test_no_leak_of_commitments_a_party_may_not_see(vault: Vault, tmp_path: Path) -> None:
    """A's commitments made in confidence, under an embargo not yet passed, in A's
    confidence, in a session B did not attend or at a clause of a draft B was not given stay
    out of B's copies; an unattributed one reaches B without its maker or the party it was
    made to; an outcome learnt in confidence is withheld; who verified an outcome and the
    mediator's notes never show. A's own confidential commitment reaches A only when asked."""
    h = Hand(vault)
    pa = h.person("Lia Morven", h.a)
    secret = h.message(h.a, h.b, Disclosure.CONFIDENTIAL)
    closed = h.session([(pa, h.a)])
    _tid, did = _text_with(h, [{"words": "first"}])
    circulate(vault, did, [h.a], at=PAST)
    clause = clauses_of(vault, did)[0].id
    own = h.commitment(h.a, Disclosure.CONFIDENTIAL)
    h.commitment(h.a, Disclosure.EMBARGOED, embargo_until=FUTURE)
    h.commitment(h.a, Disclosure.SHAREABLE, source_message_id=secret)
    h.commitment(h.a, Disclosure.SHAREABLE, source_session_id=closed)
    h.commitment(h.a, Disclosure.SHAREABLE, source_clause_id=clause)
    unnamed = h.commitment(h.a, Disclosure.UNATTRIBUTED, person_id=pa, to_party_id=h.b)
    kept = h.commitment(h.a, Disclosure.SHAREABLE, due_on=FUTURE.date())
    h.outcome(kept, CommitmentStatus.KEPT, evidence_message_id=secret)
    _registers_agree(h)
    _registers_agree(h, include_own=True)
    h.check(
        tmp_path,
        audiences=[h.a, h.b],
        kinds=("commitments", "dossier"),
        categories={"marker"},
        codenames=(True,),
    )
    shown = h.text(tmp_path, "commitments", h.b)
    assert h.marker_of("commitments", "what", unnamed) in shown
    assert h.marker_of("commitments", "what", kept) in shown
    assert h.marker_of("commitments", "what", own) in h.text(
        tmp_path, "commitments", h.a, include_own=True
    )


def test_no_leak_in_a_debrief(vault: Vault, tmp_path: Path) -> None:
    """An outside audience is judged as no party: a release to one party, a session and a
    draft it was not handed keep a commitment from it (each handover refused); a release to
    every party lets a finding through; what went to another outside audience, the
    mediator's handover and outsider notes, and the linked case's note stay out of its
    debrief."""
    h = Hand(vault)
    pa = h.person("Lia Morven", h.a)
    envoy, fund = h.outsider(), h.outsider()
    to_a = h.message(h.b, h.a, Disclosure.CONFIDENTIAL)
    release(
        vault,
        message_id=to_a,
        party_id=h.a,
        released_by=h.mk(),
        reason=h.mk(),
        released_at=PAST,
    )
    to_all = h.message(h.b, h.a, Disclosure.CONFIDENTIAL)
    release(
        vault,
        message_id=to_all,
        party_id=None,
        released_by=h.mk(),
        reason=h.mk(),
        released_at=PAST,
    )
    closed = h.session([(pa, h.a)])
    _tid, did = _text_with(h, [{"words": "first"}])
    circulate(vault, did, [h.a], at=PAST)
    at_clause = h.commitment(
        h.a, Disclosure.SHAREABLE, source_clause_id=clauses_of(vault, did)[0].id
    )
    refused = [
        h.commitment(h.a, Disclosure.SHAREABLE, source_message_id=to_a),
        h.commitment(h.a, Disclosure.SHAREABLE, source_session_id=closed),
        at_clause,
    ]
    for cid in refused:
        with pytest.raises(HandoverRefused):
            h.handover(envoy, NewHandoverItem(commitment_id=cid))
    h.handover(envoy, NewHandoverItem(draft_id=did), NewHandoverItem(commitment_id=at_clause))
    finding = NewHandoverItem(finding=h.mk(), finding_message_id=to_all)
    h.handover(envoy, finding)
    h.handover(fund, NewHandoverItem(finding=h.mk()))
    link_cases(vault, h.case_id, Hand(vault).case_id, note=h.mk())
    _registers_agree(h)
    h.check(
        tmp_path,
        audiences=[h.b],
        kinds=("debrief", "commitments"),
        categories={"marker", "control"},
        codenames=(True,),
    )
    text = h.text(tmp_path, "debrief", envoy)
    assert h.marker_of("commitments", "what", at_clause) in text
    assert h.marker_of("commitments", "what", refused[0]) not in text
