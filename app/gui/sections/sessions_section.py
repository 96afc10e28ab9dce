"""The Sessions section: the case's sessions beside the selected one's editor (agenda,
participants, notes), with "Plan from a template…" and "Live notes…" above; a designed empty
state while the case has no session. (The dialogs: views/sessions.py.)"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.context import AppContext
from app.gui.kinds import listed_record
from app.gui.labels import tr
from app.gui.resources import icon
from app.gui.sections.section import SectionView
from app.gui.sections.sessions import LiveNotesDialog, PlanSessionDialog
from app.gui.widgets.empty_state import EmptyState


def bar_button(name: str, text: str, icon_name: str, tip: str) -> QPushButton:
    b = QPushButton(icon(icon_name), text)
    b.setObjectName(name)
    b.setProperty("enabled_tip", tip)
    b.setToolTip(tip)
    return b


def need_selection(buttons: list[QPushButton], selected: bool, why: str) -> None:
    """Buttons that act on the selected record: disabled, saying why, while none is."""
    for b in buttons:
        b.setEnabled(selected)
        b.setToolTip(str(b.property("enabled_tip")) if selected else why)


def watch_rows(section: SectionView, update: Callable[[], None]) -> None:
    """Call ``update`` whenever the section's list gains, loses or reloads rows."""
    model = section.list.model
    for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
        signal.connect(lambda *_a: update())


def list_is_empty(section: SectionView) -> bool:
    """No record at all in the case (not merely none matching the filter typed)."""
    model = section.list.model
    return model.scope_id is not None and model.rowCount() == 0 and not model.filter_text


class SessionsSection(QWidget):
    """Implements app.gui.sections.protocol.Section for sessions and their parts."""

    current_changed = Signal()  # current() may have changed: the window updates its actions

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view = SectionView(ctx, "session")
        # Sessions, their agenda, participants and notes, and what their forms point at.
        self.watches: frozenset[str] = self.view.watches | {"session_note", "participant"}
        self.plan = bar_button(
            "plan_session",
            tr("Plan from a template…"),
            "session",
            tr("A new session with its agenda, ground rules and logistics filled in"),
        )
        self.plan.clicked.connect(self.plan_session)
        self.live = bar_button(
            "live_notes",
            tr("Live notes…"),
            "note",
            tr("Take time-stamped notes in the selected session while the room talks"),
        )
        self.live.clicked.connect(self.live_notes)
        bar = QHBoxLayout()
        bar.setContentsMargins(6, 6, 6, 0)
        bar.addWidget(self.plan)
        bar.addWidget(self.live)
        bar.addStretch(1)
        page = QWidget()
        page.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        v = QVBoxLayout(page)
        v.setContentsMargins(0, 0, 0, 0)
        v.setSpacing(0)
        v.addLayout(bar)
        v.addWidget(self.view, 1)
        self.empty = EmptyState()
        self.empty.setObjectName("sessions_empty")
        self.empty.button.setObjectName("sessions_empty_action")
        self.empty.show_state(
            tr("No sessions yet"),
            tr(
                "A session is a meeting with the parties: a bilateral consultation, a shuttle "
                "visit, a workshop or a call. Plan one from a template to get its agenda, ground "
                "rules and logistics filled in and choose who sits at the table; then take live "
                "notes while it runs."
            ),
            tr("Plan a session…"),
            "session",
        )
        self.empty.activated.connect(self.plan_session)
        self.stack = QStackedWidget()
        self.stack.addWidget(page)
        self.stack.addWidget(self.empty)
        self.page = page
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.stack)
        self.view.list.current_changed.connect(lambda _id: self._update_buttons())
        self.view.list.current_changed.connect(lambda _id: self.current_changed.emit())
        watch_rows(self.view, self._rows_changed)
        self._update_buttons()

    def _rows_changed(self) -> None:
        # A reload (a filter typed, a record gone) changes the selection without saying so.
        self._update_empty()
        self._update_buttons()
        self.current_changed.emit()

    # -- Section protocol -----------------------------------------------------------------

    def set_case(self, case_id: int | None) -> None:
        self.view.set_case(case_id)
        self._update_empty()
        self._update_buttons()

    def reload(self) -> None:
        self.view.reload()
        self._update_empty()

    def clear(self) -> None:
        self.view.clear()
        self._update_buttons()

    def current(self) -> tuple[str, int] | None:
        session_id = self.view.list.current_id()
        return ("session", session_id) if session_id is not None else None

    def show_record(self, kind: str, record_id: int) -> bool:
        listed = listed_record(kind, record_id, self.ctx.records.get)
        if listed is None or listed[0] != "session":
            return False
        kind, record_id = listed
        if not self.view.show_record(kind, record_id):
            return False
        self._update_empty()
        self.view.list.view.setFocus()
        return True

    def new_record(self) -> None:
        self.view.new_record()

    def delete_record(self) -> None:
        self.view.delete_record()

    # -- the bar --------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        selected = self.view.list.current_id() is not None
        need_selection([self.live], selected, tr("Select a session in the list first"))
        self.plan.setEnabled(self.view.list.scope_id is not None)

    def _update_empty(self) -> None:
        self.stack.setCurrentWidget(self.empty if list_is_empty(self.view) else self.page)

    def plan_session(self) -> None:
        if self.ctx.case_id is None:
            return
        dialog = PlanSessionDialog(self.ctx, self)
        if dialog.exec() == QDialog.DialogCode.Accepted and dialog.created_id is not None:
            self._update_empty()
            self.view.select(dialog.created_id)

    def live_notes(self) -> None:
        session_id = self.view.list.current_id()
        if session_id is not None:
            LiveNotesDialog(self.ctx, session_id, self).exec()
