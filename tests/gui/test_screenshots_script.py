"""The screenshot script (app.gui.screenshots) finds its way through the real window by its
public API and by labels, and says what it could not find instead of drawing a wrong
picture."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QLabel, QTabWidget, QWidget

from app.gui import screenshots
from app.gui.main_window import MainWindow
from app.gui.screenshots import ScreenshotError, Shooter

pytestmark = pytest.mark.gui


def test_sizes_and_folders() -> None:
    assert screenshots.SIZES == ((1280, 800), (1024, 700))
    out = Path("docs/screenshots")
    assert screenshots.size_folder(out, (1280, 800)) == out  # the README's set
    assert screenshots.size_folder(out, (1024, 700)) == out / "1024x700"


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_every_window_screen_renders_on_the_demo(
    qtbot: Any, window: MainWindow, demo_case: int, tmp_path: Path, styled_app: QApplication
) -> None:
    window.load()
    window.resize(1024, 700)
    shooter = Shooter(styled_app, tmp_path)
    screenshots.render_window_screens(shooter, window)
    names = {p.name for p in shooter.written}
    assert {
        "02-overview.png",
        "03-shuttle-log.png",
        "04-parties.png",
        "05-session.png",
        "06-options.png",
        "07-timeline.png",
        "12-who-knows-what.png",
        "13-pending-deliveries.png",
        "14-options-matrix.png",
        "20-texts.png",
        "21-texts-critique.png",
        "22-texts-compare.png",
        "23-commitments.png",
        "24-handovers.png",
        "25-party-record.png",
    } == names
    for path in shooter.written:
        image = QImage(str(path))
        assert (image.width(), image.height()) == (1024, 700), path.name
    # Different screens, not the same picture nine times.
    assert len({p.read_bytes() for p in shooter.written}) == len(shooter.written)


def test_what_cannot_be_found_is_named(qtbot: Any, window: MainWindow) -> None:
    with pytest.raises(ScreenshotError, match="no section no-such-section"):
        screenshots.open_section(window, "no-such-section")
    with pytest.raises(ScreenshotError, match="no tab labelled 'Nowhere'"):
        screenshots.open_tab(window, "Nowhere")
    with pytest.raises(ScreenshotError, match="no visible QLabel 'nothing-here'"):
        screenshots.find_widget(window, QLabel, "nothing-here")
    with pytest.raises(ScreenshotError, match=r"no NoSuchDialog in app\.gui\.dialogs\.search"):
        screenshots.load_class("NoSuchDialog", "app.gui.dialogs.search")


def test_open_tab_reveals_nested_tabs(qtbot: Any) -> None:
    outer = QTabWidget()
    qtbot.addWidget(outer)
    outer.addTab(QLabel("first"), "First")
    inner = QTabWidget()
    inner.addTab(QLabel("a"), "A")
    target = QLabel("deep")
    inner.addTab(target, "Who &knows what")
    holder = QWidget()
    outer.addTab(inner, "Second")
    outer.addTab(holder, "Third")
    outer.show()
    qtbot.waitExposed(outer)
    screenshots.open_tab(outer, "Who knows what")
    assert outer.currentWidget() is inner
    assert inner.currentWidget() is target
