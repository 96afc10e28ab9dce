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

from PySide6.QtCore import QDate, QDateTime, QObject, QSize, Qt, QTime, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QSpinBox,
    QToolButton,
    QWidget,
)

from app.gui.kinds import Field, fields_of
from app.gui.labels import enum_label, tr
from app.gui.widgets.text_edit import ParagraphTextEdit


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


# Below this width (of the form) each label goes above its field: side by side, a long
# label would leave the field too little room.
NARROW_WIDTH = 380
# A field that holds this value brings its rarely used fields into view with it.
_REVEALS: dict[str, tuple[str, str]] = {"disclosure": ("embargoed", "embargo_until")}


class WholeDateEdit(QDateEdit):
    """A date editor never narrower than its whole value (no "2026-12-0")."""

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


class WholeDateTimeEdit(QDateTimeEdit):
    """A date-and-time editor never narrower than its whole value."""

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()


def _combo() -> QComboBox:
    """A list field whose longest item (a message's summary) does not set the form's width."""
    cb = QComboBox()
    cb.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    cb.setMinimumContentsLength(12)
    return cb


def holds_value(value: Any) -> bool:
    return value not in (None, "", False, 0)


class RecordForm(QWidget):
    """A form for one kind of record. ``changed`` fires on every edit the user makes.

    Fields marked ``more`` in app.gui.kinds stay under a "More details" toggle until one
    of them holds a value. Labels sit beside their fields, or above them when the form is
    narrow (``NARROW_WIDTH``)."""

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
        # field key -> the list of choices its combo was filled from
        self._filled: dict[str, list[tuple[int, str]]] = {}
        self._extra: set[str] = set()  # fields whose combo holds one older value at index 1
        self._editors: dict[str, QWidget] = {}
        self._loaded: dict[str, Any] = {}
        self._user_expanded = False
        layout = self.form_layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        common = [f for f in self.fields if not f.more]
        rare = [f for f in self.fields if f.more]
        if len(rare) == 1:  # a toggle for one field saves nothing
            common, rare = self.fields, []
        self.more_fields = [f.key for f in rare]
        for f in common:
            self._add_row(f)
        self.more_toggle = QToolButton()
        self.more_toggle.setObjectName("more_details")
        self.more_toggle.setCheckable(True)
        self.more_toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.more_toggle.setAutoRaise(True)
        self.more_toggle.setText(tr("More details"))
        self.more_toggle.setToolTip(", ".join(tr(f.label) for f in rare) if rare else "")
        self.more_toggle.toggled.connect(self._on_toggled)
        self._toggle_row = layout.rowCount()
        layout.addRow(self.more_toggle)
        for f in rare:
            self._add_row(f)
        layout.setRowVisible(self._toggle_row, bool(rare))
        for key, (value, target) in _REVEALS.items():
            if key in self._editors and target in self.more_fields:
                cb = self._editors[key]
                assert isinstance(cb, QComboBox)
                cb.currentIndexChanged.connect(
                    lambda _i, cb=cb, value=value: self._reveal(cb, value)
                )
        self.show_more(False)

    def _add_row(self, f: Field) -> None:
        editor = self._make_editor(f)
        editor.setObjectName(f"field_{f.key}")
        self._editors[f.key] = editor
        label = QLabel(tr(f.label) + (" *" if f.required else ""))
        label.setBuddy(editor)
        self.form_layout.addRow(label, editor)

    # -- More details and narrow widths ---------------------------------------------------

    def more_shown(self) -> bool:
        return self.more_toggle.isChecked()

    def show_more(self, shown: bool) -> None:
        """Show or hide the rarely used fields (the toggle says which)."""
        with blocked(self.more_toggle):
            self.more_toggle.setChecked(shown)
        self.more_toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)
        for key in self.more_fields:
            self.form_layout.setRowVisible(self._editors[key], shown)

    def _reveal(self, combo: QComboBox, value: str) -> None:
        if combo.currentData() == value:
            self.show_more(True)

    def _on_toggled(self, shown: bool) -> None:
        self._user_expanded = shown
        self.show_more(shown)

    def _rare_hold_values(self) -> bool:
        return any(holds_value(self._get_key(key)) for key in self.more_fields)

    def resizeEvent(self, event: QResizeEvent) -> None:
        narrow = event.size().width() < NARROW_WIDTH
        policy = (
            QFormLayout.RowWrapPolicy.WrapAllRows
            if narrow
            else QFormLayout.RowWrapPolicy.WrapLongRows
        )
        if self.form_layout.rowWrapPolicy() != policy:
            self.form_layout.setRowWrapPolicy(policy)
        super().resizeEvent(event)

    # -- editors --------------------------------------------------------------------------

    def _make_editor(self, f: Field) -> QWidget:
        w: QWidget
        if f.widget == "text":
            te = ParagraphTextEdit(lines=5)
            te.setTabChangesFocus(True)
            te.setMinimumHeight(70)
            te.textChanged.connect(self.changed)
            w = te
        elif f.widget == "enum":
            cb = _combo()
            assert f.enum is not None
            for member in f.enum:
                cb.addItem(enum_label(member.value), member.value)
            cb.currentIndexChanged.connect(self.changed)
            w = cb
        elif f.widget == "ref":
            cb = _combo()
            cb.setEditable(False)
            cb.setMaxVisibleItems(20)
            cb.currentIndexChanged.connect(self.changed)
            w = cb
        elif f.widget == "date":
            de = WholeDateEdit()
            de.setCalendarPopup(True)
            de.setMinimumDate(_NO_DATE)
            de.setSpecialValueText(tr("—"))
            de.setDisplayFormat("yyyy-MM-dd")
            de.dateChanged.connect(self.changed)
            de.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            w = de
        elif f.widget == "datetime":
            dte = WholeDateTimeEdit()
            dte.setCalendarPopup(True)
            dte.setMinimumDateTime(_NO_DATETIME)
            dte.setSpecialValueText(tr("—"))
            dte.setDisplayFormat("yyyy-MM-dd HH:mm")
            dte.dateTimeChanged.connect(self.changed)
            dte.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
            w = dte
        elif f.widget == "bool":
            ch = QCheckBox()
            ch.toggled.connect(self.changed)
            w = ch
        elif f.widget == "int":
            sb = QSpinBox()
            sb.setRange(0, 1_000_000)
            sb.valueChanged.connect(self.changed)
            sb.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
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
                choices = self._choices(f.ref, None)
                with blocked(cb):
                    # The same list as the combo holds already (nothing changed): only the
                    # selection moves; filling 300 items per row shown made arrowing slow.
                    if self._filled.get(f.key) is not choices:
                        cb.clear()
                        cb.addItem(tr("—"), None)
                        for rid, label in choices:
                            cb.addItem(label, rid)
                        self._filled[f.key] = choices
                        self._extra.discard(f.key)
                    if f.key in self._extra:  # the last record's own, older value
                        cb.removeItem(1)
                        self._extra.discard(f.key)
                    if current is not None and cb.findData(current) < 0:
                        # An older record than the choices offer (the 300 newest messages):
                        # it is shown first, for this record only.
                        own = self._choices(f.ref, current)
                        if own and own[0][0] == current:
                            cb.insertItem(1, own[0][1], own[0][0])
                            self._extra.add(f.key)
                    cb.setCurrentIndex(max(cb.findData(current), 0))

    # -- values ---------------------------------------------------------------------------

    def load(self, record: dict[str, Any]) -> None:
        self.refresh_choices(record)
        self._loaded = dict(record)
        for f in self.fields:
            self._set(f, record.get(f.key))
        self.show_more(self._user_expanded or self._rare_hold_values())

    def clear(self) -> None:
        """Empty every editor, the lists of records a field may point at and the editors'
        undo histories (on lock: nothing of the last record stays in the widgets)."""
        self._loaded = {}
        self._user_expanded = False
        self.show_more(False)
        for f in self.fields:
            w = self._editors[f.key]
            if f.widget == "ref":
                assert isinstance(w, QComboBox)
                with blocked(w):
                    w.clear()
                self._filled.pop(f.key, None)
                self._extra.discard(f.key)
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

    def _get_key(self, key: str) -> Any:
        return self._get(next(f for f in self.fields if f.key == key))

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
            old: Any = self._loaded.get(key)
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
