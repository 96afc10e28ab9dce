"""The Sessions section on its own, as the window holds it (app.gui.sections.protocol): the
case's sessions beside the selected one, "Plan from a template…" and "Live notes…" above
(disabled, saying why, while no session is selected), and a designed empty state."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QHBoxLayout, QLabel, QPushButton, QWidget

from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.sections.protocol import Section
from app.gui.sections.sessions import LiveNotesDialog, PlanSessionDialog
from app.gui.sections.sessions_section import SessionsSection
from tests.gui.conftest import answer_dialog

pytestmark = pytest.mark.gui

LEFT_COLUMN = 220  # the window's cases column beside the section


class Host(QWidget):
    """What the window gives a section: ~220 px of cases on the left, the case, and a
    reload when a record kind it watches changes."""

    def __init__(self, ctx: AppContext, section: Any) -> None:
        super().__init__()
        self.ctx, self.section = ctx, section
        left = QLabel("Cases")
        left.setFixedWidth(LEFT_COLUMN)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(left)
        layout.addWidget(section, 1)
        ctx.record_changed.connect(self._changed)

    def _changed(self, kind: str, _record_id: int) -> None:
        if kind in self.section.watches:
            self.section.reload()

    def open_case(self, case_id: int | None) -> None:
        self.ctx.set_case(case_id)
        self.section.set_case(case_id)
        QApplication.processEvents()


@pytest.fixture
def ctx(vault: Vault, messages: list[str], styled_app: QApplication) -> Iterator[AppContext]:
    context = AppContext(vault)
    context.error_handler = messages.append
    yield context
    context.undo_stack.clear()


def host(qtbot: Any, ctx: AppContext, section: Any, size: tuple[int, int] = (1280, 800)) -> Host:
    h = Host(ctx, section)
    qtbot.addWidget(h)
    h.resize(*size)
    h.show()
    qtbot.waitExposed(h)
    return h


def inside(widget: QWidget, outer: QWidget) -> bool:
    """The widget is shown whole inside ``outer`` (not cut at an edge)."""
    top_left = widget.mapTo(outer, widget.rect().topLeft())
    bottom_right = widget.mapTo(outer, widget.rect().bottomRight())
    return outer.rect().contains(top_left) and outer.rect().contains(bottom_right)


def test_sessions_section_follows_the_section_protocol(
    qtbot: Any, ctx: AppContext, demo_case: int
) -> None:
    section = SessionsSection(ctx)
    assert isinstance(section, Section)
    h = host(qtbot, ctx, section)
    h.open_case(demo_case)
    r = Records(ctx.vault)
    first = section.current()
    assert first is not None and first[0] == "session"
    # A session note is shown in its session.
    session = r.find("session", case_id=demo_case, order_by="id")[-1]
    note = r.create("session_note", session_id=session["id"], kind="observation", text="Tea")
    assert section.show_record("session_note", note)
    assert section.current() == ("session", session["id"])
    assert not section.show_record("option", 1)
    # On lock: nothing of the vault left in any widget of the section.
    from tests.gui.test_options_section import held_text

    assert session["title"] in held_text(section)
    section.clear()
    assert section.view.list.model.rowCount() == 0 and section.current() is None
    assert session["title"] not in held_text(section)


def test_live_notes_is_disabled_with_a_reason_until_a_session_is_selected(
    qtbot: Any, ctx: AppContext, demo_case: int, messages: list[str]
) -> None:
    """Before: "Live notes…" was always enabled and said "Select the session to take notes
    in first." in a message box."""
    section = SessionsSection(ctx)
    h = host(qtbot, ctx, section)
    h.open_case(demo_case)
    assert section.live.isEnabled()
    # A filter that matches nothing: no session selected.
    qtbot.keyClicks(section.view.list.filter_box, "no such session")
    qtbot.waitUntil(lambda: section.view.list.model.rowCount() == 0)
    assert section.view.list.current_id() is None
    assert section.stack.currentWidget() is section.page  # filtered out is not "no sessions"
    assert not section.live.isEnabled()
    assert section.live.toolTip() == "Select a session in the list first"
    qtbot.mouseClick(section.live, Qt.MouseButton.LeftButton)
    assert not messages  # no message box
    section.view.list.filter_box.clear()
    qtbot.waitUntil(lambda: section.view.list.model.rowCount() > 1)
    section.view.list.view.selectRow(1)
    assert section.live.isEnabled() and "notes" in section.live.toolTip()

    def notes(w: QWidget) -> None:
        assert isinstance(w, LiveNotesDialog)
        assert w.session_id == section.view.list.current_id()
        w.reject()

    answer_dialog(notes)
    qtbot.mouseClick(section.live, Qt.MouseButton.LeftButton)


def test_a_case_without_sessions_says_what_they_are_and_plans_the_first(
    qtbot: Any, ctx: AppContext
) -> None:
    """Before: a bare list header and an empty editor."""
    r = Records(ctx.vault)
    case = r.create("case", title="Harbour talks")
    section = SessionsSection(ctx)
    h = host(qtbot, ctx, section, (1024, 700))
    h.open_case(case)
    assert section.stack.currentWidget() is section.empty
    assert section.empty.title.text() == "No sessions yet"
    assert "meeting" in section.empty.text.text()
    button = section.findChild(QPushButton, "sessions_empty_action")
    assert button is not None and button.isVisible() and inside(button, h)

    def plan(w: QWidget) -> None:
        assert isinstance(w, PlanSessionDialog)
        qtbot.keyClicks(w.title, "Harbour workshop I")
        w.save()

    answer_dialog(plan)
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    [session] = r.find("session", case_id=case)
    assert section.stack.currentWidget() is section.page
    assert section.current() == ("session", session["id"])
    # The last one deleted: the empty state again.
    section.delete_record()
    assert not r.find("session", case_id=case)
    assert section.stack.currentWidget() is section.empty


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_sessions_bar_is_whole_at_laptop_sizes(
    qtbot: Any, ctx: AppContext, demo_case: int, size: tuple[int, int]
) -> None:
    section = SessionsSection(ctx)
    h = host(qtbot, ctx, section, size)
    h.open_case(demo_case)
    for button in (section.plan, section.live):
        assert button.isVisible() and inside(button, section)
        assert button.width() >= button.sizeHint().width()  # its text is not cut
