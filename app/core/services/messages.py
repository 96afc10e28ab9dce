"""Shuttle messages: how a message is named wherever it is listed, and what may be logged.

A message logged in a hurry (quick capture) has only what was said, no summary. Every list
that names a message therefore shows :func:`summary_of`: the mediator's summary, or else the
start of what was said. :func:`summary_sql` is the same rule in SQL, for the paged lists that
sort and page in the database; the two agree (tests/core/test_summary.py checks it).

:func:`check_message` is the rule for logging a message (a party does not send a message to
itself) and :func:`capture_note` what the mediator should know while typing one (a
confidential message meant for another party will not be passed on).
"""

from __future__ import annotations

from dataclasses import dataclass

from app.core.errors import ValidationError
from app.core.models import Disclosure, Party, PartyKind
from app.core.vault import Vault

SUMMARY_LIMIT = 100  # characters of a derived summary, "…" included
_WHITESPACE = " \t\n\r"
_SENTENCE_ENDS = (". ", "? ", "! ")
# Messages addressed to a party of these kinds are for the facilitating side (see
# app.core.services.shuttle.FACILITATOR_KINDS, which is this set).
FACILITATOR_KINDS = frozenset({PartyKind.THIRD_PARTY})


def summary_of(summary: str | None, content: str | None, limit: int = SUMMARY_LIMIT) -> str:
    """The summary (trimmed), or when it is empty the first sentence of the first line of
    what was said: tabs and line ends as spaces, runs of up to four spaces as one, and cut
    at ``limit`` characters with "…". Only the first ``4 * limit + 2`` characters of what was
    said are read (enough for ``limit`` characters after collapsing; and cheap in SQL)."""
    text = (summary or "").strip(_WHITESPACE)
    if text:
        return text
    head = (content or "").lstrip(_WHITESPACE)[: _prefix(limit)].strip(_WHITESPACE)
    line = head.split("\n", 1)[0]
    ends = [i for i in (line.find(e) for e in _SENTENCE_ENDS) if i >= 0]
    if ends:
        line = line[: min(ends) + 1]
    line = line.replace("\t", " ").replace("\r", " ").strip(" ")
    line = line.replace("  ", " ").replace("  ", " ")
    if len(line) > limit:
        line = line[: limit - 1].rstrip(" ") + "…"
    return line


def _prefix(limit: int) -> int:
    return 4 * limit + 2


def summary_sql(summary: str, content: str, limit: int = SUMMARY_LIMIT) -> str:
    """:func:`summary_of` as an SQLite expression over two column expressions (e.g.
    ``t.summary``, ``t.content``). What was said is read only when the summary is empty, and
    only its first characters: sorting 100,000 messages that have no summary by it takes
    under a second (two levels of scalar subquery, each value worked out once)."""
    ws = "' ' || char(9, 10, 13)"
    head = f"trim(substr(ltrim(coalesce({content}, ''), {ws}), 1, {_prefix(limit)}), {ws})"
    first_line = f"substr({head}, 1, instr({head} || char(10), char(10)) - 1)"
    sentence = (
        "substr(l, 1, min(instr(l || '. ', '. '), instr(l || '? ', '? '), instr(l || '! ', '! ')))"
    )
    spaced = (
        f"replace(replace(trim(replace(replace({sentence}, char(9), ' '), char(13), ' ')), "
        "'  ', ' '), '  ', ' ')"
    )
    cut = f"CASE WHEN length(u) > {limit} THEN rtrim(substr(u, 1, {limit - 1})) || '…' ELSE u END"
    derived = f"(SELECT {cut} FROM (SELECT {spaced} AS u FROM (SELECT {first_line} AS l)))"
    kept = f"trim(coalesce({summary}, ''), {ws})"
    return f"(CASE WHEN {kept} != '' THEN {kept} ELSE {derived} END)"


# --- logging a message --------------------------------------------------------------------


def self_addressed(
    sender_party_id: int | None,
    recipient_party_id: int | None,
    sender_person_id: int | None = None,
    recipient_person_id: int | None = None,
) -> bool:
    """Does this message go from a party to itself (and not from one of its people to
    another)?"""
    if sender_party_id is None or sender_party_id != recipient_party_id:
        return False
    return sender_person_id is None or recipient_person_id in (None, sender_person_id)


SELF_ADDRESSED = (
    "A message cannot go from a party to itself: choose the party it is meant for, or leave "
    "“To” empty."
)


def check_message(values: dict[str, object]) -> None:
    """Refuse a message the shuttle log cannot hold (raises ``ValidationError``): today, one
    from a party to itself. ``values`` are the message's fields as given to create it."""

    def ref(key: str) -> int | None:
        value = values.get(key)
        return int(value) if isinstance(value, int) else None

    if self_addressed(
        ref("sender_party_id"),
        ref("recipient_party_id"),
        ref("sender_person_id"),
        ref("recipient_person_id"),
    ):
        raise ValidationError(SELF_ADDRESSED)


@dataclass(frozen=True)
class CaptureNote:
    """What to tell the mediator about a message being typed: ``refusal`` if it cannot be
    saved as it is, ``warning`` if it can but will not travel as they may expect."""

    refusal: str = ""
    warning: str = ""


def capture_note(
    vault: Vault,
    *,
    sender_party_id: int | None,
    recipient_party_id: int | None,
    disclosure: str | Disclosure,
) -> CaptureNote:
    """The note for a message from ``sender_party_id`` to ``recipient_party_id`` at level
    ``disclosure``: refused if self-addressed; warned if confidential and meant for another
    party (not the facilitating side), which it can never reach without a release."""
    if self_addressed(sender_party_id, recipient_party_id):
        return CaptureNote(refusal=SELF_ADDRESSED)
    if Disclosure(disclosure) is not Disclosure.CONFIDENTIAL or recipient_party_id is None:
        return CaptureNote()
    with vault.session() as s:
        party = s.get(Party, recipient_party_id)
        if party is None or PartyKind(party.kind) in FACILITATOR_KINDS:
            return CaptureNote()
        name = party.name
    return CaptureNote(
        warning=f"Confidential: this will never be passed to {name} (unless its source "
        "agrees and you record a release)."
    )
