"""The options board in the GUI: refine, merge and split an option (undoable, the lineage
kept), record each party's stance in one go, the options × parties matrix, and the history
of one option across sessions and rounds."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LiaisonError
from app.core.models import OptionStatus, StanceKind
from app.core.services.history import Snapshot, restore, snapshot
from app.core.services.options import (
    interest_choices,
    lineage,
    merge_options,
    option_history,
    record_stances,
    refine_option,
    set_interests,
    split_option,
    stance_history,
    stance_matrix,
)
from app.core.services.records import Records
from app.gui.context import AppContext
from app.gui.labels import STANCE_COLOURS, enum_label, fmt_date, fmt_datetime, tr
from app.gui.resources import icon
from app.gui.undo import Changed, ServiceCommand, push
from app.gui.widgets.dialog_parts import error_label, save_cancel

_REWORKED = {OptionStatus.REFINED, OptionStatus.MERGED, OptionStatus.SPLIT}


def _add_checkable(target: QListWidget, text: str, record_id: int, checked: bool) -> None:
    item = QListWidgetItem(text)
    item.setData(Qt.ItemDataRole.UserRole, record_id)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    target.addItem(item)


def _checked_ids(source: QListWidget) -> list[int]:
    """The record ids of the ticked items, in list order."""
    return [
        int(source.item(i).data(Qt.ItemDataRole.UserRole))
        for i in range(source.count())
        if source.item(i).checkState() == Qt.CheckState.Checked
    ]


class DeriveOptions(ServiceCommand):
    """Refine, merge or split, undoable: undo removes the new options (their lineage goes
    with them) and gives the old ones back their status; redo restores the very same ones."""

    def __init__(
        self,
        records: Records,
        label: str,
        derive: Callable[[], list[int]],
        parent_ids: list[int],
        on_change: Changed,
    ) -> None:
        super().__init__(label)
        self.records, self.derive, self.parent_ids = records, derive, parent_ids
        self.on_change = on_change
        self.before = {pid: records.get("option", pid)["status"] for pid in parent_ids}
        self.after: dict[int, OptionStatus] = {}
        self.new_ids: list[int] = []
        self._snaps: list[Snapshot] = []

    def apply(self) -> None:
        if self._snaps:
            for snap in self._snaps:
                restore(self.records.vault, snap)
            for pid, status in self.after.items():
                self.records.update("option", pid, status=status)
        else:
            self.new_ids = self.derive()
            self.after = {pid: self.records.get("option", pid)["status"] for pid in self.parent_ids}
        self.on_change("option", self.new_ids[0])

    def revert(self) -> None:
        self._snaps = [snapshot(self.records.vault, "option", nid) for nid in self.new_ids]
        for nid in self.new_ids:
            self.records.delete("option", nid)
        for pid, status in self.before.items():
            self.records.update("option", pid, status=status)
        self.on_change("option", self.parent_ids[0])


_DERIVE_TITLES = {
    "refine": "Refine an option",
    "merge": "Merge options into one",
    "split": "Split an option",
}


class SetInterests(ServiceCommand):
    """Which interests an option addresses; undo gives back the previous set."""

    def __init__(self, ctx: AppContext, option_id: int, before: set[int], after: set[int]) -> None:
        super().__init__(tr("Interests addressed"))
        self.ctx, self.option_id, self.before, self.after = ctx, option_id, before, after

    def apply(self) -> None:
        set_interests(self.ctx.vault, self.option_id, self.after)
        self.ctx.notify("option", self.option_id)

    def revert(self) -> None:
        set_interests(self.ctx.vault, self.option_id, self.before)
        self.ctx.notify("option", self.option_id)


class InterestsDialog(QDialog):
    """Tick the interests, needs, fears and constraints (of any party of the case) that the
    option addresses: an option that meets both sides' interests is the one to follow."""

    def __init__(self, ctx: AppContext, option_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.option_id = ctx, option_id
        option = ctx.records.get("option", option_id)
        self.setWindowTitle(tr("Interests “{title}” addresses").format(title=option["title"]))
        self.list = QListWidget()
        self.list.setObjectName("interests_list")
        self.before: set[int] = set()
        for c in interest_choices(ctx.vault, option_id):
            label = f"{c.party_name} · {enum_label(c.kind)}: {c.text}"
            _add_checkable(self.list, label, c.entry_id, c.addressed)
            if c.addressed:
                self.before.add(c.entry_id)
        empty = QLabel(
            tr(
                "No interests, needs or fears recorded for this case's parties yet: add them "
                "to a party's profile (or from live notes) first."
            )
        )
        empty.setWordWrap(True)
        empty.setVisible(self.list.count() == 0)
        self.error = error_label()
        buttons = save_cancel(self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def checked(self) -> set[int]:
        return set(_checked_ids(self.list))

    def save(self) -> None:
        after = self.checked()
        if after != self.before:
            try:
                push(
                    self.ctx.undo_stack, SetInterests(self.ctx, self.option_id, self.before, after)
                )
            except LiaisonError as exc:
                self.error.setText(str(exc))
                return
        self.accept()


class DeriveDialog(QDialog):
    """One dialog for the three lineage steps; ``mode`` is "refine", "merge" or "split"."""

    def __init__(
        self, ctx: AppContext, mode: str, option_id: int, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx, self.mode, self.option_id = ctx, mode, option_id
        self.new_ids: list[int] = []
        self.setWindowTitle(tr(_DERIVE_TITLES[mode]))
        option = ctx.records.get("option", option_id)
        self.title = QLineEdit(option["title"] if mode == "refine" else "")
        self.title.setObjectName("derive_title")
        self.title.setMaxLength(200)
        self.text = QPlainTextEdit(option["text"] if mode == "refine" else "")
        self.text.setObjectName("derive_text")
        self.others = QListWidget()
        self.others.setObjectName("merge_with")
        self.parts = QPlainTextEdit()
        self.parts.setObjectName("split_parts")
        self.error = error_label("derive_error", wrap=True)
        form = QFormLayout()
        if mode == "split":
            form.addRow(QLabel(tr("Split “{title}” into:").format(title=option["title"])))
            self.parts.setPlaceholderText(tr("One new option per line, at least two"))
            form.addRow(tr("Parts"), self.parts)
        else:
            if mode == "merge":
                form.addRow(QLabel(tr("Merge “{title}” with:").format(title=option["title"])))
                for other in ctx.records.find(
                    "option", case_id=option["case_id"], order_by="raised_on"
                ):
                    if other["id"] == option_id or other["status"] in _REWORKED:
                        continue
                    _add_checkable(self.others, other["title"], other["id"], False)
                form.addRow(tr("Others"), self.others)
            form.addRow(tr("New title"), self.title)
            form.addRow(tr("Text"), self.text)
        buttons = save_cancel(self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(
            QLabel(
                tr(
                    "The older option keeps its history and is marked as {what}; the new "
                    "one addresses the same interests and remembers where it came from."
                ).format(what=enum_label({"refine": "refined"}.get(mode, mode)))
            )
        )
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(560, 420)

    def checked_others(self) -> list[int]:
        return _checked_ids(self.others)

    def save(self) -> None:
        vault = self.ctx.vault
        title, text = self.title.text(), self.text.toPlainText()
        parents = [self.option_id]
        derive: Callable[[], list[int]]
        if self.mode == "refine":

            def derive() -> list[int]:
                return [refine_option(vault, self.option_id, title=title, text=text)]

            label = tr("Refine option")
        elif self.mode == "merge":
            parents += self.checked_others()

            def derive() -> list[int]:
                return [merge_options(vault, parents, title=title, text=text)]

            label = tr("Merge options")
        else:
            parts = [(line, "") for line in self.parts.toPlainText().splitlines()]

            def derive() -> list[int]:
                return split_option(vault, self.option_id, parts)

            label = tr("Split option")
        try:
            command = DeriveOptions(self.ctx.records, label, derive, parents, self.ctx.notify)
            push(self.ctx.undo_stack, command)
        except LiaisonError as exc:
            self.error.setText(str(exc))
            return
        self.new_ids = command.new_ids
        self.accept()


class StancesDialog(QDialog):
    """Each party's stance on one option, as of now: changed ones are added to the history."""

    def __init__(self, ctx: AppContext, option_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx, self.option_id = ctx, option_id
        option = ctx.records.get("option", option_id)
        self.setWindowTitle(tr("Stances on “{title}”").format(title=option["title"]))
        history = stance_history(ctx.vault, option_id)
        self.rows: dict[int, tuple[QComboBox, QLineEdit]] = {}
        form = QFormLayout()
        for party_id, name in ctx.choices("party"):
            combo = QComboBox()
            combo.setObjectName(f"stance_{party_id}")
            for kind in StanceKind:
                combo.addItem(enum_label(kind.value), kind.value)
            changes = history.get(party_id, [])
            current = changes[-1].stance if changes else StanceKind.UNKNOWN.value
            combo.setCurrentIndex(combo.findData(current))
            note = QLineEdit()
            note.setPlaceholderText(tr("what they said, in a few words"))
            row = QHBoxLayout()
            row.addWidget(combo)
            row.addWidget(note, 1)
            form.addRow(name, row)
            self.rows[party_id] = (combo, note)
        self.session = QComboBox()
        self.session.setObjectName("stance_session")
        self.session.addItem(tr("(not in a session)"), None)
        for sid, title in ctx.choices("session"):
            self.session.addItem(title, sid)
        form.addRow(tr("Said in"), self.session)
        self.error = error_label()
        buttons = save_cancel(self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)

    def save(self) -> None:
        wanted = {pid: (c.currentData(), n.text()) for pid, (c, n) in self.rows.items()}
        try:
            record_stances(
                self.ctx.vault,
                self.option_id,
                wanted,
                at=datetime.now(UTC),
                session_id=self.session.currentData(),
            )
        except LiaisonError as exc:
            self.error.setText(str(exc))
            return
        self.ctx.notify("stance", None)
        self.accept()


class OptionHistoryDialog(QDialog):
    """One option's story: its lineage (where it came from, what it became) and every dated
    event across sessions and rounds, its ancestors' included."""

    def __init__(self, ctx: AppContext, option_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        option = ctx.records.get("option", option_id)
        self.setWindowTitle(tr("History of “{title}”").format(title=option["title"]))
        lin = lineage(ctx.vault, option_id)
        self.tree = QTreeWidget()
        self.tree.setObjectName("option_lineage")
        self.tree.setHeaderLabels([tr("Option"), tr("Status"), tr("Raised")])

        def node(oid: int, how: str = "") -> QTreeWidgetItem:
            n = lin.options[oid]
            title = f"{enum_label(how)}: {n.title}" if how else n.title
            item = QTreeWidgetItem([title, enum_label(n.status), fmt_date(n.raised_on)])
            if oid == option_id:
                font = item.font(0)
                font.setBold(True)
                item.setFont(0, font)
            return item

        # Roots are the oldest ancestors; children are what each became.
        def grow(item: QTreeWidgetItem, oid: int, seen: set[int]) -> None:
            for step in lin.steps:
                if step.parent_id == oid and step.option_id not in seen:
                    seen.add(step.option_id)
                    child = node(step.option_id, step.kind)
                    item.addChild(child)
                    grow(child, step.option_id, seen)

        roots = [oid for oid in lin.options if not lin.parents(oid)]
        for oid in roots:
            root = node(oid)
            self.tree.addTopLevelItem(root)
            grow(root, oid, {oid})
        self.tree.expandAll()
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

        events = option_history(ctx.vault, option_id)
        self.events = QTableWidget(len(events), 5)
        self.events.setObjectName("option_events")
        self.events.setHorizontalHeaderLabels(
            [tr("When"), tr("What happened"), tr("Option"), tr("Session"), tr("Round")]
        )
        self.events.verticalHeader().setVisible(False)
        self.events.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.events.setWordWrap(False)  # one line per event; the full text is the tooltip
        for r, e in enumerate(events):
            # Raising and lineage steps are known to the day; stances and statuses to the minute.
            dated = e.what in ("raised", "refined", "merged", "split")
            for c, value in enumerate(
                (
                    fmt_date(e.at.date()) if dated else fmt_datetime(e.at),
                    e.text,
                    e.option_title,
                    e.session,
                    e.round,
                )
            ):
                item = QTableWidgetItem(value)
                item.setToolTip(value)
                self.events.setItem(r, c, item)
        header = self.events.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.events.resizeColumnToContents(0)
        for column, width in ((2, 280), (3, 200), (4, 200)):
            self.events.setColumnWidth(column, width)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("<b>Lineage</b>")))
        layout.addWidget(self.tree, 1)
        layout.addWidget(QLabel(tr("<b>Across sessions and rounds</b>")))
        layout.addWidget(self.events, 2)
        layout.addWidget(close)
        self.resize(1120, 680)


class OptionActions(QWidget):
    """The buttons above the options list; each acts on the selected option."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        self.buttons: dict[str, QPushButton] = {}
        for name, text, icon_name in (
            ("stances", "Record stances…", "option"),
            ("interests", "Interests…", "party"),
            ("refine", "Refine…", "edit"),
            ("merge", "Merge…", "option"),
            ("split", "Split…", "option"),
            ("history", "History…", "timeline"),
        ):
            b = QPushButton(icon(icon_name), tr(text))
            b.setObjectName(f"option_{name}")
            self.buttons[name] = b
            row.addWidget(b)
        row.addStretch(1)


class OptionsMatrix(QWidget):
    """Options × parties: each party's current stance, coloured; hover for the history,
    double-click for the option's whole history."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.show_closed = QPushButton(tr("Show merged, split and closed options"))
        self.show_closed.setObjectName("matrix_show_closed")
        self.show_closed.setCheckable(True)
        self.show_closed.toggled.connect(lambda _on: self.reload())
        self.table = QTableWidget(0, 0)
        self.table.setObjectName("options_matrix")
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.cellDoubleClicked.connect(self._open_history)
        self.option_ids: list[int] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        top = QHBoxLayout()
        top.addWidget(self.show_closed)
        top.addStretch(1)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def _open_history(self, row: int, _column: int) -> None:
        OptionHistoryDialog(self.ctx, self.option_ids[row], self).exec()

    def clear(self) -> None:
        """Empty every cell and header (option titles, party names, stances): on lock."""
        self.table.clear()
        self.table.setRowCount(0)
        self.table.setColumnCount(0)
        self.option_ids = []

    def reload(self) -> None:
        self.clear()
        if self.ctx.case_id is None or not self.ctx.vault.is_unlocked:
            return
        parties = self.ctx.choices("party")
        rows = stance_matrix(
            self.ctx.vault, self.ctx.case_id, include_closed=self.show_closed.isChecked()
        )
        self.table.setColumnCount(2 + len(parties))
        self.table.setHorizontalHeaderLabels(
            [tr("Option"), tr("Status")] + [name for _, name in parties]
        )
        self.table.setRowCount(len(rows))
        for r, option in enumerate(rows):
            self.option_ids.append(option.option_id)
            self.table.setItem(r, 0, QTableWidgetItem(option.title))
            self.table.setItem(r, 1, QTableWidgetItem(enum_label(option.status)))
            for j, (pid, _name) in enumerate(parties):
                changes = option.history.get(pid, [])
                current = changes[-1].stance if changes else ""
                item = QTableWidgetItem(enum_label(current) if current else "")
                if current in STANCE_COLOURS:
                    item.setForeground(QBrush(QColor(STANCE_COLOURS[current])))
                item.setToolTip(
                    "\n".join(f"{fmt_datetime(c.at)}: {enum_label(c.stance)}" for c in changes)
                )
                self.table.setItem(r, 2 + j, item)
        self.table.resizeColumnsToContents()
