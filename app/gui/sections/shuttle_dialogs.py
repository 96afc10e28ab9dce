"""The Shuttle Log's two dialogs: record a delivery from its sources (refused, with the
reason, when a source may not go there) and release a source. The rules live in
app.core.services.shuttle and app.core.disclosure; these dialogs only show their answers."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QHideEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.disclosure.audience import delivery_problems
from app.core.errors import LiaisonError
from app.core.models import utcnow
from app.core.services import pending, shuttle
from app.core.services.messages import summary_of
from app.core.services.paging import FIRST_PAGE, Page
from app.core.services.settings import OWNER_NAME, get_setting, set_setting
from app.gui.context import AppContext
from app.gui.forms import from_qdatetime, to_qdatetime
from app.gui.labels import enum_label, tr
from app.gui.models.shuttle_rows import CONVEY, NAME, Source, SourcesModel
from app.gui.sections.knowledge import fit_columns, setup_table, while_unlocked
from app.gui.widgets.dialog_parts import error_label, save_cancel


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
        self.model = SourcesModel(self)
        self.sources = QTableView()
        self.sources.setModel(self.model)  # no proxy: the pending ones stay first
        setup_table(self.sources, "deliver_sources")
        self.sources.setSortingEnabled(False)
        header = self.sources.horizontalHeader()
        header.setSectionResizeMode(CONVEY, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.ResizeToContents)
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
        self.model.ticked.connect(self._check)
        self._load_sources()
        self.resize(820, 620)

    def _load_sources(self) -> None:
        """The sources for the chosen party: the ones pending for it (meant for it, not told
        yet) first, then every other message newest first, a page at a time as the list is
        scrolled (app.core.services.pending.delivery_sources_page)."""
        party_id = self.party.currentData()
        case_id = self.ctx.case_id
        vault = self.ctx.vault
        if party_id is None or case_id is None or not vault.is_unlocked:
            self.model.clear()
            return
        at = utcnow()

        def fetch(after: Any, limit: int) -> Page[Source]:
            return pending.delivery_sources_page(
                vault, case_id, party_id, at=at, after=after, limit=limit
            )

        self.model.set_pager(fetch(None, FIRST_PAGE), while_unlocked(vault, fetch))
        fit_columns(self.sources, self.model.columnCount() - 1)

    def items(self) -> list[tuple[int, bool]]:
        return self.model.items()

    def tick(self, message_id: int, name_source: bool = False) -> bool:
        """Tick a source (to convey it, naming its source or not): False if not offered."""
        return self.model.tick(message_id, True, name_source)

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

    def hideEvent(self, event: QHideEvent) -> None:
        # Closed (saved, cancelled, or on lock): keep no summaries in the model.
        self.model.clear()
        super().hideEvent(event)


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
                s=summary_of(record["summary"], record["content"]),
                level=enum_label(record["disclosure"].value),
            )
        )
        about.setObjectName("release_about")
        about.setWordWrap(True)
        about.setTextFormat(Qt.TextFormat.PlainText)
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
