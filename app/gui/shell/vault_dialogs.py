"""File ▸ Change passphrase: the current passphrase, the new one twice, re-keying on a worker,
then the new recovery key (the old one no longer opens the vault)."""

from __future__ import annotations

import hmac

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LiaisonError, WrongPassphrase
from app.core.keys import (
    format_recovery_key,
    looks_like_recovery_key,
    parse_recovery_key,
    passphrase_keys,
    wipe,
)
from app.core.passphrase import MIN_LENGTH, estimate
from app.core.vault import Vault
from app.gui.dialogs.start import BusyRow, RecoveryKeyDialog
from app.gui.labels import tr
from app.gui.widgets.dialog_parts import error_label
from app.gui.workers import run_in_background


def is_current_secret(vault: Vault, secret: str) -> bool:
    """Whether ``secret`` (a passphrase or the recovery key) is the open vault's: its key
    is derived again (one Argon2 run per candidate; call it on a worker) and compared."""
    current = vault.recovery_key()
    if looks_like_recovery_key(secret):
        candidates = iter([parse_recovery_key(secret)])
    else:
        candidates = passphrase_keys(secret, vault.salt, vault.kdf_sets)
    for key in candidates:
        try:
            if hmac.compare_digest(format_recovery_key(key), current):
                return True
        finally:
            wipe(key)
    return False


class ChangePassphraseDialog(QDialog):
    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.recovery_key_shown = False
        self.setWindowTitle(tr("Change passphrase"))
        self.current = self._secret("current_passphrase")
        self.pass1 = self._secret("new_passphrase")
        self.pass2 = self._secret("repeat_passphrase")
        self.meter = QProgressBar()
        self.meter.setObjectName("strength")
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(8)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.error = error_label("error", wrap=True)
        self.busy = BusyRow()
        form = QFormLayout()
        form.addRow(tr("Current passphrase"), self.current)
        form.addRow(tr("New passphrase"), self.pass1)
        form.addRow("", self.meter)
        form.addRow("", self.advice)
        form.addRow(tr("Repeat it"), self.pass2)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok.setText(tr("Change"))
        self.ok.setObjectName("change")
        self.buttons.accepted.connect(self.change)
        self.buttons.rejected.connect(self.reject)
        note = QLabel(
            tr(
                "The vault is re-encrypted under the new passphrase, and gets a new recovery "
                "key: the old passphrase and the old recovery key no longer open it (older "
                "backups keep the passphrase they were made with)."
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        for edit in (self.current, self.pass1, self.pass2):
            edit.textChanged.connect(self._update)
        self._update()
        self.resize(520, 320)

    def _secret(self, name: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def _update(self) -> None:
        new = self.pass1.text()
        s = estimate(new)
        self.meter.setValue(s.score)
        self.advice.setText(tr(s.advice) if new else "")
        self.ok.setEnabled(
            bool(self.current.text()) and len(new) >= MIN_LENGTH and new == self.pass2.text()
        )
        if self.pass2.text() and new != self.pass2.text():
            self.error.setText(tr("The two new passphrases differ."))
        else:
            self.error.clear()

    def change(self) -> None:
        if not self.ok.isEnabled():
            return
        vault, current, new = self.vault, self.current.text(), self.pass1.text()
        self._set_busy(True)

        def work() -> str:
            if not is_current_secret(vault, current):
                raise WrongPassphrase("The current passphrase is not right; nothing was changed.")
            return vault.change_passphrase(new)

        run_in_background(self, work, self._changed, self._failed)

    def _set_busy(self, busy: bool) -> None:
        for w in (self.current, self.pass1, self.pass2, self.buttons):
            w.setEnabled(not busy)
        if busy:
            self.error.clear()
            self.busy.start(tr("Checking the passphrase and re-encrypting the vault…"))
        else:
            self.busy.stop()

    def _changed(self, key: object) -> None:
        self._set_busy(False)
        for edit in (self.current, self.pass1, self.pass2):
            edit.setText("")
        self.recovery_key_shown = True
        RecoveryKeyDialog(str(key), self.vault.path.name, self).exec()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self._update()
        self.error.setText(
            str(exc)
            if isinstance(exc, LiaisonError)
            else tr("The passphrase could not be changed ({what}).").format(what=type(exc).__name__)
        )
        self.current.selectAll()
        self.current.setFocus()
