"""Pieces every dialog has: the red line that says what went wrong, and Save / Cancel; and
emptying a dialog on lock."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QTableWidget,
    QTextEdit,
    QTreeWidget,
    QWidget,
)

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


def empty_dialog(dialog: QDialog) -> None:
    """Empty every widget of a dialog that can hold text (its title, labels, editors and
    their undo histories, lists, tables, trees and their headers): on lock, for dialogs
    that are open or were closed but still exist. The dialog stays usable as an object; it
    just shows nothing any more."""
    dialog.setWindowTitle("")
    widgets = [dialog, *dialog.findChildren(QWidget)]
    for w in widgets:
        w.setToolTip("")
        if isinstance(w, QLabel):
            w.clear()
        elif isinstance(w, QLineEdit):
            w.setText("")  # (setText, not clear(): it also forgets the undo history)
        elif isinstance(w, QPlainTextEdit | QTextEdit):
            w.clear()  # the undo history too
        elif isinstance(w, QComboBox):
            previous = w.blockSignals(True)
            w.clear()
            w.blockSignals(previous)
        elif isinstance(w, QAbstractButton):
            w.setText("")
    for w in widgets:
        if isinstance(w, QTableWidget):
            w.clear()  # items and header items
            w.setRowCount(0)
            w.setColumnCount(0)
        elif isinstance(w, QTreeWidget):
            w.clear()
            w.setHeaderLabels([""] * w.columnCount())
        elif isinstance(w, QListWidget):
            w.clear()
        elif isinstance(w, QAbstractItemView) and not isinstance(w, QHeaderView):
            model = w.model()
            clear = getattr(model, "clear", None)  # QStandardItemModel and the app's models
            if callable(clear):
                clear()
