"""Shuttle diplomacy in the GUI: record a round of exchanges, a refused delivery with its
reason, a release (audited), the ledger and the who-knows-what matrix, pending deliveries
and a thread — through the Shuttle Log section (app.gui.sections.shuttle_log)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QTableView, QWidget
from sqlalchemy import select

from app.core.models import AuditEntry
from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.sections.shuttle_dialogs import DeliverDialog, ReleaseDialog
from app.gui.sections.shuttle_log import ShuttleLogSection
from tests.gui.conftest import answer_dialog, hosted

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def round_of_exchanges(vault: Vault) -> dict[str, int]:
    r = Records(vault)
    ids = {"case": r.create("case", title="Ferry talks")}
    ids["north"] = r.create("party", case_id=ids["case"], name="North Council", kind="government")
    ids["south"] = r.create("party", case_id=ids["case"], name="South Front", kind="armed_group")
    ids["offer"] = r.create(
        "message",
        case_id=ids["case"],
        sender_party_id=ids["north"],
        recipient_party_id=ids["south"],
        said_at=T0,
        summary="Ferry twice a week",
        content="We can run the ferry twice a week.",
        disclosure="shareable",
    )
    ids["secret"] = r.create(
        "message",
        case_id=ids["case"],
        sender_party_id=ids["north"],
        recipient_party_id=ids["south"],
        said_at=T0 + timedelta(hours=1),
        summary="Minister may resign",
        content="The minister may resign next month.",
        disclosure="confidential",
    )
    return ids


@pytest.fixture
def section(
    qtbot: Any, vault: Vault, round_of_exchanges: dict[str, int], styled_app: QApplication
) -> Iterator[ShuttleLogSection]:
    ctx = AppContext(vault)
    ctx.set_case(round_of_exchanges["case"])
    s = ShuttleLogSection(ctx)
    with hosted(qtbot, s, (1280 - 220, 800)):
        s.set_case(round_of_exchanges["case"])
        yield s


def column(view: QTableView, header: str) -> list[str]:
    model = view.model()
    c = next(
        c
        for c in range(model.columnCount())
        if model.headerData(c, Qt.Orientation.Horizontal) == header
    )
    return [str(model.index(r, c).data()) for r in range(model.rowCount())]


def test_violating_delivery_is_refused_with_its_reason_then_released(
    qtbot: Any, section: ShuttleLogSection, round_of_exchanges: dict[str, int]
) -> None:
    ids = round_of_exchanges
    r = Records(section.ctx.vault)

    def refused(w: QWidget) -> None:
        assert isinstance(w, DeliverDialog)
        w.party.setCurrentIndex(w.party.findData(ids["south"]))
        assert w.tick(ids["offer"], name_source=True)
        assert w.tick(ids["secret"])
        assert "confidential" in w.warning.text()  # warned before saving
        w.save()
        assert w.isVisible() and "confidential" in w.warning.text()
        w.reject()

    answer_dialog(refused)
    qtbot.mouseClick(section.findChild(QWidget, "record_delivery"), Qt.MouseButton.LeftButton)
    assert r.find("delivery") == []  # all or nothing

    # Release the confidential message to South Front, then the delivery goes through.
    section.show_page("messages")
    section.messages.select(ids["secret"])

    def release(w: QWidget) -> None:
        assert isinstance(w, ReleaseDialog)
        w.party.setCurrentIndex(w.party.findData(ids["south"]))
        w.by.setText("Mira (mediator)")
        w.reason.setPlainText("The minister's office agreed on the phone.")
        w.save()

    answer_dialog(release)
    qtbot.mouseClick(section.findChild(QWidget, "release_message"), Qt.MouseButton.LeftButton)
    [rel] = r.find("release")
    assert rel["message_id"] == ids["secret"], rel
    assert rel["party_id"] == ids["south"] and rel["released_by"] == "Mira (mediator)"
    with section.ctx.vault.session() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "release")).all()
    assert [a.action.value for a in audit] == ["create"]

    def deliver(w: QWidget) -> None:
        assert isinstance(w, DeliverDialog)
        w.party.setCurrentIndex(w.party.findData(ids["south"]))
        assert w.tick(ids["offer"], name_source=True)
        assert w.tick(ids["secret"])
        w.content.setPlainText("Told them about the ferry, and the minister.")
        assert w.warning.text() == ""
        w.save()

    answer_dialog(deliver)
    qtbot.mouseClick(section.findChild(QWidget, "record_delivery"), Qt.MouseButton.LeftButton)
    [delivery] = r.find("delivery")
    assert delivery["recipient_party_id"] == ids["south"]

    # The ledger and the matrix show it.
    ledger = section.show_page("ledger")
    ledger.party.setCurrentIndex(ledger.party.findData(ids["south"]))
    assert set(column(ledger.view, "Message")) == {"Ferry twice a week", "Minister may resign"}
    assert "(not named)" in column(ledger.view, "Source as conveyed")
    matrix = section.show_page("knows")
    cells = dict(
        zip(column(matrix.view, "Message"), column(matrix.view, "South Front"), strict=True)
    )
    assert cells["Ferry twice a week"] == "told (attributed)"
    assert cells["Minister may resign"] == "told (unattributed)"
    assert set(column(matrix.view, "Disclosure")) == {"shareable", "confidential"}


def test_pending_and_thread(
    qtbot: Any, section: ShuttleLogSection, round_of_exchanges: dict[str, int]
) -> None:
    ids = round_of_exchanges
    r = Records(section.ctx.vault)
    reply = r.create(
        "message",
        case_id=ids["case"],
        sender_party_id=ids["south"],
        recipient_party_id=ids["north"],
        said_at=T0 + timedelta(days=1),
        summary="Only with monitors",
        in_reply_to_id=ids["offer"],
        disclosure="shareable",
    )
    section.ctx.notify("message", reply)
    pending = section.show_page("pending")
    now = dict(zip(column(pending.view, "Message"), column(pending.view, "Now"), strict=True))
    assert now["Ferry twice a week"] == "may be conveyed"
    # Confidential, never released: not something to pass on.
    assert "Minister may resign" not in now
    page = section.show_page("messages")
    pane = page.thread_pane
    pane.toggle.setChecked(False)
    section.messages.select(reply)
    pane.render_now()
    assert pane.model.rowCount() == 0  # not worked out while folded
    qtbot.mouseClick(pane.toggle, Qt.MouseButton.LeftButton)
    pane.render_now()
    assert column(pane.view, "Message") == ["Ferry twice a week", "↳ Only with monitors"]
