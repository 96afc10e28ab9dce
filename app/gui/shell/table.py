"""The window's one table of sections: key, label, icon, how to build it, and the pages of
app.gui.kinds it shows (what ``open_record`` routes by). The navigation, Ctrl+1… and the
guide's list of shortcuts follow its order."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import cast

from PySide6.QtWidgets import QVBoxLayout, QWidget

from app.gui.context import AppContext
from app.gui.kinds import COMMITMENT_ICON, TEXT_ICON
from app.gui.sections import generic
from app.gui.sections.commitments_section import CommitmentsSection
from app.gui.sections.options_section import OptionsSection
from app.gui.sections.protocol import Section
from app.gui.sections.sessions_section import SessionsSection
from app.gui.sections.shuttle_log import ShuttleLogSection
from app.gui.sections.texts_section import TextsSection
from app.gui.sections.timeline import TimelineView
from app.gui.shell.overview import OverviewSection


@dataclass(frozen=True)
class SectionEntry:
    """A row of the window's one table of sections."""

    key: str
    label: str
    icon: str
    factory: Callable[[], QWidget]  # a QWidget implementing Section
    pages: tuple[str, ...] = ()  # the kinds' ``section`` keys (app.gui.kinds) shown here


class SectionHolder(QWidget):
    """A section's place in the window; builds the section the first time it is shown."""

    def __init__(self, entry: SectionEntry) -> None:
        super().__init__()
        self.entry = entry
        self.widget: QWidget | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)

    @property
    def built(self) -> bool:
        return self.widget is not None

    @property
    def section(self) -> Section:
        if self.widget is None:
            widget = self.entry.factory()
            assert isinstance(widget, Section), f"{type(widget).__name__} is not a Section"
            self.widget = widget
            layout = self.layout()
            assert layout is not None
            layout.addWidget(widget)
            widget.show()  # (a layout shows a new child only once back in the loop)
        return cast(Section, self.widget)

    def clear(self) -> None:
        if self.widget is not None:
            cast(Section, self.widget).clear()


def section_table(
    ctx: AppContext, new_case: Callable[[], object], delete_case: Callable[[], object]
) -> tuple[SectionEntry, ...]:
    """The sections of a case, in the order of the navigation and of Ctrl+1…"""
    return (
        SectionEntry(
            "overview",
            "Overview",
            "overview",
            lambda: OverviewSection(ctx, new_case, delete_case),
            ("overview",),
        ),
        SectionEntry(
            "people",
            "Parties & People",
            "party",
            lambda: generic.PagedSection(
                ctx,
                [
                    generic.list_page(ctx, "parties", "Parties", "party"),
                    generic.list_page(ctx, "people", "People", "person_all", scope_key=None),
                ],
            ),
            ("parties", "people"),
        ),
        SectionEntry(
            "shuttle",
            "Shuttle Log",
            "message",
            lambda: ShuttleLogSection(ctx),
            ("messages", "deliveries", "rounds"),
        ),
        SectionEntry(
            "sessions",
            "Sessions",
            "session",
            lambda: SessionsSection(ctx),
            ("sessions",),
        ),
        SectionEntry("options", "Options", "option", lambda: OptionsSection(ctx), ("options",)),
        SectionEntry("texts", "Texts", TEXT_ICON, lambda: TextsSection(ctx), ("texts",)),
        SectionEntry(
            "commitments",
            "Commitments",
            COMMITMENT_ICON,
            lambda: CommitmentsSection(ctx),
            ("commitments",),
        ),
        SectionEntry(
            "actions",
            "Actions",
            "action",
            lambda: generic.ListSection(ctx, "action"),
            ("actions",),
        ),
        SectionEntry(
            "notes", "Notes", "note", lambda: generic.ListSection(ctx, "note"), ("notes",)
        ),
        SectionEntry("timeline", "Timeline", "timeline", lambda: TimelineView(ctx)),
    )
