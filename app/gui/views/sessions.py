"""Running a session: plan one from a template, take live notes (typed, time-stamped, with
single-key type switching and autosave), and see the options × parties stance matrix."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QBrush, QColor, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
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
from app.core.models import SessionNoteKind
from app.core.services.options import stance_history
from app.core.services.sessions import TEMPLATES, add_live_note, plan_session
from app.core.services.settings import get_setting, set_setting
from app.gui.context import AppContext
from app.gui.forms import from_qdatetime, to_qdatetime
from app.gui.labels import STANCE_COLOURS, enum_label, fmt_datetime, tr

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
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        form = QFormLayout()
        form.addRow(tr("Format"), self.template)
        form.addRow(tr("Title"), self.title)
        form.addRow(tr("When"), self.when)
        form.addRow(tr("Place"), self.place)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
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

    def save(self) -> None:
        try:
            self.created_id = plan_session(
                self.ctx.vault,
                case_id=self.ctx.case_id or 0,
                template=self.template.currentData(),
                title=self.title.text(),
                starts_at=from_qdatetime(self.when.dateTime()),
                place=self.place.text(),
            )
        except LiaisonError as exc:
            self.error.setText(str(exc))
            return
        self.ctx.notify("session", self.created_id)
        self.accept()


class LiveNotesDialog(QDialog):
    """Type a note, press Enter: it is saved at once with the time. Alt+1…8 switch the kind
    without leaving the keyboard. What is typed but not yet entered is saved every second
    (encrypted, in the vault), so a crash or a lock loses at most the last second."""

    AUTOSAVE_MS = 1000

    def __init__(self, ctx: AppContext, session_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.session_id = session_id
        self.draft_key = f"live_notes_draft:{session_id}"
        self.setWindowTitle(tr("Live notes"))
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
        self.notes = QListWidget()
        self.notes.setObjectName("live_notes")
        self.status = QLabel()
        layout = QVBoxLayout(self)
        layout.addLayout(kinds)
        layout.addWidget(self.notes, 1)
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
            self._show(n["noted_at"], n["kind"].value, n["text"])

    def _show(self, at: datetime, kind: str, text: str) -> None:
        item = QListWidgetItem(f"{fmt_datetime(at)}  [{enum_label(kind)}]  {text}")
        self.notes.addItem(item)
        self.notes.scrollToBottom()

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
        try:
            add_live_note(self.ctx.vault, self.session_id, self.kind, text, noted_at=at)
        except LiaisonError as exc:
            self.status.setText(str(exc))
            return
        self._show(at, self.kind.value, text)
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


class OptionsMatrix(QWidget):
    """Options × parties: each party's current stance, coloured; hover for the history."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("options_matrix")
        self.table.verticalHeader().setVisible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)

    def reload(self) -> None:
        self.table.clear()
        self.table.setRowCount(0)
        if self.ctx.case_id is None or not self.ctx.vault.is_unlocked:
            return
        parties = self.ctx.choices("party")
        options = self.ctx.records.find("option", case_id=self.ctx.case_id, order_by="raised_on")
        self.table.setColumnCount(2 + len(parties))
        self.table.setHorizontalHeaderLabels(
            [tr("Option"), tr("Status")] + [name for _, name in parties]
        )
        self.table.setRowCount(len(options))
        for r, option in enumerate(options):
            self.table.setItem(r, 0, QTableWidgetItem(option["title"]))
            self.table.setItem(r, 1, QTableWidgetItem(enum_label(option["status"].value)))
            history = stance_history(self.ctx.vault, option["id"])
            for j, (pid, _name) in enumerate(parties):
                changes = history.get(pid, [])
                current = changes[-1].stance if changes else ""
                item = QTableWidgetItem(enum_label(current) if current else "")
                if current in STANCE_COLOURS:
                    item.setForeground(QBrush(QColor(STANCE_COLOURS[current])))
                item.setToolTip(
                    "\n".join(f"{fmt_datetime(c.at)}: {enum_label(c.stance)}" for c in changes)
                )
                self.table.setItem(r, 2 + j, item)
        self.table.resizeColumnsToContents()
