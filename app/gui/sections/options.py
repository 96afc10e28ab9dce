"""The options board's dialogs: refine, merge and split an option (undoable, the lineage
kept), record each party's stance in one go, tick the interests it addresses, and the
history of one option across sessions and rounds. (The section itself, its bar and the
options × parties matrix: views/options_section.py.)"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListView,
    QPlainTextEdit,
    QTableView,
    QTreeView,
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
)
from app.core.services.records import Records
from app.gui.context import AppContext
from app.gui.labels import enum_label, tr
from app.gui.models.options_checklist import CheckListModel
from app.gui.models.options_history import OptionEventsModel, lineage_model
from app.gui.undo import Changed, ServiceCommand, push
from app.gui.widgets.dialog_parts import error_label, save_cancel

_REWORKED = {OptionStatus.REFINED, OptionStatus.MERGED, OptionStatus.SPLIT}


def checklist_view(model: CheckListModel, name: str) -> QListView:
    """A list of rows to tick (click the box, or Space on the current row)."""
    view = QListView()
    view.setObjectName(name)
    view.setModel(model)
    view.setUniformItemSizes(True)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    return view


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
        choices = interest_choices(ctx.vault, option_id)
        self.before: set[int] = {c.entry_id for c in choices if c.addressed}
        self.model = CheckListModel(
            [
                (c.entry_id, f"{c.party_name} · {enum_label(c.kind)}: {c.text}", c.addressed)
                for c in choices
            ],
            self,
        )
        self.interests = checklist_view(self.model, "interests_list")
        empty = QLabel(
            tr(
                "No interests, needs or fears recorded for this case's parties yet: add them "
                "to a party's profile (or from live notes) first."
            )
        )
        empty.setWordWrap(True)
        empty.setVisible(self.model.rowCount() == 0)
        self.error = error_label()
        buttons = save_cancel(self.save, self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(empty)
        layout.addWidget(self.interests, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.resize(640, 420)

    def checked(self) -> set[int]:
        return set(self.model.checked_ids())

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
        self.others_model = CheckListModel(parent=self)
        self.others = checklist_view(self.others_model, "merge_with")
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
                self.others_model.load(
                    [
                        (other["id"], other["title"], False)
                        for other in ctx.records.find(
                            "option", case_id=option["case_id"], order_by="raised_on"
                        )
                        if other["id"] != option_id and other["status"] not in _REWORKED
                    ]
                )
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
        return self.others_model.checked_ids()

    def done(self, result: int) -> None:
        super().done(result)
        self.others_model.clear()

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
        self.lineage = lineage_model(lineage(ctx.vault, option_id), option_id, self)
        self.tree = QTreeView()
        self.tree.setObjectName("option_lineage")
        self.tree.setModel(self.lineage)
        self.tree.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.tree.expandAll()
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in (1, 2):
            self.tree.resizeColumnToContents(column)

        self.events_model = OptionEventsModel(option_history(ctx.vault, option_id), self)
        self.events = QTableView()
        self.events.setObjectName("option_events")
        self.events.setModel(self.events_model)
        self.events.verticalHeader().setVisible(False)
        self.events.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.events.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.events.setWordWrap(False)  # one line per event; the full text is the tooltip
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
        # Roomy, but never bigger than the screen (a 1024×700 laptop).
        screen = self.screen().availableGeometry()
        self.resize(min(1120, screen.width() - 40), min(680, screen.height() - 60))

    def done(self, result: int) -> None:
        super().done(result)
        self.lineage.clear()
        self.events_model.clear()
