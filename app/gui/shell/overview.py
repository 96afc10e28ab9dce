"""The Overview section (the case's own fields and what it holds; the commitments overdue or
due soon and the linked cases: app.gui.shell.overview_blocks), and what the window shows
when there is no case yet."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from app.gui.context import AppContext
from app.gui.labels import tr
from app.gui.resources import icon
from app.gui.sections.section import DetailPane
from app.gui.shell.overview_blocks import CommitmentsBlock, LinkedCasesBlock
from app.gui.workers import run_in_background

# What the overview counts, and the words it counts them in.
_COUNTED = (
    ("party", "parties"),
    ("message", "messages"),
    ("delivery", "deliveries"),
    ("handover", "handovers"),
    ("session", "sessions"),
    ("option", "options"),
    ("commitment", "commitments"),
    ("action", "actions"),
    ("note", "notes"),
)


class OverviewSection(QWidget):
    """The case's own fields, how many records of each kind it holds, its commitments
    overdue or due soon, and the cases it is linked to.

    New item here makes a new case, Delete item deletes this one (both through the window,
    which owns the case list)."""

    current_changed = Signal()
    watches = frozenset(
        {"case", "commitment_event", "case_link", "party", *(kind for kind, _ in _COUNTED)}
    )

    def __init__(
        self,
        ctx: AppContext,
        new_case: Callable[[], object],
        delete_case: Callable[[], object],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self._new_case = new_case
        self._delete_case = delete_case
        self._generation = 0  # counts still being worked out are not shown after a clear()
        self.detail = DetailPane(ctx, "case")
        self.counts = QLabel()
        self.counts.setObjectName("case_counts")
        self.counts.setWordWrap(True)
        self.commitments = CommitmentsBlock(ctx)
        self.links = LinkedCasesBlock(ctx)
        blocks = QHBoxLayout()
        blocks.addWidget(self.commitments, 1)
        blocks.addSpacing(12)
        blocks.addWidget(self.links, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.counts)
        layout.addLayout(blocks)
        layout.addWidget(self.detail, 1)

    def set_case(self, case_id: int | None) -> None:
        self.detail.show_record(case_id)
        self._update_counts()
        self.current_changed.emit()

    def reload(self) -> None:
        # The case's own fields follow their edits by themselves (DetailPane).
        self._update_counts()

    def _update_counts(self) -> None:
        case_id = self.ctx.case_id
        if case_id is None or not self.ctx.vault.is_unlocked:
            self.counts.clear()
            self.commitments.clear()
            self.links.clear()
            return
        from app.core.services.commitments import due
        from app.core.services.handovers import links_of
        from app.core.services.lists import count_rows

        vault = self.ctx.vault
        self._generation += 1
        generation = self._generation

        def count() -> dict[str, Any]:  # on a worker: a big case takes a moment to count
            overdue, soon = due(vault, case_id)
            return {
                "counts": [
                    f"{count_rows(vault, kind, scope_id=case_id):,} {tr(word)}"
                    for kind, word in _COUNTED
                ],
                "overdue": overdue,
                "soon": soon,
                "links": links_of(vault, case_id),
            }

        def show(found: object) -> None:
            if generation == self._generation and isinstance(found, dict):
                self.counts.setText(" · ".join(found["counts"]))
                self.commitments.show_due(found["overdue"], found["soon"])
                self.links.show_links(found["links"])

        run_in_background(self, count, show, lambda _e: None, reader=vault)

    def clear(self) -> None:
        self._generation += 1
        self.detail.clear()
        self.counts.clear()
        self.commitments.clear()
        self.links.clear()

    def current(self) -> tuple[str, int] | None:
        return ("case", self.ctx.case_id) if self.ctx.case_id is not None else None

    def show_record(self, kind: str, record_id: int) -> bool:
        if kind == "case_link":  # (its links are read on a worker: may not be there yet)
            return self.links.select(record_id)
        return kind == "case" and record_id == self.ctx.case_id

    def new_record(self) -> None:
        self._new_case()

    def delete_record(self) -> None:
        self._delete_case()


class NoCaseYet(QWidget):
    """Shown while the vault holds no case: what a case is, what to do first, one button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("no_case")
        picture = QLabel()
        picture.setPixmap(icon("case").pixmap(64, 64))
        picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        title = QLabel(tr("<h2>No case yet</h2>"))
        title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        what = QLabel(
            tr(
                "A <b>case</b> is one engagement in one conflict: its parties and the people "
                "you talk to, the messages you carry between them and what each side has "
                "been told, your sessions, the options on the table, and your notes."
            )
        )
        first = QLabel(
            tr(
                "Start with the case: give it a title (you can change it later). Then add "
                "the parties in <b>Parties &amp; People</b>, and log what they say with "
                "<b>Quick capture</b> (Ctrl+Shift+M)."
            )
        )
        for label in (what, first):
            label.setWordWrap(True)
            label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.button = QPushButton(icon("add"), tr("New case…"))
        self.button.setObjectName("empty_new_case")
        self.button.setDefault(True)
        # A column of fixed width, centred: wrapped labels then get the height they need.
        column = QWidget()
        column.setFixedWidth(480)
        v = QVBoxLayout(column)
        v.setContentsMargins(0, 0, 0, 0)
        v.addWidget(picture)
        v.addWidget(title)
        v.addWidget(what)
        v.addSpacing(6)
        v.addWidget(first)
        v.addSpacing(12)
        v.addWidget(self.button, 0, Qt.AlignmentFlag.AlignHCenter)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(column)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
