"""New item, Delete item and Copy text go to the section in view (the Shuttle Log's Messages
page included), pressed as keys on the real window; Ctrl+Y redoes; window actions that cannot
act are disabled and say why; the first screen of an empty vault offers New case; the
sections follow record changes through their ``watches``; ``open_record`` walks up from a
record to the one its section lists."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from app.core.services.records import Records
from app.gui.actions import ActionId
from app.gui.main_window import MainWindow
from app.gui.sections.record_list import RecordDialog
from tests.gui.conftest import answer_dialog
from tests.gui.test_shell_navigation import press

CTRL = Qt.KeyboardModifier.ControlModifier
SHIFT = Qt.KeyboardModifier.ShiftModifier


def _new_item(values: dict[str, str]) -> Any:
    def handler(w: QWidget) -> None:
        assert isinstance(w, RecordDialog)
        for key, value in values.items():
            editor = w.form.editor(key)
            if isinstance(editor, QLineEdit):
                editor.setText(value)
            elif isinstance(editor, QComboBox):
                editor.setCurrentIndex(editor.findText(value, Qt.MatchFlag.MatchStartsWith))
            else:
                editor.setPlainText(value)  # type: ignore[attr-defined]
        w.accept()
        if w.isVisible():  # refused: say why rather than wait for an answer
            w.reject()

    return handler


def _new_copy_delete(
    qtbot: Any, window: MainWindow, kind: str, demo_case: int, values: dict[str, str]
) -> None:
    """Ctrl+Shift+C copies the selected record's text, Ctrl+N makes one, Ctrl+Delete
    deletes it: each pressed on the window, each acting on the section in view."""
    records = Records(window.vault)
    section = window.section_in_view()
    assert section is not None
    current = section.current()
    assert current is not None and current[0] == kind
    press(qtbot, window, Qt.Key.Key_C, CTRL | SHIFT)
    record = records.get(kind, current[1])
    text = next(str(record[k]) for k in ("content", "summary", "body", "title") if record.get(k))
    assert QGuiApplication.clipboard().text() == text
    window.clipboard.clear_if_ours()

    before = {r["id"] for r in records.find(kind, case_id=demo_case)}
    answer_dialog(_new_item(values))
    press(qtbot, window, Qt.Key.Key_N, CTRL)
    [new_id] = {r["id"] for r in records.find(kind, case_id=demo_case)} - before
    assert section.current() == (kind, new_id)

    press(qtbot, window, Qt.Key.Key_Delete, CTRL)  # the question is answered Yes
    assert {r["id"] for r in records.find(kind, case_id=demo_case)} == before


def test_new_copy_delete_by_keys_in_the_shuttle_log_messages(
    qtbot: Any, window: MainWindow, demo_case: int
) -> None:
    window.load()
    shuttle: Any = window.open_section("shuttle")
    shuttle.show_page("messages").view.list.view.selectRow(0)
    _new_copy_delete(
        qtbot,
        window,
        "message",
        demo_case,
        {"content": "Heard at the crossing", "sender_party_id": "Government"},
    )


def test_new_copy_delete_by_keys_in_notes(qtbot: Any, window: MainWindow, demo_case: int) -> None:
    window.load()
    press(qtbot, window, Qt.Key.Key_9, CTRL)
    assert window.section_key() == "notes"
    window.notes.list.view.selectRow(0)
    _new_copy_delete(qtbot, window, "note", demo_case, {"title": "After the call"})


def test_ctrl_y_and_ctrl_shift_z_redo(qtbot: Any, window: MainWindow) -> None:
    records = Records(window.vault)
    answer_dialog(_new_item({"title": "Lowland water talks"}))
    window.new_case()
    for redo in (CTRL, CTRL | SHIFT):
        press(qtbot, window, Qt.Key.Key_Z, CTRL)
        assert records.find("case") == []
        press(qtbot, window, Qt.Key.Key_Y if redo == CTRL else Qt.Key.Key_Z, redo)
        assert [c["title"] for c in records.find("case")] == ["Lowland water talks"]


def test_actions_that_cannot_act_are_disabled_and_say_why(
    qtbot: Any, window: MainWindow, messages: list[str]
) -> None:
    """No case yet: Quick capture and Export are disabled with a tip, and their keys do
    nothing (no "Select … first" message box). Nothing selected: Delete item and Copy text
    are disabled; a selection enables them."""
    for aid in (ActionId.QUICK_CAPTURE, ActionId.EXPORT, ActionId.DELETE_CASE):
        action = window.action(aid)
        assert not action.isEnabled()
        assert "case" in action.toolTip() and action.statusTip() == action.toolTip()
    press(qtbot, window, Qt.Key.Key_M, CTRL | SHIFT)
    assert messages == []

    records = Records(window.vault)
    case = records.create("case", title="Islands dialogue")
    records.create("note", case_id=case, title="First impressions", body="Calm.")
    window.load()
    assert window.action(ActionId.QUICK_CAPTURE).isEnabled()
    assert window.action(ActionId.EXPORT).isEnabled()
    window.open_section("notes")
    window.notes.list.view.clearSelection()
    window.notes.list.view.setCurrentIndex(window.notes.list.model.index(-1, -1))
    delete = window.action(ActionId.DELETE_RECORD)
    assert not delete.isEnabled() and "Select" in delete.toolTip()
    assert not window.action(ActionId.COPY_TEXT).isEnabled()
    window.notes.list.view.selectRow(0)
    assert delete.isEnabled() and window.action(ActionId.COPY_TEXT).isEnabled()


def test_the_empty_vault_says_what_a_case_is_and_offers_new_case(
    qtbot: Any, window: MainWindow
) -> None:
    assert window.case_stack.currentWidget() is window.no_case and window.no_case.isVisible()
    text = " ".join(label.text() for label in window.no_case.findChildren(QLabel))
    assert "A <b>case</b> is one engagement" in text  # what it is, and what to do first
    assert "Parties &amp; People" in text and "Quick capture" in text
    seen: list[QWidget] = []

    def cancel(w: QWidget) -> None:
        seen.append(w)
        w.close()

    answer_dialog(cancel)
    qtbot.mouseClick(window.no_case.button, Qt.MouseButton.LeftButton)
    assert len(seen) == 1 and isinstance(seen[0], RecordDialog)
    assert seen[0].windowTitle() == "New case"


def test_export_gets_the_record_in_view(
    qtbot: Any, window: MainWindow, demo_case: int, monkeypatch: Any
) -> None:
    from app.gui.dialogs import export

    window.load()
    sessions: Any = window.open_section("sessions")
    sessions.view.list.view.selectRow(1)
    selected = sessions.current()
    assert selected is not None and selected[0] == "session"
    given: list[object] = []
    real_init = export.ExportDialog.__init__

    def spy(self: Any, ctx: Any, parent: Any = None, **kw: Any) -> None:
        given.append(kw.get("selected"))
        real_init(self, ctx, parent, **kw)

    monkeypatch.setattr(export.ExportDialog, "__init__", spy)
    answer_dialog(lambda w: w.reject())
    press(qtbot, window, Qt.Key.Key_E, CTRL)
    assert given == [selected]


def test_a_change_reloads_the_section_in_view_and_marks_the_others(
    qtbot: Any, window: MainWindow, demo_case: int, monkeypatch: Any
) -> None:
    window.load()
    timeline = window.open_section("timeline")
    overview = window.open_section("overview")
    calls: list[str] = []
    monkeypatch.setattr(timeline, "reload", lambda: calls.append("timeline"))
    monkeypatch.setattr(overview, "reload", lambda: calls.append("overview"))
    window.ctx.notify("note", None)  # both watch notes: only the one in view reloads now
    assert calls == ["overview"]
    assert "timeline" in window._stale
    window.open_section("timeline")  # shown again, it catches up once
    window.open_section("timeline")
    assert calls == ["overview", "timeline"]
    window.ctx.notify("person", None)  # neither watches people
    assert calls == ["overview", "timeline"]


def test_open_record_walks_up_to_the_record_its_section_lists(
    qtbot: Any, window: MainWindow, demo_case: int
) -> None:
    window.load()
    records = Records(window.vault)
    item = records.find("agenda_item")[0]
    window.ctx.open_record.emit("agenda_item", item["id"], demo_case)
    assert window.section_key() == "sessions"
    assert window.section_in_view().current() == ("session", item["session_id"])  # type: ignore[union-attr]
    entry = records.find("profile_entry")[0]
    window.ctx.open_record.emit("profile_entry", entry["id"], demo_case)
    assert window.section_key() == "people"
    assert window.section_in_view().current() == ("party", entry["party_id"])  # type: ignore[union-attr]


def test_lock_clears_every_section_and_the_sidebar(
    qtbot: Any, window: MainWindow, demo_case: int, monkeypatch: Any
) -> None:
    window.load()
    cleared: list[str] = []
    for key in ("overview", "shuttle", "notes"):
        section = window.open_section(key)
        real = section.clear
        monkeypatch.setattr(section, "clear", lambda k=key, r=real: (cleared.append(k), r()))
    press(qtbot, window, Qt.Key.Key_L, CTRL)
    assert not window.vault.is_unlocked
    assert sorted(cleared) == ["notes", "overview", "shuttle"]
    assert window.cases_model.rowCount() == 0
    assert all(not h.built or h.section.current() is None for h in window.holders.values())
