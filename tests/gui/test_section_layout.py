"""The list + detail of a section at a laptop's sizes: the window gives a section about
1280-220 px (at 1280x800) and 1024-200 px (at 1024x700)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QDateTimeEdit, QWidget

from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.sections.record_list import RecordDialog
from app.gui.sections.section import SectionView
from tests.gui.conftest import answer_dialog

SECTION_SIZES = {"1024x700": (1024 - 200, 700 - 90), "1280x800": (1280 - 220, 800 - 90)}


def _section(qtbot: Any, ctx: AppContext, list_name: str, size: tuple[int, int]) -> SectionView:
    view = SectionView(ctx, list_name)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.set_case(ctx.case_id)
    QApplication.processEvents()
    return view


@pytest.fixture
def ctx(vault: Vault, demo_case: int, styled_app: QApplication) -> AppContext:
    c = AppContext(vault)
    c.set_case(demo_case)
    return c


@pytest.mark.parametrize("size", list(SECTION_SIZES))
def test_message_list_shows_its_main_columns_whole(qtbot: Any, ctx: AppContext, size: str) -> None:
    view = _section(qtbot, ctx, "message", SECTION_SIZES[size])
    table = view.list.view
    header = table.horizontalHeader()
    labels = [table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(header.count())]
    width = header.viewport().width()
    for name in ("When", "Disclosure", "From", "To", "Summary"):
        c = labels.index(name)
        left = header.sectionViewportPosition(c)
        right = left + header.sectionSize(c)
        assert left >= 0 and right <= width, (name, left, right, width)
        # Wide enough for its header's text (not cut to "Summ…").
        assert header.sectionSize(c) >= header.sectionSizeFromContents(c).width() - 24, name
    # The values of the short columns are whole: a date and time, a disclosure level.
    for name in ("When", "Disclosure"):
        c = labels.index(name)
        assert header.sectionSize(c) >= table.sizeHintForColumn(c), name


@pytest.mark.parametrize("size", list(SECTION_SIZES))
def test_the_column_that_names_a_row_is_cut_last(qtbot: Any, ctx: AppContext, size: str) -> None:
    """Options at 1024x700 showed "Detainee…" in 65 px while "Came from" took 120 px. The
    title keeps 150 px where the list has room; at 1024x700 (enum values kept whole, other
    text cut to 48 px) it gets what there is, and still the most."""
    view = _section(qtbot, ctx, "option", SECTION_SIZES[size])
    table = view.list.view
    header = table.horizontalHeader()
    labels = [table.model().headerData(c, Qt.Orientation.Horizontal) for c in range(header.count())]
    title = labels.index("Option")
    assert header.sectionSize(title) >= min(120, table.sizeHintForColumn(title))
    assert header.sectionSize(title) >= max(
        header.sectionSize(c) for c in range(header.count()) if c != title
    )
    # ... and the columns still fit the list: no sideways scrolling.
    assert sum(header.sectionSize(c) for c in range(header.count())) <= header.viewport().width()


@pytest.mark.parametrize("size", list(SECTION_SIZES))
def test_date_time_editor_shows_its_whole_value(qtbot: Any, ctx: AppContext, size: str) -> None:
    view = _section(qtbot, ctx, "message", SECTION_SIZES[size])
    assert view.detail.record_id is not None
    editor = view.detail.form.editor("said_at")
    assert isinstance(editor, QDateTimeEdit)
    assert editor.isVisible()
    assert editor.width() >= editor.sizeHint().width()
    # Inside what the detail pane shows, which does not scroll sideways to show it.
    viewport = view.detail.scroll_area.viewport()
    right = editor.mapTo(viewport, editor.rect().topRight()).x()
    assert right <= viewport.width()
    assert view.detail.scroll_area.horizontalScrollBar().maximum() == 0


def test_detail_pane_names_no_qt_method(qtbot: Any, ctx: AppContext) -> None:
    """child_lists and scroll_area, not children and scroll (QObject.children and
    QWidget.scroll stay Qt's)."""
    view = _section(qtbot, ctx, "session", SECTION_SIZES["1280x800"])
    assert [c.kind for c in view.detail.child_lists] == [
        "agenda_item",
        "participant",
        "session_note",
    ]
    assert isinstance(view.detail.children(), list)  # still QObject.children()
    assert callable(view.detail.scroll)


def test_empty_list_says_what_it_is_and_its_button_creates_the_first(
    qtbot: Any, vault: Vault, messages: list[str], styled_app: QApplication
) -> None:
    case = Records(vault).create("case", title="Harbour talks")
    ctx = AppContext(vault)
    ctx.set_case(case)
    view = _section(qtbot, ctx, "party", SECTION_SIZES["1024x700"])
    lst = view.list
    assert lst.stack.currentWidget() is lst.empty
    assert lst.empty.isVisible()
    assert "No parties yet" in lst.empty.title.text()
    assert "sides" in lst.empty.text.text()  # what a party is
    assert lst.empty.button.text() == "New party"
    # The empty detail pane says what to do.
    assert view.detail.empty.isVisible()
    assert "Once there is a party" in view.detail.empty.text.text()

    def fill(w: QWidget) -> None:
        assert isinstance(w, RecordDialog)
        name = w.findChild(QWidget, "field_name")
        qtbot.keyClicks(name, "Harbour Council")
        w.accept()

    answer_dialog(fill)
    qtbot.mouseClick(lst.empty.button, Qt.MouseButton.LeftButton)
    assert lst.model.rowCount() == 1
    assert lst.stack.currentWidget() is lst.view
    assert view.detail.form.values()["name"] == "Harbour Council"
    assert messages == []
    view.list.view.setCurrentIndex(QModelIndex())
    assert "Select a party" in view.detail.empty.text.text()


def test_filter_that_matches_nothing_offers_to_clear_it(qtbot: Any, ctx: AppContext) -> None:
    view = _section(qtbot, ctx, "party", SECTION_SIZES["1024x700"])
    lst = view.list
    qtbot.keyClicks(lst.filter_box, "zzzz-no-such-party")
    qtbot.waitUntil(lambda: lst.stack.currentWidget() is lst.empty)
    assert "zzzz-no-such-party" in lst.empty.title.text()
    qtbot.mouseClick(lst.empty.button, Qt.MouseButton.LeftButton)
    assert lst.filter_box.text() == ""
    assert lst.model.rowCount() > 0 and lst.stack.currentWidget() is lst.view


def test_edit_and_delete_are_disabled_with_a_tip_until_a_row_is_selected(
    qtbot: Any, ctx: AppContext, messages: list[str]
) -> None:
    view = _section(qtbot, ctx, "party", SECTION_SIZES["1280x800"])
    top = view.list
    top.view.setCurrentIndex(QModelIndex())
    assert not top.delete_button.isEnabled()
    assert "Select a party" in top.delete_button.toolTip()
    qtbot.mouseClick(top.delete_button, Qt.MouseButton.LeftButton)
    assert messages == []  # no "Select … first" box: the button did nothing
    top.select(top.model.record_id(0) or 0)
    assert top.delete_button.isEnabled()
    assert "Select" not in top.delete_button.toolTip()

    profile = view.detail.child_lists[0]  # a party's profile: edited in a dialog
    assert profile.model.rowCount() > 0
    assert profile.current_id() is None
    for button in (profile.edit_button, profile.delete_button):
        assert button.isVisible() and not button.isEnabled()
        assert "Select a profile entry" in button.toolTip()
    rect = profile.view.visualRect(profile.model.index(0, 0))
    qtbot.mouseClick(profile.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert profile.current_id() is not None
    assert profile.edit_button.isEnabled() and profile.delete_button.isEnabled()


def test_new_is_disabled_with_a_tip_without_a_case(
    qtbot: Any, vault: Vault, styled_app: QApplication
) -> None:
    ctx = AppContext(vault)
    view = _section(qtbot, ctx, "message", SECTION_SIZES["1280x800"])
    assert not view.list.new_button.isEnabled()
    assert "case" in view.list.new_button.toolTip()
    assert "case" in view.list.empty.text.text()
    assert not view.list.empty.button.isVisible()


def test_section_follows_the_section_protocol(qtbot: Any, ctx: AppContext) -> None:
    from app.gui.sections.protocol import Section

    view = _section(qtbot, ctx, "message", SECTION_SIZES["1280x800"])
    assert isinstance(view, Section)
    assert "message" in view.watches and "party" in view.watches
    current = view.current()
    assert current is not None and current[0] == "message"
    other = view.list.model.record_id(3)
    assert other is not None
    qtbot.keyClicks(view.list.filter_box, "zzzz")
    assert view.show_record("message", other)
    assert view.current() == ("message", other)
    assert view.list.filter_box.text() == ""
    assert not view.show_record("party", 1)
