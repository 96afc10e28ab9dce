"""Quick capture (Ctrl+Shift+M): log a shuttle message in a few keystrokes.

Focus starts in the text. From and To remember the last message's parties (in memory only:
QSettings holds window state, never anything about a case); the disclosure starts at
"confidential" every time, so nothing travels unless the user says so. Ctrl+Enter saves.
Tab reaches From, To, Disclosure and When; typing a letter picks in each list.

While typing, the core's answers show under the fields (app.core.services.messages): a
message from a party to itself is refused; a confidential one meant for another party is
flagged, as it will never be passed on.

Esc, Cancel or the window's close button with text typed asks first, in the dialog itself: keep
editing, keep it as a draft, or discard it. A draft lives in memory only (never in QSettings
or a file), one per vault and case, until it is saved, discarded or the vault is locked;
quick capture brings it back when next opened for that case.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from weakref import WeakKeyDictionary

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QCloseEvent, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.models import Disclosure
from app.core.services.messages import capture_note, check_message
from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.forms import from_qdatetime, to_qdatetime
from app.gui.labels import DISCLOSURE_COLOURS, enum_label, tr
from app.gui.undo import Changed, CreateRecord
from app.gui.widgets.dialog_parts import error_label, save_cancel

WARNING_AMBER = "#8a5a00"


@dataclass(frozen=True)
class Draft:
    content: str
    from_party: int | None
    to_party: int | None
    disclosure: str
    embargo_until: datetime | None
    said_at: datetime


# vault -> case id -> its draft. Keyed by the Vault object: unlocking makes a new one, and a
# lock hook drops the vault's drafts at once (what was typed leaves memory with the key).
_DRAFTS: WeakKeyDictionary[Vault, dict[int, Draft]] = WeakKeyDictionary()


def _drafts(vault: Vault) -> dict[int, Draft]:
    found = _DRAFTS.get(vault)
    if found is None:
        found = _DRAFTS[vault] = {}
        vault.on_lock.append(found.clear)
    return found


def draft_for(vault: Vault, case_id: int | None) -> Draft | None:
    return _DRAFTS.get(vault, {}).get(case_id) if case_id is not None else None


class LogMessage(CreateRecord):
    """Create a message (undoable), refused first by the core's rule for messages."""

    def __init__(self, records: Records, values: dict[str, Any], on_change: Changed) -> None:
        super().__init__(records, "message", values, on_change)

    def apply(self) -> None:
        check_message(self.values)
        super().apply()


class QuickCaptureDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.created_id: int | None = None
        self.setWindowTitle(tr("Quick capture: a shuttle message"))
        self.content = QPlainTextEdit()
        self.content.setObjectName("qc_content")
        self.content.setPlaceholderText(tr("What was said… (Ctrl+Enter saves)"))
        self.content.setTabChangesFocus(True)
        self.from_party = QComboBox()
        self.from_party.setObjectName("qc_from")
        self.to_party = QComboBox()
        self.to_party.setObjectName("qc_to")
        parties = ctx.choices("party")
        for combo in (self.from_party, self.to_party):
            combo.addItem(tr("—"), None)
            for pid, name in parties:
                combo.addItem(name, pid)
        last_from, last_to = ctx.last_capture_parties
        self._pick(self.from_party, last_from)
        self._pick(self.to_party, last_to)
        self.disclosure = QComboBox()
        self.disclosure.setObjectName("qc_disclosure")
        for level in Disclosure:
            self.disclosure.addItem(enum_label(level.value), level.value)
            self.disclosure.setItemData(
                self.disclosure.count() - 1,
                DISCLOSURE_COLOURS[level.value],
                Qt.ItemDataRole.ToolTipRole,
            )
        self.disclosure.setCurrentIndex(self.disclosure.findData(Disclosure.CONFIDENTIAL.value))
        self.when = QDateTimeEdit(to_qdatetime(datetime.now(UTC)))
        self.when.setObjectName("qc_when")
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.embargo = QDateTimeEdit(to_qdatetime(datetime.now(UTC)))
        self.embargo.setObjectName("qc_embargo")
        self.embargo.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.embargo.setCalendarPopup(True)
        # What the core says about the message as typed: a refusal (red), a warning (amber).
        self.error = error_label("error", wrap=True)
        self.note = QLabel()
        self.note.setObjectName("qc_note")
        self.note.setWordWrap(True)
        self.note.setStyleSheet(f"color: {WARNING_AMBER};")
        self.note.setVisible(False)
        self.restored = QLabel(tr("Your unsaved draft is back."))
        self.restored.setObjectName("qc_restored")
        self.restored.setVisible(False)
        form = QFormLayout()
        form.addRow(tr("From"), self.from_party)
        form.addRow(tr("To"), self.to_party)
        form.addRow(tr("Disclosure"), self.disclosure)
        self._embargo_label = QLabel(tr("Not before"))
        form.addRow(self._embargo_label, self.embargo)
        form.addRow(tr("When"), self.when)
        self.buttons = save_cancel(self.save, self.close_asking)
        self.confirm = self._confirm_bar()
        layout = QVBoxLayout(self)
        layout.addWidget(self.restored)
        layout.addWidget(self.content, 1)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.confirm)
        layout.addWidget(self.buttons)
        # Ctrl+Enter saves from any field; the fields would otherwise take the key themselves
        # (a text box inserts a line, a list opens), so the dialog watches their keys.
        for w in (
            self.content,
            self.from_party,
            self.to_party,
            self.disclosure,
            self.embargo,
            self.when,
        ):
            w.installEventFilter(self)
        self.setTabOrder(self.content, self.from_party)
        self.setTabOrder(self.from_party, self.to_party)
        self.setTabOrder(self.to_party, self.disclosure)
        self.setTabOrder(self.disclosure, self.embargo)
        self.setTabOrder(self.embargo, self.when)
        self._restore(draft_for(ctx.vault, ctx.case_id))
        for combo in (self.from_party, self.to_party, self.disclosure):
            combo.currentIndexChanged.connect(self._update_note)
        self.disclosure.currentIndexChanged.connect(self._disclosure_changed)
        self._disclosure_changed()
        self._update_note()
        self.resize(520, 440)
        self.content.setFocus()

    @staticmethod
    def _pick(combo: QComboBox, value: Any) -> None:
        combo.setCurrentIndex(max(0, combo.findData(value)) if value is not None else 0)

    def _confirm_bar(self) -> QFrame:
        bar = QFrame()
        bar.setObjectName("qc_confirm")
        bar.setFrameShape(QFrame.Shape.StyledPanel)
        question = QLabel(tr("Discard this message?"))
        question.setObjectName("qc_confirm_text")
        self.keep_editing = QPushButton(tr("Keep editing"))
        self.keep_editing.setObjectName("qc_keep_editing")
        self.keep_editing.clicked.connect(self._keep_editing)
        self.keep_draft = QPushButton(tr("Keep as draft"))
        self.keep_draft.setObjectName("qc_keep_draft")
        self.keep_draft.setToolTip(
            tr("Close; quick capture brings the text back until you lock the vault")
        )
        self.keep_draft.clicked.connect(self._close_keeping_draft)
        self.discard = QPushButton(tr("Discard"))
        self.discard.setObjectName("qc_discard")
        self.discard.clicked.connect(self._close_discarding)
        row = QHBoxLayout(bar)
        row.addWidget(question, 1)
        row.addWidget(self.discard)
        row.addWidget(self.keep_editing)
        row.addWidget(self.keep_draft)
        bar.setVisible(False)
        return bar

    # -- keys ------------------------------------------------------------------------------

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier
        ):
            self.save()
            return True
        return super().eventFilter(obj, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            if self.confirm.isVisible():
                self._keep_editing()  # a second Esc: back to the text
            else:
                self.close_asking()
            return
        super().keyPressEvent(event)

    def closeEvent(self, event: QCloseEvent) -> None:
        # The window's close button asks; a close() from code (a lock, a test) does not.
        if event.spontaneous() and self._typed() and self.isVisible():
            event.ignore()
            self.close_asking()
            return
        super().closeEvent(event)

    # -- closing ---------------------------------------------------------------------------

    def _typed(self) -> bool:
        return bool(self.content.toPlainText().strip())

    def close_asking(self) -> None:
        """Close, but with text typed ask first (in the dialog): keep editing, keep it as a
        draft, or discard it."""
        if not self._typed():
            self._forget_draft()
            self.reject()
            return
        self.confirm.setVisible(True)
        self.buttons.setEnabled(False)
        self.keep_draft.setDefault(True)
        self.keep_draft.setFocus()

    def _keep_editing(self) -> None:
        self.confirm.setVisible(False)
        self.buttons.setEnabled(True)
        self.keep_draft.setDefault(False)
        self.content.setFocus()

    def _close_keeping_draft(self) -> None:
        if self.ctx.case_id is not None and self.ctx.vault.is_unlocked:
            v = self.values()
            _drafts(self.ctx.vault)[self.ctx.case_id] = Draft(
                content=v["content"],
                from_party=v["sender_party_id"],
                to_party=v["recipient_party_id"],
                disclosure=v["disclosure"],
                embargo_until=from_qdatetime(self.embargo.dateTime()),
                said_at=v["said_at"],
            )
        self.reject()

    def _close_discarding(self) -> None:
        self._forget_draft()
        self.reject()

    def _forget_draft(self) -> None:
        if self.ctx.case_id is not None:
            _DRAFTS.get(self.ctx.vault, {}).pop(self.ctx.case_id, None)

    def _restore(self, draft: Draft | None) -> None:
        if draft is None:
            return
        self.content.setPlainText(draft.content)
        self.content.moveCursor(self.content.textCursor().MoveOperation.End)
        self._pick(self.from_party, draft.from_party)
        self._pick(self.to_party, draft.to_party)
        self.disclosure.setCurrentIndex(max(0, self.disclosure.findData(draft.disclosure)))
        if draft.embargo_until is not None:
            self.embargo.setDateTime(to_qdatetime(draft.embargo_until))
        self.when.setDateTime(to_qdatetime(draft.said_at))
        self.restored.setVisible(True)

    # -- the core's answers ----------------------------------------------------------------

    def _disclosure_changed(self) -> None:
        embargoed = self.disclosure.currentData() == Disclosure.EMBARGOED.value
        self.embargo.setVisible(embargoed)
        self._embargo_label.setVisible(embargoed)

    def _update_note(self) -> None:
        if not self.ctx.vault.is_unlocked:
            return
        note = capture_note(
            self.ctx.vault,
            sender_party_id=self.from_party.currentData(),
            recipient_party_id=self.to_party.currentData(),
            disclosure=self.disclosure.currentData(),
        )
        self.error.setText(note.refusal)
        self.note.setText(note.warning)
        self.note.setVisible(bool(note.warning))

    def values(self) -> dict[str, Any]:
        embargoed = self.disclosure.currentData() == Disclosure.EMBARGOED.value
        return {
            "case_id": self.ctx.case_id,
            "sender_party_id": self.from_party.currentData(),
            "recipient_party_id": self.to_party.currentData(),
            "disclosure": self.disclosure.currentData(),
            "embargo_until": from_qdatetime(self.embargo.dateTime()) if embargoed else None,
            "said_at": from_qdatetime(self.when.dateTime()) or datetime.now(UTC),
            "content": self.content.toPlainText(),
        }

    def save(self) -> None:
        values = self.values()
        if not values["content"].strip():
            self.error.setText(tr("Type what was said first."))
            return
        shown: list[str] = []
        previous = self.ctx.error_handler
        self.ctx.error_handler = shown.append
        try:
            command = LogMessage(self.ctx.records, values, self.ctx.notify)
            ok = self.ctx.run(command)
        finally:
            self.ctx.error_handler = previous
        if not ok:
            self.error.setText(shown[0] if shown else tr("The message could not be saved."))
            return
        self.created_id = command.record_id
        self.ctx.last_capture_parties = (values["sender_party_id"], values["recipient_party_id"])
        self._forget_draft()
        self.accept()
