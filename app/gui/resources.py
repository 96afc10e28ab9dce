"""Bundled fonts and icons from the repository's `resources/` folder (the style is in
app.gui.style).

Nothing happens at import time: the application calls `apply_fonts(app)` and
`app.gui.style.apply_style(app)` once its QApplication exists; widgets ask `icon(name)`.

The fonts are bundled so that case text in Armenian, Georgian, Hebrew and Arabic (as well as
Latin, Cyrillic and Greek) renders on machines that have no system font for those scripts.
Icons come from the desktop's freedesktop icon theme where it has the standard name
(``THEME_NAMES``), else from the bundled line icons, which are always there.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QByteArray, QSize, Qt
from PySide6.QtGui import (
    QFont,
    QFontDatabase,
    QGuiApplication,
    QIcon,
    QPainter,
    QPalette,
    QPixmap,
)
from PySide6.QtSvg import QSvgRenderer

from app.core.paths import resources_dir

RESOURCES_DIR: Path = resources_dir()
FONTS_DIR: Path = RESOURCES_DIR / "fonts"
ICONS_DIR: Path = RESOURCES_DIR / "icons"

# The UI family covers Latin, Cyrillic and Greek; the script families fill in the rest.
UI_FAMILY = "Noto Sans"
SCRIPT_FAMILIES: tuple[str, ...] = (
    "Noto Sans Arabic",
    "Noto Sans Hebrew",
    "Noto Sans Georgian",
    "Noto Sans Armenian",
)

# Every action icon in resources/icons (the app icon, liaison.svg, is separate).
ICON_NAMES: tuple[str, ...] = (
    "case",
    "party",
    "person",
    "message",
    "delivery",
    "session",
    "option",
    "action",
    "note",
    "timeline",
    "search",
    "lock",
    "unlock",
    "add",
    "delete",
    "edit",
    "undo",
    "redo",
    "export",
    "attachment",
    "tag",
    "quick-capture",
    "shield",
    "overview",
    "ledger",
    "settings",
    "backup",
    # Dialog buttons and message boxes (in place of Qt's floppy disk and coloured balls).
    "check",
    "close",
    "information",
    "warning",
    "error",
    "question",
)
# Our name -> the freedesktop Icon Naming Specification's, looked up in the desktop's icon
# theme first. Names with no standard counterpart (the record kinds) are always bundled.
THEME_NAMES: dict[str, str] = {
    "add": "list-add",
    "delete": "edit-delete",
    "undo": "edit-undo",
    "redo": "edit-redo",
    "lock": "system-lock-screen",
    "search": "system-search",
    "export": "document-save-as",
    "settings": "preferences-system",
    "close": "window-close",
    "information": "dialog-information",
    "warning": "dialog-warning",
    "error": "dialog-error",
    "question": "dialog-question",
}
APP_ICON_SIZES: tuple[int, ...] = (16, 32, 48, 64, 128, 256, 512)

# The SVGs are drawn in a mid grey; on a dark palette it is swapped for a light grey so the
# strokes keep their contrast.
ICON_COLOR = "#5f6368"
DARK_ICON_COLOR = "#c4c7c5"
# Pixmap sizes rendered for a recoloured icon; QIcon scales from the nearest one.
_TINTED_SIZES: tuple[int, ...] = (16, 20, 24, 32, 48, 64, 96, 128)

# font file -> (font id, families); lets register_fonts() skip files already registered.
_font_ids: dict[Path, tuple[int, list[str]]] = {}
# (icon name, stroke colour, icon theme) -> icon; colour and theme are part of the key so a
# palette or theme change is picked up by the next icon() call.
_icon_cache: dict[tuple[str, str, str], QIcon] = {}


def _require_gui_app() -> None:
    # QFontDatabase and QPixmap need a QGuiApplication; fail with a clear message instead of
    # Qt's warning and a silently empty result.
    if QGuiApplication.instance() is None:
        raise RuntimeError("create the QApplication before loading Liaison's resources")


def register_fonts() -> list[str]:
    """Register every bundled .ttf with Qt; return the font families, without duplicates.

    Idempotent: a file already registered (in this QApplication) is not added again.
    """
    _require_gui_app()
    families: list[str] = []
    for path in sorted(FONTS_DIR.glob("*.ttf")):
        known = _font_ids.get(path)
        # Font ids belong to one QApplication: if it was recreated, its fonts are gone and
        # applicationFontFamilies() is empty, so register the file again.
        if known is None or not QFontDatabase.applicationFontFamilies(known[0]):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                continue  # unreadable file: skip it, the system fonts still work
            known = (font_id, list(QFontDatabase.applicationFontFamilies(font_id)))
            _font_ids[path] = known
        families.extend(f for f in known[1] if f not in families)
    return families


def default_font_families() -> list[str]:
    """The UI font fallback chain: Noto Sans first, then one family per extra script."""
    return [UI_FAMILY, *SCRIPT_FAMILIES]


def apply_fonts(app: QGuiApplication) -> None:
    """Make Noto Sans the application font (at the system size) with the script fonts as
    fallbacks, so every supported script renders even with no system fonts for it."""
    registered = set(register_fonts())
    if UI_FAMILY not in registered:
        return  # bundled fonts missing: keep the system font rather than a missing family
    chain = [f for f in default_font_families() if f in registered]
    system_font = app.font()
    system_family = system_font.family()
    # Widgets that set a family of their own still reach the script fonts via substitution.
    QFont.insertSubstitutions(UI_FAMILY, chain[1:])
    if system_family and system_family != UI_FAMILY:
        QFont.insertSubstitutions(system_family, chain)
    font = QFont(system_font)  # a copy keeps the user's point (or pixel) size
    font.setFamilies(chain)
    app.setFont(font)


def _icon_colour() -> str:
    app = QGuiApplication.instance()
    if isinstance(app, QGuiApplication) and is_dark(app.palette()):
        return DARK_ICON_COLOR
    return ICON_COLOR


def _tinted_icon(path: Path, colour: str) -> QIcon:
    # Qt's SVG icon engine cannot recolour, so render the edited SVG to pixmaps instead.
    data = path.read_text(encoding="utf-8").replace(ICON_COLOR, colour)
    renderer = QSvgRenderer(QByteArray(data.encode("utf-8")))
    result = QIcon()
    if not renderer.isValid():
        return result
    for size in _TINTED_SIZES:
        pixmap = QPixmap(size, size)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        result.addPixmap(pixmap)
    return result


def bundled_icon(name: str) -> QIcon:
    """The icon resources/icons/<name>.svg (tinted for a dark palette), cached; an empty
    QIcon for an unknown name."""
    _require_gui_app()
    colour = _icon_colour()
    key = (name, colour, "")
    cached = _icon_cache.get(key)
    if cached is not None:
        return cached
    path = ICONS_DIR / f"{name}.svg"
    # Only plain names inside the icons folder: "../x" or "a/b" is an unknown icon.
    if path.parent != ICONS_DIR or not path.is_file():
        return QIcon()
    result = QIcon(str(path)) if colour == ICON_COLOR else _tinted_icon(path, colour)
    _icon_cache[key] = result
    return result


def icon(name: str) -> QIcon:
    """The desktop theme's icon for ``name`` where it has one (THEME_NAMES), else the bundled
    one; cached. An empty QIcon for a name with no bundled icon."""
    _require_gui_app()
    fallback = bundled_icon(name)
    standard = THEME_NAMES.get(name)
    theme = QIcon.themeName()
    if fallback.isNull() or standard is None or not theme or theme == "hicolor":
        return fallback  # (hicolor, the bare fallback theme, has no action icons)
    key = (name, _icon_colour(), theme)
    cached = _icon_cache.get(key)
    if cached is None:
        cached = QIcon.fromTheme(standard, fallback) if QIcon.hasThemeIcon(standard) else fallback
        _icon_cache[key] = cached
    return cached


def app_icon() -> QIcon:
    """The application icon, from the pre-rendered PNGs (window managers want bitmaps)."""
    _require_gui_app()
    result = QIcon()
    for size in APP_ICON_SIZES:
        png = ICONS_DIR / "hicolor" / f"{size}x{size}" / "apps" / "liaison.png"
        if png.is_file():
            result.addFile(str(png), QSize(size, size))
    if result.isNull():
        result = QIcon(str(ICONS_DIR / "liaison.svg"))
    return result


def is_dark(palette: QPalette) -> bool:
    """Whether the palette is a dark one, judged by its window colour."""
    return palette.color(QPalette.ColorRole.Window).lightnessF() < 0.5
