"""Shuttle diplomacy in the GUI: record a delivery from its sources (refused, with the reason,
when a source may not go there), release a source, pending deliveries, the knowledge ledger,
the who-knows-what matrix and a message's thread. The rules live in app.core.services.shuttle;
these views only show their answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.disclosure.audience import delivery_problems
from app.core.errors import LiaisonError
from app.core.services import shuttle
from app.core.services.settings import OWNER_NAME, get_setting, set_setting
from app.gui.context import AppContext
from app.gui.forms import from_qdatetime, to_qdatetime
from app.gui.labels import DISCLOSURE_COLOURS, enum_label, fmt_datetime, tr
from app.gui.widgets.dialog_parts import ERROR_RED, error_label, save_cancel

_KNOWLEDGE_COLOURS = {
    shuttle.Knowledge.SENDER: "#e0e0e0",
    shuttle.Knowledge.TOLD_ATTRIBUTED: "#c8e6c9",
    shuttle.Knowledge.TOLD_UNATTRIBUTED: "#bbdefb",
    shuttle.Knowledge.MEANT_FOR: "#ffe0b2",
}


def _item(text: str, colour: str | None = None, data: Any = None) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
    if colour:
        item.setForeground(QBrush(QColor(colour)))
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    return item


def _table(headers: list[str], name: str) -> QTableWidget:
    t = QTableWidget(0, len(headers))
    t.setObjectName(name)
    t.setHorizontalHeaderLabels([tr(h) for h in headers])
    t.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    t.verticalHeader().setVisible(False)
    t.horizontalHeader().setStretchLastSection(True)
    t.setAlternatingRowColors(True)
    return t


class DeliverDialog(QDialog):
    """What was conveyed to a party, picking the source messages (pending ones first)."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, party_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.created_id: int | None = None
        self.setWindowTitle(tr("Record a delivery"))
        self.party = QComboBox()
        self.party.setObjectName("deliver_party")
        for pid, name in ctx.choices("party"):
            self.party.addItem(name, pid)
        if party_id is not None:
            self.party.setCurrentIndex(max(0, self.party.findData(party_id)))
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        self.when = QDateTimeEdit(to_qdatetime(now))
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.place = QLineEdit()
        self.content = QPlainTextEdit()
        self.content.setObjectName("deliver_content")
        self.content.setPlaceholderText(tr("What you said to them, in your words"))
        self.content.setMaximumHeight(90)
        self.sources = _table(
            ["Convey", "Name the source", "Said", "From", "Disclosure", "Summary"],
            "deliver_sources",
        )
        self.warning = error_label("deliver_warning", wrap=True)
        form = QFormLayout()
        form.addRow(tr("To"), self.party)
        form.addRow(tr("When"), self.when)
        form.addRow(tr("Where"), self.place)
        form.addRow(tr("What was conveyed"), self.content)
        buttons = save_cancel(self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel(tr("Sources conveyed (messages meant for this party first):")))
        layout.addWidget(self.sources, 1)
        layout.addWidget(self.warning)
        layout.addWidget(buttons)
        self.party.currentIndexChanged.connect(self._load_sources)
        self.when.dateTimeChanged.connect(self._check)
        self._load_sources()
        self.resize(820, 620)

    def _load_sources(self) -> None:
        party_id = self.party.currentData()
        case_id = self.ctx.case_id
        self.sources.setRowCount(0)
        if party_id is None or case_id is None:
            return
        pending = [
            p
            for p in shuttle.pending_deliveries(self.ctx.vault, case_id)
            if p.party_id == party_id and p.kind == shuttle.PendingKind.DELIVER
        ]
        seen = {p.message_id for p in pending}
        rows: list[tuple[int, datetime, str, str, str]] = [
            (p.message_id, p.said_at, p.sender, p.disclosure.value, p.summary) for p in pending
        ]
        matrix = shuttle.knowledge_matrix(self.ctx.vault, case_id)
        names = {p.id: p.name for p in matrix.parties}
        for r in reversed(matrix.rows):  # then the rest, newest first
            if r.message_id not in seen and r.sender_party_id != party_id:
                rows.append(
                    (
                        r.message_id,
                        r.said_at,
                        names.get(r.sender_party_id or -1, ""),
                        r.disclosure.value,
                        r.summary,
                    )
                )
        for message_id, said_at, sender, disclosure, summary in rows[:300]:
            row = self.sources.rowCount()
            self.sources.insertRow(row)
            convey, name = QCheckBox(), QCheckBox()
            convey.toggled.connect(self._check)
            name.toggled.connect(self._check)
            self.sources.setCellWidget(row, 0, convey)
            self.sources.setCellWidget(row, 1, name)
            self.sources.setItem(row, 2, _item(fmt_datetime(said_at), data=message_id))
            self.sources.setItem(row, 3, _item(sender))
            self.sources.setItem(
                row, 4, _item(enum_label(disclosure), DISCLOSURE_COLOURS.get(disclosure))
            )
            self.sources.setItem(row, 5, _item(summary))
        self.sources.resizeColumnsToContents()
        self._check()

    def items(self) -> list[tuple[int, bool]]:
        out = []
        for row in range(self.sources.rowCount()):
            convey = self.sources.cellWidget(row, 0)
            name = self.sources.cellWidget(row, 1)
            if isinstance(convey, QCheckBox) and convey.isChecked():
                mid = int(self.sources.item(row, 2).data(Qt.ItemDataRole.UserRole))
                out.append((mid, isinstance(name, QCheckBox) and name.isChecked()))
        return out

    def _check(self) -> None:
        """Warn before saving: name every source that may not go to this party, and why."""
        party_id = self.party.currentData()
        at = from_qdatetime(self.when.dateTime()) or datetime.now(UTC)
        # The same answer the flush guard gives on saving (app.core.disclosure).
        problems = delivery_problems(self.ctx.vault, party_id, at, self.items())
        self.warning.setText("\n".join(v.text for v in problems))

    def save(self) -> None:
        try:
            self.created_id = shuttle.record_delivery(
                self.ctx.vault,
                case_id=self.ctx.case_id or 0,
                recipient_party_id=self.party.currentData(),
                delivered_at=from_qdatetime(self.when.dateTime()) or datetime.now(UTC),
                items=self.items(),
                content=self.content.toPlainText(),
                place=self.place.text(),
            )
        except LiaisonError as exc:
            self.warning.setText(str(exc))
            return
        self.ctx.notify("delivery", self.created_id)
        self.accept()


class ReleaseDialog(QDialog):
    """An explicit, audited decision to let a source travel further than its level allows."""

    def __init__(self, ctx: AppContext, message_id: int, parent: QWidget | None = None):
        super().__init__(parent)
        self.ctx = ctx
        self.message_id = message_id
        self.created_id: int | None = None
        self.setWindowTitle(tr("Release a source"))
        record = ctx.records.get("message", message_id)
        about = QLabel(
            tr("Release “{s}” ({level})").format(
                s=(record["summary"] or record["content"])[:120],
                level=enum_label(record["disclosure"].value),
            )
        )
        about.setWordWrap(True)
        self.party = QComboBox()
        self.party.setObjectName("release_party")
        self.party.addItem(tr("Every party"), None)
        for pid, name in ctx.choices("party"):
            self.party.addItem(name, pid)
        self.by = QLineEdit(get_setting(ctx.vault, OWNER_NAME))
        self.by.setObjectName("release_by")
        self.by.setPlaceholderText(tr("who decided (you)"))
        self.reason = QPlainTextEdit()
        self.reason.setObjectName("release_reason")
        self.reason.setPlaceholderText(tr("why: e.g. the source agreed on 3 May, by phone"))
        self.attribution = QCheckBox(tr("The source may be named"))
        self.error = error_label("error", wrap=True)
        form = QFormLayout()
        form.addRow(about)
        form.addRow(tr("Released to"), self.party)
        form.addRow(tr("Released by"), self.by)
        form.addRow(tr("Why"), self.reason)
        form.addRow("", self.attribution)
        buttons = save_cancel(self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        try:
            self.created_id = shuttle.release(
                self.ctx.vault,
                message_id=self.message_id,
                party_id=self.party.currentData(),
                released_by=self.by.text(),
                reason=self.reason.toPlainText(),
                attribution_allowed=self.attribution.isChecked(),
                # Deliveries are entered to the minute; a release made now must cover a
                # delivery recorded "now" in the same minute.
                released_at=datetime.now(UTC).replace(second=0, microsecond=0),
            )
        except LiaisonError as exc:
            self.error.setText(str(exc))
            return
        if self.by.text().strip():
            set_setting(self.ctx.vault, OWNER_NAME, self.by.text().strip())
        self.ctx.notify("release", self.created_id)
        self.accept()


class KnowledgeView(QWidget):
    """Pending deliveries, the ledger of a party, the who-knows-what matrix, and a thread."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pending = _table(
            ["For", "Said", "From", "Disclosure", "Summary", "Now"], "pending_table"
        )
        self.ledger_party = QComboBox()
        self.ledger_party.setObjectName("ledger_party")
        self.ledger_party.currentIndexChanged.connect(self._load_ledger)
        self.ledger = _table(
            ["Told", "Said", "Source as conveyed", "Disclosure", "Summary", "Release"],
            "ledger_table",
        )
        self.matrix = _table(["Said", "Disclosure", "Summary"], "matrix_table")
        self.thread = _table(
            ["", "Said", "From", "To", "Disclosure", "Summary", "Conveyed to"], "thread_table"
        )
        from PySide6.QtWidgets import QTabWidget

        tabs = QTabWidget()
        tabs.setObjectName("knowledge_tabs")
        tabs.addTab(self.pending, tr("Pending"))
        ledger = QWidget()
        lv = QVBoxLayout(ledger)
        row = QHBoxLayout()
        row.addWidget(QLabel(tr("What has this party been told?")))
        row.addWidget(self.ledger_party, 1)
        lv.addLayout(row)
        lv.addWidget(self.ledger)
        tabs.addTab(ledger, tr("Ledger"))
        tabs.addTab(self.matrix, tr("Who knows what"))
        tabs.addTab(self.thread, tr("Thread"))
        self.tabs = tabs
        # The thread follows the selected message, but is only worked out when it can be
        # seen: walking a thread on every selection in the log would slow the log down.
        self._thread_of: int | None = None
        self._thread_shown_for: int | None = None
        tabs.currentChanged.connect(lambda _i: self._render_thread_if_seen())
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(tabs)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._render_thread_if_seen()

    def set_case(self, case_id: int | None) -> None:
        self.ledger_party.blockSignals(True)
        self.ledger_party.clear()
        if case_id is not None:
            for pid, name in self.ctx.choices("party"):
                self.ledger_party.addItem(name, pid)
        self.ledger_party.blockSignals(False)
        self.reload()

    def reload(self) -> None:
        case_id = self.ctx.case_id
        for t in (self.pending, self.ledger, self.matrix):
            t.setRowCount(0)
        self._thread_shown_for = None  # a new reply or delivery may have changed it
        self._render_thread_if_seen()
        if case_id is None or not self.ctx.vault.is_unlocked:
            return
        vault = self.ctx.vault
        for p in shuttle.pending_deliveries(vault, case_id):
            r = self.pending.rowCount()
            self.pending.insertRow(r)
            waiting = p.kind == shuttle.PendingKind.REPLY_AWAITED
            cells = [
                (
                    tr("answer awaited from {p}").format(p=p.party_name)
                    if waiting
                    else p.party_name,
                    None,
                ),
                (fmt_datetime(p.said_at), None),
                (p.sender, None),
                (enum_label(p.disclosure.value), DISCLOSURE_COLOURS.get(p.disclosure.value)),
                (p.summary, None),
                (
                    "" if waiting else (tr("may be conveyed") if p.deliverable else p.why_not),
                    None if p.deliverable or waiting else ERROR_RED,
                ),
            ]
            for c, (text, colour) in enumerate(cells):
                self.pending.setItem(r, c, _item(text, colour, p.message_id if c == 0 else None))
        self._load_ledger()
        matrix = shuttle.knowledge_matrix(vault, case_id)
        self.matrix.setColumnCount(3 + len(matrix.parties))
        self.matrix.setHorizontalHeaderLabels(
            [tr("Said"), tr("Disclosure"), tr("Summary")] + [p.name for p in matrix.parties]
        )
        self.matrix.horizontalHeader().setStretchLastSection(False)
        self.matrix.setRowCount(len(matrix.rows))
        for r, row in enumerate(matrix.rows):
            self.matrix.setItem(r, 0, _item(fmt_datetime(row.said_at), data=row.message_id))
            self.matrix.setItem(
                r,
                1,
                _item(
                    enum_label(row.disclosure.value), DISCLOSURE_COLOURS.get(row.disclosure.value)
                ),
            )
            self.matrix.setItem(r, 2, _item(row.summary[:80]))
            for j, cell in enumerate(row.cells):
                item = _item(tr(cell.value))
                if cell in _KNOWLEDGE_COLOURS:
                    item.setBackground(QBrush(QColor(_KNOWLEDGE_COLOURS[cell])))
                    item.setForeground(QBrush(QColor("#202124")))
                self.matrix.setItem(r, 3 + j, item)
        for t in (self.pending, self.matrix):
            t.resizeColumnsToContents()

    def _load_ledger(self) -> None:
        self.ledger.setRowCount(0)
        party_id = self.ledger_party.currentData()
        if party_id is None or not self.ctx.vault.is_unlocked:
            return
        for e in shuttle.ledger(self.ctx.vault, party_id):
            r = self.ledger.rowCount()
            self.ledger.insertRow(r)
            values = [
                (fmt_datetime(e.delivered_at), None),
                (fmt_datetime(e.said_at), None),
                (e.source or tr("(not named)"), None),
                (enum_label(e.disclosure.value), DISCLOSURE_COLOURS.get(e.disclosure.value)),
                (e.summary, None),
                (tr("released") if e.release_id else "", None),
            ]
            for c, (text, colour) in enumerate(values):
                self.ledger.setItem(r, c, _item(text, colour, e.message_id if c == 0 else None))
        self.ledger.resizeColumnsToContents()

    def show_thread(self, message_id: int | None) -> None:
        self._thread_of = message_id
        self._render_thread_if_seen()

    def _render_thread_if_seen(self) -> None:
        if not (self.isVisible() and self.tabs.currentWidget() is self.thread):
            return
        if self._thread_shown_for == self._thread_of and self.thread.rowCount():
            return
        self._thread_shown_for = self._thread_of
        self.thread.setRowCount(0)
        message_id = self._thread_of
        if message_id is None or not self.ctx.vault.is_unlocked:
            return
        for step in shuttle.thread(self.ctx.vault, message_id):
            r = self.thread.rowCount()
            self.thread.insertRow(r)
            told = ", ".join(
                f"{d.party_name} {fmt_datetime(d.delivered_at)}" for d in step.deliveries
            )
            values = [
                ("↳ " * step.depth, None),
                (fmt_datetime(step.said_at), None),
                (step.sender, None),
                (step.recipient, None),
                (enum_label(step.disclosure.value), DISCLOSURE_COLOURS.get(step.disclosure.value)),
                (step.summary, None),
                (told, None),
            ]
            for c, (text, colour) in enumerate(values):
                self.thread.setItem(r, c, _item(text, colour, step.message_id if c == 0 else None))
        self.thread.resizeColumnsToContents()

    def clear(self) -> None:
        """Empty every table, header and list (on lock): the matrix's headers name the
        parties, its cells hold summaries."""
        for t in (self.pending, self.ledger, self.matrix, self.thread):
            t.setRowCount(0)
        self.matrix.clear()  # its items and its headers
        self.matrix.setColumnCount(3)
        self.matrix.setHorizontalHeaderLabels([tr("Said"), tr("Disclosure"), tr("Summary")])
        self._thread_of = self._thread_shown_for = None
        self.ledger_party.clear()


class ShuttleActions(QWidget):
    """The buttons above the shuttle log: record a delivery, release the selected source."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.deliver = QPushButton(tr("Record a delivery…"))
        self.deliver.setObjectName("record_delivery")
        self.release = QPushButton(tr("Release the selected message…"))
        self.release.setObjectName("release_message")
        row = QHBoxLayout(self)
        row.setContentsMargins(6, 4, 6, 0)
        row.addWidget(self.deliver)
        row.addWidget(self.release)
        row.addStretch(1)
