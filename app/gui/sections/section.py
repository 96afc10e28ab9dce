"""A section of a case (Shuttle Log, Sessions, Options, ...): a list beside a detail editor.

The detail editor is the record's form, its tags and attachments, and the lists of records
that belong to it (a party's profile, a session's agenda, participants and notes...).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QResizeEvent, QShortcut
from PySide6.QtWidgets import (
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LiaisonError
from app.gui.context import AppContext
from app.gui.forms import RecordForm, blocked
from app.gui.kinds import fields_of, kind_of, word
from app.gui.labels import tr
from app.gui.sections.record_lines import line_for
from app.gui.sections.record_list import RecordList
from app.gui.undo import EditRecord, TagRecord
from app.gui.widgets.empty_state import EmptyState


class TagsEditor(QWidget):
    """Tags of the current record as a comma-separated line; each change is undoable."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = ""
        self.record_id: int | None = None
        self._tags: list[str] = []
        self.edit = QLineEdit()
        self.edit.setObjectName("tags")
        self.edit.setPlaceholderText(tr("tags, separated by commas"))
        self.edit.editingFinished.connect(self.apply)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(tr("Tags")))
        layout.addWidget(self.edit, 1)

    def load(self, kind: str, record_id: int | None) -> None:
        self.kind, self.record_id = kind, record_id
        self._tags = ctx_tags(self.ctx, kind, record_id)
        self.edit.setText(", ".join(self._tags))

    def apply(self) -> None:
        # Also called when the field loses focus, which happens as the window closes after
        # the vault has locked: nothing can be written then.
        if self.record_id is None or not self.ctx.vault.is_unlocked:
            return
        wanted = [t.strip() for t in self.edit.text().split(",") if t.strip()]
        for tag in wanted:
            if tag not in self._tags:
                self.ctx.run(
                    TagRecord(
                        self.ctx.records, self.kind, self.record_id, tag, True, self.ctx.notify
                    )
                )
        for tag in self._tags:
            if tag not in wanted:
                self.ctx.run(
                    TagRecord(
                        self.ctx.records, self.kind, self.record_id, tag, False, self.ctx.notify
                    )
                )
        self._tags = ctx_tags(self.ctx, self.kind, self.record_id)

    def clear(self) -> None:
        self.record_id, self._tags = None, []
        with blocked(self.edit):
            self.edit.setText("")  # (setText, not clear(): it also forgets the undo history)


def ctx_tags(ctx: AppContext, kind: str, record_id: int | None) -> list[str]:
    return ctx.records.tags_of(kind, record_id) if record_id is not None else []


class AttachmentsEditor(QWidget):
    """Files kept inside the vault (encrypted) with the record."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = ""
        self.record_id: int | None = None
        self.list = QListWidget()
        self.list.setObjectName("attachments")
        self.list.setMaximumHeight(90)
        add = QPushButton(tr("Attach file…"))
        add.clicked.connect(self.attach_file)
        save = QPushButton(tr("Save a copy…"))
        save.clicked.connect(self.save_copy)
        remove = QPushButton(tr("Remove"))
        remove.clicked.connect(self.remove)
        buttons = QVBoxLayout()
        for b in (add, save, remove):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)

    def load(self, kind: str, record_id: int | None) -> None:
        self.kind, self.record_id = kind, record_id
        self.list.clear()
        if record_id is None:
            return
        for a in self.ctx.records.attachments_of(kind, record_id):
            item = QListWidgetItem(f"{a.filename}  ({a.size:,} bytes)")
            item.setData(Qt.ItemDataRole.UserRole, a.id)
            self.list.addItem(item)

    def clear(self) -> None:
        self.record_id = None
        self.list.clear()

    def attach_file(self, path: str | None = None) -> None:
        if self.record_id is None:
            return
        if not path:
            path, _ = QFileDialog.getOpenFileName(self, tr("Attach a file"))
        if not path:
            return
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            self.ctx.error_handler(tr("Cannot read “{f}”: {e}.").format(f=path, e=exc.strerror))
            return
        self.ctx.call(self.ctx.records.attach, self.kind, self.record_id, Path(path).name, data)
        self.load(self.kind, self.record_id)

    def _current(self) -> int | None:
        item = self.list.currentItem()
        return int(item.data(Qt.ItemDataRole.UserRole)) if item else None

    def save_copy(self) -> None:
        aid = self._current()
        if aid is None:
            return
        path, _ = QFileDialog.getSaveFileName(
            self, tr("Save an unencrypted copy"), self.list.currentItem().text().split("  (")[0]
        )
        if path:
            try:
                Path(path).write_bytes(self.ctx.records.attachment_data(aid))
            except OSError as exc:
                self.ctx.error_handler(tr("Could not save: {e}.").format(e=exc.strerror))

    def remove(self) -> None:
        aid = self._current()
        if aid is not None:
            self.ctx.call(self.ctx.records.remove_attachment, aid)
            self.load(self.kind, self.record_id)


class DetailPane(QWidget):
    """The record's form with Save/Revert, then tags, attachments and child lists."""

    saved = Signal(int)

    def __init__(self, ctx: AppContext, kind: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.record_id: int | None = None
        self._record: dict[str, Any] = {}
        self.form = RecordForm(kind, ctx.choices)
        self.form.changed.connect(self._update_buttons)
        self.save_button = QPushButton(tr("Save"))
        self.save_button.setObjectName("save")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.revert_button = QPushButton(tr("Revert"))
        self.revert_button.clicked.connect(self.revert)
        self.tags = TagsEditor(ctx)
        self.attachments = AttachmentsEditor(ctx)
        # (Not ``children``: that would hide QObject.children.)
        self.child_lists: list[RecordList] = []
        self.child_tabs = QTabWidget()
        for spec in kind_of(kind).children:
            child = RecordList(ctx, spec.kind, scope_key=spec.scope_key)
            self.child_lists.append(child)
            self.child_tabs.addTab(child, tr(spec.label))
        self.empty = EmptyState(compact=True)
        self.set_list_empty(False)

        # A line of facts above the form, for the kinds that have one (a party's record).
        self.record_line = line_for(ctx, kind)
        body = QWidget()
        v = QVBoxLayout(body)
        if self.record_line is not None:
            v.addWidget(self.record_line)
        v.addWidget(self.form)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.revert_button)
        row.addWidget(self.save_button)
        v.addLayout(row)
        v.addWidget(self.tags)
        v.addWidget(QLabel(tr("Attachments (kept encrypted in the vault)")))
        v.addWidget(self.attachments)
        if self.child_lists:
            self.child_tabs.setMinimumHeight(240)
            v.addWidget(self.child_tabs, 1)
        v.addStretch(0)
        # (Not ``scroll``: that would hide QWidget.scroll.)
        self.scroll_area = QScrollArea()
        self.scroll_area.setObjectName("detail_scroll")
        self.scroll_area.setWidget(body)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QFrame.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty)
        layout.addWidget(self.scroll_area)
        QShortcut(
            QKeySequence.StandardKey.Save,
            self,
            self.save,
            context=Qt.ShortcutContext.WidgetWithChildrenShortcut,
        )
        ctx.record_changed.connect(self._on_record_changed)
        self.show_record(None)

    def set_list_empty(self, empty: bool) -> None:
        """What the pane says while no record is shown: pick one, or make the first."""
        w = word(self.kind)
        if empty:
            self.empty.show_state(
                tr("Nothing to edit yet"),
                tr("Once there is a {kind}, select it in the list to see and edit it here.").format(
                    kind=w
                ),
            )
        else:
            self.empty.show_state(
                tr("No {kind} selected").format(kind=w),
                tr("Select a {kind} in the list to see and edit it here.").format(kind=w),
            )

    def show_record(self, record_id: int | None) -> None:
        self.record_id = record_id
        has = record_id is not None
        self.empty.setVisible(not has)
        self.scroll_area.setVisible(has)
        if record_id is None:
            for child in self.child_lists:
                child.set_scope(None)
            if self.record_line is not None:
                self.record_line.clear()
            return
        try:
            self._record = self.ctx.records.get(self.kind, record_id)
        except LiaisonError:
            self.show_record(None)
            return
        self.form.load(self._record)
        if self.record_line is not None:
            self.record_line.show_for(record_id)
        self.tags.load(self.kind, record_id)
        self.attachments.load(self.kind, record_id)
        for child in self.child_lists:
            child.set_scope(record_id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        dirty = bool(self.form.changes()) if self.record_id is not None else False
        self.save_button.setEnabled(dirty)
        self.revert_button.setEnabled(dirty)

    def save(self) -> None:
        if self.record_id is None:
            return
        changes = self.form.changes()
        if changes and self.ctx.run(
            EditRecord(
                self.ctx.records, self.kind, self.record_id, self._record, changes, self.ctx.notify
            )
        ):
            self.saved.emit(self.record_id)

    def revert(self) -> None:
        self.show_record(self.record_id)

    def _on_record_changed(self, kind: str, record_id: int) -> None:
        if kind == self.kind and self.record_id is not None and record_id in (self.record_id, -1):
            self.show_record(self.record_id)

    def clear(self) -> None:
        """Show nothing, and keep nothing of the last record in any widget (on lock)."""
        self.record_id = None
        self._record = {}
        self.empty.setVisible(True)
        self.scroll_area.setVisible(False)
        self.form.clear()
        if self.record_line is not None:
            self.record_line.clear()
        self.tags.clear()
        self.attachments.clear()
        for child in self.child_lists:
            child.clear()


# The detail pane's share of a section's width, and its bounds in pixels: the list keeps
# the rest (it needs room for its columns), the form wraps below NARROW_WIDTH.
DETAIL_SHARE = 0.4
DETAIL_MIN, DETAIL_MAX = 320, 560


class SectionView(QWidget):
    """List on one side, detail on the other (mirrored in right-to-left layouts by Qt).

    Until the user moves the splitter's handle, the detail pane gets ``DETAIL_SHARE`` of
    the width (within its bounds) and the list the rest. It follows the section protocol
    (app.gui.sections.protocol) for its one kind of record."""

    def __init__(
        self,
        ctx: AppContext,
        list_name: str,
        *,
        scope_key: str | None = "case_id",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.scope_key = scope_key
        self.list = RecordList(ctx, list_name, scope_key=scope_key, edit_in_dialog=False)
        self.list.setMinimumWidth(280)
        self.kind = self.list.kind
        spec = kind_of(self.kind)
        self.watches: frozenset[str] = frozenset(
            {self.kind, *(c.kind for c in spec.children)}
            | {f.ref for f in fields_of(self.kind) if f.ref}
        )
        self.detail = DetailPane(ctx, self.kind)
        self.detail.setMinimumWidth(DETAIL_MIN - 40)
        self.list.current_changed.connect(
            lambda rid: self.detail.show_record(rid if rid >= 0 else None)
        )
        self.list.view.doubleClicked.connect(lambda _i: self.detail.form.first_editor().setFocus())
        model = self.list.model
        for signal in (model.modelReset, model.rowsInserted, model.rowsRemoved):
            signal.connect(lambda *_a: self.detail.set_list_empty(model.rowCount() == 0))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("section_splitter")
        splitter.addWidget(self.list)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 0)
        splitter.setChildrenCollapsible(False)
        splitter.splitterMoved.connect(self._handle_moved)
        self.splitter = splitter
        self._user_split = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(splitter)

    # -- the split ------------------------------------------------------------------------

    def _handle_moved(self, _pos: int, _index: int) -> None:
        self._user_split = True

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        if not self._user_split:
            self.fit_split(self.splitter.width() or event.size().width())

    def fit_split(self, width: int) -> None:
        handle = self.splitter.handleWidth()
        detail = int(min(max(width * DETAIL_SHARE, DETAIL_MIN), DETAIL_MAX))
        self.splitter.setSizes([max(width - detail - handle, 0), detail])

    # -- the section protocol -------------------------------------------------------------

    def set_scope(self, scope_id: int | None) -> None:
        self.list.set_scope(scope_id)
        if self.list.model.rowCount() and self.list.current_id() is None:
            self.list.select(self.list.model.record_id(0) or 0, load=False)

    def set_case(self, case_id: int | None) -> None:
        self.set_scope(case_id if self.scope_key is not None else None)

    def reload(self) -> None:
        self.list.reload()

    def current(self) -> tuple[str, int] | None:
        rid = self.list.current_id()
        return (self.kind, rid) if rid is not None else None

    def select(self, record_id: int) -> bool:
        return self.list.select(record_id)

    def show_record(self, kind: str, record_id: int) -> bool:
        if kind != self.kind:
            return False
        self.list.clear_filter()  # the filter could hide it
        return self.select(record_id)

    def new_record(self) -> None:
        self.list.create_record()

    def delete_record(self) -> None:
        self.list.delete_current()

    def clear(self) -> None:
        self.list.clear()
        self.detail.clear()
