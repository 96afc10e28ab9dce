"""Test vaults for tests/core/test_disclosure_fuzz.py, and the loop that exports them for
every audience and audits each file (tests/core/disclosure_oracle.py).

``build_random`` draws a small case with every kind of record through the services (lineage,
promotions to a profile, actions from notes, releases, guarded deliveries), people with
awkwardly spelled names (ß, accents, Cyrillic, Greek, double and non-breaking spaces) and
codenames for most of them, a unique marker in every text field, and the names written into
free text in many spellings (tests/core/disclosure_commitments.py adds commitments, outside
audiences and handovers on top). ``export_and_audit`` exports every kind for every party and
outside audience and audits each file. ``Hand`` builds the small vaults of the
``test_no_leak_*`` tests.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from hypothesis import strategies as st
from sqlalchemy import select

from app.core.errors import DisclosureViolation, ValidationError
from app.core.export.pdf import export_pdf
from app.core.models import (
    Action,
    Affiliation,
    AgendaItem,
    Attachment,
    Capacity,
    Case,
    CaseSession,
    Channel,
    ChannelKind,
    CommitmentStatus,
    Disclosure,
    Message,
    Note,
    Option,
    OptionStatus,
    Party,
    PartyKind,
    Person,
    ProfileEntry,
    ProfileKind,
    RaisedBy,
    Reaction,
    Round,
    SessionNoteKind,
    Tag,
    Tagging,
)
from app.core.services.commitments import (
    NewCommitment,
    NewOutcome,
    create_commitment,
    record_outcome,
)
from app.core.services.handovers import (
    NewHandoverItem,
    create_handover,
    create_outsider,
)
from app.core.services.options import (
    merge_options,
    raise_option_from_note,
    record_stances,
    refine_option,
    set_interests,
    split_option,
)
from app.core.services.sessions import (
    action_from_note,
    add_live_note,
    plan_session,
    promote_to_profile,
)
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
from tests.core.disclosure_oracle import (
    ExportLabel,
    Finding,
    Markers,
    Oracle,
    Place,
    World,
    audit,
    load_world,
    markers_in,
    read_pdf,
    report,
)

NBSP = "\u00a0"
# Parts of real names: each has a letter outside ASCII and none is another's part, so a
# part found as a whole word in an export is that person's name (ß folds to "ss").
FIRST = (
    "Jürgen", "Zoë", "Åsa", "Þórunn", "Ævar", "François", "Łukasz", "Жанна", "Ярослав",
    "Σοφία", "Γιώργος", "Ólöf", "Søren", "Göran",
)  # fmt: skip
LAST = (
    "Weißmüller", "Groß", "Strauß", "Meißner", "Ólafsdóttir", "Dvořák", "Šimková", "Ñúñez",
    "Фёдорова", "Щукин", "Παπαδόπουλος", "Ξανθάκης", "Brontë", "Łęcka",
)  # fmt: skip
# Codenames share nothing with the names.
CODENAMES = ("Heron", "Juniper", "Falcon", "Cobalt", "Maple", "Osprey", "Quartz", "Tundra")
PARTY_NAMES = ("Northern Council", "Valley Front", "Harbour Assembly")
# How a name is written into free text.
VARIANTS = ("exact", "upper", "casefold", "double", "nbsp", "newline", "nfd", "part")

BASE = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)  # long past: every "said" and "delivered"
PAST = datetime(2025, 6, 1, tzinfo=UTC)  # an embargo or release date that has passed
FUTURE = datetime(2099, 1, 1, tzinfo=UTC)  # ... and one that has not

PDF_KINDS = ("dossier", "log", "options", "text", "commitments")
SESSION_KINDS = ("brief", "notes")
OUTSIDER_KINDS = ("debrief",)  # for an outside audience

# --- people and their names --------------------------------------------------------------


@dataclass
class Someone:
    parts: list[str]
    seps: list[str]
    codename: str | None
    id: int = 0

    @property
    def name(self) -> str:
        out = self.parts[0]
        for sep, part in zip(self.seps, self.parts[1:], strict=True):
            out += sep + part
        return out

    def written(self, variant: str, which: int = 0) -> str:
        """The name as someone might type it into a note."""
        joined = self.name
        return {
            "exact": joined,
            "upper": joined.upper(),  # ß -> SS
            "casefold": joined.casefold(),  # ß -> ss
            "double": "  ".join(self.parts),
            "nbsp": NBSP.join(self.parts),
            "newline": "\n".join(self.parts),
            "nfd": unicodedata.normalize("NFD", joined),
            "part": self.parts[which % len(self.parts)],
        }[variant]


@dataclass
class Built:
    """What a builder made: the case, its parties (in order), its sessions, people and
    outside audiences, and the markers it drew from (to go on drawing fresh ones)."""

    vault: Vault
    case_id: int
    parties: list[int]
    sessions: list[int] = field(default_factory=list)
    people: list[Someone] = field(default_factory=list)
    outsiders: list[int] = field(default_factory=list)
    mk: Markers = field(default_factory=Markers)


Draw = Callable[..., Any]


def _name_in_text(draw: Draw, people: list[Someone]) -> str:
    """Sometimes a person's name, in some spelling, for a free text field."""
    if not draw(st.booleans()):
        return ""
    who = draw(st.sampled_from(people))
    return who.written(draw(st.sampled_from(VARIANTS)), draw(st.integers(0, 2)))


def build_random(vault: Vault, draw: Draw) -> Built:
    """A small case with every kind of record, built through the services where there is
    one; every text field holds a fresh marker."""
    mk = Markers()
    n_people = draw(st.integers(3, 5), label="people")
    firsts = draw(st.permutations(FIRST))
    lasts = draw(st.permutations(LAST))
    codes = draw(st.permutations(CODENAMES))
    people: list[Someone] = []
    for i in range(n_people):
        middle = [firsts[-1 - i]] if draw(st.booleans()) else []
        parts = [firsts[i], *middle, lasts[i]]
        seps = [draw(st.sampled_from([" ", " ", "  ", NBSP])) for _ in parts[1:]]
        people.append(Someone(parts, seps, codes[i] if draw(st.booleans()) else None))
    people[0].codename = people[0].codename or codes[0]  # most have a codename ...
    people[-1].codename = None  # ... but not all
    with vault.transaction() as s:
        case = Case(
            title=mk("talks with " + (_name_in_text(draw, people) or "the valley")),
            summary=mk(),
        )
        s.add(case)
        s.flush()
        parties = [
            Party(case_id=case.id, name=name, kind=kind, description=mk())
            for name, kind in zip(
                PARTY_NAMES,
                (PartyKind.GOVERNMENT, PartyKind.ARMED_GROUP, PartyKind.COMMUNITY),
                strict=True,
            )
        ]
        s.add_all(parties)
        s.flush()
        party_ids = [p.id for p in parties]
        for someone in people:
            person = Person(name=someone.name, codename=someone.codename, role=mk(), notes=mk())
            s.add(person)
            s.flush()
            someone.id = person.id
            s.add(Channel(person_id=person.id, kind=ChannelKind.PHONE, value=mk(), label=mk()))
            ties = draw(
                st.lists(st.sampled_from(range(3)), min_size=1, max_size=2, unique=True),
                label="affiliations",
            )
            for t in ties:
                s.add(
                    Affiliation(
                        person_id=person.id,
                        party_id=party_ids[t],
                        role=mk(),
                        capacity=draw(st.sampled_from(list(Capacity))),
                    )
                )
        rounds = []
        for n in (1, 2):
            rnd = Round(
                case_id=case.id,
                number=n,
                title=mk(_name_in_text(draw, people)),
                notes=mk(),
                started_on=date(2025, n, 1),
            )
            s.add(rnd)
            rounds.append(rnd)
        s.flush()
        # Messages: a thread or two, every level, embargoes past and future.
        messages: list[Message] = []
        replied: set[int] = set()
        for k in range(draw(st.integers(5, 9), label="messages")):
            sender = draw(st.sampled_from([0, 1, 2, 0, 1, None]))
            sender_person = (
                draw(st.sampled_from(people)).id if sender is None or draw(st.booleans()) else None
            )
            level = draw(st.sampled_from(list(Disclosure)))
            parent = None
            open_parents = [m for m in messages if m.id not in replied]
            if open_parents and draw(st.booleans()):
                parent = draw(st.sampled_from(open_parents))
                replied.add(parent.id)
            m = Message(
                case_id=case.id,
                round_id=draw(st.sampled_from([None, *[r.id for r in rounds]])),
                sender_party_id=None if sender is None else party_ids[sender],
                sender_person_id=sender_person,
                recipient_party_id=draw(st.sampled_from([None, *party_ids])),
                said_at=BASE + timedelta(hours=k),
                disclosure=level,
                embargo_until=(
                    draw(st.sampled_from([PAST, FUTURE])) if level is Disclosure.EMBARGOED else None
                ),
                in_reply_to_id=parent.id if parent else None,
                summary=mk(_name_in_text(draw, people)),
                content=mk(),
                place=mk(),
            )
            s.add(m)
            s.flush()
            messages.append(m)
        message_ids = [m.id for m in messages]
        # The mediator's journal, tags and attachments: never for a party.
        for k in range(draw(st.integers(1, 2))):
            s.add(Note(case_id=case.id, title=mk(), body=mk(), written_at=BASE + timedelta(days=k)))
        tag = Tag(name=mk())
        s.add(tag)
        s.flush()
        s.add(Tagging(tag_id=tag.id, record_kind="message", record_id=message_ids[0]))
        s.add(
            Attachment(
                record_kind="message",
                record_id=message_ids[-1],
                filename=mk() + ".txt",
                description=mk(),
                data=b"x",
                size=1,
            )
        )
        case_id = case.id
    built = Built(vault, case_id, party_ids, people=people, mk=mk)
    # Releases, some not yet in force, some to every party.
    for _ in range(draw(st.integers(0, 3), label="releases")):
        release(
            vault,
            message_id=draw(st.sampled_from(message_ids)),
            party_id=draw(st.sampled_from([None, *party_ids])),
            released_by=mk(),
            reason=mk(),
            attribution_allowed=draw(st.booleans()),
            released_at=draw(st.sampled_from([BASE, PAST, FUTURE])),
        )
    # Deliveries: only those the rule allows are kept.
    for k in range(draw(st.integers(1, 4), label="deliveries")):
        items = draw(
            st.lists(st.tuples(st.sampled_from(message_ids), st.booleans()), max_size=3),
        )
        items = list(dict(items).items())
        try:
            record_delivery(
                vault,
                case_id=case_id,
                recipient_party_id=draw(st.sampled_from(party_ids)),
                delivered_at=PAST + timedelta(days=k),
                items=items,
                content=mk(),
                place=mk(),
                notes=mk(),
                recipient_person_id=draw(st.sampled_from([None, *[p.id for p in people]])),
            )
        except DisclosureViolation:
            pass
    # Sessions, their agendas and live notes; some notes go on to a profile, an action or an
    # option.
    notes: list[int] = []
    for k in range(draw(st.integers(2, 3), label="sessions")):
        chosen = draw(
            st.lists(st.sampled_from(people), min_size=1, max_size=3, unique_by=lambda p: p.id)
        )
        sid = plan_session(
            vault,
            case_id=case_id,
            template=draw(
                st.sampled_from(["bilateral_consultation", "shuttle_visit", "brainstorming"])
            ),
            title=mk(_name_in_text(draw, people)),
            starts_at=BASE + timedelta(days=20 + k),
            place=mk(),
            participants=[
                (
                    p.id,
                    draw(st.sampled_from([None, *party_ids, *party_ids])),
                    draw(st.sampled_from(list(Capacity))),
                )
                for p in chosen
            ],
        )
        built.sessions.append(sid)
        with vault.transaction() as s:
            sess = s.get(CaseSession, sid)
            assert sess is not None
            sess.ground_rules, sess.logistics, sess.summary = mk(), mk(), mk()
            for item in s.scalars(select(AgendaItem).where(AgendaItem.session_id == sid)):
                item.title, item.notes = mk(), mk()
        for j in range(draw(st.integers(1, 4), label="notes")):
            kind = draw(st.sampled_from(list(SessionNoteKind)))
            tail = _name_in_text(draw, people) if kind is SessionNoteKind.AGREEMENT else ""
            notes.append(
                add_live_note(
                    vault,
                    sid,
                    kind,
                    mk(tail),
                    party_id=draw(st.sampled_from([None, *party_ids])),
                    person_id=draw(st.sampled_from([None, *[p.id for p in people]])),
                    noted_at=BASE + timedelta(days=20 + k, minutes=j),
                )
            )
            if kind in (
                SessionNoteKind.INTEREST,
                SessionNoteKind.NEED,
                SessionNoteKind.FEAR,
                SessionNoteKind.STATEMENT,
            ) and draw(st.booleans()):
                promote_to_profile(vault, notes[-1], draw(st.sampled_from(party_ids)))
            if draw(st.integers(0, 3)) == 0:
                action_from_note(
                    vault,
                    notes[-1],
                    owner_person_id=draw(st.sampled_from([None, *[p.id for p in people]])),
                )
    # Profile entries typed in, with or without a source; some retired.
    with vault.transaction() as s:
        entries = []
        for _ in range(draw(st.integers(2, 4), label="profile entries")):
            e = ProfileEntry(
                party_id=draw(st.sampled_from(party_ids)),
                kind=draw(st.sampled_from(list(ProfileKind))),
                text=mk(),
                recorded_on=date(2025, 4, 1),
                retired_on=draw(st.sampled_from([None, None, date(2025, 5, 1)])),
                source_message_id=draw(st.sampled_from([None, *message_ids])),
                source_session_id=draw(st.sampled_from([None, None, *built.sessions])),
            )
            s.add(e)
            entries.append(e)
        s.flush()
        entry_ids = [e.id for e in entries]
        # Options: raised in a message, in a session, or neither.
        for k in range(draw(st.integers(2, 4), label="options")):
            by = draw(st.sampled_from(list(RaisedBy)))
            s.add(
                Option(
                    case_id=case_id,
                    title=mk(_name_in_text(draw, people)),
                    text=mk(),
                    raised_by=by,
                    raised_by_party_id=(
                        draw(st.sampled_from(party_ids)) if by is RaisedBy.PARTY else None
                    ),
                    raised_by_person_id=(
                        draw(st.sampled_from(people)).id if by is RaisedBy.PERSON else None
                    ),
                    raised_in_message_id=draw(st.sampled_from([None, *message_ids])),
                    raised_in_session_id=draw(st.sampled_from([None, *built.sessions])),
                    raised_on=date(2025, 4, 2 + k),
                )
            )
    for note_id in draw(st.lists(st.sampled_from(notes), max_size=2, unique=True)):
        raise_option_from_note(vault, note_id, title=mk(_name_in_text(draw, people)))
    # Lineage: refine, merge and split what is still open.
    for k in range(draw(st.integers(1, 3), label="lineage steps")):
        with vault.session() as s:
            open_ids = list(
                s.scalars(
                    select(Option.id).where(
                        Option.case_id == case_id,
                        Option.status.not_in(
                            [OptionStatus.REFINED, OptionStatus.MERGED, OptionStatus.SPLIT]
                        ),
                    )
                )
            )
        step = draw(st.sampled_from(["refine", "merge", "split"]))
        session_id = draw(st.sampled_from([None, None, *built.sessions]))
        on = date(2025, 5, 1 + k)
        if step == "merge" and len(open_ids) >= 2:
            merge_options(
                vault,
                draw(st.lists(st.sampled_from(open_ids), min_size=2, max_size=3, unique=True)),
                title=mk(_name_in_text(draw, people)),
                text=mk(),
                on=on,
                session_id=session_id,
            )
        elif step == "split":
            split_option(
                vault,
                draw(st.sampled_from(open_ids)),
                [(mk(_name_in_text(draw, people)), mk()), (mk(), mk())],
                on=on,
                session_id=session_id,
            )
        else:
            refine_option(
                vault,
                draw(st.sampled_from(open_ids)),
                title=mk(_name_in_text(draw, people)),
                text=mk(),
                on=on,
                session_id=session_id,
            )
    with vault.session() as s:
        option_ids = list(s.scalars(select(Option.id).where(Option.case_id == case_id)))
    for oid in draw(st.lists(st.sampled_from(option_ids), max_size=2, unique=True)):
        set_interests(vault, oid, draw(st.lists(st.sampled_from(entry_ids), max_size=2)))
    for k, oid in enumerate(draw(st.lists(st.sampled_from(option_ids), max_size=4, unique=True))):
        who = draw(st.lists(st.sampled_from(party_ids), min_size=1, max_size=3, unique=True))
        record_stances(
            vault,
            oid,
            {pid: (draw(st.sampled_from(["supports", "open", "opposes"])), mk()) for pid in who},
            at=PAST + timedelta(days=k),
        )
    _random_text(vault, draw, mk, built, message_ids, option_ids, people)
    with vault.transaction() as s:
        for k in range(draw(st.integers(1, 3), label="actions")):
            s.add(
                Action(
                    case_id=case_id,
                    session_id=draw(st.sampled_from([None, *built.sessions])),
                    title=mk(),
                    notes=mk(),
                    owner_person_id=draw(st.sampled_from([None, *[p.id for p in people]])),
                    due_on=date(2025, 9, 1 + k),
                )
            )
    return built


def _random_text(
    vault: Vault,
    draw: Draw,
    mk: Markers,
    built: Built,
    message_ids: list[int],
    option_ids: list[int],
    people: list[Someone],
) -> None:
    """A text with clauses from any origin (messages of every level, sessions, options),
    bracketed alternatives, one or two drafts circulated to whichever parties the rule lets
    them go to, and critiques of the parties that hold a draft."""
    text_id = create_text(
        vault, built.case_id, mk(_name_in_text(draw, people)), purpose=mk(), kind="working_paper"
    )
    draft_id = drafts_of(vault, text_id)[-1].id
    for k in range(draw(st.integers(2, 5), label="clauses")):
        heading = k == 0 and draw(st.booleans())
        origin = draw(st.sampled_from(["none", "message", "session", "option"]))
        cid = add_clause(
            vault,
            draft_id,
            kind="heading" if heading else "paragraph",
            wording=mk(_name_in_text(draw, people)) + (" {1}" if not heading else ""),
            note=mk(),
            source_message_id=draw(st.sampled_from(message_ids)) if origin == "message" else None,
            source_session_id=(
                draw(st.sampled_from(built.sessions)) if origin == "session" else None
            ),
            proposed_by_party_id=draw(st.sampled_from([None, *built.parties])),
        )
        if origin == "option" and option_ids:
            set_clause_options(vault, cid, [draw(st.sampled_from(option_ids))])
        if not heading and draw(st.booleans()):
            set_alternatives(
                vault,
                cid,
                [
                    NewAlternative(
                        1,
                        draw(st.sampled_from([None, *built.parties])),
                        mk(),
                        draw(st.sampled_from([None, *message_ids])),
                    )
                    for _ in range(draw(st.integers(1, 2)))
                ],
            )
    for round_ in range(draw(st.integers(1, 2), label="drafts circulated")):
        given = []
        for k, pid in enumerate(built.parties):
            if not draw(st.booleans()):
                continue
            try:
                circulate(vault, draft_id, [pid], at=PAST + timedelta(days=30 * round_ + k))
                given.append(pid)
            except CirculationRefused:
                pass
        circulated = drafts_of(vault, text_id)
        frozen = [d for d in circulated if d.id == draft_id and not d.working]
        if not frozen:
            continue
        for c in clauses_of(vault, draft_id):
            for pid in given:
                if draw(st.booleans()):
                    record_critique(
                        vault,
                        c.id,
                        pid,
                        draw(st.sampled_from(list(Reaction))),
                        proposed_wording=mk(),
                        note=mk(_name_in_text(draw, people)),
                    )
        draft_id = circulated[-1].id  # the new working draft: one clause edited
        first = clauses_of(vault, draft_id)[-1]
        update_clause(vault, first.id, wording=mk() + " {1}")


# --- exporting and auditing --------------------------------------------------------------


def _label(world: World, party_id: int | None) -> str:
    return "me" if party_id is None else f"party #{party_id} ({world.parties[party_id]})"


def _outsider_label(world: World, outsider_id: int) -> str:
    return f"outside audience #{outsider_id} ({world.outsiders[outsider_id]})"


def export_and_audit(
    built: Built,
    world: World,
    folder: Path,
    *,
    audiences: list[int | None] | None = None,
    kinds: tuple[str, ...] = PDF_KINDS + SESSION_KINDS + OUTSIDER_KINDS,
    codenames: tuple[bool, ...] = (False, True),
    include_own: bool = False,
    categories: set[str] | None = None,
    fail_fast: bool = True,
    outsiders: list[int] | None = None,
    outsider_codenames: tuple[bool, ...] = (True,),
    once: tuple[str, ...] = (),
    texts: int | None = None,
) -> list[str]:
    """Export every asked-for kind for every audience and audit each file; returns one
    report per export that has problems (stops after the first when ``fail_fast``). The
    outside audiences (``outsiders``, default all of the case's) get their debriefs (with
    ``outsider_codenames``), but not with ``include_own`` (a party's own statements). The
    kinds in ``once`` are exported only for the parties, once each, with codenames (to save
    time: a party's copy with codenames is audited for every marker and every real name, and
    my own dossier holds the same part); ``texts`` limits the texts
    exported as ``"text"`` to the first few (None: every text of the case)."""
    out: list[str] = []
    extra = {"include_own": True} if include_own else {}
    parties: list[int | None] = list(built.parties)
    for audience in [None, *parties] if audiences is None else audiences:
        oracle = Oracle(world, audience, include_own=include_own)
        for cn in codenames:
            for kind in kinds:
                if kind in OUTSIDER_KINDS:
                    continue
                if kind in once and (audience is None or (not cn and True in codenames)):
                    continue
                if audience is None and cn and kind != "dossier":
                    continue  # "me" may see everything: one export with codenames will do
                sessions: list[int | None] = (
                    list(built.sessions) if kind in SESSION_KINDS else [None]
                )
                variants: list[dict[str, Any]] = [{}]
                if kind == "text":  # each text; for me the annotated and the clean copy
                    variants = [
                        {"text_id": t, **({"clean": clean} if audience is None else {})}
                        for t in sorted(set(world.drafts.values()))[:texts]
                        for clean in ((False, True) if audience is None else (True,))
                    ]
                for sid, more in ((sid, v) for sid in sessions for v in variants):
                    label = ExportLabel(kind, _label(world, audience), cn, include_own, sid)
                    findings = _one(
                        built, oracle, folder, label, audience, sid, cn, {**extra, **more}
                    )
                    if categories is not None:
                        findings = [f for f in findings if f.category in categories]
                    if findings:
                        out.append(report(label, findings))
                        if fail_fast:
                            return out
    for outsider in [] if include_own else built.outsiders if outsiders is None else outsiders:
        oracle = Oracle(world, None, outsider_id=outsider)
        for kind in (k for k in kinds if k in OUTSIDER_KINDS):
            for cn in outsider_codenames:
                label = ExportLabel(kind, _outsider_label(world, outsider), cn)
                findings = _one(built, oracle, folder, label, None, None, cn, {})
                if categories is not None:
                    findings = [f for f in findings if f.category in categories]
                if findings:
                    out.append(report(label, findings))
                    if fail_fast:
                        return out
    return out


def _one(
    built: Built,
    oracle: Oracle,
    folder: Path,
    label: ExportLabel,
    audience: int | None,
    session_id: int | None,
    codenames: bool,
    extra: dict[str, Any],
) -> list[Finding]:
    who: dict[str, Any] = (
        {"audience_party_id": audience}
        if oracle.outsider is None
        else {"audience_outsider_id": oracle.outsider}
    )
    if session_id is not None:
        who["session_id"] = session_id
    path = folder / f"{label.kind}-{audience}-{oracle.outsider}-{session_id}-{codenames}.pdf"
    expect_refusal = session_id is not None and not oracle.session_visible(session_id)
    if "text_id" in extra and not oracle.me:
        # A party's copy of a text: only of a draft it was given.
        expect_refusal = not oracle.holds_text(extra["text_id"])
    try:
        export_pdf(
            built.vault,
            kind=label.kind,
            case_id=built.case_id,
            out_path=path,
            codenames=codenames,
            **who,
            **extra,
        )
    except ValidationError as exc:
        if expect_refusal:
            return []
        return [Finding("refusal", "export_pdf", f"refused unexpectedly: {exc}")]
    findings = []
    if expect_refusal:
        why = (
            "the party holds no draft of the text"
            if "text_id" in extra
            else f"the party took no part in session #{session_id}"
        )
        findings.append(Finding("refusal", "export_pdf", f"{why}; the export should be refused"))
    reading = read_pdf(path)
    findings += audit(reading, oracle, codenames=codenames)
    if oracle.me and label.kind in ("dossier", "commitments") and not codenames:
        findings += _control_share(reading, oracle, built.case_id)
    if oracle.me and label.kind == "dossier" and not codenames:
        findings += _control(reading, oracle.w)
    if oracle.outsider is not None:
        findings += _control_share(reading, oracle, built.case_id)
    path.unlink()
    return findings


def _control(reading: Any, world: World) -> list[Finding]:
    """The readers work: the mediator's dossier holds every message's summary and every
    session's title, and the outline the sessions' titles."""
    want = {
        m
        for m, places in world.markers.items()
        if any(
            (p.table, p.column) in {("messages", "summary"), ("sessions", "title")} for p in places
        )
    }
    titles = {
        m for m, places in world.markers.items() if any(p.table == "sessions" for p in places)
    } & want
    out = []
    readers = [("pypdf text", reading.text)]
    if reading.poppler is not None:
        readers.append(("pdftotext", reading.poppler))
    for reader, text in readers:
        missing = want - markers_in(text)
        if missing:
            out.append(Finding("control", reader, f"my own dossier lacks {sorted(missing)}"))
    missing = titles - markers_in("\n".join(reading.outline))
    if missing:
        out.append(
            Finding("control", "outline", f"my own dossier's outline lacks {sorted(missing)}")
        )
    return out


def _control_share(reading: Any, oracle: Oracle, case_id: int) -> list[Finding]:
    """The readers find commitments and handovers: my own dossier and commitments register
    hold what every commitment of the case promised; a debrief, every option, commitment and
    finding handed to its audience that the rules let it have."""
    w = oracle.w
    places: set[Place] = set()
    if oracle.me:
        places = {
            Place("commitments", "what", cid)
            for cid, c in w.commitments.items()
            if c.case_id == case_id
        }
    else:
        for iid, item in w.handover_items.items():
            if w.handovers[item.handover_id] != oracle.outsider:
                continue
            if item.option_id is not None and oracle.option_visible(item.option_id):
                places.add(Place("options", "title", item.option_id))
            elif item.commitment_id is not None and oracle.commitment_visible(item.commitment_id):
                places.add(Place("commitments", "what", item.commitment_id))
            elif oracle.finding_visible(iid):
                places.add(Place("handover_items", "finding", iid))
    want = {m for m, found in w.markers.items() if places & set(found)}
    out = []
    readers = [("pypdf text", reading.text)]
    if reading.poppler is not None:
        readers.append(("pdftotext", reading.poppler))
    for reader, text in readers:
        missing = want - markers_in(text)
        if missing:
            where = "; ".join(str(p) for m in sorted(missing) for p in w.markers[m] if p in places)
            out.append(Finding("control", reader, f"the export lacks {sorted(missing)} ({where})"))
    return out


# --- one hand-built vault per known leak -------------------------------------------------


class Hand:
    """A small case built by hand: parties A, B and C (``self.a``, ``self.b``, ``self.c``),
    every text a fresh marker (``mk``) plus the words given."""

    def __init__(self, vault: Vault, title: str = "") -> None:
        self.vault = vault
        self.mk = Markers()
        with vault.transaction() as s:
            case = Case(title=self.mk(title or "river talks"), summary=self.mk())
            s.add(case)
            s.flush()
            parties = [
                Party(case_id=case.id, name=name, kind=PartyKind.COMMUNITY, description=self.mk())
                for name in PARTY_NAMES
            ]
            s.add_all(parties)
            s.flush()
            self.case_id = case.id
            self.a, self.b, self.c = (p.id for p in parties)
        self.built = Built(vault, self.case_id, [self.a, self.b, self.c])
        self._said = BASE

    def person(self, name: str, party: int, codename: str | None = None) -> int:
        with self.vault.transaction() as s:
            p = Person(name=name, codename=codename, role=self.mk(), notes=self.mk())
            s.add(p)
            s.flush()
            s.add(Affiliation(person_id=p.id, party_id=party, role=self.mk()))
            return p.id

    def message(
        self,
        sender: int,
        recipient: int | None,
        level: Disclosure,
        *,
        reply_to: int | None = None,
        embargo_until: datetime | None = None,
        words: str = "",
        round_id: int | None = None,
        sender_person_id: int | None = None,
    ) -> int:
        self._said += timedelta(hours=1)
        with self.vault.transaction() as s:
            m = Message(
                case_id=self.case_id,
                round_id=round_id,
                sender_party_id=sender,
                sender_person_id=sender_person_id,
                recipient_party_id=recipient,
                said_at=self._said,
                disclosure=level,
                embargo_until=embargo_until,
                in_reply_to_id=reply_to,
                summary=self.mk(words),
                content=self.mk(),
                place=self.mk(),
            )
            s.add(m)
            s.flush()
            return m.id

    def session(self, attendees: list[tuple[int, int | None]], words: str = "") -> int:
        sid = plan_session(
            self.vault,
            case_id=self.case_id,
            template="bilateral_consultation",
            title=self.mk(words),
            starts_at=BASE + timedelta(days=len(self.built.sessions) + 1),
            place=self.mk(),
            participants=[(p, party, Capacity.OFFICIAL) for p, party in attendees],
        )
        self.built.sessions.append(sid)
        return sid

    def note(
        self, session_id: int, kind: SessionNoteKind, party: int | None, words: str = ""
    ) -> int:
        return add_live_note(
            self.vault, session_id, kind, self.mk(words), party_id=party, noted_at=BASE
        )

    def option(self, **kw: Any) -> int:
        with self.vault.transaction() as s:
            o = Option(
                case_id=self.case_id, title=self.mk(kw.pop("words", "")), text=self.mk(), **kw
            )
            s.add(o)
            s.flush()
            return o.id

    def profile(self, party: int, **kw: Any) -> int:
        with self.vault.transaction() as s:
            e = ProfileEntry(party_id=party, kind=ProfileKind.INTEREST, text=self.mk(), **kw)
            s.add(e)
            s.flush()
            return e.id

    def commitment(self, party: int, level: Disclosure, **kw: Any) -> int:
        """A commitment of ``party`` at ``level``, made a day after the last one; what was
        promised, the condition and the note are fresh markers."""
        self._said += timedelta(days=1)
        new = NewCommitment(
            party_id=party,
            what=self.mk(kw.pop("words", "")),
            made_at=self._said,
            condition=self.mk(),
            disclosure=level,
            note=self.mk(),
            **kw,
        )
        return create_commitment(self.vault, self.case_id, new)

    def outcome(self, commitment_id: int, status: CommitmentStatus, **kw: Any) -> int:
        """An outcome on ``PAST`` (who verified it and the note: fresh markers)."""
        return record_outcome(
            self.vault,
            commitment_id,
            NewOutcome(on=PAST.date(), status=status, verified_by=self.mk(), note=self.mk(), **kw),
        )

    def outsider(self) -> int:
        oid = create_outsider(
            self.vault, self.case_id, self.mk("Envoy"), organisation=self.mk(), notes=self.mk()
        )
        self.built.outsiders.append(oid)
        return oid

    def handover(self, outsider: int, *items: NewHandoverItem, at: datetime = PAST) -> int:
        return create_handover(self.vault, self.case_id, outsider, at, items, note=self.mk())

    def marker_of(self, table: str, column: str, row_id: int) -> str:
        world = load_world(self.vault, self.case_id)
        [marker] = [
            m
            for m, places in world.markers.items()
            if any((p.table, p.column, p.row_id) == (table, column, row_id) for p in places)
        ]
        return marker

    def check(
        self,
        folder: Path,
        *,
        audiences: list[int | None],
        kinds: tuple[str, ...],
        categories: set[str],
        codenames: tuple[bool, ...] = (False,),
        include_own: bool = False,
    ) -> None:
        """Every export asked for holds nothing of ``categories`` that it should not."""
        world = load_world(self.vault, self.case_id)
        problems = export_and_audit(
            self.built,
            world,
            folder,
            audiences=audiences,
            kinds=kinds,
            codenames=codenames,
            include_own=include_own,
            categories=categories,
            fail_fast=False,
        )
        assert not problems, "\n".join(problems)

    def text(self, folder: Path, kind: str, audience: int | None, **kw: Any) -> str:
        """pypdf's text of one export (for what must be there); a debrief's ``audience`` is
        the outside audience's id."""
        path = folder / f"shown-{kind}-{audience}.pdf"
        key = "audience_outsider_id" if kind in OUTSIDER_KINDS else "audience_party_id"
        who: dict[str, Any] = {key: audience}
        export_pdf(self.vault, kind=kind, case_id=self.case_id, out_path=path, **who, **kw)
        return read_pdf(path).text
