"""Sessions in the GUI: plan from a template, live notes with single-key type switching and
autosave, raise an option from the notes and record stances, see the options matrix. The
Sessions and Options sections are driven as the window holds them (tests.gui.test_sessions
_section.Host)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QInputDialog, QWidget

from app.core.services.records import Records
from app.core.services.settings import get_setting
from app.core.vault import Vault
from app.gui.actions import ActionId
from app.gui.context import AppContext
from app.gui.dialogs.upcoming import UpcomingActionsDialog
from app.gui.main_window import MainWindow
from app.gui.models.options_matrix import TITLE
from app.gui.models.sessions_participants import CAPACITY, PERSON
from app.gui.sections.options import (
    DeriveDialog,
    InterestsDialog,
    OptionHistoryDialog,
    StancesDialog,
)
from app.gui.sections.options_section import OptionsSection
from app.gui.sections.sessions import ActionFromNoteDialog, LiveNotesDialog, PlanSessionDialog
from app.gui.sections.sessions_section import SessionsSection
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import answer_dialog
from tests.gui.test_sessions_section import Host

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def ctx(vault: Vault, messages: list[str], styled_app: QApplication) -> Iterator[AppContext]:
    context = AppContext(vault)
    context.error_handler = messages.append
    yield context
    context.undo_stack.clear()


_hosts: list[Host] = []


@pytest.fixture(autouse=True)
def _forget_hosts() -> Iterator[None]:
    yield
    _hosts.clear()


def sessions_of(qtbot: Any, ctx: AppContext, case: int) -> SessionsSection:
    return _shown(qtbot, ctx, case, SessionsSection(ctx))


def options_of(qtbot: Any, ctx: AppContext, case: int) -> OptionsSection:
    return _shown(qtbot, ctx, case, OptionsSection(ctx))


def _shown(qtbot: Any, ctx: AppContext, case: int, section: Any) -> Any:
    host = Host(ctx, section)
    qtbot.addWidget(host)
    host.resize(1280, 800)
    host.show()
    qtbot.waitExposed(host)
    host.open_case(case)
    _hosts.append(host)  # the host owns the section: keep it alive for the test
    return section


def tick(qtbot: Any, view: Any, row: int) -> None:
    """Tick a row of a check list the keyboard way: make it current, press Space."""
    view.setFocus()
    view.setCurrentIndex(view.model().index(row, 0))
    qtbot.keyClick(view, Qt.Key.Key_Space)


def test_plan_live_notes_option_stances_matrix(qtbot: Any, ctx: AppContext) -> None:
    r = Records(ctx.vault)
    case = r.create("case", title="Harbour talks")
    north = r.create("party", case_id=case, name="North", kind="government")
    south = r.create("party", case_id=case, name="South", kind="armed_group")
    minister = r.create("person", name="Dana Ost")
    r.create("affiliation", person_id=minister, party_id=north, role="Deputy minister")
    elder = r.create("person", name="Ilo Marr")
    r.create("affiliation", person_id=elder, party_id=south, role="Elder")
    sessions = sessions_of(qtbot, ctx, case)

    def plan(w: QWidget) -> None:
        assert isinstance(w, PlanSessionDialog)
        w.template.setCurrentIndex(w.template.findData("problem_solving_workshop"))
        w.title.setText("Harbour workshop I")
        # Both sit at the table; the deputy minister in a personal capacity for this one.
        people = w.participants_model
        names = [people.index(i, PERSON).data() for i in range(people.rowCount())]
        assert names == ["Dana Ost", "Ilo Marr"]
        for row in range(2):
            tick(qtbot, w.people, row)
        capacity = w.people.indexWidget(people.index(0, CAPACITY))
        assert isinstance(capacity, QComboBox)
        capacity.setCurrentIndex(capacity.findData("personal"))
        w.save()

    answer_dialog(plan)
    qtbot.mouseClick(sessions.plan, Qt.MouseButton.LeftButton)
    [session] = r.find("session")
    assert session["title"] == "Harbour workshop I"
    assert len(r.find("agenda_item", session_id=session["id"])) == 6
    assert sessions.current() == ("session", session["id"])
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
        assert w.model.rowCount() == 4
        # The fear goes into South's profile in one step (the note names the party) ...
        w.select_note(1)
        qtbot.mouseClick(w.to_profile, Qt.MouseButton.LeftButton)
        # ... the interest was said by the room: Liaison asks whose profile it belongs to.

        def pick_north(d: QWidget) -> None:
            assert isinstance(d, QInputDialog)
            d.setTextValue("North")
            d.accept()

        w.select_note(2)
        answer_dialog(pick_north, not_this=w)
        qtbot.mouseClick(w.to_profile, Qt.MouseButton.LeftButton)
        # An observation is not a profile entry: the button says so before any click.
        w.select_note(0)
        assert not w.to_profile.isEnabled()
        assert w.to_profile.toolTip().startswith("Only an interest")
        # Raise the option from its note.
        w.select_note(3)
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

        w.select_note(4)
        answer_dialog(own, not_this=w)
        qtbot.mouseClick(w.to_action, Qt.MouseButton.LeftButton)
        assert w.action_id is not None
        w.accept()

    answer_dialog(notes)
    qtbot.mouseClick(sessions.live, Qt.MouseButton.LeftButton)
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
    options = options_of(qtbot, ctx, case)
    assert options.current() == ("option", option["id"])

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
    qtbot.mouseClick(options.bar.buttons["stances"], Qt.MouseButton.LeftButton)
    got = {(s["party_id"], s["stance"].value, s["source_session_id"]) for s in r.find("stance")}
    assert got == {(north, "open", session["id"]), (south, "opposes", session["id"])}
    options.pages.setCurrentWidget(options.matrix)
    matrix = options.matrix.model
    assert matrix.index(0, TITLE).data() == "Joint customs post on the pier"
    assert matrix.index(0, matrix.party_column(north) or 0).data() == "open"
    assert matrix.index(0, matrix.party_column(south) or 0).data() == "opposes"


def test_merge_split_history_and_undo_from_the_options_board(qtbot: Any, ctx: AppContext) -> None:
    r = Records(ctx.vault)
    case = r.create("case", title="Harbour talks")
    r.create("party", case_id=case, name="North", kind="government")
    ferry = r.create("option", case_id=case, title="Ferry twice a week")
    post = r.create("option", case_id=case, title="Customs post on the pier")
    options = options_of(qtbot, ctx, case)
    assert options.show_record("option", ferry)

    def merge(w: QWidget) -> None:
        assert isinstance(w, DeriveDialog)
        w.save()  # nothing chosen to merge with: refused in words, dialog stays open
        assert "at least two" in w.error.text()
        row = w.others_model.row_of_label("Customs post on the pier")
        assert row is not None
        tick(qtbot, w.others, row)
        qtbot.keyClicks(w.title, "Ferry with a customs post")
        w.save()

    answer_dialog(merge)
    qtbot.mouseClick(options.bar.buttons["merge"], Qt.MouseButton.LeftButton)
    merged = next(o for o in r.find("option") if o["title"] == "Ferry with a customs post")
    assert options.current() == ("option", merged["id"])
    assert {r.get("option", i)["status"].value for i in (ferry, post)} == {"merged"}

    def split(w: QWidget) -> None:
        assert isinstance(w, DeriveDialog)
        qtbot.keyClicks(w.parts, "Ferry on Mondays")
        qtbot.keyClick(w.parts, Qt.Key.Key_Return)
        qtbot.keyClicks(w.parts, "Customs post, civilian staff")
        w.save()

    answer_dialog(split)
    qtbot.mouseClick(options.bar.buttons["split"], Qt.MouseButton.LeftButton)
    assert r.get("option", merged["id"])["status"].value == "split"
    part = next(o for o in r.find("option") if o["title"] == "Ferry on Mondays")

    # The history of one part shows the whole lineage and the steps, oldest first.
    assert options.show_record("option", part["id"])

    def history(w: QWidget) -> None:
        assert isinstance(w, OptionHistoryDialog)
        tree = w.lineage
        roots = [tree.index(i, 0).data() for i in range(tree.rowCount())]
        assert sorted(roots) == ["Customs post on the pier", "Ferry twice a week"]
        child = tree.index(0, 0, tree.index(0, 0))
        assert child.data() == "merged: Ferry with a customs post"
        assert {tree.index(i, 0, child).data() for i in range(tree.rowCount(child))} == {
            "split: Ferry on Mondays",
            "split: Customs post, civilian staff",
        }
        events = [w.events_model.text(i, 1) for i in range(w.events_model.rowCount())]
        assert "Split from “Ferry with a customs post”" in events
        assert "Merged from “Ferry twice a week”" in events
        w.reject()

    answer_dialog(history)
    qtbot.mouseClick(options.bar.buttons["history"], Qt.MouseButton.LeftButton)

    # Undo the split, then the merge: back to two open options; redo brings the same ids.
    undo = ctx.undo_stack
    assert undo.undoText() == "Split option"
    undo.undo()
    assert r.get("option", merged["id"])["status"].value == "raised"
    assert not [o for o in r.find("option") if o["title"] == "Ferry on Mondays"]
    undo.undo()
    assert {o["title"] for o in r.find("option")} == {
        "Ferry twice a week",
        "Customs post on the pier",
    }
    assert {r.get("option", i)["status"].value for i in (ferry, post)} == {"raised"}
    undo.redo()
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
        rows = [[w.model.index(i, c).data() for c in range(4)] for i in range(w.model.rowCount())]
        assert [row[2] for row in rows] == ["Send the map", "Book the ferry"]
        assert rows[0][1] == "Valley talks" and "overdue" in rows[0][0]
        assert w.summary.text() == "2 open, 1 overdue"
        w.table.setCurrentIndex(w.model.index(0, 2))
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
from app.gui.sections.sessions import LiveNotesDialog
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

    def type_then_lock(w: QWidget) -> None:
        assert isinstance(w, LiveNotesDialog)
        qtbot.keyClicks(w.entry, "They asked for the map")
        window.lock()  # what the idle timer does; no second passes for the autosave
        assert not w.isVisible()

    answer_dialog(type_then_lock)
    LiveNotesDialog(window.ctx, session, window).exec()
    assert not window.vault.is_unlocked
    again = Vault(path, kdf_sets=FAST_KDF)
    again.unlock(PASSPHRASE)
    try:
        assert get_setting(again, f"live_notes_draft:{session}") == "They asked for the map"
    finally:
        again.lock()


def test_tick_the_interests_an_option_addresses_and_undo(qtbot: Any, ctx: AppContext) -> None:
    r = Records(ctx.vault)
    case = r.create("case", title="Harbour talks")
    north = r.create("party", case_id=case, name="North", kind="government")
    south = r.create("party", case_id=case, name="South", kind="community")
    jobs = r.create("profile_entry", party_id=north, kind="interest", text="Jobs at the port")
    r.create("profile_entry", party_id=south, kind="fear", text="Checkpoints on the pier")
    ferry = r.create("option", case_id=case, title="Ferry twice a week")
    options = options_of(qtbot, ctx, case)
    assert options.show_record("option", ferry)

    def ticks(w: QWidget) -> None:
        assert isinstance(w, InterestsDialog)
        labels = [w.model.index(i, 0).data() for i in range(w.model.rowCount())]
        assert labels == [
            "North · interest: Jobs at the port",
            "South · fear: Checkpoints on the pier",
        ]
        tick(qtbot, w.interests, 0)
        w.save()

    answer_dialog(ticks)
    qtbot.mouseClick(options.bar.buttons["interests"], Qt.MouseButton.LeftButton)
    from app.core.services.options import interest_choices

    assert [c.entry_id for c in interest_choices(ctx.vault, ferry) if c.addressed] == [jobs]
    model = options.view.list.model
    column = next(i for i, c in enumerate(model.spec.columns) if c.key == "interests")
    assert model.index(0, column).data() == "1"
    ctx.undo_stack.undo()
    assert not any(c.addressed for c in interest_choices(ctx.vault, ferry))
