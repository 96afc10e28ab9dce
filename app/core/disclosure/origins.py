"""What a derived record's sight rests on, gathered by its reader for the audience view to
weigh (:mod:`.audience`): a clause's origins, a commitment's own level and where it was said."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.core.models import Disclosure


@dataclass(frozen=True)
class ClauseOrigins:
    """Everything a clause's wording came from, for the audience to weigh."""

    source_message_id: int | None = None
    source_session_id: int | None = None
    option_ids: tuple[int, ...] = ()
    alternative_message_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class CommitmentOrigins:
    """What a commitment's sight rests on: its own level (as if the party that made it had
    said it in a message at ``made_at``) and the strictest of where it was said."""

    party_id: int
    disclosure: Disclosure
    embargo_until: datetime | None
    made_at: datetime
    source_message_id: int | None = None
    source_session_id: int | None = None
    source_draft_id: int | None = None  # the draft of the clause it was said in
    clause: ClauseOrigins | None = None
