"""Sessions in the GUI: plan from a template, live notes with single-key type switching and
autosave, raise an option from the notes and record stances, see the options matrix."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from app.core.services.records import Records
from app.core.services.settings import get_setting
from app.core.vault import Vault
from app.gui.main_window import MainWindow
from app.gui.views.sessions import LiveNotesDialog, PlanSessionDialog
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import answer_dialog

ROOT = Path(__file__).resolve().parents[2]


def test_plan_live_notes_option_stances_matrix(qtbot: Any, window: MainWindow) -> None:
    r = Records(window.vault)
    case = r.create("case", title="Harbour talks")
    north = r.create("party", case_id=case, name="North", kind="government")
    window.load()
    window.show_section("sessions")

    def plan(w: QWidget) -> None:
        assert isinstance(w, PlanSessionDialog)
        w.template.setCurrentIndex(w.template.findData("problem_solving_workshop"))
        w.title.setText("Harbour workshop I")
        w.save()

    answer_dialog(plan)
    qtbot.mouseClick(window.findChild(QWidget, "plan_session"), Qt.MouseButton.LeftButton)
    [session] = r.find("session")
    assert session["title"] == "Harbour workshop I"
    assert len(r.find("agenda_item", session_id=session["id"])) == 6
    assert window.sessions.list.current_id() == session["id"]

    def notes(w: QWidget) -> None:
        assert isinstance(w, LiveNotesDialog)
        qtbot.keyClicks(w.entry, "Both want the ferry back")
        qtbot.keyClick(w.entry, Qt.Key.Key_Return)
        qtbot.keyClick(w.entry, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)  # fear
        qtbot.keyClicks(w.entry, "Smuggling returns with the ferry")
        qtbot.keyClick(w.entry, Qt.Key.Key_Return)
        qtbot.keyClick(w.entry, Qt.Key.Key_8, Qt.KeyboardModifier.AltModifier)  # option
        qtbot.keyClicks(w.entry, "Joint customs post on the pier")
        qtbot.keyClick(w.entry, Qt.Key.Key_Return)
        assert w.notes.count() == 3
        w.accept()

    answer_dialog(notes)
    qtbot.mouseClick(window.findChild(QWidget, "live_notes"), Qt.MouseButton.LeftButton)
    kinds = [n["kind"].value for n in r.find("session_note", order_by="noted_at")]
    assert kinds == ["observation", "fear", "option"]

    # Raise the option from the notes, record a stance, see it in the matrix.
    option_text = r.find("session_note", kind="option")[0]["text"]
    option = r.create(
        "option",
        case_id=case,
        title=option_text,
        raised_in_session_id=session["id"],
        raised_by="facilitator",
    )
    r.create("stance", option_id=option, party_id=north, stance="open")
    window.ctx.notify("stance", None)
    window.sections.setCurrentWidget(window.options_matrix)
    table = window.options_matrix.table
    assert table.item(0, 0).text() == "Joint customs post on the pier"
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    assert table.item(0, headers.index("North")).text() == "open"


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
