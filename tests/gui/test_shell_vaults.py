"""File ▸ New vault, Open vault and Change passphrase, driven through the menu."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QDialogButtonBox, QFileDialog, QLabel, QWidget

from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.main_window import MainWindow
from app.gui.shell.vault_dialogs import ChangePassphraseDialog
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.gui.conftest import answer_dialog

NEW_PASS = "a lantern by the river gate"


def file_menu_action(window: MainWindow, text: str) -> Any:
    [file_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    found = [a for a in file_menu.actions() if a.text().replace("&", "") == text]
    assert found, f"{text} is not in the File menu"
    return found[0]


def confirm_recovery_key(seen: dict[str, str]) -> Any:
    def handler(w: QWidget) -> None:
        seen["key"] = w.findChild(QLabel, "recovery_key").text()
        w.findChild(QCheckBox, "confirm_written").setChecked(True)
        ok = w.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        ok.click()

    return handler


def test_file_menu_holds_the_vault_actions(window: MainWindow) -> None:
    for text in ("New vault…", "Open vault…", "Change passphrase…"):
        assert file_menu_action(window, text).isEnabled()


def test_change_passphrase_from_the_menu(qtbot: Any, window: MainWindow) -> None:
    seen: dict[str, str] = {}

    def change(w: QWidget) -> None:
        assert isinstance(w, ChangePassphraseDialog)
        qtbot.keyClicks(w.current, "not the passphrase")
        qtbot.keyClicks(w.pass1, NEW_PASS)
        assert not w.ok.isEnabled()  # the new one typed once only
        qtbot.keyClicks(w.pass2, NEW_PASS)
        qtbot.mouseClick(w.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: "not right" in w.error.text(), timeout=10_000)
        w.current.setText(PASSPHRASE)
        answer_dialog(confirm_recovery_key(seen), not_this=w)
        qtbot.mouseClick(w.ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not w.isVisible(), timeout=10_000)

    answer_dialog(change)
    file_menu_action(window, "Change passphrase…").trigger()
    assert len(seen["key"].split()) == 16
    window.lock()
    path = window.vault.path
    with pytest.raises(Exception, match="not right"):
        Vault(path, kdf_sets=FAST_KDF).unlock(PASSPHRASE)
    again = Vault(path, kdf_sets=FAST_KDF)
    again.unlock(NEW_PASS)
    again.lock()
    again.unlock_with_recovery_key(seen["key"])
    again.lock()


def test_open_vault_from_the_menu(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other_path = tmp_path / "other.liaison"
    other = Vault.create(other_path, NEW_PASS, kdf_sets=FAST_KDF)
    Records(other).create("case", title="Harbour access talks")
    key = other.recovery_key()
    other.lock()
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(other_path), ""))
    )
    file_menu_action(window, "Open vault…").trigger()
    assert window.stack.currentWidget() is window.lock_screen
    panel = window.lock_screen.panel
    assert panel.path == other_path and "other.liaison" in panel.vault_label.text()
    qtbot.keyClicks(panel.passphrase, key)  # the recovery key: no slow key derivation
    qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.vault.is_unlocked, timeout=10_000)
    assert window.vault.path == other_path
    assert window.stack.currentWidget() is window.splitter
    assert window.cases_model.value(0, "title") == "Harbour access talks"
    assert "other.liaison" in window.windowTitle()


def test_new_vault_from_the_menu(
    qtbot: Any, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    Records(window.vault).create("case", title="Islands dialogue")
    window.load()
    real_create = Vault.create.__func__  # type: ignore[attr-defined]
    monkeypatch.setattr(
        Vault,
        "create",
        classmethod(lambda cls, p, s, **k: real_create(cls, p, s, kdf_sets=FAST_KDF)),
    )
    target = tmp_path / "fresh"
    seen: dict[str, str] = {}

    def create(w: QWidget) -> None:
        w.findChild(QWidget, "new_path").setText(str(target))
        qtbot.keyClicks(w.findChild(QWidget, "new_passphrase"), NEW_PASS)
        qtbot.keyClicks(w.findChild(QWidget, "repeat_passphrase"), NEW_PASS)
        answer_dialog(confirm_recovery_key(seen), not_this=w)
        ok = w.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: not w.isVisible(), timeout=10_000)

    old = window.vault
    answer_dialog(create)
    file_menu_action(window, "New vault…").trigger()
    assert "key" in seen
    assert not old.is_unlocked and not old.holds_key()
    assert window.vault.is_unlocked and window.vault.path == target.with_name("fresh.liaison")
    assert window.cases_model.rowCount() == 0
    assert window.case_stack.currentWidget() is window.no_case


@pytest.mark.parametrize("size", [(1280, 800), (1024, 700)])
def test_the_lock_screens_passphrase_field_shows_its_whole_hint(
    qtbot: Any, window: MainWindow, size: tuple[int, int]
) -> None:
    """It was about 110 px wide and read "Passphrase or r…" at both sizes."""
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    window.lock()
    field = window.lock_screen.panel.passphrase
    qtbot.waitUntil(field.isVisible)
    hint = field.fontMetrics().horizontalAdvance(field.placeholderText())
    assert field.width() >= hint + 16
