"""Start the GUI: application setup, the start dialog, then the main window."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QLocale, QSettings, Qt, QTranslator
from PySide6.QtWidgets import QApplication, QDialog

from app import __version__
from app.core import paths
from app.gui.dialogs.start import StartDialog, remember_vault
from app.gui.resources import app_icon, apply_fonts
from app.gui.style import apply_style

if TYPE_CHECKING:
    from app.core.vault import Vault

# The database layers (SQLAlchemy, the models, the demo) are imported only after the start
# dialog is on screen: it then shows in a fraction of a second, and they load while the user
# types the passphrase.


def ensure_demo_vault() -> Path:
    """The demo notebook in the data folder, created on first use."""
    from app.core.demo import DEMO_PASSPHRASE, build_demo
    from app.core.vault import Vault

    path = paths.demo_vault_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Given its name only once the demo is complete (see Vault.create).
        Vault.create(path, DEMO_PASSPHRASE, fill=build_demo).lock()
    return path


def open_demo_vault() -> Vault:
    from app.core.demo import DEMO_PASSPHRASE
    from app.core.vault import Vault

    vault = Vault(ensure_demo_vault())
    vault.unlock(DEMO_PASSPHRASE)
    return vault


def make_application(argv: list[str] | None = None) -> QApplication:
    QCoreApplication.setApplicationName("Liaison")
    QCoreApplication.setOrganizationName("Liaison")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance()
    if app is None:
        app = QApplication(argv if argv is not None else sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setWindowIcon(app_icon())
    app.setDesktopFileName("liaison")
    translator = QTranslator(app)
    if translator.load(QLocale(), "liaison", "_", str(paths.resources_dir() / "translations")):
        app.installTranslator(translator)
    # Right-to-left languages mirror the whole layout.
    if QLocale().textDirection() == Qt.LayoutDirection.RightToLeft:
        app.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    apply_fonts(app)
    apply_style(app)
    return app


def settings() -> QSettings:
    """Window state and recent vault paths only; never content."""
    return QSettings("Liaison", "Liaison")


def run_gui(vault_path: str | None = None, demo: bool = False) -> int:
    app = make_application()
    store = settings()
    if demo:
        vault = open_demo_vault()
        remember_vault(store, vault.path)
    else:
        start = StartDialog(
            store, open_demo=open_demo_vault, initial=Path(vault_path) if vault_path else None
        )
        if start.exec() != QDialog.DialogCode.Accepted or start.vault is None:
            return 0
        vault = start.vault
    from app.gui.main_window import MainWindow

    window = MainWindow(vault, store)
    window.show()
    return int(app.exec())
