"""What the shuttle log's readers share: a message's facts as the disclosure rule needs them
(read in one row), the parties of a case, and how a source is named. Used by
app.core.services.shuttle (threads), knowledge (ledger, who knows what) and pending.

Nothing here decides what may be conveyed: that is app.core.disclosure's ``decide``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import literal_column, select
from sqlalchemy.orm import Session

from app.core.disclosure.guard import chunks, release_map
from app.core.disclosure.rule import MessageFacts, ReleaseFacts
from app.core.errors import NotFound
from app.core.models import Case, Disclosure, Message, Party, PartyKind
from app.core.services.messages import FACILITATOR_KINDS, summary_sql

# The page size of the whole-list functions (``ledger``, ``knowledge_matrix``,
# ``pending_deliveries``): the same paged reads, in fewer statements than a view's pages.
WHOLE = 1000


@dataclass(frozen=True)
class Msg:
    facts: MessageFacts
    sender_person_id: int | None
    recipient_party_id: int | None
    recipient_person_id: int | None
    in_reply_to_id: int | None
    round_id: int | None


MESSAGE_COLUMNS: tuple[Any, ...] = (
    Message.id,
    Message.sender_party_id,
    Message.disclosure,
    Message.embargo_until,
    Message.said_at,
    # The summary, or the start of what was said when there is none (quick capture).
    literal_column(summary_sql("messages.summary", "messages.content")),
    Message.sender_person_id,
    Message.recipient_party_id,
    Message.recipient_person_id,
    Message.in_reply_to_id,
    Message.round_id,
)
N_MESSAGE_COLUMNS = len(MESSAGE_COLUMNS)


def msg_of(row: Any) -> Msg:
    """A row of ``MESSAGE_COLUMNS`` (or a slice of a longer row that holds them)."""
    return Msg(
        MessageFacts(row[0], row[1], Disclosure(row[2]), row[3], row[4], row[5] or ""),
        *row[6:11],
    )


def source_name(party: str, person: str) -> str:
    if person and party:
        return f"{person}, {party}"
    return person or party


@dataclass(frozen=True)
class PartyRef:
    id: int
    name: str
    kind: PartyKind


@dataclass(frozen=True)
class CaseParties:
    """The parties of one case (a handful), in id order."""

    parties: tuple[PartyRef, ...]

    def _get(self, party_id: int | None) -> PartyRef | None:
        return next((p for p in self.parties if p.id == party_id), None)

    def name(self, party_id: int | None) -> str:
        if party_id is None:
            return ""
        found = self._get(party_id)
        return found.name if found else f"party {party_id}"

    def has(self, party_id: int | None) -> bool:
        return self._get(party_id) is not None

    def is_facilitator(self, party_id: int | None) -> bool:
        found = self._get(party_id)
        return found is not None and found.kind in FACILITATOR_KINDS

    @property
    def facilitators(self) -> list[int]:
        return [p.id for p in self.parties if p.kind in FACILITATOR_KINDS]


def case_parties(s: Session, case_id: int) -> CaseParties:
    return CaseParties(
        tuple(
            PartyRef(pid, name, PartyKind(kind))
            for pid, name, kind in s.execute(
                select(Party.id, Party.name, Party.kind)
                .where(Party.case_id == case_id)
                .order_by(Party.id)
            )
        )
    )


def releases_of(s: Session, message_ids: Iterable[int]) -> dict[int, list[ReleaseFacts]]:
    """The releases of these messages (a page's), by message, oldest first."""
    out: dict[int, list[ReleaseFacts]] = defaultdict(list)
    for chunk in chunks(message_ids):
        for mid, found in release_map(s, chunk).items():
            out[mid].extend(found)
    return out


def require_case(s: Session, case_id: int) -> None:
    if s.get(Case, case_id) is None:
        raise NotFound(f"There is no case number {case_id}.")


def require_party(s: Session, party_id: int) -> Party:
    party = s.get(Party, party_id)
    if party is None:
        raise NotFound(f"There is no party number {party_id}.")
    return party
