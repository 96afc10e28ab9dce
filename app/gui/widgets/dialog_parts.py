"""Pieces every dialog has: the red line that says what went wrong, and Save / Cancel."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialogButtonBox, QLabel

ERROR_RED = "#c62828"


def error_label(name: str | None = None, *, wrap: bool = False) -> QLabel:
    """An empty label that shows a refusal or a warning in red once it is given text."""
    label = QLabel()
    if name:
        label.setObjectName(name)
    label.setWordWrap(wrap)
    label.setStyleSheet(f"color: {ERROR_RED};")
    return label


def save_cancel(on_save: Callable[[], object], on_cancel: Callable[[], object]) -> QDialogButtonBox:
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(on_save)
    buttons.rejected.connect(on_cancel)
    return buttons
