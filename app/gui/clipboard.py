"""Copying confidential text: marked so clipboard managers keep no history, cleared after
30 seconds if it is still what Liaison put there."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, QObject, QTimer
from PySide6.QtGui import QGuiApplication

CLEAR_AFTER_MS = 30_000

# KDE/Klipper, Windows clipboard history and cloud clipboard, macOS (nspasteboard.org).
_SECRET_MARKERS = {
    "x-kde-passwordManagerHint": b"secret",
    "ExcludeClipboardContentFromMonitorProcessing": b"\x01\x00\x00\x00",
    "CanIncludeInClipboardHistory": b"\x00\x00\x00\x00",
    "CanUploadToCloudClipboard": b"\x00\x00\x00\x00",
    "org.nspasteboard.ConcealedType": b"",
}


class SecretClipboard(QObject):
    def __init__(self, parent: QObject | None = None, clear_after_ms: int = CLEAR_AFTER_MS):
        super().__init__(parent)
        self._text: str | None = None
        self._timer = QTimer(self, singleShot=True, interval=clear_after_ms)
        self._timer.timeout.connect(self.clear_if_ours)

    def copy(self, text: str) -> None:
        mime = QMimeData()
        mime.setText(text)
        for fmt, value in _SECRET_MARKERS.items():
            mime.setData(fmt, QByteArray(value))
        QGuiApplication.clipboard().setMimeData(mime)
        self._text = text
        self._timer.start()

    def clear_if_ours(self) -> None:
        """Clear only if the user has not copied something else since."""
        clipboard = QGuiApplication.clipboard()
        if self._text is not None and clipboard.text() == self._text:
            clipboard.clear()
        self._text = None
        self._timer.stop()
