"""The window's navigation: every section in one list under the cases (it fits at 1024×700,
no tab bar hides anything behind scroll arrows), at most one row of pages inside a section,
Ctrl+1… in order, and a guide that lists exactly the real shortcuts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QTabBar, QTabWidget, QToolButton, QWidget

from app.gui.main_window import MainWindow

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide.md"
DIGIT_KEYS = [getattr(Qt.Key, f"Key_{n % 10}") for n in range(1, 11)]  # 1 … 9, then 0


def press(qtbot: Any, window: MainWindow, key: Qt.Key, mods: Qt.KeyboardModifier) -> None:
    """A key pressed in the window, as a user types into it (so it is the active one)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=3000)
    qtbot.keyClick(window, key, mods)


def _visible_tab_bars(widget: QWidget) -> list[QTabBar]:
    return [b for b in widget.findChildren(QTabBar) if b.isVisible()]


def test_every_section_fits_at_1024_without_scroll_arrows(
    qtbot: Any, window: MainWindow, demo_case: int
) -> None:
    window.load()
    window.resize(1024, 700)
    qtbot.waitUntil(lambda: window.width() == 1024)
    nav = window.nav
    labels = [nav.item(r).text() for r in range(nav.count())]
    assert labels == [
        "Overview",
        "Parties & People",
        "Shuttle Log",
        "Sessions",
        "Options",
        "Texts",
        "Commitments",
        "Actions",
        "Notes",
        "Timeline",
    ]
    for row in range(nav.count()):  # every section can be seen and clicked, none scrolled
        rect = nav.visualRect(nav.model().index(row, 0))
        assert nav.viewport().rect().contains(rect), labels[row]
    for key in window.holders:
        section: Any = window.open_section(key)
        pages = getattr(section, "pages", None)
        for j in range(pages.count() if isinstance(pages, QTabWidget) else 1):
            if isinstance(pages, QTabWidget):
                pages.setCurrentIndex(j)
            for bar in _visible_tab_bars(window):
                arrows = [b for b in bar.findChildren(QToolButton) if b.isVisible()]
                assert not arrows, f"{key}: tabs {bar.tabText(0)}… behind scroll arrows"


def test_at_most_two_levels_of_navigation(qtbot: Any, window: MainWindow, demo_case: int) -> None:
    """The list of sections, then one row of pages: Who knows what is a page of the Shuttle
    Log, not a tab within a tab within a tab."""
    window.load()
    shuttle: Any = window.open_section("shuttle")
    shuttle.show_page("knows")
    bars = _visible_tab_bars(window.sections)
    assert len(bars) == 1
    assert [bars[0].tabText(i) for i in range(bars[0].count())].count("Who knows what") == 1


def test_ctrl_digits_select_the_sections_in_order(
    qtbot: Any, window: MainWindow, demo_case: int
) -> None:
    window.load()
    keys = list(window.holders)
    for i in reversed(range(len(keys))):
        press(qtbot, window, DIGIT_KEYS[i], Qt.KeyboardModifier.ControlModifier)
        assert window.section_key() == keys[i]
        assert window.nav.currentRow() == i


def _guide_shortcuts() -> dict[str, str]:
    """The guide's table of shortcuts: | `keys` | what they do |."""
    rows = re.findall(r"^\|\s*`([^`]+)`\s*\|\s*([^|]+?)\s*\|\s*$", GUIDE.read_text("utf-8"), re.M)
    return {keys: what for keys, what in rows}


def test_the_guide_lists_exactly_the_real_shortcuts(qtbot: Any, window: MainWindow) -> None:
    listed = _guide_shortcuts()
    digits = {k: v for k, v in listed.items() if re.fullmatch(r"Ctrl\+\d", k)}
    sections = [window.nav.item(r).text() for r in range(window.nav.count())]
    # Each Ctrl+digit goes to the section the guide names, and each section has its digit.
    assert digits == {f"Ctrl+{(i + 1) % 10}": label for i, label in enumerate(sections)}
    # Every other key the guide lists is an action's, and every action's key is listed.
    real = {
        QKeySequence(seq).toString(QKeySequence.SequenceFormat.PortableText)
        for action in window.actions_.values()
        for seq in action.shortcuts()
    }
    others = {k for k in listed if k not in digits}
    assert others == real
