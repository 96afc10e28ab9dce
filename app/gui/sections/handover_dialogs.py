"""The New handover dialog (what went to an outside audience: options, a circulated draft,
commitments, findings in your words) and the outside audience's own dialog.

Before it saves, the dialog asks the rule (app.core.services.handovers.handover_problems)
about every item, and again whenever the audience, the time, "Sources may be named" or the
items change: a refused item says why beside it, in red, and Save stays disabled until no
item is refused. Nothing typed is lost on a refusal; the dialog stays open."""

from __future__ import annotations

from datetime import UTC, datetime

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LiaisonError
from app.core.services import commitments, texts
from app.core.services.handovers import NewHandoverItem, handover_problems, outsiders_of
from app.gui.context import AppContext
from app.gui.forms import from_qdatetime, to_qdatetime
from app.gui.labels import enum_label, tr
from app.gui.models.handovers import DRAFT_LABEL, DRAFT_VERDICT, DraftItem, DraftItemsModel
from app.gui.resources import icon
from app.gui.sections.handover_commands import CreateHandover, CreateOutsider, EditOutsider
from app.gui.sections.knowledge import setup_table
from app.gui.sections.record_list import RecordDialog, default_values
from app.gui.undo import push
from app.gui.widgets.dialog_parts import error_label, save_cancel

NEW_AUDIENCE = -1  # the audience combo's last entry: make a new one


def new_outsider(ctx: AppContext, parent: QWidget | None = None) -> int | None:
    """Ask for a new outside audience of the case in view (undoable); its id, or None."""
    if ctx.case_id is None:
        return None
    values = default_values("outsider", None, None)
    dialog = RecordDialog(ctx, "outsider", values, tr("New outside audience"), parent)
    while dialog.exec() == QDialog.DialogCode.Accepted:
        command = CreateOutsider(ctx.vault, ctx.case_id, dialog.form.values(), ctx.notify)
        if ctx.run(command):
            return command.outsider_id
    return None


def edit_outsider(ctx: AppContext, outsider_id: int, parent: QWidget | None = None) -> None:
    record = ctx.records.get("outsider", outsider_id)
    dialog = RecordDialog(ctx, "outsider", record, tr("Edit outside audience"), parent)
    while dialog.exec() == QDialog.DialogCode.Accepted:
        changes = dialog.form.changes()
        if not changes or ctx.run(EditOutsider(ctx.vault, outsider_id, changes, ctx.notify)):
            return


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(20)
    return combo


class NewHandoverDialog(QDialog):
    """Record what went to an outside audience (see the module's text)."""

    def __init__(
        self, ctx: AppContext, parent: QWidget | None = None, outsider_id: int | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.created_id: int | None = None
        self.setWindowTitle(tr("New handover"))
        self._last_outsider: int | None = outsider_id

        # To whom, when, through whom, and whether sources may be named.
        self.outsider = _combo("handover_outsider")
        self.when = QDateTimeEdit(to_qdatetime(datetime.now(UTC).replace(second=0, microsecond=0)))
        self.when.setObjectName("handover_when")
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.through = _combo("handover_through")
        self.through.addItem(tr("(nobody: you handed it over yourself)"), None)
        for pid, name in ctx.choices("person"):
            self.through.addItem(name, pid)
        self.sources_named = QCheckBox(tr("Sources may be named"))
        self.sources_named.setObjectName("handover_sources_named")
        self.sources_named.setToolTip(
            tr("Off: what you hand over says what was said, never who said it.")
        )

        # Adding items: what kind, then which one.
        self.add_kind = _combo("handover_add_kind")
        self.add_kind.setMinimumContentsLength(12)
        self.option = _combo("handover_option")
        self.draft = _combo("handover_draft")
        self.commitment = _combo("handover_commitment")
        self.finding = QLineEdit()
        self.finding.setObjectName("handover_finding")
        self.finding.setPlaceholderText(tr("The finding, in your words"))
        self.rests_on = _combo("handover_rests_on")
        finding_box = QWidget()
        fl = QHBoxLayout(finding_box)
        fl.setContentsMargins(0, 0, 0, 0)
        fl.addWidget(self.finding, 3)
        fl.addWidget(QLabel(tr("rests on")))
        fl.addWidget(self.rests_on, 2)
        self.pickers = QStackedWidget()
        for kind, label, widget in (
            ("option", "Option", self.option),
            ("draft", "Circulated draft", self.draft),
            ("commitment", "Commitment", self.commitment),
            ("finding", "Finding", finding_box),
        ):
            self.add_kind.addItem(tr(label), kind)
            self.pickers.addWidget(widget)
        self.add_kind.currentIndexChanged.connect(self.pickers.setCurrentIndex)
        self.add_button = QPushButton(icon("add"), tr("Add"))
        self.add_button.setObjectName("handover_add")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_item)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_kind)
        add_row.addWidget(self.pickers, 1)
        add_row.addWidget(self.add_button)

        # The items, each with its verdict.
        self.model = DraftItemsModel(self)
        self.items = QTableView()
        self.items.setModel(self.model)
        setup_table(self.items, "handover_items")
        self.items.setSortingEnabled(False)
        self.items.setWordWrap(True)
        header = self.items.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DRAFT_LABEL, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(DRAFT_VERDICT, QHeaderView.ResizeMode.Stretch)
        self.items.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.remove_button = QPushButton(icon("delete"), tr("Remove"))
        self.remove_button.setObjectName("handover_remove")
        self.remove_button.setAutoDefault(False)
        self.remove_button.setToolTip(tr("Remove the selected item (Del)"))
        self.remove_button.clicked.connect(self.remove_item)
        self.items.installEventFilter(self)
        self.note = QPlainTextEdit()
        self.note.setObjectName("handover_note")
        self.note.setPlaceholderText(tr("Your own note: what was said around it (not handed over)"))
        self.note.setMaximumHeight(70)
        self.verdict = error_label("handover_refused", wrap=True)
        self.buttons = save_cancel(self.save, self.reject)
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)

        form = QFormLayout()
        form.addRow(tr("To"), self.outsider)
        form.addRow(tr("When"), self.when)
        form.addRow(tr("Through"), self.through)
        form.addRow("", self.sources_named)
        items_head = QHBoxLayout()
        items_head.addWidget(QLabel(tr("<b>What was handed over</b>")))
        items_head.addStretch(1)
        items_head.addWidget(self.remove_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(items_head)
        layout.addLayout(add_row)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.verdict)
        layout.addWidget(QLabel(tr("Note")))
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)

        self._fill_audiences(outsider_id)
        self._fill_pickers()
        self.outsider.currentIndexChanged.connect(self._audience_chosen)
        self.when.dateTimeChanged.connect(lambda _d: self.check())
        self.sources_named.toggled.connect(lambda _b: self.check())
        self.model.rowsInserted.connect(lambda *_a: self.check())
        self.model.rowsRemoved.connect(lambda *_a: self.check())
        self.check()
        self.outsider.setFocus()
        self.resize(820, 600)

    # -- filling the choices --------------------------------------------------------------

    def _fill_audiences(self, select: int | None) -> None:
        previous = self.outsider.blockSignals(True)
        self.outsider.clear()
        case_id = self.ctx.case_id
        rows = outsiders_of(self.ctx.vault, case_id) if case_id is not None else []
        for o in rows:
            org = f" ({o.organisation})" if o.organisation else ""
            self.outsider.addItem(f"{o.name}{org} · {enum_label(o.kind.value)}", o.id)
        self.outsider.addItem(icon("add"), tr("New outside audience…"), NEW_AUDIENCE)
        index = self.outsider.findData(select) if select is not None else -1
        self.outsider.setCurrentIndex(index if index >= 0 else (0 if rows else -1))
        self.outsider.blockSignals(previous)
        self._last_outsider = self.outsider_id()

    def _fill_pickers(self) -> None:
        vault, case_id = self.ctx.vault, self.ctx.case_id
        for pid, title in self.ctx.choices("option"):
            self.option.addItem(title, pid)
        if case_id is None:
            return
        for t in texts.texts_of_case(vault, case_id):
            if not t.circulated:
                continue
            for d in texts.drafts_of(vault, t.id):
                if not d.working:
                    self.draft.addItem(
                        tr("Draft {n} of “{title}”").format(n=d.number, title=t.title), d.id
                    )
        for c in commitments.register(vault, case_id):
            who = f"{c.party_name}: " if c.party_name else ""
            self.commitment.addItem(f"{who}{c.what}", c.id)
        self.rests_on.addItem(tr("(nothing: your own observation)"), None)
        for mid, label in self.ctx.choices("message"):
            self.rests_on.addItem(tr("Message: {label}").format(label=label), ("message", mid))
        for sid, title in self.ctx.choices("session"):
            self.rests_on.addItem(tr("Session: {label}").format(label=title), ("session", sid))

    def outsider_id(self) -> int | None:
        value = self.outsider.currentData()
        return int(value) if isinstance(value, int) and value != NEW_AUDIENCE else None

    def _audience_chosen(self, _index: int) -> None:
        if self.outsider.currentData() == NEW_AUDIENCE:
            made = new_outsider(self.ctx, self)
            self._fill_audiences(made if made is not None else self._last_outsider)
        self._last_outsider = self.outsider_id()
        self.check()

    # -- the items ------------------------------------------------------------------------

    def add_item(self) -> bool:
        """Add what the pickers show (False if there is nothing to add, or it is there)."""
        kind = str(self.add_kind.currentData())
        item: NewHandoverItem | None = None
        label = ""
        if kind == "finding":
            words = self.finding.text().strip()
            if not words:
                self.finding.setFocus()
                return False
            rests = self.rests_on.currentData()
            item = NewHandoverItem(
                finding=words,
                finding_message_id=rests[1] if rests and rests[0] == "message" else None,
                finding_session_id=rests[1] if rests and rests[0] == "session" else None,
            )
            label = words
        else:
            combo = {"option": self.option, "draft": self.draft, "commitment": self.commitment}[
                kind
            ]
            record_id = combo.currentData()
            if record_id is None:
                return False
            rid = int(record_id)
            item = NewHandoverItem(
                option_id=rid if kind == "option" else None,
                draft_id=rid if kind == "draft" else None,
                commitment_id=rid if kind == "commitment" else None,
            )
            label = combo.currentText()
        added = self.model.add(DraftItem(kind, label, item))
        if added and kind == "finding":
            self.finding.setText("")
        return added

    def add_record(self, kind: str, record_id: int) -> bool:
        """Add an option, draft or commitment by its id (False if not offered here)."""
        self.add_kind.setCurrentIndex(self.add_kind.findData(kind))
        combo = {"option": self.option, "draft": self.draft, "commitment": self.commitment}[kind]
        index = combo.findData(record_id)
        if index < 0:
            return False
        combo.setCurrentIndex(index)
        return self.add_item()

    def remove_item(self) -> None:
        row = self.items.currentIndex().row()
        if row >= 0:
            self.model.remove(row)

    # -- the rule's answer ----------------------------------------------------------------

    def handed_at(self) -> datetime:
        return from_qdatetime(self.when.dateTime()) or datetime.now(UTC)

    def check(self) -> None:
        """Ask the rule about every item; say why beside each refused one; allow Save only
        when there is an audience, at least one item, and nothing refused."""
        outsider = self.outsider_id()
        items = self.model.items()
        refusals: dict[int, str] = {}
        if outsider is not None and items and self.ctx.vault.is_unlocked:
            problems = handover_problems(
                self.ctx.vault,
                outsider,
                self.handed_at(),
                items,
                sources_named=self.sources_named.isChecked(),
            )
            refusals = {p.index: p.text for p in problems}
        self.model.set_refusals(refusals)
        self.items.resizeRowsToContents()
        refused = len(refusals)
        if refused == 1:
            self.verdict.setText(tr("One item may not go: remove it, or change what it is."))
        elif refused:
            self.verdict.setText(
                tr("{n} items may not go: remove them, or change what they are.").format(n=refused)
            )
        else:
            self.verdict.setText("")
        why = ""
        if outsider is None:
            why = tr("Choose who it went to first.")
        elif not items:
            why = tr("Add what was handed over first.")
        elif refused:
            why = tr("An item may not go to this audience: see why beside it.")
        self.save_button.setEnabled(not why)
        self.save_button.setToolTip(why)

    # -- saving ---------------------------------------------------------------------------

    def save(self) -> None:
        self.check()
        outsider = self.outsider_id()
        if not self.save_button.isEnabled() or outsider is None or self.ctx.case_id is None:
            return
        through = self.through.currentData()
        command = CreateHandover(
            self.ctx.vault,
            self.ctx.case_id,
            outsider,
            self.handed_at(),
            self.model.items(),
            self.ctx.notify,
            through_person_id=int(through) if through is not None else None,
            sources_named=self.sources_named.isChecked(),
            note=self.note.toPlainText(),
        )
        try:
            push(self.ctx.undo_stack, command)
        except LiaisonError as exc:  # the flush's answer, had something changed meanwhile
            self.verdict.setText(str(exc))
            self.check()
            return
        self.created_id = command.handover_id
        self.accept()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Del on the items removes the selected one.
        if (
            watched is self.items
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
            and event.key() == Qt.Key.Key_Delete
        ):
            self.remove_item()
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        # Enter in the finding adds it; it does not save the handover.
        focus = self.focusWidget()
        adding = focus is not None and (focus is self.add_kind or self.pickers.isAncestorOf(focus))
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and adding:
            self.add_item()
            return
        super().keyPressEvent(event)
