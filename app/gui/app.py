"""Start the GUI: the unlock dialog, then the main window."""

from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QApplication,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QMessageBox,
)

from app import __version__
from app.core import paths
from app.core.demo import DEMO_PASSPHRASE, build_demo
from app.core.errors import LiaisonError
from app.core.vault import Vault


def ensure_demo_vault() -> Path:
    """The demo notebook in the data folder, created on first use."""
    path = paths.demo_vault_path()
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        vault = Vault.create(path, DEMO_PASSPHRASE)
        try:
            build_demo(vault)
        finally:
            vault.lock()
    return path


class MinimalWindow(QMainWindow):
    """Placeholder main window: the list of cases. The full notebook replaces it."""

    def __init__(self, vault: Vault) -> None:
        super().__init__()
        from sqlalchemy import select

        from app.core.models import Case

        self.vault = vault
        self.setWindowTitle(f"{vault.path.name} — Liaison")
        cases = QListWidget()
        with vault.session() as s:
            for title in s.scalars(select(Case.title).order_by(Case.title)):
                cases.addItem(title)
        self.setCentralWidget(cases)
        self.resize(800, 500)

    def closeEvent(self, event):  # type: ignore[no-untyped-def]
        self.vault.lock()
        super().closeEvent(event)


def run_gui(vault_path: str | None = None, demo: bool = False) -> int:
    QCoreApplication.setApplicationName("Liaison")
    QCoreApplication.setOrganizationName("Liaison")
    QCoreApplication.setApplicationVersion(__version__)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    if demo:
        vault = Vault(ensure_demo_vault())
        vault.unlock(DEMO_PASSPHRASE)
    else:
        if vault_path is None:
            QMessageBox.information(None, "Liaison", "Start Liaison with a vault: liaison VAULT")
            return 0
        vault = Vault(vault_path)
        while True:
            secret, ok = QInputDialog.getText(
                None, "Unlock", f"Passphrase for {Path(vault_path).name}:", QLineEdit.Password
            )
            if not ok:
                return 0
            try:
                vault.unlock_any(secret)
                break
            except LiaisonError as exc:
                QMessageBox.warning(None, "Liaison", str(exc))
    window = MinimalWindow(vault)
    window.show()
    return int(app.exec())
