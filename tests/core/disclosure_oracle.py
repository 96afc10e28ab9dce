"""An independent oracle of "who may see what" (DESIGN.md, section 2a) and the readers that
look for leaks in an exported PDF, for tests/core/test_disclosure_fuzz.py.

Every text field of a test vault holds a unique marker (``QX0001Z``, fixed width, ASCII, so
that no marker is part of another and every text extractor finds it). After the vault is
built, :func:`load_world` reads it back and finds every marker in every column; an
:class:`Oracle` for one party (or one outside audience of a debrief, judged as a party that
is no party) says which of those places it may see. The rules are
written out here on purpose, without importing ``app.core.disclosure``: a test that asked the
code under test what is allowed would only check that the code agrees with itself.

:func:`read_pdf` reads one PDF five ways (pypdf's text, poppler's ``pdftotext`` when it
is installed, the raw bytes with every stream decompressed and every string decoded, the
outline and the metadata); :func:`audit` returns what it found there that the audience may
not see: markers, real names despite codenames, "In reply to" lines that point at a source,
and any count of what was withheld.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntEnum
from pathlib import Path
from typing import Any

import pypdf
from pypdf.generic import (
    ArrayObject,
    ByteStringObject,
    DictionaryObject,
    IndirectObject,
    StreamObject,
    TextStringObject,
)
from sqlalchemy import select

from app.core.models import (
    Action,
    Affiliation,
    AgendaItem,
    Alternative,
    CaseSession,
    CaseText,
    Clause,
    Commitment,
    CommitmentEvent,
    Critique,
    Delivery,
    Draft,
    Handover,
    HandoverItem,
    Message,
    Option,
    OptionLink,
    Outsider,
    Participant,
    Party,
    Person,
    ProfileEntry,
    Release,
    SessionNote,
    Stance,
    clause_options,
    kinds,
)
from app.core.vault import Vault

MARKER_RE = re.compile(r"QX\d{4}Z", re.IGNORECASE)
# The same in the raw bytes: ASCII, UTF-16 (big and little endian) and as hex strings.
_RAW_MARKERS = (
    (re.compile(rb"QX(\d{4})Z", re.I), lambda g: g.decode()),
    (re.compile(rb"\x00[Qq]\x00[Xx]((?:\x00\d){4})\x00[Zz]"), lambda g: g.decode("utf-16-be")),
    (re.compile(rb"[Qq]\x00[Xx]\x00((?:\d\x00){4})[Zz]\x00"), lambda g: g.decode("utf-16-le")),
    (re.compile(rb"5158((?:3\d){4})5a", re.I), lambda g: bytes.fromhex(g.decode()).decode()),
    (
        re.compile(rb"00510058((?:003\d){4})005a", re.I),
        lambda g: bytes.fromhex(g.decode()).decode("utf-16-be"),
    ),
)


class Markers:
    """Unique markers, in order: QX0001Z, QX0002Z, ..."""

    def __init__(self) -> None:
        self.n = 0

    def __call__(self, tail: str = "") -> str:
        self.n += 1
        return f"QX{self.n:04d}Z" + (f" {tail}" if tail else "")


def norm(text: str) -> str:
    """NFKC, case-folded, white space (NBSP, line breaks, doubles) collapsed to one space."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text).casefold())
    return re.sub(r"\s+", " ", folded).strip()


def markers_in(text: str) -> set[str]:
    """The markers in a text, also where the extractor broke one with white space."""
    found = {m.upper() for m in MARKER_RE.findall(text)}
    found |= {m.upper() for m in MARKER_RE.findall(re.sub(r"\s+", "", text))}
    return found


# --- the vault as the oracle sees it ---------------------------------------------------------


class Sight(IntEnum):
    NONE = 0
    ANON = 1  # the substance, nothing that points at the source
    FULL = 2


@dataclass(frozen=True)
class Place:
    """One place a marker sits in: ``messages.summary`` of message #4."""

    table: str
    column: str
    row_id: int

    def __str__(self) -> str:
        return f"{self.table}.{self.column} #{self.row_id}"


@dataclass
class World:
    """Everything the rules need, read back from the vault after it was built."""

    case_id: int
    parties: dict[int, str] = field(default_factory=dict)
    messages: dict[int, Any] = field(default_factory=dict)
    releases: list[Any] = field(default_factory=list)
    participants: list[Any] = field(default_factory=list)
    affiliations: dict[int, Any] = field(default_factory=dict)
    options: dict[int, Any] = field(default_factory=dict)
    parents: dict[int, list[int]] = field(default_factory=dict)
    profile: dict[int, Any] = field(default_factory=dict)
    session_notes: dict[int, Any] = field(default_factory=dict)
    actions: dict[int, Any] = field(default_factory=dict)
    stances: dict[int, Any] = field(default_factory=dict)
    deliveries: dict[int, Any] = field(default_factory=dict)
    agenda: dict[int, int] = field(default_factory=dict)  # agenda item -> session
    sessions: set[int] = field(default_factory=set)
    people: dict[int, Any] = field(default_factory=dict)
    # Texts: draft -> text, (party, draft) pairs given, clause facts, carried options,
    # alternatives (clause, source message), critiques (clause, party).
    drafts: dict[int, int] = field(default_factory=dict)
    given: set[tuple[int, int]] = field(default_factory=set)
    clauses: dict[int, Any] = field(default_factory=dict)
    clause_options: dict[int, list[int]] = field(default_factory=dict)
    alternatives: dict[int, Any] = field(default_factory=dict)
    critiques: dict[int, Any] = field(default_factory=dict)
    # Commitments (issue 17): commitment facts, outcomes (commitment, evidence message),
    # outside audiences (id -> name), handovers (id -> outsider), their items, and the
    # drafts handed to each outside audience.
    commitments: dict[int, Any] = field(default_factory=dict)
    outcomes: dict[int, Any] = field(default_factory=dict)
    outsiders: dict[int, str] = field(default_factory=dict)
    handovers: dict[int, int] = field(default_factory=dict)
    handover_items: dict[int, Any] = field(default_factory=dict)
    handed_drafts: dict[int, set[int]] = field(default_factory=dict)
    markers: dict[str, list[Place]] = field(default_factory=dict)

    def name_parts(self) -> dict[str, int]:
        """Every part of a real name of >= 3 letters (normalised) -> the person's id."""
        out: dict[str, int] = {}
        for pid, p in self.people.items():
            for part in p.name.split():
                if sum(ch.isalpha() for ch in part) >= 3:
                    out[norm(part)] = pid
        return out


def _is_text(column: Any) -> bool:
    try:
        return column.type.python_type is str
    except NotImplementedError:
        return False


def load_world(vault: Vault, case_id: int) -> World:
    w = World(case_id)
    with vault.session() as s:
        w.parties = {
            pid: name
            for pid, name in s.execute(select(Party.id, Party.name).where(Party.case_id == case_id))
        }
        w.messages = {
            m.id: m
            for m in s.execute(
                select(
                    Message.id,
                    Message.sender_party_id,
                    Message.disclosure,
                    Message.embargo_until,
                    Message.in_reply_to_id,
                ).where(Message.case_id == case_id)
            )
        }
        w.releases = list(
            s.execute(
                select(
                    Release.message_id,
                    Release.party_id,
                    Release.released_at,
                    Release.attribution_allowed,
                )
            )
        )
        w.sessions = set(s.scalars(select(CaseSession.id).where(CaseSession.case_id == case_id)))
        w.participants = list(
            s.execute(select(Participant.session_id, Participant.person_id, Participant.party_id))
        )
        w.affiliations = {
            a.id: a
            for a in s.execute(select(Affiliation.id, Affiliation.person_id, Affiliation.party_id))
        }
        w.options = {
            o.id: o
            for o in s.execute(
                select(Option.id, Option.raised_in_message_id, Option.raised_in_session_id)
            )
        }
        for oid, parent in s.execute(select(OptionLink.option_id, OptionLink.parent_id)):
            w.parents.setdefault(oid, []).append(parent)
        w.profile = {
            e.id: e
            for e in s.execute(
                select(
                    ProfileEntry.id,
                    ProfileEntry.party_id,
                    ProfileEntry.source_message_id,
                    ProfileEntry.source_session_id,
                )
            )
        }
        w.session_notes = {
            n.id: n
            for n in s.execute(
                select(
                    SessionNote.id, SessionNote.session_id, SessionNote.kind, SessionNote.party_id
                )
            )
        }
        w.actions = {
            a.id: a for a in s.execute(select(Action.id, Action.session_id, Action.owner_person_id))
        }
        w.stances = {
            st.id: st for st in s.execute(select(Stance.id, Stance.option_id, Stance.party_id))
        }
        w.deliveries = {
            did: to for did, to in s.execute(select(Delivery.id, Delivery.recipient_party_id))
        }
        w.agenda = {
            aid: sid for aid, sid in s.execute(select(AgendaItem.id, AgendaItem.session_id))
        }
        w.people = {p.id: p for p in s.execute(select(Person.id, Person.name, Person.codename))}
        w.drafts = {
            did: tid
            for did, tid in s.execute(
                select(Draft.id, Draft.text_id)
                .join(CaseText, CaseText.id == Draft.text_id)
                .where(CaseText.case_id == case_id)
            )
        }
        w.given = {
            (pid, did)
            for pid, did in s.execute(
                select(Delivery.recipient_party_id, Delivery.draft_id).where(
                    Delivery.draft_id.is_not(None)
                )
            )
        }
        w.clauses = {
            c.id: c
            for c in s.execute(
                select(
                    Clause.id, Clause.draft_id, Clause.source_message_id, Clause.source_session_id
                )
            )
        }
        for cid, oid in s.execute(select(clause_options.c.clause_id, clause_options.c.option_id)):
            w.clause_options.setdefault(cid, []).append(oid)
        w.alternatives = {
            a.id: a
            for a in s.execute(
                select(Alternative.id, Alternative.clause_id, Alternative.source_message_id)
            )
        }
        w.critiques = {
            c.id: c for c in s.execute(select(Critique.id, Critique.clause_id, Critique.party_id))
        }
        w.commitments = {
            c.id: c
            for c in s.execute(
                select(
                    Commitment.id,
                    Commitment.case_id,
                    Commitment.party_id,
                    Commitment.person_id,
                    Commitment.to_party_id,
                    Commitment.condition_id,
                    Commitment.disclosure,
                    Commitment.embargo_until,
                    Commitment.source_message_id,
                    Commitment.source_session_id,
                    Commitment.source_clause_id,
                )
            )
        }
        w.outcomes = {
            e.id: e
            for e in s.execute(
                select(
                    CommitmentEvent.id,
                    CommitmentEvent.commitment_id,
                    CommitmentEvent.evidence_message_id,
                )
            )
        }
        w.outsiders = {i: name for i, name in s.execute(select(Outsider.id, Outsider.name))}
        w.handovers = {i: o for i, o in s.execute(select(Handover.id, Handover.outsider_id))}
        w.handover_items = {
            i.id: i
            for i in s.execute(
                select(
                    HandoverItem.id,
                    HandoverItem.handover_id,
                    HandoverItem.option_id,
                    HandoverItem.commitment_id,
                    HandoverItem.draft_id,
                    HandoverItem.finding_message_id,
                    HandoverItem.finding_session_id,
                )
            )
        }
        for item in w.handover_items.values():
            if item.draft_id is not None:
                w.handed_drafts.setdefault(w.handovers[item.handover_id], set()).add(item.draft_id)
        # Every marker, wherever it is (a service may have copied a text to another record).
        for model in kinds().values():
            table = model.__table__
            if "id" not in table.c:
                continue
            cols = [c for c in table.c if c.name != "id" and _is_text(c)]
            for col in cols:
                for row_id, value in s.execute(select(table.c.id, col)):
                    for m in MARKER_RE.findall(value or ""):
                        w.markers.setdefault(m, []).append(Place(table.name, col.name, row_id))
    unknown = sorted(
        {(p.table, p.column) for places in w.markers.values() for p in places} - set(RULES)
    )
    assert not unknown, f"the oracle has no rule for markers in {unknown}"
    return w


# --- the rules -------------------------------------------------------------------------------


class Oracle:
    """What an export for one party (``party_id``) may show, as of ``now``; ``include_own``:
    the party asked for its own statements too. ``party_id`` None is "me": everything —
    unless ``outsider_id`` names an outside audience (an official, institution or sponsor;
    a debrief), judged as a party that is no party: no statement is its own, only releases
    to every party reach it, it sat at no session and holds only the drafts handed to it."""

    def __init__(
        self,
        world: World,
        party_id: int | None,
        *,
        include_own: bool = False,
        now: datetime | None = None,
        outsider_id: int | None = None,
    ) -> None:
        assert party_id is None or outsider_id is None
        self.w = world
        self.party = party_id
        self.outsider = outsider_id
        self.include_own = include_own and party_id is not None
        self.now = now or datetime.now(UTC)
        self._sight: dict[int, Sight] = {}
        self._options: dict[int, Sight] = {}
        self.visible_sessions = {
            p.session_id
            for p in world.participants
            if party_id is not None and p.party_id == party_id
        }
        self.own_people = {
            a.person_id
            for a in world.affiliations.values()
            if party_id is not None and a.party_id == party_id
        }
        if outsider_id is not None:
            self.drafts_held = set(world.handed_drafts.get(outsider_id, set()))
        else:
            self.drafts_held = {did for pid, did in world.given if pid == party_id}

    @property
    def me(self) -> bool:
        return self.party is None and self.outsider is None

    def is_party(self, party_id: int | None) -> bool:
        """The audience is this party (never true of "me" or an outside audience)."""
        return self.party is not None and party_id == self.party

    def sight(self, message_id: int | None) -> Sight:
        """How much of a message the party sees (no message: nothing to hold back)."""
        if message_id is None:
            return Sight.FULL
        if self.me:
            return Sight.FULL
        if message_id not in self._sight:
            self._sight[message_id] = self._message_sight(message_id)
        return self._sight[message_id]

    def _level_sight(self, maker: int | None, level: Any, embargo_until: Any) -> Sight:
        """A statement's own level, judged for this audience (no release considered)."""
        if self.include_own and self.is_party(maker):
            return Sight.FULL
        level = str(getattr(level, "value", level))
        if level == "shareable":
            return Sight.FULL
        if level == "unattributed":
            return Sight.ANON
        if level == "embargoed":
            return Sight.FULL if embargo_until <= self.now else Sight.NONE
        return Sight.NONE

    def _message_sight(self, message_id: int) -> Sight:
        m = self.w.messages[message_id]
        if self.include_own and self.is_party(m.sender_party_id):
            return Sight.FULL
        sight = self._level_sight(m.sender_party_id, m.disclosure, m.embargo_until)
        usable = [
            r
            for r in self.w.releases
            if r.message_id == message_id
            # a release to one party reaches that party; one to every party reaches every
            # audience, an outside one too
            and (r.party_id is None or self.is_party(r.party_id))
            and r.released_at <= self.now
        ]
        if usable:
            naming = any(r.attribution_allowed for r in usable)
            if sight is Sight.NONE:
                sight = Sight.FULL if naming else Sight.ANON
            elif sight is Sight.ANON and naming:
                sight = Sight.FULL
        return sight

    def session_visible(self, session_id: int | None) -> bool:
        """Only sessions the party sat in; an outside audience sat in none."""
        return self.me or session_id in self.visible_sessions

    def session_sight(self, session_id: int | None) -> Sight:
        if session_id is None:
            return Sight.FULL
        return Sight.FULL if self.session_visible(session_id) else Sight.NONE

    def option_sight(self, option_id: int) -> Sight:
        """The strictest origin of the option and of every option it came from (refined,
        merged, split)."""
        if self.me:
            return Sight.FULL
        if option_id not in self._options:
            self._options[option_id] = Sight.NONE  # a cycle would hide it, never show it
            o = self.w.options[option_id]
            seen = min(
                self.sight(o.raised_in_message_id), self.session_sight(o.raised_in_session_id)
            )
            for p in self.w.parents.get(option_id, []):
                seen = min(seen, self.option_sight(p))
            self._options[option_id] = Sight(seen)
        return self._options[option_id]

    def option_visible(self, option_id: int) -> bool:
        return self.option_sight(option_id) is not Sight.NONE

    def person_role_visible(self, person_id: int) -> bool:
        return person_id in self.own_people or any(
            p.person_id == person_id and self.session_visible(p.session_id)
            for p in self.w.participants
        )

    def profile_visible(self, entry_id: int) -> bool:
        e = self.w.profile[entry_id]
        return (
            self.is_party(e.party_id)
            and self.sight(e.source_message_id) is not Sight.NONE
            and (e.source_session_id is None or self.session_visible(e.source_session_id))
        )

    def session_note_visible(self, note_id: int) -> bool:
        n = self.w.session_notes[note_id]
        if not self.session_visible(n.session_id):
            return False
        kind = str(getattr(n.kind, "value", n.kind))
        return kind == "agreement" or (self.include_own and self.is_party(n.party_id))

    def action_visible(self, action_id: int) -> bool:
        a = self.w.actions[action_id]
        if a.session_id is not None:
            return self.session_visible(a.session_id)
        return a.owner_person_id is not None and a.owner_person_id in self.own_people

    def holds_text(self, text_id: int) -> bool:
        """A draft of the text was circulated to the party (handed to an outside audience)."""
        return any(self.w.drafts.get(did) == text_id for did in self.drafts_held)

    def clause_sight(self, clause_id: int) -> Sight:
        """The strictest origin of a clause's wording: its source message and session, the
        options it carries (with their ancestry), the sources of its alternatives (whether
        the audience holds its draft aside)."""
        if self.me:
            return Sight.FULL
        c = self.w.clauses[clause_id]
        seen = min(self.sight(c.source_message_id), self.session_sight(c.source_session_id))
        for o in self.w.clause_options.get(clause_id, []):
            seen = min(seen, self.option_sight(o))
        for a in self.w.alternatives.values():
            if a.clause_id == clause_id:
                seen = min(seen, self.sight(a.source_message_id))
        return Sight(seen)

    def clause_visible(self, clause_id: int) -> bool:
        """A clause of a draft given to the audience, every origin of whose wording reaches
        it."""
        if self.me:
            return True
        c = self.w.clauses[clause_id]
        return c.draft_id in self.drafts_held and self.clause_sight(clause_id) is not Sight.NONE

    # --- commitments and handovers (issue 17) ------------------------------------------------

    def commitment_sight(self, commitment_id: int) -> Sight:
        """A commitment: its own level, as a message its maker said (no release reaches a
        commitment: it has none), then the strictest of where it was said — its source
        message, its source session, and its source clause (that clause's own origins, and
        the clause's draft must have been given to the audience)."""
        if self.me:
            return Sight.FULL
        c = self.w.commitments[commitment_id]
        seen = self._level_sight(c.party_id, c.disclosure, c.embargo_until)
        seen = min(seen, self.sight(c.source_message_id), self.session_sight(c.source_session_id))
        if c.source_clause_id is not None:
            clause = self.w.clauses.get(c.source_clause_id)
            if clause is None or clause.draft_id not in self.drafts_held:
                return Sight.NONE
            seen = min(seen, self.clause_sight(c.source_clause_id))
        return Sight(seen)

    def commitment_visible(self, commitment_id: int) -> bool:
        return self.commitment_sight(commitment_id) is not Sight.NONE

    def outcome_visible(self, outcome_id: int) -> bool:
        """An outcome: with its commitment, and only if its evidence message reaches the
        audience."""
        e = self.w.outcomes[outcome_id]
        return (
            self.commitment_visible(e.commitment_id)
            and self.sight(e.evidence_message_id) is not Sight.NONE
        )

    def person_named(self, person_id: int | None) -> bool:
        """May a commitment of full sight name this person (its own people and those at its
        sessions' tables; an outside audience knows nobody)?"""
        return person_id is not None and (self.me or self.person_role_visible(person_id))

    def finding_visible(self, item_id: int) -> bool:
        """A finding handed to this outside audience, if what it rests on reaches it."""
        i = self.w.handover_items[item_id]
        return (
            self.outsider is not None
            and self.w.handovers[i.handover_id] == self.outsider
            and self.sight(i.finding_message_id) is not Sight.NONE
            and self.session_sight(i.finding_session_id) is not Sight.NONE
        )

    def allows(self, place: Place) -> bool:
        return self.me or RULES[(place.table, place.column)](self, place.row_id)

    def marker_allowed(self, marker: str) -> bool:
        """A marker copied to several records (a note promoted to a profile) may show where
        any of its copies may."""
        return any(self.allows(p) for p in self.w.markers.get(marker.upper(), []))

    def why(self, place: Place) -> str:
        """A few words on why a place is hidden from this audience, for failure messages."""
        w, i = self.w, place.row_id
        if RULES[(place.table, place.column)] is _never:
            return "never shown to a party or an outside audience"
        if place.table in ("commitments", "commitment_events"):
            cid = i if place.table == "commitments" else w.outcomes[i].commitment_id
            out = self._why_commitment(cid)
            if place.table == "commitment_events":
                evidence = w.outcomes[i].evidence_message_id
                out = f"outcome #{i} of {out}"
                if evidence is not None:
                    out += f"; evidence {self._why_message(evidence)}"
            return out
        if place.table == "outsiders":
            return f"outside audience #{i} ({w.outsiders[i]!r}), not this audience"
        if place.table == "handover_items":
            item = w.handover_items[i]
            out = f"item #{i} of a handover to outside audience #{w.handovers[item.handover_id]}"
            if item.finding_message_id is not None:
                out += f"; rests on {self._why_message(item.finding_message_id)}"
            if item.finding_session_id is not None:
                out += f"; rests on session #{item.finding_session_id} (no outsider attended)"
            return out
        if place.table == "messages":
            return self._why_message(i)
        if place.table == "options":
            return self._why_option(i)
        if place.table == "stances":
            st = w.stances[i]
            return f"stance of party #{st.party_id} on option #{st.option_id}; " + (
                self._why_option(st.option_id)
            )
        if place.table == "profile_entries":
            e = w.profile[i]
            out = f"entry of party #{e.party_id}"
            if e.source_message_id is not None:
                out += f"; source {self._why_message(e.source_message_id)}"
            if e.source_session_id is not None:
                seen = self.session_visible(e.source_session_id)
                out += f"; from session #{e.source_session_id} (attended: {seen})"
            return out
        if place.table in ("sessions", "agenda_items", "session_notes", "actions"):
            sid = {
                "sessions": lambda: i,
                "agenda_items": lambda: w.agenda[i],
                "session_notes": lambda: w.session_notes[i].session_id,
                "actions": lambda: w.actions[i].session_id,
            }[place.table]()
            extra = ""
            if place.table == "session_notes":
                n = w.session_notes[i]
                extra = (
                    f"; a note of kind {getattr(n.kind, 'value', n.kind)} by party #{n.party_id}"
                )
            if place.table == "actions":
                extra = f"; owner person #{w.actions[i].owner_person_id}"
            return (
                f"session #{sid} (attended: {sid is not None and self.session_visible(sid)}){extra}"
            )
        if place.table == "affiliations":
            return f"an affiliation to party #{w.affiliations[i].party_id}"
        if place.table == "deliveries":
            return f"a delivery to party #{w.deliveries[i]}"
        if place.table in ("clauses", "clause_alternatives", "critiques"):
            cid = (
                i
                if place.table == "clauses"
                else (
                    w.alternatives[i].clause_id
                    if place.table == "clause_alternatives"
                    else w.critiques[i].clause_id
                )
            )
            return self._why_clause(cid)
        if place.table == "cases":
            return f"the title of case #{i}, not of this one (a case linked to it)"
        return "never for a party"

    def _why_clause(self, cid: int) -> str:
        c = self.w.clauses[cid]
        given = c.draft_id in self.drafts_held
        out = f"clause #{cid} of draft #{c.draft_id} (given: {given})"
        if c.source_message_id is not None:
            out += f"; source {self._why_message(c.source_message_id)}"
        if c.source_session_id is not None:
            seen = self.session_visible(c.source_session_id)
            out += f"; from session #{c.source_session_id} (attended: {seen})"
        for oid in self.w.clause_options.get(cid, []):
            out += f"; carries {self._why_option(oid)}"
        for a in self.w.alternatives.values():
            if a.clause_id == cid and a.source_message_id is not None:
                out += f"; an alternative from {self._why_message(a.source_message_id)}"
        return out

    def _why_commitment(self, cid: int) -> str:
        c = self.w.commitments[cid]
        level = getattr(c.disclosure, "value", c.disclosure)
        own = self._level_sight(c.party_id, c.disclosure, c.embargo_until).name
        out = f"commitment #{cid} ({level}"
        if c.embargo_until is not None:
            out += f" until {c.embargo_until:%Y-%m-%d}"
        out += f", made by party #{c.party_id}, own level sight {own}, sight "
        out += f"{self.commitment_sight(cid).name})"
        if c.source_message_id is not None:
            out += f"; said in {self._why_message(c.source_message_id)}"
        if c.source_session_id is not None:
            seen = self.session_visible(c.source_session_id)
            out += f"; said in session #{c.source_session_id} (attended: {seen})"
        if c.source_clause_id is not None:
            out += f"; said at {self._why_clause(c.source_clause_id)}"
        return out

    def _why_message(self, i: int) -> str:
        m = self.w.messages[i]
        level = getattr(m.disclosure, "value", m.disclosure)
        return (
            f"message #{i} ({level}, from party #{m.sender_party_id}, sight {self.sight(i).name})"
        )

    def _why_option(self, i: int) -> str:
        o = self.w.options[i]
        out = f"option #{i}"
        if o.raised_in_message_id is not None:
            out += f" raised in {self._why_message(o.raised_in_message_id)}"
        if o.raised_in_session_id is not None:
            seen = self.session_visible(o.raised_in_session_id)
            out += f" raised in session #{o.raised_in_session_id} (attended: {seen})"
        hidden = [p for p in self.w.parents.get(i, []) if not self.option_visible(p)]
        if hidden:
            out += "; from " + ", ".join(self._why_option(p) for p in hidden)
        return out

    def forbidden_markers(self) -> set[str]:
        return {m for m in self.w.markers if not self.marker_allowed(m)}


def _never(o: Oracle, row_id: int) -> bool:
    return False


def _always(o: Oracle, row_id: int) -> bool:
    return True


RULES: dict[tuple[str, str], Any] = {
    # the case's own title; never another case's (a linked case is the mediator's record)
    ("cases", "title"): lambda o, i: i == o.w.case_id,
    ("cases", "summary"): _never,
    ("parties", "description"): lambda o, i: o.is_party(i),
    ("profile_entries", "text"): Oracle.profile_visible,
    ("people", "role"): Oracle.person_role_visible,
    ("people", "notes"): _never,
    ("channels", "value"): _never,
    ("channels", "label"): _never,
    ("affiliations", "role"): lambda o, i: o.is_party(o.w.affiliations[i].party_id),
    ("rounds", "title"): _always,
    ("rounds", "notes"): _never,
    ("messages", "summary"): lambda o, i: o.sight(i) is not Sight.NONE,
    ("messages", "content"): lambda o, i: o.sight(i) is Sight.FULL,
    ("messages", "place"): lambda o, i: o.sight(i) is Sight.FULL,
    ("deliveries", "content"): lambda o, i: o.is_party(o.w.deliveries[i]),
    ("deliveries", "place"): _never,
    ("deliveries", "notes"): _never,
    ("releases", "reason"): _never,
    ("releases", "released_by"): _never,
    ("sessions", "title"): Oracle.session_visible,
    ("sessions", "place"): Oracle.session_visible,
    ("sessions", "ground_rules"): Oracle.session_visible,
    ("sessions", "logistics"): _never,
    ("sessions", "summary"): _never,
    ("agenda_items", "title"): lambda o, i: o.session_visible(o.w.agenda[i]),
    ("agenda_items", "notes"): _never,
    ("session_notes", "text"): Oracle.session_note_visible,
    ("options", "title"): Oracle.option_visible,
    ("options", "text"): Oracle.option_visible,
    ("stances", "note"): lambda o, i: (
        o.option_visible(o.w.stances[i].option_id) and o.is_party(o.w.stances[i].party_id)
    ),
    ("actions", "title"): Oracle.action_visible,
    ("actions", "notes"): _never,
    ("actions", "owner"): _never,
    ("texts", "title"): lambda o, i: o.holds_text(i),
    ("texts", "purpose"): _never,
    ("text_drafts", "note"): _never,
    ("clauses", "wording"): Oracle.clause_visible,
    ("clauses", "note"): _never,
    ("clause_alternatives", "wording"): lambda o, i: o.clause_visible(
        o.w.alternatives[i].clause_id
    ),
    ("critiques", "proposed_wording"): lambda o, i: (
        o.is_party(o.w.critiques[i].party_id) and o.clause_visible(o.w.critiques[i].clause_id)
    ),
    ("critiques", "note"): lambda o, i: (
        o.is_party(o.w.critiques[i].party_id) and o.clause_visible(o.w.critiques[i].clause_id)
    ),
    # Commitments (issue 17): their own level and where they were said; the mediator's
    # note, who verified an outcome and the outcome's note never.
    ("commitments", "what"): Oracle.commitment_visible,
    ("commitments", "condition"): Oracle.commitment_visible,
    ("commitments", "note"): _never,
    ("commitment_events", "verified_by"): _never,
    ("commitment_events", "note"): _never,
    # Outside audiences: never in a party's copy; a debrief names its own audience only.
    ("outsiders", "name"): lambda o, i: i == o.outsider,
    ("outsiders", "organisation"): lambda o, i: i == o.outsider,
    ("outsiders", "notes"): _never,
    ("handovers", "note"): _never,
    ("handover_items", "finding"): Oracle.finding_visible,
    ("case_links", "note"): _never,
    ("notes", "title"): _never,
    ("notes", "body"): _never,
    ("tags", "name"): _never,
    ("attachments", "filename"): _never,
    ("attachments", "description"): _never,
}


# --- reading a PDF ---------------------------------------------------------------------------


def pdftotext_exe() -> str | None:
    return shutil.which("pdftotext")


@dataclass
class Reading:
    """One PDF as each reader sees it."""

    text: str  # pypdf, every page
    poppler: str | None  # pdftotext, None when it is not installed
    raw_markers: set[str]  # markers in the bytes, the inflated streams and decoded strings
    strings: str  # every string object, decoded (bookmarks, metadata, annotations, ...)
    outline: list[str]
    metadata: dict[str, str]


def _walk(obj: Any, seen: set[int], blobs: list[bytes], strings: list[str]) -> None:
    if isinstance(obj, IndirectObject):
        if obj.idnum in seen:
            return
        seen.add(obj.idnum)
        try:
            obj = obj.get_object()
        except Exception:  # a damaged object is not ours to judge here
            return
    if isinstance(obj, StreamObject):
        try:
            blobs.append(obj.get_data())
        except Exception:
            blobs.append(bytes(getattr(obj, "_data", b"") or b""))
    if isinstance(obj, DictionaryObject):
        for key, value in obj.items():
            if key not in ("/Parent", "/P"):
                _walk(value, seen, blobs, strings)
    elif isinstance(obj, ArrayObject):
        for value in obj:
            _walk(value, seen, blobs, strings)
    elif isinstance(obj, TextStringObject):
        strings.append(str(obj))
        blobs.append(obj.original_bytes)
    elif isinstance(obj, ByteStringObject):
        blobs.append(bytes(obj))


def read_pdf(path: Path) -> Reading:
    reader = pypdf.PdfReader(path)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    poppler = None
    exe = pdftotext_exe()
    if exe is not None:
        poppler = subprocess.run(
            [exe, "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
        ).stdout.decode("utf-8", "replace")
    blobs: list[bytes] = [path.read_bytes()]
    strings: list[str] = []
    seen: set[int] = set()
    _walk(reader.trailer, seen, blobs, strings)
    size = int(reader.trailer.get("/Size", 0))
    for num in range(1, size):
        try:
            obj = reader.get_object(num)
        except Exception:
            continue
        if obj is not None and num not in seen:
            seen.add(num)
            _walk(obj, seen, blobs, strings)
    raw: set[str] = set()
    for blob in blobs:
        for pattern, decode in _RAW_MARKERS:
            for m in pattern.finditer(blob):
                raw.add(f"QX{decode(m.group(1))}Z")
    raw |= markers_in("\n".join(strings))
    outline: list[str] = []

    def walk(items: Iterable[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                outline.append(str(item.title))

    walk(reader.outline)
    metadata = {str(k): str(v) for k, v in (reader.metadata or {}).items()}
    return Reading(text, poppler, raw, "\n".join(strings), outline, metadata)


# --- what a party's copy must not hold -------------------------------------------------------

# "how much was withheld", in any words a builder might use
WITHHELD = re.compile(
    r"nothing (?:was |has been )?withheld"
    r"|\d[\d,.]*\s+(?:items?|records?|entries|messages?|sources?)\s+"
    r"(?:(?:was|were|have been)\s+)?withheld"
    r"|\bitems? withheld"
    r"|withheld\s*:\s*\d"
    r"|no notes for this audience"
    r"|counted above"
)


@dataclass(frozen=True)
class Finding:
    category: str  # marker | codename | reply | withheld | refusal | control
    reader: str
    detail: str

    def __str__(self) -> str:
        return f"[{self.category}] {self.detail} — found by {self.reader}"


@dataclass(frozen=True)
class ExportLabel:
    kind: str
    audience: str  # "me" or "party #2 (Valley Front)"
    codenames: bool
    include_own: bool = False
    session_id: int | None = None

    def __str__(self) -> str:
        extra = f", session #{self.session_id}" if self.session_id is not None else ""
        own = ", include_own" if self.include_own else ""
        names = "" if self.kind == "register" else f", codenames={self.codenames}"
        return f"{self.kind} for {self.audience}{names}{own}{extra}"


def _readers(reading: Reading) -> Iterator[tuple[str, str]]:
    yield "pypdf text", reading.text
    if reading.poppler is not None:
        yield "pdftotext", reading.poppler
    yield "outline", "\n".join(reading.outline)
    yield "metadata", "\n".join(f"{k} {v}" for k, v in reading.metadata.items())


def audit(reading: Reading, oracle: Oracle, *, codenames: bool) -> list[Finding]:
    """Everything in one party's export that it may not see (empty for "me")."""
    if oracle.me:
        return []
    w = oracle.w
    out: list[Finding] = []
    forbidden = oracle.forbidden_markers()
    readers = list(_readers(reading))
    for reader, text in [*readers, ("raw bytes and streams", "")]:
        found = reading.raw_markers if reader.startswith("raw") else markers_in(text)
        for m in sorted(found & forbidden):
            places = "; ".join(f"{p}: {oracle.why(p)}" for p in w.markers[m])
            out.append(Finding("marker", reader, f"marker {m} ({places})"))
    # "In reply to" points at a source: only between messages the party sees in full.
    for reader, text in readers[:2]:
        flat = norm(text)
        for parent in sorted({m.in_reply_to_id for m in w.messages.values()} - {None}):
            for marker in _markers_of(w, "messages", "summary", parent):
                # the first marker within a line's length after the words is the one quoted
                if not re.search(rf"in reply to(?:(?!qx\d{{4}}z).){{0,80}}{marker.lower()}", flat):
                    continue
                children = [c for c, cm in w.messages.items() if cm.in_reply_to_id == parent]
                ok = oracle.sight(parent) is Sight.FULL and any(
                    oracle.sight(c) is Sight.FULL for c in children
                )
                if not ok:
                    replies = ", ".join(f"#{c} sight {oracle.sight(c).name}" for c in children)
                    out.append(
                        Finding(
                            "reply",
                            reader,
                            f"“In reply to” quotes message #{parent} (marker {marker}, sight "
                            f"{oracle.sight(parent).name}) in its reply ({replies}): it points "
                            "at a source, so only where both may be named (sight FULL)",
                        )
                    )
    for reader, text in readers:
        hit = WITHHELD.search(norm(text))
        if hit:
            out.append(Finding("withheld", reader, f"says how much was withheld: “{hit.group(0)}”"))
    if codenames:
        parts = w.name_parts()
        for reader, text in readers:
            flat = norm(MARKER_RE.sub(" ", text))
            for part, pid in parts.items():
                if re.search(rf"(?<!\w){re.escape(part)}(?!\w)", flat):
                    out.append(
                        Finding(
                            "codename",
                            reader,
                            f"real name part “{part}” of person #{pid} ({w.people[pid].name!r},"
                            f" codename {w.people[pid].codename!r})",
                        )
                    )
    return out


def _markers_of(w: World, table: str, column: str, row_id: int) -> list[str]:
    return [m for m, places in w.markers.items() if Place(table, column, row_id) in places]


def report(label: ExportLabel, findings: list[Finding], limit: int = 25) -> str:
    order = {"refusal": 0, "marker": 1, "reply": 2, "codename": 3, "withheld": 4, "control": 5}
    findings = sorted(findings, key=lambda f: (order.get(f.category, 9), f.detail, f.reader))
    lines = [f"{label}: {len(findings)} problem(s)"]
    lines += [f"  {f}" for f in findings[:limit]]
    if len(findings) > limit:
        lines.append(f"  … and {len(findings) - limit} more")
    return "\n".join(lines)
