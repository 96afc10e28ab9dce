"""The table of record kinds: where a record is shown."""

from __future__ import annotations

from typing import Any

from app.core.errors import NotFound
from app.gui.kinds import listed_record


def _get(records: dict[tuple[str, int], dict[str, Any]]) -> Any:
    def get(kind: str, record_id: int) -> dict[str, Any]:
        if (kind, record_id) not in records:
            raise NotFound(f"no {kind} {record_id}")
        return records[(kind, record_id)]

    return get


def test_a_record_is_shown_where_its_kind_or_its_parent_is_listed() -> None:
    get = _get({("agenda_item", 7): {"session_id": 3}, ("release", 2): {"message_id": 9}})
    assert listed_record("session", 3, get) == ("session", 3)
    assert listed_record("agenda_item", 7, get) == ("session", 3)
    assert listed_record("release", 2, get) == ("message", 9)
    assert listed_record("tag", 1, get) is None  # shown nowhere of its own


def test_a_record_that_is_gone_is_shown_nowhere() -> None:
    assert listed_record("agenda_item", 8, _get({})) is None


def test_every_reference_field_can_offer_what_it_points_at(vault: Any) -> None:
    """A form's reference combo (the generic record editor) for a commitment's condition or a
    handover's audience offers the case's commitments and outside audiences."""
    from datetime import UTC, datetime

    from app.core.services.choices import choices
    from app.core.services.commitments import NewCommitment, create_commitment
    from app.core.services.handovers import create_outsider
    from app.core.services.records import Records
    from app.gui.kinds import KINDS

    r = Records(vault)
    case = r.create("case", title="Korvan talks")
    front = r.create("party", case_id=case, name="Front", kind="armed_group")
    refs = {f.ref for k in KINDS.values() for f in k.fields if f.ref}
    for kind in sorted(refs):
        choices(vault, kind, case)  # raises for a kind it does not know
    at = datetime(2026, 3, 1, tzinfo=UTC)
    create_commitment(vault, case, NewCommitment(front, "Release twelve soldiers", at))
    create_outsider(vault, case, "Envoy Marra", organisation="Sponsor")
    assert [label for _, label in choices(vault, "commitment", case)] == [
        "Front: Release twelve soldiers"
    ]
    assert [label for _, label in choices(vault, "outsider", case)] == ["Envoy Marra (Sponsor)"]
