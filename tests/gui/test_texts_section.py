"""The Texts section, driven as a user drives it: a new text from its dialog, a heading and
clauses added and typed, a bracket with two sides' wordings, undo and redo with the keys,
moving with Alt+Up, circulating to a party (and being refused for a confidence), the frozen
draft, a critique, and a clause opened from search."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QLabel, QLineEdit, QWidget

from app.core.services.records import Records
from app.core.services.text_circulation import circulate
from app.core.services.text_critiques import critiques_of
from app.core.services.text_wording import bracketed
from app.core.services.texts import add_clause, clauses_of, create_text, drafts_of
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.main_window import MainWindow
from app.gui.models.options_checklist import ID_ROLE
from app.gui.models.text_outline import (
    PARTY_COLUMN,
    WORDING_COLUMN,
    AlternativeRow,
    AlternativesModel,
    DraftsModel,
    OutlineModel,
)
from app.gui.sections.protocol import Section
from app.gui.sections.text_board import TextPage, text_page
from app.gui.sections.text_compare import CompareView
from app.gui.sections.text_critique import CritiqueView
from app.gui.sections.text_dialogs import CirculateDialog, CritiqueDialog, TextDialog
from app.gui.sections.texts_section import TextsSection
from tests.gui.conftest import answer_dialog
from tests.gui.test_main_window import activate
from tests.gui.test_options_section import held_text
from tests.gui.test_sessions_section import Host, inside

pytestmark = pytest.mark.gui

T0 = datetime(2026, 3, 3, 10, 0, tzinfo=UTC)


@pytest.fixture
def ctx(vault: Vault, messages: list[str], styled_app: QApplication) -> Iterator[AppContext]:
    context = AppContext(vault)
    context.error_handler = messages.append
    yield context
    context.undo_stack.clear()


@pytest.fixture
def case(vault: Vault) -> dict[str, int]:
    """A fictional case: two parties, a confidential and a shareable message."""
    r = Records(vault)
    ids = {"case": r.create("case", title="Estrian harbour talks")}
    ids["gov"] = r.create("party", case_id=ids["case"], name="Government", kind="government")
    ids["front"] = r.create("party", case_id=ids["case"], name="Front", kind="armed_group")
    ids["secret"] = r.create(
        "message",
        case_id=ids["case"],
        sender_party_id=ids["gov"],
        said_at=T0,
        disclosure="confidential",
        summary="Could accept joint harbour patrols",
    )
    return ids


_hosts: list[Host] = []


@pytest.fixture(autouse=True)
def _forget_hosts() -> Iterator[None]:
    yield
    _hosts.clear()


def shown(qtbot: Any, ctx: AppContext, case_id: int, size: tuple[int, int]) -> TextsSection:
    section = TextsSection(ctx)
    h = Host(ctx, section)
    qtbot.addWidget(h)
    h.resize(*size)
    h.show()
    qtbot.waitExposed(h)
    h.open_case(case_id)
    h.activateWindow()  # (keys and focus reach it as when the user works in it)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is h, timeout=3000)
    _hosts.append(h)
    return section


def outline(section: TextsSection) -> list[str]:
    """The outline as shown: number and first words."""
    m = section.outline_model
    return [str(m.index(r, 0).data()) for r in range(m.rowCount())]


def numbers(section: TextsSection) -> list[str]:
    return [c.number for c in section.outline_model.clauses]


def click(qtbot: Any, button: QWidget) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def type_wording(qtbot: Any, section: TextsSection, words: str) -> None:
    """Type into the clause's wording (where a new clause puts the cursor), then leave it
    for the outline: the edit is saved as the focus leaves."""
    wording = section.editor.wording
    assert wording.isEnabled() and not wording.isReadOnly()
    wording.setFocus()
    qtbot.keyClicks(wording, words)
    section.outline.setFocus()


def new_text(qtbot: Any, section: TextsSection, title: str, via: QWidget) -> None:
    def fill(w: QWidget) -> None:
        assert isinstance(w, TextDialog)
        qtbot.keyClicks(w.title, title)
        w.kind.setCurrentIndex(w.kind.findData("single_negotiating_text"))
        w.save()

    answer_dialog(fill)
    click(qtbot, via)


def edit_cell(qtbot: Any, section: TextsSection, row: int, column: int) -> QWidget:
    """Open the editor of a cell of the alternatives table, as a double-click does."""
    view = section.editor.alternatives
    index = view.model().index(row, column)
    view.setCurrentIndex(index)
    view.edit(index)
    [editor] = [
        w
        for w in view.viewport().findChildren(
            QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly
        )
        if w.isVisible()
    ]
    return editor


def commit(qtbot: Any, editor: QWidget) -> None:
    """Enter in a cell's editor: the delegate commits and closes it (queued)."""
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    QApplication.processEvents()
    assert not editor.isVisible()


def test_a_text_is_drafted_clause_by_clause_with_a_bracket(
    qtbot: Any, ctx: AppContext, case: dict[str, int], vault: Vault
) -> None:
    section = shown(qtbot, ctx, case["case"], (1280, 800))
    assert isinstance(section, Section)
    assert section.stack.currentWidget() is section.empty  # no text yet: says what they are
    new_text(qtbot, section, "Harbour paper", section.empty.button)
    [text] = section.texts
    assert (text.title, text.kind.value) == ("Harbour paper", "single_negotiating_text")
    assert section.stack.currentWidget() is section.pages
    assert section.drafts_model.index(0, 0).data() == "Working draft 1"

    click(qtbot, section.buttons["new_heading"])
    type_wording(qtbot, section, "The harbour")
    click(qtbot, section.buttons["new_clause"])
    type_wording(qtbot, section, "Ships may enter by day.")
    click(qtbot, section.buttons["new_clause"])
    wording = section.editor.wording
    qtbot.keyClicks(wording, "The parties agree on ")
    click(qtbot, section.editor.bracket)  # {1} at the cursor and a row for it
    qtbot.keyClicks(wording, " in the harbour.")
    assert wording.toPlainText() == "The parties agree on {1} in the harbour."
    cell = edit_cell(qtbot, section, 0, WORDING_COLUMN)
    assert isinstance(cell, QLineEdit)
    qtbot.keyClicks(cell, "joint patrols")
    commit(qtbot, cell)
    combo = edit_cell(qtbot, section, 0, PARTY_COLUMN)
    assert isinstance(combo, QComboBox) and combo.itemText(0) == "Mediator"
    combo.setCurrentIndex(combo.findData(case["gov"]))
    commit(qtbot, combo)
    click(qtbot, section.editor.add_alt)  # a second wording for the same bracket
    combo = edit_cell(qtbot, section, 1, PARTY_COLUMN)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(case["front"]))
    commit(qtbot, combo)
    cell = edit_cell(qtbot, section, 1, WORDING_COLUMN)
    qtbot.keyClicks(cell, "demilitarisation")
    commit(qtbot, cell)
    assert "[Government: joint patrols] [Front: demilitarisation]" in section.editor.reads.text()
    click(qtbot, section.editor.save_button)

    assert numbers(section) == ["1", "1.1", "1.2"]
    rows = outline(section)
    assert rows[0].startswith("1") and "The harbour" in rows[0]
    assert rows[2].endswith("The parties agree on […] in the harbour.")
    bold = section.outline_model.index(0, 0).data(Qt.ItemDataRole.FontRole)
    assert bold is not None and bold.bold()  # a heading
    draft = drafts_of(vault, text.id)[-1]
    last = clauses_of(vault, draft.id)[-1]
    assert bracketed(last.wording, last.alternatives) == (
        "The parties agree on [Government: joint patrols] [Front: demilitarisation] in the harbour."
    )
    assert section.current() == ("clause", last.id)
    # Every button of the bar is whole at 1024×700 too.
    _hosts[-1].resize(1024, 700)
    QApplication.processEvents()
    for b in section.buttons.values():
        assert inside(b, section) and b.width() >= b.sizeHint().width(), b.objectName()


def test_undo_and_redo_with_the_keys_and_alt_up(
    qtbot: Any, window: MainWindow, case: dict[str, int], vault: Vault
) -> None:
    text_id = create_text(vault, case["case"], "Harbour paper")
    working = drafts_of(vault, text_id)[-1].id
    add_clause(vault, working, wording="The harbour", kind="heading")
    add_clause(vault, working, wording="Ships may enter by day.")
    window.load()
    section = window.open_section("texts")
    assert isinstance(section, TextsSection)
    activate(qtbot, window)
    assert numbers(section) == ["1", "1.1"]
    section.outline.setCurrentIndex(section.outline_model.index(1, 0))
    section.outline.setFocus()

    qtbot.keyClick(section.outline, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)  # add
    assert numbers(section) == ["1", "1.1", "1.2"]
    assert section.editor.wording.hasFocus()  # ready to type
    type_wording(qtbot, section, "Fishing boats may stay.")  # an edit
    assert outline(section)[2].endswith("Fishing boats may stay.")
    qtbot.keyClick(section.outline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert outline(section)[2].endswith("(no wording yet)")
    qtbot.keyClick(section.outline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert numbers(section) == ["1", "1.1"]
    qtbot.keyClick(section.outline, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(section.outline, Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert outline(section)[2].endswith("Fishing boats may stay.")
    assert section.clause() is not None and section.clause().wording == "Fishing boats may stay."

    # Alt+Up moves the selected clause up; Ctrl+Z moves it back.
    section.outline.setCurrentIndex(section.outline_model.index(2, 0))
    qtbot.keyClick(section.outline, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    assert [c.wording for c in section.outline_model.clauses][1] == "Fishing boats may stay."
    assert section.outline.currentIndex().row() == 1  # it stays selected
    qtbot.keyClick(section.outline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert [c.wording for c in section.outline_model.clauses][2] == "Fishing boats may stay."

    # Typing, then clicking another clause: the edit is saved and the click selects.
    section.outline.setCurrentIndex(section.outline_model.index(1, 0))
    section.editor.wording.setFocus()
    qtbot.keyClicks(section.editor.wording, " At night too.")
    row_0 = section.outline.visualRect(section.outline_model.index(0, 0)).center()
    qtbot.mouseClick(section.outline.viewport(), Qt.MouseButton.LeftButton, pos=row_0)
    assert section.outline.currentIndex().row() == 0
    assert section.outline_model.clauses[1].wording == "Ships may enter by day. At night too."
    ctx_undo = window.ctx.undo_stack
    assert ctx_undo.undoText() == "Edit clause"
    ctx_undo.undo()

    # Delete (Ctrl+Delete asks first) and undo: the clause comes back in its place, whole.
    section.outline.setCurrentIndex(section.outline_model.index(1, 0))
    key = section.clause().key
    qtbot.keyClick(section.outline, Qt.Key.Key_Delete, Qt.KeyboardModifier.ControlModifier)
    assert [c.wording for c in section.outline_model.clauses] == [
        "The harbour",
        "Fishing boats may stay.",
    ]
    qtbot.keyClick(section.outline, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    back = section.outline_model.clauses[1]
    assert (back.wording, back.key, back.number) == ("Ships may enter by day.", key, "1.1")


def circulate_to(qtbot: Any, section: TextsSection, party: int, seen: list[str]) -> None:
    def handle(w: QWidget) -> None:
        assert isinstance(w, CirculateDialog)
        seen.append(w.intro.text())
        assert not w.ok.isEnabled()  # nobody ticked yet
        row = next(
            r for r in range(w.model.rowCount()) if w.model.index(r, 0).data(ID_ROLE) == party
        )
        w.parties.setCurrentIndex(w.model.index(row, 0))
        qtbot.keyClick(w.parties, Qt.Key.Key_Space)
        assert w.ticked() == [party] and w.ok.isEnabled()
        click(qtbot, w.ok)

    answer_dialog(handle)
    click(qtbot, section.buttons["circulate"])


def test_circulating_freezes_the_draft_and_starts_the_next(
    qtbot: Any, ctx: AppContext, case: dict[str, int], vault: Vault, messages: list[str]
) -> None:
    text_id = create_text(vault, case["case"], "Harbour paper")
    add_clause(vault, drafts_of(vault, text_id)[-1].id, wording="Ships may enter by day.")
    section = shown(qtbot, ctx, case["case"], (1024, 700))
    seen: list[str] = []
    circulate_to(qtbot, section, case["front"], seen)
    assert "cannot be undone" in seen[0]
    labels = [str(section.drafts_model.index(r, 0).data()) for r in range(2)]
    assert labels[0].startswith("Draft 1 · ") and labels[0].endswith(" · to Front")
    assert labels[1] == "Working draft 2"
    assert section.draft() is not None and section.draft().working  # editing goes on there
    assert ctx.undo_stack.count() == 0  # a delivery, not an edit
    # Draft 1 shows read-only, saying why.
    section.drafts.setCurrentIndex(section.drafts_model.index(0, 0))
    editor = section.editor
    assert editor.banner.isVisible()
    assert editor.banner.text().startswith("Draft 1 was circulated on ")
    assert "to Front; it cannot change. Edit the working draft." in editor.banner.text()
    assert editor.wording.isReadOnly() and not editor.kind.isEnabled()
    assert not editor.bracket.isVisible() and not editor.save_button.isVisible()
    assert not section.buttons["new_clause"].isEnabled()
    assert "circulated and cannot change" in section.buttons["new_clause"].toolTip()
    section.new_record()  # Ctrl+N here says why nothing happens
    assert "Draft 1 was circulated and cannot change" in messages[-1]
    # The Critique and Compare pages show this text's drafts.
    draft_1 = section.draft()
    assert draft_1 is not None
    section.pages.setCurrentWidget(section.critique)
    assert isinstance(section.critique, CritiqueView)
    assert section.critique.current_draft_id() == draft_1.id
    section.pages.setCurrentWidget(section.compare)
    assert isinstance(section.compare, CompareView)
    assert draft_1.id in section.compare.current_pair()
    section.pages.setCurrentWidget(section.board)
    # Record a critique of it.

    def critique(w: QWidget) -> None:
        assert isinstance(w, CritiqueDialog)
        assert [w.party.itemText(i) for i in range(w.party.count())] == ["Front"]
        w.reaction.setCurrentIndex(w.reaction.findData("accepts_with_changes"))
        qtbot.keyClicks(w.proposed, "Ships may enter by day and night.")
        w.save()

    answer_dialog(critique)
    click(qtbot, section.buttons["critique"])
    clause = section.clause()
    assert clause is not None
    [recorded] = critiques_of(vault, clause.id)
    assert recorded.reaction == "accepts_with_changes" and recorded.party_id == case["front"]
    ctx.undo_stack.undo()
    assert critiques_of(vault, clause.id) == []
    # A cell of the critique matrix double-clicked opens the dialog for that party.
    chosen: list[str] = []

    def from_matrix(w: QWidget) -> None:
        assert isinstance(w, CritiqueDialog)
        chosen.append(w.party.currentText())
        w.reject()

    answer_dialog(from_matrix)
    section.critique.critique_requested.emit(clause.id, case["front"])
    assert chosen == ["Front"]


def test_a_clause_from_a_confidence_cannot_be_circulated(
    qtbot: Any, ctx: AppContext, case: dict[str, int], vault: Vault
) -> None:
    text_id = create_text(vault, case["case"], "Harbour paper")
    working = drafts_of(vault, text_id)[-1].id
    add_clause(vault, working, wording="Ships may enter by day.")
    add_clause(vault, working, wording="Joint patrols.", source_message_id=case["secret"])
    section = shown(qtbot, ctx, case["case"], (1280, 800))
    shown_refusals: list[str] = []

    def handle(w: QWidget) -> None:
        assert isinstance(w, CirculateDialog)
        w.tick(case["front"])
        assert not w.ok.isEnabled()
        assert w.refusals.isVisible() and w.refusals.count() == 1
        shown_refusals.append(w.refusals.item(0).text())
        w.save()  # (OK is disabled: nothing happens, the dialog stays open)
        assert w.isVisible()
        w.reject()

    answer_dialog(handle)
    click(qtbot, section.buttons["circulate"])
    assert shown_refusals[0].startswith("Clause 2 cannot go to Front")
    assert "confidential" in shown_refusals[0]
    assert [d.working for d in drafts_of(vault, text_id)] == [True]  # nothing circulated


def test_search_opens_a_clause_its_alternative_and_its_critique(
    qtbot: Any, window: MainWindow, case: dict[str, int], vault: Vault
) -> None:
    text_id = create_text(vault, case["case"], "Harbour paper")
    working = drafts_of(vault, text_id)[-1].id
    add_clause(vault, working, wording="Preamble")
    target = add_clause(vault, working, wording="Ships may enter by {1}.")
    r = Records(vault)
    alt = r.create("alternative", clause_id=target, slot=1, wording="day")
    done = circulate(vault, working, [case["gov"]], at=T0)
    from app.core.services.text_critiques import record_critique

    critique = record_critique(vault, target, case["gov"], "rejects")
    window.load()
    window.open_section("overview")
    window.ctx.open_record.emit("clause", target, case["case"])  # as a search result does
    section = window.section_in_view()
    assert isinstance(section, TextsSection)
    assert section.draft() is not None and section.draft().id == working  # draft 1
    assert section.current() == ("clause", target)
    section.outline.setCurrentIndex(section.outline_model.index(0, 0))
    window.open_record("alternative", alt, case["case"])
    assert section.current() == ("clause", target)
    assert section.show_record("draft", done.working_draft_id)
    assert section.draft() is not None and section.draft().working
    assert section.show_record("critique", critique)
    assert section.current() == ("clause", target)
    assert not section.show_record("session", 1)
    assert not section.show_record("clause", 99_999)


def test_a_circulated_text_stays_and_a_new_one_deletes_and_comes_back(
    qtbot: Any, ctx: AppContext, case: dict[str, int], vault: Vault, messages: list[str]
) -> None:
    kept = create_text(vault, case["case"], "Harbour paper")
    add_clause(vault, drafts_of(vault, kept)[-1].id, wording="Ships may enter by day.")
    circulate(vault, drafts_of(vault, kept)[-1].id, [case["gov"]], at=T0)
    section = shown(qtbot, ctx, case["case"], (1280, 800))
    section.show_record("text", kept)
    click(qtbot, section.delete_text_button)
    assert messages and "stays in the case" in messages[-1]
    assert any(t.id == kept for t in section.texts)
    # Edit… renames it (undoable).

    def rename(w: QWidget) -> None:
        assert isinstance(w, TextDialog) and w.title.text() == "Harbour paper"
        w.title.selectAll()
        qtbot.keyClicks(w.title, "Harbour and ferries paper")
        w.save()

    answer_dialog(rename)
    click(qtbot, section.edit_text_button)
    assert section.text_combo.currentText() == "Harbour and ferries paper"
    ctx.undo_stack.undo()
    assert section.text_combo.currentText() == "Harbour paper"
    new_text(qtbot, section, "Scratch", section.new_text_button)
    scratch = section.text()
    assert scratch is not None and scratch.title == "Scratch"
    section.delete_record()  # Ctrl+Delete on the text (no clause in it)
    assert [t.title for t in section.texts] == ["Harbour paper"]
    ctx.undo_stack.undo()
    assert sorted(t.title for t in section.texts) == ["Harbour paper", "Scratch"]


def test_discarding_the_working_changes_is_undoable(
    qtbot: Any, ctx: AppContext, case: dict[str, int], vault: Vault
) -> None:
    text_id = create_text(vault, case["case"], "Harbour paper")
    add_clause(vault, drafts_of(vault, text_id)[-1].id, wording="Ships may enter by day.")
    circulate(vault, drafts_of(vault, text_id)[-1].id, [case["gov"]], at=T0)
    section = shown(qtbot, ctx, case["case"], (1280, 800))
    click(qtbot, section.buttons["new_clause"])
    type_wording(qtbot, section, "A scribble")
    assert numbers(section) == ["1", "2"]
    # Another clause chosen while an edit is unsaved (no focus change): saved first.
    qtbot.keyClicks(section.editor.wording, " twice")
    section.outline.setCurrentIndex(section.outline_model.index(0, 0))
    assert section.outline.currentIndex().row() == 0
    assert section.editor.clause is not None and section.editor.clause.number == "1"
    assert section.outline_model.clauses[1].wording == "A scribble twice"
    click(qtbot, section.buttons["discard"])  # asks (answered Yes)
    assert [c.wording for c in section.outline_model.clauses] == ["Ships may enter by day."]
    assert section.draft() is not None and section.draft().working
    ctx.undo_stack.undo()
    assert [c.wording for c in section.outline_model.clauses][-1] == "A scribble twice"
    ctx.undo_stack.redo()
    assert numbers(section) == ["1"]


def test_models_pass_the_model_tester(qtmodeltester: Any, vault: Vault) -> None:
    r = Records(vault)
    case_id = r.create("case", title="Estrian harbour talks")
    party = r.create("party", case_id=case_id, name="Front", kind="armed_group")
    text_id = create_text(vault, case_id, "Harbour paper")
    working = drafts_of(vault, text_id)[-1].id
    add_clause(vault, working, wording="The harbour", kind="heading")
    add_clause(vault, working, wording="Ships may enter by {1}.")
    circulate(vault, working, [party], at=T0)
    drafts = DraftsModel()
    drafts.load(drafts_of(vault, text_id))
    qtmodeltester.check(drafts)
    lines = OutlineModel()
    lines.load(clauses_of(vault, working))
    qtmodeltester.check(lines)
    assert lines.index(1, 0).data() == "1.1\u2003Ships may enter by […]."
    alternatives = AlternativesModel(lambda kind: {party: "Front"})
    alternatives.load([AlternativeRow(1, party, "day"), AlternativeRow(1, None, "night")])
    qtmodeltester.check(alternatives)
    assert alternatives.index(0, PARTY_COLUMN).data() == "Front"
    assert alternatives.index(1, PARTY_COLUMN).data() == "Mediator"
    assert alternatives.setData(alternatives.index(1, WORDING_COLUMN), "dusk")
    assert alternatives.alternatives()[1].wording == "dusk"
    assert not alternatives.setData(QModelIndex(), "x")


def test_a_missing_page_is_a_placeholder(ctx: AppContext) -> None:
    """The Critique and Compare pages come from their own modules; without one, the section
    still works and says so on that page."""
    page = text_page(ctx, "no_such_page_module", "NoSuchView")
    assert isinstance(page, QLabel) and isinstance(page, TextPage)
    assert "not available" in page.text()
    page.set_text(1)
    page.show_draft(1)
    page.deleteLater()


def test_clear_leaves_nothing_of_the_vault(
    qtbot: Any, ctx: AppContext, case: dict[str, int], vault: Vault
) -> None:
    text_id = create_text(vault, case["case"], "Harbour paper")
    working = drafts_of(vault, text_id)[-1].id
    add_clause(vault, working, wording="Ships may enter by day.", proposed_by_party_id=case["gov"])
    section = shown(qtbot, ctx, case["case"], (1280, 800))
    for page in range(section.pages.count()):
        section.pages.setCurrentIndex(page)
    section.pages.setCurrentIndex(0)
    before = held_text(section)
    for secret in ("Harbour paper", "Ships may enter by day.", "Government"):
        assert secret in before
    section.clear()
    after = held_text(section)
    for secret in ("Harbour paper", "Ships may enter by day.", "Government"):
        assert secret not in after, secret
