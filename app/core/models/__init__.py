"""The data model: SQLAlchemy 2 typed models, one module per aggregate."""

from app.core.models.base import Base, kinds, model_for, utcnow
from app.core.models.case import Affiliation, Case, Channel, Party, Person, ProfileEntry
from app.core.models.enums import (
    AuditAction,
    Capacity,
    CaseStatus,
    ChannelKind,
    Disclosure,
    LineageKind,
    OptionStatus,
    PartyKind,
    ProfileKind,
    RaisedBy,
    SessionKind,
    SessionNoteKind,
    SessionStatus,
    StanceKind,
    Track,
)
from app.core.models.journal import Action, Note
from app.core.models.meta import Attachment, AuditEntry, Tag, Tagging, VaultSetting
from app.core.models.options import Option, OptionLink, Stance, option_interests
from app.core.models.sessions import AgendaItem, CaseSession, Participant, SessionNote
from app.core.models.shuttle import Delivery, DeliveryItem, Message, Release, Round

__all__ = [
    "Action",
    "Affiliation",
    "AgendaItem",
    "Attachment",
    "AuditAction",
    "AuditEntry",
    "Base",
    "Capacity",
    "Case",
    "CaseSession",
    "CaseStatus",
    "Channel",
    "ChannelKind",
    "Delivery",
    "DeliveryItem",
    "Disclosure",
    "LineageKind",
    "Message",
    "Note",
    "Option",
    "OptionLink",
    "OptionStatus",
    "Participant",
    "Party",
    "PartyKind",
    "Person",
    "ProfileEntry",
    "ProfileKind",
    "RaisedBy",
    "Release",
    "Round",
    "SessionKind",
    "SessionNote",
    "SessionNoteKind",
    "SessionStatus",
    "Stance",
    "StanceKind",
    "Tag",
    "Tagging",
    "Track",
    "VaultSetting",
    "kinds",
    "model_for",
    "option_interests",
    "utcnow",
]
