"""A party's record of keeping its word, on its page (issue 17): one line above its form,
read from the commitments register, that follows a new outcome."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtWidgets import QApplication

from app.core.models import CommitmentStatus
from app.core.services.commitments import (
    NewCommitment,
    NewOutcome,
    create_commitment,
    record_outcome,
)
from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.sections.generic import ListSection
from tests.gui.conftest import hosted

MADE = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def test_a_party_page_shows_its_record_and_follows_an_outcome(
    qtbot: Any, vault: Vault, styled_app: QApplication
) -> None:
    r = Records(vault)
    case = r.create("case", title="Korvan talks")
    khm = r.create("party", case_id=case, name="KHM", kind="armed_group")
    quiet = r.create("party", case_id=case, name="Elders", kind="community")

    def promise(what: str, due: date) -> int:
        return create_commitment(
            vault, case, NewCommitment(party_id=khm, what=what, made_at=MADE, due_on=due)
        )

    def outcome(cid: int, on: date, status: CommitmentStatus) -> None:
        record_outcome(vault, cid, NewOutcome(on=on, status=status))

    outcome(
        promise("Release the soldiers", date(2026, 2, 1)), date(2026, 1, 30), CommitmentStatus.KEPT
    )
    outcome(
        promise("Open the road", date(2026, 2, 1)), date(2026, 2, 9), CommitmentStatus.KEPT_LATE
    )
    outcome(
        promise("Stop the shelling", date(2026, 2, 1)), date(2026, 2, 2), CommitmentStatus.BROKEN
    )
    pending = promise("Hand over the maps", date(2099, 1, 1))

    ctx = AppContext(vault)
    ctx.set_case(case)
    section = ListSection(ctx, "party")
    with hosted(qtbot, section, (1024 - 220, 700)):
        section.set_case(case)
        assert section.show_record("party", khm)
        line = section.view.detail.record_line
        assert line is not None and line.isVisible()
        assert line.text() == (
            "Commitments: kept 1 of 3 on time (1 kept late, 1 broken, 1 pending)"
        )
        outcome(pending, date(2026, 3, 1), CommitmentStatus.KEPT)
        ctx.notify("commitment_event", None)
        assert line.text() == "Commitments: kept 2 of 4 on time (1 kept late, 1 broken)"
        assert section.show_record("party", quiet)
        assert line.text() == "Commitments: none recorded"
        section.clear()
        assert line.text() == "" and not line.isVisible()


def test_other_kinds_have_no_record_line(
    qtbot: Any, vault: Vault, styled_app: QApplication
) -> None:
    ctx = AppContext(vault)
    section = ListSection(ctx, "note")
    qtbot.addWidget(section)
    assert section.view.detail.record_line is None
