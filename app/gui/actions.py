"""Every user action in one registry, keyed by an enum, with its shortcut and menu text.

Menus, toolbars and tests all reach an action through ``ActionRegistry[ActionId.X]``; the
window connects the triggers. Shortcuts are spelled out (the same keys on every platform, as
docs/guide.md lists them; Qt maps Ctrl to Cmd on macOS).
"""

from __future__ import annotations

from enum import Enum, auto

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from app.gui.labels import tr
from app.gui.resources import icon

SK = QKeySequence.StandardKey


class ActionId(Enum):
    NEW_VAULT = auto()
    OPEN_VAULT = auto()
    LOCK = auto()
    BACKUP = auto()
    EXPORT = auto()
    QUIT = auto()
    UNDO = auto()
    REDO = auto()
    COPY_TEXT = auto()
    NEW_CASE = auto()
    DELETE_CASE = auto()
    NEW_RECORD = auto()
    DELETE_RECORD = auto()
    SEARCH = auto()
    QUICK_CAPTURE = auto()
    UPCOMING_ACTIONS = auto()
    PREFERENCES = auto()
    CHECK_VAULT = auto()
    CHANGE_PASSPHRASE = auto()
    GUIDE = auto()
    SECURITY = auto()
    ABOUT = auto()


# (text, shortcut, icon name)
_SPECS: dict[ActionId, tuple[str, QKeySequence.StandardKey | str | None, str]] = {
    ActionId.NEW_VAULT: ("&New vault…", None, "add"),
    ActionId.OPEN_VAULT: ("&Open vault…", "Ctrl+O", ""),
    ActionId.LOCK: ("&Lock", "Ctrl+L", "lock"),
    ActionId.BACKUP: ("&Back up now…", None, "backup"),
    ActionId.EXPORT: ("&Export…", "Ctrl+E", "export"),
    ActionId.QUIT: ("&Quit", "Ctrl+Q", ""),
    ActionId.UNDO: ("&Undo", "Ctrl+Z", "undo"),
    ActionId.REDO: ("&Redo", "Ctrl+Shift+Z", "redo"),  # and Ctrl+Y: see redo_shortcuts()
    ActionId.COPY_TEXT: ("&Copy text (cleared after 30 s)", "Ctrl+Shift+C", ""),
    ActionId.NEW_CASE: ("New &case…", None, "case"),
    ActionId.DELETE_CASE: ("Delete this case…", None, "delete"),
    ActionId.NEW_RECORD: ("&New item", "Ctrl+N", "add"),
    ActionId.DELETE_RECORD: ("&Delete item…", "Ctrl+Delete", "delete"),
    ActionId.SEARCH: ("&Search everywhere…", "Ctrl+K", "search"),
    ActionId.QUICK_CAPTURE: ("&Quick capture of a message…", "Ctrl+Shift+M", "quick-capture"),
    ActionId.UPCOMING_ACTIONS: ("&Upcoming actions, all cases…", "Ctrl+Shift+U", "action"),
    ActionId.PREFERENCES: ("&Preferences…", "Ctrl+,", "settings"),
    ActionId.CHECK_VAULT: ("Check the vault's &integrity", None, "shield"),
    ActionId.CHANGE_PASSPHRASE: ("Change &passphrase…", None, "lock"),
    ActionId.GUIDE: ("&Guide", "F1", ""),
    ActionId.SECURITY: ("What Liaison &protects", None, "shield"),
    ActionId.ABOUT: ("&About Liaison", None, ""),
}


def redo_shortcuts() -> list[QKeySequence]:
    """Both habits, on every platform: Ctrl+Shift+Z (Qt's Redo on Linux) and Ctrl+Y (its
    Redo on Windows)."""
    return [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]


class ActionRegistry(dict[ActionId, QAction]):
    def __init__(self, parent: QObject) -> None:
        super().__init__()
        for aid, (text, shortcut, icon_name) in _SPECS.items():
            action = QAction(tr(text), parent)
            action.setObjectName(aid.name.lower())
            if isinstance(shortcut, QKeySequence.StandardKey):
                seq = QKeySequence(shortcut)
                if not seq.isEmpty():
                    action.setShortcut(seq)
            elif shortcut:
                action.setShortcut(QKeySequence(shortcut))
            if icon_name:
                action.setIcon(icon(icon_name))
            self[aid] = action
