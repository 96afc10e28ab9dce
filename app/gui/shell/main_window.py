"""The main window: cases and the sections of the selected case in the left column, the
section in view on the right, the lock screen.

The window knows its sections through one table (``section_table``: key, label, icon,
factory, and the pages of app.gui.kinds it shows) and one protocol
(app.gui.sections.protocol.Section). A section is built the first time it is shown; when a
record kind it ``watches`` changes it reloads if it is in view and is marked stale
otherwise (it reloads when next shown); New item, Delete item and Copy text go to the
section in view; a lock calls ``clear()`` on every section and on the sidebar.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QByteArray, QSettings, Qt, QThreadPool
from PySide6.QtGui import QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLabel,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QWidget,
)

from app.core.errors import LiaisonError
from app.core.services.search import strip_marks
from app.core.vault import Vault
from app.gui.actions import ActionId, ActionRegistry, redo_shortcuts
from app.gui.clipboard import SecretClipboard
from app.gui.context import AppContext
from app.gui.dialogs.preferences import DEFAULT_IDLE_MINUTES, IDLE_MINUTES_KEY
from app.gui.kinds import kind_of, listed_record
from app.gui.labels import tr
from app.gui.resources import app_icon, icon
from app.gui.sections.protocol import Section
from app.gui.sections.record_list import RecordDialog, default_values
from app.gui.shell.legacy import LegacyViews
from app.gui.shell.lock import IdleWatcher, LockMixin, LockScreen
from app.gui.shell.overview import NoCaseYet
from app.gui.shell.sidebar import CaseSidebar
from app.gui.shell.table import SectionEntry, SectionHolder, section_table
from app.gui.shell.tools import ToolsMixin
from app.gui.undo import CreateRecord, DeleteRecord


class MainWindow(LegacyViews, ToolsMixin, LockMixin, QMainWindow):
    def __init__(self, vault: Vault, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._locking = False  # the backup on lock is being written; the vault closes after
        self._next_path = None
        self._after_lock = None
        self.ctx = AppContext(vault, self)
        self.ctx.error_handler = self.show_error
        self.clipboard = SecretClipboard(self)
        self.setWindowIcon(app_icon())
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.actions_ = ActionRegistry(self)

        # The left column: cases, then the sections of the selected case.
        self.sidebar = CaseSidebar(vault)
        self.cases_model = self.sidebar.model
        self.case_list = self.sidebar.cases
        self.nav = self.sidebar.nav
        self.case_list.selectionModel().currentRowChanged.connect(self._case_selected)
        self.sidebar.new_case.clicked.connect(self.new_case)

        # The sections, from the one table; each is built when first shown.
        self.sections = QStackedWidget()
        self.sections.setObjectName("sections")
        self.holders: dict[str, SectionHolder] = {}
        for entry in self.section_table():
            holder = SectionHolder(entry)
            self.holders[entry.key] = holder
            self.sections.addWidget(holder)
            self.nav.add(entry.key, tr(entry.label), entry.icon)
        self._shown_case: dict[str, int | None] = {}  # the case each built section shows
        self._stale: set[str] = set()  # built sections whose watched kinds changed unseen
        self.nav.currentRowChanged.connect(self._nav_changed)

        self.no_case = NoCaseYet()
        self.no_case.button.clicked.connect(self.new_case)
        self.case_stack = QStackedWidget()
        self.case_stack.addWidget(self.no_case)
        self.case_stack.addWidget(self.sections)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.case_stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([210, 1000])

        self.lock_screen = LockScreen()
        self.lock_screen.panel.unlocked.connect(self._unlocked)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.lock_screen)
        self.setCentralWidget(self.stack)

        self._build_menus()
        for i, key in enumerate(list(self.holders)[:10]):  # Ctrl+1 … Ctrl+9, then Ctrl+0
            QShortcut(
                QKeySequence(f"Ctrl+{(i + 1) % 10}"), self, lambda k=key: self.open_section(k)
            )
        self.ctx.open_record.connect(self.open_record)
        self.ctx.record_changed.connect(self._on_record_changed)
        minutes = int(str(settings.value(IDLE_MINUTES_KEY, DEFAULT_IDLE_MINUTES) or 10))
        self.idle = IdleWatcher(minutes, self.lock, self)
        self._update_title()
        self.backup_label = QLabel()
        self.backup_label.setObjectName("last_backup")
        self.statusBar().addPermanentWidget(self.backup_label)
        self.statusBar().showMessage(tr("Vault: {path}").format(path=vault.path))
        self._show_last_backup()
        self._restore_state()
        self.nav.setCurrentRow(0)
        self.load()

    def section_table(self) -> tuple[SectionEntry, ...]:
        """The sections of a case, in the order of the navigation and of Ctrl+1…"""
        return section_table(self.ctx, self.new_case, self.delete_case)

    # -- menus ----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        a = self.actions_
        undo = self.ctx.undo_stack.createUndoAction(self, tr("&Undo"))
        undo.setShortcut(QKeySequence("Ctrl+Z"))
        undo.setIcon(icon("undo"))
        redo = self.ctx.undo_stack.createRedoAction(self, tr("&Redo"))
        redo.setShortcuts(redo_shortcuts())  # Ctrl+Shift+Z and Ctrl+Y, on every platform
        redo.setIcon(icon("redo"))
        for action, aid in ((undo, ActionId.UNDO), (redo, ActionId.REDO)):
            action.setObjectName(aid.name.lower())
            a[aid] = action
        connections: dict[ActionId, Callable[[], object]] = {
            ActionId.NEW_VAULT: self.new_vault,
            ActionId.OPEN_VAULT: self.open_vault,
            ActionId.CHANGE_PASSPHRASE: self.change_passphrase,
            ActionId.LOCK: self.lock,
            ActionId.QUIT: self.close,
            ActionId.COPY_TEXT: self.copy_text,
            ActionId.NEW_CASE: self.new_case,
            ActionId.DELETE_CASE: self.delete_case,
            ActionId.BACKUP: self.backup_now,
            ActionId.EXPORT: self.export,
            ActionId.NEW_RECORD: self.new_record,
            ActionId.DELETE_RECORD: self.delete_record,
            ActionId.SEARCH: self.open_search,
            ActionId.QUICK_CAPTURE: self.quick_capture,
            ActionId.UPCOMING_ACTIONS: self.upcoming_actions,
            ActionId.PREFERENCES: self.preferences,
            ActionId.CHECK_VAULT: self.check_vault,
            ActionId.SECURITY: self.show_security,
            ActionId.GUIDE: self.show_guide,
            ActionId.ABOUT: self.about,
        }
        for aid, slot in connections.items():
            a[aid].triggered.connect(slot)
        A = ActionId
        menus: dict[str, list[ActionId | None]] = {
            tr("&File"): [
                A.NEW_CASE,
                A.DELETE_CASE,
                None,
                A.EXPORT,
                None,
                A.NEW_VAULT,
                A.OPEN_VAULT,
                A.CHANGE_PASSPHRASE,
                None,
                A.LOCK,
                A.BACKUP,
                A.CHECK_VAULT,
                None,
                A.QUIT,
            ],
            tr("&Edit"): [
                A.UNDO,
                A.REDO,
                None,
                A.NEW_RECORD,
                A.DELETE_RECORD,
                None,
                A.COPY_TEXT,
                None,
                A.PREFERENCES,
            ],
            tr("&Go"): [A.SEARCH, A.QUICK_CAPTURE, A.UPCOMING_ACTIONS],
            tr("&Help"): [A.GUIDE, A.SECURITY, A.ABOUT],
        }
        for title, items in menus.items():
            menu = self.menuBar().addMenu(title)
            menu.setToolTipsVisible(True)  # a disabled action says what to do first
            menu.aboutToShow.connect(self._update_actions)
            for item in items:
                if item is None:
                    menu.addSeparator()
                else:
                    menu.addAction(a[item])
                    self.addAction(a[item])  # shortcuts work even with the menu bar hidden
        toolbar = self.addToolBar(tr("Main"))
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        for aid in (A.QUICK_CAPTURE, A.SEARCH, A.UNDO, A.REDO, A.LOCK):
            toolbar.addAction(a[aid])

    def _need(self, aid: ActionId, ok: bool, why: str) -> None:
        """Enable an action, or disable it with a tip saying what to do first."""
        action = self.actions_[aid]
        action.setEnabled(ok)
        action.setToolTip("" if ok else why)  # "": Qt shows the action's text
        action.setStatusTip("" if ok else why)

    def _update_actions(self) -> None:
        if not self.vault.is_unlocked:
            return
        has_case = self.ctx.case_id is not None
        section = self.section_in_view()
        current = section.current() if section is not None else None
        self._need(
            ActionId.QUICK_CAPTURE,
            has_case,
            tr("Create or select a case first: a message belongs to a case."),
        )
        self._need(ActionId.EXPORT, has_case, tr("Create or select a case to export first."))
        self._need(ActionId.DELETE_CASE, has_case, tr("Select the case to delete first."))
        self._need(
            ActionId.DELETE_RECORD,
            current is not None,
            tr("Select the item to delete first."),
        )
        self._need(
            ActionId.COPY_TEXT,
            current is not None and bool(kind_of(current[0]).text_keys),
            tr("Select an item with text to copy first."),
        )

    # -- sections -------------------------------------------------------------------------

    def section(self, key: str) -> Section:
        """A section of the table (built if needed, not shown)."""
        return self.holders[key].section

    def open_section(self, key: str) -> Section:
        """Bring a section into view (it catches up with the case and changes) and return it."""
        row = self.nav.row_of(key)
        if self.nav.currentRow() != row:
            self.nav.setCurrentRow(row)  # -> _nav_changed
        else:
            self._nav_changed(row)
        return self.holders[key].section

    def section_key(self) -> str | None:
        """The key of the section in view (None: no case, or locked)."""
        if self.case_stack.currentWidget() is not self.sections:
            return None
        holder = self.sections.currentWidget()
        return holder.entry.key if isinstance(holder, SectionHolder) else None

    def section_in_view(self) -> Section | None:
        key = self.section_key()
        return self.holders[key].section if key is not None else None

    def _nav_changed(self, row: int) -> None:
        key = self.nav.key(row)
        if not key:
            return
        holder = self.holders[key]
        self.sections.setCurrentWidget(holder)
        built = holder.built
        section = holder.section
        if not built:
            self._follow_current(section)
        self._catch_up(key)

    def _follow_current(self, section: Section) -> None:
        """Keep Delete item and Copy text in step with the record in view: through the
        section's ``current_changed`` signal, or else through the selection of each of its
        lists (a section without the signal)."""
        signal = getattr(section, "current_changed", None)
        if signal is not None:
            signal.connect(self._update_actions)
            return
        assert isinstance(section, QWidget)
        for view in section.findChildren(QAbstractItemView):
            if (selection := view.selectionModel()) is not None:
                selection.currentChanged.connect(lambda *_a: self._update_actions())
        if hasattr(section, "pages"):  # a row of pages: the record in view is the page's
            section.pages.currentChanged.connect(lambda _i: self._update_actions())

    def _catch_up(self, key: str) -> None:
        """Give the section in view the case, or the changes it missed while hidden."""
        if self.section_key() != key or not self.vault.is_unlocked:
            self._update_actions()
            return
        section = self.holders[key].section
        case_id = self.ctx.case_id
        if key not in self._shown_case or self._shown_case[key] != case_id:
            self._shown_case[key] = case_id
            self._stale.discard(key)
            section.set_case(case_id)
        elif key in self._stale:
            self._stale.discard(key)
            section.reload()
        self._update_actions()

    def _clear_sections(self) -> None:
        """On lock: every section, built or not, and the sidebar keep nothing of the vault."""
        for holder in self.holders.values():
            holder.clear()
        self.sidebar.clear()
        self._shown_case.clear()
        self._stale.clear()

    # -- data -----------------------------------------------------------------------------

    def load(self) -> None:
        self.cases_model.reload(keep_loaded=False)
        if self.cases_model.rowCount():
            self.case_list.setCurrentIndex(self.cases_model.index(0, 0))
            if self.ctx.case_id is None:  # (the same row as before the lock: no signal)
                self._case_selected(None, None)
        else:
            self._show_case(None)

    def _case_selected(self, _current: object, _previous: object) -> None:
        row = self.case_list.currentIndex().row()
        self._show_case(self.cases_model.record_id(row))

    def _show_case(self, case_id: int | None) -> None:
        self.ctx.set_case(case_id)
        self.case_stack.setCurrentWidget(self.no_case if case_id is None else self.sections)
        self.sidebar.set_has_case(case_id is not None)
        # Only the section in view loads now; the others when they are next shown.
        if (key := self.section_key()) is not None:
            self._catch_up(key)
        self._update_title()
        self._update_actions()

    def _update_title(self) -> None:
        name = self.vault.path.name
        if not self.vault.is_unlocked:
            self.setWindowTitle(f"{name} — {tr('locked')} — Liaison")
            return
        row = self.case_list.currentIndex().row()
        case = self.cases_model.value(row, "title") if row >= 0 else None
        self.setWindowTitle(f"{case} — {name} — Liaison" if case else f"{name} — Liaison")

    def _on_record_changed(self, kind: str, record_id: int) -> None:
        if kind == "case":
            current = self.ctx.case_id
            self.cases_model.reload()
            target = record_id if record_id >= 0 else current
            row = self.cases_model.row_of(target) if target is not None else None
            if row is not None:
                self.case_list.setCurrentIndex(self.cases_model.index(row, 0))
            elif self.cases_model.rowCount():
                self.case_list.setCurrentIndex(self.cases_model.index(0, 0))
            else:
                self._show_case(None)
            self._update_title()
        in_view = self.section_key()
        for key, holder in self.holders.items():
            if not holder.built or kind not in holder.section.watches:
                continue
            if key == in_view and self._shown_case.get(key, -1) == self.ctx.case_id:
                holder.section.reload()
            else:
                self._stale.add(key)
        self._update_actions()

    # -- routing --------------------------------------------------------------------------

    def open_record(self, kind: str, record_id: int, case_id: int) -> None:
        """Show a record: select its case, the section that lists it (or lists the record
        it belongs to: a profile entry is shown in its party), and the record there."""
        if case_id >= 0 and case_id != self.ctx.case_id:
            row = self.cases_model.row_of(case_id)
            if row is not None:
                self.case_list.setCurrentIndex(self.cases_model.index(row, 0))
        listed = listed_record(kind, record_id, self.ctx.records.get)
        if listed is None:
            return
        kind, record_id = listed
        spec = kind_of(kind)
        entry = next(
            (h.entry for h in self.holders.values() if spec.section in h.entry.pages), None
        )
        if entry is not None:
            self.open_section(entry.key).show_record(kind, record_id)

    def new_record(self) -> None:
        section = self.section_in_view()
        if section is None:
            self.new_case()
        else:
            section.new_record()

    def delete_record(self) -> None:
        section = self.section_in_view()
        if section is not None and section.current() is not None:
            section.delete_record()

    def copy_text(self) -> None:
        """Copy the main text of the record in view, for 30 seconds at most."""
        section = self.section_in_view()
        current = section.current() if section is not None else None
        if current is None:
            return
        kind, record_id = current
        record = self.ctx.records.get(kind, record_id)
        for key in kind_of(kind).text_keys:
            if record.get(key):
                self.clipboard.copy(strip_marks(str(record[key])))
                self.statusBar().showMessage(
                    tr("Copied; the clipboard is cleared in 30 seconds."), 5000
                )
                return

    # -- actions --------------------------------------------------------------------------

    def new_case(self) -> int | None:
        values = default_values("case", None, None)
        dialog = RecordDialog(self.ctx, "case", values, tr("New case"), self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            command = CreateRecord(self.ctx.records, "case", dialog.form.values(), self.ctx.notify)
            if self.ctx.run(command):
                return command.record_id
        return None

    def delete_case(self) -> None:
        """Delete the selected case and everything in it (asks first; undo brings it back)."""
        case_id = self.ctx.case_id
        if case_id is None:
            return
        title = self.ctx.records.get("case", case_id)["title"]
        answer = QMessageBox.question(
            self,
            tr("Delete case"),
            tr(
                "Delete the case “{title}” with all its parties, messages, sessions, options "
                "and notes? You can undo this with Ctrl+Z until you lock or close Liaison."
            ).format(title=title),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.ctx.run(DeleteRecord(self.ctx.records, "case", case_id, self.ctx.notify))

    def export(self) -> None:
        from app.gui.dialogs.export import ExportDialog

        if self.ctx.case_id is None or not self.vault.is_unlocked:
            return
        section = self.section_in_view()
        selected = section.current() if section is not None else None
        dialog = ExportDialog(self.ctx, self, selected=selected)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_path
        message = dialog.result_message
        # Closed, it may still be stopping its export: deleting it now (not leaving it to
        # Python's garbage collector, which PySide6 does not survive) drops the worker's
        # callbacks with it.
        dialog.deleteLater()
        if accepted:
            self.statusBar().showMessage(message, 15000)

    def quick_capture(self) -> None:
        from app.gui.dialogs.quick_capture import QuickCaptureDialog

        if not self.vault.is_unlocked or self.ctx.case_id is None:
            return
        dialog = QuickCaptureDialog(self.ctx, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.created_id is not None:
            self.open_record("message", dialog.created_id, self.ctx.case_id)

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, tr("Liaison"), message)

    # -- window state ---------------------------------------------------------------------

    def _restore_state(self) -> None:
        geometry = self.settings.value("window/geometry")
        if isinstance(geometry, QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1280, 800)
        state = self.settings.value("window/state")
        if isinstance(state, QByteArray):
            self.restoreState(state)
        split = self.settings.value("window/splitter")
        if isinstance(split, QByteArray):
            self.splitter.restoreState(split)

    def closeEvent(self, event: QCloseEvent) -> None:
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())
        self.settings.setValue("window/splitter", self.splitter.saveState())
        self.clipboard.clear_if_ours()
        if self._locking:  # the backup on lock is still being written: let it finish
            QThreadPool.globalInstance().waitForDone()
        if self.vault.is_unlocked:
            if (folder := self._daily_backup_folder()) is not None:
                from app.core.services.backups import rotate

                QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
                try:
                    rotate(self.vault, folder)  # the window is going: nothing left to block
                except LiaisonError:
                    pass  # no window left to say so; the next start shows the last backup
                finally:
                    QApplication.restoreOverrideCursor()
            self.vault.lock()
        super().closeEvent(event)
