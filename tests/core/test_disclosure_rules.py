"""The one disclosure home: every table declares its rule, and the audience view answers for
derived records with the strictest origin of their ancestry."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import inspect

from app.core.disclosure.audience import RULES, audience_for
from app.core.disclosure.rule import Sight
from app.core.models import Base, Capacity
from app.core.services import options as option_service
from app.core.services import sessions as session_service
from app.core.services.records import Records
from app.core.vault import Vault

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def test_every_table_declares_its_rule() -> None:
    """A new kind of record must say what a party sees of it, or this fails."""
    tables = set(Base.metadata.tables)
    assert tables - set(RULES) == set(), "declare these in app/core/disclosure/audience.py"
    assert set(RULES) - tables == set(), "RULES names tables that do not exist"
    for name, rule in RULES.items():
        columns = set(Base.metadata.tables[name].columns.keys())
        assert rule.private <= columns, (name, rule.private - columns)
        assert rule.rule.strip()


def test_every_model_kind_is_covered() -> None:
    for mapper in Base.registry.mappers:
        assert mapper.local_table.name in RULES, mapper.class_.__name__
        assert inspect(mapper.class_).local_table is not None


class World:
    def __init__(self, vault: Vault) -> None:
        r = self.r = Records(vault)
        self.case = r.create("case", title="Valley talks")
        self.a = r.create("party", case_id=self.case, name="Side A", kind="government")
        self.b = r.create("party", case_id=self.case, name="Side B", kind="armed_group")
        self.pa = r.create("person", name="Ana Vel", codename="WREN")
        self.pb = r.create("person", name="Boris Tal")
        r.create("affiliation", person_id=self.pa, party_id=self.a, capacity="official")
        r.create("affiliation", person_id=self.pb, party_id=self.b, capacity="official")

    def msg(self, sender: int, level: str, **kw: Any) -> int:
        return self.r.create(
            "message",
            case_id=self.case,
            sender_party_id=sender,
            said_at=kw.pop("said_at", T0),
            disclosure=level,
            summary=kw.pop("summary", f"{level} words"),
            **kw,
        )

    def option(self, title: str, **kw: Any) -> int:
        return self.r.create("option", case_id=self.case, title=title, **kw)


@pytest.fixture
def world(vault: Vault) -> World:
    return World(vault)


def test_a_confidence_reaches_nobody_not_even_its_own_side(vault: Vault, world: World) -> None:
    secret = world.msg(world.a, "confidential")
    for party in (world.a, world.b):
        assert audience_for(vault, world.case, party).message(secret) is Sight.NONE
    own = audience_for(vault, world.case, world.a, include_own=True)
    assert own.message(secret) is Sight.FULL and own.is_own_statement(secret)
    assert audience_for(vault, world.case, world.b, include_own=True).message(secret) is Sight.NONE


def test_an_option_takes_the_strictest_origin_of_its_lineage(vault: Vault, world: World) -> None:
    secret = world.msg(world.a, "confidential")
    anon = world.msg(world.a, "unattributed")
    hidden = world.option("From a confidence", raised_in_message_id=secret)
    quiet = world.option("From an unattributed line", raised_in_message_id=anon)
    open_ = world.option("Raised openly")
    refined = option_service.refine_option(vault, quiet, title="Refined")
    parts = option_service.split_option(vault, hidden, [("Part one", ""), ("Part two", "")])
    merged = option_service.merge_options(vault, [open_, parts[0]], title="Package")
    b = audience_for(vault, world.case, world.b)
    assert b.option(open_) is Sight.FULL
    assert b.option(refined) is Sight.ANONYMOUS  # its raiser may not be named
    assert all(b.option(p) is Sight.NONE for p in parts)
    assert b.option(merged) is Sight.NONE  # one hidden parent hides the merge
    assert b.option_link(merged, open_) is Sight.NONE
    assert audience_for(vault, world.case, None).option(merged) is Sight.FULL


def test_a_profile_entry_takes_its_sources(vault: Vault, world: World) -> None:
    secret_of_b = world.msg(world.b, "confidential")
    r = world.r
    from_b = r.create(
        "profile_entry",
        party_id=world.a,
        kind="fear",
        text="fear learnt from B",
        recorded_on=date(2026, 3, 2),
        source_message_id=secret_of_b,
    )
    sess = session_service.plan_session(
        vault,
        case_id=world.case,
        template=next(iter(session_service.TEMPLATES)),
        title="B alone",
        participants=[(world.pb, world.b, Capacity.OFFICIAL)],
    )
    note = session_service.add_live_note(vault, sess, "interest", "B's interest", party_id=world.b)
    promoted = session_service.promote_to_profile(vault, note, party_id=world.a)
    plain = r.create(
        "profile_entry", party_id=world.a, kind="need", text="plain", recorded_on=date(2026, 3, 2)
    )
    a = audience_for(vault, world.case, world.a)
    entries = {e: r.get("profile_entry", e) for e in (from_b, promoted, plain)}
    seen = {
        e: a.profile_entry(v["party_id"], v["source_message_id"], v["source_session_id"])
        for e, v in entries.items()
    }
    assert seen == {from_b: Sight.NONE, promoted: Sight.NONE, plain: Sight.FULL}
    b = audience_for(vault, world.case, world.b)
    assert b.profile_entry(world.a, None, None) is Sight.NONE  # another side's profile


def test_in_reply_to_is_shown_only_between_two_named_ends(vault: Vault, world: World) -> None:
    anon = world.msg(world.a, "unattributed", recipient_party_id=world.b)
    reply = world.msg(
        world.b, "shareable", recipient_party_id=world.a, in_reply_to_id=anon,
        said_at=T0 + timedelta(days=1),
    )  # fmt: skip
    shared = world.msg(world.a, "shareable")
    answer = world.msg(world.b, "shareable", in_reply_to_id=shared, said_at=T0 + timedelta(1))
    third = audience_for(vault, world.case, world.b)
    assert third.message(reply) is Sight.FULL and not third.reply_link(reply)
    assert third.reply_link(answer)
    assert audience_for(vault, world.case, None).reply_link(reply)


def test_codenames_and_pseudonyms(vault: Vault, world: World) -> None:
    view = audience_for(vault, world.case, world.a, codenames=True)
    assert view.person_name(world.pa) == "WREN"
    assert view.person_name(world.pb) not in ("", "Boris Tal")
    assert "Boris" not in view.text("Met BORIS and Ana  Vel")
    assert "WREN" in view.text("Met BORIS and Ana  Vel")
