"""Shuttle diplomacy in the GUI: record a round of exchanges, a refused delivery with its
reason, a release (audited), the ledger and the who-knows-what matrix."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QWidget
from sqlalchemy import select

from app.core.models import AuditEntry
from app.core.services.records import Records
from app.gui.main_window import MainWindow
from app.gui.views.shuttle import DeliverDialog, ReleaseDialog
from tests.gui.conftest import answer_dialog

T0 = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def round_of_exchanges(window: MainWindow) -> dict[str, int]:
    r = Records(window.vault)
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
    window.load()
    return ids


def tick(dialog: DeliverDialog, message_summary: str, name_source: bool) -> None:
    for row in range(dialog.sources.rowCount()):
        if dialog.sources.item(row, 5).text() == message_summary:
            convey = dialog.sources.cellWidget(row, 0)
            name = dialog.sources.cellWidget(row, 1)
            assert isinstance(convey, QCheckBox) and isinstance(name, QCheckBox)
            convey.setChecked(True)
            name.setChecked(name_source)
            return
    raise AssertionError(f"{message_summary} is not offered as a source")


def test_violating_delivery_is_refused_with_its_reason_then_released(
    qtbot: Any, window: MainWindow, round_of_exchanges: dict[str, int]
) -> None:
    ids = round_of_exchanges
    r = Records(window.vault)

    def refused(w: QWidget) -> None:
        assert isinstance(w, DeliverDialog)
        w.party.setCurrentIndex(w.party.findData(ids["south"]))
        tick(w, "Ferry twice a week", True)
        tick(w, "Minister may resign", False)
        assert "confidential" in w.warning.text()  # warned before saving
        w.save()
        assert w.isVisible() and "confidential" in w.warning.text()
        w.reject()

    answer_dialog(refused)
    qtbot.mouseClick(window.findChild(QWidget, "record_delivery"), Qt.MouseButton.LeftButton)
    assert r.find("delivery") == []  # all or nothing

    # Release the confidential message to South Front, then the delivery goes through.
    window.show_section("messages")
    window.messages.select(ids["secret"])

    def release(w: QWidget) -> None:
        assert isinstance(w, ReleaseDialog)
        w.party.setCurrentIndex(w.party.findData(ids["south"]))
        w.by.setText("Mira (mediator)")
        w.reason.setPlainText("The minister's office agreed on the phone.")
        w.save()

    answer_dialog(release)
    qtbot.mouseClick(window.findChild(QWidget, "release_message"), Qt.MouseButton.LeftButton)
    [rel] = r.find("release")
    assert rel["message_id"] == ids["secret"], rel
    assert rel["party_id"] == ids["south"] and rel["released_by"] == "Mira (mediator)"
    with window.vault.session() as s:
        audit = s.scalars(select(AuditEntry).where(AuditEntry.record_kind == "release")).all()
    assert [a.action.value for a in audit] == ["create"]

    def deliver(w: QWidget) -> None:
        assert isinstance(w, DeliverDialog)
        w.party.setCurrentIndex(w.party.findData(ids["south"]))
        tick(w, "Ferry twice a week", True)
        tick(w, "Minister may resign", False)
        w.content.setPlainText("Told them about the ferry, and the minister.")
        assert w.warning.text() == ""
        w.save()

    answer_dialog(deliver)
    qtbot.mouseClick(window.findChild(QWidget, "record_delivery"), Qt.MouseButton.LeftButton)
    [delivery] = r.find("delivery")
    assert delivery["recipient_party_id"] == ids["south"]

    # The ledger and the matrix show it.
    window.show_section("messages")
    window.shuttle_tabs.setCurrentWidget(window.knowledge)
    k = window.knowledge
    k.ledger_party.setCurrentIndex(k.ledger_party.findData(ids["south"]))
    told = {k.ledger.item(i, 4).text() for i in range(k.ledger.rowCount())}
    assert told == {"Ferry twice a week", "Minister may resign"}
    sources = {k.ledger.item(i, 2).text() for i in range(k.ledger.rowCount())}
    assert "(not named)" in sources
    headers = [k.matrix.horizontalHeaderItem(c).text() for c in range(k.matrix.columnCount())]
    south = headers.index("South Front")
    cells = {
        k.matrix.item(i, 2).text(): k.matrix.item(i, south).text()
        for i in range(k.matrix.rowCount())
    }
    assert cells["Ferry twice a week"] == "told (attributed)"
    assert cells["Minister may resign"] == "told (unattributed)"
    assert k.matrix.item(0, 1).text() in ("shareable", "confidential")


def test_pending_and_thread(
    qtbot: Any, window: MainWindow, round_of_exchanges: dict[str, int]
) -> None:
    ids = round_of_exchanges
    r = Records(window.vault)
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
    window.show_section("messages")
    window.shuttle_tabs.setCurrentWidget(window.knowledge)
    k = window.knowledge
    pending = {
        k.pending.item(i, 4).text(): k.pending.item(i, 5).text()
        for i in range(k.pending.rowCount())
    }
    assert pending["Ferry twice a week"] == "may be conveyed"
    assert pending["Minister may resign"] != "may be conveyed"
    window.messages.select(reply)
    assert k.thread.rowCount() == 0  # not worked out while another tab is in front
    k.tabs.setCurrentWidget(k.thread)
    summaries = [k.thread.item(i, 5).text() for i in range(k.thread.rowCount())]
    assert summaries == ["Ferry twice a week", "Only with monitors"]
