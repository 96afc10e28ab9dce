"""Record editors built from one table of field specs: every kind of record gets a form.

A form shows a record (a dict from app.core.services.records), lets the user edit it, and
hands back only the fields that changed; saving goes through the undo stack. Values are
shown in local time and stored in UTC.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from typing import Any

from PySide6.QtCore import QDate, QDateTime, QObject, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from app.gui.kinds import Field, fields_of
from app.gui.labels import enum_label, tr


@contextlib.contextmanager
def blocked(obj: QObject) -> Iterator[None]:
    """Set a widget's value without it reporting a user edit. (Not QSignalBlocker: used as
    a context manager in PySide6 6.12 it corrupts the reference count of None, and after
    enough uses the interpreter aborts.)"""
    previous = obj.blockSignals(True)
    try:
        yield
    finally:
        obj.blockSignals(previous)


_NO_DATE = QDate(1900, 1, 1)
_NO_DATETIME = QDateTime(QDate(1900, 1, 1), QTime(0, 0))


def to_qdatetime(value: datetime | None) -> QDateTime:
    if value is None:
        return _NO_DATETIME
    return QDateTime.fromSecsSinceEpoch(int(value.timestamp())).toLocalTime()


def from_qdatetime(q: QDateTime) -> datetime | None:
    if q == _NO_DATETIME or q.date() <= _NO_DATE:
        return None
    return datetime.fromtimestamp(q.toSecsSinceEpoch(), UTC)


class RecordForm(QWidget):
    """A form for one kind of record. ``changed`` fires on every edit the user makes."""

    changed = Signal()

    def __init__(
        self,
        kind: str,
        choices: Callable[[str, int | None], list[tuple[int, str]]],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kind = kind
        self.fields = fields_of(kind)
        self._choices = choices
        self._editors: dict[str, QWidget] = {}
        self._loaded: dict[str, Any] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for f in self.fields:
            editor = self._make_editor(f)
            editor.setObjectName(f"field_{f.key}")
            self._editors[f.key] = editor
            label = QLabel(tr(f.label) + (" *" if f.required else ""))
            label.setBuddy(editor)
            layout.addRow(label, editor)

    # -- editors --------------------------------------------------------------------------

    def _make_editor(self, f: Field) -> QWidget:
        w: QWidget
        if f.widget == "text":
            te = QPlainTextEdit()
            te.setTabChangesFocus(True)
            te.setMinimumHeight(70)
            te.textChanged.connect(self.changed)
            w = te
        elif f.widget == "enum":
            cb = QComboBox()
            assert f.enum is not None
            for member in f.enum:
                cb.addItem(enum_label(member.value), member.value)
            cb.currentIndexChanged.connect(self.changed)
            w = cb
        elif f.widget == "ref":
            cb = QComboBox()
            cb.setEditable(False)
            cb.setMaxVisibleItems(20)
            cb.currentIndexChanged.connect(self.changed)
            w = cb
        elif f.widget == "date":
            de = QDateEdit()
            de.setCalendarPopup(True)
            de.setMinimumDate(_NO_DATE)
            de.setSpecialValueText(tr("—"))
            de.setDisplayFormat("yyyy-MM-dd")
            de.dateChanged.connect(self.changed)
            w = de
        elif f.widget == "datetime":
            dte = QDateTimeEdit()
            dte.setCalendarPopup(True)
            dte.setMinimumDateTime(_NO_DATETIME)
            dte.setSpecialValueText(tr("—"))
            dte.setDisplayFormat("yyyy-MM-dd HH:mm")
            dte.dateTimeChanged.connect(self.changed)
            w = dte
        elif f.widget == "bool":
            ch = QCheckBox()
            ch.toggled.connect(self.changed)
            w = ch
        elif f.widget == "int":
            sb = QSpinBox()
            sb.setRange(0, 1_000_000)
            sb.valueChanged.connect(self.changed)
            w = sb
        else:
            le = QLineEdit()
            le.setPlaceholderText(f.placeholder)
            le.textChanged.connect(self.changed)
            w = le
        return w

    def editor(self, key: str) -> QWidget:
        return self._editors[key]

    def refresh_choices(self, record: dict[str, Any] | None = None) -> None:
        for f in self.fields:
            if f.widget == "ref":
                cb = self._editors[f.key]
                assert isinstance(cb, QComboBox) and f.ref is not None
                current = (record or {}).get(f.key, cb.currentData())
                with blocked(cb):
                    cb.clear()
                    cb.addItem(tr("—"), None)
                    for rid, label in self._choices(f.ref, current):
                        cb.addItem(label, rid)
                    cb.setCurrentIndex(max(cb.findData(current), 0))

    # -- values ---------------------------------------------------------------------------

    def load(self, record: dict[str, Any]) -> None:
        self.refresh_choices(record)
        self._loaded = dict(record)
        for f in self.fields:
            self._set(f, record.get(f.key))

    def clear(self) -> None:
        """Empty every editor, the lists of records a field may point at and the editors'
        undo histories (on lock: nothing of the last record stays in the widgets)."""
        self._loaded = {}
        for f in self.fields:
            w = self._editors[f.key]
            if f.widget == "ref":
                assert isinstance(w, QComboBox)
                with blocked(w):
                    w.clear()
            else:
                self._set(f, None)

    def _set(self, f: Field, value: Any) -> None:
        w = self._editors[f.key]
        with blocked(w):
            if isinstance(w, QPlainTextEdit):
                w.setPlainText(value or "")
            elif isinstance(w, QComboBox):
                v = value.value if hasattr(value, "value") else value
                i = w.findData(v)
                w.setCurrentIndex(max(i, 0))
            elif isinstance(w, QDateTimeEdit) and f.widget == "datetime":
                w.setDateTime(to_qdatetime(value))
            elif isinstance(w, QDateEdit):
                w.setDate(QDate(value.year, value.month, value.day) if value else _NO_DATE)
            elif isinstance(w, QCheckBox):
                w.setChecked(bool(value))
            elif isinstance(w, QSpinBox):
                w.setValue(int(value or 0))
            elif isinstance(w, QLineEdit):
                w.setText("" if value is None else str(value))

    def _get(self, f: Field) -> Any:
        w = self._editors[f.key]
        if isinstance(w, QPlainTextEdit):
            return w.toPlainText()
        if isinstance(w, QComboBox):
            return w.currentData()
        if isinstance(w, QDateTimeEdit) and f.widget == "datetime":
            return from_qdatetime(w.dateTime())
        if isinstance(w, QDateEdit):
            d = w.date()
            return None if d <= _NO_DATE else date(d.year(), d.month(), d.day())
        if isinstance(w, QCheckBox):
            return w.isChecked()
        if isinstance(w, QSpinBox):
            return w.value()
        if isinstance(w, QLineEdit):
            text = w.text()
            return None if f.key == "codename" and not text.strip() else text
        return None

    def values(self) -> dict[str, Any]:
        return {f.key: self._get(f) for f in self.fields}

    def changes(self) -> dict[str, Any]:
        """Only what the user changed, compared with what was loaded."""
        out = {}
        for key, value in self.values().items():
            old = self._loaded.get(key)
            old = old.value if hasattr(old, "value") else old
            if isinstance(old, datetime) and isinstance(value, datetime):
                same = int(old.timestamp()) // 60 == int(value.timestamp()) // 60
            else:
                same = old == value or (old in (None, "") and value in (None, ""))
            if not same:
                out[key] = value
        return out

    def first_editor(self) -> QWidget:
        return self._editors[self.fields[0].key]
