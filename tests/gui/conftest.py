"""GUI fixtures: isolated settings and folders, a ready main window, and a way to answer the
modal dialogs a user would answer."""

from __future__ import annotations

import contextlib
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import shiboken6
from PySide6.QtCore import QEvent, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QWidget

from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.main_window import MainWindow
from app.gui.resources import apply_fonts
from app.gui.style import apply_style
from tests.conftest import FAST_KDF, PASSPHRASE


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(tmp_path / var.lower()))


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Message boxes answer themselves: questions get Yes; warnings are recorded."""
    shown: list[str] = []

    def warning(parent: Any, title: str, text: str, *a: Any, **k: Any) -> Any:
        shown.append(text)
        return QMessageBox.StandardButton.Ok

    monkeypatch.setattr(QMessageBox, "warning", staticmethod(warning))
    monkeypatch.setattr(QMessageBox, "information", staticmethod(warning))
    monkeypatch.setattr(
        QMessageBox,
        "question",
        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Yes),
    )
    return shown


@pytest.fixture(scope="session")
def styled_app(qapp: QApplication) -> QApplication:
    """Fonts and style once: setting a style sheet re-polishes every widget alive."""
    apply_fonts(qapp)
    apply_style(qapp)
    return qapp


@pytest.fixture
def window(
    qtbot: Any, vault: Vault, settings: QSettings, messages: list[str], styled_app: QApplication
) -> Iterator[MainWindow]:
    w = MainWindow(vault, settings)
    w.resize(1280, 800)
    w.show()
    qtbot.waitExposed(w)
    yield w
    if shiboken6.isValid(w):
        w.close()  # deletes it (WA_DeleteOnClose), so windows do not pile up across tests
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo notebook, built once per run (some 90 service calls: ~1 s each time)."""
    from app.core.demo import build_demo

    path = tmp_path_factory.mktemp("demo") / "demo.liaison"
    v = Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF)
    build_demo(v)
    v.lock()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


@pytest.fixture
def demo_case(vault: Vault, demo_template: Path) -> int:
    """The test's vault holds the demo: a copy of the template under the same passphrase
    (the file carries its own salt). Lock hooks are held back: this is no user's lock."""
    hooks = list(vault.on_lock)
    vault.on_lock.clear()
    try:
        vault.lock()
        for suffix in ("-wal", "-shm"):
            Path(f"{vault.path}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(demo_template, vault.path)
        vault.unlock(PASSPHRASE)
    finally:
        vault.on_lock[:0] = hooks
    return int(Records(vault).find("case", order_by="id")[0]["id"])


def answer_dialog(handler: Callable[[QWidget], None], *, not_this: QWidget | None = None) -> None:
    """Run ``handler`` on the next modal dialog once it shows (a dialog blocks in exec(), so
    the test's next line runs only after the handler has closed it)."""

    def poll() -> None:
        w = QApplication.activeModalWidget()
        if w is not None and w.isVisible() and w is not not_this:
            try:
                handler(w)
            except BaseException:
                # Close the dialog so exec() returns; pytest-qt then reports the failure.
                w.close()
                raise
            if w.isVisible() and QApplication.activeModalWidget() is w:
                w.close()
                raise AssertionError(f"{type(w).__name__} was still open after the handler")
        else:
            QTimer.singleShot(20, poll)

    QTimer.singleShot(0, poll)


@contextlib.contextmanager
def hosted(qtbot: Any, widget: QWidget, size: tuple[int, int]) -> Iterator[QMainWindow]:
    """Show a section in a main window of ``size`` (a section alone, without the shell),
    and make sure the window is gone afterwards."""
    window = QMainWindow()
    window.setCentralWidget(widget)
    window.resize(*size)
    window.show()
    qtbot.waitExposed(window)
    try:
        yield window
    finally:
        if shiboken6.isValid(window):
            window.close()
            window.deleteLater()
        QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
