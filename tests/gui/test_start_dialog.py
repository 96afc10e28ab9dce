"""The start dialog and the lock screen, with the real key derivation (the GUI can never use
a weaker one): create a vault, see its recovery key once, unlock, and every error path."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QSettings, Qt
from PySide6.QtWidgets import QApplication, QCheckBox, QDialogButtonBox, QLabel, QWidget

from app.core.vault import Vault
from app.gui.dialogs.start import (
    CreateVaultDialog,
    RecoveryKeyDialog,
    StartDialog,
    recent_vaults,
)
from app.gui.main_window import MainWindow
from tests.gui.conftest import answer_dialog

PASS = "plum orchard at the border crossing"


@pytest.fixture
def real_vault(tmp_path: Path) -> Path:
    path = tmp_path / "field-notes.liaison"
    Vault.create(path, PASS).lock()
    return path


def unlock_with(qtbot: Any, dialog: StartDialog, secret: str) -> None:
    panel = dialog.panel
    panel.passphrase.clear()
    qtbot.keyClicks(panel.passphrase, secret)
    qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(
        lambda: (
            (not panel.busy.isVisible() and panel.unlock_button.isEnabled())
            or dialog.vault is not None
        ),
        timeout=15_000,
    )


def test_create_a_vault_and_see_the_recovery_key_once(
    qtbot: Any, tmp_path: Path, settings: QSettings
) -> None:
    start = StartDialog(settings)
    qtbot.addWidget(start)
    start.show()
    target = tmp_path / "new-notebook"
    seen: dict[str, str] = {}

    def recovery(w: QWidget) -> None:
        assert isinstance(w, RecoveryKeyDialog)
        seen["key"] = w.findChild(QLabel, "recovery_key").text()
        ok = w.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()  # not before confirming it was written down
        w.findChild(QCheckBox, "confirm_written").setChecked(True)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)

    def create(w: QWidget) -> None:
        assert isinstance(w, CreateVaultDialog)
        w.path_edit.setText(str(target))
        qtbot.keyClicks(w.pass1, "short")
        assert w.meter.value() == 0
        ok = w.buttons.button(QDialogButtonBox.StandardButton.Ok)
        assert not ok.isEnabled()
        w.pass1.clear()
        qtbot.keyClicks(w.pass1, PASS)
        assert w.meter.value() >= 3
        qtbot.keyClicks(w.pass2, PASS[:-1])
        assert not ok.isEnabled() and "differ" in w.error.text()
        qtbot.keyClicks(w.pass2, PASS[-1])
        assert ok.isEnabled()
        answer_dialog(recovery, not_this=w)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not shiboken6.isValid(w) or not w.isVisible(), timeout=15_000)

    answer_dialog(create, not_this=start)
    qtbot.mouseClick(start.findChild(QWidget, "create"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: start.vault is not None, timeout=15_000)
    vault = start.vault
    assert vault is not None and vault.path == tmp_path / "new-notebook.liaison"
    assert seen["key"].replace(" ", "-") == vault.recovery_key()
    assert recent_vaults(settings) == [str(vault.path.resolve())]
    vault.lock()


def test_unlock_errors_are_clear_and_the_user_can_retry(
    qtbot: Any, real_vault: Path, tmp_path: Path, settings: QSettings
) -> None:
    start = StartDialog(settings, initial=real_vault)
    qtbot.addWidget(start)
    start.show()
    before = real_vault.read_bytes()
    unlock_with(qtbot, start, "not my passphrase")
    assert "not right" in start.panel.error.text()
    assert start.vault is None and real_vault.read_bytes() == before

    foreign = tmp_path / "shopping.liaison"
    foreign.write_text("bread, tea, batteries\n" * 40, encoding="utf-8")
    start.panel.set_path(foreign)
    unlock_with(qtbot, start, PASS)
    assert "not a Liaison vault" in start.panel.error.text()

    other = Vault(real_vault)
    other.unlock(PASS)  # open elsewhere
    try:
        start.panel.set_path(real_vault)
        unlock_with(qtbot, start, PASS)
        assert "already open" in start.panel.error.text()
    finally:
        other.lock()

    unlock_with(qtbot, start, PASS)
    assert start.vault is not None and start.vault.is_unlocked
    start.vault.lock()


def test_recovery_key_unlocks_too(qtbot: Any, real_vault: Path, settings: QSettings) -> None:
    v = Vault(real_vault)
    v.unlock(PASS)
    key = v.recovery_key()
    v.lock()
    start = StartDialog(settings, initial=real_vault)
    qtbot.addWidget(start)
    start.show()
    unlock_with(qtbot, start, key)
    assert start.vault is not None
    start.vault.lock()


def test_lock_screen_unlocks_with_the_passphrase(
    qtbot: Any, real_vault: Path, settings: QSettings, messages: list[str], styled_app: Any
) -> None:
    vault = Vault(real_vault)
    vault.unlock(PASS)
    from app.core.services.records import Records

    Records(vault).create("case", title="Pass road talks")
    window = MainWindow(vault, settings)
    window.show()
    try:
        assert window.cases_model.rowCount() == 1
        window.lock()
        assert window.stack.currentWidget() is window.lock_screen
        panel = window.lock_screen.panel
        qtbot.keyClicks(panel.passphrase, "wrong passphrase")
        qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: "not right" in panel.error.text(), timeout=15_000)
        assert window.stack.currentWidget() is window.lock_screen
        panel.passphrase.clear()
        qtbot.keyClicks(panel.passphrase, PASS)
        qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
        qtbot.waitUntil(lambda: window.stack.currentWidget() is window.splitter, timeout=15_000)
        assert window.vault.is_unlocked
        assert window.cases_model.rowCount() == 1
        assert window.messages.list.model.vault is window.vault
    finally:
        window.close()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
