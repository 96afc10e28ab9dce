"""The Shuttle Log section on its own (in a plain QMainWindow): one level of pages, Release…
disabled until a message is selected, a thread that names its message, a who-knows-what
whose first column stays while the party columns scroll, messages logged without a summary
named by their words everywhere, confidential messages that can never travel not shown as
"meant for", and the lists' Qt models (qtmodeltester, on the demo notebook)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QTableView, QTabWidget, QWidget

from app.core.services import shuttle
from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.models.knowledge_matrix import KnowledgeMatrixModel
from app.gui.models.shuttle_rows import (
    LedgerModel,
    PendingModel,
    Source,
    SourcesModel,
    ThreadModel,
)
from app.gui.sections.shuttle_dialogs import DeliverDialog, ReleaseDialog
from app.gui.sections.shuttle_log import PAGES, ShuttleLogSection
from tests.gui.conftest import answer_dialog, hosted

T0 = datetime(2026, 3, 12, 9, 0, tzinfo=UTC)
CAPTURED = "We can run the ferry twice a week. But only with monitors on board."


@pytest.fixture
def ids(vault: Vault) -> dict[str, int]:
    r = Records(vault)
    ids = {"case": r.create("case", title="Ferry talks")}
    case = ids["case"]
    ids["north"] = r.create("party", case_id=case, name="North Council", kind="government")
    ids["south"] = r.create("party", case_id=case, name="South Front", kind="armed_group")
    ids["islands"] = r.create(
        "party", case_id=case, name="Islands Fishermen's Cooperative", kind="civil_society"
    )
    ids["med"] = r.create(
        "party", case_id=case, name="Lakeside Dialogue Initiative", kind="third_party"
    )
    ids["captured"] = r.create(  # logged in a hurry: no summary
        "message",
        case_id=case,
        sender_party_id=ids["north"],
        recipient_party_id=ids["south"],
        said_at=T0,
        content=CAPTURED,
        disclosure="shareable",
    )
    ids["reply"] = r.create(
        "message",
        case_id=case,
        sender_party_id=ids["south"],
        recipient_party_id=ids["north"],
        said_at=T0 + timedelta(days=1),
        summary="Only with monitors",
        in_reply_to_id=ids["captured"],
        disclosure="shareable",
    )
    ids["secret"] = r.create(
        "message",
        case_id=case,
        sender_party_id=ids["north"],
        recipient_party_id=ids["south"],
        said_at=T0 + timedelta(days=2),
        summary="Minister may resign",
        content="The minister may resign next month.",
        disclosure="confidential",
    )
    return ids


@pytest.fixture
def section(
    qtbot: Any, vault: Vault, ids: dict[str, int], styled_app: QApplication
) -> Iterator[ShuttleLogSection]:
    ctx = AppContext(vault)
    ctx.set_case(ids["case"])
    s = ShuttleLogSection(ctx)
    with hosted(qtbot, s, (1280 - 220, 800)):
        s.set_case(ids["case"])
        yield s


def click_tab(qtbot: Any, section: ShuttleLogSection, label: str) -> None:
    bar = section.pages.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == label)
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    assert section.pages.currentIndex() == index


def texts(view: QTableView, column: int) -> list[str]:
    model = view.model()
    return [str(model.index(r, column).data()) for r in range(model.rowCount())]


def click_row(qtbot: Any, view: QTableView, row: int, column: int = 0) -> None:
    rect = view.visualRect(view.model().index(row, column))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


# --- one level of pages -------------------------------------------------------------------


def test_one_level_of_pages_each_named_once(qtbot: Any, section: ShuttleLogSection) -> None:
    labels = [section.pages.tabText(i) for i in range(section.pages.count())]
    assert labels == [
        "Messages",
        "Deliveries",
        "Handovers",
        "Rounds",
        "Who knows what",
        "Ledger",
        "Pending",
    ]
    for label in labels:
        click_tab(qtbot, section, label)
        page = section.pages.currentWidget()
        inner = [t.tabText(i) for t in page.findChildren(QTabWidget) for i in range(t.count())]
        assert label not in inner, f"{label} repeats its name inside itself"
        assert "Thread" not in labels and "Who knows what" not in inner


def test_pages_load_when_first_shown(section: ShuttleLogSection) -> None:
    assert set(section._built) == {"messages"}  # the page in view, nothing else
    section.show_page("knows")
    assert set(section._built) == {"messages", "knows"}
    assert len(PAGES) == 7


# --- Release… -----------------------------------------------------------------------------


def test_release_is_disabled_with_a_tip_until_a_message_is_selected(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    click_tab(qtbot, section, "Who knows what")
    button = section.release_button
    assert not button.isEnabled() and button.toolTip() == "Select a message to release"
    view = section.page("knows").view
    click_row(qtbot, view, 2)  # the confidential one
    assert button.isEnabled()

    def release(w: QWidget) -> None:
        assert isinstance(w, ReleaseDialog)
        assert w.message_id == ids["secret"]
        w.party.setCurrentIndex(w.party.findData(ids["south"]))
        w.by.setText("Mira (mediator)")
        w.reason.setPlainText("The minister's office agreed on the phone.")
        w.save()

    answer_dialog(release)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    [rel] = Records(section.ctx.vault).find("release")
    assert rel["message_id"] == ids["secret"] and rel["party_id"] == ids["south"]
    # Released to South Front, the secret is meant for it now (the page caught up).
    row = texts(view, 0).index("Minister may resign")
    assert view.model().index(row, 4).data() == "meant for, not yet told"


def test_release_names_a_captured_message_by_its_words(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    section.messages.select(ids["captured"])
    seen: list[str] = []

    def look(w: QWidget) -> None:
        assert isinstance(w, ReleaseDialog)
        seen.append(w.findChild(QWidget, "release_about").text())  # type: ignore[union-attr]
        w.reject()

    answer_dialog(look)
    qtbot.mouseClick(section.release_button, Qt.MouseButton.LeftButton)
    assert seen == ["Release “We can run the ferry twice a week.” (shareable)"]


# --- a captured message is named by its words ---------------------------------------------


def test_a_captured_message_is_named_by_its_words_everywhere(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    named = "We can run the ferry twice a week."
    messages = section.messages.list
    summary_col = [c.key for c in messages.model.spec.columns].index("summary")
    assert named in texts(messages.view, summary_col)
    click_tab(qtbot, section, "Pending")
    pending = section.page("pending").view
    assert named in texts(pending, pending.model().columnCount() - 1)
    click_tab(qtbot, section, "Who knows what")
    assert named in texts(section.page("knows").view, 0)
    click_tab(qtbot, section, "Messages")
    section.messages.select(ids["reply"])
    pane = section.page("messages").thread_pane
    pane.render_now()
    thread = texts(pane.view, pane.model.columnCount() - 1)
    assert thread == [named, "↳ Only with monitors"]

    def deliver(w: QWidget) -> None:
        assert isinstance(w, DeliverDialog)
        w.party.setCurrentIndex(w.party.findData(ids["south"]))
        assert named in texts(w.sources, w.model.columnCount() - 1)
        assert w.tick(ids["captured"], name_source=True)
        w.save()

    answer_dialog(deliver)
    qtbot.mouseClick(section.deliver_button, Qt.MouseButton.LeftButton)
    click_tab(qtbot, section, "Ledger")
    ledger = section.page("ledger")
    ledger.party.setCurrentIndex(ledger.party.findData(ids["south"]))
    assert texts(ledger.view, ledger.model.columnCount() - 1) == [named]


def test_the_deliver_dialog_ticks_sources_by_clicking(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    dialog = DeliverDialog(section.ctx, section, party_id=ids["south"])
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    row = texts(dialog.sources, 5).index("Minister may resign")
    index = dialog.model.index(row, 0)
    rect = dialog.sources.visualRect(index)
    box = rect.center()
    box.setX(rect.left() + rect.height() // 2)
    qtbot.mouseClick(dialog.sources.viewport(), Qt.MouseButton.LeftButton, pos=box)
    assert dialog.items() == [(ids["secret"], False)]
    assert "confidential" in dialog.warning.text()  # warned before saving


# --- the thread ---------------------------------------------------------------------------


def test_the_thread_names_its_message(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    pane = section.page("messages").thread_pane
    assert pane.isVisible()
    section.messages.select(ids["reply"])
    qtbot.waitUntil(lambda: pane.model.rowCount() == 2, timeout=3000)
    assert pane.toggle.text().startswith("Thread of “Only with monitors” (13 Mar)")
    assert "2 messages" in pane.toggle.text()
    qtbot.mouseClick(pane.toggle, Qt.MouseButton.LeftButton)  # fold it
    assert not pane.view.isVisible()
    # Double-clicking a message of the thread selects it in the list.
    qtbot.mouseClick(pane.toggle, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: pane.view.isVisible() and pane.view.viewport().height() > 30)
    rect = pane.view.visualRect(pane.view.model().index(0, 0))
    opened: list[int] = []
    pane.open_message.connect(opened.append)
    qtbot.mouseClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(pane.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert opened == [ids["captured"]], opened
    assert section.messages.list.current_id() == ids["captured"]


# --- who knows what -----------------------------------------------------------------------


def test_every_party_column_is_reachable_with_the_message_column_frozen(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    window = section.window()
    window.resize(700, 600)  # too narrow for four party columns
    click_tab(qtbot, section, "Who knows what")
    page = section.page("knows")
    view = page.view
    headers = [
        view.model().headerData(c, Qt.Orientation.Horizontal)
        for c in range(view.model().columnCount())
    ]
    assert headers[3:] == [
        "North Council",
        "South Front",
        "Islands Fishermen's Cooperative",
        "Lakeside Dialogue Initiative",
    ]
    bar = view.horizontalScrollBar()
    assert bar.maximum() > 0  # they do not all fit: the view scrolls
    frozen = view.frozen
    first = frozen.geometry()
    for column in range(3, len(headers)):
        view.scrollTo(view.model().index(0, column))
        x = view.columnViewportPosition(column)
        assert x >= frozen.columnWidth(0) - 1, "hidden under the frozen column"
        assert x + view.columnWidth(column) <= view.viewport().width() + 1
        # The message column is still in view, in the same place.
        assert frozen.isVisible() and frozen.geometry() == first
        assert frozen.columnWidth(0) == view.columnWidth(0) > 100
    bar.setValue(bar.maximum())
    assert frozen.indexAt(frozen.visualRect(frozen.model().index(0, 0)).center()).data() == (
        "We can run the ferry twice a week."
    )


def test_all_party_columns_fit_at_1280(qtbot: Any, section: ShuttleLogSection) -> None:
    click_tab(qtbot, section, "Who knows what")
    view = section.page("knows").view
    assert view.horizontalScrollBar().maximum() == 0


def test_a_confidential_message_for_the_other_side_is_never_meant_for(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    click_tab(qtbot, section, "Who knows what")
    view = section.page("knows").view
    row = texts(view, 0).index("Minister may resign")
    assert view.model().index(row, 4).data() == "confidential, not to be passed"
    click_tab(qtbot, section, "Pending")
    pending = section.page("pending").view
    assert "Minister may resign" not in texts(pending, pending.model().columnCount() - 1)


# --- the lists' order ---------------------------------------------------------------------


def test_lists_open_in_their_own_order(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    # Messages: newest first, the list's own default.
    assert section.messages.list.current_id() is not None
    model = section.messages.list.model
    assert [model.record_id(r) for r in range(model.rowCount())] == [
        ids["secret"],
        ids["reply"],
        ids["captured"],
    ]
    # The knowledge tables: the core's order (as said; pending deliveries first), unsorted.
    click_tab(qtbot, section, "Who knows what")
    view = section.page("knows").view
    assert view.horizontalHeader().sortIndicatorSection() == -1
    assert texts(view, 0)[0] == "We can run the ferry twice a week."
    click_tab(qtbot, section, "Pending")
    pending = section.page("pending").view
    assert pending.horizontalHeader().sortIndicatorSection() == -1
    said = texts(pending, 1)
    assert said == sorted(said)


# --- the protocol -------------------------------------------------------------------------


def test_show_record_current_new_and_delete_act_on_the_page_in_view(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int], messages: list[str]
) -> None:
    assert section.show_record("message", ids["reply"])
    assert section.current() == ("message", ids["reply"])
    rid = Records(section.ctx.vault).create(
        "release",
        message_id=ids["secret"],
        party_id=ids["south"],
        released_by="Mira",
        reason="agreed",
    )
    assert section.show_record("release", rid)  # through its message
    assert section.current() == ("message", ids["secret"])
    assert not section.show_record("session", 1)
    click_tab(qtbot, section, "Rounds")
    seen: list[str] = []

    def cancel(w: QWidget) -> None:
        seen.append(w.windowTitle())
        w.close()

    answer_dialog(cancel)
    section.new_record()  # a new round (cancelled)
    assert seen == ["New round"]
    section.delete_record()  # nothing selected: nothing happens
    section.clear()
    assert section.current() is None or section.page("rounds").view.list.model.rowCount() == 0
    assert section.page("messages").thread_pane.model.rowCount() == 0


# --- the models ---------------------------------------------------------------------------


def test_the_models_pass_qtmodeltester_on_the_demo(
    qtmodeltester: Any, vault: Vault, demo_case: int, styled_app: QApplication
) -> None:
    pending = PendingModel()
    pending.set_rows(shuttle.pending_deliveries(vault, demo_case))
    assert pending.rowCount() > 0
    qtmodeltester.check(pending)
    matrix = KnowledgeMatrixModel()
    matrix.set_matrix(shuttle.knowledge_matrix(vault, demo_case))
    assert matrix.rowCount() > 0 and matrix.columnCount() > 3
    qtmodeltester.check(matrix)
    ledger = LedgerModel()
    party = Records(vault).find("party", case_id=demo_case, order_by="id")[1]["id"]
    ledger.set_rows(shuttle.ledger(vault, party))
    assert ledger.rowCount() > 0
    qtmodeltester.check(ledger)
    longest = max(
        (
            shuttle.thread(vault, r.message_id)
            for r in shuttle.knowledge_matrix(vault, demo_case).rows
        ),
        key=len,
    )
    thread = ThreadModel()
    thread.set_rows(longest)
    assert thread.rowCount() > 2
    qtmodeltester.check(thread)
    sources = SourcesModel()
    sources.set_rows(
        [
            Source(r.message_id, r.said_at, "", r.disclosure, r.summary, False)
            for r in shuttle.knowledge_matrix(vault, demo_case).rows
        ]
    )
    first = sources.rows()[0].message_id
    assert sources.tick(first, convey=True, name=True) and sources.items() == [(first, True)]
    assert sources.setData(
        sources.index(0, 0), Qt.CheckState.Unchecked.value, Qt.ItemDataRole.CheckStateRole
    )
    assert sources.items() == []
    qtmodeltester.check(sources)
    assert not sources.index(0, 0).parent().isValid() and QModelIndex().row() == -1


def test_clear_leaves_no_name_in_any_widget(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    """On lock: every page seen, then cleared, holds no party name or summary anywhere."""
    for label in ("Messages", "Deliveries", "Rounds", "Who knows what", "Ledger", "Pending"):
        click_tab(qtbot, section, label)
    section.page("ledger").party.setCurrentIndex(2)  # told nothing yet: named in the page
    section.clear()
    secrets = ("North Council", "South Front", "Islands Fishermen", "Minister may resign", "ferry")
    for w in [section, *section.findChildren(QWidget)]:
        texts = [w.toolTip()]
        if hasattr(w, "text") and callable(w.text):
            texts.append(str(w.text()))
        if isinstance(w, QTableView) and w.model() is not None:
            model = w.model()
            texts += [
                str(model.headerData(c, Qt.Orientation.Horizontal))
                for c in range(model.columnCount())
            ]
            assert model.rowCount() == 0, w.objectName()
        for text in texts:
            assert not any(s in text for s in secrets), (w.objectName(), text)
