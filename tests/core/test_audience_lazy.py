"""A party's view of a case works out what the party may see of a message when first asked
(or a batch at a time), not for every message of the case when it is made: an export of the
last 1,000 messages of a case of 330,000 read the whole case (5 s at a million messages).
The answers are those of the rule, message by message, whatever the order of the asking."""

from __future__ import annotations

import random

from sqlalchemy import event, select

from app.core.demo import generate_scale
from app.core.disclosure.audience import NONE, audience_for
from app.core.disclosure.guard import release_map
from app.core.disclosure.rule import MessageFacts, sight
from app.core.models import Disclosure, Message, Party
from app.core.vault import Vault


def _rule_answers(vault: Vault, case_id: int, party_id: int, view_at: object) -> dict[int, object]:
    """The rule applied to every message of the case at once (what the view did before)."""
    with vault.session() as s:
        rows = s.execute(
            select(
                Message.id,
                Message.sender_party_id,
                Message.disclosure,
                Message.embargo_until,
                Message.said_at,
            ).where(Message.case_id == case_id)
        ).all()
        releases = release_map(s, [r[0] for r in rows])
    return {
        mid: sight(
            MessageFacts(mid, sender, Disclosure(level), embargo, said_at),
            party_id=party_id,
            at=view_at,  # type: ignore[arg-type]
            releases=releases.get(mid, ()),
        )
        for mid, sender, level, embargo, said_at in rows
    }


def test_a_party_view_reads_messages_only_when_asked_and_answers_as_the_rule(
    vault: Vault,
) -> None:
    generate_scale(vault, messages=600, cases=2)
    with vault.session() as s:
        party = s.scalars(select(Party).order_by(Party.id)).first()
        assert party is not None
        case_id, party_id = party.case_id, party.id
        ids = list(s.scalars(select(Message.id).where(Message.case_id == case_id)))
        other = s.scalars(select(Message.id).where(Message.case_id != case_id)).first()
    statements: list[str] = []

    def count(conn: object, cursor: object, statement: str, *a: object) -> None:
        if "FROM messages" in statement:
            statements.append(statement)

    engine = vault._engine
    event.listen(engine, "before_cursor_execute", count)
    try:
        view = audience_for(vault, case_id, party_id)
        assert statements == []  # made without reading a message
        expected = _rule_answers(vault, case_id, party_id, view.at)
        statements.clear()
        batch = ids[:50]
        view.prefetch(batch)
        assert len(statements) == 1  # one query for a batch
        random.Random(3).shuffle(ids)
        for mid in ids:  # then one by one, in any order
            assert view.message(mid) is expected[mid], mid
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(set(expected.values())) > 1  # the case has messages seen and not seen
    assert other is not None and view.message(other) is NONE  # another case's message


def test_own_statements_are_known_once_asked_for(vault: Vault) -> None:
    generate_scale(vault, messages=200, cases=1)
    with vault.session() as s:
        party = s.scalars(select(Party).order_by(Party.id)).first()
        assert party is not None
        own = list(
            s.scalars(select(Message.id).where(Message.sender_party_id == party.id).limit(5))
        )
    view = audience_for(vault, party.case_id, party.id, include_own=True)
    assert own and all(view.is_own_statement(mid) for mid in own)
    assert all(view.message(mid).name == "FULL" for mid in own)
