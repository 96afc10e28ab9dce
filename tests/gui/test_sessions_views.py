"""Sessions in the GUI: plan from a template, live notes with single-key type switching and
autosave, raise an option from the notes and record stances, see the options matrix."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QInputDialog, QWidget

from app.core.services.records import Records
from app.core.services.settings import get_setting
from app.core.vault import Vault
from app.gui.actions import ActionId
from app.gui.dialogs.upcoming import UpcomingActionsDialog
from app.gui.main_window import MainWindow
from app.gui.views.options import (
    DeriveDialog,
    InterestsDialog,
    OptionHistoryDialog,
    StancesDialog,
)
from app.gui.views.sessions import ActionFromNoteDialog, LiveNotesDialog, PlanSessionDialog
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import answer_dialog

ROOT = Path(__file__).resolve().parents[2]


def test_plan_live_notes_option_stances_matrix(qtbot: Any, window: MainWindow) -> None:
    r = Records(window.vault)
    case = r.create("case", title="Harbour talks")
    north = r.create("party", case_id=case, name="North", kind="government")
    south = r.create("party", case_id=case, name="South", kind="armed_group")
    minister = r.create("person", name="Dana Ost")
    r.create("affiliation", person_id=minister, party_id=north, role="Deputy minister")
    elder = r.create("person", name="Ilo Marr")
    r.create("affiliation", person_id=elder, party_id=south, role="Elder")
    window.load()
    window.show_section("sessions")

    def plan(w: QWidget) -> None:
        assert isinstance(w, PlanSessionDialog)
        w.template.setCurrentIndex(w.template.findData("problem_solving_workshop"))
        w.title.setText("Harbour workshop I")
        # Both sit at the table; the deputy minister in a personal capacity for this one.
        assert [w.people.item(i, 0).text() for i in range(w.people.rowCount())] == [
            "Dana Ost",
            "Ilo Marr",
        ]
        for row in range(2):
            w.people.item(row, 0).setCheckState(Qt.CheckState.Checked)
        capacity = w.people.cellWidget(0, 2)
        capacity.setCurrentIndex(capacity.findData("personal"))
        w.save()

    answer_dialog(plan)
    qtbot.mouseClick(window.findChild(QWidget, "plan_session"), Qt.MouseButton.LeftButton)
    [session] = r.find("session")
    assert session["title"] == "Harbour workshop I"
    assert len(r.find("agenda_item", session_id=session["id"])) == 6
    assert window.sessions.list.current_id() == session["id"]
    seats = {
        (p["person_id"], p["party_id"], p["capacity"].value)
        for p in r.find("participant", session_id=session["id"])
    }
    assert seats == {(minister, north, "personal"), (elder, south, "official")}

    def notes(w: QWidget) -> None:
        assert isinstance(w, LiveNotesDialog)
        qtbot.keyClicks(w.entry, "Both want the ferry back")
        qtbot.keyClick(w.entry, Qt.Key.Key_Return)
        qtbot.keyClick(w.entry, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)  # fear
        w.who.setCurrentIndex(w.who.findText("South"))
        qtbot.keyClicks(w.entry, "Smuggling returns with the ferry")
        qtbot.keyClick(w.entry, Qt.Key.Key_Return)
        qtbot.keyClick(w.entry, Qt.Key.Key_3, Qt.KeyboardModifier.AltModifier)  # interest
        w.who.setCurrentIndex(0)  # the room: the profile's party is asked for
        qtbot.keyClicks(w.entry, "Fishing rights near the pier")
        qtbot.keyClick(w.entry, Qt.Key.Key_Return)
        qtbot.keyClick(w.entry, Qt.Key.Key_8, Qt.KeyboardModifier.AltModifier)  # option
        qtbot.keyClicks(w.entry, "Joint customs post on the pier")
        qtbot.keyClick(w.entry, Qt.Key.Key_Return)
        assert w.notes.count() == 4
        # The fear goes into South's profile in one step (the note names the party) ...
        w.notes.setCurrentRow(1)
        qtbot.mouseClick(w.to_profile, Qt.MouseButton.LeftButton)
        # ... the interest was said by the room: Liaison asks whose profile it belongs to.

        def pick_north(d: QWidget) -> None:
            assert isinstance(d, QInputDialog)
            d.setTextValue("North")
            d.accept()

        w.notes.setCurrentRow(2)
        answer_dialog(pick_north, not_this=w)
        qtbot.mouseClick(w.to_profile, Qt.MouseButton.LeftButton)
        # An observation is not a profile entry: said plainly, nothing added.
        w.notes.setCurrentRow(0)
        qtbot.mouseClick(w.to_profile, Qt.MouseButton.LeftButton)
        assert "Only an interest" in w.status.text()
        # Raise the option from its note.
        w.notes.setCurrentRow(3)
        qtbot.mouseClick(w.to_option, Qt.MouseButton.LeftButton)
        assert w.raised_option_id is not None
        # A follow-up agreed in the room: an action, owned by a participant, due in a week.
        qtbot.keyClick(w.entry, Qt.Key.Key_7, Qt.KeyboardModifier.AltModifier)  # action
        qtbot.keyClicks(w.entry, "Send the pier map to both delegations")
        qtbot.keyClick(w.entry, Qt.Key.Key_Return)

        def own(d: QWidget) -> None:
            assert isinstance(d, ActionFromNoteDialog)
            d.owner.setCurrentIndex(d.owner.findText("Ilo Marr"))
            d.due.setDate(QDate(2027, 1, 15))
            d.accept()

        w.notes.setCurrentRow(4)
        answer_dialog(own, not_this=w)
        qtbot.mouseClick(w.to_action, Qt.MouseButton.LeftButton)
        assert w.action_id is not None
        w.accept()

    answer_dialog(notes)
    qtbot.mouseClick(window.findChild(QWidget, "live_notes"), Qt.MouseButton.LeftButton)
    kinds = [n["kind"].value for n in r.find("session_note", order_by="noted_at")]
    assert kinds == ["observation", "fear", "interest", "option", "action"]
    [action] = r.find("action")
    assert action["title"] == "Send the pier map to both delegations"
    assert (action["owner_person_id"], action["due_on"], action["session_id"]) == (
        elder,
        date(2027, 1, 15),
        session["id"],
    )
    profile = {(p["party_id"], p["kind"].value, p["text"]) for p in r.find("profile_entry")}
    assert profile == {
        (south, "fear", "Smuggling returns with the ferry"),
        (north, "interest", "Fishing rights near the pier"),
    }
    assert all(p["source_session_id"] == session["id"] for p in r.find("profile_entry"))
    [option] = r.find("option")
    assert option["title"] == "Joint customs post on the pier"
    assert option["raised_in_session_id"] == session["id"]

    # Record both parties' stances in one dialog, then see them in the matrix.
    options = window.show_section("options")
    assert options.list.current_id() == option["id"]

    def stances(w: QWidget) -> None:
        assert isinstance(w, StancesDialog)
        combo, note = w.rows[north]
        combo.setCurrentIndex(combo.findData("open"))
        qtbot.keyClicks(note, "if customs are civilian")
        combo, _ = w.rows[south]
        combo.setCurrentIndex(combo.findData("opposes"))
        w.session.setCurrentIndex(w.session.findData(session["id"]))
        w.save()

    answer_dialog(stances)
    qtbot.mouseClick(window.findChild(QWidget, "option_stances"), Qt.MouseButton.LeftButton)
    got = {(s["party_id"], s["stance"].value, s["source_session_id"]) for s in r.find("stance")}
    assert got == {(north, "open", session["id"]), (south, "opposes", session["id"])}
    window.sections.setCurrentWidget(window.options_matrix)
    table = window.options_matrix.table
    assert table.item(0, 0).text() == "Joint customs post on the pier"
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert table.item(0, headers.index("North")).text() == "open"
    assert table.item(0, headers.index("South")).text() == "opposes"


def test_merge_split_history_and_undo_from_the_options_board(
    qtbot: Any, window: MainWindow
) -> None:
    r = Records(window.vault)
    case = r.create("case", title="Harbour talks")
    r.create("party", case_id=case, name="North", kind="government")
    ferry = r.create("option", case_id=case, title="Ferry twice a week")
    post = r.create("option", case_id=case, title="Customs post on the pier")
    window.load()
    options = window.show_section("options")
    options.select(ferry)

    def merge(w: QWidget) -> None:
        assert isinstance(w, DeriveDialog)
        w.save()  # nothing chosen to merge with: refused in words, dialog stays open
        assert "at least two" in w.error.text()
        other = w.others.findItems("Customs post on the pier", Qt.MatchFlag.MatchExactly)[0]
        other.setCheckState(Qt.CheckState.Checked)
        qtbot.keyClicks(w.title, "Ferry with a customs post")
        w.save()

    answer_dialog(merge)
    qtbot.mouseClick(window.findChild(QWidget, "option_merge"), Qt.MouseButton.LeftButton)
    merged = next(o for o in r.find("option") if o["title"] == "Ferry with a customs post")
    assert options.list.current_id() == merged["id"]
    assert {r.get("option", i)["status"].value for i in (ferry, post)} == {"merged"}

    def split(w: QWidget) -> None:
        assert isinstance(w, DeriveDialog)
        qtbot.keyClicks(w.parts, "Ferry on Mondays")
        qtbot.keyClick(w.parts, Qt.Key.Key_Return)
        qtbot.keyClicks(w.parts, "Customs post, civilian staff")
        w.save()

    answer_dialog(split)
    qtbot.mouseClick(window.findChild(QWidget, "option_split"), Qt.MouseButton.LeftButton)
    assert r.get("option", merged["id"])["status"].value == "split"
    part = next(o for o in r.find("option") if o["title"] == "Ferry on Mondays")

    # The history of one part shows the whole lineage and the steps, oldest first.
    options.select(part["id"])

    def history(w: QWidget) -> None:
        assert isinstance(w, OptionHistoryDialog)
        roots = [w.tree.topLevelItem(i).text(0) for i in range(w.tree.topLevelItemCount())]
        assert sorted(roots) == ["Customs post on the pier", "Ferry twice a week"]
        child = w.tree.topLevelItem(0).child(0)
        assert child.text(0) == "merged: Ferry with a customs post"
        assert {child.child(i).text(0) for i in range(child.childCount())} == {
            "split: Ferry on Mondays",
            "split: Customs post, civilian staff",
        }
        events = [w.events.item(i, 1).text() for i in range(w.events.rowCount())]
        assert "Split from “Ferry with a customs post”" in events
        assert "Merged from “Ferry twice a week”" in events
        w.reject()

    answer_dialog(history)
    qtbot.mouseClick(window.findChild(QWidget, "option_history"), Qt.MouseButton.LeftButton)

    # Undo the split, then the merge: back to two open options; redo brings the same ids.
    assert window.ctx.undo_stack.undoText() == "Split option"
    window.actions_[ActionId.UNDO].trigger()
    assert r.get("option", merged["id"])["status"].value == "raised"
    assert not [o for o in r.find("option") if o["title"] == "Ferry on Mondays"]
    window.actions_[ActionId.UNDO].trigger()
    assert {o["title"] for o in r.find("option")} == {
        "Ferry twice a week",
        "Customs post on the pier",
    }
    assert {r.get("option", i)["status"].value for i in (ferry, post)} == {"raised"}
    window.actions_[ActionId.REDO].trigger()
    assert r.get("option", merged["id"])["title"] == "Ferry with a customs post"
    assert (
        r.find("option_link", option_id=merged["id"])
        and r.get("option", ferry)["status"].value == "merged"
    )


def test_upcoming_actions_across_cases_open_in_their_case(qtbot: Any, window: MainWindow) -> None:
    r = Records(window.vault)
    a = r.create("case", title="Harbour talks")
    b = r.create("case", title="Valley talks")
    today = datetime.now(UTC).date()
    late = r.create("action", case_id=b, title="Send the map", due_on=today - timedelta(days=2))
    r.create("action", case_id=a, title="Book the ferry", due_on=today + timedelta(days=5))
    r.create("action", case_id=a, title="Far away", due_on=today + timedelta(days=200))
    window.load()
    window.case_list.setCurrentIndex(window.cases_model.index(window.cases_model.row_of(a), 0))

    def upcoming(w: QWidget) -> None:
        assert isinstance(w, UpcomingActionsDialog)
        rows = [[w.table.item(i, c).text() for c in range(4)] for i in range(w.table.rowCount())]
        assert [row[2] for row in rows] == ["Send the map", "Book the ferry"]
        assert rows[0][1] == "Valley talks" and "overdue" in rows[0][0]
        assert w.summary.text() == "2 open, 1 overdue"
        w.table.setCurrentCell(0, 2)
        qtbot.keyClick(w.table, Qt.Key.Key_Return)

    answer_dialog(upcoming)
    window.actions_[ActionId.UPCOMING_ACTIONS].trigger()
    assert window.ctx.case_id == b
    assert window.current_section() is window.show_section("actions")
    assert window.show_section("actions").list.current_id() == late


DRAFT_WRITER = """
import sys, time
from PySide6.QtWidgets import QApplication
from PySide6.QtCore import QSettings
app = QApplication([])
from app.core.vault import Vault, KdfParams
from app.gui.context import AppContext
from app.gui.views.sessions import LiveNotesDialog
v = Vault(sys.argv[1], kdf_sets=(KdfParams(0, 1, 8, 1),))
v.unlock(sys.argv[2])
d = LiveNotesDialog(AppContext(v), int(sys.argv[3]))
d.show()
text = "the delegation leader said the pier could be shared"
for ch in text:
    d.entry.insertPlainText(ch)
    app.processEvents()
    time.sleep(0.01)
print("typed", flush=True)
t = time.time()
while time.time() - t < 1.5:
    app.processEvents()
    time.sleep(0.02)
print("waiting", flush=True)
time.sleep(60)
"""


def test_a_crash_during_live_notes_loses_at_most_a_second(tmp_path: Path) -> None:
    path = tmp_path / "live.liaison"
    v = Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF)
    r = Records(v)
    case = r.create("case", title="Crash during notes")
    session = r.create("session", case_id=case, title="Workshop", kind="joint_workshop")
    v.lock()
    proc = subprocess.Popen(
        [sys.executable, "-c", DRAFT_WRITER, str(path), PASSPHRASE, str(session)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "typed"
    assert proc.stdout.readline().strip() == "waiting"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    time.sleep(0.1)
    again = Vault(path, kdf_sets=FAST_KDF)
    again.unlock(PASSPHRASE)
    try:
        draft = get_setting(again, f"live_notes_draft:{session}")
        assert draft == "the delegation leader said the pier could be shared"
    finally:
        again.lock()


def test_locking_during_live_notes_keeps_what_was_typed(qtbot: Any, window: MainWindow) -> None:
    r = Records(window.vault)
    case = r.create("case", title="Harbour talks")
    session = r.create("session", case_id=case, title="Workshop", kind="joint_workshop")
    path = window.vault.path
    window.load()
    window.show_section("sessions")
    window.sessions.select(session)

    def type_then_lock(w: QWidget) -> None:
        assert isinstance(w, LiveNotesDialog)
        qtbot.keyClicks(w.entry, "They asked for the map")
        window.lock()  # what the idle timer does; no second passes for the autosave
        assert not w.isVisible()

    answer_dialog(type_then_lock)
    qtbot.mouseClick(window.findChild(QWidget, "live_notes"), Qt.MouseButton.LeftButton)
    assert not window.vault.is_unlocked
    again = Vault(path, kdf_sets=FAST_KDF)
    again.unlock(PASSPHRASE)
    try:
        assert get_setting(again, f"live_notes_draft:{session}") == "They asked for the map"
    finally:
        again.lock()


def test_tick_the_interests_an_option_addresses_and_undo(qtbot: Any, window: MainWindow) -> None:
    r = Records(window.vault)
    case = r.create("case", title="Harbour talks")
    north = r.create("party", case_id=case, name="North", kind="government")
    south = r.create("party", case_id=case, name="South", kind="community")
    jobs = r.create("profile_entry", party_id=north, kind="interest", text="Jobs at the port")
    r.create("profile_entry", party_id=south, kind="fear", text="Checkpoints on the pier")
    ferry = r.create("option", case_id=case, title="Ferry twice a week")
    window.load()
    options = window.show_section("options")
    options.select(ferry)

    def tick(w: QWidget) -> None:
        assert isinstance(w, InterestsDialog)
        labels = [w.list.item(i).text() for i in range(w.list.count())]
        assert labels == [
            "North · interest: Jobs at the port",
            "South · fear: Checkpoints on the pier",
        ]
        w.list.item(0).setCheckState(Qt.CheckState.Checked)
        w.save()

    answer_dialog(tick)
    qtbot.mouseClick(window.findChild(QWidget, "option_interests"), Qt.MouseButton.LeftButton)
    from app.core.services.options import interest_choices

    assert [c.entry_id for c in interest_choices(window.vault, ferry) if c.addressed] == [jobs]
    model = options.list.model
    column = next(i for i, c in enumerate(model.spec.columns) if c.key == "interests")
    assert model.index(0, column).data() == "1"
    window.actions_[ActionId.UNDO].trigger()
    assert not any(c.addressed for c in interest_choices(window.vault, ferry))
