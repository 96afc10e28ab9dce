"""The main window: cases in a sidebar, the selected case's sections in tabs, the lock screen.

Locking (Ctrl+L, or after the idle time set in Preferences) closes every dialog (a running
export stops with its dialog), empties every view (each has one ``clear()``; the window
keeps them in one list, ``views``) and every dialog it owns, and shows only the unlock
prompt; the vault then waits for work still reading it to stop before it closes. Unlocking
opens the vault again and reloads.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QThreadPool, QTimer, Slot
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QHBoxLayout,
    QLabel,
    QListView,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app import __version__
from app.core import paths
from app.core.errors import LiaisonError
from app.core.services.search import strip_marks
from app.core.vault import Vault
from app.gui.actions import ActionId, ActionRegistry
from app.gui.clipboard import SecretClipboard
from app.gui.context import AppContext
from app.gui.dialogs.preferences import DEFAULT_IDLE_MINUTES, IDLE_MINUTES_KEY
from app.gui.dialogs.quick_capture import QuickCaptureDialog
from app.gui.dialogs.search import SearchDialog
from app.gui.dialogs.start import UnlockPanel
from app.gui.kinds import kind_of
from app.gui.labels import tr
from app.gui.models.record_table import RecordTableModel
from app.gui.resources import app_icon, icon
from app.gui.undo import CreateRecord, DeleteRecord
from app.gui.views.options import (
    DeriveDialog,
    InterestsDialog,
    OptionActions,
    OptionHistoryDialog,
    OptionsMatrix,
    StancesDialog,
)
from app.gui.views.record_list import RecordDialog, default_values
from app.gui.views.section import DetailPane, SectionView
from app.gui.views.sessions import LiveNotesDialog, PlanSessionDialog
from app.gui.views.shuttle import DeliverDialog, KnowledgeView, ReleaseDialog, ShuttleActions
from app.gui.views.timeline import TimelineView
from app.gui.widgets.dialog_parts import empty_dialog
from app.gui.workers import run_in_background

# Where each record kind is shown: (tab index, sub-section name or None).
SECTIONS = (
    "Overview",
    "Parties & People",
    "Shuttle Log",
    "Sessions",
    "Options",
    "Options matrix",
    "Actions",
    "Notes",
    "Timeline",
)


class View(Protocol):
    """What the window shows of the vault: a sidebar, a section or a sub-tab."""

    def clear(self) -> None:
        """Empty every widget that can hold vault content (on lock)."""


class IdleWatcher(QObject):
    """Any key or mouse input restarts the countdown; at zero the window locks."""

    def __init__(self, minutes: int, on_idle: Callable[[], None], parent: QObject) -> None:
        super().__init__(parent)
        self.timer = QTimer(self, singleShot=True)
        self.timer.timeout.connect(on_idle)
        self.set_minutes(minutes)
        QApplication.instance().installEventFilter(self)

    def set_minutes(self, minutes: int) -> None:
        self.timer.setInterval(max(1, minutes) * 60_000)
        self.timer.start()

    def eventFilter(self, obj: QObject, event: QEvent) -> bool:
        if event.type() in (
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
        ):
            self.timer.start()
        return False


class LockScreen(QWidget):
    """All that shows while locked: the vault's name and the passphrase field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.panel = UnlockPanel()
        self.panel.setMaximumWidth(460)
        title = QLabel(tr("<h2>Locked</h2>The vault is closed. Unlock it to continue."))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        lock_icon = QLabel()
        lock_icon.setPixmap(icon("lock").pixmap(64, 64))
        lock_icon.setAlignment(Qt.AlignmentFlag.AlignCenter)
        inner = QVBoxLayout()
        inner.addStretch(1)
        inner.addWidget(lock_icon)
        inner.addWidget(title)
        inner.addWidget(self.panel, 0, Qt.AlignmentFlag.AlignHCenter)
        inner.addStretch(2)
        layout = QHBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(inner, 2)
        layout.addStretch(1)


class LazyView(QWidget):
    """A tab's place holder that builds its view the first time it is needed."""

    def __init__(self, factory: Callable[[], SectionView]) -> None:
        super().__init__()
        self._factory = factory
        self._view: SectionView | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self._view is not None

    @property
    def view(self) -> SectionView:
        if self._view is None:
            self._view = self._factory()
            layout = self.layout()
            assert layout is not None
            layout.addWidget(self._view)
        return self._view

    def clear(self) -> None:
        if self._view is not None:
            self._view.clear()


class CaseSidebar(QWidget):
    """The list of cases, and "New case"."""

    def __init__(self, vault: Vault, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = RecordTableModel(vault, "case", parent=self)
        self.list = QListView()
        self.list.setObjectName("sidebar")
        self.list.ensurePolished()
        self.list.setModel(self.model)
        self.list.setModelColumn(0)
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.list.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.list.setUniformItemSizes(True)
        self.new_case = QPushButton(icon("add"), tr("New case"))
        self.new_case.setObjectName("new_case")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 0, 6)
        layout.addWidget(QLabel(tr("<b>Cases</b>")))
        layout.addWidget(self.list, 1)
        layout.addWidget(self.new_case)

    def clear(self) -> None:
        self.model.clear()


class OverviewView(QWidget):
    """The case's own fields, and what it holds."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._generation = 0  # counts still being worked out are not shown after a clear()
        self.detail = DetailPane(ctx, "case")
        self.counts = QLabel()
        self.counts.setObjectName("case_counts")
        self.counts.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addWidget(self.detail, 1)
        ctx.record_changed.connect(lambda _k, _i: self._update_counts())

    def set_case(self, case_id: int | None) -> None:
        self.detail.show_record(case_id)
        self._update_counts()

    def _update_counts(self) -> None:
        case_id = self.ctx.case_id
        if case_id is None or not self.ctx.vault.is_unlocked:
            self.counts.clear()
            return
        from app.core.services.lists import count_rows

        vault = self.ctx.vault
        self._generation += 1
        generation = self._generation
        words = (
            ("party", "parties"),
            ("message", "messages"),
            ("delivery", "deliveries"),
            ("session", "sessions"),
            ("option", "options"),
            ("action", "actions"),
            ("note", "notes"),
        )

        def count() -> list[str]:  # on a worker: a big case takes a moment to count
            return [
                f"{count_rows(vault, kind, scope_id=case_id):,} {tr(word)}" for kind, word in words
            ]

        def show(parts: object) -> None:
            if generation == self._generation and isinstance(parts, list):
                self.counts.setText(" · ".join(parts))

        run_in_background(self, count, show, lambda _e: None, reader=vault)

    def clear(self) -> None:
        self._generation += 1
        self.detail.clear()
        self.counts.clear()


def _tabs(*pages: tuple[QWidget, str]) -> QTabWidget:
    tabs = QTabWidget()
    tabs.setDocumentMode(True)
    for widget, label in pages:
        tabs.addTab(widget, tr(label))
    return tabs


class MainWindow(QMainWindow):
    def __init__(self, vault: Vault, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self._locking = False  # the backup on lock is being written; the vault closes after
        self.ctx = AppContext(vault, self)
        self.ctx.error_handler = self.show_error
        self.clipboard = SecretClipboard(self)
        self.setWindowIcon(app_icon())
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.actions_ = ActionRegistry(self)

        # Sidebar of cases.
        self.sidebar = CaseSidebar(vault)
        self.cases_model = self.sidebar.model
        self.case_list = self.sidebar.list
        self.case_list.selectionModel().currentRowChanged.connect(self._case_selected)
        self.sidebar.new_case.clicked.connect(self.new_case)

        # Sections of the selected case.
        self.overview = OverviewView(self.ctx)
        self.timeline = TimelineView(self.ctx)
        self.options_matrix = OptionsMatrix(self.ctx)
        # Section views are built when first shown: a window opens faster that way.
        lazy = self._lazy = {
            "parties": LazyView(lambda: SectionView(self.ctx, "party")),
            "people": LazyView(lambda: SectionView(self.ctx, "person_all", scope_key=None)),
            "messages": LazyView(self._make_messages_view),
            "deliveries": LazyView(lambda: SectionView(self.ctx, "delivery")),
            "rounds": LazyView(lambda: SectionView(self.ctx, "round")),
            "sessions": LazyView(self._make_sessions_view),
            "options": LazyView(self._make_options_view),
            "actions": LazyView(lambda: SectionView(self.ctx, "action")),
            "notes": LazyView(lambda: SectionView(self.ctx, "note")),
        }
        self.people_tabs = _tabs((lazy["parties"], "Parties"), (lazy["people"], "People"))
        self.knowledge = KnowledgeView(self.ctx)
        self.shuttle_tabs = _tabs(
            (lazy["messages"], "Messages"),
            (lazy["deliveries"], "Deliveries"),
            (lazy["rounds"], "Rounds"),
            (self.knowledge, "Who knows what"),
        )
        self.shuttle_actions = ShuttleActions()
        self.shuttle_actions.deliver.clicked.connect(self.record_delivery)
        self.shuttle_actions.release.clicked.connect(self.release_message)
        shuttle_page = QWidget()
        sp = QVBoxLayout(shuttle_page)
        sp.setContentsMargins(0, 0, 0, 0)
        sp.addWidget(self.shuttle_actions)
        sp.addWidget(self.shuttle_tabs)
        self.sections = QTabWidget()
        self.sections.setObjectName("sections")
        for widget, label, icon_name in (
            (self.overview, "Overview", "overview"),
            (self.people_tabs, "Parties && People", "party"),
            (shuttle_page, "Shuttle Log", "message"),
            (lazy["sessions"], "Sessions", "session"),
            (lazy["options"], "Options", "option"),
            (self.options_matrix, "Options matrix", "option"),
            (lazy["actions"], "Actions", "action"),
            (lazy["notes"], "Notes", "note"),
            (self.timeline, "Timeline", "timeline"),
        ):
            self.sections.addTab(widget, icon(icon_name), tr(label))
        for tabs in (self.sections, self.people_tabs, self.shuttle_tabs):
            tabs.currentChanged.connect(lambda _i: self._refresh_visible())
        # Every view of the vault's content, in one list: a lock empties each one and a new
        # case marks each one as to be shown again. A new view must be added here.
        self.views: tuple[View, ...] = (
            self.sidebar,
            self.overview,
            *lazy.values(),
            self.knowledge,
            self.options_matrix,
            self.timeline,
        )
        self._stale: set[object] = set()
        self.no_case = QLabel(tr("Create a case with “New case”, or pick one on the left."))
        self.no_case.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.case_stack = QStackedWidget()
        self.case_stack.addWidget(self.no_case)
        self.case_stack.addWidget(self.sections)

        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.case_stack)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([220, 1000])

        self.lock_screen = LockScreen()
        self.lock_screen.panel.unlocked.connect(self._unlocked)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.splitter)
        self.stack.addWidget(self.lock_screen)
        self.setCentralWidget(self.stack)

        self._build_menus()
        for i in range(len(SECTIONS)):
            QShortcut(
                QKeySequence(f"Ctrl+{i + 1}"), self, lambda i=i: self.sections.setCurrentIndex(i)
            )
        self.ctx.open_record.connect(self.open_record)
        self.ctx.record_changed.connect(self._on_record_changed)
        minutes = int(settings.value(IDLE_MINUTES_KEY, DEFAULT_IDLE_MINUTES) or 10)
        self.idle = IdleWatcher(minutes, self.lock, self)
        self._update_title()
        self.backup_label = QLabel()
        self.backup_label.setObjectName("last_backup")
        self.statusBar().addPermanentWidget(self.backup_label)
        self.statusBar().showMessage(tr("Vault: {path}").format(path=vault.path))
        self._show_last_backup()
        self._restore_state()
        self.load()

    # -- menus ----------------------------------------------------------------------------

    def _build_menus(self) -> None:
        a = self.actions_
        undo = self.ctx.undo_stack.createUndoAction(self, tr("&Undo"))
        undo.setShortcut(QKeySequence.StandardKey.Undo)
        undo.setIcon(icon("undo"))
        redo = self.ctx.undo_stack.createRedoAction(self, tr("&Redo"))
        redo.setShortcut(QKeySequence.StandardKey.Redo)
        redo.setIcon(icon("redo"))
        a[ActionId.UNDO], a[ActionId.REDO] = undo, redo
        connections: dict[ActionId, Callable[[], object]] = {
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
        menus = {
            tr("&File"): [
                ActionId.NEW_CASE,
                ActionId.DELETE_CASE,
                None,
                ActionId.EXPORT,
                None,
                ActionId.LOCK,
                ActionId.BACKUP,
                ActionId.CHECK_VAULT,
                None,
                ActionId.QUIT,
            ],
            tr("&Edit"): [
                ActionId.UNDO,
                ActionId.REDO,
                None,
                ActionId.NEW_RECORD,
                ActionId.DELETE_RECORD,
                None,
                ActionId.COPY_TEXT,
                None,
                ActionId.PREFERENCES,
            ],
            tr("&Go"): [ActionId.SEARCH, ActionId.QUICK_CAPTURE, ActionId.UPCOMING_ACTIONS],
            tr("&Help"): [ActionId.GUIDE, ActionId.SECURITY, ActionId.ABOUT],
        }
        for title, items in menus.items():
            menu = self.menuBar().addMenu(title)
            for item in items:
                if item is None:
                    menu.addSeparator()
                else:
                    menu.addAction(a[item])
                    self.addAction(a[item])  # shortcuts work even with the menu bar hidden
        toolbar = self.addToolBar(tr("Main"))
        toolbar.setObjectName("main_toolbar")
        toolbar.setMovable(False)
        for aid in (
            ActionId.QUICK_CAPTURE,
            ActionId.SEARCH,
            ActionId.UNDO,
            ActionId.REDO,
            ActionId.LOCK,
        ):
            toolbar.addAction(a[aid])

    # The section views, built on first use.
    parties = property(lambda self: self._lazy["parties"].view)
    people = property(lambda self: self._lazy["people"].view)
    messages = property(lambda self: self._lazy["messages"].view)
    deliveries = property(lambda self: self._lazy["deliveries"].view)
    rounds = property(lambda self: self._lazy["rounds"].view)
    sessions = property(lambda self: self._lazy["sessions"].view)
    options = property(lambda self: self._lazy["options"].view)
    actions_view = property(lambda self: self._lazy["actions"].view)
    notes = property(lambda self: self._lazy["notes"].view)

    def show_section(self, name: str) -> SectionView:
        """Bring a section (``"messages"``, ``"people"``, ...) into view and return it."""
        holder = self._lazy[name]
        for tabs in (self.people_tabs, self.shuttle_tabs):
            if tabs.indexOf(holder) >= 0:
                self._show_tabs(tabs)
                tabs.setCurrentWidget(holder)
                return holder.view
        self.sections.setCurrentWidget(holder)
        return holder.view

    def _make_sessions_view(self) -> SectionView:
        view = SectionView(self.ctx, "session")
        plan = QPushButton(icon("session"), tr("Plan from a template…"))
        plan.setObjectName("plan_session")
        plan.clicked.connect(self.plan_session)
        live = QPushButton(icon("note"), tr("Live notes…"))
        live.setObjectName("live_notes")
        live.clicked.connect(self.live_notes)
        row = QHBoxLayout()
        row.addWidget(plan)
        row.addWidget(live)
        row.addStretch(1)
        layout = view.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertLayout(0, row)
        return view

    def plan_session(self) -> None:
        if self.ctx.case_id is None:
            return
        dialog = PlanSessionDialog(self.ctx, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.created_id is not None:
            self.sessions.select(dialog.created_id)

    def live_notes(self) -> None:
        session_id = self.sessions.list.current_id()
        if session_id is None:
            self.show_error(tr("Select the session to take notes in first."))
            return
        LiveNotesDialog(self.ctx, session_id, self).exec()

    def _make_options_view(self) -> SectionView:
        view = SectionView(self.ctx, "option")
        bar = OptionActions()
        bar.buttons["stances"].clicked.connect(self.record_stances)
        bar.buttons["interests"].clicked.connect(self.option_interests)
        for mode in ("refine", "merge", "split"):
            bar.buttons[mode].clicked.connect(lambda _c=False, m=mode: self.derive_option(m))
        bar.buttons["history"].clicked.connect(self.option_history)
        layout = view.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, bar)
        return view

    def _current_option(self) -> int | None:
        option_id = self.options.list.current_id()
        if option_id is None:
            self.show_error(tr("Select an option first."))
        return option_id

    def record_stances(self) -> None:
        if (option_id := self._current_option()) is not None:
            StancesDialog(self.ctx, option_id, self).exec()

    def option_interests(self) -> None:
        if (option_id := self._current_option()) is not None:
            InterestsDialog(self.ctx, option_id, self).exec()

    def derive_option(self, mode: str) -> None:
        if (option_id := self._current_option()) is None:
            return
        dialog = DeriveDialog(self.ctx, mode, option_id, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.new_ids:
            self.options.select(dialog.new_ids[0])

    def option_history(self) -> None:
        if (option_id := self._current_option()) is not None:
            OptionHistoryDialog(self.ctx, option_id, self).exec()

    def _make_messages_view(self) -> SectionView:
        view = SectionView(self.ctx, "message")
        # The thread of the selected message follows the selection.
        view.list.current_changed.connect(
            lambda mid: self.knowledge.show_thread(mid if mid >= 0 else None)
        )
        return view

    def _show_tabs(self, tabs: QWidget) -> None:
        """Bring a top-level tab (or the page that holds a tab widget) into view."""
        page = tabs
        while page.parentWidget() is not None and self.sections.indexOf(page) < 0:
            page = page.parentWidget()
        self.sections.setCurrentWidget(page)

    def action(self, aid: ActionId) -> QAction:
        return self.actions_[aid]

    # -- data -----------------------------------------------------------------------------

    @property
    def vault(self) -> Vault:
        return self.ctx.vault

    def load(self) -> None:
        self.cases_model.reload(keep_loaded=False)
        if self.cases_model.rowCount():
            self.case_list.setCurrentIndex(self.cases_model.index(0, 0))
        else:
            self._show_case(None)

    def _case_selected(self, current: object, _previous: object) -> None:
        row = self.case_list.currentIndex().row()
        self._show_case(self.cases_model.record_id(row))

    def _show_case(self, case_id: int | None) -> None:
        self.ctx.set_case(case_id)
        self.case_stack.setCurrentIndex(0 if case_id is None else 1)
        # Only the section in view loads now; the others when they are first shown.
        self._stale = set(self.views)
        self._refresh_visible()
        self._update_title()

    def _visible_views(self) -> list[QWidget]:
        widget = self.sections.currentWidget()
        if widget is not None and widget.findChild(QTabWidget) is self.shuttle_tabs:
            widget = self.shuttle_tabs
        if isinstance(widget, QTabWidget):
            return [widget, widget.currentWidget()]
        return [widget]

    def _is_visible_section(self, view: QWidget) -> bool:
        return any(v is view for v in self._visible_views())

    def _refresh_visible(self) -> None:
        case_id = self.ctx.case_id
        for view in self._visible_views():
            if view not in self._stale:
                continue
            self._stale.discard(view)
            if view is self.overview:
                self.overview.set_case(case_id)
            elif view is self.timeline:
                self.timeline.set_case(case_id)
            elif view is self.options_matrix:
                self.options_matrix.reload()
            elif view is self.knowledge:
                self.knowledge.set_case(case_id)
                if self._lazy["messages"].built:
                    self.knowledge.show_thread(self.messages.list.current_id())
            elif isinstance(view, LazyView):
                section = view.view
                section.set_scope(case_id if view is not self._lazy["people"] else None)

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
        if kind in ("option", "stance", "party"):
            if self._is_visible_section(self.options_matrix):
                self.options_matrix.reload()
            else:
                self._stale.add(self.options_matrix)
        if kind in ("message", "delivery", "delivery_item", "release", "party"):
            if self._is_visible_section(self.knowledge):
                self.knowledge.reload()
            else:
                self._stale.add(self.knowledge)
        if kind in ("message", "delivery", "session", "note", "option", "stance", "action"):
            if self._is_visible_section(self.timeline):
                self.timeline.reload()
            else:
                self._stale.add(self.timeline)

    def current_section(self) -> SectionView | None:
        widget = self.sections.currentWidget()
        if isinstance(widget, QTabWidget):
            widget = widget.currentWidget()
        return widget.view if isinstance(widget, LazyView) else None

    # -- actions --------------------------------------------------------------------------

    def new_case(self) -> int | None:
        values = default_values("case", None, None)
        dialog = RecordDialog(self.ctx, "case", values, tr("New case"), self)
        while dialog.exec() == QDialog.DialogCode.Accepted:
            command = CreateRecord(self.ctx.records, "case", dialog.form.values(), self.ctx.notify)
            if self.ctx.run(command):
                return command.record_id
        return None

    def record_delivery(self) -> None:
        if self.ctx.case_id is None:
            return
        DeliverDialog(self.ctx, self).exec()

    def release_message(self) -> None:
        section = self.messages
        message_id = section.list.current_id()
        if message_id is None:
            self.show_error(tr("Select the message to release in the Messages list first."))
            return
        ReleaseDialog(self.ctx, message_id, self).exec()

    def export(self) -> None:
        from app.gui.dialogs.export import ExportDialog

        if self.ctx.case_id is None or not self.vault.is_unlocked:
            return
        dialog = ExportDialog(self.ctx, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted and dialog.result_path
        message = dialog.result_message
        # Closed, it may still be stopping its export: deleting it now (not leaving it to
        # Python's garbage collector, which PySide6 does not survive) drops the worker's
        # callbacks with it.
        dialog.deleteLater()
        if accepted:
            self.statusBar().showMessage(message, 15000)

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

    def new_record(self) -> None:
        section = self.current_section()
        if section is not None:
            section.list.create()
        elif self.sections.currentWidget() is self.overview or self.ctx.case_id is None:
            self.new_case()

    def delete_record(self) -> None:
        section = self.current_section()
        if section is not None:
            section.list.delete_current()

    def open_search(self) -> None:
        if self.vault.is_unlocked:
            SearchDialog(self.ctx, self).exec()

    def quick_capture(self) -> None:
        if not self.vault.is_unlocked:
            return
        if self.ctx.case_id is None:
            self.show_error(tr("Create or select a case first; a message belongs to a case."))
            return
        dialog = QuickCaptureDialog(self.ctx, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.created_id is not None:
            self.open_record("message", dialog.created_id, self.ctx.case_id)

    @Slot(str, int, int)
    def upcoming_actions(self) -> None:
        from app.gui.dialogs.upcoming import UpcomingActionsDialog

        UpcomingActionsDialog(self.ctx, self).exec()

    def open_record(self, kind: str, record_id: int, case_id: int) -> None:
        """Show a record: select its case, its section, and the record in the list."""
        if case_id >= 0 and case_id != self.ctx.case_id:
            row = self.cases_model.row_of(case_id)
            if row is not None:
                self.case_list.setCurrentIndex(self.cases_model.index(row, 0))
        lazy = self._lazy
        target: dict[str, tuple[QWidget, LazyView | None]] = {
            "case": (self.overview, None),
            "party": (self.people_tabs, lazy["parties"]),
            "person": (self.people_tabs, lazy["people"]),
            "message": (self.shuttle_tabs, lazy["messages"]),
            "delivery": (self.shuttle_tabs, lazy["deliveries"]),
            "round": (self.shuttle_tabs, lazy["rounds"]),
            "session": (lazy["sessions"], lazy["sessions"]),
            "option": (lazy["options"], lazy["options"]),
            "action": (lazy["actions"], lazy["actions"]),
            "note": (lazy["notes"], lazy["notes"]),
        }
        parent_of = {
            "profile_entry": ("party", "party_id"),
            "affiliation": ("person", "person_id"),
            "channel": ("person", "person_id"),
            "release": ("message", "message_id"),
            "agenda_item": ("session", "session_id"),
            "session_note": ("session", "session_id"),
            "participant": ("session", "session_id"),
            "stance": ("option", "option_id"),
            "delivery_item": ("delivery", "delivery_id"),
        }
        if kind in parent_of:
            parent_kind, key = parent_of[kind]
            record_id = int(self.ctx.records.get(kind, record_id)[key])
            kind = parent_kind
        if kind not in target:
            return
        tab, holder = target[kind]
        self._show_tabs(tab)
        if isinstance(tab, QTabWidget) and holder is not None:
            tab.setCurrentWidget(holder)
        if holder is not None:
            section = holder.view
            if section.list.filter_box.text():
                section.list.filter_box.clear()
                section.list.model.set_filter("")
            section.select(record_id)
            section.list.view.setFocus()

    def copy_text(self) -> None:
        """Copy the selected record's main text, for 30 seconds at most."""
        section = self.current_section()
        if section is None or section.list.current_id() is None:
            return
        record = self.ctx.records.get(section.kind, section.list.current_id() or 0)
        for key in kind_of(section.kind).text_keys:
            if record.get(key):
                self.clipboard.copy(strip_marks(str(record[key])))
                self.statusBar().showMessage(
                    tr("Copied; the clipboard is cleared in 30 seconds."), 5000
                )
                return

    def preferences(self) -> None:
        from app.gui.dialogs.preferences import PreferencesDialog

        dialog = PreferencesDialog(self.settings, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.idle.set_minutes(dialog.idle_minutes())

    def check_vault(self) -> None:

        self.statusBar().showMessage(tr("Checking the vault…"))
        vault = self.vault

        def done(problems: object) -> None:
            assert isinstance(problems, list)
            if problems:
                QMessageBox.warning(self, tr("Vault check"), "\n".join(problems[:20]))
            else:
                QMessageBox.information(
                    self, tr("Vault check"), tr("Encryption and database checks passed.")
                )
            self.statusBar().clearMessage()

        run_in_background(self, vault.check, done, lambda e: self.show_error(str(e)))

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

    def show_error(self, message: str) -> None:
        QMessageBox.warning(self, tr("Liaison"), message)

    # -- lock -----------------------------------------------------------------------------

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
        from PySide6.QtWidgets import QFileDialog

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

    def lock(self) -> None:
        """Hide everything at once; take today's backup (on a worker) if it is due, then
        close the vault and wipe its key."""
        if not self.vault.is_unlocked or self._locking:
            return
        folder = self._daily_backup_folder()
        self._close_dialogs()  # first: a running export stops with its dialog
        for view in self.views:
            view.clear()
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
        panel.set_path(self.vault.path)
        self._update_title()
        panel.passphrase.setFocus()

    def _unlocked(self, vault: object) -> None:
        assert isinstance(vault, Vault)
        # The panel opened a fresh Vault object on the same file; adopt it.
        self.ctx.vault = vault
        self.ctx.records.vault = vault
        for model in self._table_models():
            model.vault = vault
        self.stack.setCurrentWidget(self.splitter)
        self.menuBar().setEnabled(True)
        for action in self.actions_.values():
            action.setEnabled(True)
        self.idle.timer.start()
        self.load()
        self._show_last_backup()

    def _table_models(self) -> list[RecordTableModel]:
        return [m for m in self.findChildren(RecordTableModel)]

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
