"""The options board: how an idea for resolution evolves. An option can be refined into a
new version, merged with others into one, or split into several; each step is a lineage link
(``OptionLink``) and the older option's status says what became of it. ``option_history``
follows one option and its ancestors across sessions and rounds: raised, stances, status
changes and lineage steps, oldest first."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import NotFound, ValidationError
from app.core.models import (
    AuditAction,
    AuditEntry,
    CaseSession,
    CaseText,
    Clause,
    Draft,
    LineageKind,
    Message,
    Option,
    OptionLink,
    OptionStatus,
    Party,
    Person,
    ProfileEntry,
    ProfileKind,
    RaisedBy,
    Round,
    clause_options,
)
from app.core.services.option_stances import (  # noqa: F401 (stances and the matrix: there)
    CLOSED_STATUSES,
    MatrixRow,
    StanceChange,
    case_stance_histories,
    record_stances,
    stance_histories,
    stance_history,
    stance_matrix,
    stance_matrix_page,
)
from app.core.vault import Vault

# What became of an option that was superseded by a lineage step.
_SUPERSEDED = {
    LineageKind.REFINED: OptionStatus.REFINED,
    LineageKind.MERGED: OptionStatus.MERGED,
    LineageKind.SPLIT: OptionStatus.SPLIT,
}


def _open_option(s: Session, option_id: int) -> Option:
    option = s.get(Option, option_id)
    if option is None:
        raise NotFound(f"There is no option number {option_id}.")
    if option.status in (OptionStatus.REFINED, OptionStatus.MERGED, OptionStatus.SPLIT):
        raise ValidationError(
            f"“{option.title}” was already {option.status.value}; work on the newer option."
        )
    return option


def _derive(
    s: Session,
    parents: Sequence[Option],
    kind: LineageKind,
    *,
    title: str,
    text: str,
    on: date,
    session_id: int | None,
) -> Option:
    """A new option from ``parents``: it addresses every interest they addressed."""
    first = parents[0]
    option = Option(
        case_id=first.case_id,
        title=title.strip(),
        text=text,
        status=OptionStatus.RAISED,
        raised_by=RaisedBy.FACILITATOR if len(parents) > 1 else first.raised_by,
        raised_by_party_id=None if len(parents) > 1 else first.raised_by_party_id,
        raised_by_person_id=None if len(parents) > 1 else first.raised_by_person_id,
        raised_in_session_id=session_id,
        raised_on=on,
    )
    seen: set[int] = set()
    for parent in parents:
        for interest in parent.interests:
            if interest.id not in seen:
                seen.add(interest.id)
                option.interests.append(interest)
    s.add(option)
    s.flush()
    for parent in parents:
        s.add(OptionLink(option_id=option.id, parent_id=parent.id, kind=kind, linked_on=on))
    return option


def refine_option(
    vault: Vault,
    option_id: int,
    *,
    title: str,
    text: str = "",
    on: date | None = None,
    session_id: int | None = None,
) -> int:
    """A new version of an option; the old one becomes "refined". Returns the new id."""
    on = on or datetime.now(UTC).date()
    with vault.transaction() as s:
        old = _open_option(s, option_id)
        new = _derive(
            s, [old], LineageKind.REFINED, title=title, text=text, on=on, session_id=session_id
        )
        old.status = OptionStatus.REFINED
        return new.id


def merge_options(
    vault: Vault,
    option_ids: Iterable[int],
    *,
    title: str,
    text: str = "",
    on: date | None = None,
    session_id: int | None = None,
) -> int:
    """Merge two or more options of one case into a new one whose lineage names them all;
    they become "merged". Returns the new option's id."""
    ids = list(dict.fromkeys(option_ids))
    if len(ids) < 2:
        raise ValidationError("Choose at least two options to merge.")
    on = on or datetime.now(UTC).date()
    with vault.transaction() as s:
        parents = [_open_option(s, i) for i in ids]
        if len({p.case_id for p in parents}) > 1:
            raise ValidationError("Only options of the same case can be merged.")
        new = _derive(
            s, parents, LineageKind.MERGED, title=title, text=text, on=on, session_id=session_id
        )
        for parent in parents:
            parent.status = OptionStatus.MERGED
        return new.id


def split_option(
    vault: Vault,
    option_id: int,
    parts: Sequence[tuple[str, str]],
    *,
    on: date | None = None,
    session_id: int | None = None,
) -> list[int]:
    """Split an option into two or more new ones, given as (title, text); each keeps it as
    its parent, and it becomes "split". Returns the new ids in the order given."""
    parts = [(t.strip(), x) for t, x in parts if t.strip()]
    if len(parts) < 2:
        raise ValidationError("A split needs at least two parts, each with a title.")
    on = on or datetime.now(UTC).date()
    with vault.transaction() as s:
        old = _open_option(s, option_id)
        new_ids = [
            _derive(s, [old], LineageKind.SPLIT, title=t, text=x, on=on, session_id=session_id).id
            for t, x in parts
        ]
        old.status = OptionStatus.SPLIT
        return new_ids


@dataclass(frozen=True)
class LineageNode:
    option_id: int
    title: str
    status: str
    raised_on: date


@dataclass(frozen=True)
class LineageStep:
    parent_id: int
    option_id: int
    kind: str
    on: date


@dataclass(frozen=True)
class Lineage:
    """Every option connected to one, through any number of lineage steps either way."""

    options: dict[int, LineageNode]
    steps: tuple[LineageStep, ...]

    def parents(self, option_id: int) -> list[int]:
        return [st.parent_id for st in self.steps if st.option_id == option_id]

    def children(self, option_id: int) -> list[int]:
        return [st.option_id for st in self.steps if st.parent_id == option_id]

    def ancestors(self, option_id: int) -> list[int]:
        """Parents, their parents and so on, nearest first."""
        out: list[int] = []
        todo = self.parents(option_id)
        while todo:
            oid = todo.pop(0)
            if oid not in out:
                out.append(oid)
                todo.extend(self.parents(oid))
        return out


def lineage(vault: Vault, option_id: int) -> Lineage:
    with vault.session() as s:
        return _lineage(s, option_id)


def _lineage(s: Session, option_id: int) -> Lineage:
    if s.get(Option, option_id) is None:
        raise NotFound(f"There is no option number {option_id}.")
    seen = {option_id}
    todo = [option_id]
    steps: dict[int, OptionLink] = {}
    while todo:
        links = s.scalars(
            select(OptionLink).where(
                OptionLink.option_id.in_(todo) | OptionLink.parent_id.in_(todo)
            )
        ).all()
        todo = []
        for link in links:
            steps[link.id] = link
            for oid in (link.option_id, link.parent_id):
                if oid not in seen:
                    seen.add(oid)
                    todo.append(oid)
    nodes = {
        o.id: LineageNode(o.id, o.title, o.status.value, o.raised_on)
        for o in s.scalars(select(Option).where(Option.id.in_(seen)))
    }
    ordered = sorted(steps.values(), key=lambda k: (k.linked_on, k.id))
    return Lineage(
        nodes,
        tuple(LineageStep(k.parent_id, k.option_id, k.kind.value, k.linked_on) for k in ordered),
    )


@dataclass(frozen=True)
class HistoryEvent:
    """One dated thing that happened to an option (or to one it came from)."""

    at: datetime
    option_id: int
    option_title: str
    what: str  # raised | stance | status | refined | merged | split
    text: str  # in the user's words, e.g. "Northern Council: opposes → open"
    session: str  # the session it happened in, if known
    round: str  # the shuttle round whose dates hold it, if any


def raised_by_phrase(raised_by: RaisedBy | str, who: str = "") -> str:
    """The end of "raised on 2026-07-10 …": "by Mira Castellan" when a name is known (and
    may be shown), else "jointly", "by the facilitator", "by a party", "by a participant"."""
    if who:
        return f"by {who}"
    return {
        RaisedBy.JOINT: "jointly",
        RaisedBy.FACILITATOR: "by the facilitator",
        RaisedBy.PARTY: "by a party",
        RaisedBy.PERSON: "by a participant",
    }[RaisedBy(raised_by)]


def _day(d: date) -> datetime:
    return datetime.combine(d, time.min, tzinfo=UTC)


def _text_events(s: Session, option_ids: list[int]) -> list[tuple[datetime, str, str]]:
    """When an option (or one it came from) was first written into each text, and when it
    was dropped from one, as circulated drafts show it: (when, text title, what)."""
    carried: dict[int, set[int]] = {}  # draft id -> which of the options it carries
    for draft_id, oid in s.execute(
        select(Clause.draft_id, clause_options.c.option_id)
        .join(clause_options, clause_options.c.clause_id == Clause.id)
        .where(clause_options.c.option_id.in_(option_ids))
    ):
        carried.setdefault(draft_id, set()).add(oid)
    if not carried:
        return []
    text_ids = set(s.scalars(select(Draft.text_id).where(Draft.id.in_(list(carried)))))
    out: list[tuple[datetime, str, str]] = []
    for tid in sorted(text_ids):
        title = s.scalar(select(CaseText.title).where(CaseText.id == tid)) or ""
        inside = False
        for did, number, at in s.execute(
            select(Draft.id, Draft.number, Draft.circulated_at)
            .where(Draft.text_id == tid, Draft.circulated_at.is_not(None))
            .order_by(Draft.number)
        ):
            now = did in carried
            if at is None:  # (the query asks for circulated drafts only)
                continue
            if now and not inside:
                out.append((at, title, f"Written into draft {number} of"))
            elif inside and not now:
                out.append((at, title, f"Dropped from draft {number} of"))
            inside = now
    return out


def option_history(vault: Vault, option_id: int) -> list[HistoryEvent]:
    """The story of one option across sessions and rounds, including the options it came
    from (an idea keeps its past when it is refined, merged or split), oldest first."""
    with vault.session() as s:
        lin = _lineage(s, option_id)
        ids = [option_id, *lin.ancestors(option_id)]
        options = {o.id: o for o in s.scalars(select(Option).where(Option.id.in_(ids)))}
        case_id = options[option_id].case_id
        parties = dict(
            s.execute(select(Party.id, Party.name).where(Party.case_id == case_id)).all()
        )
        # What happened, when, to which option, in which session; the session titles and
        # the rounds are read for these events only (a case holds thousands of each).
        found: list[tuple[datetime, int, str, str, int | None]] = []

        def add(at: datetime, oid: int, what: str, text: str, session_id: int | None) -> None:
            found.append((at, oid, what, text, session_id))

        for oid, o in options.items():
            who = ""
            if o.raised_by_person_id and o.raised_by == RaisedBy.PERSON:
                person = s.get(Person, o.raised_by_person_id)
                who = person.name if person else ""
            elif o.raised_by_party_id and o.raised_by == RaisedBy.PARTY:
                who = parties.get(o.raised_by_party_id, "")
            by = raised_by_phrase(o.raised_by, who)
            where = ""
            if o.raised_in_message_id:
                message = s.get(Message, o.raised_in_message_id)
                if message is not None:
                    where = f" in the message of {message.said_at:%Y-%m-%d}"
            add(_day(o.raised_on), oid, "raised", f"Raised {by}{where}", o.raised_in_session_id)
            previous: dict[int, str] = {}
            for st in o.stances:
                name = parties.get(st.party_id, "a party")
                was = previous.get(st.party_id)
                change = f"{was} → {st.stance.value}" if was else st.stance.value
                previous[st.party_id] = st.stance.value
                note = f" ({st.note})" if st.note else ""
                add(st.recorded_at, oid, "stance", f"{name}: {change}{note}", st.source_session_id)
            for entry in s.scalars(
                select(AuditEntry)
                .where(
                    AuditEntry.record_kind == "option",
                    AuditEntry.record_id == oid,
                    AuditEntry.action == AuditAction.UPDATE,
                )
                .order_by(AuditEntry.at)
            ):
                status = json.loads(entry.changes or "{}").get("status")
                if status and status[0] != status[1]:
                    add(entry.at, oid, "status", f"Status: {status[0]} → {status[1]}", None)
        for step in lin.steps:
            if step.option_id in options:
                parent = lin.options[step.parent_id].title
                verb = {"refined": "Refined from", "merged": "Merged from", "split": "Split from"}
                add(
                    _day(step.on),
                    step.option_id,
                    step.kind,
                    f"{verb[step.kind]} “{parent}”",
                    options[step.option_id].raised_in_session_id,
                )
        for at, text_title, what in _text_events(s, list(options)):
            add(at, option_id, "text", f"{what} “{text_title}”", None)
        named = {sid for *_rest, sid in found if sid}
        sessions = (
            dict(
                s.execute(
                    select(CaseSession.id, CaseSession.title).where(
                        CaseSession.id.in_(named), CaseSession.case_id == case_id
                    )
                ).all()
            )
            if named
            else {}
        )
        days = [at.date() for at, *_rest in found]
        rounds = (
            s.execute(
                select(Round.number, Round.title, Round.started_on, Round.ended_on)
                .where(
                    Round.case_id == case_id,
                    Round.started_on <= max(days),
                    Round.ended_on.is_(None) | (Round.ended_on >= min(days)),
                )
                .order_by(Round.number)
            ).all()
            if days
            else []
        )

        def round_of(at: datetime) -> str:
            d = at.date()
            for number, title, start, end in rounds:
                if start and start <= d and (end is None or d <= end):
                    return f"Round {number}" + (f": {title}" if title else "")
            return ""

        events = [
            HistoryEvent(
                at,
                oid,
                options[oid].title,
                what,
                text,
                sessions.get(session_id, "") if session_id else "",
                round_of(at),
            )
            for at, oid, what, text, session_id in found
        ]
    return sorted(events, key=lambda e: (e.at, e.what != "raised"))


def raise_option_from_note(vault: Vault, session_note_id: int, *, title: str = "") -> int:
    """An option raised in the room, from the live note that recorded it: it keeps the
    session (and the speaker's party or person, if the note names one) as its origin."""
    from app.core.models import SessionNote

    with vault.transaction() as s:
        note = s.get(SessionNote, session_note_id)
        if note is None:
            raise NotFound(f"There is no session note number {session_note_id}.")
        session = s.get(CaseSession, note.session_id)
        assert session is not None
        text = note.text.strip()
        title = title.strip() or text.splitlines()[0][:200] if text else title.strip()
        if note.person_id:
            raised_by = RaisedBy.PERSON
        elif note.party_id:
            raised_by = RaisedBy.PARTY
        else:
            raised_by = RaisedBy.FACILITATOR
        option = Option(
            case_id=session.case_id,
            title=title,
            text=text if text != title else "",
            raised_by=raised_by,
            raised_by_party_id=note.party_id,
            raised_by_person_id=note.person_id,
            raised_in_session_id=session.id,
            raised_on=note.noted_at.date(),
        )
        s.add(option)
        s.flush()
        return option.id


@dataclass(frozen=True)
class InterestChoice:
    """A profile entry an option may address, and whether it does."""

    entry_id: int
    party_name: str
    kind: str  # interest, need, fear, ...
    text: str
    addressed: bool


# What an option can address: what lies beneath a party's position, not the position itself.
_ADDRESSABLE = (ProfileKind.INTEREST, ProfileKind.NEED, ProfileKind.FEAR, ProfileKind.CONSTRAINT)


def interest_choices(vault: Vault, option_id: int) -> list[InterestChoice]:
    """The current interests, needs, fears and constraints of the option's case, by party,
    each marked if the option addresses it (retired entries only if it still does)."""
    with vault.session() as s:
        option = s.get(Option, option_id)
        if option is None:
            raise NotFound(f"There is no option number {option_id}.")
        addressed = {e.id for e in option.interests}
        rows = s.execute(
            select(ProfileEntry, Party.name)
            .join(Party, Party.id == ProfileEntry.party_id)
            .where(Party.case_id == option.case_id, ProfileEntry.kind.in_(_ADDRESSABLE))
            .order_by(Party.name, ProfileEntry.kind, ProfileEntry.recorded_on, ProfileEntry.id)
        ).all()
        return [
            InterestChoice(e.id, name, e.kind.value, e.text, e.id in addressed)
            for e, name in rows
            if e.retired_on is None or e.id in addressed
        ]


def set_interests(vault: Vault, option_id: int, entry_ids: Iterable[int]) -> None:
    """The interests (profile entries of its case's parties) the option addresses."""
    wanted = set(entry_ids)
    with vault.transaction() as s:
        option = s.get(Option, option_id)
        if option is None:
            raise NotFound(f"There is no option number {option_id}.")
        entries = (
            s.scalars(
                select(ProfileEntry)
                .join(Party, Party.id == ProfileEntry.party_id)
                .where(ProfileEntry.id.in_(wanted), Party.case_id == option.case_id)
            ).all()
            if wanted
            else []
        )
        if len(entries) != len(wanted):
            raise ValidationError("An option can only address its own case's interests.")
        option.interests = sorted(entries, key=lambda e: e.id)
