"""Bundled fonts, icons and style sheets (app/gui/resources.py), offscreen."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QStringListModel
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QPalette,
    QRawFont,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from app.gui import resources
from app.gui import style as app_style
from app.gui.style import LiaisonStyle, install

pytestmark = pytest.mark.gui

SCRIPT_SAMPLES = {
    "Noto Sans Georgian": "მხარეები შეთანხმდნენ",
    "Noto Sans Arabic": "اتفق الطرفان",
    "Noto Sans Hebrew": "הצדדים הסכימו",
    "Noto Sans Armenian": "Կողմերը համաձայնեցին",
}
# The icon names the GUI relies on (DESIGN.md's records plus the common actions).
EXPECTED_ICONS = [
    *("case", "party", "person", "message", "delivery", "session", "option", "action"),
    *("note", "timeline", "search", "lock", "unlock", "add", "delete", "edit", "undo"),
    *("redo", "export", "attachment", "tag", "quick-capture", "shield", "overview"),
    *("ledger", "settings", "backup"),
    # Dialog buttons and message boxes, in place of Qt's floppy disk and coloured balls.
    *("check", "close", "information", "warning", "error", "question"),
]


@pytest.fixture
def restore_app(qapp: QApplication) -> Iterator[QApplication]:
    """Put back the application font, palette and style so other tests see no change."""
    font, palette = QFont(qapp.font()), QPalette(qapp.palette())
    styled = isinstance(qapp.style(), LiaisonStyle)
    dark = styled and qapp.style().dark  # type: ignore[attr-defined]
    yield qapp
    qapp.setPalette(palette)
    qapp.setFont(font)
    if styled and (not isinstance(qapp.style(), LiaisonStyle) or qapp.style().dark != dark):  # type: ignore[attr-defined]
        install(qapp, dark)


def test_register_fonts_registers_every_family(qapp: QApplication) -> None:
    families = resources.register_fonts()
    assert set(families) == {resources.UI_FAMILY, *resources.SCRIPT_FAMILIES}
    installed = set(QFontDatabase.families())
    assert set(families) <= installed
    # Idempotent: a second call adds nothing and answers the same.
    assert resources.register_fonts() == families
    assert resources.default_font_families()[0] == resources.UI_FAMILY


def test_ui_font_has_bold_and_italic_styles(qapp: QApplication) -> None:
    resources.register_fonts()
    styles = set(QFontDatabase.styles(resources.UI_FAMILY))
    assert {"Regular", "Bold", "Italic", "Bold Italic"} <= styles


@pytest.mark.parametrize(
    ("family", "char"),
    [
        ("Noto Sans", "Ж"),
        ("Noto Sans", "Ω"),
        ("Noto Sans Georgian", "ა"),
        ("Noto Sans Arabic", "ا"),
        ("Noto Sans Hebrew", "א"),
        ("Noto Sans Armenian", "Ա"),
    ],
)
def test_bundled_font_has_glyph(qapp: QApplication, family: str, char: str) -> None:
    resources.register_fonts()
    raw = QRawFont.fromFont(QFont(family))
    assert raw.isValid()
    assert raw.familyName() == family
    # The int (UCS-4) overload: PySide6 maps a str to the QChar overload, which answers False.
    assert raw.supportsCharacter(ord(char))


def test_apply_fonts_sets_noto_sans_at_system_size(restore_app: QApplication) -> None:
    size_before = restore_app.font().pointSizeF()
    resources.apply_fonts(restore_app)
    font = restore_app.font()
    assert font.families() == resources.default_font_families()
    assert font.family() == resources.UI_FAMILY
    assert font.pointSizeF() == size_before
    # Qt keeps substitution names in lower case.
    substitutes = {f.lower() for f in QFont.substitutes(resources.UI_FAMILY)}
    assert {f.lower() for f in resources.SCRIPT_FAMILIES} <= substitutes


@pytest.mark.parametrize(("family", "text"), SCRIPT_SAMPLES.items())
def test_label_text_falls_back_to_the_bundled_script_font(
    restore_app: QApplication, qtbot: QtBot, family: str, text: str
) -> None:
    resources.apply_fonts(restore_app)
    label = QLabel(text)
    qtbot.addWidget(label)
    label.show()
    assert not label.grab().isNull()
    # Lay the text out in the label's font and look at the fonts Qt really drew it with.
    layout = QTextLayout(text, label.font())
    layout.beginLayout()
    layout.createLine()
    layout.endLayout()
    runs = layout.glyphRuns()
    used = {run.rawFont().familyName() for run in runs}
    assert family in used
    # No glyph index 0 (".notdef", the empty box) anywhere in the text.
    assert all(0 not in run.glyphIndexes() for run in runs)


@pytest.mark.parametrize("name", EXPECTED_ICONS)
def test_icon_loads(qapp: QApplication, name: str) -> None:
    icon = resources.icon(name)
    assert not icon.isNull()
    image = icon.pixmap(24, 24).toImage()
    assert not image.isNull()
    # Something is drawn: at least one pixel is not fully transparent.
    assert any(image.pixelColor(x, y).alpha() > 0 for x in range(image.width()) for y in range(24))
    assert resources.icon(name) is icon  # cached


def test_icon_names_match_the_files(qapp: QApplication) -> None:
    assert set(resources.ICON_NAMES) == set(EXPECTED_ICONS)
    files = {p.stem for p in resources.ICONS_DIR.glob("*.svg")}
    assert files == {*EXPECTED_ICONS, "liaison"}


@pytest.mark.parametrize("name", ["no-such-icon", "", "../fonts/OFL", "hicolor/x"])
def test_unknown_icon_is_empty(qapp: QApplication, name: str) -> None:
    assert resources.icon(name).isNull()


def test_app_icon_has_every_size(qapp: QApplication) -> None:
    icon = resources.app_icon()
    assert not icon.isNull()
    sizes = {s.width() for s in icon.availableSizes()}
    assert sizes == set(resources.APP_ICON_SIZES)


def _palette(window: str, text: str) -> QPalette:
    palette = QPalette(QColor(window), QColor(window))
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        palette.setColor(role, QColor(text))
    return palette


def _styled_form(qtbot: QtBot) -> QWidget:
    """A few widgets of every kind the sheets style, shown so that Qt parses the sheet."""
    form = QWidget()
    qtbot.addWidget(form)
    layout = QVBoxLayout(form)
    sidebar = QListView(form)
    sidebar.setObjectName("sidebar")
    sidebar.setModel(QStringListModel(["Overview", "Parties"], sidebar))
    combo = QComboBox(form)
    combo.addItems(["shareable", "confidential"])
    for widget in (
        QLineEdit("ქართული", form),
        combo,
        QSpinBox(form),
        QPushButton(resources.icon("export"), "Export", form),
        QTableView(form),
        sidebar,
    ):
        layout.addWidget(widget)
    form.show()
    qtbot.waitExposed(form)
    return form


# The offscreen platform warns about size hints for any shown top-level window with a layout;
# that message says nothing about the style sheets, so it alone is let through.
@pytest.mark.qt_log_ignore(r"This plugin does not support propagateSizeHints\(\)")
@pytest.mark.parametrize(
    ("window", "text", "variant"),
    [("#f3f3f3", "#202124", "light"), ("#202124", "#e8eaed", "dark")],
)
def test_apply_style_matches_the_palette(
    restore_app: QApplication, qtbot: QtBot, window: str, text: str, variant: str
) -> None:
    palette = _palette(window, text)
    assert resources.is_dark(palette) is (variant == "dark")
    restore_app.setPalette(palette)
    assert app_style.apply_style(restore_app) == variant
    # A proxy style, not a style sheet (which slows every widget's polish).
    assert not restore_app.styleSheet()
    style = restore_app.style()
    assert isinstance(style, LiaisonStyle)
    assert style.dark is (variant == "dark")
    form = _styled_form(qtbot)
    # Any Qt warning fails the test through qt_log_level_fail; the grab makes Qt draw every
    # styled part once.
    assert not form.grab().isNull()


def test_dark_palette_gets_light_icons(restore_app: QApplication) -> None:
    restore_app.setPalette(_palette("#202124", "#e8eaed"))
    image = resources.icon("add").pixmap(24, 24).toImage()
    centre = image.pixelColor(12, 12)
    assert centre.alpha() > 0
    assert centre.lightnessF() > 0.6  # the light grey stroke, not the mid grey
