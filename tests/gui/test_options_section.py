"""The Options section on its own, as the window holds it: one level of pages (Options,
Matrix), the bar that acts on the selected option (disabled, saying why, while none is),
the matrix whose titles stay while the party columns scroll, and a designed empty state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from app.core.services.options import stance_matrix
from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.models.options_matrix import FIRST_PARTY, TITLE
from app.gui.sections.options import OptionHistoryDialog
from app.gui.sections.options_section import OptionsSection
from app.gui.sections.protocol import Section
from app.gui.sections.record_list import RecordDialog
from tests.gui.conftest import answer_dialog
from tests.gui.test_sessions_section import Host, inside

pytestmark = pytest.mark.gui


@pytest.fixture
def ctx(vault: Vault, messages: list[str], styled_app: QApplication) -> Iterator[AppContext]:
    context = AppContext(vault)
    context.error_handler = messages.append
    yield context
    context.undo_stack.clear()


def shown(qtbot: Any, ctx: AppContext, case: int, size: tuple[int, int]) -> OptionsSection:
    section = OptionsSection(ctx)
    h = Host(ctx, section)
    qtbot.addWidget(h)
    h.resize(*size)
    h.show()
    qtbot.waitExposed(h)
    h.open_case(case)
    section.setProperty("host_in_test", True)
    _hosts.append(h)  # the host owns the section: keep it alive for the test
    return section


_hosts: list[Host] = []


@pytest.fixture(autouse=True)
def _forget_hosts() -> Iterator[None]:
    yield
    _hosts.clear()


def test_options_section_follows_the_protocol_with_one_level_of_pages(
    qtbot: Any, ctx: AppContext, demo_case: int
) -> None:
    section = shown(qtbot, ctx, demo_case, (1280, 800))
    assert isinstance(section, Section)
    pages = section.pages
    assert [pages.tabText(i) for i in range(pages.count())] == ["Options", "Matrix"]
    # No tabs inside the pages: one level.
    assert not section.matrix.findChildren(QTabWidget)
    assert not section.board.findChildren(
        QTabWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
    )
    r = Records(ctx.vault)
    option = r.find("option", case_id=demo_case, order_by="id")[0]
    stance = r.find("stance", option_id=option["id"])[0]
    section.show_matrix()
    assert section.show_record("stance", stance["id"])  # a stance opens its option
    assert pages.currentIndex() == 0 and section.current() == ("option", option["id"])
    assert not section.show_record("session", 1)
    section.clear()
    assert section.view.list.model.rowCount() == 0 and section.matrix.model.rowCount() == 0


def test_option_bar_is_disabled_with_a_reason_until_an_option_is_selected(
    qtbot: Any, ctx: AppContext, demo_case: int, messages: list[str]
) -> None:
    """Before: every button answered "Select an option first." in a message box."""
    section = shown(qtbot, ctx, demo_case, (1024, 700))
    buttons = section.bar.buttons
    assert all(b.isEnabled() for b in buttons.values())
    qtbot.keyClicks(section.view.list.filter_box, "no such option")
    qtbot.waitUntil(lambda: section.view.list.model.rowCount() == 0)
    for b in buttons.values():
        assert not b.isEnabled() and b.toolTip() == "Select an option in the list first"
    qtbot.mouseClick(buttons["history"], Qt.MouseButton.LeftButton)
    assert not messages
    section.view.list.filter_box.clear()
    qtbot.waitUntil(lambda: section.view.list.model.rowCount() > 0)
    section.view.list.view.selectRow(0)
    assert all(b.isEnabled() for b in buttons.values())
    # Every button of the bar is whole at 1024×700.
    for b in buttons.values():
        assert inside(b, section) and b.width() >= b.sizeHint().width()


def test_a_case_without_options_says_what_they_are_and_adds_the_first(
    qtbot: Any, ctx: AppContext
) -> None:
    r = Records(ctx.vault)
    case = r.create("case", title="Harbour talks")
    section = shown(qtbot, ctx, case, (1024, 700))
    assert section.stack.currentWidget() is section.empty
    assert section.empty.title.text() == "No options yet"
    button = section.findChild(QPushButton, "options_empty_action")
    assert button is not None and button.isVisible()

    def new_option(w: QWidget) -> None:
        assert isinstance(w, RecordDialog)
        editor = w.form.editor("title")
        qtbot.keyClicks(editor, "Ferry twice a week")
        w.accept()

    answer_dialog(new_option)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    [option] = r.find("option", case_id=case)
    assert section.stack.currentWidget() is section.pages
    assert section.current() == ("option", option["id"])


def test_the_matrix_lists_options_as_they_were_raised(
    qtbot: Any, ctx: AppContext, demo_case: int
) -> None:
    """The matrix's own order: oldest raised first (the options list's order is the record
    list's, tested in test_record_table_sort.py)."""
    section = shown(qtbot, ctx, demo_case, (1280, 800))
    section.show_matrix()
    expected = [row.title for row in stance_matrix(ctx.vault, demo_case)]
    matrix = section.matrix.model
    assert [matrix.index(r, TITLE).data() for r in range(matrix.rowCount())] == expected
    raised = [Records(ctx.vault).get("option", i)["raised_on"] for i in section.matrix.option_ids]
    assert raised == sorted(raised) and len(set(raised)) > 1


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_matrix_party_columns_fit_or_scroll_under_a_frozen_title(
    qtbot: Any, ctx: AppContext, demo_case: int, size: tuple[int, int]
) -> None:
    """Before: a plain table as wide as its contents; at 1024 px the last party columns were
    cut, and scrolling to them scrolled the option titles away."""
    section = shown(qtbot, ctx, demo_case, size)
    section.show_matrix()
    table = section.matrix.table
    model = section.matrix.model
    assert model.rowCount() >= 3 and model.columnCount() >= FIRST_PARTY + 3
    metrics = table.fontMetrics()
    header = table.horizontalHeader()
    for col in range(FIRST_PARTY, model.columnCount()):
        name = str(model.headerData(col, Qt.Orientation.Horizontal))
        # A party's name wraps on word boundaries; no word is cut.
        assert all(metrics.horizontalAdvance(w) < header.sectionSize(col) for w in name.split())
    bar = table.horizontalScrollBar()
    if size[0] >= 1280:
        assert bar.maximum() == 0, "the party columns fit at 1280 px"
    bar.setValue(bar.maximum())
    QApplication.processEvents()
    last = model.index(0, model.columnCount() - 1)
    assert table.viewport().rect().contains(table.visualRect(last)), "last party out of reach"
    # The titles are still there, at the left, readable.
    frozen = table.frozen
    assert frozen.isVisible() and frozen.x() <= table.frameWidth() + 1
    title = frozen.visualRect(model.index(0, TITLE))
    assert frozen.viewport().rect().contains(title) and title.width() >= 180
    assert table.childAt(QPoint(20, header.height() + 5)) in (frozen.viewport(), frozen)


def test_show_merged_is_a_toggle_that_looks_on_or_off(
    qtbot: Any, ctx: AppContext, demo_case: int
) -> None:
    """Before: a checkable push button drawn the same checked or not."""
    section = shown(qtbot, ctx, demo_case, (1280, 800))
    section.show_matrix()
    toggle = section.matrix.show_closed
    assert toggle.objectName() == "matrix_show_closed" and toggle.isCheckable()
    open_rows = section.matrix.model.rowCount()
    off = toggle.grab().toImage()
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert toggle.isChecked()
    assert section.matrix.model.rowCount() > open_rows  # merged and split ones too
    QApplication.processEvents()
    section.matrix.setFocus()  # the comparison is of on and off, not of the focus ring
    on = toggle.grab().toImage()
    assert on.size() == off.size() and on != off, "checked and unchecked look the same"
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert not toggle.isChecked() and section.matrix.model.rowCount() == open_rows


def test_double_click_in_the_matrix_opens_the_history(
    qtbot: Any, ctx: AppContext, demo_case: int
) -> None:
    section = shown(qtbot, ctx, demo_case, (1024, 700))
    section.show_matrix()
    frozen = section.matrix.table.frozen
    first = section.matrix.option_ids[0]
    seen: list[int] = []

    def history(w: QWidget) -> None:
        assert isinstance(w, OptionHistoryDialog)
        seen.append(w.lineage.rowCount())
        w.reject()

    answer_dialog(history)
    rect = frozen.visualRect(section.matrix.model.index(0, TITLE))
    qtbot.mouseClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(frozen.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert seen and seen[0] >= 1
    assert section.current() == ("option", first)


def held_text(root: QWidget) -> str:
    """Every text a widget tree holds, shown or not (labels, editors, buttons, combo items,
    tabs, tooltips, and every cell and header of every item view)."""
    from tests.gui.test_main_window import _model_text

    out: list[str] = []
    for w in [root, *root.findChildren(QWidget)]:
        out += [w.toolTip(), w.windowTitle()]
        if isinstance(w, QLabel | QLineEdit | QAbstractButton):
            out.append(w.text())
        if isinstance(w, QPlainTextEdit | QTextEdit):
            out.append(w.toPlainText())
        if isinstance(w, QComboBox):
            out += [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            out += _model_text(w.model())
    return "\n".join(out)


def test_clear_leaves_nothing_of_the_vault(qtbot: Any, ctx: AppContext, demo_case: int) -> None:
    """On lock the window clears every section: the matrix's titles, party names and stances
    go with the list and the editor."""
    r = Records(ctx.vault)
    section = shown(qtbot, ctx, demo_case, (1280, 800))
    section.show_matrix()
    party = r.find("party", case_id=demo_case)[-1]["name"]
    option = r.get("option", section.matrix.option_ids[0])["title"]
    before = held_text(section)
    assert party in before and option in before
    section.pages.setCurrentIndex(0)
    section.clear()
    after = held_text(section)
    assert party not in after and option not in after
