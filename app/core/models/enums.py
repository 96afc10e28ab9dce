"""The closed vocabularies of the domain (stored as text with CHECK constraints)."""

from __future__ import annotations

from enum import StrEnum


class Track(StrEnum):
    ONE = "1"
    ONE_AND_HALF = "1.5"
    TWO = "2"
    THREE = "3"


class CaseStatus(StrEnum):
    ACTIVE = "active"
    DORMANT = "dormant"
    CLOSED = "closed"


class PartyKind(StrEnum):
    GOVERNMENT = "government"
    ARMED_GROUP = "armed_group"
    POLITICAL_MOVEMENT = "political_movement"
    COMMUNITY = "community"
    CIVIL_SOCIETY = "civil_society"
    THIRD_PARTY = "third_party"


class ProfileKind(StrEnum):
    POSITION = "position"
    INTEREST = "interest"
    NEED = "need"
    FEAR = "fear"
    RED_LINE = "red_line"
    CONSTRAINT = "constraint"


class ChannelKind(StrEnum):
    PHONE = "phone"
    EMAIL = "email"
    MESSENGER = "messenger"
    ADDRESS = "address"
    OTHER = "other"


class Capacity(StrEnum):
    OFFICIAL = "official"
    UNOFFICIAL = "unofficial"
    PERSONAL = "personal"


class Disclosure(StrEnum):
    """How far what a message says may travel (see the shuttle service for the rules)."""

    SHAREABLE = "shareable"  # may be passed on with attribution
    UNATTRIBUTED = "unattributed"  # substance may be passed on, not its source
    CONFIDENTIAL = "confidential"  # for the mediator only
    EMBARGOED = "embargoed"  # not before a date


class SessionKind(StrEnum):
    BILATERAL_CONSULTATION = "bilateral_consultation"
    SHUTTLE_VISIT = "shuttle_visit"
    JOINT_WORKSHOP = "joint_workshop"
    PROBLEM_SOLVING_WORKSHOP = "problem_solving_workshop"
    BRAINSTORMING = "brainstorming"
    CALL = "call"


class SessionStatus(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    CANCELLED = "cancelled"


class SessionNoteKind(StrEnum):
    OBSERVATION = "observation"
    STATEMENT = "statement"
    INTEREST = "interest"
    NEED = "need"
    FEAR = "fear"
    AGREEMENT = "agreement"
    ACTION = "action"
    OPTION = "option"


class OptionStatus(StrEnum):
    RAISED = "raised"
    DISCUSSED = "discussed"
    REFINED = "refined"
    AGREED_IN_PRINCIPLE = "agreed_in_principle"
    REJECTED = "rejected"
    PARKED = "parked"
    ADOPTED = "adopted"
    MERGED = "merged"  # merged with others into a new option (see its lineage)
    SPLIT = "split"  # split into several new options (see their lineage)


class LineageKind(StrEnum):
    """How an option came from an earlier one."""

    REFINED = "refined"
    MERGED = "merged"
    SPLIT = "split"


class RaisedBy(StrEnum):
    PARTY = "party"
    PERSON = "person"
    JOINT = "joint"
    FACILITATOR = "facilitator"


class StanceKind(StrEnum):
    SUPPORTS = "supports"
    OPEN = "open"
    OPPOSES = "opposes"
    UNKNOWN = "unknown"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"


class TextKind(StrEnum):
    """What a text of a case is meant to become."""

    WORKING_PAPER = "working_paper"
    JOINT_MEMORANDUM = "joint_memorandum"
    SINGLE_NEGOTIATING_TEXT = "single_negotiating_text"
    COMMUNIQUE = "communique"


class ClauseKind(StrEnum):
    """A heading opens a group of paragraphs (numbered 1, 2, …; its paragraphs 1.1, 1.2, …)."""

    HEADING = "heading"
    PARAGRAPH = "paragraph"


class Reaction(StrEnum):
    """A party's reaction to a clause of a circulated draft."""

    ACCEPTS = "accepts"
    ACCEPTS_WITH_CHANGES = "accepts_with_changes"
    REJECTS = "rejects"
    RESERVES = "reserves"


class CommitmentStatus(StrEnum):
    """Where a commitment stands: pending until an outcome is recorded (the latest by date)."""

    PENDING = "pending"
    KEPT = "kept"  # on or before its due date (or with no due date)
    KEPT_LATE = "kept_late"  # after its due date
    PARTLY_KEPT = "partly_kept"
    BROKEN = "broken"
    WITHDRAWN = "withdrawn"  # taken back by the party, or lapsed with its condition


class Verification(StrEnum):
    """How the mediator knows a commitment's outcome."""

    MESSAGE = "message"  # a logged message says so
    NOTE = "note"  # the mediator's own observation or a session note
    OUTSIDE = "outside"  # an outside source (monitor, press, ICRC, ...)


class OutsiderKind(StrEnum):
    """Someone outside the case's parties that ideas are handed over to (Track I)."""

    OFFICIAL = "official"
    INSTITUTION = "institution"
    SPONSOR = "sponsor"


class CaseLinkKind(StrEnum):
    """How one case relates to another."""

    FEEDS = "feeds"  # a Track 2 case whose ideas go into a Track 1.5 or Track 1 process
    RELATED = "related"
