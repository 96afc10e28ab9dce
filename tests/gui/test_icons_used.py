"""Every icon the GUI asks for exists, the desktop's freedesktop icon theme is used where it
has the standard name, and Qt's own dialog pixmaps (a floppy disk for Save, coloured balls
for OK / Apply / Cancel) are replaced by the bundled line icons."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QIcon, QImage
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QStyle

from app.gui import actions, resources
from app.gui.kinds import KINDS
from app.gui.style import install

pytestmark = pytest.mark.gui

GUI = Path(__file__).resolve().parents[2] / "app" / "gui"
# icon("name"), and helpers that take an icon name first: _tool("add", ...), _button("x", ...)
_CALLS = re.compile(r"""\b(?:icon|_tool|_button|tool_button)\(\s*["']([a-z][a-z0-9-]*)["']""")


def icon_names_used() -> set[str]:
    names = {kind.icon for kind in KINDS.values()}
    specs = getattr(actions, "_SPECS", None)
    assert isinstance(specs, dict), "app.gui.actions no longer has _SPECS: update this test"
    names |= {spec[-1] for spec in specs.values() if isinstance(spec[-1], str) and spec[-1]}
    for path in GUI.rglob("*.py"):
        names |= set(_CALLS.findall(path.read_text(encoding="utf-8")))
    return names


def test_the_scan_finds_the_icons_in_use() -> None:
    used = icon_names_used()
    assert {"undo", "redo", "lock", "add", "delete", "message", "session"} <= used


@pytest.mark.parametrize("name", sorted(icon_names_used()))
def test_every_icon_the_gui_uses_resolves(qapp: QApplication, name: str) -> None:
    icon = resources.icon(name)
    assert not icon.isNull(), f"icon {name!r} is used in app/gui but resolves to nothing"
    assert not icon.pixmap(24, 24).isNull()


def _theme(tmp_path: Path, name: str, icons: dict[str, str]) -> Path:
    root = tmp_path / "icons"
    folder = root / name / "scalable" / "actions"
    folder.mkdir(parents=True)
    (root / name / "index.theme").write_text(
        f"[Icon Theme]\nName={name}\nDirectories=scalable/actions\n\n"
        "[scalable/actions]\nSize=24\nMinSize=8\nMaxSize=512\nType=Scalable\n",
        encoding="utf-8",
    )
    for icon_name, colour in icons.items():
        (folder / f"{icon_name}.svg").write_text(
            '<svg xmlns="http://www.w3.org/2000/svg" width="24" height="24">'
            f'<rect width="24" height="24" fill="{colour}"/></svg>',
            encoding="utf-8",
        )
    return root


@pytest.fixture
def icon_theme(qapp: QApplication, tmp_path: Path) -> Iterator[str]:
    paths, name, fallback = QIcon.themeSearchPaths(), QIcon.themeName(), QIcon.fallbackThemeName()
    theme = f"liaison-test-{tmp_path.name}"
    QIcon.setThemeSearchPaths([str(_theme(tmp_path, theme, {"edit-undo": "#ff0000"}))])
    QIcon.setThemeName(theme)
    yield theme
    QIcon.setThemeSearchPaths(paths)
    QIcon.setThemeName(name)
    QIcon.setFallbackThemeName(fallback)


def _centre(icon: QIcon) -> QColor:
    return icon.pixmap(24, 24).toImage().pixelColor(12, 12)


def test_the_desktop_theme_is_used_where_it_has_the_icon(icon_theme: str) -> None:
    undo = resources.icon("undo")  # edit-undo is in the theme: a red square
    assert _centre(undo).name() == "#ff0000"
    redo = resources.icon("redo")  # edit-redo is not: the bundled line icon
    assert redo.cacheKey() == resources.bundled_icon("redo").cacheKey()
    case = resources.icon("case")  # no standard name: always bundled
    assert case.cacheKey() == resources.bundled_icon("case").cacheKey()


def test_no_theme_means_the_bundled_icons(qapp: QApplication) -> None:
    name = QIcon.themeName()
    QIcon.setThemeName("hicolor")  # the bare fallback theme has no action icons
    try:
        assert resources.icon("undo").cacheKey() == resources.bundled_icon("undo").cacheKey()
    finally:
        QIcon.setThemeName(name)


def _image(icon: QIcon) -> QImage:
    return icon.pixmap(32, 32).toImage().convertToFormat(QImage.Format.Format_ARGB32)


@pytest.mark.parametrize(
    ("pixmap", "bundled"),
    [
        (QStyle.StandardPixmap.SP_DialogSaveButton, "export"),  # was a floppy disk
        (QStyle.StandardPixmap.SP_DialogApplyButton, "check"),  # was a green ball
        (QStyle.StandardPixmap.SP_DialogOkButton, "check"),
        (QStyle.StandardPixmap.SP_DialogCancelButton, "close"),
        (QStyle.StandardPixmap.SP_MessageBoxWarning, "warning"),
        (QStyle.StandardPixmap.SP_MessageBoxQuestion, "question"),
    ],
)
def test_qt_dialog_pixmaps_are_the_bundled_line_icons(
    qapp: QApplication, pixmap: QStyle.StandardPixmap, bundled: str
) -> None:
    install(qapp, False)
    standard = qapp.style().standardIcon(pixmap)
    assert _image(standard) == _image(resources.icon(bundled))


def test_dialog_buttons_have_no_icons(qapp: QApplication) -> None:
    install(qapp, False)
    hint = QStyle.StyleHint.SH_DialogButtonBox_ButtonsHaveIcons
    assert qapp.style().styleHint(hint) == 0
    box = QDialogButtonBox(QDialogButtonBox.StandardButton.Save)
    button = box.button(QDialogButtonBox.StandardButton.Save)
    assert button is not None and button.icon().isNull()
    box.deleteLater()
