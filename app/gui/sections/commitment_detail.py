"""The lower half of the Commitments section: the selected commitment in words (who promised
what to whom, its condition, when it was made and is due, its level, where it was said, the
mediator's note) beside its course, the dated outcomes, with the buttons that record, change
and delete them. The section owns what the buttons do; this pane only shows."""

from __future__ import annotations

from datetime import date, datetime
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QLabel,
    QListView,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import LiaisonError
from app.core.services.commitments import CommitmentRow, OutcomeRow
from app.core.services.messages import summary_of
from app.gui.context import AppContext
from app.gui.kinds import COMMITMENT_ICON
from app.gui.labels import DISCLOSURE_COLOURS, enum_label, tr
from app.gui.models.commitment_register import (
    CourseModel,
    condition_words,
    due_words,
    status_words,
    who_words,
)
from app.gui.models.text_critique_matrix import day_label, first_words
from app.gui.sections.sessions_section import bar_button
from app.gui.widgets.dialog_parts import ERROR_RED


def day_time(value: datetime) -> str:
    """``9 Oct 2026, 09:00`` on the user's clock."""
    local = value.astimezone()
    return tr("{day}, {time}").format(day=day_label(value), time=f"{local:%H:%M}")


def message_words(ctx: AppContext, message_id: int) -> str:
    """``message “…” (6 Oct 2026)``: where a commitment was said, or its evidence."""
    try:
        m = ctx.records.get("message", message_id)
    except LiaisonError:
        return tr("a message that is gone")
    return tr("message “{summary}” ({day})").format(
        summary=first_words(summary_of(m.get("summary"), m.get("content")), 70),
        day=day_label(m["said_at"]),
    )


def session_words(ctx: AppContext, session_id: int) -> str:
    try:
        s = ctx.records.get("session", session_id)
    except LiaisonError:
        return tr("a session that is gone")
    when = s.get("starts_at")
    if when is None:
        return tr("session “{title}”").format(title=s["title"])
    return tr("session “{title}” ({day})").format(title=s["title"], day=day_label(when))


def detail_html(ctx: AppContext, row: CommitmentRow, today: date | None) -> str:
    """The commitment's fields in words, as rich text."""

    def line(label: str, value: str) -> str:
        return f"<tr><td><b>{escape(label)}</b>&nbsp;&nbsp;</td><td>{value}</td></tr>"

    who = f"<b>{escape(who_words(row))}</b>"
    if row.to_party_name:
        head = tr("{who} promised {to}:").format(who=who, to=escape(row.to_party_name))
    else:
        head = tr("{who} promised (to you, or to all sides):").format(who=who)
    what = escape(row.what).replace("\n", "<br>")
    status = escape(status_words(row, today))
    if row.overdue:
        status = f"<span style='color:{ERROR_RED}'><b>{status}</b></span>"
    rows = [line(tr("Where it stands"), status)]
    if row.condition.strip() or row.condition_id is not None:
        rows.append(line(tr("Condition"), escape(condition_words(row))))
    rows.append(line(tr("Made"), escape(day_time(row.made_at))))
    rows.append(line(tr("Due by"), escape(due_words(row))))
    level = enum_label(row.disclosure.value)
    if row.embargo_until is not None:
        level = tr("{level} until {when}").format(level=level, when=day_time(row.embargo_until))
    colour = DISCLOSURE_COLOURS.get(row.disclosure.value, "")
    rows.append(line(tr("Level"), f"<span style='color:{colour}'>{escape(level)}</span>"))
    said = []
    if row.source_message_id is not None:
        said.append(message_words(ctx, row.source_message_id))
    if row.source_session_id is not None:
        said.append(session_words(ctx, row.source_session_id))
    if row.source_clause_id is not None:
        said.append(tr("a clause of a text"))
    rows.append(line(tr("Said in"), escape("; ".join(said)) if said else "—"))
    if row.note.strip():
        rows.append(line(tr("Note"), escape(row.note).replace("\n", "<br>")))
    table = "".join(rows)
    return f"<p>{head}<br><b>“{what}”</b></p><table cellspacing='2'>{table}</table>"


class CommitmentDetail(QSplitter):
    """The selected commitment in words (left) beside its course (right)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.ctx = ctx
        self.setObjectName("commitment_detail_splitter")
        self.setChildrenCollapsible(False)
        self.detail = QLabel()
        self.detail.setObjectName("commitment_detail")
        self.detail.setWordWrap(True)
        self.detail.setTextFormat(Qt.TextFormat.RichText)
        self.detail.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        self.detail.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.detail.setContentsMargins(6, 6, 6, 6)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.detail)
        self.course_model = CourseModel(self)
        self.course = QListView()
        self.course.setObjectName("commitment_course")
        self.course.setModel(self.course_model)
        self.course.setWordWrap(True)
        self.course.setAlternatingRowColors(True)
        self.course.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.course.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.course_empty = QLabel()
        self.course_empty.setObjectName("course_empty")
        self.course_empty.setWordWrap(True)
        self.course_empty.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeading)
        self.outcome_button = bar_button(
            "record_outcome",
            tr("Record outcome…"),
            COMMITMENT_ICON,
            tr("Kept, kept late, partly kept, broken or withdrawn, on a day (Ctrl+Shift+R)"),
        )
        self.edit_outcome_button = bar_button(
            "edit_outcome", tr("Edit…"), "edit", tr("The selected outcome (Enter)")
        )
        self.delete_outcome_button = bar_button(
            "delete_outcome",
            tr("Delete"),
            "delete",
            tr("Delete the selected outcome (Del); Ctrl+Z brings it back"),
        )
        bar = QHBoxLayout()
        bar.setContentsMargins(0, 0, 0, 0)
        bar.addWidget(QLabel(tr("<b>Course</b>")))
        bar.addStretch(1)
        for b in (self.outcome_button, self.edit_outcome_button, self.delete_outcome_button):
            bar.addWidget(b)
        course_pane = QWidget()
        course_pane.setObjectName("commitment_course_pane")
        cv = QVBoxLayout(course_pane)
        cv.setContentsMargins(6, 4, 6, 6)
        cv.addLayout(bar)
        cv.addWidget(self.course_empty, 1)
        cv.addWidget(self.course, 1)
        self.addWidget(scroll)
        self.addWidget(course_pane)
        self.setSizes([500, 500])

    def selected_outcome(self) -> OutcomeRow | None:
        index = self.course.currentIndex()
        return self.course_model.outcome(index.row()) if index.isValid() else None

    def show_commitment(
        self, row: CommitmentRow | None, today: date | None, outcome_id: int | None = None
    ) -> None:
        """Show ``row`` (None: nothing), its latest outcome (or ``outcome_id``) selected."""
        if row is None:
            self.clear()
            return
        self.detail.setText(detail_html(self.ctx, row, today))
        self.course_model.set_course(row.outcomes, lambda i: message_words(self.ctx, i))
        pending = tr("No outcome yet: it is pending. Ctrl+Shift+R records one.")
        self.course_empty.setText("" if row.outcomes else pending)
        self.course_empty.setVisible(not row.outcomes)
        self.course.setVisible(bool(row.outcomes))
        found = self.course_model.row_of(outcome_id) if outcome_id is not None else None
        last = found if found is not None else self.course_model.rowCount() - 1
        if last >= 0:
            self.course.setCurrentIndex(self.course_model.index(last, 0))

    def clear(self) -> None:
        self.detail.clear()
        self.course_model.clear()
        self.course_empty.clear()
