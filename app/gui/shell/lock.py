"""Locking, unlocking and changing vaults; backups on demand and on lock.

Locking (Ctrl+L, or after the idle time set in Preferences) closes every dialog (a running
export stops with its dialog), calls ``clear()`` on every section (built or not) and on the
sidebar, empties every dialog the window owns, and shows only the unlock prompt; the vault
then waits for work still reading it to stop before it closes. Unlocking opens the vault
again and reloads. File ▸ Open vault and New vault go through the same lock: the lock
screen then asks for the other vault's passphrase, or the new vault is adopted at once.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QGuiApplication, QWindow
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMainWindow,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LiaisonError
from app.core.vault import Vault
from app.gui.actions import ActionId
from app.gui.context import AppContext
from app.gui.dialogs.start import UnlockPanel, remember_vault
from app.gui.labels import tr
from app.gui.models.record_table import RecordTableModel
from app.gui.resources import icon
from app.gui.widgets.dialog_parts import empty_dialog
from app.gui.workers import run_in_background

if TYPE_CHECKING:
    from PySide6.QtGui import QAction

    from app.gui.clipboard import SecretClipboard

    _Base = QMainWindow
else:
    _Base = object


class IdleWatcher(QObject):
    """Any key or mouse input restarts the countdown; at zero the window locks.

    It watches the top-level *windows* (the main window, each dialog as it takes the focus),
    not the whole application: an application-wide filter ran Python for every event of
    every widget (paint, layout, hover: ~5,000 on the first screen alone), while input
    reaches a window before its widgets."""

    _INPUT = frozenset(
        int(t)
        for t in (
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
        )
    )

    def __init__(self, minutes: int, on_idle: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(on_idle)
        self.set_minutes(minutes)
        self._watched: set[int] = set()
        self.last_input = time.monotonic()  # when the user last typed, clicked or moved
        for window in QGuiApplication.topLevelWindows():
            self.watch(window)
        app = QGuiApplication.instance()
        assert isinstance(app, QGuiApplication)
        app.focusWindowChanged.connect(self.watch)
        # The main window has no QWindow until it is first shown: watch it then.
        self._owner = parent
        parent.installEventFilter(self)

    def watch(self, window: QWindow | None) -> None:
        """Watch ``window``'s input (once; it is forgotten when it is destroyed)."""
        if window is None or id(window) in self._watched:
            return
        self._watched.add(id(window))
        window.installEventFilter(self)
        key = id(window)
        window.destroyed.connect(lambda *_a: self._watched.discard(key))

    def set_minutes(self, minutes: int) -> None:
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.start()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        kind = int(event.type())
        if kind in self._INPUT:
            self.timer.start()
            self.last_input = time.monotonic()
        elif obj is self._owner and kind == int(QEvent.Type.Show):
            handle = getattr(obj, "windowHandle", None)
            if handle is not None and handle() is not None:
                self.watch(handle())
                obj.removeEventFilter(self)  # its own events are not input: the window's are
        return False


class LockScreen(QWidget):
    """All that shows while locked: the vault's name and the passphrase field (and a way to
    open another vault instead)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = UnlockPanel()
        self.panel.setMaximumWidth(460)
        title = QLabel(tr("<h2>Locked</h2>The vault is closed. Unlock it to continue."))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lock_icon = QLabel()
        lock_icon.setPixmap(icon("lock").pixmap(64, 64))
        lock_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.other = QPushButton(tr("Open another vault…"))
        self.other.setObjectName("lock_open_other")
        self.other.setAutoDefault(False)
        self.other.clicked.connect(self._browse)
        inner = QVBoxLayout()
        inner.addStretch(1)
        inner.addWidget(lock_icon)
        inner.addWidget(title)
        inner.addWidget(self.panel, 0, Qt.AlignmentFlag.AlignHCenter)
        inner.addWidget(self.other, 0, Qt.AlignmentFlag.AlignHCenter)
        inner.addStretch(2)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(inner, 2)
        layout.addStretch(1)

    def _browse(self) -> None:
        start = str(self.panel.path.parent) if self.panel.path else str(Path.home())
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Open a vault"), start, tr("Liaison vaults (*.liaison)")
        )
        if path:
            self.panel.set_path(Path(path))
            self.panel.passphrase.setFocus()


class LockMixin(_Base):
    """The window's lock, unlock, vault switching and backups (mixed into MainWindow)."""

    ctx: AppContext
    settings: QSettings
    clipboard: SecretClipboard
    stack: QStackedWidget
    splitter: QSplitter
    lock_screen: LockScreen
    idle: IdleWatcher
    backup_label: QLabel
    actions_: dict[ActionId, QAction]
    _locking: bool
    _next_path: Path | None  # Open vault: the file the lock screen asks for next
    _after_lock: Callable[[], None] | None  # New vault: adopt it once the old one is closed

    # Provided by MainWindow.
    def _clear_sections(self) -> None: ...
    def load(self) -> None: ...
    def _update_title(self) -> None: ...
    def _update_actions(self) -> None: ...
    def show_error(self, message: str) -> None: ...

    @property
    def vault(self) -> Vault:
        return self.ctx.vault

    def action(self, aid: ActionId) -> QAction:
        return self.actions_[aid]

    # -- lock and unlock ------------------------------------------------------------------

    def lock(self) -> None:
        """Hide everything at once; take today's backup (on a worker) if it is due, then
        close the vault and wipe its key."""
        if not self.vault.is_unlocked or self._locking:
            return
        folder = self._daily_backup_folder()
        self._close_dialogs()  # first: a running export stops with its dialog
        self._clear_sections()
        self.ctx.set_case(None)  # nothing is in view until the vault is open again
        self.ctx.undo_stack.clear()  # its commands hold record values
        self.ctx.last_capture_parties = (None, None)
        self.clipboard.clear_if_ours()
        self.stack.setCurrentWidget(self.lock_screen)
        self.menuBar().setEnabled(False)
        for action in self.actions_.values():
            action.setEnabled(action is self.actions_[ActionId.QUIT])
        if folder is None:
            self._close_vault()
            return
        from app.core.services.backups import rotate

        self._locking = True
        panel = self.lock_screen.panel
        panel.setEnabled(False)
        panel.error.setText(tr("Writing today's encrypted backup, then locking…"))
        vault = self.vault

        def failed(exc: BaseException) -> None:
            self.statusBar().showMessage(str(exc), 8000)
            self._close_vault()

        run_in_background(
            self, lambda: rotate(vault, folder), lambda _r: self._close_vault(), failed
        )

    def _close_dialogs(self) -> None:
        """Close every open dialog (closing the export dialog cancels its export), then
        empty every dialog this window owns, open or already closed: a closed dialog still
        holds what it showed until it is deleted."""
        for w in QApplication.topLevelWidgets():
            if isinstance(w, QDialog) and w.isVisible():
                w.reject()
        for dialog in self.findChildren(QDialog):
            empty_dialog(dialog)

    def _close_vault(self) -> None:
        self._locking = False
        self.vault.lock()
        panel = self.lock_screen.panel
        panel.setEnabled(True)
        panel.error.clear()
        panel.set_path(self._next_path or self.vault.path)
        self._next_path = None
        self._update_title()
        panel.passphrase.setFocus()
        if (after := self._after_lock) is not None:
            self._after_lock = None
            after()

    def _unlocked(self, vault: object) -> None:
        """Adopt an open vault: the same file again, or another one (Open / New vault)."""
        assert isinstance(vault, Vault)
        other = vault.path.resolve() != self.vault.path.resolve()
        self.ctx.vault = vault
        self.ctx.records.vault = vault
        for model in self._table_models():
            model.vault = vault
        self.stack.setCurrentWidget(self.splitter)
        self.menuBar().setEnabled(True)
        for action in self.actions_.values():
            action.setEnabled(True)
        self.idle.timer.start()
        if other:
            remember_vault(self.settings, vault.path)
            self.statusBar().showMessage(tr("Vault: {path}").format(path=vault.path))
        self.load()
        self._show_last_backup()
        self._update_actions()

    def _table_models(self) -> list[RecordTableModel]:
        return list(self.findChildren(RecordTableModel))

    # -- other vaults ---------------------------------------------------------------------

    def open_vault(self) -> None:
        """Lock this vault and ask for the passphrase of another one."""
        path, _ = QFileDialog.getOpenFileName(
            self, tr("Open a vault"), str(self.vault.path.parent), tr("Liaison vaults (*.liaison)")
        )
        if not path:
            return
        self._next_path = Path(path)
        self.lock()

    def new_vault(self) -> None:
        """Create a vault (where, the passphrase twice, its recovery key), then lock this one
        and open the new one."""
        from app.gui.dialogs.start import CreateVaultDialog

        dialog = CreateVaultDialog(self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        new = dialog.vault
        dialog.deleteLater()
        if not accepted or new is None:
            return
        self._after_lock = lambda: self._unlocked(new)
        self.lock()

    def change_passphrase(self) -> None:
        from app.gui.shell.vault_dialogs import ChangePassphraseDialog

        dialog = ChangePassphraseDialog(self.vault, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.statusBar().showMessage(
                tr("The passphrase was changed. The old recovery key no longer works."), 15000
            )
        dialog.deleteLater()

    # -- backups --------------------------------------------------------------------------

    def _show_last_backup(self) -> None:
        from app.core.services.backups import last_backup_at
        from app.gui.labels import fmt_datetime

        when = last_backup_at(self.vault) if self.vault.is_unlocked else None
        self.backup_label.setText(
            tr("Last backup: {when}").format(when=fmt_datetime(when))
            if when
            else tr("No backup yet (File ▸ Back up now)")
        )

    def backup_now(self) -> None:
        """Choose the backup folder the first time, then take today's backup."""
        from app.core.services.backups import rotate
        from app.core.services.settings import BACKUP_FOLDER, get_setting, set_setting

        folder = get_setting(self.vault, BACKUP_FOLDER)
        if not folder or not Path(folder).is_dir():
            folder = QFileDialog.getExistingDirectory(
                self, tr("Folder for encrypted backups (a USB stick, say)")
            )
            if not folder:
                return
            set_setting(self.vault, BACKUP_FOLDER, folder)
        self.statusBar().showMessage(tr("Writing an encrypted backup…"))
        self.action(ActionId.BACKUP).setEnabled(False)
        vault = self.vault

        def done(result: object) -> None:
            self.action(ActionId.BACKUP).setEnabled(vault.is_unlocked)
            self._show_last_backup()
            path = getattr(result, "path", None)
            self.statusBar().showMessage(
                tr("Encrypted backup written to {path}.").format(path=path)
                if path
                else tr("Today's backup was already there."),
                8000,
            )

        def failed(exc: BaseException) -> None:
            self.action(ActionId.BACKUP).setEnabled(vault.is_unlocked)
            self.statusBar().clearMessage()
            if not isinstance(exc, LiaisonError):
                raise exc
            self.show_error(str(exc))

        # A backup of a big vault takes seconds: never on the GUI thread.
        run_in_background(self, lambda: rotate(vault, Path(folder)), done, failed)

    def _daily_backup_folder(self) -> Path | None:
        """The backup folder, when a backup folder is set, reachable, and lacks today's."""
        from app.core.services.backups import todays_backup
        from app.core.services.settings import BACKUP_FOLDER, get_setting

        folder = get_setting(self.vault, BACKUP_FOLDER)
        if not folder or not Path(folder).is_dir():
            return None
        return None if todays_backup(self.vault, Path(folder)).exists() else Path(folder)
