"""Sections made of generic parts, in the section protocol (app.gui.sections.protocol):
``ListSection``, one list beside its editor (Actions, Notes), and ``PagedSection``, one row
of such pages, never a tab in a tab (Parties & People). The Shuttle Log, Sessions, Options
and the Timeline are sections of their own.

Every section emits ``current_changed`` when the record in view changes, so the window can
enable Delete item and Copy text only when there is something to delete or copy.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.gui.context import AppContext
from app.gui.kinds import fields_of, kind_of
from app.gui.labels import tr
from app.gui.resources import icon
from app.gui.sections.section import SectionView


def _refs_of(kind: str) -> frozenset[str]:
    """The kinds a list of ``kind`` names in its columns (a renamed party renames them)."""
    return frozenset(f.ref for f in fields_of(kind) if f.ref) - {kind}


def _needs(button: QPushButton, ok: bool, why: str) -> None:
    """Enable a button, or disable it with a tip that says what to do first."""
    button.setEnabled(ok)
    button.setToolTip("" if ok else why)
    button.setStatusTip("" if ok else why)


class ListSection(QWidget):
    """One list of records beside its editor (Actions, Notes, the Messages page...).

    The list follows changes to its own kind by itself (an edit refreshes one row); the
    section ``watches`` the kinds its columns name, so a renamed party is shown renamed."""

    current_changed = Signal()

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
        self.view = SectionView(ctx, list_name, scope_key=scope_key)
        self.kind = self.view.kind
        self.watches = _refs_of(self.kind)
        self.view.list.current_changed.connect(lambda _id: self.current_changed.emit())
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(self.view)

    def current_id(self) -> int | None:
        return self.view.list.current_id()

    # -- Section --------------------------------------------------------------------------

    def set_case(self, case_id: int | None) -> None:
        self.view.set_case(case_id)

    def reload(self) -> None:
        self.view.reload()

    def clear(self) -> None:
        self.view.clear()

    def current(self) -> tuple[str, int] | None:
        return self.view.current()

    def show_record(self, kind: str, record_id: int) -> bool:
        if kind != self.kind:
            return False
        if not self.view.show_record(kind, record_id):
            return False
        self.view.list.view.setFocus()
        return True

    def new_record(self) -> None:
        self.view.new_record()

    def delete_record(self) -> None:
        self.view.delete_record()


@dataclass(frozen=True)
class Page:
    """A page of a section: its key, tab label and icon, how to build it, the kind it lists
    (None: it lists none) and the kinds whose change makes it stale."""

    key: str
    label: str
    icon: str
    factory: Callable[[], QWidget]
    kind: str | None = None
    watches: frozenset[str] = frozenset()


def list_page(ctx: AppContext, key: str, label: str, list_name: str, **kw: Any) -> Page:
    """A page that is one list of records beside its editor."""
    from app.core.services import lists

    kind = lists.LISTS[list_name].kind
    return Page(
        key,
        label,
        kind_of(kind).icon,
        lambda: ListSection(ctx, list_name, **kw),
        kind,
        _refs_of(kind),
    )


class _Holder(QWidget):
    """A page's place in the tabs; builds its section the first time it is needed."""

    def __init__(self, spec: Page) -> None:
        super().__init__()
        self.spec = spec
        self.page: Any = None  # the Section, once built
        QVBoxLayout(self).setContentsMargins(0, 0, 0, 0)


class PagedSection(QWidget):
    """A section whose pages are sections of their own, in one row of tabs.

    Only the page in view loads. Each page says which kinds make it stale; the section
    follows the changes itself, so that an edit of a message does not reload the Messages
    list (which refreshes its one row by itself) although the knowledge pages, which count
    messages, are reloaded. The other pages catch up (case, stale data) when shown."""

    current_changed = Signal()

    def __init__(self, ctx: AppContext, pages: list[Page], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.pages = QTabWidget()
        self.pages.setDocumentMode(True)
        self.pages.setObjectName("pages")
        self.holders: dict[str, _Holder] = {}
        for spec in pages:
            holder = _Holder(spec)
            self.holders[spec.key] = holder
            self.pages.addTab(holder, icon(spec.icon), tr(spec.label))
        self.watches: frozenset[str] = frozenset().union(*(p.watches for p in pages))
        self._case: dict[str, int | None] = {}  # the case each built page shows
        self._stale: set[str] = set()
        self._case_id: int | None = None
        self.pages.currentChanged.connect(lambda _i: self._catch_up())
        ctx.record_changed.connect(self._on_record_changed)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.addWidget(self.pages)

    def page(self, key: str) -> Any:
        """The page's section, built if needed (not shown)."""
        holder = self.holders[key]
        if holder.page is None:
            holder.page = holder.spec.factory()
            layout = holder.layout()
            assert layout is not None
            layout.addWidget(holder.page)
            holder.page.show()  # (a layout shows a new child only once back in the loop)
            if hasattr(holder.page, "current_changed"):
                holder.page.current_changed.connect(self.current_changed)
            self._built(key, holder.page)
        return holder.page

    def _built(self, key: str, page: Any) -> None:
        """A page was just built (a subclass wires it up)."""

    def show_page(self, key: str) -> Any:
        self.pages.setCurrentWidget(self.holders[key])
        self._catch_up()
        return self.page(key)

    def current_key(self) -> str:
        widget = self.pages.currentWidget()
        return next(k for k, h in self.holders.items() if h is widget)

    def current_page(self) -> Any:
        return self.page(self.current_key())

    def _on_record_changed(self, kind: str, _record_id: int) -> None:
        stale = {k for k, h in self.holders.items() if kind in h.spec.watches}
        if stale:
            self._stale |= stale
            self._catch_up()

    def _catch_up(self) -> None:
        if not self.isVisible() or not self.ctx.vault.is_unlocked:
            return
        key = self.current_key()
        page = self.page(key)
        if self._case.get(key, -2) != self._case_id:
            self._case[key] = self._case_id
            self._stale.discard(key)
            page.set_case(self._case_id)
        elif key in self._stale:
            self._stale.discard(key)
            page.reload()
        self.current_changed.emit()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._catch_up()

    # -- Section --------------------------------------------------------------------------

    def set_case(self, case_id: int | None) -> None:
        self._case_id = case_id
        self._catch_up()

    def reload(self) -> None:
        """Reload the pages the changes since the last time made stale (see above)."""
        self._catch_up()

    def clear(self) -> None:
        self._case.clear()
        self._stale.clear()
        self._case_id = None
        for holder in self.holders.values():
            if holder.page is not None:
                holder.page.clear()

    def current(self) -> tuple[str, int] | None:
        result = self.current_page().current()
        return result if isinstance(result, tuple) else None

    def show_record(self, kind: str, record_id: int) -> bool:
        for key, holder in self.holders.items():
            if holder.spec.kind == kind:
                return bool(self.show_page(key).show_record(kind, record_id))
        return False

    def new_record(self) -> None:
        self.current_page().new_record()

    def delete_record(self) -> None:
        self.current_page().delete_record()
