"""One table of record kinds: what each kind is called, its icon, its fields, where it is
shown and what belongs to it. Forms, lists, navigation, search results and the timeline all
read it, so a new kind of record is one entry here (plus its list in app.core.services.lists).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from app.core.errors import LiaisonError
from app.core.models import enums
from app.gui.labels import tr


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    widget: str  # line | text | enum | date | datetime | bool | int | ref
    enum: type[StrEnum] | None = None
    ref: str | None = None  # the kind a ref field points at
    required: bool = False
    placeholder: str = ""
    # Rarely filled in: the form keeps it under "More details" until it holds a value.
    more: bool = False


def F(key: str, label: str, widget: str = "line", **kw: Any) -> Field:
    return Field(key, label, widget, **kw)


E = enums
_FIELDS: dict[str, list[Field]] = {
    "case": [
        F("title", "Title", required=True),
        F("track", "Track", "enum", enum=E.Track),
        F("status", "Status", "enum", enum=E.CaseStatus),
        F("started_on", "Started", "date"),
        F("ended_on", "Ended", "date"),
        F("summary", "Summary", "text"),
    ],
    "party": [
        F("name", "Name", required=True),
        F("kind", "Kind", "enum", enum=E.PartyKind),
        F("description", "Description", "text"),
    ],
    "profile_entry": [
        F("kind", "Kind", "enum", enum=E.ProfileKind),
        F("text", "Entry", "text", required=True),
        F("recorded_on", "Recorded", "date"),
        F("retired_on", "No longer holds since", "date", more=True),
        F("source_session_id", "From session", "ref", ref="session", more=True),
        F("source_message_id", "From message", "ref", ref="message", more=True),
    ],
    "person": [
        F("name", "Name", required=True),
        F("codename", "Codename", placeholder=tr("used instead of the name in exports")),
        F("role", "Role"),
        F("languages", "Languages", placeholder="e.g. en, ka, ru"),
        F("notes", "Notes", "text"),
    ],
    "channel": [
        F("kind", "Kind", "enum", enum=E.ChannelKind),
        F("value", "Value", required=True),
        F("label", "Label"),
    ],
    "affiliation": [
        F("party_id", "Party", "ref", ref="party", required=True),
        F("person_id", "Person", "ref", ref="person", required=True),
        F("role", "Role"),
        F("capacity", "Capacity", "enum", enum=E.Capacity),
        F("since", "Since", "date", more=True),
        F("until", "Until", "date", more=True),
    ],
    "round": [
        F("number", "Number", "int", required=True),
        F("title", "Title"),
        F("started_on", "Started", "date"),
        F("ended_on", "Ended", "date"),
        F("notes", "Notes", "text"),
    ],
    "message": [
        F("said_at", "When", "datetime", required=True),
        F("sender_party_id", "From (party)", "ref", ref="party"),
        F("sender_person_id", "From (person)", "ref", ref="person"),
        F("recipient_party_id", "To (party)", "ref", ref="party"),
        F("recipient_person_id", "To (person)", "ref", ref="person"),
        F("disclosure", "Disclosure", "enum", enum=E.Disclosure),
        F("embargo_until", "Embargoed until", "datetime", more=True),
        F("round_id", "Round", "ref", ref="round", more=True),
        F("in_reply_to_id", "In reply to", "ref", ref="message", more=True),
        F("place", "Where", more=True),
        F("content", "What was said (verbatim)", "text"),
        F("summary", "Summary", "text"),
    ],
    "delivery": [
        F("delivered_at", "When", "datetime", required=True),
        F("recipient_party_id", "To (party)", "ref", ref="party", required=True),
        F("recipient_person_id", "To (person)", "ref", ref="person"),
        F("round_id", "Round", "ref", ref="round", more=True),
        F("place", "Where", more=True),
        F("content", "What was conveyed", "text"),
        F("notes", "Notes", "text"),
    ],
    "delivery_item": [
        F("message_id", "Source message", "ref", ref="message", required=True),
        F("attributed", "Source named", "bool"),
    ],
    "release": [
        F("party_id", "Released to (empty: every party)", "ref", ref="party"),
        F("released_by", "Released by", required=True),
        F("released_at", "When", "datetime"),
        F("reason", "Why", "text", required=True),
        F("attribution_allowed", "May name the source", "bool"),
    ],
    "session": [
        F("title", "Title", required=True),
        F("kind", "Kind", "enum", enum=E.SessionKind),
        F("status", "Status", "enum", enum=E.SessionStatus),
        F("starts_at", "Starts", "datetime"),
        F("ends_at", "Ends", "datetime"),
        F("place", "Place", placeholder=tr("may stay vague on purpose")),
        F("ground_rules", "Ground rules", "text", more=True),
        F("logistics", "Logistics", "text", more=True),
        F("summary", "Summary", "text"),
    ],
    "participant": [
        F("person_id", "Person", "ref", ref="person", required=True),
        F("party_id", "Party", "ref", ref="party"),
        F("capacity", "Capacity", "enum", enum=E.Capacity),
    ],
    "agenda_item": [
        F("position", "Position", "int"),
        F("title", "Item", required=True),
        F("minutes", "Minutes", "int"),
        F("notes", "Notes", "text"),
    ],
    "session_note": [
        F("kind", "Kind", "enum", enum=E.SessionNoteKind),
        F("noted_at", "Time", "datetime"),
        F("person_id", "Speaker", "ref", ref="person"),
        F("party_id", "Party", "ref", ref="party"),
        F("text", "Note", "text"),
    ],
    "option": [
        F("title", "Option", required=True),
        F("status", "Status", "enum", enum=E.OptionStatus),
        F("raised_by", "Raised by", "enum", enum=E.RaisedBy),
        F("raised_by_party_id", "Raised by party", "ref", ref="party"),
        F("raised_by_person_id", "Raised by person", "ref", ref="person", more=True),
        F("raised_in_session_id", "Raised in session", "ref", ref="session"),
        F("raised_in_message_id", "Raised in message", "ref", ref="message", more=True),
        F("raised_on", "Raised on", "date"),
        F("text", "Text", "text"),
    ],
    "stance": [
        F("party_id", "Party", "ref", ref="party", required=True),
        F("stance", "Stance", "enum", enum=E.StanceKind),
        F("recorded_at", "As of", "datetime"),
        F("note", "Note", "text"),
    ],
    "text": [
        F("title", "Title", required=True),
        F("kind", "Kind", "enum", enum=E.TextKind),
        F("purpose", "Purpose", "text"),
    ],
    "draft": [F("note", "Note", "text")],
    "clause": [
        F("kind", "Kind", "enum", enum=E.ClauseKind),
        F("wording", "Wording", "text"),
        F("note", "Note", "text"),
    ],
    "alternative": [
        F("slot", "Bracket", "int"),
        F("party_id", "Proposed by", "ref", ref="party"),
        F("wording", "Wording", "text"),
        F("source_message_id", "From message", "ref", ref="message"),
    ],
    "critique": [
        F("party_id", "Party", "ref", ref="party", required=True),
        F("reaction", "Reaction", "enum", enum=E.Reaction),
        F("proposed_wording", "Proposed wording", "text"),
        F("note", "Note", "text"),
        F("recorded_on", "Recorded", "date"),
    ],
    # Handovers to outside audiences (a handover's items are shown in it); links of cases.
    "outsider": [
        F("name", "Name", required=True),
        F("kind", "Kind", "enum", enum=E.OutsiderKind),
        F("organisation", "Organisation"),
        F("person_id", "Contact (person)", "ref", ref="person"),
        F("notes", "Notes", "text"),
    ],
    "handover": [
        F("outsider_id", "To", "ref", ref="outsider", required=True),
        F("handed_at", "When", "datetime", required=True),
        F("through_person_id", "Through", "ref", ref="person"),
        F("sources_named", "Sources named", "bool"),
        F("note", "Note", "text"),
    ],
    "case_link": [
        F("from_case_id", "From case", "ref", ref="case", required=True),
        F("to_case_id", "To case", "ref", ref="case", required=True),
        F("kind", "Link", "enum", enum=E.CaseLinkKind),
        F("note", "Note", "text"),
    ],
    "action": [
        F("title", "Action", required=True),
        F("due_on", "Due", "date"),
        F("owner_person_id", "Owner", "ref", ref="person"),
        F("owner", "Owner (if not a contact)", more=True),
        F("session_id", "From session", "ref", ref="session", more=True),
        F("done", "Done", "bool"),
        F("notes", "Notes", "text"),
    ],
    "note": [
        F("title", "Title"),
        F("written_at", "Written", "datetime"),
        F("body", "Note", "text"),
    ],
    "commitment": [
        F("party_id", "Who promised", "ref", ref="party", required=True),
        F("person_id", "Person", "ref", ref="person"),
        F("to_party_id", "To (empty: the mediator, or all sides)", "ref", ref="party"),
        F("what", "What was promised", "text", required=True),
        F("condition", "Condition", "text"),
        F("condition_id", "Once this is kept", "ref", ref="commitment"),
        F("made_at", "Made", "datetime"),
        F("due_on", "Due by", "date"),
        F("disclosure", "Disclosure", "enum", enum=E.Disclosure),
        F("embargo_until", "Embargoed until", "datetime", more=True),
        F("source_message_id", "Said in message", "ref", ref="message", more=True),
        F("source_session_id", "Said in session", "ref", ref="session", more=True),
        F("note", "Note", "text"),
    ],
    "commitment_event": [
        F("on", "On", "date", required=True),
        F("status", "Outcome", "enum", enum=E.CommitmentStatus),
        F("verified_by", "Verified by"),
        F("how", "How", "enum", enum=E.Verification),
        F("evidence_message_id", "Evidence (message)", "ref", ref="message"),
        F("note", "Note", "text"),
    ],
}


@dataclass(frozen=True)
class Child:
    """Records listed under another's form: a session's agenda, a party's profile."""

    kind: str
    scope_key: str  # the child's column that holds the parent's id
    label: str


@dataclass(frozen=True)
class Kind:
    name: str
    word: str  # singular, lower case, as in "Delete this message?"
    plural: str  # as a heading: "Messages"
    icon: str
    section: str | None = None  # the section that lists it (a key of the window's sections)
    parent: tuple[str, str] | None = None  # (kind, column): shown inside that record
    children: tuple[Child, ...] = ()
    text_keys: tuple[str, ...] = ("title", "name")  # what "Copy text" copies, first filled
    fields: tuple[Field, ...] = field(default=())


TEXT_ICON = "edit"  # (a text is drafted: the pencil)
COMMITMENT_ICON = "check"  # (a promise, and whether it was kept: the tick)


def _k(name: str, word: str, plural: str, icon: str, **kw: Any) -> Kind:
    return Kind(name, word, plural, icon, fields=tuple(_FIELDS.get(name, ())), **kw)


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        _k("case", "case", "Cases", "case", section="overview", text_keys=("summary", "title")),
        # A link between two cases is listed in both cases' overviews.
        _k(
            "case_link",
            "case link",
            "Linked cases",
            "case",
            section="overview",
            text_keys=("note",),
        ),
        _k(
            "party",
            "party",
            "Parties",
            "party",
            section="parties",
            children=(Child("profile_entry", "party_id", "Profile (dated)"),),
            text_keys=("description", "name"),
        ),
        _k(
            "profile_entry",
            "profile entry",
            "Profile",
            "party",
            parent=("party", "party_id"),
            text_keys=("text",),
        ),
        _k(
            "person",
            "person",
            "People",
            "person",
            section="people",
            children=(
                Child("affiliation", "person_id", "Affiliations"),
                Child("channel", "person_id", "Channels"),
            ),
            text_keys=("notes", "name"),
        ),
        _k(
            "channel",
            "channel",
            "Channels",
            "person",
            parent=("person", "person_id"),
            text_keys=("value",),
        ),
        _k(
            "affiliation",
            "affiliation",
            "Affiliations",
            "person",
            parent=("person", "person_id"),
            text_keys=("role",),
        ),
        _k(
            "message",
            "message",
            "Messages",
            "message",
            section="messages",
            children=(Child("release", "message_id", "Releases"),),
            text_keys=("content", "summary"),
        ),
        _k(
            "delivery",
            "delivery",
            "Deliveries",
            "delivery",
            section="deliveries",
            children=(Child("delivery_item", "delivery_id", "Sources conveyed"),),
            text_keys=("content", "notes"),
        ),
        _k(
            "delivery_item",
            "source conveyed",
            "Sources conveyed",
            "delivery",
            parent=("delivery", "delivery_id"),
            text_keys=(),
        ),
        _k(
            "release",
            "release",
            "Releases",
            "shield",
            parent=("message", "message_id"),
            text_keys=("reason",),
        ),
        _k("round", "round", "Rounds", "message", section="rounds", text_keys=("notes", "title")),
        # Handovers and their audiences are on the Shuttle Log's Handovers page, beside
        # Deliveries (a handover is a delivery to an outside audience): the Shuttle Log
        # lists "deliveries", and its show_record() turns to the Handovers page for these.
        _k(
            "outsider",
            "outside audience",
            "Outside audiences",
            "person",
            section="deliveries",
            text_keys=("notes", "name"),
        ),
        _k(
            "handover",
            "handover",
            "Handovers",
            "delivery",
            section="deliveries",
            text_keys=("note",),
        ),
        _k(
            "handover_item",
            "item handed over",
            "What was handed over",
            "delivery",
            parent=("handover", "handover_id"),
            text_keys=("finding",),
        ),
        _k(
            "session",
            "session",
            "Sessions",
            "session",
            section="sessions",
            children=(
                Child("agenda_item", "session_id", "Agenda"),
                Child("participant", "session_id", "Participants"),
                Child("session_note", "session_id", "Notes"),
            ),
            text_keys=("summary", "title"),
        ),
        _k("agenda_item", "agenda item", "Agenda", "session", parent=("session", "session_id")),
        _k(
            "participant",
            "participant",
            "Participants",
            "person",
            parent=("session", "session_id"),
            text_keys=(),
        ),
        _k(
            "session_note",
            "session note",
            "Notes",
            "session",
            parent=("session", "session_id"),
            text_keys=("text",),
        ),
        _k(
            "option",
            "option",
            "Options",
            "option",
            section="options",
            children=(Child("stance", "option_id", "Stances (history)"),),
            text_keys=("text", "title"),
        ),
        _k(
            "stance",
            "stance",
            "Stances",
            "option",
            parent=("option", "option_id"),
            text_keys=("note",),
        ),
        # Texts: a draft and a clause are shown where they are (their draft, its clause);
        # a bracketed alternative and a critique in their clause.
        _k("text", "text", "Texts", TEXT_ICON, section="texts", text_keys=("purpose", "title")),
        _k(
            "draft",
            "draft",
            "Drafts",
            TEXT_ICON,
            section="texts",
            parent=("text", "text_id"),
            text_keys=("note",),
        ),
        _k(
            "clause",
            "clause",
            "Clauses",
            TEXT_ICON,
            section="texts",
            parent=("draft", "draft_id"),
            text_keys=("wording",),
        ),
        _k(
            "alternative",
            "bracketed alternative",
            "Bracketed alternatives",
            TEXT_ICON,
            parent=("clause", "clause_id"),
            text_keys=("wording",),
        ),
        _k(
            "critique",
            "critique",
            "Critiques",
            "party",
            parent=("clause", "clause_id"),
            text_keys=("proposed_wording", "note"),
        ),
        _k(
            "action", "action", "Actions", "action", section="actions", text_keys=("notes", "title")
        ),
        _k("note", "note", "Notes", "note", section="notes", text_keys=("body", "title")),
        # Commitments: an outcome of a commitment's course is shown in its commitment.
        _k(
            "commitment",
            "commitment",
            "Commitments",
            COMMITMENT_ICON,
            section="commitments",
            text_keys=("what",),
        ),
        _k(
            "commitment_event",
            "outcome",
            "Outcomes",
            COMMITMENT_ICON,
            parent=("commitment", "commitment_id"),
            text_keys=("note",),
        ),
        _k("tag", "tag", "Tags", "tag", text_keys=("name",)),
        _k("attachment", "attachment", "Attachments", "attachment", text_keys=("filename",)),
    )
}


def kind_of(name: str) -> Kind:
    """The entry for a kind, or one built from its name (a kind this table does not know
    still reads sensibly and has an icon)."""
    return KINDS.get(name) or Kind(name, name.replace("_", " "), name.replace("_", " "), "note")


def word(name: str) -> str:
    return tr(kind_of(name).word)


def fields_of(name: str) -> list[Field]:
    return list(kind_of(name).fields)


def listed_record(
    kind: str, record_id: int, get: Callable[[str, int], dict[str, Any]]
) -> tuple[str, int] | None:
    """The record a section lists that shows this one: itself if its kind has a section,
    else its parent's (a profile entry is shown in its party, a release in its message),
    read through ``get(kind, id)``; None for a kind shown nowhere, or a record (or one on
    the way up) that is gone."""
    spec = kind_of(kind)
    while spec.section is None:
        if spec.parent is None:
            return None
        parent_kind, column = spec.parent
        try:
            record_id = int(get(kind, record_id)[column])
        except LiaisonError:
            return None
        kind, spec = parent_kind, kind_of(parent_kind)
    return kind, record_id
