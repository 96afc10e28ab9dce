"""The Shuttle Log's Handovers page (issue 17): the New handover dialog asks the rule before
it saves (a shareable option goes up; an option from a confidential message is refused,
with its sentence beside it, and nothing is saved), undo and redo bring the very same
handover back, Del deletes it (Ctrl+Z undoes), a search hit of a handover, its item or an
audience opens the page there, and the page's Qt models pass the model tester."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from app.core.services.handovers import (
    NewHandoverItem,
    create_handover,
    create_outsider,
    handovers_of,
    outsiders_of,
)
from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.main_window import MainWindow
from app.gui.models.handovers import (
    DRAFT_VERDICT,
    DraftItemsModel,
    HandoverItemsModel,
    HandoversModel,
    OutsidersModel,
)
from app.gui.sections.handover_dialogs import NEW_AUDIENCE, NewHandoverDialog
from app.gui.sections.handovers_page import HandoversPage
from app.gui.sections.record_list import RecordDialog
from app.gui.sections.shuttle_log import ShuttleLogSection
from tests.gui.conftest import answer_dialog, hosted

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LATER = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def ids(vault: Vault) -> dict[str, int]:
    r = Records(vault)
    ids = {"case": r.create("case", title="Korvan talks")}
    case = ids["case"]
    ids["gov"] = r.create("party", case_id=case, name="Government", kind="government")
    ids["front"] = r.create("party", case_id=case, name="Front", kind="armed_group")
    for level in ("shareable", "unattributed", "confidential"):
        ids[level] = r.create(
            "message",
            case_id=case,
            sender_party_id=ids["front"],
            said_at=T0,
            disclosure=level,
            summary=f"A {level} line",
        )
        ids[f"option_{level}"] = r.create(
            "option",
            case_id=case,
            title=f"Option from a {level} line",
            raised_in_message_id=ids[level],
        )
    ids["envoy"] = create_outsider(vault, case, "Envoy Marra", organisation="Sponsor Group")
    return ids


@pytest.fixture
def section(
    qtbot: Any, vault: Vault, ids: dict[str, int], styled_app: QApplication
) -> Iterator[ShuttleLogSection]:
    ctx = AppContext(vault)
    ctx.set_case(ids["case"])
    s = ShuttleLogSection(ctx)
    with hosted(qtbot, s, (1024 - 220, 700)):
        s.set_case(ids["case"])
        yield s


def handovers_page(qtbot: Any, section: ShuttleLogSection) -> HandoversPage:
    bar = section.pages.tabBar()
    index = next(i for i in range(bar.count()) if bar.tabText(i) == "Handovers")
    qtbot.mouseClick(bar, Qt.MouseButton.LeftButton, pos=bar.tabRect(index).center())
    page = section.current_page()
    assert isinstance(page, HandoversPage)
    return page


def pick_option(dialog: NewHandoverDialog, qtbot: Any, option_id: int) -> None:
    dialog.add_kind.setCurrentIndex(dialog.add_kind.findData("option"))
    dialog.option.setCurrentIndex(dialog.option.findData(option_id))
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)


def hand_over(vault: Vault, ids: dict[str, int], level: str = "shareable") -> int:
    return create_handover(
        vault,
        ids["case"],
        ids["envoy"],
        LATER,
        [NewHandoverItem(option_id=ids[f"option_{level}"])],
        note="Over coffee",
    )


# --- the New handover dialog ---------------------------------------------------------------


def test_a_shareable_option_is_handed_over_and_listed(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    page = handovers_page(qtbot, section)
    assert page.model.rowCount() == 0 and page.list_empty.isVisible()

    def fill(w: QWidget) -> None:
        assert isinstance(w, NewHandoverDialog)
        assert not w.save_button.isEnabled()  # nothing handed over yet
        w.outsider.setCurrentIndex(w.outsider.findData(ids["envoy"]))
        assert not w.sources_named.isChecked()  # sources unnamed unless asked
        pick_option(w, qtbot, ids["option_shareable"])
        assert w.model.rowCount() == 1
        assert w.model.index(0, DRAFT_VERDICT).data() == "yes"
        assert w.save_button.isEnabled() and w.verdict.text() == ""
        w.note.setPlainText("Handed over at the embassy")
        qtbot.mouseClick(w.save_button, Qt.MouseButton.LeftButton)

    answer_dialog(fill)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    [row] = handovers_of(section.ctx.vault, ids["case"])
    assert [i.record_id for i in row.items] == [ids["option_shareable"]]
    assert page.model.rowCount() == 1 and not page.list_empty.isVisible()
    assert page.model.index(0, 1).data() == "Envoy Marra (Sponsor Group)"
    assert page.model.index(0, 3).data() == "unnamed"
    assert page.model.index(0, 4).data() == "1 item: Option from a shareable line"
    assert page.current() == ("handover", row.id)
    # The detail shows the item with its kind, and the note.
    detail = page.detail
    assert detail.model.index(0, 0).data() == "Option"
    assert detail.model.index(0, 1).data() == "Option from a shareable line"
    assert detail.note.text() == "Handed over at the embassy"
    assert detail.head.text() == "To Envoy Marra"
    assert detail.organisation.text() == "Sponsor Group"
    assert "through you, directly · sources named: no" in detail.facts.text()


def test_a_confidence_is_refused_beside_its_item_and_nothing_is_saved(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    page = handovers_page(qtbot, section)
    seen: dict[str, Any] = {}

    def fill(w: QWidget) -> None:
        assert isinstance(w, NewHandoverDialog)
        w.note.setPlainText("What I typed")
        pick_option(w, qtbot, ids["option_shareable"])
        pick_option(w, qtbot, ids["option_confidential"])
        seen["verdict"] = w.model.index(1, DRAFT_VERDICT).data()
        seen["first"] = w.model.index(0, DRAFT_VERDICT).data()
        seen["save"] = w.save_button.isEnabled()
        seen["summary"] = w.verdict.text()
        w.save()  # refused: the dialog stays, with everything typed
        seen["open"] = w.isVisible()
        seen["note"] = w.note.toPlainText()
        # Naming sources refuses the unattributed one too; unticked, it may go again.
        w.items.setCurrentIndex(w.model.index(1, 0))
        qtbot.keyClick(w.items, Qt.Key.Key_Delete)
        pick_option(w, qtbot, ids["option_unattributed"])
        w.sources_named.setChecked(True)
        seen["named"] = w.model.index(1, DRAFT_VERDICT).data()
        w.sources_named.setChecked(False)
        seen["unnamed_ok"] = w.save_button.isEnabled()
        w.reject()

    answer_dialog(fill)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert "cannot go to Envoy Marra" in seen["verdict"]
    assert seen["first"] == "yes"
    assert seen["save"] is False and seen["summary"].startswith("One item may not go")
    assert seen["open"] is True and seen["note"] == "What I typed"
    assert "only without naming its source" in seen["named"]
    assert seen["unnamed_ok"] is True
    assert handovers_of(section.ctx.vault, ids["case"]) == []
    assert page.model.rowCount() == 0


def test_a_new_outside_audience_from_the_dialog(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    page = handovers_page(qtbot, section)
    chosen: list[str] = []

    def audience(w: QWidget) -> None:
        assert isinstance(w, RecordDialog)
        w.form.editor("name").setText("Deputy Minister Okafor")  # type: ignore[attr-defined]
        w.form.editor("organisation").setText("Ministry of Foreign Affairs")  # type: ignore[attr-defined]
        w.accept()

    def fill(w: QWidget) -> None:
        assert isinstance(w, NewHandoverDialog)
        answer_dialog(audience, not_this=w)
        w.outsider.setCurrentIndex(w.outsider.findData(NEW_AUDIENCE))
        chosen.append(w.outsider.currentText())
        w.reject()

    answer_dialog(fill)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    assert chosen and chosen[0].startswith("Deputy Minister Okafor (Ministry of Foreign Affairs)")
    names = [o.name for o in outsiders_of(section.ctx.vault, ids["case"])]
    assert names == ["Deputy Minister Okafor", "Envoy Marra"]
    assert page.outsiders.rowCount() == 2
    section.ctx.undo_stack.undo()  # the audience goes again
    assert [o.name for o in outsiders_of(section.ctx.vault, ids["case"])] == ["Envoy Marra"]


# --- undo, redo, Del -----------------------------------------------------------------------


def test_undo_removes_a_handover_and_redo_brings_the_same_one_back(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    page = handovers_page(qtbot, section)

    def fill(w: QWidget) -> None:
        assert isinstance(w, NewHandoverDialog)
        pick_option(w, qtbot, ids["option_unattributed"])
        w.save()

    answer_dialog(fill)
    qtbot.mouseClick(page.new_button, Qt.MouseButton.LeftButton)
    [made] = handovers_of(section.ctx.vault, ids["case"])
    stack = section.ctx.undo_stack
    assert stack.undoText() == "New handover"
    stack.undo()
    assert handovers_of(section.ctx.vault, ids["case"]) == []
    assert page.model.rowCount() == 0
    stack.redo()
    [back] = handovers_of(section.ctx.vault, ids["case"])
    assert back.id == made.id and back.items[0].record_id == ids["option_unattributed"]
    assert page.model.rowCount() == 1 and page.current_id() == made.id


def test_del_deletes_the_selected_handover_and_undo_brings_it_back(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int], messages: list[str]
) -> None:
    hid = hand_over(section.ctx.vault, ids)
    page = handovers_page(qtbot, section)
    assert page.current_id() == hid
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Delete)  # (asks first: the fixture says Yes)
    assert handovers_of(section.ctx.vault, ids["case"]) == []
    assert page.model.rowCount() == 0 and page.detail.stack.currentIndex() == 0
    section.ctx.undo_stack.undo()
    [back] = handovers_of(section.ctx.vault, ids["case"])
    assert back.id == hid and back.note == "Over coffee"
    assert page.model.rowCount() == 1


def test_enter_goes_to_the_items_and_enter_on_an_item_opens_it(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    hand_over(section.ctx.vault, ids)
    page = handovers_page(qtbot, section)
    page.table.setFocus()
    qtbot.keyClick(page.table, Qt.Key.Key_Return)
    items = page.detail.items
    assert items.hasFocus() and items.currentIndex().row() == 0
    with qtbot.waitSignal(section.ctx.open_record) as opened:
        qtbot.keyClick(items, Qt.Key.Key_Return)
    assert opened.args == ["option", ids["option_shareable"], ids["case"]]


def test_an_audience_given_something_cannot_be_deleted(
    qtbot: Any, section: ShuttleLogSection, ids: dict[str, int]
) -> None:
    hand_over(section.ctx.vault, ids)
    page = handovers_page(qtbot, section)
    said: list[str] = []
    section.ctx.error_handler = said.append
    assert page.select_outsider(ids["envoy"])
    assert page.current() == ("outsider", ids["envoy"])
    qtbot.keyClick(page.audiences, Qt.Key.Key_Delete)
    assert said and "was given 1 handover" in said[0]
    assert page.outsiders.rowCount() == 1


# --- search hits open the page ---------------------------------------------------------------


def test_a_handover_its_item_and_an_audience_open_on_the_page(
    qtbot: Any, window: MainWindow, vault: Vault, ids: dict[str, int]
) -> None:
    hid = hand_over(vault, ids)
    other = create_outsider(vault, ids["case"], "Ambassador Lind")
    [item] = Records(vault).find("handover_item", handover_id=hid)
    window.load()
    ctx = window.ctx
    ctx.open_record.emit("handover_item", item["id"], ids["case"])
    shuttle = window.section_in_view()
    assert isinstance(shuttle, ShuttleLogSection)
    assert shuttle.current_key() == "handovers"
    page = shuttle.current_page()
    assert page.current_id() == hid
    ctx.open_record.emit("outsider", other, ids["case"])
    assert page.current_outsider() == other and page.audiences.hasFocus()
    assert window.section_in_view().current() == ("outsider", other)  # type: ignore[union-attr]
    # Ctrl+Shift+H on the page, and Ctrl+N (New item) there, open the New handover dialog.
    opened: list[str] = []

    def cancel(w: QWidget) -> None:
        opened.append(type(w).__name__)
        w.close()

    for keys in (
        (Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier),
        (Qt.Key.Key_H, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier),
    ):
        window.activateWindow()  # (offscreen, a closed dialog stays the active window)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
        answer_dialog(cancel)
        qtbot.keyClick(page.table, *keys)
    assert opened == ["NewHandoverDialog", "NewHandoverDialog"]


# --- the models ------------------------------------------------------------------------------


def test_the_models_pass_the_model_tester(
    qtmodeltester: Any, vault: Vault, ids: dict[str, int]
) -> None:
    hand_over(vault, ids)
    rows = handovers_of(vault, ids["case"])
    outsiders = outsiders_of(vault, ids["case"])
    handovers = HandoversModel()
    handovers.set_handovers(rows, outsiders)
    items = HandoverItemsModel()
    items.set_rows(list(rows[0].items))
    audiences = OutsidersModel()
    audiences.set_rows(outsiders)
    for model in (handovers, items, audiences):
        qtmodeltester.check(model)
    assert audiences.index(0, 3).data() == "1"
    drafts = DraftItemsModel()
    qtmodeltester.check(drafts)
    from app.gui.models.handovers import DraftItem

    drafts.add(DraftItem("option", "x", NewHandoverItem(option_id=ids["option_shareable"])))
    assert not drafts.add(
        DraftItem("option", "x", NewHandoverItem(option_id=ids["option_shareable"]))
    )
    drafts.set_refusals({0: "No."})
    qtmodeltester.check(drafts)
    assert drafts.refused() == 1
    drafts.remove(0)
    assert drafts.rowCount() == 0


def test_the_dialog_offers_new_audience_last_and_starts_with_the_first(
    qtbot: Any, vault: Vault, ids: dict[str, int]
) -> None:
    ctx = AppContext(vault)
    ctx.set_case(ids["case"])
    dialog = NewHandoverDialog(ctx)
    qtbot.addWidget(dialog)
    assert dialog.outsider_id() == ids["envoy"]
    assert dialog.outsider.itemData(dialog.outsider.count() - 1) == NEW_AUDIENCE
    assert dialog.result() == QDialog.DialogCode.Rejected
