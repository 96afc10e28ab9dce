"""Every table of the model and what a party audience may see of its rows, in words, with the
fields it never sees even of a row it sees (:class:`~.audience.AudienceView` ``shows``).
``docs/security.md`` says the same to the user."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class KindRule:
    """What a party audience may see of one table's rows, in words, and the fields it never
    sees even of a row it sees."""

    rule: str
    private: frozenset[str] = frozenset()


def _rule(rule: str, *private: str) -> KindRule:
    return KindRule(rule, frozenset(private))


# Every table of the model, by name. tests/core/test_disclosure_rules.py fails for a table
# missing here, and for a private field that is not a column.
RULES: dict[str, KindRule] = {
    "cases": _rule("title, track, status and dates; the summary is the mediator's", "summary"),
    "parties": _rule("every party's name and kind; the description only to itself", "description"),
    "profile_entries": _rule(
        "only the party's own, and only if its source message and session reach it"
    ),
    "people": _rule("its own people and those at the table of its sessions", "notes"),
    "channels": _rule("never: contact details are the mediator's"),
    "affiliations": _rule("only ties to the audience party itself"),
    "rounds": _rule("number and title", "notes"),
    "messages": _rule(
        "as the disclosure rule says; without its source: the summary only",
    ),
    "deliveries": _rule(
        "only those made to the audience party (a draft it conveys: see text_drafts)",
        "notes",
        "place",
    ),
    "delivery_items": _rule("the source as the message's own rule says, named only if attributed"),
    "releases": _rule("never: a release is the mediator's record of a decision"),
    "sessions": _rule("only sessions the party sat in", "logistics", "summary"),
    "participants": _rule("with their session"),
    "agenda_items": _rule("titles and minutes with their session", "notes"),
    "session_notes": _rule("agreements of its sessions; its own statements when asked"),
    "options": _rule("only if every origin in its ancestry reaches the party"),
    "option_links": _rule("only between two options the party sees"),
    "option_interests": _rule("with the option and the profile entry, both seen"),
    "stances": _rule("only the party's own"),
    "texts": _rule("title and kind of a text one of whose drafts was circulated to it", "purpose"),
    "text_drafts": _rule("number and date of the drafts circulated to it", "note"),
    "clauses": _rule(
        "the numbered wording of the clauses of a draft circulated to it, only if every "
        "origin reaches it (source message and session, the options it carries, the sources "
        "of its alternatives); never where it came from or who proposed it",
        "note",
    ),
    "clause_alternatives": _rule(
        "with their clause; the proposing party named only where its source may be named"
    ),
    "clause_options": _rule("never shown: which options a clause carries is provenance"),
    "critiques": _rule("only the party's own, of a clause it sees"),
    "commitments": _rule(
        "its own level (as a message of the party that made it) and the strictest of where "
        "it was said (message, session, a clause of a draft it holds); its maker named only "
        "in full sight",
        "note",
    ),
    "commitment_events": _rule(
        "the outcome and its date, with their commitment, only if the evidence message "
        "reaches it; never who verified it or how",
        "verified_by",
        "how",
        "note",
    ),
    "outsiders": _rule("never to a party; an outside audience sees its own name", "notes"),
    "handovers": _rule("never to a party; an outside audience sees what was handed to it", "note"),
    "handover_items": _rule("with their handover, each only as its own rule says"),
    "case_links": _rule("never: how cases feed each other is the mediator's"),
    "actions": _rule("those of its sessions, or owned by its people outside sessions", "notes"),
    "notes": _rule("never: the mediator's journal"),
    "tags": _rule("never"),
    "taggings": _rule("never"),
    "attachments": _rule("never"),
    "audit_log": _rule("never"),
    "vault_settings": _rule("never"),
}
