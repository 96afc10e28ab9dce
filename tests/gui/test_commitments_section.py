"""The Commitments section, driven as a user drives it: Ctrl+7 opens it, a new commitment
typed in its dialog and saved with the keyboard, undone with Ctrl+Z and redone, an outcome the
course rules refuse (kept after the due date: the sentence says "kept late") and then the
right one, overdue and due-soon rows marked, each party's record in words, the filters, a
delete undone with its course, a commitment opened from search; and the Qt models checked
with qtmodeltester."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication, QWidget

from app.core.models import CommitmentStatus, Verification
from app.core.services.commitments import (
    NewCommitment,
    NewOutcome,
    create_commitment,
    get_commitment,
    record_outcome,
    register,
)
from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.main_window import MainWindow
from app.gui.models.commitment_register import (
    AMBER,
    STATUS,
    WHAT,
    CommitmentRegisterModel,
    CourseModel,
    Show,
)
from app.gui.sections.commitment_dialogs import CommitmentDialog, OutcomeDialog
from app.gui.sections.commitments_section import CommitmentsSection
from app.gui.widgets.dialog_parts import ERROR_RED
from tests.gui.conftest import answer_dialog
from tests.gui.test_main_window import activate

pytestmark = pytest.mark.gui

CTRL = Qt.KeyboardModifier.ControlModifier
TODAY = date.today()
MADE = datetime.now(UTC).replace(microsecond=0) - timedelta(days=30)


def days(n: int) -> date:
    return TODAY + timedelta(days=n)


@pytest.fixture
def case(vault: Vault) -> dict[str, int]:
    """A case with two parties and four commitments: one overdue, one due soon, one kept on
    time, one broken."""
    r = Records(vault)
    ids = {"case": r.create("case", title="Estrian harbour talks")}
    ids["gov"] = r.create("party", case_id=ids["case"], name="Government", kind="government")
    ids["front"] = r.create("party", case_id=ids["case"], name="Front", kind="armed_group")

    def promise(party: str, what: str, due: date) -> int:
        new = NewCommitment(ids[party], what, MADE, due_on=due, to_party_id=None)
        return create_commitment(vault, ids["case"], new)

    ids["late"] = promise("front", "Release twelve detainees", days(-10))
    ids["soon"] = promise("gov", "Open the harbour road", days(5))
    ids["kept"] = promise("gov", "Return the fishing boats", days(-20))
    record_outcome(vault, ids["kept"], NewOutcome(days(-25), CommitmentStatus.KEPT, "ICRC"))
    ids["broken"] = promise("front", "Stop night patrols", days(-15))
    ids["broken_outcome"] = record_outcome(
        vault, ids["broken"], NewOutcome(days(-14), CommitmentStatus.BROKEN)
    )
    return ids


def opened(qtbot: Any, window: MainWindow) -> CommitmentsSection:
    """The window on its first case, Ctrl+7 pressed: the Commitments section in view."""
    window.load()
    activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_7, CTRL)
    assert window.section_key() == "commitments"
    section = window.section_in_view()
    assert isinstance(section, CommitmentsSection)
    return section


def whats(section: CommitmentsSection) -> list[str]:
    m = section.model
    return [m.index(r, WHAT).data() for r in range(m.rowCount())]


def row_of(section: CommitmentsSection, what: str) -> int:
    return whats(section).index(what)


def select(section: CommitmentsSection, commitment_id: int) -> None:
    assert section.select(commitment_id)
    section.table.setFocus()


def focus_window(qtbot: Any, dialog: QWidget) -> None:
    dialog.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is dialog, timeout=3000)


def test_ctrl_7_opens_the_register_in_due_order(
    qtbot: Any, window: MainWindow, case: dict[str, int]
) -> None:
    section = opened(qtbot, window)
    assert whats(section) == [
        "Return the fishing boats",
        "Stop night patrols",
        "Release twelve detainees",
        "Open the harbour road",
    ]
    assert section.current() == ("commitment", case["kept"])  # the first row, shown
    assert "Return the fishing boats" in section.detail.text()
    assert section.course_model.rowCount() == 1


def test_a_new_commitment_by_keyboard_then_undo_and_redo(
    qtbot: Any, window: MainWindow, case: dict[str, int]
) -> None:
    section = opened(qtbot, window)

    def type_it(dialog: QWidget) -> None:
        assert isinstance(dialog, CommitmentDialog)
        focus_window(qtbot, dialog)
        assert dialog.party.hasFocus()  # a new commitment starts with who promised
        qtbot.keyClicks(dialog.party, "F")  # the Front, by its first letter
        assert dialog.party.currentText() == "Front"
        qtbot.keyClicks(dialog.what, "Hand over the harbour maps")
        qtbot.keyClicks(dialog.condition, "if the road opens first")
        qtbot.keyClick(dialog.what, Qt.Key.Key_Return, CTRL)  # Ctrl+Enter saves
        assert not dialog.isVisible()

    answer_dialog(type_it)
    qtbot.keyClick(section.table, Qt.Key.Key_N, CTRL)
    assert "Hand over the harbour maps" in whats(section)
    kind, new_id = section.current() or ("", 0)
    assert kind == "commitment"
    made = get_commitment(window.vault, new_id)
    assert (made.party_id, made.condition) == (case["front"], "if the road opens first")
    assert "Front</b>: kept 0 of 2 on time (1 broken, 1 overdue, 1 pending)" in (
        section.records.text()
    )

    activate(qtbot, window)  # (the dialog was the active window)
    qtbot.keyClick(section.table, Qt.Key.Key_Z, CTRL)
    assert "Hand over the harbour maps" not in whats(section)
    qtbot.keyClick(section.table, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert "Hand over the harbour maps" in whats(section)
    assert get_commitment(window.vault, new_id).what == "Hand over the harbour maps"


def test_kept_after_the_due_date_is_refused_in_words_and_kept_late_is_recorded(
    qtbot: Any, window: MainWindow, case: dict[str, int]
) -> None:
    section = opened(qtbot, window)
    select(section, case["late"])  # due ten days ago, nothing recorded yet
    refusals: list[str] = []

    def record(dialog: QWidget) -> None:
        assert isinstance(dialog, OutcomeDialog)
        focus_window(qtbot, dialog)
        late = days(-3)
        dialog.on.setDate(dialog.on.date().addDays(-3))
        assert dialog.status.currentData() == CommitmentStatus.KEPT.value
        qtbot.keyClicks(dialog.verified_by, "ICRC")
        qtbot.keyClick(dialog.status, Qt.Key.Key_Return, CTRL)
        refusals.append(dialog.error.text())
        assert dialog.isVisible()  # still open, with what was typed
        assert dialog.verified_by.text() == "ICRC"
        assert not get_commitment(window.vault, case["late"]).outcomes  # nothing saved
        dialog.status.setCurrentIndex(dialog.status.findData("kept_late"))
        assert dialog.error.text() == ""  # a new choice: the old refusal is gone
        qtbot.keyClick(dialog.status, Qt.Key.Key_Return, CTRL)
        assert not dialog.isVisible()
        assert late == get_commitment(window.vault, case["late"]).outcomes[0].on

    answer_dialog(record)
    qtbot.keyClick(section.table, Qt.Key.Key_R, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert refusals and "so keeping it on" in refusals[0] and "“kept late”" in refusals[0]
    status = section.model.index(row_of(section, "Release twelve detainees"), STATUS).data()
    assert status.startswith("Kept late · ")
    assert section.course_model.rowCount() == 1
    assert "verified by ICRC" in section.course_model.index(0, 0).data()


def test_overdue_rows_are_red_and_say_so_and_due_soon_ones_amber(
    qtbot: Any, window: MainWindow, case: dict[str, int]
) -> None:
    section = opened(qtbot, window)
    m = section.model
    late = row_of(section, "Release twelve detainees")
    soon = row_of(section, "Open the harbour road")
    kept = row_of(section, "Return the fishing boats")
    assert m.index(late, STATUS).data() == "Overdue"
    assert m.index(soon, STATUS).data() == "Due soon"
    assert m.index(kept, STATUS).data().startswith("Kept · ")

    def colour(row: int) -> str | None:
        brush = m.index(row, WHAT).data(Qt.ItemDataRole.ForegroundRole)
        return brush.color().name() if brush is not None else None

    assert colour(late) == QColor(ERROR_RED).name()
    assert colour(soon) == QColor(AMBER).name()
    assert colour(kept) is None


def test_the_party_record_strip_says_each_partys_record(
    qtbot: Any, window: MainWindow, case: dict[str, int]
) -> None:
    section = opened(qtbot, window)
    text = section.records.text()
    assert "Front</b>: kept 0 of 2 on time (1 broken, 1 overdue)" in text
    assert "Government</b>: kept 1 of 1 on time (1 pending)" in text
    assert text.index("Front") < text.index("Government")  # by name


def test_the_filters_narrow_the_register(
    qtbot: Any, window: MainWindow, case: dict[str, int]
) -> None:
    section = opened(qtbot, window)
    combo = section.show_combo
    combo.setFocus()
    combo.setCurrentIndex(combo.findData(Show.ATTENTION.name))
    assert whats(section) == ["Release twelve detainees", "Open the harbour road"]
    combo.setCurrentIndex(combo.findData(Show.RESOLVED.name))
    assert whats(section) == ["Return the fishing boats", "Stop night patrols"]
    combo.setCurrentIndex(combo.findData(Show.PENDING.name))
    parties = section.party_combo
    parties.setCurrentIndex(parties.findData(case["gov"]))
    assert whats(section) == ["Open the harbour road"]
    combo.setCurrentIndex(combo.findData(Show.RESOLVED.name))
    parties.setCurrentIndex(parties.findData(case["front"]))
    assert whats(section) == ["Stop night patrols"]
    section.show_all()
    assert len(whats(section)) == 4


def test_delete_with_del_and_undo_brings_it_back_with_its_course(
    qtbot: Any, window: MainWindow, case: dict[str, int]
) -> None:
    section = opened(qtbot, window)
    select(section, case["broken"])
    qtbot.keyClick(section.table, Qt.Key.Key_Delete)  # asks first (answered Yes)
    assert "Stop night patrols" not in whats(section)
    assert all(r.id != case["broken"] for r in register(window.vault, case["case"]))
    activate(qtbot, window)
    qtbot.keyClick(section.table, Qt.Key.Key_Z, CTRL)
    back = get_commitment(window.vault, case["broken"])
    assert [o.id for o in back.outcomes] == [case["broken_outcome"]]
    assert back.status is CommitmentStatus.BROKEN
    assert section.current() == ("commitment", case["broken"])
    assert "Front</b>: kept 0 of 2 on time (1 broken, 1 overdue)" in section.records.text()


def test_enter_edits_and_del_deletes_an_outcome_in_the_course(
    qtbot: Any, window: MainWindow, case: dict[str, int]
) -> None:
    section = opened(qtbot, window)
    select(section, case["soon"])

    def edit(dialog: QWidget) -> None:
        assert isinstance(dialog, CommitmentDialog)
        assert dialog.what.toPlainText() == "Open the harbour road"
        assert dialog.party.currentData() == case["gov"]  # (the second party of the list)
        dialog.what.selectAll()
        qtbot.keyClicks(dialog.what, "Open the harbour road to lorries")
        dialog.save()

    answer_dialog(edit)
    qtbot.keyClick(section.table, Qt.Key.Key_Return)
    assert "Open the harbour road to lorries" in whats(section)
    # The broken promise's outcome: Enter changes it, Del removes it, Ctrl+Z brings it back.
    select(section, case["broken"])
    section.course.setFocus()
    assert section.selected_outcome() is not None

    def note(dialog: QWidget) -> None:
        assert isinstance(dialog, OutcomeDialog)
        qtbot.keyClicks(dialog.note, "Patrols seen twice")
        dialog.save()

    answer_dialog(note)
    qtbot.keyClick(section.course, Qt.Key.Key_Return)
    assert get_commitment(window.vault, case["broken"]).outcomes[0].note == "Patrols seen twice"
    section.course.setFocus()
    qtbot.keyClick(section.course, Qt.Key.Key_Delete)
    assert not get_commitment(window.vault, case["broken"]).outcomes
    assert section.model.index(row_of(section, "Stop night patrols"), STATUS).data() == "Overdue"
    activate(qtbot, window)
    qtbot.keyClick(section.table, Qt.Key.Key_Z, CTRL)
    assert get_commitment(window.vault, case["broken"]).status is CommitmentStatus.BROKEN


def test_an_outcome_found_by_search_opens_in_its_commitments_course(
    qtbot: Any, window: MainWindow, case: dict[str, int]
) -> None:
    window.load()
    window.open_section("overview")
    window.ctx.open_record.emit("commitment_event", case["broken_outcome"], case["case"])
    assert window.section_key() == "commitments"
    section = window.section_in_view()
    assert isinstance(section, CommitmentsSection)
    assert section.current() == ("commitment", case["broken"])
    outcome = section.selected_outcome()
    assert outcome is not None and outcome.id == case["broken_outcome"]
    # A commitment hidden by the filter is shown all the same.
    section.show_combo.setCurrentIndex(section.show_combo.findData(Show.RESOLVED.name))
    window.ctx.open_record.emit("commitment", case["late"], case["case"])
    assert section.current() == ("commitment", case["late"])


def test_an_empty_register_says_what_a_commitment_is_and_needs_parties_first(
    qtbot: Any, window: MainWindow, vault: Vault, messages: list[str]
) -> None:
    Records(vault).create("case", title="A new case")
    window.load()
    section = window.open_section("commitments")
    assert isinstance(section, CommitmentsSection)
    assert section.stack.currentWidget() is section.empty
    assert section.empty.title.text() == "No commitments yet"
    section.empty.button.click()  # "New commitment…", but the case has no party yet
    assert messages and "add the case's parties first" in messages[-1]
    assert section.current() is None


def test_lock_leaves_nothing_in_the_section(
    qtbot: Any, window: MainWindow, case: dict[str, int]
) -> None:
    section = opened(qtbot, window)
    assert "Front" in section.records.text()
    window.lock()
    assert section.current() is None
    assert section.model.rowCount() == 0
    assert not section.records.text() and not section.detail.text()
    parties = [section.party_combo.itemText(i) for i in range(section.party_combo.count())]
    assert "Front" not in parties


def test_register_and_course_models_pass_the_model_tester(
    qtmodeltester: Any, vault: Vault, case: dict[str, int]
) -> None:
    rows = register(vault, case["case"], today=TODAY)
    model = CommitmentRegisterModel()
    model.set_register(rows, TODAY)
    qtmodeltester.check(model)
    model.sort(STATUS, Qt.SortOrder.DescendingOrder)
    assert model.index(model.rowCount() - 1, STATUS).data() == "Overdue"
    model.set_filter(Show.PENDING, case["front"])
    assert model.rowCount() == 1
    qtmodeltester.check(model)
    model.clear()
    qtmodeltester.check(model)
    course = CourseModel()
    broken = next(r for r in rows if r.id == case["broken"])
    course.set_course(broken.outcomes, lambda _i: "a message")
    qtmodeltester.check(course)
    assert course.index(0, 0).data().split("\n")[0].endswith("Broken")
    record_outcome(
        vault,
        case["soon"],
        NewOutcome(TODAY, CommitmentStatus.KEPT, how=Verification.OUTSIDE, note="Seen open"),
    )
    soon = get_commitment(vault, case["soon"])
    course.set_course(soon.outcomes)
    assert "from an outside source" in course.index(0, 0).data()
    assert "Seen open" in course.index(0, 0).data()
