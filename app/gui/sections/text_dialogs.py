"""The Texts section's dialogs: a text's title, kind and purpose; circulating a draft to the
parties (each refusal named before anything is saved; not undoable: it is a delivery);
recording a party's critique of a clause; and the options a clause carries."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LiaisonError
from app.core.models import Reaction, TextKind
from app.core.services.text_circulation import (
    Circulation,
    CirculationRefused,
    ClauseRefusal,
    check_circulation,
    circulate,
)
from app.core.services.texts import ClauseInfo, DraftInfo, TextInfo
from app.gui.context import AppContext
from app.gui.forms import WholeDateEdit, WholeDateTimeEdit, blocked, from_qdatetime, to_qdatetime
from app.gui.labels import enum_label, tr
from app.gui.models.options_checklist import ID_ROLE, CheckListModel
from app.gui.models.text_critique_matrix import day_label
from app.gui.models.text_outline import names, preview, recipients_of
from app.gui.sections.options import checklist_view
from app.gui.sections.text_commands import CreateText, CritiqueValues, RecordCritique
from app.gui.undo import EditRecord, push
from app.gui.widgets.dialog_parts import ERROR_RED, error_label, save_cancel
from app.gui.widgets.text_edit import ParagraphTextEdit


def fill_ref(
    combo: QComboBox,
    ctx: AppContext,
    kind: str,
    current: int | None,
    none: str = "—",
) -> None:
    """Fill a combo with what a reference may point at in this case (ctx.choices, as the
    forms do), "—" first for none, and select ``current``."""
    with blocked(combo):
        combo.clear()
        combo.addItem(tr(none), None)
        for rid, label in ctx.choices(kind, current):
            combo.addItem(label, rid)
        combo.setCurrentIndex(max(0, combo.findData(current)))


def ref_combo(name: str) -> QComboBox:
    """A reference combo whose longest item (a message's summary) does not set the width."""
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(10)
    combo.setMaxVisibleItems(20)
    return combo


class TextDialog(QDialog):
    """A new text, or a text's title, kind and purpose (undoable either way)."""

    def __init__(
        self, ctx: AppContext, text: TextInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.text = ctx, text
        self.created_id: int | None = None
        self.setWindowTitle(tr("New text") if text is None else tr("Edit text"))
        self.title = QLineEdit(text.title if text else "")
        self.title.setObjectName("text_title")
        self.title.setMaxLength(200)
        self.title.setPlaceholderText(tr("e.g. Joint paper on the ceasefire line"))
        self.kind = QComboBox()
        self.kind.setObjectName("text_kind")
        for member in TextKind:
            self.kind.addItem(enum_label(member.value), member.value)
        self.kind.setCurrentIndex(
            max(0, self.kind.findData((text.kind if text else TextKind.WORKING_PAPER).value))
        )
        self.purpose = ParagraphTextEdit(text.purpose if text else "", lines=4)
        self.purpose.setObjectName("text_purpose")
        self.purpose.setTabChangesFocus(True)
        self.purpose.setPlaceholderText(
            tr("What this text is for and how you mean to use it (your own notes)")
        )
        self.error = error_label("text_error", wrap=True)
        form = QFormLayout()
        form.addRow(tr("Title *"), self.title)
        form.addRow(tr("Kind"), self.kind)
        form.addRow(tr("Purpose"), self.purpose)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(save_cancel(self.save, self.reject))
        self.resize(520, 300)

    def values(self) -> dict[str, Any]:
        return {
            "title": self.title.text().strip(),
            "kind": str(self.kind.currentData()),
            "purpose": self.purpose.toPlainText(),
        }

    def save(self) -> None:
        values = self.values()
        if not values["title"]:
            self.error.setText(tr("A text needs a title."))
            self.title.setFocus()
            return
        try:
            if self.text is None:
                if self.ctx.case_id is None:
                    return
                command = CreateText(self.ctx, self.ctx.case_id, values)
                push(self.ctx.undo_stack, command)
                self.created_id = command.text_id
            else:
                before = {
                    "title": self.text.title,
                    "kind": self.text.kind.value,
                    "purpose": self.text.purpose,
                }
                after = {k: v for k, v in values.items() if before[k] != v}
                if after:
                    push(
                        self.ctx.undo_stack,
                        EditRecord(
                            self.ctx.records, "text", self.text.id, before, after, self.ctx.notify
                        ),
                    )
        except LiaisonError as exc:
            self.error.setText(str(exc))
            return
        self.accept()


class CirculateDialog(QDialog):
    """Give a draft to the parties ticked. Before saving, each clause a ticked party may not
    see is named with the reason, and Circulate stays disabled until none is refused."""

    def __init__(
        self, ctx: AppContext, draft: DraftInfo, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.draft = ctx, draft
        self.circulation: Circulation | None = None
        self.refused: list[ClauseRefusal] = []
        self.setWindowTitle(tr("Circulate draft {n}").format(n=draft.number))
        holders = {r.party_id for r in draft.recipients}
        if draft.working:
            intro = tr(
                "Give Draft {n} of “{title}” to the parties you tick. Each gets it as a "
                "delivery, and its ledger says which draft it holds. The draft is then frozen "
                "and you go on editing Draft {next}, a copy.\n\nThis cannot be undone: like "
                "handing over a letter, it stays done."
            ).format(n=draft.number, title=title, next=draft.number + 1)
        else:
            assert draft.circulated_at is not None
            intro = tr(
                "Draft {n} of “{title}” was circulated on {day}. Give it to more parties: "
                "each gets it as a delivery.\n\nThis cannot be undone."
            ).format(n=draft.number, title=title, day=day_label(draft.circulated_at))
        self.intro = QLabel(intro)
        self.intro.setObjectName("circulate_intro")
        self.intro.setWordWrap(True)
        rows = [
            (pid, name + (tr(" (already holds it)") if pid in holders else ""), False)
            for pid, name in ctx.choices("party")
        ]
        self.model = CheckListModel(rows, self)
        self.parties = checklist_view(self.model, "circulate_parties")
        self.parties.setMaximumHeight(160)
        now = datetime.now(UTC).replace(second=0, microsecond=0)
        self.when = WholeDateTimeEdit(to_qdatetime(now))
        self.when.setObjectName("circulate_when")
        self.when.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.when.setCalendarPopup(True)
        self.note = ParagraphTextEdit(draft.note, lines=2)
        self.note.setObjectName("circulate_note")
        self.note.setTabChangesFocus(True)
        self.note.setPlaceholderText(tr("What changed in this draft, and why (your own note)"))
        self.refusals_title = QLabel(tr("<b>It cannot go as it is:</b>"))
        self.refusals = QListWidget()
        self.refusals.setObjectName("circulation_refusals")
        self.refusals.setWordWrap(True)
        self.refusals.setStyleSheet(f"color: {ERROR_RED};")
        self.error = error_label("circulate_error", wrap=True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert isinstance(ok, QPushButton)
        self.ok = ok
        self.ok.setText(tr("Circulate"))
        self.ok.setObjectName("circulate_ok")
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow(tr("To"), self.parties)
        form.addRow(tr("When"), self.when)
        if draft.working:
            form.addRow(tr("Note"), self.note)
        else:
            self.note.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.refusals_title)
        layout.addWidget(self.refusals, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.model.dataChanged.connect(lambda *_a: self.check())
        self.when.dateTimeChanged.connect(lambda _d: self.check())
        self.resize(600, 520)
        self.check()

    def ticked(self) -> list[int]:
        return self.model.checked_ids()

    def tick(self, party_id: int, on: bool = True) -> None:
        for row in range(self.model.rowCount()):
            if self.model.index(row, 0).data(ID_ROLE) == party_id:
                self.model.set_checked(row, on)

    def _at(self) -> datetime:
        return from_qdatetime(self.when.dateTime()) or datetime.now(UTC)

    def check(self) -> None:
        """Ask the core which clauses may not go to whom (its sentences, one per line)."""
        ticked = self.ticked()
        self.refused = (
            check_circulation(self.ctx.vault, self.draft.id, ticked, self._at()) if ticked else []
        )
        self._show_refusals()
        self.ok.setEnabled(bool(ticked) and not self.refused)
        if not ticked:
            why = tr("Tick the parties to give the draft to first.")
        elif self.refused:
            why = tr("Untick the parties named below, or change the clauses first.")
        else:
            why = ""
        self.ok.setToolTip(why)

    def _show_refusals(self) -> None:
        self.refusals.clear()
        for refusal in self.refused:
            item = QListWidgetItem(refusal.text)
            item.setToolTip(refusal.text)
            self.refusals.addItem(item)
        shown = bool(self.refused)
        self.refusals_title.setVisible(shown)
        self.refusals.setVisible(shown)

    def save(self) -> None:
        if not self.ok.isEnabled():
            return
        note = self.note.toPlainText() if self.draft.working else None
        try:
            self.circulation = circulate(
                self.ctx.vault, self.draft.id, self.ticked(), at=self._at(), note=note
            )
        except CirculationRefused as exc:
            self.refused = list(exc.refusals)
            self._show_refusals()
            self.ok.setEnabled(False)
            return
        except LiaisonError as exc:
            self.error.setText(str(exc))
            return
        self.ctx.notify("delivery", self.circulation.delivery_ids[0])
        self.ctx.notify("draft", self.circulation.working_draft_id)
        self.accept()


class CritiqueDialog(QDialog):
    """A party's reaction to one clause of a draft it holds (undoable)."""

    def __init__(
        self,
        ctx: AppContext,
        clause: ClauseInfo,
        draft: DraftInfo,
        parent: QWidget | None = None,
        *,
        party_id: int | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx, self.clause, self.draft = ctx, clause, draft
        self.critique_id: int | None = None
        self.setWindowTitle(
            tr("Critique of clause {number}, draft {n}").format(
                number=clause.number, n=draft.number
            )
        )
        holders = dict.fromkeys(r.party_id for r in draft.recipients)
        given = dict(zip(holders, recipients_of(draft), strict=True))
        what = QLabel(
            tr("Clause {number} of Draft {n} (given to {parties}):\n“{words}”").format(
                number=clause.number,
                n=draft.number,
                parties=names(list(given.values())) or tr("no party yet"),
                words=preview(clause.wording) or tr("(no wording)"),
            )
        )
        what.setWordWrap(True)
        self.party = QComboBox()
        self.party.setObjectName("critique_party")
        for pid, name in given.items():
            self.party.addItem(name, pid)
        self.party.setCurrentIndex(max(0, self.party.findData(party_id)))
        self.reaction = QComboBox()
        self.reaction.setObjectName("critique_reaction")
        for member in Reaction:
            self.reaction.addItem(enum_label(member.value), member.value)
        self.proposed = ParagraphTextEdit(lines=3)
        self.proposed.setObjectName("critique_wording")
        self.proposed.setTabChangesFocus(True)
        self.proposed.setPlaceholderText(tr("The wording they proposed instead, if any"))
        self.note = ParagraphTextEdit(lines=2)
        self.note.setObjectName("critique_note")
        self.note.setTabChangesFocus(True)
        today = datetime.now().date()
        self.recorded_on = WholeDateEdit(QDate(today.year, today.month, today.day))
        self.recorded_on.setObjectName("critique_date")
        self.recorded_on.setDisplayFormat("yyyy-MM-dd")
        self.recorded_on.setCalendarPopup(True)
        self.message = ref_combo("critique_message")
        fill_ref(self.message, ctx, "message", None)
        self.session = ref_combo("critique_session")
        fill_ref(self.session, ctx, "session", None)
        self.error = error_label("critique_error", wrap=True)
        if not given:
            self.error.setText(
                tr("Draft {n} was given to no party yet: circulate it first.").format(
                    n=draft.number
                )
            )
        form = QFormLayout()
        form.addRow(tr("Party"), self.party)
        form.addRow(tr("Reaction"), self.reaction)
        form.addRow(tr("Proposed wording"), self.proposed)
        form.addRow(tr("Note"), self.note)
        form.addRow(tr("When"), self.recorded_on)
        form.addRow(tr("From message"), self.message)
        form.addRow(tr("From session"), self.session)
        buttons = save_cancel(self.save, self.reject)
        save = buttons.button(QDialogButtonBox.StandardButton.Save)
        if save is not None:
            save.setEnabled(bool(given))
        layout = QVBoxLayout(self)
        layout.addWidget(what)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 460)

    def values(self) -> CritiqueValues:
        d = self.recorded_on.date()
        return CritiqueValues(
            clause_id=self.clause.id,
            party_id=int(self.party.currentData()),
            reaction=str(self.reaction.currentData()),
            proposed_wording=self.proposed.toPlainText(),
            note=self.note.toPlainText(),
            recorded_on=datetime(d.year(), d.month(), d.day()).date(),
            source_message_id=self.message.currentData(),
            source_session_id=self.session.currentData(),
        )

    def save(self) -> None:
        if self.party.currentData() is None:
            return
        command = RecordCritique(self.ctx, self.values())
        try:
            push(self.ctx.undo_stack, command)
        except LiaisonError as exc:
            self.error.setText(str(exc))
            return
        self.critique_id = command.critique_id
        self.accept()


class ClauseOptionsDialog(QDialog):
    """Tick the options of the case a clause carries (an option written into a text)."""

    def __init__(self, ctx: AppContext, clause: ClauseInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Options clause {number} carries").format(number=clause.number))
        rows = [(oid, title, oid in clause.option_ids) for oid, title in ctx.choices("option")]
        offered = {r[0] for r in rows}
        rows += [
            (oid, title, True)
            for oid, title in zip(clause.option_ids, clause.option_titles, strict=True)
            if oid not in offered
        ]
        self.model = CheckListModel(rows, self)
        self.options = checklist_view(self.model, "clause_options")
        empty = QLabel(tr("This case has no options yet: add them in Options first."))
        empty.setWordWrap(True)
        empty.setVisible(not rows)
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(tr("An option written into a text shows it in the option's history."))
        )
        layout.addWidget(empty)
        layout.addWidget(self.options, 1)
        layout.addWidget(save_cancel(self.accept, self.reject))
        self.resize(520, 400)

    def checked(self) -> list[int]:
        return self.model.checked_ids()
