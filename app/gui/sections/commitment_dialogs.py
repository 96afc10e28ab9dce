"""The Commitments section's dialogs: a commitment (who promised what to whom, under which
condition, by when, at what disclosure level, where it was said) and an outcome of its course
(when, what became of it, who verified it and how, the evidence). Both save through the undo
stack; a refusal of the core (a course rule, a missing field) is shown in one sentence under
the fields and the dialog stays open with what was typed. Ctrl+Enter saves from any field."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, date, datetime
from itertools import pairwise

from PySide6.QtCore import QDate
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LiaisonError
from app.core.models import CommitmentStatus, Disclosure, Verification
from app.core.services.commitments import CommitmentRow, NewCommitment, NewOutcome, OutcomeRow
from app.gui.context import AppContext
from app.gui.forms import WholeDateEdit, WholeDateTimeEdit, from_qdatetime, to_qdatetime
from app.gui.labels import enum_label, tr
from app.gui.models.commitment_register import due_words, how_label, status_label
from app.gui.models.text_critique_matrix import first_words
from app.gui.sections.commitment_commands import (
    CreateCommitment,
    EditCommitment,
    EditOutcome,
    RecordOutcome,
)
from app.gui.sections.text_dialogs import fill_ref, ref_combo
from app.gui.undo import ServiceCommand, push
from app.gui.widgets.dialog_parts import error_label, save_cancel
from app.gui.widgets.text_edit import ParagraphTextEdit


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


def _date(q: QDate) -> date:
    return date(q.year(), q.month(), q.day())


def _date_edit(name: str, value: date) -> WholeDateEdit:
    edit = WholeDateEdit(_qdate(value))
    edit.setObjectName(name)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setCalendarPopup(True)
    return edit


def _datetime_edit(name: str, value: datetime) -> WholeDateTimeEdit:
    edit = WholeDateTimeEdit(to_qdatetime(value))
    edit.setObjectName(name)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    return edit


def _text(name: str, text: str, lines: int, placeholder: str) -> ParagraphTextEdit:
    edit = ParagraphTextEdit(text, lines=lines)
    edit.setObjectName(name)
    edit.setTabChangesFocus(True)
    edit.setPlaceholderText(placeholder)
    return edit


def _combo(name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    return combo


def _pick(combo: QComboBox, value: object) -> None:
    combo.setCurrentIndex(max(0, combo.findData(value)))


class _SavingDialog(QDialog):
    """Save / Cancel, a red line for refusals, and Ctrl+Enter to save from any field."""

    error: QLabel  # (each dialog makes its own, placed under its fields)

    def __init__(self, ctx: AppContext, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.buttons = save_cancel(self.save, self.reject)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            QShortcut(QKeySequence(keys), self, self.save)

    def save(self) -> None:
        raise NotImplementedError

    def _push(self, command: ServiceCommand) -> bool:
        """Do it through the undo stack; a refusal stays on screen, and so does the dialog."""
        try:
            push(self.ctx.undo_stack, command)
        except LiaisonError as exc:
            self.error.setText(str(exc))
            return False
        self.accept()
        return True


class CommitmentDialog(_SavingDialog):
    """A new commitment, or a commitment's fields (undoable either way)."""

    def __init__(
        self,
        ctx: AppContext,
        case_id: int,
        others: Sequence[CommitmentRow] = (),
        row: CommitmentRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.case_id, self.row = case_id, row
        self.created_id: int | None = None
        self.setWindowTitle(tr("New commitment") if row is None else tr("Edit commitment"))
        self.party = _combo("commitment_party")
        for pid, name in ctx.choices("party", row.party_id if row else None):
            self.party.addItem(name, pid)
        _pick(self.party, row.party_id if row else None)
        self.person = ref_combo("commitment_person")
        fill_ref(self.person, ctx, "person", row.person_id if row else None)
        self.to_party = ref_combo("commitment_to")
        fill_ref(
            self.to_party, ctx, "party", row.to_party_id if row else None, tr("you / all sides")
        )
        self.what = _text(
            "commitment_what",
            row.what if row else "",
            3,
            tr("What was promised, in the words used (e.g. release twelve detainees)"),
        )
        self.condition = QLineEdit(row.condition if row else "")
        self.condition.setObjectName("commitment_condition")
        self.condition.setPlaceholderText(tr("e.g. if the road is cleared of mines first"))
        self.condition_of = ref_combo("commitment_condition_of")
        self.condition_of.addItem(tr("—"), None)
        for other in others:
            if row is None or other.id != row.id:
                label = tr("{party}: {what}").format(
                    party=other.party_name, what=first_words(other.what, 70)
                )
                self.condition_of.addItem(label, other.id)
        _pick(self.condition_of, row.condition_id if row else None)
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        self.made_at = _datetime_edit("commitment_made", row.made_at if row else now)
        due = row.due_on if row else None
        self.has_due = QCheckBox(tr("by"))
        self.has_due.setObjectName("commitment_has_due")
        self.has_due.setChecked(due is not None)
        self.due_on = _date_edit("commitment_due", due or now.date())
        self.due_on.setEnabled(due is not None)
        self.has_due.toggled.connect(self.due_on.setEnabled)
        due_row = QHBoxLayout()
        due_row.addWidget(self.has_due)
        due_row.addWidget(self.due_on)
        due_row.addStretch(1)
        self.disclosure = _combo("commitment_disclosure")
        for level in Disclosure:
            self.disclosure.addItem(enum_label(level.value), level.value)
        _pick(self.disclosure, (row.disclosure if row else Disclosure.CONFIDENTIAL).value)
        embargo = row.embargo_until if row and row.embargo_until else now
        self.embargo = _datetime_edit("commitment_embargo", embargo)
        self.embargo_label = QLabel(tr("until"))
        level_row = QHBoxLayout()
        level_row.addWidget(self.disclosure)
        level_row.addWidget(self.embargo_label)
        level_row.addWidget(self.embargo)
        level_row.addStretch(1)
        self.disclosure.currentIndexChanged.connect(lambda _i: self._level_changed())
        self.message = ref_combo("commitment_message")
        fill_ref(self.message, ctx, "message", row.source_message_id if row else None)
        self.session = ref_combo("commitment_session")
        fill_ref(self.session, ctx, "session", row.source_session_id if row else None)
        self.note = _text(
            "commitment_note", row.note if row else "", 2, tr("Your own note (never shared)")
        )
        self.error = error_label("commitment_error", wrap=True)
        form = QFormLayout()
        form.addRow(tr("Who promised *"), self.party)
        form.addRow(tr("Person"), self.person)
        form.addRow(tr("To"), self.to_party)
        form.addRow(tr("What *"), self.what)
        form.addRow(tr("Condition"), self.condition)
        form.addRow(tr("Once this is kept"), self.condition_of)
        form.addRow(tr("Made"), self.made_at)
        form.addRow(tr("Due"), due_row)
        form.addRow(tr("Disclosure"), level_row)
        form.addRow(tr("Said in message"), self.message)
        form.addRow(tr("Said in session"), self.session)
        form.addRow(tr("Note"), self.note)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        order: list[QWidget] = [
            self.party,
            self.person,
            self.to_party,
            self.what,
            self.condition,
            self.condition_of,
            self.made_at,
            self.has_due,
            self.due_on,
            self.disclosure,
            self.embargo,
            self.message,
            self.session,
            self.note,
        ]
        for a, b in pairwise(order):
            self.setTabOrder(a, b)
        self._level_changed()
        self.resize(580, 560)
        (self.what if row is not None else self.party).setFocus()

    def _level_changed(self) -> None:
        embargoed = self.disclosure.currentData() == Disclosure.EMBARGOED.value
        self.embargo.setVisible(embargoed)
        self.embargo_label.setVisible(embargoed)

    def values(self) -> NewCommitment:
        embargoed = self.disclosure.currentData() == Disclosure.EMBARGOED.value
        made = from_qdatetime(self.made_at.dateTime()) or datetime.now(UTC)
        return NewCommitment(
            party_id=int(self.party.currentData()),
            what=self.what.toPlainText().strip(),
            made_at=made,
            person_id=self.person.currentData(),
            to_party_id=self.to_party.currentData(),
            condition=self.condition.text().strip(),
            condition_id=self.condition_of.currentData(),
            due_on=_date(self.due_on.date()) if self.has_due.isChecked() else None,
            disclosure=Disclosure(str(self.disclosure.currentData())),
            embargo_until=from_qdatetime(self.embargo.dateTime()) if embargoed else None,
            source_message_id=self.message.currentData(),
            source_session_id=self.session.currentData(),
            source_clause_id=self.row.source_clause_id if self.row else None,
            note=self.note.toPlainText(),
        )

    def save(self) -> None:
        if self.party.currentData() is None:
            self.error.setText(tr("A commitment is made by a party: add the case's parties first."))
            return
        if not self.what.toPlainText().strip():
            self.error.setText(tr("Say what was promised."))
            self.what.setFocus()
            return
        if self.row is None:
            command = CreateCommitment(self.ctx, self.case_id, self.values())
            if self._push(command):
                self.created_id = command.commitment_id
        else:
            self._push(EditCommitment(self.ctx, self.row.id, self.values()))


# Outcomes a user records (pending is where a commitment stands before any).
OUTCOMES = [s for s in CommitmentStatus if s is not CommitmentStatus.PENDING]


class OutcomeDialog(_SavingDialog):
    """Record an outcome of a commitment's course, or change one (undoable either way)."""

    def __init__(
        self,
        ctx: AppContext,
        commitment: CommitmentRow,
        outcome: OutcomeRow | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, parent)
        self.commitment, self.outcome = commitment, outcome
        self.created_id: int | None = None
        self.setWindowTitle(tr("Record outcome") if outcome is None else tr("Edit outcome"))
        about = QLabel(
            tr("{party} promised: “{what}”\nDue: {due}").format(
                party=commitment.party_name,
                what=first_words(commitment.what, 160),
                due=due_words(commitment),
            )
        )
        about.setObjectName("outcome_about")
        about.setWordWrap(True)
        today = datetime.now().date()
        self.on = _date_edit("outcome_on", outcome.on if outcome else today)
        self.status = _combo("outcome_status")
        statuses: list[CommitmentStatus] = list(OUTCOMES)
        if outcome is not None and outcome.status not in statuses:
            statuses.insert(0, outcome.status)
        for status in statuses:
            self.status.addItem(status_label(status), status.value)
        _pick(self.status, (outcome.status if outcome else CommitmentStatus.KEPT).value)
        self.verified_by = QLineEdit(outcome.verified_by if outcome else "")
        self.verified_by.setObjectName("outcome_verified_by")
        self.verified_by.setPlaceholderText(tr("who saw or confirmed it"))
        self.how = _combo("outcome_how")
        for how in Verification:
            self.how.addItem(how_label(how), how.value)
        _pick(self.how, (outcome.how if outcome and outcome.how else Verification.NOTE).value)
        self.evidence = ref_combo("outcome_evidence")
        fill_ref(self.evidence, ctx, "message", outcome.evidence_message_id if outcome else None)
        self.note = _text("outcome_note", outcome.note if outcome else "", 2, tr("What happened"))
        self.error = error_label("outcome_error", wrap=True)
        form = QFormLayout()
        form.addRow(tr("On"), self.on)
        form.addRow(tr("Outcome"), self.status)
        form.addRow(tr("Verified by"), self.verified_by)
        form.addRow(tr("How"), self.how)
        form.addRow(tr("Evidence (message)"), self.evidence)
        form.addRow(tr("Note"), self.note)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.resize(520, 380)
        self.status.setFocus()
        # A changed date or outcome may be fine now: the refusal shown was of the old one.
        self.status.currentIndexChanged.connect(lambda _i: self.error.setText(""))
        self.on.dateChanged.connect(lambda _d: self.error.setText(""))

    def values(self) -> NewOutcome:
        return NewOutcome(
            on=_date(self.on.date()),
            status=CommitmentStatus(str(self.status.currentData())),
            verified_by=self.verified_by.text().strip(),
            how=Verification(str(self.how.currentData())),
            evidence_message_id=self.evidence.currentData(),
            note=self.note.toPlainText(),
        )

    def save(self) -> None:
        if self.outcome is None:
            command = RecordOutcome(self.ctx, self.commitment.id, self.values())
            if self._push(command):
                self.created_id = command.outcome_id
        else:
            self._push(EditOutcome(self.ctx, self.outcome.id, self.values()))
