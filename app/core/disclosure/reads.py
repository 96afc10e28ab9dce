"""What an audience view reads of a case to answer for it: the sight of a chunk of messages
for one party (or an outside audience) as of a moment, and every option with where it was
raised and its lineage. Kept apart from :mod:`.audience`, which builds the views on them."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from contextlib import AbstractContextManager
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.disclosure.guard import chunks, release_map
from app.core.disclosure.rule import MessageFacts, Sight, sight
from app.core.models import Disclosure, Message, Option, OptionLink

# message ids -> (id, sight, the message it replies to, shown as the party's own statement)
# for those of them that are messages of the view's case
ReadMessages = Callable[[list[int]], list[tuple[int, Sight, int | None, bool]]]


def message_reader(
    open_reader: Callable[[], AbstractContextManager[Session]],
    case_id: int,
    pid: int,
    now: datetime,
    *,
    include_own: bool,
) -> ReadMessages:
    def read_messages(ids: list[int]) -> list[tuple[int, Sight, int | None, bool]]:
        """The sight of these messages of the case for the party as of ``now`` (releases
        made after it do not count: the rule compares times), a chunk of ids a query."""
        out: list[tuple[int, Sight, int | None, bool]] = []
        with open_reader() as rs:
            for chunk in chunks(ids):
                releases = release_map(rs, chunk)
                for mid, sender, level, embargo, said_at, parent in rs.execute(
                    select(
                        Message.id,
                        Message.sender_party_id,
                        Message.disclosure,
                        Message.embargo_until,
                        Message.said_at,
                        Message.in_reply_to_id,
                    ).where(Message.case_id == case_id, Message.id.in_(chunk))
                ):
                    facts = MessageFacts(mid, sender, Disclosure(level), embargo, said_at)
                    seen = sight(facts, party_id=pid, at=now, releases=releases.get(mid, ()))
                    own = include_own and sender == pid
                    out.append((mid, Sight.FULL if own else seen, parent, own))
        return out

    return read_messages


def case_options(
    s: Session, case_id: int
) -> tuple[dict[int, tuple[int | None, int | None]], dict[int, list[int]]]:
    """Every option of the case with where it was raised, and its parents (lineage)."""
    options = {
        oid: (message_id, session_id)
        for oid, message_id, session_id in s.execute(
            select(Option.id, Option.raised_in_message_id, Option.raised_in_session_id).where(
                Option.case_id == case_id
            )
        )
    }
    parents: dict[int, list[int]] = defaultdict(list)
    for oid, parent_id in s.execute(
        select(OptionLink.option_id, OptionLink.parent_id)
        .join(Option, Option.id == OptionLink.option_id)
        .where(Option.case_id == case_id)
    ):
        parents[oid].append(parent_id)
    return options, dict(parents)
