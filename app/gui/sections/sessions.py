"""Running a session: plan one from a template, take live notes (typed, time-stamped, with
single-key type switching and autosave), add what surfaced to a party's profile and raise
options from the notes. (The options board itself: views/options.py.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QDate,
    QEvent,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QTimer,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LiaisonError
from app.core.models import Capacity, SessionNoteKind
from app.core.services import choices
from app.core.services.options import raise_option_from_note
from app.core.services.paging import FIRST_PAGE, PAGE, Page
from app.core.services.sessions import (
    PROFILE_KIND_OF_NOTE,
    TEMPLATES,
    LiveNote,
    action_from_note,
    add_live_note,
    candidates,
    live_notes_page,
    plan_session,
    promote_to_profile,
)
from app.core.services.settings import get_setting, set_setting
from app.gui.context import AppContext
from app.gui.forms import from_qdatetime, to_qdatetime
from app.gui.labels import enum_label, tr
from app.gui.models.sessions_live_notes import TEXT, WHO, LiveNotesModel
from app.gui.models.sessions_participants import CAPACITY, PARTY, ParticipantsModel
from app.gui.widgets.dialog_parts import error_label, save_cancel

NOTE_KINDS = list(SessionNoteKind)  # Alt+1 … Alt+8 pick the kind while typing

_Index = QModelIndex | QPersistentModelIndex


class CapacityDelegate(QStyledItemDelegate):
    """The capacity a participant attends in, chosen in a combo box (kept open on each row)."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        combo = QComboBox(parent)
        combo.setObjectName(f"plan_capacity_{index.row()}")
        for cap in Capacity:
            combo.addItem(enum_label(cap.value), cap.value)
        combo.currentIndexChanged.connect(lambda _i: self.commitData.emit(combo))
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        found = editor.findData(index.data(Qt.ItemDataRole.EditRole))
        if found >= 0 and found != editor.currentIndex():
            blocked = editor.blockSignals(True)  # showing the value is not an edit
            editor.setCurrentIndex(found)
            editor.blockSignals(blocked)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class PlanSessionDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.created_id: int | None = None
        self.setWindowTitle(tr("Plan a session from a template"))
        self.template = QComboBox()
        self.template.setObjectName("plan_template")
        for key, t in TEMPLATES.items():
            self.template.addItem(tr(t.label), key)
        self.title = QLineEdit()
        self.title.setObjectName("plan_title")
        self.when = QDateTimeEdit(
            to_qdatetime(datetime.now(UTC).replace(minute=0, second=0, microsecond=0))
        )
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.place = QLineEdit()
        # Who sits at the table: the case's people, each in a capacity (for a workshop it is
        # often "personal" even for an official).
        self.candidates = candidates(ctx.vault, ctx.case_id) if ctx.case_id else []
        self.participants_model = ParticipantsModel(self.candidates, self)
        self.people = QTableView()
        self.people.setObjectName("plan_participants")
        self.people.setModel(self.participants_model)
        self.people.verticalHeader().setVisible(False)
        self.people.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.people.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.people.setItemDelegateForColumn(CAPACITY, CapacityDelegate(self.people))
        for row in range(self.participants_model.rowCount()):
            self.people.openPersistentEditor(self.participants_model.index(row, CAPACITY))
        header = self.people.horizontalHeader()
        header.setStretchLastSection(True)
        self.people.resizeColumnsToContents()
        self.people.setColumnWidth(PARTY, min(self.people.columnWidth(PARTY), 320))
        self.error = error_label()
        form = QFormLayout()
        form.addRow(tr("Format"), self.template)
        form.addRow(tr("Title"), self.title)
        form.addRow(tr("When"), self.when)
        form.addRow(tr("Place"), self.place)
        form.addRow(tr("Participants"), self.people)
        buttons = save_cancel(self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            QLabel(
                tr(
                    "The agenda, ground rules and a logistics checklist are "
                    "filled in from the template; edit them afterwards."
                )
            )
        )
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(820, 560)

    def participants(self) -> list[tuple[int, int | None, Capacity]]:
        """(person, party, capacity) of every ticked person."""
        return self.participants_model.chosen()

    def done(self, result: int) -> None:
        super().done(result)
        self.participants_model.clear()  # a closed dialog keeps nothing of the vault

    def save(self) -> None:
        try:
            self.created_id = plan_session(
                self.ctx.vault,
                case_id=self.ctx.case_id or 0,
                template=self.template.currentData(),
                title=self.title.text(),
                starts_at=from_qdatetime(self.when.dateTime()),
                place=self.place.text(),
                participants=self.participants(),
            )
        except LiaisonError as exc:
            self.error.setText(str(exc))
            return
        self.ctx.notify("session", self.created_id)
        self.accept()


class ActionFromNoteDialog(QDialog):
    """Owner and due date for a follow-up agreed in the room."""

    def __init__(self, owners: list[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Make it an action"))
        self.owner = QComboBox()
        self.owner.setObjectName("action_owner")
        self.owner.addItem(tr("(nobody yet)"), None)
        for person_id, name in owners:
            self.owner.addItem(name, person_id)
        self.due = QDateEdit(QDate.currentDate().addDays(14))
        self.due.setObjectName("action_due")
        self.due.setCalendarPopup(True)
        self.due.setDisplayFormat("yyyy-MM-dd")
        form = QFormLayout()
        form.addRow(tr("Owner"), self.owner)
        form.addRow(tr("Due"), self.due)
        buttons = save_cancel(self.accept, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    @property
    def due_on(self) -> date:
        d = self.due.date()
        return date(d.year(), d.month(), d.day())


class LiveNotesDialog(QDialog):
    """Type a note, press Enter: it is saved at once with the time and who spoke. Alt+1…8
    switch the kind without leaving the keyboard. What is typed but not yet entered is saved
    every second (encrypted, in the vault), so a crash or a lock loses at most the last second."""

    AUTOSAVE_MS = 1000

    def __init__(self, ctx: AppContext, session_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.session_id = session_id
        self.raised_option_id: int | None = None
        self.action_id: int | None = None
        self.draft_key = f"live_notes_draft:{session_id}"
        session = ctx.records.get("session", session_id)
        self.setWindowTitle(tr("Live notes — {title}").format(title=session["title"]))
        self.kind_group = QButtonGroup(self)
        self.kind_group.setExclusive(True)
        kinds = QHBoxLayout()
        kinds.setSpacing(4)
        for i, kind in enumerate(NOTE_KINDS):
            b = QPushButton(f"{i + 1} {enum_label(kind.value)}")
            b.setObjectName(f"live_kind_{kind.value}")
            b.setToolTip(tr("Alt+{n}: note a {kind}").format(n=i + 1, kind=enum_label(kind.value)))
            b.setCheckable(True)  # the style draws the kind in use plainly on
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.kind_group.addButton(b, i)
            kinds.addWidget(b)
        kinds.addStretch(1)
        self.kind_group.button(0).setChecked(True)
        self.entry = QPlainTextEdit()
        self.entry.setObjectName("live_entry")
        self.entry.setPlaceholderText(tr("Type, then Enter to note it (Shift+Enter: new line)"))
        self.entry.setMaximumHeight(90)
        self.entry.installEventFilter(self)
        self.who = QComboBox()
        self.who.setObjectName("live_who")
        self.who.addItem(tr("(the room)"), (None, None))
        parties = dict(choices.choices(ctx.vault, "party", session["case_id"]))
        self.people: list[tuple[int, str]] = []  # the participants: who may own an action
        for p in ctx.records.find("participant", session_id=session_id):
            person = ctx.records.get("person", p["person_id"])["name"]
            self.people.append((p["person_id"], person))
            party = parties.get(p["party_id"], "")
            label = f"{person} ({party})" if party else person
            self.who.addItem(label, (p["person_id"], p["party_id"]))
        for party_id, name in parties.items():
            self.who.addItem(name, (None, party_id))
        who_label = QLabel(tr("&Who (Alt+W)"))
        who_label.setBuddy(self.who)
        self.model = LiveNotesModel(self)
        self.notes = QTableView()
        self.notes.setObjectName("live_notes")
        self.notes.setModel(self.model)
        self.notes.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.notes.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.notes.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.notes.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.notes.setAlternatingRowColors(True)
        self.notes.setWordWrap(True)
        self.notes.verticalHeader().setVisible(False)
        self.notes.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.notes.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(WHO, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(TEXT, QHeaderView.ResizeMode.Stretch)
        self.notes.setColumnWidth(WHO, 200)
        self.notes.selectionModel().currentRowChanged.connect(lambda *_a: self._update_buttons())
        self.to_profile = self._note_button(
            "live_to_profile",
            tr("Add to the party's profile"),
            tr("Add this interest, need, fear or statement to the party's dated profile"),
            self.add_to_profile,
        )
        self.to_option = self._note_button(
            "live_to_option",
            tr("Raise as an option"),
            tr("Put this idea on the options board, raised in this session"),
            self.raise_option,
        )
        self.to_action = self._note_button(
            "live_to_action",
            tr("Make it an action…"),
            tr("A follow-up with an owner and a due date"),
            self.make_action,
        )
        note_actions = QHBoxLayout()
        note_actions.addWidget(QLabel(tr("Selected note:")))
        note_actions.addWidget(self.to_profile)
        note_actions.addWidget(self.to_option)
        note_actions.addWidget(self.to_action)
        note_actions.addStretch(1)
        who_row = QHBoxLayout()
        who_row.addWidget(who_label)
        who_row.addWidget(self.who, 1)
        self.status = QLabel()
        self.status.setObjectName("live_status")
        self.status.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(kinds)
        layout.addWidget(self.notes, 1)
        layout.addLayout(note_actions)
        layout.addLayout(who_row)
        layout.addWidget(self.entry)
        layout.addWidget(self.status)
        self._autosave = QTimer(self, interval=self.AUTOSAVE_MS)
        self._autosave.timeout.connect(self.save_draft)
        self._autosave.start()
        self._saved_draft = get_setting(ctx.vault, self.draft_key)
        self.entry.setPlainText(self._saved_draft)
        self.model.set_pager(self._fetch_notes(None, FIRST_PAGE), self._fetch_notes)
        self.notes.scrollToBottom()
        self._update_buttons()
        self.resize(900, 600)
        self.entry.setFocus()

    def _fetch_notes(self, after: Any, limit: int) -> Page[LiveNote]:
        if not self.ctx.vault.is_unlocked:
            return Page([])
        return live_notes_page(self.ctx.vault, self.session_id, after=after, limit=limit)

    def _show_new_note(self, note_id: int) -> None:
        """Read back the note just taken as stored (with the speaker's name and party). It
        is the latest: read what remains of a long session, then the notes after the last
        one held. Dated before a note already shown (a clock set back): the rows held are
        read again, with it in its place."""
        self.model.fetch_all()
        if self.model.row_of(note_id) is not None:
            return
        page = self._fetch_notes(self.model.last_key(), PAGE)
        if any(n.id == note_id for n in page.rows):
            self.model.append_page(page, self._fetch_notes)
        else:
            held = self.model.rowCount() + 1
            self.model.set_pager(self._fetch_notes(None, held), self._fetch_notes)

    def _note_button(self, name: str, text: str, tip: str, slot: Callable[[], None]) -> QPushButton:
        b = QPushButton(text)
        b.setObjectName(name)
        b.setAutoDefault(False)
        b.setProperty("enabled_tip", tip)
        b.clicked.connect(slot)
        return b

    @property
    def kind(self) -> SessionNoteKind:
        return NOTE_KINDS[max(0, self.kind_group.checkedId())]

    def select_note(self, row: int) -> None:
        self.notes.selectRow(row)

    def _selected_note(self) -> int | None:
        index = self.notes.currentIndex()
        note = self.model.note(index.row()) if index.isValid() else None
        return note.id if note is not None else None

    def _update_buttons(self) -> None:
        """The note buttons act on the selected note: disabled, saying why, while none is
        (or, for the profile, while the note is not something a profile holds)."""
        index = self.notes.currentIndex()
        note = self.model.note(index.row()) if index.isValid() else None
        why = tr("Select a note in the list first")
        for b in (self.to_option, self.to_action):
            b.setEnabled(note is not None)
            b.setToolTip(str(b.property("enabled_tip")) if note is not None else why)
        profile_kinds = {k.value for k in PROFILE_KIND_OF_NOTE}
        can_profile = note is not None and note.kind in profile_kinds
        self.to_profile.setEnabled(can_profile)
        self.to_profile.setToolTip(
            str(self.to_profile.property("enabled_tip"))
            if can_profile
            else why
            if note is None
            else tr("Only an interest, need, fear or statement can go into a party's profile")
        )

    def add_to_profile(self) -> None:
        """An interest, need or fear surfaced here goes into the party's dated profile."""
        note_id = self._selected_note()
        if note_id is None:
            return
        note = self.ctx.records.get("session_note", note_id)
        party_id = note["party_id"]
        if party_id is None:
            session = self.ctx.records.get("session", self.session_id)
            parties = choices.choices(self.ctx.vault, "party", session["case_id"])
            if not parties:
                self.status.setText(tr("This case has no parties yet."))
                return
            name, ok = QInputDialog.getItem(
                self, tr("Whose profile?"), tr("Party"), [n for _, n in parties], 0, False
            )
            if not ok:
                return
            party_id = dict((n, i) for i, n in parties)[name]
        try:
            promote_to_profile(self.ctx.vault, note_id, party_id)
        except LiaisonError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(tr("Added to the party's profile, dated and linked to this session."))
        self.ctx.notify("profile_entry", None)

    def make_action(self) -> None:
        """A follow-up agreed in the room becomes an action with an owner and a due date."""
        note_id = self._selected_note()
        if note_id is None:
            return
        ask = ActionFromNoteDialog(self.people, self)
        if ask.exec() != QDialog.DialogCode.Accepted:
            return
        try:
            self.action_id = action_from_note(
                self.ctx.vault, note_id, due_on=ask.due_on, owner_person_id=ask.owner.currentData()
            )
        except LiaisonError as exc:
            self.status.setText(str(exc))
            return
        self.status.setText(tr("Added to the case's actions, with its owner and due date."))
        self.ctx.notify("action", self.action_id)

    def raise_option(self) -> None:
        note_id = self._selected_note()
        if note_id is None:
            return
        try:
            option_id = raise_option_from_note(self.ctx.vault, note_id)
        except LiaisonError as exc:
            self.status.setText(str(exc))
            return
        self.raised_option_id = option_id
        self.status.setText(tr("Raised as an option; it is on the options board."))
        self.ctx.notify("option", option_id)

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if obj is self.entry and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            mods = event.modifiers()
            if mods & Qt.KeyboardModifier.AltModifier and Qt.Key.Key_1 <= event.key() <= (
                Qt.Key.Key_1 + len(NOTE_KINDS) - 1
            ):
                self.kind_group.button(event.key() - Qt.Key.Key_1).setChecked(True)
                return True
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and not (
                mods & Qt.KeyboardModifier.ShiftModifier
            ):
                self.commit()
                return True
        return super().eventFilter(obj, event)

    def commit(self) -> None:
        text = self.entry.toPlainText().strip()
        if not text:
            return
        at = datetime.now(UTC)
        person_id, party_id = self.who.currentData()
        try:
            note_id = add_live_note(
                self.ctx.vault,
                self.session_id,
                self.kind,
                text,
                person_id=person_id,
                party_id=party_id,
                noted_at=at,
            )
        except LiaisonError as exc:
            self.status.setText(str(exc))
            return
        self._show_new_note(note_id)
        self.notes.scrollToBottom()
        self._update_buttons()
        self.entry.clear()
        self.save_draft()
        self.ctx.notify("session_note", None)

    def save_draft(self) -> None:
        text = self.entry.toPlainText()
        if text != self._saved_draft and self.ctx.vault.is_unlocked:
            set_setting(self.ctx.vault, self.draft_key, text)
            self._saved_draft = text

    def done(self, result: int) -> None:
        self.save_draft()
        self._autosave.stop()
        super().done(result)
        self.model.clear()  # a closed dialog keeps nothing of the vault (see empty_dialog)
