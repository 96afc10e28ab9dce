"""The demo notebook and the scale generator: shape, disclosure rules and scripts."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path

import pytest
from sqlalchemy import ColumnElement, func, insert, select, text
from sqlalchemy.orm import Session

from app.core.demo import DEMO_CASE_TITLE, DEMO_DORMANT_CASE_TITLE, build_demo, generate_scale
from app.core.demo_commitments import MONITORS, TRACK_15_TITLE, VARENNE
from app.core.demo_texts import LAST_EDITED, TEXT_TITLE
from app.core.disclosure import handovers as handover_rule
from app.core.disclosure.audience import audience_for
from app.core.disclosure.drafts import stored_refusals
from app.core.models import (
    Action,
    Attachment,
    Case,
    CaseLinkKind,
    CaseSession,
    CaseText,
    Channel,
    ChannelKind,
    Clause,
    Commitment,
    CommitmentStatus,
    Critique,
    Delivery,
    DeliveryItem,
    Disclosure,
    Draft,
    LineageKind,
    Message,
    Note,
    Option,
    OptionStatus,
    Party,
    PartyKind,
    Person,
    ProfileEntry,
    ProfileKind,
    Release,
    Round,
    SessionKind,
    SessionNote,
    SessionNoteKind,
    SessionStatus,
    Stance,
    Tagging,
    TextKind,
    Track,
    Verification,
    utcnow,
)
from app.core.services.commitments import due, register
from app.core.services.handovers import (
    NewHandoverItem,
    handover_problems,
    handovers_of,
    links_of,
    outsiders_of,
)
from app.core.services.text_circulation import check_circulation, drafts_held
from app.core.services.text_diff import compare_drafts
from app.core.services.texts import clauses_of, drafts_of
from app.core.vault import KdfParams, Vault
from tests.conftest import FAST_KDF, PASSPHRASE

CYRILLIC = re.compile(r"[\u0400-\u04FF]")
GEORGIAN = re.compile(r"[\u10A0-\u10FF]")
ARABIC = re.compile(r"[\u0600-\u06FF]")
HEBREW = re.compile(r"[\u0590-\u05FF]")

WORKSHOP_KINDS = {
    SessionKind.PROBLEM_SOLVING_WORKSHOP,
    SessionKind.JOINT_WORKSHOP,
    SessionKind.BRAINSTORMING,
}


@pytest.fixture
def demo(vault: Vault) -> Vault:
    build_demo(vault)
    return vault


def count(s: Session, model: type) -> int:
    return int(s.scalar(select(func.count()).select_from(model)) or 0)


def how_many(s: Session, *where: ColumnElement[bool]) -> int:
    return int(s.scalar(select(func.count()).where(*where)) or 0)


def disclosure_violations(s: Session) -> list[str]:
    """Every delivery item that passes on what its source did not allow."""
    released: dict[int, set[int | None]] = defaultdict(set)
    for message_id, party_id in s.execute(select(Release.message_id, Release.party_id)):
        released[message_id].add(party_id)
    problems = []
    rows = s.execute(
        select(Message, Delivery)
        .join(DeliveryItem, DeliveryItem.message_id == Message.id)
        .join(Delivery, Delivery.id == DeliveryItem.delivery_id)
    ).all()
    for msg, delivery in rows:
        # Not even back to its sender's own party: a confidence is a person's.
        if msg.disclosure is Disclosure.CONFIDENTIAL:
            allowed = released.get(msg.id, set())
            if None not in allowed and delivery.recipient_party_id not in allowed:
                problems.append(
                    f"confidential message {msg.id} to party {delivery.recipient_party_id}"
                )
        if msg.disclosure is Disclosure.EMBARGOED:
            assert msg.embargo_until is not None
            if delivery.delivered_at < msg.embargo_until:
                problems.append(f"embargoed message {msg.id} delivered on {delivery.delivered_at}")
        if delivery.delivered_at < msg.said_at:
            problems.append(f"message {msg.id} delivered before it was said")
    return problems


def test_demo_shape(demo: Vault) -> None:
    with demo.session() as s:
        assert count(s, Case) >= 2
        main = s.scalars(select(Case).where(Case.title == DEMO_CASE_TITLE)).one()
        assert main.track == "2" and main.status == "active"
        assert how_many(s, Case.status == "dormant") == 1

        parties = s.scalars(select(Party).where(Party.case_id == main.id)).all()
        kinds = {p.kind for p in parties}
        assert len(parties) >= 3
        assert PartyKind.THIRD_PARTY in kinds and PartyKind.GOVERNMENT in kinds
        assert kinds & {PartyKind.ARMED_GROUP, PartyKind.POLITICAL_MOVEMENT}

        assert count(s, Person) >= 12
        assert how_many(s, Person.codename.is_not(None)) >= 3
        assert set(s.scalars(select(Channel.kind))) >= {
            ChannelKind.PHONE,
            ChannelKind.EMAIL,
            ChannelKind.MESSENGER,
            ChannelKind.ADDRESS,
        }
        assert how_many(s, Round.case_id == main.id) >= 3

        # Every party of the main case has a profile of every kind, with history somewhere.
        for party in parties:
            assert {e.kind for e in party.profile} == set(ProfileKind), party.name
        assert how_many(s, ProfileEntry.retired_on.is_not(None)) >= 1
        assert how_many(s, ProfileEntry.source_session_id.is_not(None))

        levels = set(s.scalars(select(Message.disclosure).where(Message.case_id == main.id)))
        assert levels == set(Disclosure)
        assert how_many(s, Message.in_reply_to_id.is_not(None)) >= 3
        # One embargo has passed; one (in 2027) is still in force in the story.
        years = [e.year for e in s.scalars(select(Message.embargo_until)) if e is not None]
        assert max(years) >= 2027 and min(years) < 2027
        assert count(s, Release) >= 1

        sessions = s.scalars(select(CaseSession).where(CaseSession.case_id == main.id)).all()
        workshops = [x for x in sessions if x.kind in WORKSHOP_KINDS]
        assert len(workshops) >= 2
        assert {w.status for w in workshops} >= {SessionStatus.HELD, SessionStatus.PLANNED}
        assert any(x.kind not in WORKSHOP_KINDS for x in sessions)
        assert all(
            w.agenda and w.participants and "Chatham House" in w.ground_rules for w in workshops
        )
        assert set(s.scalars(select(SessionNote.kind))) == set(SessionNoteKind)

        assert count(s, Option) >= 6
        assert len(set(s.scalars(select(Option.status)))) >= 6
        derived = [o for o in s.scalars(select(Option)) if o.parent_links]
        assert {k.kind for o in derived for k in o.parent_links} == set(LineageKind)
        assert any(o.interests for o in derived)
        merged = [o for o in derived if len(o.parent_links) > 1]
        assert merged and all(
            k.parent.status == OptionStatus.MERGED for k in merged[0].parent_links
        )
        split = [o for o in s.scalars(select(Option)) if len(o.child_links) > 1]
        assert split and split[0].status == OptionStatus.SPLIT
        assert all(
            e.kind in (ProfileKind.INTEREST, ProfileKind.NEED)
            for o in s.scalars(select(Option))
            for e in o.interests
        )

        assert how_many(s, Action.done.is_(True)) >= 1
        assert how_many(s, Action.done.is_(False)) >= 1
        assert count(s, Note) >= 3
        assert count(s, Tagging) >= 3
        attachment = s.scalars(select(Attachment)).one()
        assert attachment.filename == "agenda-draft.txt" and attachment.size == len(attachment.data)


def test_stance_history_changes(demo: Vault) -> None:
    with demo.session() as s:
        history: dict[tuple[int, int], list[str]] = defaultdict(list)
        for st in s.scalars(select(Stance).order_by(Stance.recorded_at)):
            history[(st.option_id, st.party_id)].append(st.stance)
        changed = [h for h in history.values() if len(set(h)) > 1]
        assert changed
        assert any(h[0] == "opposes" or h[0] == "unknown" for h in changed)


def test_demo_respects_disclosure(demo: Vault) -> None:
    with demo.session() as s:
        assert disclosure_violations(s) == []
        # A confidential message was released and then delivered to the released party.
        release = s.scalars(select(Release)).one()
        message = s.get(Message, release.message_id)
        assert message is not None and message.disclosure is Disclosure.CONFIDENTIAL
        delivered_to = s.execute(
            select(Delivery.recipient_party_id, Delivery.delivered_at, DeliveryItem.attributed)
            .join(DeliveryItem)
            .where(DeliveryItem.message_id == message.id)
        ).all()
        assert [(p, a) for p, _, a in delivered_to] == [(release.party_id, False)]
        assert all(at >= release.released_at for _, at, _ in delivered_to)
        # Shareable messages go with attribution, unattributed ones without.
        for disclosure, attributed in s.execute(
            select(Message.disclosure, DeliveryItem.attributed).join(DeliveryItem)
        ):
            if disclosure == Disclosure.SHAREABLE:
                assert attributed
            if disclosure == Disclosure.UNATTRIBUTED:
                assert not attributed


def test_demo_has_pending_messages(demo: Vault) -> None:
    with demo.session() as s:
        delivered = select(DeliveryItem.message_id)
        third = select(Party.id).where(Party.kind == PartyKind.THIRD_PARTY)
        pending = s.scalars(
            select(Message).where(
                Message.id.not_in(delivered),
                Message.recipient_party_id.is_not(None),
                Message.recipient_party_id.not_in(third),
                Message.disclosure != Disclosure.CONFIDENTIAL,
            )
        ).all()
        assert len(pending) >= 2
        # Including an embargoed one whose embargo still holds.
        assert any(m.disclosure is Disclosure.EMBARGOED for m in pending)


def test_demo_scripts(demo: Vault) -> None:
    with demo.session() as s:
        texts: list[str] = []
        texts += s.scalars(select(Person.name))
        texts += s.scalars(select(Person.notes))
        texts += s.scalars(select(Message.content))
        texts += s.scalars(select(Note.body))
        texts += s.scalars(select(Note.title))
        texts += s.scalars(select(Option.title))
        texts += s.scalars(select(SessionNote.text))
        names = "\n".join(s.scalars(select(Person.name)))
        messages = "\n".join(s.scalars(select(Message.content)))
        notes = "\n".join(s.scalars(select(Note.body)))
        options = "\n".join(s.scalars(select(Option.title)))
    everything = "\n".join(texts)
    for script in (CYRILLIC, GEORGIAN, ARABIC, HEBREW):
        assert script.search(everything), script.pattern
    assert GEORGIAN.search(names) and ARABIC.search(names) and CYRILLIC.search(names)
    assert CYRILLIC.search(messages) and ARABIC.search(notes) and GEORGIAN.search(options)


def test_demo_is_searchable(demo: Vault) -> None:
    with demo.session() as s:
        for word in ("Tsera", "перевал", "ერთობლივი", "ضمانات", "הסדנה"):
            hits = s.execute(
                text("SELECT count(*) FROM search_index WHERE search_index MATCH :q"),
                {"q": f'"{word}"'},
            ).scalar()
            assert hits, word


def test_demo_refuses_a_vault_with_cases(demo: Vault) -> None:
    with pytest.raises(ValueError):
        build_demo(demo)


def test_generate_scale(vault: Vault) -> None:
    generate_scale(vault, messages=2000, seed=7)
    with vault.session() as s:
        assert count(s, Message) == 2000
        assert count(s, Case) == 3
        assert count(s, Person) >= 50
        assert set(s.scalars(select(Message.disclosure).distinct())) == set(Disclosure)
        assert how_many(s, Message.in_reply_to_id.is_not(None)) > 100
        delivered = s.scalar(select(func.count(DeliveryItem.message_id.distinct())))
        assert 0.15 * 2000 < (delivered or 0) < 0.5 * 2000
        assert count(s, CaseSession) >= 3 and count(s, SessionNote) > 0
        assert count(s, Option) >= 6 and count(s, Stance) > 0
        assert count(s, Note) == 100
        assert disclosure_violations(s) == []

        indexed = s.execute(
            text("SELECT count(*) FROM search_index WHERE kind = 'message'")
        ).scalar()
        assert indexed == 2000
        # Words of every script are found again through the full-text index.
        contents = "\n".join(s.scalars(select(Message.content)))
        for script in (CYRILLIC, GEORGIAN, ARABIC):
            word = next(w for w in re.findall(r"\w+", contents) if script.search(w))
            hits = s.execute(
                text(
                    "SELECT count(*) FROM search_index WHERE search_index MATCH :q"
                    " AND kind = 'message'"
                ),
                {"q": f'"{word}"'},
            ).scalar()
            assert hits, word


def test_generate_scale_is_deterministic(
    vault: Vault, tmp_path: Path, fast_kdf: tuple[KdfParams, ...]
) -> None:
    other = Vault.create(tmp_path / "second.liaison", "x", kdf_sets=fast_kdf)
    try:
        generate_scale(vault, messages=300, seed=3)
        generate_scale(other, messages=300, seed=3)
        query = select(Message.said_at, Message.content, Message.disclosure).order_by(Message.id)
        with vault.session() as a, other.session() as b:
            assert a.execute(query).all() == b.execute(query).all()
    finally:
        other.lock()


def test_violation_check_notices_a_leak(demo: Vault) -> None:
    """The check above is not vacuous: a confidential message handed to the other side and
    an embargoed one handed over early are both reported."""
    with demo.transaction() as s:
        gov = s.scalars(select(Party).where(Party.kind == PartyKind.GOVERNMENT)).first()
        assert gov is not None
        secret = s.scalars(
            select(Message).where(
                Message.disclosure == Disclosure.CONFIDENTIAL,
                Message.sender_party_id != gov.id,
                Message.id.not_in(select(Release.message_id)),
            )
        ).first()
        early = s.scalars(
            select(Message)
            .where(Message.disclosure == Disclosure.EMBARGOED, Message.sender_party_id != gov.id)
            .order_by(Message.embargo_until.desc())
        ).first()
        assert secret is not None and early is not None and early.embargo_until is not None
        # Core inserts: the ORM path refuses such a delivery outright (test_shuttle.py).
        leak_id = s.execute(
            insert(Delivery).values(
                case_id=secret.case_id,
                recipient_party_id=gov.id,
                delivered_at=early.said_at + (early.embargo_until - early.said_at) / 2,
            )
        ).inserted_primary_key[0]
        s.execute(
            insert(DeliveryItem),
            [
                {"delivery_id": leak_id, "message_id": secret.id, "attributed": False},
                {"delivery_id": leak_id, "message_id": early.id, "attributed": True},
            ],
        )
        problems = disclosure_violations(s)
        assert any("confidential" in p for p in problems)
        assert any("embargoed" in p for p in problems)
        s.rollback()


# --- the working paper (issue 16: app.core.demo_texts) -------------------------------------


def test_demo_has_a_working_paper_with_four_circulated_drafts(demo: Vault) -> None:
    with demo.session() as s:
        main = s.scalars(select(Case).where(Case.title == DEMO_CASE_TITLE)).one()
        text_row = s.scalars(select(CaseText).where(CaseText.case_id == main.id)).one()
        assert (text_row.title, text_row.kind) == (TEXT_TITLE, TextKind.WORKING_PAPER)
        gov, khm, circle = (
            s.scalars(select(Party.id).where(Party.case_id == main.id, Party.kind == kind)).one()
            for kind in (
                PartyKind.GOVERNMENT,
                PartyKind.POLITICAL_MOVEMENT,
                PartyKind.CIVIL_SOCIETY,
            )
        )
    drafts = drafts_of(demo, text_row.id)
    circulated = [d for d in drafts if not d.working]
    assert len(circulated) >= 4
    assert [d.number for d in drafts] == list(range(1, len(drafts) + 1))
    # Every circulated draft went to both sides, in the story's order, and says why it changed.
    for d in circulated:
        assert {gov, khm} <= {r.party_id for r in d.recipients}, d.number
        assert d.note and 10 <= d.clauses <= 14
    assert [d.circulated_at for d in circulated] == sorted(d.circulated_at for d in circulated)
    # Which draft each party holds: both sides the last, the Women's Circle only that one.
    last = circulated[-1].number
    assert [h.number for h in drafts_held(demo, gov) if h.latest] == [last]
    assert [h.number for h in drafts_held(demo, khm) if h.latest] == [last]
    assert [h.number for h in drafts_held(demo, circle)] == [last]

    # Brackets: structured alternatives of each side in the same clause.
    bracketed_by = [
        {a.party_id for a in c.alternatives}
        for d in circulated
        for c in clauses_of(demo, d.id)
        if c.alternatives
    ]
    assert any({gov, khm} <= sides for sides in bracketed_by)
    # Two clauses carry options, each of which the parties may see (else circulation is refused).
    for d in drafts:
        assert sum(1 for c in clauses_of(demo, d.id) if c.option_ids) == 2
    working = drafts[-1]
    assert working.working and not working.recipients
    assert check_circulation(demo, working.id, [gov, khm, circle], LAST_EDITED) == []

    # Critiques by both sides on several clauses of several drafts.
    with demo.session() as s:
        rows = s.execute(
            select(Critique.party_id, Critique.clause_id, Clause.draft_id).join(
                Clause, Clause.id == Critique.clause_id
            )
        ).all()
        for party in (gov, khm):
            mine = [r for r in rows if r.party_id == party]
            assert len({r.clause_id for r in mine}) >= 4
            assert len({r.draft_id for r in mine}) >= 3
        # Deterministic: every record of the text carries the story's dates, none today's.
        stamps = [
            *s.scalars(select(CaseText.updated_at)),
            *s.scalars(select(Draft.updated_at)),
            *s.scalars(select(Clause.updated_at)),
            *s.scalars(select(Delivery.created_at).where(Delivery.draft_id.is_not(None))),
        ]
        assert max(stamps) <= LAST_EDITED
        # Every draft delivery passes the disclosure rules, read back as stored.
        assert stored_refusals(s) == []

    # Compare shows every kind of change somewhere; the working draft has edits of its own.
    diffs = [compare_drafts(demo, a.id, b.id) for a, b in pairwise(drafts)]
    for change in ("added", "removed", "moved", "changed"):
        assert sum(getattr(x, change) for x in diffs), change
    assert diffs[-1].changed >= 2 and not diffs[-1].added


# --- commitments, handovers and linked cases (issue 17: app.core.demo_commitments) ---------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    """The demo built once for the tests below, which only read it."""
    v = Vault.create(tmp_path_factory.mktemp("demo") / "d.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    build_demo(v)
    yield v
    v.lock()


def _main_case(vault: Vault) -> tuple[int, int, int]:
    """The main case, its government and its KHM."""
    with vault.session() as s:
        main = s.scalars(select(Case.id).where(Case.title == DEMO_CASE_TITLE)).one()
        gov, khm = (
            s.scalars(select(Party.id).where(Party.case_id == main, Party.kind == kind)).one()
            for kind in (PartyKind.GOVERNMENT, PartyKind.POLITICAL_MOVEMENT)
        )
    return main, gov, khm


def test_demo_has_commitments_with_every_outcome(built: Vault) -> None:
    main, gov, khm = _main_case(built)
    rows = register(built, main)
    by_id = {r.id: r for r in rows}
    assert len(rows) >= 6
    assert {r.status for r in rows} == set(CommitmentStatus)
    assert {r.party_id for r in rows} == {gov, khm}
    # One kept only after its condition was: conditions resolved in order.
    conditional = [r for r in rows if r.condition_id is not None]
    assert conditional
    for r in conditional:
        kept = by_id[r.condition_id].kept_on if r.condition_id else None
        assert kept is not None and r.status_on is not None and kept <= r.status_on
    # Every outcome of the course, verified where it is natural, one by an outside source.
    outcomes = [o for r in rows for o in r.outcomes]
    assert all(o.verified_by for o in outcomes if o.status is not CommitmentStatus.WITHDRAWN)
    assert Verification.OUTSIDE in {o.how for o in outcomes}
    # Whenever the demo is built, one is overdue and one due soon (dated from the build day).
    overdue, soon = due(built, main, today=utcnow().date())
    assert overdue and soon
    # Mixed levels, most shareable; said in a message, a session and a clause of the paper.
    levels = [r.disclosure for r in rows]
    assert set(levels) >= {Disclosure.UNATTRIBUTED, Disclosure.CONFIDENTIAL}
    assert levels.count(Disclosure.SHAREABLE) > len(rows) / 2
    assert all(any(getattr(r, f) for r in rows) for f in ("source_message_id",
               "source_session_id", "source_clause_id"))  # fmt: skip
    # The story's dates, not the build's.
    with built.session() as s:
        for made, created in s.execute(select(Commitment.made_at, Commitment.created_at)):
            assert created == made


def test_demo_confidence_reaches_neither_side(built: Vault) -> None:
    main, gov, khm = _main_case(built)
    secret = {r.id for r in register(built, main) if r.disclosure is Disclosure.CONFIDENTIAL}
    assert secret
    for party in (gov, khm):  # not even the side whose man promised it
        seen = register(built, main, view=audience_for(built, main, party))
        assert seen and not secret & {r.id for r in seen}
    # The unattributed promise reaches the other side without its maker.
    khm_view = register(built, main, view=audience_for(built, main, khm))
    anonymous = [r for r in khm_view if r.disclosure is Disclosure.UNATTRIBUTED]
    assert anonymous and all(r.party_id is None and not r.party_name for r in anonymous)


def test_demo_handovers_pass_the_rule(built: Vault) -> None:
    main, _, _ = _main_case(built)
    outsiders = {o.name: o for o in outsiders_of(built, main)}
    assert set(outsiders) == {VARENNE, MONITORS}
    assert {o.kind for o in outsiders.values()} == {"official", "institution"}
    rows = handovers_of(built, main)
    assert len(rows) >= 2 and {r.sources_named for r in rows} == {True, False}
    assert {i.kind for r in rows for i in r.items} >= {"option", "commitment", "finding"}
    for r in rows:
        items = [i.item for i in r.items]
        at, named = r.handed_at, r.sources_named
        assert handover_problems(built, r.outsider_id, at, items, sources_named=named) == []
    with built.session() as s:
        assert handover_rule.stored_refusals(s) == []
    # A kept commitment went up; the confidence did not.
    statuses = {r.id: r.status for r in register(built, main)}
    handed = [statuses[i.record_id or 0] for r in rows for i in r.items if i.kind == "commitment"]
    assert CommitmentStatus.KEPT in handed
    # No draft of the working paper may go up: each rests on a workshop no outsider attended.
    varenne = outsiders[VARENNE]
    with built.session() as s:
        paper = s.scalars(select(CaseText.id).where(CaseText.title == TEXT_TITLE)).one()
    for d in drafts_of(built, paper):
        if not d.working:
            item = NewHandoverItem(draft_id=d.id)
            assert handover_problems(built, varenne.id, LAST_EDITED, [item]), d.number


def test_demo_links_the_dialogue_to_the_talks_it_feeds(built: Vault) -> None:
    main, _, _ = _main_case(built)
    [link] = links_of(built, main)
    assert (link.other_title, link.kind, link.outgoing) == (
        TRACK_15_TITLE,
        CaseLinkKind.FEEDS,
        True,
    )
    assert link.other_track is Track.ONE_AND_HALF and link.note
    [back] = links_of(built, link.other_case_id)
    assert back.words == f"Fed by “{DEMO_CASE_TITLE}” (Track 2)"
    with built.session() as s:
        assert how_many(s, Party.case_id == link.other_case_id) == 2
        assert how_many(s, CaseSession.case_id == link.other_case_id) == 1
        dormant = s.scalars(select(Case.id).where(Case.title == DEMO_DORMANT_CASE_TITLE)).one()
    assert links_of(built, dormant) == []
