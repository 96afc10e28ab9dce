"""The data the knowledge views' paging tests run on: a generated case of 700 messages
(``generate_scale``) plus ties in every key the views sort by — messages said at the same
moment, deliveries made at the same moment with several sources each, a source told twice,
releases, a reply — and "now" set where some embargoes hold and some are over. Shared by
test_knowledge_oracle.py and test_knowledge_pages.py (import ``scale``, a fixture)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from app.core.demo import generate_scale
from app.core.models import Case, Message, Party, PartyKind
from app.core.services.knowledge import Knowledge, knowledge_matrix, ledger
from app.core.services.pending import PendingKind, pending_deliveries
from app.core.services.records import Records
from app.core.services.shuttle import record_delivery, release
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

# --- the data: a scale case, and ties in every sort key ------------------------------------


@dataclass(frozen=True)
class Scale:
    vault: Vault
    case: int
    parties: tuple[int, ...]  # government, movement, civic forum, facilitators
    at: datetime  # "now" for the views: some embargoes over, some not
    ties: dict[str, int]


def add_ties(vault: Vault, case_id: int) -> tuple[datetime, dict[str, int]]:
    """Messages said at the same moment, deliveries made at the same moment (several
    sources each, one source told twice), a release, a reply: ties in each view's key."""
    r = Records(vault)
    with vault.session() as s:
        said = sorted(s.scalars(select(Message.said_at).where(Message.case_id == case_id)))
        parties = {
            PartyKind(kind): pid
            for pid, kind in s.execute(
                select(Party.id, Party.kind).where(Party.case_id == case_id).order_by(Party.id)
            )
        }
    gov = parties[PartyKind.GOVERNMENT]
    mov = parties.get(PartyKind.ARMED_GROUP) or parties[PartyKind.POLITICAL_MOVEMENT]
    civ = parties[PartyKind.CIVIL_SOCIETY]
    t = said[len(said) // 2]  # the same moment as a generated message: a tie with it too

    def msg(name: str, sender: int, to: int, level: str, **kw: Any) -> int:
        return r.create(
            "message",
            case_id=case_id,
            sender_party_id=sender,
            recipient_party_id=to,
            said_at=kw.pop("at", t),
            disclosure=level,
            summary=f"Tie {name}",
            **kw,
        )

    ids = {
        "a": msg("a", gov, mov, "shareable"),
        "b": msg("b", gov, mov, "unattributed"),
        "c": msg("c", mov, gov, "confidential"),  # withheld from gov
        "d": msg("d", mov, gov, "confidential"),  # released to gov: pending for it
        "e": msg("e", civ, mov, "embargoed", embargo_until=t + timedelta(days=365)),
        "f": msg("f", gov, mov, "shareable"),
        "g": msg("g", mov, gov, "confidential"),  # released, then told
    }
    for key in ("d", "g"):
        release(
            vault,
            message_id=ids[key],
            party_id=gov,
            released_by="Mira",
            reason="agreed by phone",
            released_at=t + timedelta(hours=1),
        )
    d = t + timedelta(days=2)

    def deliver(to: int, at: datetime, *items: tuple[int, bool]) -> int:
        return record_delivery(
            vault, case_id=case_id, recipient_party_id=to, delivered_at=at, items=list(items)
        )

    ids["d1"] = deliver(mov, d, (ids["a"], True), (ids["b"], False))
    ids["d2"] = deliver(mov, d, (ids["f"], False))
    ids["d3"] = deliver(mov, d + timedelta(days=1), (ids["a"], False))  # told again
    ids["d4"] = deliver(gov, d, (ids["g"], False))
    ids["reply"] = msg(
        "reply", mov, gov, "shareable", at=d + timedelta(days=2), in_reply_to_id=ids["b"]
    )
    return d + timedelta(days=5), ids


def build_scale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scale]:
    """For a module-scoped fixture: ``yield from build_scale(tmp_path_factory)``."""
    path = Path(tmp_path_factory.mktemp("knowledge")) / "scale.liaison"
    vault = Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF)
    generate_scale(vault, messages=700, cases=1)
    with vault.session() as s:
        case_id = s.scalars(select(Case.id)).one()
        parties = tuple(
            s.scalars(select(Party.id).where(Party.case_id == case_id).order_by(Party.id))
        )
    at, ties = add_ties(vault, case_id)
    yield Scale(vault, case_id, parties, at, ties)
    vault.lock()


@pytest.fixture(scope="module")
def scale(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scale]:
    yield from build_scale(tmp_path_factory)


# --- the data itself -------------------------------------------------------------------


def test_the_data_has_ties_both_groups_and_every_cell(scale: Scale) -> None:
    old = pending_deliveries(scale.vault, scale.case, at=scale.at)
    kinds = {p.kind for p in old}
    assert kinds == {PendingKind.DELIVER, PendingKind.REPLY_AWAITED}
    assert any(not p.deliverable for p in old)  # an embargo still holds
    said = [p.said_at for p in old if p.kind is PendingKind.DELIVER]
    assert len(said) != len(set(said))  # ties in said_at
    told = [p.delivered_at for p in old if p.kind is PendingKind.REPLY_AWAITED]
    assert len(told) != len(set(told))  # ties in delivered_at
    cells = {
        c for r in knowledge_matrix(scale.vault, scale.case, at=scale.at).rows for c in r.cells
    }
    assert cells == set(Knowledge)
    entries = ledger(scale.vault, scale.parties[1])
    assert len({e.delivery_id for e in entries}) < len(entries)  # several sources a delivery
    assert any(e.release_id for e in ledger(scale.vault, scale.parties[0]))
