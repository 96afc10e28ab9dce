"""File ▸ Export…: a PDF of the current case for an audience, written on a worker thread with
a progress bar and Cancel. A text's PDF is of one draft: the clean copy for circulation (a
party's copy always is), or the mediator's annotated copy compared with another draft. A
debrief is for one of the case's outside audiences (the audience list shows those instead
of the parties, and codenames are on unless unticked). The dialog says plainly that the
file is readable by anyone unless it is password-protected, and warns before an export for a
party would contain anything.

An export never outlives its dialog: closing the dialog (or locking, which closes every
dialog) cancels it, and locking the vault waits for it to stop; a stopped export leaves no
file."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.disclosure.rule import format_day
from app.core.errors import ExportCancelled, LiaisonError
from app.core.services import texts as text_service
from app.core.services.handovers import outsiders_of
from app.core.services.text_circulation import drafts_held
from app.core.services.texts import DraftInfo
from app.gui.context import AppContext
from app.gui.kinds import fields_of, kind_of
from app.gui.labels import tr
from app.gui.widgets.dialog_parts import error_label
from app.gui.workers import run_in_background

KIND_LABELS = {
    "dossier": "Case dossier",
    "brief": "Session brief",
    "log": "Shuttle log",
    "options": "Options matrix",
    "notes": "A session's notes",
    "text": "A text's draft (clean for circulation, or annotated)",
    "commitments": "Commitments register",
    "debrief": "Debrief for an outside audience",
    "recovery": "Recovery sheet (the vault's recovery key)",
}


class _Progress(QObject):
    # Plain ints only cross the thread boundary (see workers.py on PySide6 and objects).
    changed = Signal(int, int)


# The document that fits the record in view (its kind, or its parent's kind).
_DOCUMENT_FOR = {
    "session": "brief",
    "message": "log",
    "delivery": "log",
    "round": "log",
    "option": "options",
    "text": "text",
    "draft": "text",
    "clause": "text",
    "alternative": "text",
    "critique": "text",
}


def session_of(ctx: AppContext, selected: tuple[str, int] | None) -> int | None:
    """The session a selected record is, or belongs to (an agenda item, a note...)."""
    if selected is None:
        return None
    kind, record_id = selected
    if kind == "session":
        return record_id
    parent = kind_of(kind).parent
    if parent is not None and parent[0] == "session":
        column = parent[1]  # an agenda item, a participant, a note of the session
    elif any(f.key == "session_id" for f in fields_of(kind)):
        column = "session_id"  # an action from a session
    else:
        return None
    try:
        record = ctx.records.get(kind, record_id)
    except LiaisonError:
        return None
    value = record.get(column)
    return int(value) if isinstance(value, int) else None


def text_of(ctx: AppContext, selected: tuple[str, int] | None) -> tuple[int, int | None] | None:
    """The (text id, draft number) a selected text, draft or clause is, or belongs to (the
    number None: the text's default draft)."""
    if selected is None or selected[0] not in ("text", "draft", "clause"):
        return None
    kind, record_id = selected
    if kind == "text":
        return record_id, None
    try:
        draft_id = record_id
        if kind == "clause":
            draft_id = text_service.clause_info(ctx.vault, record_id).draft_id
        draft = text_service.draft_info(ctx.vault, draft_id)
    except LiaisonError:
        return None
    return draft.text_id, draft.number


def draft_label(draft: DraftInfo) -> str:
    """``Draft 3 (12 Mar 2026)``, or ``Working draft 5``."""
    if draft.circulated_at is None:
        return tr("Working draft {n}").format(n=draft.number)
    day = format_day(draft.circulated_at.astimezone())
    return tr("Draft {n} ({day})").format(n=draft.number, day=day)


def document_for(selected: tuple[str, int] | None) -> str | None:
    if selected is None:
        return None
    kind = selected[0]
    parent = kind_of(kind).parent
    return _DOCUMENT_FOR.get(kind) or (_DOCUMENT_FOR.get(parent[0]) if parent else None)


class ExportDialog(QDialog):
    """``selected``: the record in view, as (kind, id): a session (or a record of one) is
    the session preselected, and the document preselected is the one that fits it."""

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        selected: tuple[str, int] | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setWindowTitle(tr("Export a PDF"))
        self.result_path: Path | None = None
        self.result_message = ""
        self._cancel = threading.Event()
        self.kind = QComboBox()
        self.kind.setObjectName("export_kind")
        for key, label in KIND_LABELS.items():
            self.kind.addItem(tr(label), key)
        self.session = QComboBox()
        self.session.setObjectName("export_session")
        for sid, title in ctx.choices("session"):
            self.session.addItem(title, sid)
        session_id = session_of(ctx, selected)
        if session_id is not None and self.session.findData(session_id) >= 0:
            self.session.setCurrentIndex(self.session.findData(session_id))
        document = document_for(selected)
        if document is not None and self.kind.findData(document) >= 0:
            self.kind.setCurrentIndex(self.kind.findData(document))
        self._text_widgets(ctx, text_of(ctx, selected))
        self.audience = QComboBox()
        self.audience.setObjectName("export_audience")
        self.codenames = QCheckBox(tr("Show people by their codenames"))
        self.codenames.setObjectName("export_codenames")
        # The audiences listed: the parties (and me), or a debrief's outside audiences.
        self._debrief: bool | None = None
        self._codenames_before = False  # the box as it was before a debrief checked it
        self._fill_audience()
        self.include_own = QCheckBox(
            tr("Include the party's own statements, confidential ones too")
        )
        self.include_own.setObjectName("export_include_own")
        self.include_own.setToolTip(
            tr(
                "Without this, a party's copy holds nothing said in confidence, not even by "
                "its own people: a confidence is a person's, not a delegation's."
            )
        )
        self.password = QLineEdit()
        self.password.setObjectName("export_password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setPlaceholderText(tr("optional: protects the PDF (AES-256)"))
        self.path = QLineEdit()
        self.path.setObjectName("export_path")
        browse = QPushButton(tr("Choose…"))
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        self.warning = QLabel()
        self.warning.setObjectName("export_warning")
        self.warning.setWordWrap(True)
        self.error = error_label("error", wrap=True)
        self.progress = QProgressBar()
        self.progress.setObjectName("export_progress")
        self.progress.hide()
        form = self.form = QFormLayout()
        form.addRow(tr("Document"), self.kind)
        form.addRow(tr("Session"), self.session)
        form.addRow(tr("Text"), self.text)
        form.addRow(tr("Draft"), self.draft)
        form.addRow(tr("Audience"), self.audience)
        form.addRow("", self.clean)
        form.addRow(tr("Compare with"), self.against)
        form.addRow("", self.codenames)
        form.addRow("", self.include_own)
        form.addRow(tr("Password"), self.password)
        form.addRow(tr("File"), row)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setText(tr("Export"))
        self.buttons.accepted.connect(self.start)
        self.buttons.rejected.connect(self._cancel_or_close)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(self.progress)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.kind.currentIndexChanged.connect(self._fill_audience)
        for w in (self.kind, self.audience):
            w.currentIndexChanged.connect(self._update)
        self.audience.currentIndexChanged.connect(self._fill_drafts)
        self.text.currentIndexChanged.connect(self._fill_drafts)
        self.draft.currentIndexChanged.connect(self._fill_against)
        self.clean.toggled.connect(self._update)
        self.password.textChanged.connect(self._update)
        # Not a child of the dialog: the worker may still emit while the dialog is deleted.
        self._signals = _Progress()
        self._signals.changed.connect(self._on_progress)
        self._running = False
        # A file the file dialog already asked about replacing (it asks by itself).
        self._confirmed: Path | None = None
        self._fill_drafts()
        self._update()
        self.resize(560, 360)

    # --- the audience ----------------------------------------------------------------------

    def _fill_audience(self) -> None:
        """Me and the parties, or for a debrief the case's outside audiences (codenames
        checked: a debrief names no one it need not; the box is as it was when leaving)."""
        debrief = self.kind.currentData() == "debrief"
        was, self._debrief = self._debrief, debrief
        if debrief == was:
            return
        self.audience.blockSignals(True)
        self.audience.clear()
        if debrief:
            outsiders = outsiders_of(self.ctx.vault, self.ctx.case_id) if self.ctx.case_id else []
            for o in outsiders:
                label = o.name + (f", {o.organisation}" if o.organisation else "")
                text = tr("For {audience} (no sources named)").format(audience=label)
                self.audience.addItem(text, o.id)
            if not outsiders:
                self.audience.addItem(tr("None: this case has no outside audience yet"), None)
            self._codenames_before = self.codenames.isChecked()
            self.codenames.setChecked(True)
        else:
            self.audience.addItem(tr("Me (everything, marked CONFIDENTIAL)"), None)
            for pid, name in self.ctx.choices("party"):
                self.audience.addItem(
                    tr("For {party} (withholds what it may not see)").format(party=name), pid
                )
            if was:
                self.codenames.setChecked(self._codenames_before)
        self.audience.blockSignals(False)
        if hasattr(self, "draft"):  # (built before the text's widgets on the first call)
            self._fill_drafts()

    def _party(self) -> int | None:
        """The party chosen as the audience (None: me, or a debrief's outside audience)."""
        return None if self.kind.currentData() == "debrief" else self.audience.currentData()

    # --- a text's drafts ------------------------------------------------------------------

    def _text_widgets(self, ctx: AppContext, chosen: tuple[int, int | None] | None) -> None:
        """The text, its draft, the draft to compare with, and "clean copy" (for me)."""
        self.text = QComboBox()
        self.text.setObjectName("export_text")
        texts = text_service.texts_of_case(ctx.vault, ctx.case_id) if ctx.case_id else []
        for t in texts:
            self.text.addItem(t.title, t.id)
        self.draft = QComboBox()
        self.draft.setObjectName("export_draft")
        self.against = QComboBox()
        self.against.setObjectName("export_against")
        self.clean = QCheckBox(tr("Clean copy for circulation"))
        self.clean.setObjectName("export_clean")
        self.clean.setToolTip(
            tr(
                "Numbered clauses and their brackets, marked “for discussion”: no provenance, "
                "critique or notes. Without it you get your annotated copy."
            )
        )
        self._drafts: list[DraftInfo] = []
        self._wanted_draft: int | None = None  # the draft of the record in view, once
        if chosen is not None and self.text.findData(chosen[0]) >= 0:
            self.text.setCurrentIndex(self.text.findData(chosen[0]))
            self._wanted_draft = chosen[1]

    def _fill_drafts(self) -> None:
        """The drafts of the chosen text, newest first: all of them for me, those it was
        given for a party (the first is the default: the working draft, or the newest it
        holds)."""
        text_id = self.text.currentData()
        keep = self._wanted_draft if self._wanted_draft is not None else self.draft.currentData()
        self._wanted_draft = None
        party = self._party()
        drafts: list[DraftInfo] = []
        if text_id is not None:
            try:
                drafts = text_service.drafts_of(self.ctx.vault, text_id)
                if party is not None:
                    held = {
                        h.number for h in drafts_held(self.ctx.vault, party) if h.text_id == text_id
                    }
                    drafts = [d for d in drafts if d.number in held]
            except LiaisonError as exc:
                self.error.setText(str(exc))
        self._drafts = drafts
        self.draft.blockSignals(True)
        self.draft.clear()
        for d in reversed(drafts):
            self.draft.addItem(draft_label(d), d.number)
        if text_id is not None and not drafts and party is not None:
            self.draft.addItem(tr("None: no draft of this text was given to this party"), None)
        if keep is not None and self.draft.findData(keep) >= 0:
            self.draft.setCurrentIndex(self.draft.findData(keep))
        self.draft.blockSignals(False)
        self._fill_against()

    def _fill_against(self) -> None:
        """The drafts the annotated copy may be compared with; the default: the one before."""
        number = self.draft.currentData()
        self.against.clear()
        earlier = number is not None and any(d.number == number - 1 for d in self._drafts)
        self.against.addItem(
            tr("The draft before") if earlier else tr("Nothing (no earlier draft)"), None
        )
        for d in reversed(self._drafts):
            if d.number != number and d.number != (number or 0) - 1:
                self.against.addItem(draft_label(d), d.number)

    def _browse(self) -> None:
        name = f"{self.kind.currentData()}.pdf"
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Export to"), str(Path.home() / name), tr("PDF (*.pdf)")
        )
        if path:
            self._confirmed = Path(path)
            self.path.setText(path if path.lower().endswith(".pdf") else path + ".pdf")

    def _update(self) -> None:
        kind = self.kind.currentData()
        is_text = kind == "text"
        me = self.audience.currentData() is None
        for w in (self.text, self.draft):
            self.form.setRowVisible(w, is_text)
        self.form.setRowVisible(self.session, not is_text)
        self.form.setRowVisible(self.clean, is_text and me)
        self.form.setRowVisible(self.against, is_text and me)
        self.against.setEnabled(not self.clean.isChecked())
        self.session.setEnabled(kind in ("brief", "notes"))
        self.audience.setEnabled(kind != "recovery")
        self.codenames.setEnabled(kind != "recovery")
        self.include_own.setEnabled(kind not in ("recovery", "text", "debrief") and not me)
        protected = bool(self.password.text())
        if kind == "recovery":
            text = tr(
                "The recovery sheet holds the key that opens the whole vault. Print it, "
                "keep the paper safe, and delete the file."
            )
        elif protected:
            text = tr(
                "The PDF will be encrypted with the password. Anyone with the password can read it."
            )
        else:
            text = tr(
                "<b>This PDF will not be encrypted</b>: anyone who gets the file can read "
                "it. Give a password to protect it, and delete it when done."
            )
        if is_text and not me:
            text += " " + tr(
                "A party's copy is the clean draft it was given; it is refused, not cut, if a "
                "clause may no longer reach that party."
            )
        elif is_text and self.clean.isChecked():
            text += " " + tr(
                "A clean copy is not marked CONFIDENTIAL: it is meant to be passed on."
            )
        elif kind == "debrief":
            text += " " + tr(
                "A debrief names no sources and holds only what this audience may see; it is "
                "not marked CONFIDENTIAL: it is meant for them."
            )
        self.warning.setText(text)

    def values(self) -> dict[str, Any]:
        kind = self.kind.currentData()
        return {
            "kind": kind,
            "case_id": self.ctx.case_id,
            "audience_party_id": self._party() if kind != "recovery" else None,
            "audience_outsider_id": self.audience.currentData() if kind == "debrief" else None,
            "codenames": self.codenames.isChecked(),
            "include_own": self.include_own.isEnabled() and self.include_own.isChecked(),
            "password": self.password.text() or None,
            "session_id": self.session.currentData() if kind in ("brief", "notes") else None,
            **self._text_values(kind),
        }

    def _text_values(self, kind: str) -> dict[str, Any]:
        if kind != "text":
            return {}
        me = self.audience.currentData() is None
        clean = me and self.clean.isChecked()
        return {
            "text_id": self.text.currentData(),
            "draft_number": self.draft.currentData(),
            "against_number": self.against.currentData() if me and not clean else None,
            "clean": True if clean else None,
        }

    def start(self) -> None:
        if self._running:
            return
        out = self.path.text().strip()
        if not out:
            self.error.setText(tr("Choose where to save the PDF."))
            return
        from app.core.export.pdf import export_pdf
        from app.core.outputs import check_output

        dest = Path(out)
        try:
            check_output(dest, self.ctx.vault)  # never the vault or a backup of it
        except LiaisonError as exc:
            self.error.setText(str(exc))
            return
        if dest.is_dir():
            self.error.setText(
                tr("“{name}” is a folder; give the PDF a file name.").format(name=out)
            )
            return
        if dest.exists() and dest != self._confirmed and not self._replace_ok(dest):
            return

        values = self.values()
        vault = self.ctx.vault
        self._cancel.clear()
        signals = self._signals
        cancel = self._cancel

        def work() -> object:
            return export_pdf(
                vault,
                out_path=Path(out),
                progress=lambda done, total: signals.changed.emit(int(done), int(total)),
                cancel=cancel.is_set,
                **values,
            )

        self._running = True
        self.error.clear()
        self.progress.setRange(0, 0)
        self.progress.show()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(False)
        run_in_background(self, work, self._done, self._failed, reader=vault)

    def _replace_ok(self, dest: Path) -> bool:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("Replace the file?"),
            tr("“{name}” already exists in “{folder}”. Replace it?").format(
                name=dest.name, folder=dest.parent
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("export_replace")
        replace = box.button(QMessageBox.StandardButton.Yes)
        replace.setText(tr("Replace"))
        box.setDefaultButton(QMessageBox.StandardButton.No)
        box.exec()
        return box.clickedButton() is replace

    def _on_progress(self, done: int, total: int) -> None:
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(done)

    def _done(self, result: object) -> None:
        self._running = False
        self.result_path = Path(self.path.text().strip())
        from app.core.export.pdf import ExportResult

        self.result_message = tr("Exported to {path}.").format(path=self.result_path)
        if isinstance(result, ExportResult) and result.audience != "me":
            # For the mediator's eyes: the party's copy never says how much it does not see.
            self.result_message += " " + tr(
                "{n} item(s) were left out of {party}'s copy; the PDF does not say so."
            ).format(n=f"{result.withheld:,}", party=result.audience)
        self.progress.hide()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._running = False
        self.progress.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(True)
        if isinstance(exc, ExportCancelled):
            self.error.setText(tr("Export cancelled; no file was written."))
        elif isinstance(exc, LiaisonError):
            self.error.setText(str(exc))
        else:
            self.error.setText(
                tr("The export failed ({what}); no file was written.").format(
                    what=type(exc).__name__
                )
            )

    def _cancel_or_close(self) -> None:
        """The Cancel button: stops a running export and stays open to say so."""
        if self._running:
            self._cancel.set()
        else:
            self.reject()

    def reject(self) -> None:
        """Closing the dialog (its close button, Esc, a lock) stops a running export."""
        self._cancel.set()
        super().reject()
