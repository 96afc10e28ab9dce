"""Running a session: plan one from a template, take live notes (typed, time-stamped, with
single-key type switching and autosave), add what surfaced to a party's profile and raise
options from the notes. (The options board itself: views/options.py.)"""

from __future__ import annotations

from datetime import UTC, date, datetime

from PySide6.QtCore import QDate, QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LiaisonError
from app.core.models import Capacity, SessionNoteKind
from app.core.services import lists
from app.core.services.options import raise_option_from_note
from app.core.services.sessions import (
    PROFILE_KIND_OF_NOTE,
    TEMPLATES,
    action_from_note,
    add_live_note,
    candidates,
    plan_session,
    promote_to_profile,
)
from app.core.services.settings import get_setting, set_setting
from app.gui.context import AppContext
from app.gui.forms import from_qdatetime, to_qdatetime
from app.gui.labels import enum_label, fmt_datetime, tr
from app.gui.widgets.dialog_parts import error_label, save_cancel

NOTE_KINDS = list(SessionNoteKind)  # Alt+1 … Alt+8 pick the kind while typing


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
        self.people = QTableWidget(0, 3)
        self.people.setObjectName("plan_participants")
        self.people.setHorizontalHeaderLabels([tr("Person"), tr("Party, role"), tr("Capacity")])
        self.people.verticalHeader().setVisible(False)
        self.people.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.people.horizontalHeader().setStretchLastSection(True)
        self.candidates = candidates(ctx.vault, ctx.case_id) if ctx.case_id else []
        self.people.setRowCount(len(self.candidates))
        for r, c in enumerate(self.candidates):
            who = QTableWidgetItem(c.name)
            who.setFlags(who.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            who.setCheckState(Qt.CheckState.Unchecked)
            self.people.setItem(r, 0, who)
            self.people.setItem(r, 1, QTableWidgetItem(f"{c.party_name}, {c.role}".strip(", ")))
            capacity = QComboBox()
            for cap in Capacity:
                capacity.addItem(enum_label(cap.value), cap.value)
            capacity.setCurrentIndex(capacity.findData(c.capacity.value))
            self.people.setCellWidget(r, 2, capacity)
        self.people.resizeColumnsToContents()
        self.people.setColumnWidth(1, min(self.people.columnWidth(1), 320))
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
        out: list[tuple[int, int | None, Capacity]] = []
        for r, c in enumerate(self.candidates):
            if self.people.item(r, 0).checkState() == Qt.CheckState.Checked:
                combo = self.people.cellWidget(r, 2)
                assert isinstance(combo, QComboBox)
                out.append((c.person_id, c.party_id, Capacity(combo.currentData())))
        return out

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
    """Type a note, press Enter: it is saved at once with the time. Alt+1…8 switch the kind
    without leaving the keyboard. What is typed but not yet entered is saved every second
    (encrypted, in the vault), so a crash or a lock loses at most the last second."""

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
        kinds = QHBoxLayout()
        for i, kind in enumerate(NOTE_KINDS):
            b = QPushButton(f"{i + 1} {enum_label(kind.value)}")
            b.setCheckable(True)
            b.setAutoDefault(False)
            b.setFocusPolicy(Qt.FocusPolicy.NoFocus)
            self.kind_group.addButton(b, i)
            kinds.addWidget(b)
        self.kind_group.button(0).setChecked(True)
        self.entry = QPlainTextEdit()
        self.entry.setObjectName("live_entry")
        self.entry.setPlaceholderText(tr("Type, then Enter to note it (Shift+Enter: new line)"))
        self.entry.setMaximumHeight(90)
        self.entry.installEventFilter(self)
        self.who = QComboBox()
        self.who.setObjectName("live_who")
        self.who.addItem(tr("(the room)"), (None, None))
        parties = dict(lists.choices(ctx.vault, "party", session["case_id"]))
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
        self.notes = QListWidget()
        self.notes.setObjectName("live_notes")
        self.notes.setSelectionMode(QListWidget.SelectionMode.SingleSelection)
        self.to_profile = QPushButton(tr("Add to the party's profile"))
        self.to_profile.setObjectName("live_to_profile")
        self.to_profile.setAutoDefault(False)
        self.to_profile.clicked.connect(self.add_to_profile)
        self.to_option = QPushButton(tr("Raise as an option"))
        self.to_option.setObjectName("live_to_option")
        self.to_option.setAutoDefault(False)
        self.to_option.clicked.connect(self.raise_option)
        note_actions = QHBoxLayout()
        note_actions.addWidget(QLabel(tr("Selected note:")))
        note_actions.addWidget(self.to_profile)
        note_actions.addWidget(self.to_option)
        self.to_action = QPushButton(tr("Make it an action…"))
        self.to_action.setObjectName("live_to_action")
        self.to_action.setAutoDefault(False)
        self.to_action.clicked.connect(self.make_action)
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
        self._load()
        self.resize(900, 600)
        self.entry.setFocus()

    @property
    def kind(self) -> SessionNoteKind:
        return NOTE_KINDS[max(0, self.kind_group.checkedId())]

    def _load(self) -> None:
        self.notes.clear()
        for n in self.ctx.records.find(
            "session_note", session_id=self.session_id, order_by="noted_at"
        ):
            self._show(n["id"], n["noted_at"], n["kind"].value, n["text"])

    def _show(self, note_id: int, at: datetime, kind: str, text: str) -> None:
        item = QListWidgetItem(f"{fmt_datetime(at)}  [{enum_label(kind)}]  {text}")
        item.setData(Qt.ItemDataRole.UserRole, note_id)
        self.notes.addItem(item)
        self.notes.scrollToBottom()

    def _selected_note(self) -> int | None:
        item = self.notes.currentItem()
        if item is None:
            self.status.setText(tr("Select a note in the list first."))
            return None
        return int(item.data(Qt.ItemDataRole.UserRole))

    def add_to_profile(self) -> None:
        """An interest, need or fear surfaced here goes into the party's dated profile."""
        note_id = self._selected_note()
        if note_id is None:
            return
        note = self.ctx.records.get("session_note", note_id)
        if note["kind"] not in PROFILE_KIND_OF_NOTE:
            self.status.setText(
                tr("Only an interest, need, fear or statement can go into a party's profile.")
            )
            return
        party_id = note["party_id"]
        if party_id is None:
            session = self.ctx.records.get("session", self.session_id)
            parties = lists.choices(self.ctx.vault, "party", session["case_id"])
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
        self._show(note_id, at, self.kind.value, text)
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
