"""Quick capture (Ctrl+Shift+M): log a shuttle message in a few keystrokes.

Focus starts in the text. From and To remember the last message's parties (in memory only:
QSettings holds window state, never anything about a case); the disclosure
starts at "confidential" every time, so nothing travels unless the user says so. Ctrl+Enter
saves. Tab reaches From, To, Disclosure and When; typing a letter picks in each list.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.models import Disclosure
from app.gui.context import AppContext
from app.gui.forms import from_qdatetime, to_qdatetime
from app.gui.labels import DISCLOSURE_COLOURS, enum_label, tr
from app.gui.undo import CreateRecord
from app.gui.widgets.dialog_parts import error_label, save_cancel


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
        self.sender = QComboBox()
        self.sender.setObjectName("qc_from")
        self.recipient = QComboBox()
        self.recipient.setObjectName("qc_to")
        parties = ctx.choices("party")
        for combo in (self.sender, self.recipient):
            combo.addItem(tr("—"), None)
            for pid, name in parties:
                combo.addItem(name, pid)
        last_from, last_to = ctx.last_capture_parties
        for combo, pid in ((self.sender, last_from), (self.recipient, last_to)):
            combo.setCurrentIndex(max(0, combo.findData(pid)) if pid is not None else 0)
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
        self.disclosure.currentIndexChanged.connect(self._disclosure_changed)
        self.when = QDateTimeEdit(to_qdatetime(datetime.now(UTC)))
        self.when.setObjectName("qc_when")
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.embargo = QDateTimeEdit(to_qdatetime(datetime.now(UTC)))
        self.embargo.setObjectName("qc_embargo")
        self.embargo.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.embargo.setCalendarPopup(True)
        self.error = error_label("error", wrap=True)
        form = QFormLayout()
        form.addRow(tr("From"), self.sender)
        form.addRow(tr("To"), self.recipient)
        form.addRow(tr("Disclosure"), self.disclosure)
        self._embargo_label = QLabel(tr("Not before"))
        form.addRow(self._embargo_label, self.embargo)
        form.addRow(tr("When"), self.when)
        buttons = save_cancel(self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.content, 1)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        # Ctrl+Enter saves from any field; the fields would otherwise take the key themselves
        # (a text box inserts a line, a list opens), so the dialog watches their keys.
        for w in (
            self.content,
            self.sender,
            self.recipient,
            self.disclosure,
            self.embargo,
            self.when,
        ):
            w.installEventFilter(self)
        self.setTabOrder(self.content, self.sender)
        self.setTabOrder(self.sender, self.recipient)
        self.setTabOrder(self.recipient, self.disclosure)
        self.setTabOrder(self.disclosure, self.embargo)
        self.setTabOrder(self.embargo, self.when)
        self._disclosure_changed()
        self.resize(520, 420)
        self.content.setFocus()

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

    def _disclosure_changed(self) -> None:
        embargoed = self.disclosure.currentData() == Disclosure.EMBARGOED.value
        self.embargo.setVisible(embargoed)
        self._embargo_label.setVisible(embargoed)

    def values(self) -> dict[str, Any]:
        embargoed = self.disclosure.currentData() == Disclosure.EMBARGOED.value
        return {
            "case_id": self.ctx.case_id,
            "sender_party_id": self.sender.currentData(),
            "recipient_party_id": self.recipient.currentData(),
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
            command = CreateRecord(self.ctx.records, "message", values, self.ctx.notify)
            ok = self.ctx.run(command)
        finally:
            self.ctx.error_handler = previous
        if not ok:
            self.error.setText(shown[0] if shown else tr("The message could not be saved."))
            return
        self.created_id = command.record_id
        self.ctx.last_capture_parties = (values["sender_party_id"], values["recipient_party_id"])
        self.accept()
