"""The start dialog: recent vaults, unlock with passphrase or recovery key, create a vault,
open the demo notebook. Key derivation runs on a worker thread with a busy indicator."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LiaisonError
from app.core.passphrase import MIN_LENGTH, estimate

if TYPE_CHECKING:
    from app.core.vault import Vault
from app.gui.labels import tr
from app.gui.resources import app_icon
from app.gui.widgets.dialog_parts import error_label
from app.gui.workers import run_in_background

RECENT_KEY = "recent_vaults"
MAX_RECENT = 8


def recent_vaults(settings: QSettings) -> list[str]:
    """Paths only: QSettings never holds content."""
    value = settings.value(RECENT_KEY, [])
    paths: list[object] = (
        [value]
        if isinstance(value, str)
        else list(value)
        if isinstance(value, list | tuple)
        else []
    )
    return [p for p in paths if isinstance(p, str)]


def remember_vault(settings: QSettings, path: Path) -> None:
    paths = [str(path.resolve())] + [p for p in recent_vaults(settings) if p != str(path.resolve())]
    settings.setValue(RECENT_KEY, paths[:MAX_RECENT])


class BusyRow(QWidget):
    """An indeterminate progress bar with a sentence, shown while the key is derived."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 0)
        self.bar.setTextVisible(False)
        self.bar.setMaximumHeight(8)
        self.label = QLabel()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.label)
        layout.addWidget(self.bar)
        self.hide()

    def start(self, text: str) -> None:
        self.label.setText(text)
        self.show()

    def stop(self) -> None:
        self.hide()


class UnlockPanel(QWidget):
    """Passphrase field + Unlock; used by the start dialog and by the lock screen."""

    unlocked = Signal(object)  # the Vault

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.path: Path | None = None
        self.vault_label = QLabel()
        self.vault_label.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(tr("Passphrase or recovery key"))
        self.passphrase.setMinimumWidth(280)  # the whole hint, and room to see it typed
        self.passphrase.returnPressed.connect(self.unlock)
        self.unlock_button = QPushButton(tr("Unlock"))
        self.unlock_button.setObjectName("unlock")
        self.unlock_button.clicked.connect(self.unlock)
        self.error = error_label("error", wrap=True)
        self.busy = BusyRow()
        row = QHBoxLayout()
        row.addWidget(self.passphrase, 1)
        row.addWidget(self.unlock_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.vault_label)
        layout.addLayout(row)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        self.set_path(None)

    def set_path(self, path: Path | None) -> None:
        self.path = path
        self.vault_label.setText(
            tr("Unlock <b>{name}</b>").format(name=path.name) if path else tr("Choose a vault.")
        )
        self.passphrase.setEnabled(path is not None)
        self.unlock_button.setEnabled(path is not None)
        self.error.clear()

    def unlock(self) -> None:
        if self.path is None or not self.unlock_button.isEnabled():
            return
        secret = self.passphrase.text()
        if not secret:
            self.error.setText(tr("Type the passphrase (or the recovery key)."))
            return
        path = self.path
        self._set_busy(True)

        def work() -> Vault:
            from app.core.vault import Vault

            vault = Vault(path)
            vault.unlock_any(secret)
            return vault

        run_in_background(self, work, self._done, self._failed)

    def _set_busy(self, busy: bool) -> None:
        self.passphrase.setEnabled(not busy)
        self.unlock_button.setEnabled(not busy)
        if busy:
            self.error.clear()
            self.busy.start(tr("Deriving the key from your passphrase…"))
        else:
            self.busy.stop()

    def _done(self, vault: object) -> None:
        self._set_busy(False)
        self.passphrase.clear()
        self.unlocked.emit(vault)

    def _failed(self, exc: BaseException) -> None:
        self._set_busy(False)
        self.error.setText(
            str(exc)
            if isinstance(exc, LiaisonError)
            else tr("Liaison could not open this vault ({what}).").format(what=type(exc).__name__)
        )
        self.passphrase.selectAll()
        self.passphrase.setFocus()


class CreateVaultDialog(QDialog):
    """A new vault: where, the passphrase twice with a strength meter, then the recovery key."""

    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("New vault"))
        self.vault: Vault | None = None
        self.path_edit = QLineEdit(str(path) if path else "")
        self.path_edit.setObjectName("new_path")
        browse = QPushButton(tr("Choose…"))
        browse.clicked.connect(self._browse)
        self.pass1 = QLineEdit()
        self.pass1.setObjectName("new_passphrase")
        self.pass1.setEchoMode(QLineEdit.EchoMode.Password)
        self.pass2 = QLineEdit()
        self.pass2.setObjectName("repeat_passphrase")
        self.pass2.setEchoMode(QLineEdit.EchoMode.Password)
        self.meter = QProgressBar()
        self.meter.setObjectName("strength")
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setMaximumHeight(8)
        self.advice = QLabel()
        self.advice.setWordWrap(True)
        self.error = error_label("error", wrap=True)
        self.busy = BusyRow()
        self.pass1.textChanged.connect(self._update)
        self.pass2.textChanged.connect(self._update)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_edit, 1)
        path_row.addWidget(browse)
        form = QFormLayout()
        form.addRow(tr("File"), path_row)
        form.addRow(tr("Passphrase"), self.pass1)
        form.addRow("", self.meter)
        form.addRow("", self.advice)
        form.addRow(tr("Repeat it"), self.pass2)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(tr("Create"))
        self.buttons.accepted.connect(self.create_vault)
        self.buttons.rejected.connect(self.reject)
        note = QLabel(
            tr(
                "Choose a passphrase of several ordinary words that only you know. Liaison cannot "
                "recover it; the recovery key shown next is the only other way in."
            )
        )
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.busy)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self._update()
        self.resize(560, 360)

    def _browse(self) -> None:
        path, _ = QFileDialog.getSaveFileName(
            self,
            tr("New vault"),
            str(Path.home() / "notebook.liaison"),
            tr("Liaison vaults (*.liaison)"),
        )
        if path:
            self.path_edit.setText(path if path.endswith(".liaison") else path + ".liaison")

    def _update(self) -> None:
        s = estimate(self.pass1.text())
        self.meter.setValue(s.score)
        self.advice.setText(tr(s.advice) if self.pass1.text() else "")
        ok = (
            len(self.pass1.text()) >= MIN_LENGTH
            and self.pass1.text() == self.pass2.text()
            and bool(self.path_edit.text().strip())
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        if self.pass2.text() and self.pass1.text() != self.pass2.text():
            self.error.setText(tr("The two passphrases differ."))
        else:
            self.error.clear()

    def create_vault(self) -> None:
        path = Path(self.path_edit.text().strip()).expanduser()
        if path.suffix != ".liaison":
            path = path.with_name(path.name + ".liaison")
        secret = self.pass1.text()
        self.buttons.setEnabled(False)
        self.busy.start(tr("Creating the vault and deriving its key…"))

        def create() -> Vault:
            from app.core.vault import Vault

            return Vault.create(path, secret)

        run_in_background(self, create, self._created, self._failed)

    def _created(self, vault: object) -> None:
        from app.core.vault import Vault

        assert isinstance(vault, Vault)
        self.busy.stop()
        self.vault = vault
        self.pass1.clear()
        self.pass2.clear()
        RecoveryKeyDialog(vault.recovery_key(), vault.path.name, self).exec()
        self.accept()

    def _failed(self, exc: BaseException) -> None:
        self.busy.stop()
        self.buttons.setEnabled(True)
        self.error.setText(str(exc) if isinstance(exc, LiaisonError) else repr(exc))


class RecoveryKeyDialog(QDialog):
    """Shown once: the recovery key, with a prompt to write it down."""

    def __init__(self, key: str, vault_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Recovery key"))
        intro = QLabel(
            tr(
                "This is the recovery key of <b>{name}</b>. It opens the vault if the passphrase "
                "is lost, here or in the standard sqlcipher tool. Write it on paper and keep it "
                "somewhere safe, away from this computer. It will not be shown again; you can "
                "print it later as a recovery sheet (File ▸ Export)."
            ).format(name=vault_name)
        )
        intro.setWordWrap(True)
        shown = QLabel(key.replace("-", " "))
        shown.setObjectName("recovery_key")
        shown.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = shown.font()
        font.setFamily("monospace")
        font.setPointSizeF(font.pointSizeF() * 1.3)
        shown.setFont(font)
        shown.setWordWrap(True)
        self.confirm = QCheckBox(tr("I have written down the recovery key"))
        self.confirm.setObjectName("confirm_written")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(False)
        self.confirm.toggled.connect(ok.setEnabled)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(shown)
        layout.addWidget(self.confirm)
        layout.addWidget(buttons)


class StartDialog(QDialog):
    """Recent vaults on the left; unlock, create or open the demo on the right."""

    def __init__(
        self,
        settings: QSettings,
        open_demo: Callable[[], Vault] | None = None,
        initial: Path | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Liaison"))
        self.setWindowIcon(app_icon())
        self.settings = settings
        self.vault: Vault | None = None
        self._open_demo = open_demo
        title = QLabel(
            tr(
                "<h2>Liaison</h2>An encrypted notebook for mediation work. "
                "Nothing leaves this computer."
            )
        )
        title.setWordWrap(True)
        self.recent = QListWidget()
        self.recent.setObjectName("recent")
        for p in recent_vaults(settings):
            item = QListWidgetItem(Path(p).name)
            item.setToolTip(p)
            item.setData(Qt.ItemDataRole.UserRole, p)
            self.recent.addItem(item)
        self.recent.currentItemChanged.connect(self._picked)
        self.panel = UnlockPanel()
        self.panel.unlocked.connect(self._unlocked)
        open_other = QPushButton(tr("Open another vault…"))
        open_other.clicked.connect(self._browse)
        create = QPushButton(tr("Create a new vault…"))
        create.setObjectName("create")
        create.clicked.connect(self._create)
        demo = QPushButton(tr("Open the demo notebook"))
        demo.setObjectName("demo")
        demo.clicked.connect(self._demo)
        demo.setEnabled(open_demo is not None)
        # Return in the passphrase field means Unlock, never another button of the dialog.
        for button in (open_other, create, demo):
            button.setAutoDefault(False)
        self.panel.unlock_button.setDefault(True)
        right = QVBoxLayout()
        right.addWidget(title)
        right.addWidget(self.panel)
        right.addStretch(1)
        right.addWidget(open_other)
        right.addWidget(create)
        right.addWidget(demo)
        left = QVBoxLayout()
        left.addWidget(QLabel(tr("Recent vaults")))
        left.addWidget(self.recent)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 3)
        self.resize(720, 400)
        if initial is not None:
            self.panel.set_path(initial)
        elif self.recent.count():
            self.recent.setCurrentRow(0)
        self.panel.passphrase.setFocus()

    def _picked(self, item: QListWidgetItem | None) -> None:
        if item is not None:
            self.panel.set_path(Path(item.data(Qt.ItemDataRole.UserRole)))
            self.panel.passphrase.setFocus()

    def _browse(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Open a vault"), str(Path.home()), tr("Liaison vaults (*.liaison)")
        )
        if path:
            self.panel.set_path(Path(path))
            self.panel.passphrase.setFocus()

    def _create(self) -> None:
        dialog = CreateVaultDialog(self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.vault is not None:
            self._unlocked(dialog.vault)

    def _demo(self) -> None:
        assert self._open_demo is not None
        self.panel.busy.start(tr("Opening the demo notebook…"))
        self.setEnabled(False)

        def failed(exc: BaseException) -> None:
            self.setEnabled(True)
            self.panel.busy.stop()
            self.panel.error.setText(str(exc))

        def done(vault: object) -> None:
            self.setEnabled(True)
            self.panel.busy.stop()
            self._unlocked(vault)

        run_in_background(self, self._open_demo, done, failed)

    def _unlocked(self, vault: object) -> None:
        from app.core.vault import Vault

        assert isinstance(vault, Vault)
        self.vault = vault
        remember_vault(self.settings, vault.path)
        self.accept()
