"""Names the tabbed window had, kept for the tests and the screenshot script written against
it while the sections move to their own widgets: ``show_section("messages")`` and
``window.messages`` still give that list's SectionView. New code uses the section protocol
(``window.open_section(key)``, ``window.section(key)``, ``window.section_in_view()``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QMainWindow

from app.gui.sections.section import SectionView

if TYPE_CHECKING:
    from app.gui.sections.protocol import Section

    _Base = QMainWindow
else:
    _Base = object


class LegacyViews(_Base):
    holders: dict[str, Any]

    def open_section(self, key: str) -> Section:  # MainWindow's
        raise NotImplementedError

    def section_in_view(self) -> Section | None:  # MainWindow's
        raise NotImplementedError

    def _page_owner(self, page: str) -> str:
        return next(k for k, h in self.holders.items() if page in h.entry.pages)

    def _page(self, page: str, *, show: bool) -> Any:
        key = self._page_owner(page)
        section: Any = self.open_section(key) if show else self.holders[key].section
        if hasattr(section, "show_page"):  # a section with pages
            return section.show_page(page) if show else section.page(page)
        return section

    def show_section(self, page: str) -> SectionView:
        """Bring a list (``"messages"``, ``"people"``, ...: the pages of app.gui.kinds) into
        view and return its SectionView."""
        view = self._page(page, show=True).view
        assert isinstance(view, SectionView)
        return view

    def current_section(self) -> SectionView | None:
        """The SectionView in view, if the page in view is a list."""
        section: Any = self.section_in_view()
        if hasattr(section, "current_page"):
            section = section.current_page()
        view = getattr(section, "view", None)
        return view if isinstance(view, SectionView) else None

    def _view(self, page: str) -> SectionView:
        view = self._page(page, show=False).view
        assert isinstance(view, SectionView)
        return view

    parties = property(lambda self: self._view("parties"))
    people = property(lambda self: self._view("people"))
    messages = property(lambda self: self._view("messages"))
    deliveries = property(lambda self: self._view("deliveries"))
    rounds = property(lambda self: self._view("rounds"))
    sessions = property(lambda self: self._view("sessions"))
    options = property(lambda self: self._view("options"))
    actions_view = property(lambda self: self._view("actions"))
    notes = property(lambda self: self._view("notes"))
    overview = property(lambda self: self.holders["overview"].section)
    people_tabs = property(lambda self: self.holders["people"].section.tabs)
    shuttle_tabs = property(lambda self: self.holders["shuttle"].section.pages)
    options_matrix = property(lambda self: self.holders["options"].section.matrix)
    timeline = property(lambda self: self.holders["timeline"].section)
