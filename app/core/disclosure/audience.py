"""One view per audience: what "me", one party of a case, or an outside audience (an
official, institution or sponsor) sees of every kind of record.

Every party-facing reader (each PDF document, the session brief, the delivery dialog) asks
an :class:`AudienceView` instead of deciding for itself. For every record it answers with a
:class:`~app.core.disclosure.rule.Sight` — all of it, its substance without its source, or
nothing — and it renders people's names as the export chose (real names, or codenames with
a neutral pseudonym for people who have none, also inside free text).

The rules, in plain words (``docs/security.md`` says the same to the user), for a party P:

* a **message** as the rule says (:func:`~app.core.disclosure.rule.sight`): shareable in
  full, unattributed without its source (no sender, recipient, place, verbatim words or
  "in reply to"), confidential and embargoed (before its date) not at all unless a release
  covers P; P's own statements at every level only when asked (``include_own``);
* a **delivery** only if it was made to P;
* a **session** only if P sat at its table; then its title, time, place, ground rules,
  agenda titles and participants, and of its notes only the agreements (and, asked for, P's
  own statements) — never the logistics, the summary or the agenda notes;
* **derived** records take the strictest origin of their ancestry: a profile entry its
  source message and session, an option every message and session that it or any option
  it was refined, merged or split from was raised in, an action its session;
* a **text** and its **drafts** only as far as drafts were circulated to P; a **clause** of
  such a draft only if every origin reaches P (its source message and session, every option
  it carries with that option's ancestry, the sources of its bracketed alternatives), and
  never its provenance or the mediator's note; an alternative names its party only where
  its source may be named; **critiques**: only P's own;
* a **commitment** at its own level (as a message P's maker said when it was made) and the
  strictest of where it was said (message, session, a clause of a draft P holds); its maker,
  person and recipient only in full sight; an **outcome** only if its evidence message
  reaches P; never the mediator's note or who verified an outcome and how;
* **profiles** and **stances**: only P's own; **people**: P's own and those at the table of
  P's sessions (never channels or notes), affiliations only to P;
* never: the mediator's journal, tags, attachments, releases, the case summary, round and
  delivery notes, audit entries, vault settings, handovers, outside audiences, case links.

An **outside audience** is judged as a party that is no party and sat at no table: only
releases "to every party" reach it, no session does, and of texts only the drafts handed
over to it; it sees its own handovers.

Every table of the model declares its rule in :data:`~.table_rules.RULES`; a test fails for
a table that does not, so a new kind of record cannot slip past the audiences.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import AbstractContextManager, nullcontext
from datetime import datetime
from typing import Protocol

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.disclosure.guard import Violation, check_items, chunks
from app.core.disclosure.names import NameRenderer, PersonName
from app.core.disclosure.origins import ClauseOrigins, CommitmentOrigins
from app.core.disclosure.reads import ReadMessages, case_options, message_reader
from app.core.disclosure.rule import MessageFacts, Sight, sight
from app.core.disclosure.table_rules import RULES, KindRule
from app.core.errors import NotFound
from app.core.models import (
    Affiliation,
    CaseSession,
    Delivery,
    Handover,
    HandoverItem,
    Outsider,
    Participant,
    Party,
    Person,
    SessionNoteKind,
    utcnow,
)


class Vault(Protocol):
    """What the audience needs of a vault: a read session. (A protocol, not an import: the
    vault installs this package's guard, so the package imports nothing above itself.)"""

    def session(self) -> AbstractContextManager[Session]: ...


NONE, ANONYMOUS, FULL = Sight.NONE, Sight.ANONYMOUS, Sight.FULL


# The party id an outside audience (an official, institution or sponsor) is judged as by the
# message rule: no party's, so only releases "to every party" reach it.
OUTSIDE = -1


class AudienceView:
    """What one audience sees of one case. Build with :func:`audience_for`; "me" (the
    mediator) sees everything."""

    def __init__(
        self,
        *,
        case_id: int | None,
        party_id: int | None,
        party_name: str,
        names: NameRenderer,
        at: datetime,
        include_own: bool = False,
        messages: dict[int, Sight] | None = None,
        replies: dict[int, int] | None = None,
        own_messages: frozenset[int] = frozenset(),
        sessions: frozenset[int] = frozenset(),
        options: dict[int, tuple[int | None, int | None]] | None = None,
        parents: dict[int, list[int]] | None = None,
        own_people: frozenset[int] = frozenset(),
        table_people: frozenset[int] = frozenset(),
        read_messages: ReadMessages | None = None,
        drafts: frozenset[int] = frozenset(),
        outsider_id: int | None = None,
    ) -> None:
        self.case_id = case_id
        self.outsider_id = outsider_id
        self.party_id = party_id
        self.party_name = party_name
        self.names = names
        self.at = at
        self.include_own = include_own
        self._messages = dict(messages or {})
        self._replies = dict(replies or {})
        self._own_messages = set(own_messages)
        # A party's view works out a message's sight when first asked (or a batch at a time,
        # ``prefetch``): an export of the last 1,000 messages of a case of 330,000 reads
        # those, not the whole case (5 s at a million messages).
        self._read = read_messages
        self._sessions = sessions
        self._options = options or {}
        self._parents = parents or {}
        self._option_sight: dict[int, Sight] = {}
        self.own_people = own_people
        self._table_people = table_people
        self._drafts = drafts

    # --- who --------------------------------------------------------------------------

    @property
    def is_me(self) -> bool:
        return self.party_id is None and self.outsider_id is None

    @property
    def is_outsider(self) -> bool:
        """An official, institution or sponsor outside the case's parties (a debrief)."""
        return self.outsider_id is not None

    @property
    def codenames(self) -> bool:
        return self.names.codenames

    @property
    def label(self) -> str:
        return "For: me" if self.is_me else f"For: {self.party_name}"

    def shows(self, table: str, field: str) -> bool:
        """Whether this audience sees ``field`` of a ``table`` row it sees."""
        return self.is_me or field not in RULES[table].private

    def own_party(self, party_id: int | None) -> bool:
        return self.is_me or (party_id is not None and party_id == self.party_id)

    # --- messages and deliveries --------------------------------------------------------

    def prefetch(self, message_ids: Iterable[int | None]) -> None:
        """Work out the sight of these messages now, in a few queries: an export calls it
        for each batch of rows it prints. A message not of this case is seen by nobody."""
        if self.is_me or self._read is None:
            return
        todo = [m for m in dict.fromkeys(message_ids) if m is not None and m not in self._messages]
        if not todo:
            return
        for mid, seen, parent, own in self._read(todo):
            self._messages[mid] = seen
            if parent is not None:
                self._replies[mid] = parent
            if own:
                self._own_messages.add(mid)
        for mid in todo:
            self._messages.setdefault(mid, NONE)

    def message(self, message_id: int) -> Sight:
        if self.is_me:
            return FULL
        if message_id not in self._messages:
            self.prefetch((message_id,))
        return self._messages.get(message_id, NONE)

    def is_own_statement(self, message_id: int) -> bool:
        """A statement of the party's own, shown because it asked for them (to be marked)."""
        self.message(message_id)  # worked out, if it was not yet
        return message_id in self._own_messages

    def reply_link(self, message_id: int) -> bool:
        """May "in reply to" be shown beside this message? Only if both ends are seen in
        full: otherwise the link (and the reply's recipient) points at a hidden source."""
        if self.is_me:
            return True
        self.message(message_id)  # its parent is known once it is
        parent = self._replies.get(message_id)
        return (
            parent is not None and self.message(message_id) is FULL and self.message(parent) is FULL
        )

    def delivery(self, recipient_party_id: int | None) -> Sight:
        return FULL if self.own_party(recipient_party_id) else NONE

    def delivery_source(self, message_id: int, attributed: bool) -> Sight:
        """A source a delivery to this audience conveyed: named only if it was conveyed
        attributed and may be named now."""
        seen = self.message(message_id)
        if seen is NONE:
            return NONE
        return FULL if attributed and seen is FULL else ANONYMOUS

    # --- parties and people -------------------------------------------------------------

    def profile(self, party_id: int) -> Sight:
        """A party's profile (and description): only its own."""
        return FULL if self.own_party(party_id) else NONE

    def profile_entry(
        self, party_id: int, source_message_id: int | None, source_session_id: int | None
    ) -> Sight:
        seen = self.profile(party_id)
        if source_message_id is not None:
            seen = min(seen, self.message(source_message_id))
        if source_session_id is not None:
            seen = min(seen, self.session(source_session_id))
        return Sight(seen)

    def person(self, person_id: int | None) -> Sight:
        if self.is_me:
            return FULL
        if person_id is not None and (
            person_id in self.own_people or person_id in self._table_people
        ):
            return FULL
        return NONE

    def affiliation(self, party_id: int, person_id: int) -> Sight:
        return min(self.person(person_id), self.profile(party_id))

    # --- sessions -------------------------------------------------------------------------

    def session(self, session_id: int | None) -> Sight:
        if self.is_me:
            return FULL
        return FULL if session_id in self._sessions else NONE

    @property
    def sessions_seen(self) -> frozenset[int]:
        """The sessions a party sat in (empty for "me", who sees them all)."""
        return self._sessions

    def session_note(
        self, session_id: int, kind: SessionNoteKind | str, party_id: int | None
    ) -> Sight:
        if self.is_me:
            return FULL
        if SessionNoteKind(kind) is SessionNoteKind.AGREEMENT or (
            self.include_own and party_id is not None and party_id == self.party_id
        ):
            return self.session(session_id)
        return NONE

    # --- options ------------------------------------------------------------------------

    def option(self, option_id: int) -> Sight:
        """The strictest origin of the option and of every option it came from: NONE hides
        it, ANONYMOUS hides who raised it."""
        if self.is_me:
            return FULL
        return self._option(option_id, set())

    def _option(self, option_id: int, path: set[int]) -> Sight:
        found = self._option_sight.get(option_id)
        if found is not None:
            return found
        if option_id in path or option_id not in self._options:
            return NONE  # a cycle or an option of another case: not ours to show
        message_id, session_id = self._options[option_id]
        seen = FULL
        if message_id is not None:
            seen = min(seen, self.message(message_id))
        if session_id is not None:
            seen = min(seen, self.session(session_id))
        for parent in self._parents.get(option_id, ()):
            if seen is NONE:
                break
            seen = min(seen, self._option(parent, path | {option_id}))
        result = Sight(seen)
        self._option_sight[option_id] = result
        return result

    def option_link(self, option_id: int, parent_id: int) -> Sight:
        return min(self.option(option_id), self.option(parent_id))

    def stance(self, option_id: int, party_id: int) -> Sight:
        return min(self.option(option_id), self.profile(party_id))

    # --- texts ----------------------------------------------------------------------------

    def draft(self, draft_id: int) -> Sight:
        """A draft of a text: only those circulated to the party."""
        return FULL if self.is_me or draft_id in self._drafts else NONE

    @property
    def drafts_seen(self) -> frozenset[int]:
        """The drafts circulated to a party (empty for "me", who sees them all)."""
        return self._drafts

    def clause(self, origins: ClauseOrigins) -> Sight:
        """The strictest origin of a clause's wording (of a draft the audience sees): NONE
        keeps it from the audience altogether; ANONYMOUS lets its wording through (a clean
        draft never shows provenance), and hides which party proposed its alternatives."""
        if self.is_me:
            return FULL
        seen = FULL
        if origins.source_message_id is not None:
            seen = min(seen, self.message(origins.source_message_id))
        if origins.source_session_id is not None:
            seen = min(seen, self.session(origins.source_session_id))
        for option_id in origins.option_ids:
            seen = min(seen, self.option(option_id))
        for message_id in origins.alternative_message_ids:
            seen = min(seen, self.message(message_id))
        return Sight(seen)

    def alternative_named(self, source_message_id: int | None) -> bool:
        """May a bracketed alternative carry the name of the party that proposed it?"""
        return self.is_me or source_message_id is None or self.message(source_message_id) is FULL

    def critique(self, party_id: int) -> Sight:
        """A party's reaction to a clause: only its own (the clause's own sight aside)."""
        return self.profile(party_id)

    # --- commitments and handovers -------------------------------------------------------

    def commitment(self, origins: CommitmentOrigins) -> Sight:
        """A commitment: its own level as the message rule judges a statement of the party
        that made it (its own party sees it in full only when asked for its own statements,
        as with a confidence), then the strictest of where it was said."""
        if self.is_me:
            return FULL
        facts = MessageFacts(
            0, origins.party_id, origins.disclosure, origins.embargo_until, origins.made_at
        )
        viewer = self.party_id if self.party_id is not None else OUTSIDE
        seen = sight(facts, party_id=viewer, at=self.at, include_own=self.include_own)
        if origins.source_message_id is not None:
            seen = min(seen, self.message(origins.source_message_id))
        if origins.source_session_id is not None:
            seen = min(seen, self.session(origins.source_session_id))
        if origins.source_draft_id is not None:
            seen = min(seen, self.draft(origins.source_draft_id))
        if origins.clause is not None:
            seen = min(seen, self.clause(origins.clause))
        return Sight(seen)

    def commitment_event(self, commitment: Sight, evidence_message_id: int | None) -> Sight:
        """One outcome of a commitment's course: with the commitment, and only if the message
        it rests on reaches the audience (an outcome learnt in confidence is withheld)."""
        if self.is_me:
            return FULL
        if evidence_message_id is None:
            return commitment
        return Sight(min(commitment, self.message(evidence_message_id)))

    def handover(self, outsider_id: int) -> Sight:
        """A handover: the mediator's record, and the outsider's own (what it was given)."""
        return FULL if self.is_me or outsider_id == self.outsider_id else NONE

    # --- the rest ---------------------------------------------------------------------

    def action(self, session_id: int | None, owner_person_id: int | None) -> Sight:
        if self.is_me:
            return FULL
        if session_id is not None:
            return self.session(session_id)
        return FULL if owner_person_id in self.own_people else NONE

    def private_record(self) -> Sight:
        """Journal notes, tags, attachments, releases, channels: the mediator's alone."""
        return FULL if self.is_me else NONE

    # --- names ------------------------------------------------------------------------

    def person_name(self, person_id: int | None) -> str:
        return self.names.person(person_id)

    def text(self, value: str) -> str:
        """Free text as this audience reads it (codenames for names when asked)."""
        return self.names.text(value)


def _people(s: Session, codenames: bool) -> NameRenderer:
    return NameRenderer(
        (
            PersonName(pid, name, codename or "")
            for pid, name, codename in s.execute(
                select(Person.id, Person.name, Person.codename).order_by(Person.id)
            )
        ),
        codenames=codenames,
    )


def audience_for(
    vault: Vault,
    case_id: int | None,
    party_id: int | None,
    *,
    codenames: bool = False,
    include_own: bool = False,
    at: datetime | None = None,
) -> AudienceView:
    """The view of "me" (``party_id`` None) or of one party of ``case_id`` as of ``at``
    (default now). A handful of queries, whatever the size of the case."""
    now = at if at is not None else utcnow()
    with vault.session() as s:
        names = _people(s, codenames)
        if party_id is None:
            return AudienceView(
                case_id=case_id, party_id=None, party_name="me", names=names, at=now
            )
        party = s.get(Party, party_id)
        if party is None or (case_id is not None and party.case_id != case_id):
            raise NotFound(f"There is no party #{party_id} in this case.")
        case_id = party.case_id
        return _party_view(vault.session, s, case_id, party, names, now, include_own)


def party_view_in(s: Session, party_id: int, at: datetime) -> AudienceView:
    """A party's view read through ``s`` itself (the flush guard's session, whose pending
    changes it must see), names as real names. Raises ``NotFound`` for an unknown party."""
    party = s.get(Party, party_id)
    if party is None:
        raise NotFound(f"There is no party #{party_id}.")
    return _party_view(
        lambda: nullcontext(s), s, party.case_id, party, _people(s, False), at, False
    )


def audience_for_outsider(
    vault: Vault, outsider_id: int, *, codenames: bool = True, at: datetime | None = None
) -> AudienceView:
    """The view of an outside audience (an official, institution or sponsor of the case):
    judged as a party that sat at no table and holds no draft but those handed to it; only
    releases "to every party" reach it. Codenames by default (a debrief names no sources)."""
    now = at if at is not None else utcnow()
    with vault.session() as s:
        return _outsider_view(vault.session, s, outsider_id, _people(s, codenames), now)


def outsider_view_in(s: Session, outsider_id: int, at: datetime) -> AudienceView:
    """An outsider's view read through ``s`` itself (the flush guard's session)."""
    return _outsider_view(lambda: nullcontext(s), s, outsider_id, _people(s, False), at)


def _outsider_view(
    open_reader: Callable[[], AbstractContextManager[Session]],
    s: Session,
    outsider_id: int,
    names: NameRenderer,
    now: datetime,
) -> AudienceView:
    outsider = s.get(Outsider, outsider_id)
    if outsider is None:
        raise NotFound(f"There is no outside audience #{outsider_id}.")
    case_id = outsider.case_id
    options, parents = case_options(s, case_id)
    drafts = frozenset(
        d
        for d in s.scalars(
            select(HandoverItem.draft_id)
            .join(Handover, Handover.id == HandoverItem.handover_id)
            .where(Handover.outsider_id == outsider_id, HandoverItem.draft_id.is_not(None))
        )
        if d is not None
    )
    return AudienceView(
        case_id=case_id,
        party_id=None,
        party_name=outsider.name,
        names=names,
        at=now,
        options=options,
        parents=parents,
        read_messages=message_reader(open_reader, case_id, OUTSIDE, now, include_own=False),
        drafts=drafts,
        outsider_id=outsider_id,
    )


def _party_view(
    open_reader: Callable[[], AbstractContextManager[Session]],
    s: Session,
    case_id: int,
    party: Party,
    names: NameRenderer,
    now: datetime,
    include_own: bool,
) -> AudienceView:
    pid = party.id
    sessions = frozenset(
        s.scalars(
            select(Participant.session_id)
            .join(CaseSession, CaseSession.id == Participant.session_id)
            .where(CaseSession.case_id == case_id, Participant.party_id == pid)
        )
    )
    options, parents = case_options(s, case_id)
    own_people = frozenset(
        s.scalars(select(Affiliation.person_id).where(Affiliation.party_id == pid))
    )
    table_people: set[int] = set()
    for chunk in chunks(sessions):
        table_people.update(
            p
            for p in s.scalars(
                select(Participant.person_id).where(Participant.session_id.in_(chunk))
            )
            if p is not None
        )
    drafts = frozenset(
        d
        for d in s.scalars(
            # Through ix_deliveries_draft_id (few rows), not the party's every delivery.
            select(Delivery.draft_id).where(
                Delivery.draft_id.is_not(None), Delivery.recipient_party_id + 0 == pid
            )
        )
        if d is not None
    )
    return AudienceView(
        case_id=case_id,
        party_id=pid,
        party_name=party.name,
        names=names,
        at=now,
        include_own=include_own,
        sessions=sessions,
        options=options,
        parents=parents,
        own_people=own_people,
        table_people=frozenset(table_people),
        read_messages=message_reader(open_reader, case_id, pid, now, include_own=include_own),
        drafts=drafts,
    )


def delivery_problems(
    vault: Vault, party_id: int, at: datetime, items: Iterable[tuple[int, bool]]
) -> list[Violation]:
    """What the delivery dialog asks before saving: which of ``items`` ((message id,
    attributed) pairs) may not go to ``party_id`` at ``at``, each with one sentence why —
    the same answer the flush guard will give."""
    with vault.session() as s:
        return check_items(s, party_id, at, items)


__all__ = [
    "OUTSIDE",
    "RULES",
    "AudienceView",
    "ClauseOrigins",
    "CommitmentOrigins",
    "KindRule",
    "audience_for",
    "audience_for_outsider",
    "delivery_problems",
    "outsider_view_in",
    "party_view_in",
]
