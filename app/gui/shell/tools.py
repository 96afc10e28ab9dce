"""The window's dialogs that do not belong to a section: search, upcoming actions,
preferences, the vault check, the guide and the About box (mixed into MainWindow)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QMainWindow, QMessageBox, QVBoxLayout

from app import __version__
from app.core import paths
from app.gui.labels import tr

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings

    from app.core.vault import Vault
    from app.gui.context import AppContext
    from app.gui.shell.lock import IdleWatcher

    _Base = QMainWindow
else:
    _Base = object


class ToolsMixin(_Base):
    ctx: AppContext
    settings: QSettings
    idle: IdleWatcher

    @property
    def vault(self) -> Vault:
        return self.ctx.vault

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, tr("Liaison"), message)

    def open_search(self) -> None:
        from app.gui.dialogs.search import SearchDialog

        if self.vault.is_unlocked:
            SearchDialog(self.ctx, self).exec()

    def upcoming_actions(self) -> None:
        from app.gui.dialogs.upcoming import UpcomingActionsDialog

        UpcomingActionsDialog(self.ctx, self).exec()

    def preferences(self) -> None:
        from app.gui.dialogs.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.idle.set_minutes(dialog.idle_minutes())

    def check_vault(self) -> None:
        from app.gui.workers import run_in_background

        self.statusBar().showMessage(tr("Checking the vault…"))

        def done(problems: object) -> None:
            assert isinstance(problems, list)
            if problems:
                QMessageBox.warning(self, tr("Vault check"), "\n".join(problems[:20]))
            else:
                QMessageBox.information(
                    self, tr("Vault check"), tr("Encryption and database checks passed.")
                )
            self.statusBar().clearMessage()

        run_in_background(self, self.vault.check, done, lambda e: self.show_error(str(e)))

    def show_security(self) -> None:
        self._show_doc("security.md", tr("What Liaison protects"))

    def show_guide(self) -> None:
        self._show_doc("guide.md", tr("Liaison guide"))

    def _show_doc(self, name: str, title: str) -> None:
        from PySide6.QtWidgets import QTextBrowser

        page = paths.resources_dir().parent / "docs" / name
        browser = QTextBrowser()
        browser.setObjectName("help_text")
        browser.setOpenExternalLinks(False)
        browser.setMarkdown(
            page.read_text("utf-8")
            if page.exists()
            else tr("The guide is missing from this installation.")
        )
        dialog = QDialog(self)
        dialog.setWindowTitle(title)
        QVBoxLayout(dialog).addWidget(browser)
        dialog.resize(720, 600)
        dialog.exec()

    def about(self) -> None:
        QMessageBox.about(
            self,
            tr("About Liaison"),
            tr(
                "<b>Liaison {v}</b><br>An encrypted, offline case notebook for mediators.<br>"
                "Fonts: Noto (SIL Open Font License)."
            ).format(v=__version__),
        )
