"""The disclosure rule, pure: what a source message may convey to a party, and how.

A delivery to party R (or an export for R) may convey source message M only as M's
disclosure level allows:

* ``shareable``: always, naming its source or not;
* ``unattributed``: only without naming its source;
* ``confidential``: never — it is for the mediator alone, and a confidence is a person's,
  not a delegation's, so not even the sender's own party is told;
* ``embargoed``: as confidential until ``M.embargo_until``, then as shareable.

An explicit, audited ``Release`` of M for R (or for every party, ``party_id`` NULL) made at
or before the moment in question lifts ``confidential`` and the embargo; the source may then
be named only if the release says ``attribution_allowed`` (which also lifts
``unattributed``).

Everything else of the disclosure package (the flush guard, the audience view) asks
:func:`decide` or :func:`sight`; nothing here touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import IntEnum, StrEnum

from app.core.days import format_day
from app.core.models import Disclosure


class Refusal(StrEnum):
    """Why a source may not be conveyed."""

    CONFIDENTIAL = "confidential"  # for the mediator only, and no release
    EMBARGOED = "embargoed"  # before its embargo date, and no release
    ATTRIBUTION = "attribution"  # its source may not be named


class Sight(IntEnum):
    """How much of a record an audience sees. Ordered: the strictest of several origins is
    their ``min``."""

    NONE = 0  # nothing: not even that it exists
    ANONYMOUS = 1  # its substance, nothing that points at its source
    FULL = 2  # all of it that its kind shows to a party


@dataclass(frozen=True)
class MessageFacts:
    """What the rule needs to know about a source message."""

    id: int
    sender_party_id: int | None
    disclosure: Disclosure
    embargo_until: datetime | None
    said_at: datetime
    summary: str = ""


@dataclass(frozen=True)
class ReleaseFacts:
    """What the rule needs to know about a release."""

    id: int
    message_id: int
    party_id: int | None  # None: released to every party
    released_at: datetime
    attribution_allowed: bool


@dataclass(frozen=True)
class Decision:
    """The rule's answer: allowed or not, why not, and the release that allowed it (if any)."""

    allowed: bool
    reason: Refusal | None = None
    release_id: int | None = None


def _usable(
    message: MessageFacts, party_id: int, at: datetime, releases: Iterable[ReleaseFacts]
) -> list[ReleaseFacts]:
    return sorted(
        (
            r
            for r in releases
            if r.message_id == message.id
            and (r.party_id is None or r.party_id == party_id)
            and r.released_at <= at
        ),
        key=lambda r: (r.released_at, r.id),
    )


def decide(
    message: MessageFacts,
    *,
    recipient_party_id: int,
    at: datetime,
    attributed: bool,
    releases: Iterable[ReleaseFacts] = (),
) -> Decision:
    """May ``message`` be conveyed to ``recipient_party_id`` at ``at``, naming its source
    (``attributed``) or not? Only releases of this message, for this party or for every
    party, made at or before ``at`` count."""
    level = message.disclosure
    if level is Disclosure.SHAREABLE:
        return Decision(True)
    if (
        level is Disclosure.EMBARGOED
        and message.embargo_until is not None
        and at >= message.embargo_until
    ):
        return Decision(True)
    if level is Disclosure.UNATTRIBUTED and not attributed:
        return Decision(True)
    usable = _usable(message, recipient_party_id, at, releases)
    if not usable:
        if level is Disclosure.CONFIDENTIAL:
            return Decision(False, Refusal.CONFIDENTIAL)
        if level is Disclosure.EMBARGOED:
            return Decision(False, Refusal.EMBARGOED)
        return Decision(False, Refusal.ATTRIBUTION)
    if attributed:
        naming = [r for r in usable if r.attribution_allowed]
        if not naming:
            return Decision(False, Refusal.ATTRIBUTION)
        return Decision(True, release_id=naming[0].id)
    return Decision(True, release_id=usable[0].id)


def sight(
    message: MessageFacts,
    *,
    party_id: int,
    at: datetime,
    releases: Iterable[ReleaseFacts] = (),
    include_own: bool = False,
) -> Sight:
    """How much of ``message`` an export for ``party_id`` as of ``at`` may show: all of it
    (its source may be named), its substance only, or nothing. ``include_own`` (asked for
    explicitly) shows the party its own statements at every level."""
    if include_own and message.sender_party_id == party_id:
        return Sight.FULL
    rel = list(releases)
    if decide(message, recipient_party_id=party_id, at=at, attributed=True, releases=rel).allowed:
        return Sight.FULL
    if decide(message, recipient_party_id=party_id, at=at, attributed=False, releases=rel).allowed:
        return Sight.ANONYMOUS
    return Sight.NONE


# --- the rule's words -------------------------------------------------------------------


def format_moment(value: datetime) -> str:
    """``15 Jun 2026, 07:00 UTC``, or just the day at midnight."""
    if (value.hour, value.minute) == (0, 0):
        return format_day(value)
    return f"{format_day(value)}, {value:%H:%M} UTC"


def snippet(summary: str, limit: int = 40) -> str:
    """The start of a text on one line, cut at a word, "…" where it was cut."""
    text = " ".join(summary.split())
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,.;:-—") + "…"


def describe_source(message: MessageFacts) -> str:
    """How a refusal names a source: the start of its summary and its date, never the full
    (possibly confidential) text."""
    when = format_day(message.said_at)
    if message.summary.strip():
        return f"“{snippet(message.summary)}” ({when})"
    return f"Message {message.id} ({when})"


def refusal_text(message: MessageFacts, party_name: str, reason: Refusal) -> str:
    source = describe_source(message)
    if reason is Refusal.CONFIDENTIAL:
        return (
            f"{source} is confidential: it may not be passed to {party_name}. "
            "Record a release first if its source agreed."
        )
    if reason is Refusal.EMBARGOED:
        until = format_moment(message.embargo_until) if message.embargo_until else "its date"
        return (
            f"{source} is embargoed until {until}: it may not be passed to {party_name} before "
            "then. Record a release first if its source agreed."
        )
    return (
        f"{source} may be passed to {party_name} only without naming its source. Convey it "
        "unattributed, or record a release that allows attribution first."
    )


def why_not(message: MessageFacts, reason: Refusal | None) -> str:
    """A short reason for lists: ``confidential``, ``embargoed until 1 Mar 2027, 08:00 UTC``."""
    if reason is None:
        return ""
    if reason is Refusal.EMBARGOED and message.embargo_until is not None:
        return f"embargoed until {format_moment(message.embargo_until)}"
    if reason is Refusal.ATTRIBUTION:
        return "source may not be named"
    return str(reason.value)
