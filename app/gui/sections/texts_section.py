"""The Texts section: the case's texts (joint papers drafted clause by clause) and three
pages. "Draft": the text's drafts and the outline of the selected one's clauses on the left,
the clause editor on the right, and a bar (new clause or heading, move, delete, circulate,
record a critique, discard the working changes). "Critique": clauses × parties of a draft.
"Compare": two drafts side by side. Every edit is undoable; circulating is not (it is a
delivery to the parties). (The editor: text_editor.py; the dialogs: text_dialogs.py.)"""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LiaisonError
from app.core.models import ClauseKind
from app.core.services.texts import (
    ClauseInfo,
    DraftInfo,
    TextInfo,
    clause_info,
    clauses_of,
    draft_info,
    drafts_of,
    texts_of_case,
)
from app.gui.context import AppContext
from app.gui.forms import blocked
from app.gui.labels import enum_label, tr
from app.gui.models.text_outline import (
    frozen_sentence,
    preview,
)
from app.gui.resources import icon
from app.gui.sections.sessions_section import bar_button
from app.gui.sections.text_board import DraftBoard, TextPage, text_page
from app.gui.sections.text_commands import (
    AddClause,
    DeleteClause,
    DeleteText,
    DiscardWorkingChanges,
    MoveClause,
)
from app.gui.sections.text_dialogs import CirculateDialog, CritiqueDialog, TextDialog
from app.gui.widgets.empty_state import EmptyState

_Index = QModelIndex | QPersistentModelIndex


class TextsSection(QWidget):
    """Implements app.gui.sections.protocol.Section for texts, drafts and clauses."""

    current_changed = Signal()  # current() may have changed: the window updates its actions
    watches: frozenset[str] = frozenset(
        {"text", "draft", "clause", "alternative", "critique", "delivery", "option", "party"}
    )

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.texts: list[TextInfo] = []
        self._text_id: int | None = None
        self._draft_id: int | None = None
        self._clause_key: int | None = None
        self._clause_row = 0
        self._loading = False
        # What each of the other pages was last given (text, draft), and which are fresh.
        self._pages_given: dict[int, tuple[int | None, int | None]] = {}
        self._pages_fresh: set[int] = set()
        # The text, and what can be done with it.
        self.text_combo = QComboBox()
        self.text_combo.setObjectName("texts_combo")
        self.text_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.text_combo.setMinimumContentsLength(24)
        self.new_text_button = bar_button(
            "new_text", tr("New text…"), "add", tr("A new joint paper, with an empty draft")
        )
        self.edit_text_button = bar_button(
            "edit_text", tr("Edit…"), "edit", tr("This text's title, kind and purpose")
        )
        self.delete_text_button = bar_button(
            "delete_text", tr("Delete"), "delete", tr("Delete this text (never circulated)")
        )
        self.top = QWidget()
        top = QHBoxLayout(self.top)
        top.setContentsMargins(6, 6, 6, 0)
        top.addWidget(QLabel(tr("Text")))
        top.addWidget(self.text_combo, 1)
        for b in (self.new_text_button, self.edit_text_button, self.delete_text_button):
            top.addWidget(b)
        # The Draft page: drafts and outline on the left, the clause on the right.
        self.board = DraftBoard(ctx)
        self.drafts_model, self.drafts = self.board.drafts_model, self.board.drafts
        self.outline_model, self.outline = self.board.outline_model, self.board.outline
        self.editor, self.buttons = self.board.editor, self.board.buttons
        self.editor.empty.activated.connect(self.new_record)
        bar = self.buttons
        bar["new_clause"].clicked.connect(self.new_record)
        bar["new_heading"].clicked.connect(lambda: self.add_clause(ClauseKind.HEADING))
        bar["up"].clicked.connect(lambda: self.move_clause(-1))
        bar["down"].clicked.connect(lambda: self.move_clause(1))
        bar["delete"].clicked.connect(self.delete_clause)
        bar["circulate"].clicked.connect(self.circulate)
        bar["critique"].clicked.connect(self.record_critique)
        bar["discard"].clicked.connect(self.discard_changes)
        self.critique = text_page(ctx, "text_critique", "CritiqueView")
        self.compare = text_page(ctx, "text_compare", "CompareView")
        requested = getattr(self.critique, "critique_requested", None)
        if requested is not None:  # a cell of the matrix double-clicked
            requested.connect(self._critique_requested)
        self.pages = QTabWidget()
        self.pages.setObjectName("texts_pages")
        self.pages.setDocumentMode(True)
        self.pages.addTab(self.board, icon("edit"), tr("Draft"))
        self.pages.addTab(self.critique, icon("party"), tr("Critique"))
        self.pages.addTab(self.compare, icon("timeline"), tr("Compare"))
        self.pages.currentChanged.connect(lambda _i: self._refresh_page())
        self.pages.currentChanged.connect(lambda _i: self.current_changed.emit())
        self.empty = EmptyState()
        self.empty.setObjectName("texts_empty")
        self.empty.button.setObjectName("texts_empty_action")
        self.empty.show_state(
            tr("No texts yet"),
            tr(
                "A text is a paper you draft for the parties clause by clause: a working "
                "paper, a joint memorandum, a single negotiating text or a communiqué. "
                "Circulate numbered drafts, record each side's critique and compare drafts."
            ),
            tr("New text…"),
            "add",
        )
        self.empty.activated.connect(self.new_text)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.pages)
        self.stack.addWidget(self.empty)
        holder = QWidget()
        hv = QVBoxLayout(holder)
        hv.setContentsMargins(0, 0, 0, 0)
        hv.addWidget(self.top)
        hv.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(holder)
        # Wiring.
        self.text_combo.currentIndexChanged.connect(self._text_chosen)
        self.drafts.selectionModel().currentRowChanged.connect(self._draft_chosen)
        self.outline.selectionModel().currentRowChanged.connect(self._clause_chosen)
        # Enter or a double-click on a clause: type in it.
        self.outline.activated.connect(lambda _i: self.editor.wording.setFocus())
        self.new_text_button.clicked.connect(self.new_text)
        self.edit_text_button.clicked.connect(self.edit_text)
        self.delete_text_button.clicked.connect(self.delete_text)
        for keys, step in (("Alt+Up", -1), ("Alt+Down", 1)):
            QShortcut(
                QKeySequence(keys),
                self,
                lambda s=step: self.move_clause(s),
                context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
            )
        ctx.record_changed.connect(self._record_changed)
        self._update_bar()

    # -- what is selected -----------------------------------------------------------------

    def text(self) -> TextInfo | None:
        return next((t for t in self.texts if t.id == self._text_id), None)

    def draft(self) -> DraftInfo | None:
        row = self.drafts_model.row_of(self._draft_id) if self._draft_id is not None else None
        return self.drafts_model.draft(row) if row is not None else None

    def clause(self) -> ClauseInfo | None:
        return self.outline_model.clause(self.outline.currentIndex().row())

    def _working(self) -> bool:
        d = self.draft()
        return d is not None and d.working

    # -- loading --------------------------------------------------------------------------

    def _load(self) -> None:
        """Read the case's texts, the selected text's drafts and the selected draft's
        clauses again, keeping the selection (by the clause's key) where it can."""
        vault, case_id = self.ctx.vault, self.ctx.case_id
        if case_id is None or not vault.is_unlocked:
            self.clear()
            return
        self._loading = True
        try:
            self.texts = texts_of_case(vault, case_id)
            if self.text() is None:
                self._text_id = self.texts[0].id if self.texts else None
            with blocked(self.text_combo):
                self.text_combo.clear()
                for t in self.texts:
                    self.text_combo.addItem(t.title, t.id)
                    self.text_combo.setItemData(
                        self.text_combo.count() - 1,
                        f"{t.title} ({enum_label(t.kind.value)})\n{t.purpose}".strip(),
                        Qt.ItemDataRole.ToolTipRole,
                    )
                self.text_combo.setCurrentIndex(max(0, self.text_combo.findData(self._text_id)))
            self._load_drafts()
        finally:
            self._loading = False
        self.stack.setCurrentWidget(self.pages if self.texts else self.empty)
        self.top.setVisible(bool(self.texts))
        self._pages_fresh.clear()
        self._refresh_page()
        self._update_bar()
        self.current_changed.emit()

    def _load_drafts(self) -> None:
        if self._text_id is None:
            self.drafts_model.clear()
            self.outline_model.clear()
            self.editor.show_empty(tr("No text"), "")
            return
        drafts = drafts_of(self.ctx.vault, self._text_id)
        if all(d.id != self._draft_id for d in drafts):
            self._draft_id = drafts[-1].id  # the working draft
        self.drafts_model.load(drafts)
        row = self.drafts_model.row_of(self._draft_id or 0) or 0
        self.drafts.setCurrentIndex(self.drafts_model.index(row, 0))
        self._load_clauses()

    def _load_clauses(self) -> None:
        draft = self.draft()
        if draft is None:
            return
        clauses = clauses_of(self.ctx.vault, draft.id)
        self.outline_model.load(clauses)
        row = self.outline_model.row_of_key(self._clause_key or 0) if self._clause_key else None
        if row is None and clauses:
            row = min(self._clause_row, len(clauses) - 1)
        if row is None:
            self._clause_key = None
            if draft.working:
                self.editor.show_empty(
                    tr("This draft has no clause yet"),
                    tr("Add its first clause or heading; Ctrl+N adds a clause."),
                    tr("New clause"),
                )
            else:
                self.editor.show_empty(tr("This draft has no clause"), "")
            return
        self.outline.setCurrentIndex(self.outline_model.index(row, 0))
        self._show_clause(row)

    def _show_clause(self, row: int) -> None:
        clause, draft = self.outline_model.clause(row), self.draft()
        if clause is None or draft is None:
            return
        self._clause_key, self._clause_row = clause.key, row
        editing = self.editor.clause
        if (
            editing is not None
            and (editing.draft_id, editing.key) == (clause.draft_id, clause.key)
            and self.editor.keeps_edits()
        ):
            return  # the user is typing in it: keep what they typed
        self.editor.load(clause, None if draft.working else frozen_sentence(draft))

    # -- the user's choices ---------------------------------------------------------------

    # (Each saves the clause being edited first: the save reloads and selects that clause,
    # then the choice made is applied.)

    def _text_chosen(self, index: int) -> None:
        if self._loading or index < 0:
            return
        chosen = self.text_combo.itemData(index)
        self.editor.save()
        self._text_id = chosen
        self._draft_id, self._clause_key, self._clause_row = None, None, 0
        self._load()

    def _draft_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        draft = self.drafts_model.draft(current.row()) if current.isValid() else None
        if self._loading or draft is None:
            return
        self.editor.save()
        self._draft_id = draft.id
        self._load()

    def _clause_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        clause = self.outline_model.clause(current.row()) if current.isValid() else None
        if self._loading or clause is None:
            return
        editing = self.editor.clause
        if editing is not None and editing.key != clause.key and self.editor.keeps_edits():
            self.editor.save()
            self._clause_key, self._clause_row = clause.key, current.row()
            self._load()
            return
        self._show_clause(current.row())
        self._update_bar()
        self.current_changed.emit()

    def _record_changed(self, kind: str, record_id: int) -> None:
        """Show what an edit, an undo or a redo made here (a new clause, a new working
        draft): the window has reloaded the section, this selects the record."""
        if record_id < 0 or not self.isVisible() or kind not in ("text", "draft", "clause"):
            return
        self.show_record(kind, record_id, switch_page=False)

    # -- Section protocol -----------------------------------------------------------------

    def set_case(self, case_id: int | None) -> None:
        self._text_id = self._draft_id = self._clause_key = None
        self._clause_row = 0
        self._load()

    def reload(self) -> None:
        self._load()

    def clear(self) -> None:
        self.texts = []
        self._pages_given.clear()
        self._pages_fresh.clear()
        with blocked(self.text_combo):
            self.text_combo.clear()
        self.drafts_model.clear()
        self.outline_model.clear()
        self.editor.clear()
        for page in (self.critique, self.compare):
            cast(TextPage, page).clear()
        self._update_bar()

    def current(self) -> tuple[str, int] | None:
        clause = self.clause()
        if self.pages.currentWidget() is self.board and clause is not None:
            return ("clause", clause.id)
        return ("text", self._text_id) if self._text_id is not None else None

    def show_record(self, kind: str, record_id: int, *, switch_page: bool = True) -> bool:
        """A text, a draft, a clause, or an alternative or critique (its clause)."""
        get = self.ctx.records.get
        try:
            if kind in ("alternative", "critique"):
                kind, record_id = "clause", int(get(kind, record_id)["clause_id"])
            clause = get("clause", record_id) if kind == "clause" else None
            draft_id = int(clause["draft_id"]) if clause else record_id
            if kind in ("clause", "draft"):
                text_id = int(get("draft", draft_id)["text_id"])
            elif kind == "text":
                text_id = record_id
            else:
                return False
        except LiaisonError:
            return False
        if self.ctx.case_id is None or all(t.id != text_id for t in self._fresh_texts()):
            return False
        self.editor.save()
        if kind != "text":
            self._draft_id = draft_id
        elif text_id != self._text_id:
            self._draft_id = None
        if clause is not None:
            self._clause_key = int(clause["key"])
        elif text_id != self._text_id:
            self._clause_key, self._clause_row = None, 0
        self._text_id = text_id
        self._load()
        if switch_page:
            self.pages.setCurrentWidget(self.board)
            self.outline.setFocus()
        return True

    def _fresh_texts(self) -> list[TextInfo]:
        assert self.ctx.case_id is not None
        self.texts = texts_of_case(self.ctx.vault, self.ctx.case_id)
        return self.texts

    def new_record(self) -> None:
        """Ctrl+N: a new clause after the selected one (a new text while there is none)."""
        if self._text_id is None:
            self.new_text()
        else:
            self.add_clause(ClauseKind.PARAGRAPH)

    def delete_record(self) -> None:
        current = self.current()
        if current is None:
            return
        if current[0] == "clause":
            self.delete_clause()
        else:
            self.delete_text()

    # -- pages ----------------------------------------------------------------------------

    def _refresh_page(self) -> None:
        """The Critique and Compare pages are read when in view, and shown the draft
        selected here when it changed since they last saw it (within a page, the user
        chooses the drafts)."""
        page = self.pages.currentWidget()
        if page is self.board or not isinstance(page, TextPage):
            return
        i = self.pages.currentIndex()
        given = self._pages_given.get(i)
        now = (self._text_id, self._draft_id)
        if i in self._pages_fresh and given == now:
            return
        page.set_text(self._text_id)  # (the same text: read again)
        if self._draft_id is not None and given != now:
            page.show_draft(self._draft_id)
        self._pages_given[i] = now
        self._pages_fresh.add(i)

    # -- the bar --------------------------------------------------------------------------

    def _update_bar(self) -> None:
        has_text = self._text_id is not None
        draft, clause, working = self.draft(), self.clause(), self._working()
        for b in (self.edit_text_button, self.delete_text_button):
            b.setEnabled(has_text)
        frozen = tr("Draft {n} was circulated and cannot change: select the working draft.")
        why = frozen.format(n=draft.number) if draft else tr("Create or choose a text first.")
        for name in ("new_clause", "new_heading"):
            self.board.need(name, working, why)
        pick = tr("Select a clause in the outline first.")
        for name in ("up", "down", "delete"):
            self.board.need(name, working and clause is not None, why if not working else pick)
        self.board.need(
            "circulate",
            draft is not None and draft.clauses > 0,
            tr("Write a clause first: an empty draft cannot be circulated."),
        )
        self.board.need("critique", clause is not None, pick)
        text = self.text()
        working_clauses = self.drafts_model.drafts[-1].clauses if self.drafts_model.drafts else 0
        self.board.need(
            "discard",
            text is not None and (text.circulated > 0 or working_clauses > 0),
            tr("Nothing to discard: the working draft is empty and nothing was circulated.")
            if text is not None
            else tr("Create or choose a text first."),
        )

    def _flush(self) -> bool:
        """Save the clause being edited before another action (False: refused)."""
        return self.editor.save()

    def _editable(self) -> bool:
        """The selected draft is the working one; else say why nothing can change."""
        draft = self.draft()
        if draft is not None and not draft.working:
            self.ctx.error_handler(
                tr(
                    "Draft {n} was circulated and cannot change. Select the working draft "
                    "(the last in the list of drafts) to edit."
                ).format(n=draft.number)
            )
        return draft is not None and draft.working

    def add_clause(self, kind: ClauseKind) -> None:
        if not self._editable() or not self._flush() or self._draft_id is None:
            return
        clauses = self.outline_model.clauses
        row = self.outline.currentIndex().row()
        if not clauses or row < 0:
            index = len(clauses)
        elif kind is ClauseKind.HEADING:
            # After the selected clause's part: the next heading, or the end.
            later = [i for i in range(row + 1, len(clauses)) if clauses[i].heading]
            index = later[0] if later else len(clauses)
        else:
            index = row + 1
        if self.ctx.run(AddClause(self.ctx, self._draft_id, index, kind)):
            self.pages.setCurrentWidget(self.board)
            self.editor.wording.setFocus()

    def move_clause(self, step: int) -> None:
        clause = self.clause()
        if clause is None or not self._working() or not self._flush():
            return
        clause = self.clause()  # (the save reloads)
        row = self.outline.currentIndex().row()
        target = row + step
        if clause is None or not 0 <= target < self.outline_model.rowCount():
            return
        self.ctx.run(MoveClause(self.ctx, clause.draft_id, clause.key, row, target))

    def delete_clause(self) -> None:
        clause = self.clause()
        if clause is None or not self._editable() or not self._flush():
            return
        answer = QMessageBox.question(
            self,
            tr("Delete clause"),
            tr("Delete clause {number} “{words}”? Ctrl+Z brings it back.").format(
                number=clause.number, words=preview(clause.wording)[:60]
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.run(DeleteClause(self.ctx, clause.draft_id, clause.key))

    def new_text(self) -> None:
        if self.ctx.case_id is None or not self._flush():
            return
        dialog = TextDialog(self.ctx, None, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.created_id is not None:
            self.show_record("text", dialog.created_id)

    def edit_text(self) -> None:
        text = self.text()
        if text is not None:
            TextDialog(self.ctx, text, self).exec()

    def delete_text(self) -> None:
        text = self.text()
        if text is None:
            return
        answer = QMessageBox.question(
            self,
            tr("Delete text"),
            tr("Delete the text “{title}” and its drafts? Ctrl+Z brings it back.").format(
                title=text.title
            ),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.run(DeleteText(self.ctx, text.id))

    def circulate(self) -> None:
        draft, text = self.draft(), self.text()
        if draft is None or text is None or not self._flush():
            return
        CirculateDialog(self.ctx, draft, text.title, self).exec()

    def record_critique(self) -> None:
        """Of the selected clause as it stands in the selected draft, or (from the working
        draft) in the latest circulated draft that has it."""
        clause, draft = self.clause(), self.draft()
        if clause is None or draft is None or not self._flush():
            return
        if draft.working:
            found = None
            for d in reversed(self.drafts_model.drafts):
                if not d.working and d.recipients:
                    same = [c for c in clauses_of(self.ctx.vault, d.id) if c.key == clause.key]
                    if same:
                        found = (same[0], d)
                        break
            if found is None:
                self.ctx.error_handler(
                    tr(
                        "This clause is in no circulated draft yet: a critique is of a draft "
                        "a party holds. Circulate it first."
                    )
                )
                return
            clause, draft = found
        CritiqueDialog(self.ctx, clause, draft, self).exec()

    def _critique_requested(self, clause_id: int, party_id: int) -> None:
        try:
            clause = clause_info(self.ctx.vault, clause_id)
            draft = draft_info(self.ctx.vault, clause.draft_id)
        except LiaisonError:
            return
        CritiqueDialog(self.ctx, clause, draft, self, party_id=party_id).exec()

    def discard_changes(self) -> None:
        text = self.text()
        if text is None or not self._flush():
            return
        if text.circulated:
            question = tr(
                "Throw away every change made to the working draft since Draft {n} was "
                "circulated, and start again from Draft {n}? Ctrl+Z brings the changes back."
            ).format(n=text.circulated)
        else:
            question = tr(
                "Nothing of “{title}” was circulated yet: empty its working draft? Ctrl+Z "
                "brings the clauses back."
            ).format(title=text.title)
        answer = QMessageBox.question(self, tr("Discard working changes"), question)
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.run(DiscardWorkingChanges(self.ctx, text.id, text.working_draft_id))
