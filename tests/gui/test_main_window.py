"""Driving the notebook like a user: cases, parties, people, quick capture, sessions, options,
search and jump, undo, lock, clipboard. Offscreen, with qtbot clicks and keys."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QAbstractItemModel, QAbstractListModel, QModelIndex, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from app.core.services.records import Records
from app.gui.actions import ActionId
from app.gui.dialogs.quick_capture import QuickCaptureDialog
from app.gui.dialogs.search import SearchDialog
from app.gui.main_window import MainWindow
from app.gui.models.search_results import HTML_ROLE
from app.gui.sections.options import OptionHistoryDialog
from app.gui.sections.record_list import RecordDialog
from tests.gui.conftest import answer_dialog


def activate(qtbot: Any, window: MainWindow) -> None:
    """The window is the active one, as when the user types in it (keys reach shortcuts)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)


def fill(dialog: QWidget, values: dict[str, str]) -> None:
    """Type into a record dialog's fields like a user: line edits, text boxes, lists."""
    for key, value in values.items():
        editor = dialog.findChild(QWidget, f"field_{key}")
        assert editor is not None, key
        if isinstance(editor, QLineEdit):
            editor.setText(value)
        elif isinstance(editor, QPlainTextEdit):
            editor.setPlainText(value)
        elif isinstance(editor, QComboBox):
            i = editor.findText(value, Qt.MatchFlag.MatchContains)
            assert i >= 0, (key, value)
            editor.setCurrentIndex(i)


def save_dialog(values: dict[str, str]) -> Any:
    def handler(w: QWidget) -> None:
        assert isinstance(w, RecordDialog)
        fill(w, values)
        w.accept()

    return handler


def test_create_case_party_person_and_undo(qtbot: Any, window: MainWindow) -> None:
    assert window.case_stack.currentWidget() is window.no_case
    answer_dialog(save_dialog({"title": "Lowland water talks", "summary": "Fictional"}))
    qtbot.mouseClick(window.findChild(QWidget, "new_case"), Qt.MouseButton.LeftButton)
    assert window.cases_model.rowCount() == 1
    assert window.case_stack.currentWidget() is window.sections
    assert "Lowland water talks" in window.windowTitle()

    window.show_section("parties")
    answer_dialog(save_dialog({"name": "River Council", "kind": "community"}))
    qtbot.mouseClick(window.parties.list.new_button, Qt.MouseButton.LeftButton)
    assert window.parties.list.model.rowCount() == 1
    assert window.parties.detail.form.values()["name"] == "River Council"

    window.show_section("people")
    answer_dialog(save_dialog({"name": "Tamar Okruashvili", "codename": "KESTREL"}))
    window.action(ActionId.NEW_RECORD).trigger()
    assert window.people.list.model.rowCount() == 1

    # Edit the party's name in the detail pane, save, then undo.
    window.show_section("parties")
    name = window.parties.detail.form.editor("name")
    assert isinstance(name, QLineEdit)
    name.selectAll()
    qtbot.keyClicks(name, "Upper River Council")
    assert window.parties.detail.save_button.isEnabled()
    qtbot.mouseClick(window.parties.detail.save_button, Qt.MouseButton.LeftButton)
    records = Records(window.vault)
    assert records.find("party")[0]["name"] == "Upper River Council"
    window.action(ActionId.UNDO).trigger()
    assert records.find("party")[0]["name"] == "River Council"
    assert window.parties.detail.form.values()["name"] == "River Council"
    window.action(ActionId.REDO).trigger()
    assert records.find("party")[0]["name"] == "Upper River Council"

    # Delete (confirmed) and undo the delete.
    window.parties.list.view.selectRow(0)
    qtbot.mouseClick(window.parties.list.delete_button, Qt.MouseButton.LeftButton)
    assert records.find("party") == []
    window.action(ActionId.UNDO).trigger()
    assert records.find("party")[0]["name"] == "Upper River Council"


def test_too_long_title_is_refused_and_nothing_lost(
    qtbot: Any, window: MainWindow, messages: list[str]
) -> None:
    attempts: list[int] = []

    def handler(w: QWidget) -> None:
        assert isinstance(w, RecordDialog)
        attempts.append(1)
        if len(attempts) == 1:
            fill(w, {"title": "x" * 250})
            w.accept()
            answer_dialog(handler)  # the dialog comes back with the text kept
        else:
            title = w.findChild(QLineEdit, "field_title")
            assert title.text() == "x" * 250
            title.setText("A sensible title")
            w.accept()

    answer_dialog(handler)
    window.new_case()
    assert any("too long" in m for m in messages)
    assert [c["title"] for c in Records(window.vault).find("case")] == ["A sensible title"]


def test_quick_capture_logs_a_message_in_few_keys(
    qtbot: Any, window: MainWindow, demo_case: int
) -> None:
    window.load()
    records = Records(window.vault)
    before = len(records.find("message", case_id=demo_case))

    def capture(w: QWidget) -> None:
        assert isinstance(w, QuickCaptureDialog)
        assert w.focusWidget() is w.content
        qtbot.keyClicks(w.content, "They will consider the pass road if monitors come")
        keys = 0
        qtbot.keyClick(w.content, Qt.Key.Key_Tab)  # -> From
        qtbot.keyClicks(w.from_party, "G")  # Government of Veskaria
        qtbot.keyClick(w.from_party, Qt.Key.Key_Tab)  # -> To
        qtbot.keyClicks(w.to_party, "K")  # Korvan Highlands Movement
        qtbot.keyClick(w.to_party, Qt.Key.Key_Tab)  # -> Disclosure
        qtbot.keyClicks(w.disclosure, "s")  # shareable
        qtbot.keyClick(w.disclosure, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
        keys = 1 + 1 + 1 + 1 + 1 + 1 + 1
        assert keys < 10

    answer_dialog(capture)
    activate(qtbot, window)
    qtbot.keyClick(
        window,
        Qt.Key.Key_M,
        Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
    )
    after = records.find("message", case_id=demo_case, order_by="id")
    assert len(after) == before + 1
    new = after[-1]
    assert new["content"] == "They will consider the pass road if monitors come"
    assert new["disclosure"].value == "shareable"
    parties = {p["id"]: p["name"] for p in records.find("party", case_id=demo_case)}
    assert parties[new["sender_party_id"]].startswith("Government")
    assert parties[new["recipient_party_id"]].startswith("Korvan")
    # The new message is shown and selected in the shuttle log.
    assert window.shuttle_tabs.isVisibleTo(window)
    assert window.messages.list.current_id() == new["id"]


def test_quick_capture_defaults_to_confidential(
    qtbot: Any, window: MainWindow, demo_case: int
) -> None:
    window.load()
    dialog = QuickCaptureDialog(window.ctx, window)
    qtbot.addWidget(dialog)
    assert dialog.disclosure.currentData() == "confidential"
    dialog.disclosure.setCurrentIndex(dialog.disclosure.findData("embargoed"))
    assert dialog.embargo.isVisibleTo(dialog)


def test_plan_session_and_raise_option(qtbot: Any, window: MainWindow) -> None:
    records = Records(window.vault)
    case = records.create("case", title="Islands dialogue")
    records.create("party", case_id=case, name="Coast Assembly", kind="political_movement")
    window.load()
    window.show_section("sessions")
    answer_dialog(
        save_dialog(
            {
                "title": "Problem-solving workshop I",
                "kind": "problem-solving workshop",
                "ground_rules": "Chatham House rule",
            }
        )
    )
    window.action(ActionId.NEW_RECORD).trigger()
    [session] = records.find("session")
    assert (
        session["kind"].value == "problem_solving_workshop" and session["status"].value == "planned"
    )
    # An agenda item in the session's own list.
    agenda = window.sessions.detail.child_lists[0]
    answer_dialog(save_dialog({"title": "Ground rules and introductions"}))
    qtbot.mouseClick(agenda.new_button, Qt.MouseButton.LeftButton)
    assert records.find("agenda_item")[0]["session_id"] == session["id"]

    window.show_section("options")
    answer_dialog(
        save_dialog(
            {"title": "Joint ferry timetable", "raised_in_session_id": "Problem-solving workshop I"}
        )
    )
    window.action(ActionId.NEW_RECORD).trigger()
    [option] = records.find("option")
    assert option["raised_in_session_id"] == session["id"]
    stances = window.options.detail.child_lists[0]
    answer_dialog(save_dialog({"party_id": "Coast Assembly", "stance": "supports"}))
    qtbot.mouseClick(stances.new_button, Qt.MouseButton.LeftButton)
    assert records.find("stance")[0]["stance"].value == "supports"


def test_search_and_jump_to_the_record(qtbot: Any, window: MainWindow, demo_case: int) -> None:
    window.load()
    records = Records(window.vault)
    target = next(m for m in records.find("message") if "coalition partner" in m["content"])

    def search(w: QWidget) -> None:
        assert isinstance(w, SearchDialog)
        qtbot.keyClicks(w.query, "coalition partn")
        qtbot.waitUntil(lambda: w.model.rowCount() > 0, timeout=5000)
        assert "<b>" in w.model.index(0, 0).data(HTML_ROLE)
        for row in range(w.model.rowCount()):
            hit = w.model.hit(row)
            if hit is not None and hit.kind == "message" and hit.record_id == target["id"]:
                w.results.setCurrentIndex(w.model.index(row, 0))
                break
        qtbot.keyClick(w.query, Qt.Key.Key_Return)

    answer_dialog(search)
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_K, Qt.KeyboardModifier.ControlModifier)
    assert window.shuttle_tabs.isVisibleTo(window)
    assert window.messages.list.current_id() == target["id"]
    assert window.messages.detail.form.values()["content"] == target["content"]


def test_timeline_filters_and_shows_disclosure(
    qtbot: Any, window: MainWindow, demo_case: int
) -> None:
    window.load()
    window.open_section("timeline")
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() > 20, timeout=5000)
    events = window.timeline.model.events
    assert [e.at for e in events] == sorted(e.at for e in events)
    msg_row = next(i for i, e in enumerate(events) if e.kind == "message")
    assert window.timeline.model.index(msg_row, 3).data() in (
        "shareable",
        "unattributed",
        "confidential",
        "embargoed",
    )
    for kind, box in window.timeline.kind_boxes.items():
        if kind != "message":
            box.setChecked(False)
    qtbot.waitUntil(
        lambda: {e.kind for e in window.timeline.model.events} == {"message"}, timeout=5000
    )


def test_lock_hides_everything_and_clears_models(
    qtbot: Any, window: MainWindow, demo_case: int
) -> None:
    window.load()
    window.show_section("messages")
    assert window.messages.list.model.rowCount() > 0
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not window.vault.is_unlocked and not window.vault.holds_key()
    assert window.stack.currentWidget() is window.lock_screen
    assert window.cases_model.rowCount() == 0
    assert all(m.rowCount() == 0 for m in window._table_models())
    assert window.timeline.model.rowCount() == 0
    assert window.ctx.undo_stack.count() == 0
    assert "locked" in window.windowTitle()
    assert not window.action(ActionId.SEARCH).isEnabled()


def test_idle_time_locks(qtbot: Any, window: MainWindow) -> None:
    window.idle.timer.setInterval(50)
    window.idle.timer.start()
    qtbot.waitUntil(lambda: not window.vault.is_unlocked, timeout=3000)
    assert window.stack.currentWidget() is window.lock_screen


def test_copy_is_marked_secret_and_cleared(qtbot: Any, window: MainWindow, demo_case: int) -> None:
    window.load()
    window.show_section("notes")
    window.notes.list.view.selectRow(0)
    window.clipboard._timer.setInterval(100)
    window.action(ActionId.COPY_TEXT).trigger()
    clip = QGuiApplication.clipboard()
    note = Records(window.vault).get("note", window.notes.list.current_id() or 0)
    assert clip.text() == note["body"]
    assert bytes(clip.mimeData().data("x-kde-passwordManagerHint")) == b"secret"
    qtbot.waitUntil(lambda: clip.text() == "", timeout=3000)


def test_clipboard_not_cleared_when_user_copied_something_else(
    qtbot: Any, window: MainWindow, demo_case: int
) -> None:
    window.load()
    window.show_section("notes")
    window.notes.list.view.selectRow(0)
    window.clipboard._timer.setInterval(100)
    window.action(ActionId.COPY_TEXT).trigger()
    QGuiApplication.clipboard().setText("my own thing")
    qtbot.wait(250)
    assert QGuiApplication.clipboard().text() == "my own thing"


def test_every_action_has_a_menu_and_unique_shortcut(window: MainWindow) -> None:
    in_menus = {a for m in window.menuBar().actions() for a in m.menu().actions()}
    shortcuts = [
        a.shortcut().toString() for a in window.actions_.values() if not a.shortcut().isEmpty()
    ]
    assert len(shortcuts) == len(set(shortcuts))
    for aid in (
        ActionId.LOCK,
        ActionId.SEARCH,
        ActionId.QUICK_CAPTURE,
        ActionId.UNDO,
        ActionId.REDO,
    ):
        assert window.action(aid) in in_menus
        assert not window.action(aid).shortcut().isEmpty()


def test_window_state_is_remembered_without_content(
    qtbot: Any, window: MainWindow, settings: Any, demo_case: int
) -> None:
    window.resize(1111, 777)
    window.close()
    settings.sync()
    keys = settings.allKeys()
    assert "window/geometry" in keys
    with open(settings.fileName(), encoding="utf-8", errors="replace") as f:
        text = f.read()
    assert "Korvan" not in text and "Veskaria" not in text


def test_right_to_left_mirrors_the_layout(qtbot: Any, window: MainWindow) -> None:
    QApplication.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    try:
        window.resize(window.width() + 10, window.height())
        side = window.splitter.widget(0)
        content = window.splitter.widget(1)

        def x(w: QWidget) -> int:
            return w.mapTo(window, w.rect().topLeft()).x()

        qtbot.waitUntil(lambda: x(side) > x(content), timeout=3000)
        window.grab().save(str(Path(tempfile.gettempdir()) / "liaison-rtl.png"))
    finally:
        QApplication.setLayoutDirection(Qt.LayoutDirection.LeftToRight)


@pytest.mark.parametrize("list_name", ["message", "party", "session", "option", "person_all"])
def test_table_models_pass_the_model_tester(
    qtmodeltester: Any, window: MainWindow, demo_case: int, list_name: str
) -> None:
    from app.gui.models.record_table import RecordTableModel

    model = RecordTableModel(window.vault, list_name)
    model.set_scope(demo_case if list_name != "person_all" else None)
    assert model.rowCount() > 0
    qtmodeltester.check(model)


def test_new_case_dialog_can_be_cancelled(qtbot: Any, window: MainWindow) -> None:
    answer_dialog(lambda w: w.reject())
    assert window.new_case() is None
    assert window.cases_model.rowCount() == 0


def test_delete_a_case_and_undo(qtbot: Any, window: MainWindow, demo_case: int) -> None:
    window.load()
    records = Records(window.vault)
    n_messages = len(records.find("message", case_id=demo_case))
    assert window.ctx.case_id == demo_case
    window.action(ActionId.DELETE_CASE).trigger()
    assert all(c["id"] != demo_case for c in records.find("case"))
    assert window.ctx.case_id != demo_case
    window.action(ActionId.UNDO).trigger()
    assert len(records.find("message", case_id=demo_case)) == n_messages
    assert any(c["id"] == demo_case for c in records.find("case"))


def test_backup_now_and_daily_backup_on_lock(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    from app.core.services.backups import backups_in

    folder = tmp_path / "usb"
    folder.mkdir()
    monkeypatch.setattr(
        QFileDialog, "getExistingDirectory", staticmethod(lambda *a, **k: str(folder))
    )
    assert "No backup yet" in window.backup_label.text()
    window.action(ActionId.BACKUP).trigger()  # written on a worker: the window stays usable
    qtbot.waitUntil(lambda: "Last backup" in window.backup_label.text(), timeout=10_000)
    assert len(backups_in(folder, window.vault.path.stem)) == 1
    assert window.action(ActionId.BACKUP).isEnabled()
    for p in folder.iterdir():
        p.unlink()
    window.lock()  # the daily backup happens on lock too, on a worker
    # Everything is hidden at once; the vault closes when the backup is written.
    assert window.stack.currentWidget() is window.lock_screen
    assert window.cases_model.rowCount() == 0
    qtbot.waitUntil(lambda: not window.vault.is_unlocked, timeout=10_000)
    assert len(backups_in(folder, window.vault.path.stem)) == 1
    assert window.lock_screen.panel.isEnabled() and not window.vault.holds_key()


def test_help_opens_the_guide(qtbot: Any, window: MainWindow) -> None:
    from PySide6.QtWidgets import QTextBrowser

    seen: list[str] = []

    def read(w: QWidget) -> None:
        seen.append(w.findChild(QTextBrowser, "help_text").toPlainText())
        w.close()

    answer_dialog(read)
    window.action(ActionId.GUIDE).trigger()
    assert "Logging a shuttle exchange" in seen[0]


def test_an_edit_after_scrolling_far_refreshes_one_row_not_every_loaded_one(
    qtbot: Any, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    from app.core.demo import generate_scale
    from app.core.services import lists

    generate_scale(window.vault, messages=900, cases=1)
    window.load()
    view = window.show_section("messages")
    model = view.list.model
    while model.canFetchMore() and model.rowCount() < 600:
        model.fetchMore()
    loaded = model.rowCount()
    assert loaded >= 600
    row = 550
    record_id = model.record_id(row)
    assert record_id is not None
    view.list.select(record_id)
    loaded = model.rowCount()  # the view may fetch a batch more to show the selection
    pages: list[int] = []
    real_fetch_page = lists.fetch_page
    monkeypatch.setattr(
        lists,
        "fetch_page",
        lambda *a, **k: pages.append(k.get("limit", 0)) or real_fetch_page(*a, **k),
    )
    summary = view.detail.findChild(QWidget, "field_summary")
    summary.selectAll()
    qtbot.keyClicks(summary, "Edited far down the list")
    qtbot.mouseClick(view.detail.save_button, Qt.MouseButton.LeftButton)
    assert max(pages, default=0) <= 200  # at most a small child list, never the 600 loaded rows
    assert model.rowCount() == loaded and model.record_id(row) == record_id
    column = next(i for i, c in enumerate(model.spec.columns) if c.key == "summary")
    assert model.index(row, column).data() == "Edited far down the list"
    assert view.list.current_id() == record_id


# --- what is left in the widgets after a lock ---------------------------------------------


def _model_text(model: QAbstractItemModel, parent: QModelIndex | None = None) -> list[str]:
    parent = parent if parent is not None else QModelIndex()
    out: list[str] = []
    roles = (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole)
    rows = model.rowCount(parent)
    # (A list model's columnCount and hasChildren are private in PySide6: one column.)
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    for r in range(rows):
        for c in range(columns):
            index = model.index(r, c, parent)
            out += [str(v) for role in roles if (v := model.data(index, role)) is not None]
            if c == 0 and model.rowCount(index):
                out += _model_text(model, index)
    if not parent.isValid():
        for orientation, count in (
            (Qt.Orientation.Horizontal, columns),
            (Qt.Orientation.Vertical, rows),
        ):
            for section in range(count):
                for role in roles:
                    value = model.headerData(section, orientation, role)
                    if value is not None:
                        out.append(str(value))
    return out


def shown_text(window: MainWindow) -> str:
    """Every text any widget of the window holds, shown or not: labels, edits, combo box
    items, buttons, tabs, every row, column and header of every item view, titles, tips."""
    out = [window.windowTitle(), window.statusBar().currentMessage()]
    for w in [window, *window.findChildren(QWidget)]:
        out += [w.windowTitle(), w.toolTip(), w.accessibleName()]
        if isinstance(w, QLabel | QLineEdit | QAbstractButton):
            out.append(w.text())
        if isinstance(w, QTextEdit | QPlainTextEdit):
            out.append(w.toPlainText())
        if isinstance(w, QComboBox):
            out += [w.currentText()] + [w.itemText(i) for i in range(w.count())]
        if isinstance(w, QTabWidget):
            out += [w.tabText(i) for i in range(w.count())]
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            out += _model_text(w.model())
    return "\n".join(out)


def _select_first_rows(widget: QWidget) -> None:
    """Select the first row of every list shown in a section or page, and show each tab of
    the record's child lists, so that every editor and child list fills in."""
    for view in widget.findChildren(QAbstractItemView):
        model = view.model()
        if view.isVisibleTo(widget) and model is not None and model.rowCount() > 0:
            view.setCurrentIndex(model.index(0, 0))
    for child_tabs in widget.findChildren(QTabWidget):
        for k in range(child_tabs.count()):
            child_tabs.setCurrentIndex(k)


def visit_everything(qtbot: Any, window: MainWindow) -> None:
    """Show every section and each of its pages once, with a record selected where there
    is a list, so that every view fills its widgets."""
    for key in window.holders:
        section: Any = window.open_section(key)
        pages = getattr(section, "pages", None)
        if not isinstance(pages, QTabWidget):
            _select_first_rows(section)
            continue
        for j in range(pages.count()):
            pages.setCurrentIndex(j)
            _select_first_rows(pages.currentWidget())
    # The shuttle log's knowledge pages: the last party's ledger, who knows what, and the
    # selected message's thread.
    shuttle: Any = window.open_section("shuttle")
    ledger = shuttle.show_page("ledger")
    ledger.party.setCurrentIndex(ledger.party.count() - 1)
    assert shuttle.show_page("knows").model.rowCount()
    messages = shuttle.show_page("messages")
    messages.view.list.view.selectRow(0)
    messages.thread_pane.render_now()
    assert messages.thread_pane.view.model().rowCount()
    # The options matrix.
    window.open_section("options").show_matrix()  # type: ignore[attr-defined]
    assert window.options_matrix.model.rowCount()
    # Work done on workers: the case's counts and the timeline.
    window.open_section("overview")
    qtbot.waitUntil(lambda: bool(window.overview.counts.text()), timeout=20_000)
    window.open_section("timeline")
    qtbot.waitUntil(lambda: window.timeline.model.rowCount() > 0, timeout=20_000)


def shown_secrets(qtbot: Any, window: MainWindow, demo_case: int) -> tuple[dict[str, str], str]:
    """Visit everything; return distinctive strings the window showed, and all it holds."""
    records = Records(window.vault)
    window.load()
    visit_everything(qtbot, window)
    confidential = [
        m["summary"][:40]
        for m in records.find("message", case_id=demo_case)
        if m["disclosure"].value == "confidential" and m["summary"]
    ]
    secrets = {
        "a confidential message summary": confidential[0],
        "a party's name": records.find("party", case_id=demo_case)[-1]["name"],
        "an option's title": records.get("option", window.options_matrix.option_ids[0])["title"],
        "the case's title": records.get("case", demo_case)["title"],
    }
    before = shown_text(window)
    for what, secret in secrets.items():
        assert secret in before, f"{what} was never shown, so the test proves nothing"
    return secrets, before


def assert_none_left(secrets: dict[str, str], text: str) -> None:
    left = [what for what, secret in secrets.items() if secret in text]
    assert not left, f"still in the window's widgets after the lock: {', '.join(left)}"


def test_lock_leaves_no_vault_content_in_any_widget(
    qtbot: Any, window: MainWindow, demo_case: int
) -> None:
    secrets, _ = shown_secrets(qtbot, window, demo_case)
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not window.vault.is_unlocked and not window.vault.holds_key()
    assert_none_left(secrets, shown_text(window))


def test_idle_lock_empties_an_open_dialog_too(
    qtbot: Any, window: MainWindow, demo_case: int
) -> None:
    """The idle time runs out while an option's history (a dialog of this window) is open:
    the lock closes it, and it shows nothing even before it is gone."""
    secrets, _ = shown_secrets(qtbot, window, demo_case)
    seen: list[str] = []

    def lock_while_open(dialog: QWidget) -> None:
        assert isinstance(dialog, OptionHistoryDialog)
        assert secrets["an option's title"] in shown_text(window)  # the dialog shows it
        window.idle.timer.timeout.emit()
        assert not dialog.isVisible()
        seen.append(shown_text(window))  # the dialog is closed but still exists

    answer_dialog(lock_while_open)
    matrix = window.options_matrix
    matrix.table.doubleClicked.emit(matrix.model.index(0, 0))
    assert seen, "the history dialog did not open"
    assert not window.vault.is_unlocked and not window.vault.holds_key()
    assert_none_left(secrets, seen[0])
    assert_none_left(secrets, shown_text(window))
