"""Liaison's look as a QProxyStyle (app.gui.style), in place of an application style sheet:
checkable buttons plainly on or off, a subtle selection that keeps the text's colour, a
focus ring, and painting that does not wear Python's None out (PySide6 6.12 on Python 3.11)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QStringListModel
from PySide6.QtGui import QImage, QPalette
from PySide6.QtWidgets import (
    QApplication,
    QLineEdit,
    QPushButton,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from app.gui import style
from app.gui.style import LiaisonStyle

pytestmark = pytest.mark.gui


@pytest.fixture
def styled(qapp: QApplication) -> Iterator[QApplication]:
    palette = QPalette(qapp.palette())
    style.apply_style(qapp)
    yield qapp
    qapp.setPalette(palette)


def _image(widget: QWidget) -> QImage:
    return widget.grab().toImage().convertToFormat(QImage.Format.Format_ARGB32)


def _share_different(a: QImage, b: QImage) -> float:
    assert a.size() == b.size()
    w, h = a.width(), a.height()
    differ = sum(a.pixel(x, y) != b.pixel(x, y) for y in range(h) for x in range(w))
    return differ / (w * h)


@pytest.mark.parametrize("cls", [QPushButton, QToolButton])
def test_checkable_buttons_look_clearly_different_on_and_off(
    styled: QApplication, qtbot: Any, cls: type[QPushButton] | type[QToolButton]
) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    button = cls()
    button.setText("3 interest")
    button.setCheckable(True)
    button.setObjectName("live_kind_interest")
    layout.addWidget(button)
    holder.show()
    qtbot.waitExposed(holder)
    off = _image(button)
    button.setChecked(True)
    on = _image(button)
    # Not a thin outline: the checked button's whole face changes (a highlighted fill).
    assert _share_different(off, on) > 0.5


def test_the_application_has_the_proxy_style_and_no_style_sheet(styled: QApplication) -> None:
    assert isinstance(styled.style(), LiaisonStyle)
    assert styled.styleSheet() == ""


def test_selection_keeps_the_text_colour(styled: QApplication) -> None:
    palette = styled.palette()
    for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
        assert palette.color(group, QPalette.ColorRole.HighlightedText) == palette.color(
            group, QPalette.ColorRole.Text
        )
    # A tint, not the strong accent: the text colour stays readable on it.
    highlight = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Highlight)
    text = palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.Text)
    assert abs(highlight.lightnessF() - text.lightnessF()) > 0.5


def test_a_focused_line_edit_shows_a_focus_ring(styled: QApplication, qtbot: Any) -> None:
    holder = QWidget()
    qtbot.addWidget(holder)
    layout = QVBoxLayout(holder)
    edit, other = QLineEdit(), QLineEdit()
    layout.addWidget(edit)
    layout.addWidget(other)
    holder.show()
    qtbot.waitExposed(holder)
    other.setFocus()
    qtbot.waitUntil(other.hasFocus)
    before = _image(edit)
    holder.activateWindow()
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus)
    assert _share_different(before, _image(edit)) > 0.02


@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
def test_painting_many_times_does_not_wear_none_out(styled: QApplication, qtbot: Any) -> None:
    """PySide6 6.12.0 returned None from void methods and passed null pointers as None
    without a reference; the style calls thousands of them a second, so Python 3.11
    aborted here ("none_dealloc"). pyproject.toml keeps PySide6 below 6.12."""
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(QStringListModel([f"row {i}" for i in range(30)], view))
    view.resize(300, 400)
    view.show()
    qtbot.waitExposed(view)
    for _ in range(400):
        view.grab()
    assert sys.getrefcount(None) > 1000
