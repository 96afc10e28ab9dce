"""Preparing and running sessions: templates, live notes, profiles fed from sessions,
upcoming actions and the session brief. (Options and their lineage: services/options.py.)"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import select, tuple_

from app.core.errors import NotFound, ValidationError
from app.core.models import (
    Action,
    AgendaItem,
    Capacity,
    Case,
    CaseSession,
    Participant,
    Party,
    Person,
    ProfileEntry,
    ProfileKind,
    SessionKind,
    SessionNote,
    SessionNoteKind,
    SessionStatus,
)
from app.core.services.knowledge import told_count
from app.core.services.paging import FIRST_PAGE, PAGE, Page, every_page, page_of
from app.core.vault import Vault

CHATHAM_HOUSE = (
    "Chatham House rule: participants may use what is said, but not reveal who said it or "
    "whom they represent. Everyone speaks in a personal capacity. No recording; the "
    "facilitator's notes are not shared outside the group."
)


@dataclass(frozen=True)
class Template:
    kind: SessionKind
    label: str
    agenda: tuple[tuple[str, int], ...]  # (item, minutes)
    ground_rules: str
    logistics: str  # a checklist, one line each


TEMPLATES: dict[str, Template] = {
    "problem_solving_workshop": Template(
        SessionKind.PROBLEM_SOLVING_WORKSHOP,
        "Problem-solving workshop",
        (
            ("Welcome, introductions and ground rules", 30),
            ("Each side's view of the conflict and its costs", 90),
            ("Interests, needs and fears beneath the positions", 120),
            ("Joint analysis: what would have to be true for both", 90),
            ("Generating options, without commitment", 120),
            ("Looking at the options together; next steps", 60),
        ),
        CHATHAM_HOUSE,
        "[ ] venue on neutral ground\n[ ] travel and visas\n[ ] interpretation\n"
        "[ ] separate rooms for each side\n[ ] security briefing\n[ ] no recording devices",
    ),
    "brainstorming": Template(
        SessionKind.BRAINSTORMING,
        "Facilitated joint brainstorming",
        (
            ("Framing the question", 20),
            ("Silent writing of ideas", 20),
            ("Sharing ideas, no criticism", 60),
            ("Clustering and refining", 45),
            ("What to take back to the principals", 30),
        ),
        CHATHAM_HOUSE + " Ideas raised are not commitments.",
        "[ ] flip charts and cards\n[ ] interpretation\n[ ] a neutral note-taker",
    ),
    "bilateral_consultation": Template(
        SessionKind.BILATERAL_CONSULTATION,
        "Bilateral consultation",
        (
            ("Where things stand for you", 30),
            ("What you heard from the other side", 20),
            ("What could move, and on what conditions", 40),
            ("What I may pass on", 15),
        ),
        "What is said stays with the mediator unless you say it may be passed on.",
        "[ ] confirm who attends\n[ ] agree what may be passed on",
    ),
    "shuttle_visit": Template(
        SessionKind.SHUTTLE_VISIT,
        "Shuttle visit",
        (
            ("Messages conveyed from the other side", 30),
            ("Your response", 45),
            ("What you want conveyed, and how (attributed or not)", 20),
        ),
        "Each message is recorded with how far it may travel.",
        "[ ] messages to convey, checked against their disclosure\n[ ] travel and security",
    ),
}


@dataclass(frozen=True)
class Candidate:
    """Someone who could sit at the table: a person tied to one of the case's parties."""

    person_id: int
    name: str
    party_id: int
    party_name: str
    role: str
    capacity: Capacity  # the capacity of their tie to the party; a workshop may differ


def candidates(vault: Vault, case_id: int) -> list[Candidate]:
    """The people of a case (current ties to its parties), by party then name."""
    from app.core.models import Affiliation, Person

    with vault.session() as s:
        rows = s.execute(
            select(Affiliation, Person.name, Party.name)
            .join(Person, Person.id == Affiliation.person_id)
            .join(Party, Party.id == Affiliation.party_id)
            .where(Party.case_id == case_id, Affiliation.until.is_(None))
            .order_by(Party.name, Person.name, Affiliation.id)
        ).all()
    return [
        Candidate(a.person_id, person, a.party_id, party, a.role, a.capacity)
        for a, person, party in rows
    ]


def plan_session(
    vault: Vault,
    *,
    case_id: int,
    template: str,
    title: str = "",
    starts_at: datetime | None = None,
    place: str = "",
    participants: list[tuple[int, int | None, Capacity]] | None = None,
) -> int:
    """A planned session filled in from a template (agenda, ground rules, logistics), with
    its participants; the facilitator edits from there. One transaction."""
    try:
        t = TEMPLATES[template]
    except KeyError:
        raise ValidationError(
            f"There is no template “{template}”; use one of: {', '.join(TEMPLATES)}."
        ) from None
    with vault.transaction() as s:
        if s.get(Case, case_id) is None:
            raise NotFound(f"There is no case number {case_id}.")
        session = CaseSession(
            case_id=case_id,
            title=title.strip() or t.label,
            kind=t.kind,
            status=SessionStatus.PLANNED,
            starts_at=starts_at,
            place=place,
            ground_rules=t.ground_rules,
            logistics=t.logistics,
        )
        s.add(session)
        s.flush()
        for position, (item, minutes) in enumerate(t.agenda, start=1):
            s.add(AgendaItem(session_id=session.id, position=position, title=item, minutes=minutes))
        for person_id, party_id, capacity in participants or []:
            s.add(
                Participant(
                    session_id=session.id, person_id=person_id, party_id=party_id, capacity=capacity
                )
            )
        return session.id


def add_live_note(
    vault: Vault,
    session_id: int,
    kind: SessionNoteKind | str,
    text: str,
    *,
    person_id: int | None = None,
    party_id: int | None = None,
    noted_at: datetime | None = None,
) -> int:
    """One time-stamped, typed entry while the room talks; committed at once (a crash or a
    lock loses nothing already entered)."""
    with vault.transaction() as s:
        if s.get(CaseSession, session_id) is None:
            raise NotFound(f"There is no session number {session_id}.")
        note = SessionNote(
            session_id=session_id,
            kind=SessionNoteKind(kind),
            text=text,
            person_id=person_id,
            party_id=party_id,
            noted_at=noted_at or datetime.now(UTC),
        )
        s.add(note)
        s.flush()
        return note.id


@dataclass(frozen=True)
class LiveNote:
    """One live note as the notes list shows it: when, what kind, who spoke, what was said."""

    id: int
    noted_at: datetime
    kind: str
    text: str
    person_id: int | None
    person_name: str  # "" when the room (or a whole party) spoke
    party_id: int | None
    party_name: str


def live_notes_page(
    vault: Vault, session_id: int, *, after: Any = None, limit: int = FIRST_PAGE
) -> Page[LiveNote]:
    """A page of a session's notes, oldest first, each with its speaker's name and party:
    one query, keyset on (noted_at, id) through ``ix_session_notes_session_at`` (a long
    workshop holds hundreds of notes)."""
    query = (
        select(SessionNote, Person.name, Party.name)
        .outerjoin(Person, Person.id == SessionNote.person_id)
        .outerjoin(Party, Party.id == SessionNote.party_id)
        .where(SessionNote.session_id == session_id)
    )
    if after is not None:
        noted_at, note_id = after
        query = query.where(tuple_(SessionNote.noted_at, SessionNote.id) > (noted_at, note_id))
    with vault.session() as s:
        rows = s.execute(
            query.order_by(SessionNote.noted_at, SessionNote.id).limit(limit + 1)
        ).all()
        notes = [
            LiveNote(
                n.id,
                n.noted_at,
                n.kind.value,
                n.text,
                n.person_id,
                person or "",
                n.party_id,
                party or "",
            )
            for n, person, party in rows
        ]
    return page_of(notes, limit, lambda n: (n.noted_at, n.id))


def live_notes(vault: Vault, session_id: int) -> list[LiveNote]:
    """A session's notes, oldest first: every page of ``live_notes_page``."""

    def fetch(after: Any, limit: int) -> Page[LiveNote]:
        return live_notes_page(vault, session_id, after=after, limit=limit)

    return every_page(fetch, PAGE)


def action_from_note(
    vault: Vault,
    session_note_id: int,
    *,
    due_on: date | None = None,
    owner_person_id: int | None = None,
    owner: str = "",
) -> int:
    """A follow-up agreed in the room, from the live note that recorded it: an action of the
    session's case, linked to the session, with its owner and due date."""
    from app.core.models.base import SHORT

    with vault.transaction() as s:
        note = s.get(SessionNote, session_note_id)
        if note is None:
            raise NotFound(f"There is no session note number {session_note_id}.")
        session = s.get(CaseSession, note.session_id)
        assert session is not None
        lines = note.text.strip().splitlines() or [""]
        title = lines[0][:SHORT]
        action = Action(
            case_id=session.case_id,
            session_id=session.id,
            title=title,
            # The full note when the title had to be cut or the note has more lines.
            notes=note.text.strip() if note.text.strip() != title else "",
            owner_person_id=owner_person_id,
            owner=owner.strip(),
            due_on=due_on,
        )
        s.add(action)
        s.flush()
        return action.id


# The kinds of live note that can go into a party's profile, and as what.
PROFILE_KIND_OF_NOTE = {
    SessionNoteKind.INTEREST: ProfileKind.INTEREST,
    SessionNoteKind.NEED: ProfileKind.NEED,
    SessionNoteKind.FEAR: ProfileKind.FEAR,
    SessionNoteKind.STATEMENT: ProfileKind.POSITION,
}


def promote_to_profile(vault: Vault, session_note_id: int, party_id: int | None = None) -> int:
    """Add an interest, need or fear surfaced in a session to the party's dated profile, in
    one step, keeping where it came from (the session)."""
    with vault.transaction() as s:
        note = s.get(SessionNote, session_note_id)
        if note is None:
            raise NotFound(f"There is no session note number {session_note_id}.")
        kind = PROFILE_KIND_OF_NOTE.get(note.kind)
        if kind is None:
            raise ValidationError(
                "Only an interest, need, fear or statement can go into a party's profile."
            )
        party_id = party_id or note.party_id
        if party_id is None:
            raise ValidationError("Say which party this belongs to.")
        session = s.get(CaseSession, note.session_id)
        party = s.get(Party, party_id)
        if party is None or session is None or party.case_id != session.case_id:
            raise ValidationError("The party must be one of this session's case.")
        entry = ProfileEntry(
            party_id=party_id,
            kind=kind,
            text=note.text,
            recorded_on=note.noted_at.date(),
            source_session_id=note.session_id,
        )
        s.add(entry)
        s.flush()
        return entry.id


@dataclass(frozen=True)
class UpcomingAction:
    id: int
    case_id: int
    case_title: str
    title: str
    owner: str  # free text, when the owner is not a known person
    due_on: date | None
    overdue: bool
    owner_person_id: int | None = None
    session_id: int | None = None  # the session it came from, if any
    notes: str = ""
    owner_name: str = ""  # the owner person's name, else the free-text owner


def upcoming_actions(
    vault: Vault,
    *,
    today: date | None = None,
    days: int | None = 30,
    case_id: int | None = None,
) -> list[UpcomingAction]:
    """Open actions across every case (or of ``case_id``), due within ``days`` (None: any
    time) and overdue ones, soonest first; open actions without a due date come last."""
    today = today or datetime.now(UTC).date()
    horizon = today + timedelta(days=days) if days is not None else date.max
    with vault.session() as s:
        query = (
            select(Action, Case.title, Person.name)
            .join(Case, Case.id == Action.case_id)
            .outerjoin(Person, Person.id == Action.owner_person_id)
            .where(Action.done.is_(False))
        )
        if case_id is not None:
            query = query.where(Action.case_id == case_id)
        if days is not None:  # in SQL: the open actions far ahead are not read at all
            query = query.where(Action.due_on.is_(None) | (Action.due_on <= horizon))
        rows = s.execute(query).all()
    out = [
        UpcomingAction(
            a.id,
            a.case_id,
            title,
            a.title,
            a.owner,
            a.due_on,
            a.due_on is not None and a.due_on < today,
            a.owner_person_id,
            a.session_id,
            a.notes,
            person or a.owner,
        )
        for a, title, person in rows
        if a.due_on is None or a.due_on <= horizon
    ]
    return sorted(out, key=lambda u: (u.due_on is None, u.due_on or date.max, u.id))


@dataclass(frozen=True)
class BriefAgendaItem:
    position: int
    title: str
    minutes: int | None
    notes: str


@dataclass(frozen=True)
class BriefProfileEntry:
    kind: str
    text: str
    recorded_on: date
    # Where it came from: an export for one party shows it only if both reach that party.
    source_message_id: int | None = None
    source_session_id: int | None = None


@dataclass(frozen=True)
class BriefParty:
    """A party at the table, with its current profile (oldest entry first)."""

    party_id: int
    name: str
    profile: tuple[BriefProfileEntry, ...]


@dataclass(frozen=True)
class BriefParticipant:
    person_id: int
    name: str
    party_id: int | None
    party_name: str
    capacity: str


@dataclass(frozen=True)
class BriefStance:
    party_id: int
    party_name: str
    stance: str
    recorded_at: datetime


@dataclass(frozen=True)
class BriefOption:
    option_id: int
    title: str
    status: str
    text: str
    raised_on: date
    raised_by: str
    raised_by_party_id: int | None
    raised_by_person_id: int | None
    # Where it was raised: an export for one party shows it only if that party may see it.
    raised_in_session_id: int | None
    raised_in_message_id: int | None
    current_stances: tuple[BriefStance, ...]  # each party's latest stance, with its date


@dataclass(frozen=True)
class SessionBrief:
    session_id: int
    title: str
    kind: str
    starts_at: datetime | None
    place: str
    ground_rules: str
    agenda: tuple[BriefAgendaItem, ...]
    participants: tuple[BriefParticipant, ...]
    open_options: tuple[BriefOption, ...]
    knows: dict[str, int]  # attending party -> number of sources it has been told
    open_actions: tuple[UpcomingAction, ...]
    case_id: int
    status: str
    ends_at: datetime | None
    logistics: str
    summary: str
    parties: tuple[BriefParty, ...]  # the participants' parties with their current profiles


def session_brief(vault: Vault, session_id: int) -> SessionBrief:
    """Everything to read before a planned session, in one call: agenda, participants with
    their parties' current profiles, open options with each party's current stance, what
    each attending party already knows (the knowledge ledger) and the case's open actions.
    The PDF brief is built from this alone, so what it shows is decided here."""
    from app.core.models import Option
    from app.core.services.options import CLOSED_STATUSES, case_stance_histories

    with vault.session() as s:
        session = s.get(CaseSession, session_id)
        if session is None:
            raise NotFound(f"There is no session number {session_id}.")
        case_id = session.case_id
        agenda_items = tuple(
            BriefAgendaItem(a.position, a.title, a.minutes, a.notes)
            for a in s.scalars(
                select(AgendaItem)
                .where(AgendaItem.session_id == session_id)
                .order_by(AgendaItem.position, AgendaItem.id)
            )
        )
        parties = {p.id: p for p in s.scalars(select(Party).where(Party.case_id == case_id))}
        profiles: dict[int, tuple[BriefProfileEntry, ...]] = {}
        for pid in parties:
            entries = list(
                s.scalars(
                    select(ProfileEntry)
                    .where(ProfileEntry.party_id == pid, ProfileEntry.retired_on.is_(None))
                    .order_by(ProfileEntry.recorded_on, ProfileEntry.id)
                )
            )
            profiles[pid] = tuple(
                BriefProfileEntry(
                    e.kind.value, e.text, e.recorded_on, e.source_message_id, e.source_session_id
                )
                for e in entries
            )
        participants = []
        for p in s.scalars(
            select(Participant).where(Participant.session_id == session_id).order_by(Participant.id)
        ):
            person = s.get(Person, p.person_id)
            participants.append(
                BriefParticipant(
                    p.person_id,
                    person.name if person else "",
                    p.party_id,
                    parties[p.party_id].name if p.party_id in parties else "",
                    p.capacity.value,
                )
            )
        attending = sorted({p.party_id for p in participants if p.party_id in parties})
        options = [
            o
            for o in s.scalars(
                select(Option)
                .where(Option.case_id == case_id)
                .order_by(Option.raised_on, Option.id)
            )
            if o.status not in CLOSED_STATUSES
        ]
        histories = case_stance_histories(s, case_id)
        brief_options = []
        for o in options:
            current = tuple(
                BriefStance(pid, parties[pid].name, changes[-1].stance, changes[-1].at)
                for pid, changes in histories.get(o.id, {}).items()
                if pid in parties
            )
            brief_options.append(
                BriefOption(
                    o.id,
                    o.title,
                    o.status.value,
                    o.text,
                    o.raised_on,
                    o.raised_by.value,
                    o.raised_by_party_id,
                    o.raised_by_person_id,
                    o.raised_in_session_id,
                    o.raised_in_message_id,
                    current,
                )
            )
        brief = SessionBrief(
            session_id=session_id,
            title=session.title,
            kind=session.kind.value,
            starts_at=session.starts_at,
            place=session.place,
            ground_rules=session.ground_rules,
            agenda=agenda_items,
            participants=tuple(participants),
            open_options=tuple(brief_options),
            knows={parties[pid].name: told_count(s, pid) for pid in attending},
            open_actions=(),
            case_id=case_id,
            status=session.status.value,
            ends_at=session.ends_at,
            logistics=session.logistics,
            summary=session.summary,
            parties=tuple(BriefParty(pid, parties[pid].name, profiles[pid]) for pid in attending),
        )
    # The actions are read in their own unit of work.
    actions = tuple(upcoming_actions(vault, days=None, case_id=case_id))
    return replace(brief, open_actions=actions)
