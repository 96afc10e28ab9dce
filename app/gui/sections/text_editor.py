"""The clause editor of the Texts section: a clause's kind and wording, its bracketed
alternatives ("Insert bracket" puts the next marker {n} at the cursor and a row for it),
where it came from (the options it carries, a message, a session, who proposed it) and the
mediator's note. Saved on Save (Ctrl+S) or when the focus leaves the editor, each save one
undo step. A clause of a circulated draft shows read-only under a banner that says why."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.models import ClauseKind
from app.core.services.text_wording import AlternativeInfo, bracketed, next_slot
from app.core.services.texts import ClauseInfo
from app.gui.context import AppContext
from app.gui.forms import blocked
from app.gui.labels import tr
from app.gui.models.text_outline import (
    PARTY_COLUMN,
    SLOT_COLUMN,
    SOURCE_COLUMN,
    WORDING_COLUMN,
    AlternativeRow,
    AlternativesModel,
)
from app.gui.resources import icon
from app.gui.sections.text_commands import (
    SetAlternatives,
    SetOptions,
    Together,
    UpdateClause,
    alternatives_of,
    clause_fields,
)
from app.gui.sections.text_dialogs import ClauseOptionsDialog, fill_ref, ref_combo
from app.gui.undo import ServiceCommand
from app.gui.widgets.empty_state import EmptyState
from app.gui.widgets.text_edit import ParagraphTextEdit

_Index = QModelIndex | QPersistentModelIndex
BANNER_STYLE = "background: #fff4e0; color: #5d4000; border: 1px solid #e0b660; padding: 6px;"
WIDE = 620  # from this width, where a clause came from shows in two pairs of columns
_REFS = {
    "source_message_id": "message",
    "source_session_id": "session",
    "proposed_by_party_id": "party",
    "proposed_by_person_id": "person",
}


class ChoiceDelegate(QStyledItemDelegate):
    """A combo of the case's parties (the mediator first) or messages, for one column."""

    def __init__(self, ctx: AppContext, kind: str, none: str, parent: Any = None) -> None:
        super().__init__(parent)
        self.ctx, self.kind, self.none = ctx, kind, none

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        combo = ref_combo(f"alternative_{self.kind}")
        combo.setParent(parent)
        fill_ref(combo, self.ctx, self.kind, index.data(Qt.ItemDataRole.EditRole), self.none)
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


def _bold(text: str) -> QLabel:
    return QLabel(f"<b>{text}</b>")


class ClauseEditor(QWidget):
    """The selected clause, editable while its draft is the working one."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.clause: ClauseInfo | None = None
        self.frozen = False
        self._saving = False
        self._labels: dict[str, dict[int, str]] = {}
        self.banner = QLabel()
        self.banner.setObjectName("draft_banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(BANNER_STYLE)
        self.banner.hide()
        self.kind = QComboBox()
        self.kind.setObjectName("clause_kind")
        self.kind.addItem(tr("Paragraph"), ClauseKind.PARAGRAPH.value)
        self.kind.addItem(tr("Heading"), ClauseKind.HEADING.value)
        self.wording = ParagraphTextEdit(lines=4)
        self.wording.setObjectName("clause_wording")
        self.wording.setTabChangesFocus(True)
        self.wording.setPlaceholderText(tr("The clause as it will read in the draft"))
        self.bracket = QPushButton(icon("add"), tr("Insert bracket"))
        self.bracket.setObjectName("insert_bracket")
        self.bracket.setToolTip(
            tr(
                "Put a bracketed place at the cursor (the words selected become its first "
                "alternative), then give each side's wording for it below"
            )
        )
        self.reads = QLabel()
        self.reads.setObjectName("clause_reads")
        self.reads.setWordWrap(True)
        self.reads.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.reads.setStyleSheet("color: #5f6368;")
        self.alt_model = AlternativesModel(self._label_map, self)
        self.alternatives = QTableView()
        self.alternatives.setObjectName("clause_alternatives")
        self.alternatives.setModel(self.alt_model)
        self.alternatives.verticalHeader().hide()
        self.alternatives.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.alternatives.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.alternatives.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.alternatives.setItemDelegateForColumn(
            PARTY_COLUMN, ChoiceDelegate(ctx, "party", "Mediator", self)
        )
        self.alternatives.setItemDelegateForColumn(
            SOURCE_COLUMN, ChoiceDelegate(ctx, "message", "—", self)
        )
        header = self.alternatives.horizontalHeader()
        header.setSectionResizeMode(SLOT_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(PARTY_COLUMN, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(WORDING_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(SOURCE_COLUMN, QHeaderView.ResizeMode.Interactive)
        self.alternatives.setWordWrap(False)
        self.alternatives.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.no_brackets = QLabel(
            tr(
                "No brackets. Where the sides disagree on words, select them in the wording "
                "and press Insert bracket, then give each side's wording here."
            )
        )
        self.no_brackets.setObjectName("no_brackets")
        self.no_brackets.setWordWrap(True)
        self.no_brackets.setStyleSheet("color: #5f6368;")
        self.alt_model.modelReset.connect(self._show_alternatives)
        self.alt_model.rowsInserted.connect(self._show_alternatives)
        self.alt_model.rowsRemoved.connect(self._show_alternatives)
        self.add_alt = QPushButton(icon("add"), tr("Add"))
        self.add_alt.setObjectName("add_alternative")
        self.add_alt.setToolTip(tr("Another wording for the selected bracket"))
        self.remove_alt = QPushButton(icon("delete"), tr("Remove"))
        self.remove_alt.setObjectName("remove_alternative")
        self.remove_alt.setToolTip(tr("Remove the selected alternative"))
        self.options_label = QLabel()
        self.options_label.setObjectName("clause_options_carried")
        self.options_label.setWordWrap(True)
        self.options_button = QPushButton(tr("Choose…"))
        self.options_button.setObjectName("choose_options")
        self.options_button.setToolTip(tr("Tick the options of the case this clause carries"))
        self.refs: dict[str, QComboBox] = {k: ref_combo(f"clause_{k}") for k in _REFS}
        self.note = ParagraphTextEdit(lines=2)
        self.note.setObjectName("clause_note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(tr("Your own note; it never leaves your copy"))
        self.save_button = QPushButton(tr("Save"))
        self.save_button.setObjectName("save_clause")
        self.save_button.setDefault(True)
        self.revert_button = QPushButton(tr("Revert"))
        self.revert_button.setObjectName("revert_clause")
        self._layout()
        for signal in (
            self.kind.currentIndexChanged,
            self.wording.textChanged,
            self.note.textChanged,
            self.alt_model.edited,
            *(c.currentIndexChanged for c in self.refs.values()),
        ):
            signal.connect(self._edited)
        self.bracket.clicked.connect(self.insert_bracket)
        self.add_alt.clicked.connect(self.add_alternative)
        self.remove_alt.clicked.connect(self.remove_alternative)
        self.options_button.clicked.connect(self.choose_options)
        self.save_button.clicked.connect(self.save)
        self.revert_button.clicked.connect(self.revert)
        QShortcut(
            QKeySequence.StandardKey.Save,
            self,
            self.save,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        app = QApplication.instance()
        assert isinstance(app, QApplication)
        app.focusChanged.connect(self._focus_changed)
        self.show_empty(tr("No clause selected"), tr("Select a clause in the outline."))

    def _layout(self) -> None:
        body = QWidget()
        v = QVBoxLayout(body)
        v.setContentsMargins(8, 6, 8, 6)
        v.setSpacing(6)
        v.addWidget(self.banner)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("Kind")))
        top.addWidget(self.kind)
        top.addStretch(1)
        top.addWidget(self.bracket)
        v.addLayout(top)
        v.addWidget(self.wording)
        v.addWidget(self.reads)
        alts = QHBoxLayout()
        alts.addWidget(_bold(tr("Bracketed alternatives")))
        alts.addStretch(1)
        alts.addWidget(self.add_alt)
        alts.addWidget(self.remove_alt)
        v.addLayout(alts)
        v.addWidget(self.alternatives)
        v.addWidget(self.no_brackets)
        v.addWidget(_bold(tr("Where it came from")))
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(8)
        self.ref_labels: dict[str, QLabel] = {}
        for key, text in (
            ("source_message_id", tr("From message")),
            ("source_session_id", tr("From session")),
            ("proposed_by_party_id", tr("Proposed by")),
            ("proposed_by_person_id", tr("Person")),
        ):
            self.ref_labels[key] = QLabel(text)
            self.ref_labels[key].setBuddy(self.refs[key])
        self.options_row = QWidget()
        options = QHBoxLayout(self.options_row)
        options.setContentsMargins(0, 0, 0, 0)
        options.addWidget(self.options_label, 1)
        options.addWidget(self.options_button)
        self.options_title = QLabel(tr("Options"))
        self._columns = 0
        self._place_refs(2)
        v.addLayout(self.grid)
        v.addWidget(QLabel(tr("Note")))
        v.addWidget(self.note)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        v.addLayout(buttons)
        v.addStretch(1)
        self.body = body
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("clause_scroll")
        self.scroll_area.setWidget(body)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        self.empty = EmptyState(compact=True)
        self.empty.setObjectName("clause_empty")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.scroll_area)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)

    def _place_refs(self, columns: int) -> None:
        """Where it came from, in two pairs of columns when there is room, else one."""
        if columns == self._columns:
            return
        self._columns = columns
        for w in (*self.ref_labels.values(), *self.refs.values()):
            self.grid.removeWidget(w)
        for i, key in enumerate(self.refs):
            row, col = divmod(i, columns)
            self.grid.addWidget(self.ref_labels[key], row, col * 2)
            self.grid.addWidget(self.refs[key], row, col * 2 + 1)
        rows = (len(self.refs) + columns - 1) // columns
        self.grid.removeWidget(self.options_title)
        self.grid.removeWidget(self.options_row)
        self.grid.addWidget(self.options_title, rows, 0)
        self.grid.addWidget(self.options_row, rows, 1, 1, columns * 2 - 1)
        for col in range(4):
            self.grid.setColumnStretch(col, 1 if col % 2 and col < columns * 2 else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._place_refs(2 if event.size().width() >= WIDE else 1)
        if self.alt_model.rowCount():
            self._fit_alternative_columns()

    def _show_alternatives(self, *_args: Any) -> None:
        """The table as tall as its rows (up to four, then it scrolls); or a line that says
        how to make a bracket."""
        rows = self.alt_model.rowCount()
        self.alternatives.setVisible(rows > 0)
        self.no_brackets.setVisible(rows == 0 and not self.frozen)
        if not rows:
            return
        view = self.alternatives
        height = view.horizontalHeader().sizeHint().height() + 2 * view.frameWidth()
        height += view.verticalHeader().defaultSectionSize() * min(rows, 4)
        view.setFixedHeight(height + 2)
        self._fit_alternative_columns()

    def _fit_alternative_columns(self) -> None:
        """Who proposed it and where it came from keep their names whole up to a quarter of
        the width each; the wording takes the rest."""
        view = self.alternatives
        bound = max(90, (self.width() - 40) // 4)
        for column in (PARTY_COLUMN, SOURCE_COLUMN):
            view.setColumnWidth(column, max(90, min(view.sizeHintForColumn(column) + 8, bound)))

    # -- showing a clause -----------------------------------------------------------------

    def show_empty(self, title: str, text: str, button: str = "") -> None:
        self.clause = None
        self.empty.show_state(title, text, button)
        self.empty.show()
        self.scroll_area.hide()
        self._update_buttons()

    def load(self, clause: ClauseInfo, frozen: str | None = None) -> None:
        """Show a clause; ``frozen``: the sentence of a circulated draft (read-only)."""
        self.clause = clause
        self.frozen = frozen is not None
        self.banner.setText(frozen or "")
        self.banner.setVisible(self.frozen)
        self._labels = {}
        for key, kind in _REFS.items():
            fill_ref(self.refs[key], self.ctx, kind, getattr(clause, key))
        with blocked(self.kind):
            self.kind.setCurrentIndex(max(0, self.kind.findData(clause.kind.value)))
        with blocked(self.wording):
            self.wording.setPlainText(clause.wording)
            self.wording.moveCursor(QTextCursor.MoveOperation.End)  # to type on
        with blocked(self.note):
            self.note.setPlainText(clause.note)
        self.alt_model.load(
            [
                AlternativeRow(a.slot, a.party_id, a.wording, a.source_message_id)
                for a in alternatives_of(clause)
            ],
            read_only=self.frozen,
        )
        titles = ", ".join(f"“{t}”" for t in clause.option_titles)
        self.options_label.setText(titles or tr("none"))
        for w in (self.kind, *self.refs.values()):
            w.setEnabled(not self.frozen)
        for te in (self.wording, self.note):
            te.setReadOnly(self.frozen)
        for b in (self.bracket, self.add_alt, self.remove_alt, self.options_button):
            b.setVisible(not self.frozen)
        self.empty.hide()
        self.scroll_area.show()
        self._update_reads()
        self._update_buttons()

    def _label_map(self, kind: str) -> dict[int, str]:
        """Labels of the parties and messages the alternatives name (read once per clause)."""
        if kind not in self._labels:
            labels = dict(self.ctx.choices(kind))
            for row in self.alt_model.rows:
                rid = row.party_id if kind == "party" else row.source_message_id
                if rid is not None and rid not in labels:
                    labels.update(self.ctx.choices(kind, rid)[:1])
            self._labels[kind] = labels
        return self._labels[kind]

    def clear(self) -> None:
        """Keep nothing of the vault (on lock): no clause, no choices, no undo history."""
        self.clause = None
        self._labels = {}
        for te in (self.wording, self.note):
            with blocked(te):
                te.clear()
        for combo in self.refs.values():
            with blocked(combo):
                combo.clear()
        self.alt_model.clear()
        self.options_label.clear()
        self.reads.clear()
        self.banner.clear()
        self.show_empty("", "")

    # -- what the user changed ------------------------------------------------------------

    def _values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "kind": self.kind.currentData(),
            "wording": self.wording.toPlainText(),
            "note": self.note.toPlainText(),
        }
        values.update({k: c.currentData() for k, c in self.refs.items()})
        return values

    def changes(self) -> dict[str, Any]:
        if self.clause is None:
            return {}
        before = clause_fields(self.clause)
        return {k: v for k, v in self._values().items() if before.get(k) != v}

    def alternatives_changed(self) -> bool:
        return self.clause is not None and self.alt_model.alternatives() != alternatives_of(
            self.clause
        )

    def is_dirty(self) -> bool:
        return not self.frozen and (bool(self.changes()) or self.alternatives_changed())

    def keeps_edits(self) -> bool:
        """Unsaved edits a reload must not throw away (not while they are being saved)."""
        return not self._saving and self.is_dirty()

    def _edited(self, *_args: Any) -> None:
        self._update_reads()
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = self.clause is not None and self.is_dirty()
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)
        self.save_button.setVisible(not self.frozen)
        self.revert_button.setVisible(not self.frozen)

    def _update_reads(self) -> None:
        rows = self.alt_model.rows
        if not rows:
            self.reads.hide()
            return
        labels = self._label_map("party")
        infos = [
            AlternativeInfo(0, r.slot, i, r.party_id, "", r.wording, r.source_message_id)
            for i, r in enumerate(rows)
        ]
        text = bracketed(
            self.wording.toPlainText(),
            infos,
            lambda a: labels.get(a.party_id, "") if a.party_id is not None else tr("Mediator"),
        )
        self.reads.setText(tr("Reads: {text}").format(text=" ".join(text.split())))
        self.reads.show()

    # -- saving ---------------------------------------------------------------------------

    def save(self) -> bool:
        """Save what changed as one undo step; False if the core refused it."""
        clause = self.clause
        if clause is None or self.frozen or self._saving or not self.ctx.vault.is_unlocked:
            return True
        steps: list[ServiceCommand] = []
        changes = self.changes()
        if changes:
            steps.append(
                UpdateClause(self.ctx, clause.draft_id, clause.key, clause_fields(clause), changes)
            )
        if self.alternatives_changed():
            steps.append(
                SetAlternatives(
                    self.ctx,
                    clause.draft_id,
                    clause.key,
                    alternatives_of(clause),
                    self.alt_model.alternatives(),
                )
            )
        if not steps:
            return True
        command = steps[0] if len(steps) == 1 else Together(self.ctx, tr("Edit clause"), steps)
        self._saving = True
        try:
            ok = self.ctx.run(command)
        finally:
            self._saving = False
        return ok

    def revert(self) -> None:
        if self.clause is not None:
            self.load(self.clause, self.banner.text() if self.frozen else None)

    def _focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        """Save when the focus leaves the editor for another part of the window (not for a
        popup or a dialog, which come back)."""
        if old is None or self.clause is None or self.frozen or self._saving:
            return
        if not self.isAncestorOf(old) or (new is not None and self.isAncestorOf(new)):
            return
        if new is not None and new.window() is not self.window():
            return
        if self.is_dirty():
            self.save()

    # -- brackets and options -------------------------------------------------------------

    def insert_bracket(self) -> None:
        """The next marker {n} at the cursor; the words selected become its first wording."""
        if self.clause is None or self.frozen:
            return
        rows = self.alt_model.rows
        infos = [AlternativeInfo(0, r.slot, 0, r.party_id, "", r.wording, None) for r in rows]
        slot = next_slot(self.wording.toPlainText(), infos)
        cursor = self.wording.textCursor()
        chosen = cursor.selectedText().strip()
        cursor.insertText(f"{{{slot}}}")
        self.wording.setTextCursor(cursor)
        row = self.alt_model.add(AlternativeRow(slot, None, chosen))
        self.alternatives.setCurrentIndex(self.alt_model.index(row, WORDING_COLUMN))

    def add_alternative(self) -> None:
        if self.clause is None or self.frozen:
            return
        current = self.alternatives.currentIndex()
        if current.isValid():
            slot = self.alt_model.rows[current.row()].slot
        else:
            slots = [r.slot for r in self.alt_model.rows]
            slot = max(slots) if slots else 1
        row = self.alt_model.add(AlternativeRow(slot, None, ""))
        self.alternatives.setCurrentIndex(self.alt_model.index(row, PARTY_COLUMN))

    def remove_alternative(self) -> None:
        current = self.alternatives.currentIndex()
        if current.isValid() and not self.frozen:
            self.alt_model.remove(current.row())

    def choose_options(self) -> None:
        if self.clause is None or self.frozen or not self.save():
            return
        clause = self.clause  # (reloaded by the save)
        dialog = ClauseOptionsDialog(self.ctx, clause, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        after = dialog.checked()
        if sorted(after) != sorted(clause.option_ids):
            self.ctx.run(
                SetOptions(self.ctx, clause.draft_id, clause.key, list(clause.option_ids), after)
            )
