"""Preferences that belong to this computer (window behaviour), kept in QSettings."""

from __future__ import annotations

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QWidget

from app.gui.labels import tr

IDLE_MINUTES_KEY = "preferences/idle_lock_minutes"
DEFAULT_IDLE_MINUTES = 10


def idle_minutes(settings: QSettings) -> int:
    """The idle time before locking, as stored (a number, or its text in an INI file)."""
    value = settings.value(IDLE_MINUTES_KEY, DEFAULT_IDLE_MINUTES)
    try:
        minutes = int(value) if isinstance(value, int | str) else DEFAULT_IDLE_MINUTES
    except ValueError:
        minutes = DEFAULT_IDLE_MINUTES
    return minutes if minutes > 0 else DEFAULT_IDLE_MINUTES


class PreferencesDialog(QDialog):
    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.settings = settings
        self.setWindowTitle(tr("Preferences"))
        self.idle = QSpinBox()
        self.idle.setObjectName("idle_minutes")
        self.idle.setRange(1, 240)
        self.idle.setSuffix(tr(" minutes"))
        self.idle.setValue(idle_minutes(settings))
        form = QFormLayout(self)
        form.addRow(tr("Lock after being idle for"), self.idle)
        note = QLabel(
            tr("Locking closes the vault and hides everything until the passphrase is typed again.")
        )
        note.setWordWrap(True)
        form.addRow(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def idle_minutes(self) -> int:
        return int(self.idle.value())

    def accept(self) -> None:
        self.settings.setValue(IDLE_MINUTES_KEY, self.idle_minutes())
        super().accept()
