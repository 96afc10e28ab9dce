"""The record form: paragraphs that follow their own direction, rarely used fields under
More details, labels above fields when the form is narrow."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QFormLayout, QPlainTextEdit, QWidget

from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.forms import RecordForm

# Fictional text: "The talks resume next week in the port city." (Hebrew), "The delegation
# agrees to meet at the crossing." (Arabic).
HEBREW = "השיחות יתחדשו בשבוע הבא בעיר הנמל."
ARABIC = "يوافق الوفد على اللقاء عند المعبر."
ENGLISH = "The council will answer by Friday."


@pytest.fixture
def ctx(vault: Vault, demo_case: int, styled_app: QApplication) -> AppContext:
    c = AppContext(vault)
    c.set_case(demo_case)
    return c


def _form(qtbot: Any, ctx: AppContext, kind: str, width: int = 520) -> RecordForm:
    form = RecordForm(kind, ctx.choices)
    qtbot.addWidget(form)
    form.resize(width, 900)
    form.show()
    qtbot.waitExposed(form)
    return form


def _line_edges(edit: QPlainTextEdit) -> list[tuple[float, float, float]]:
    """(left, right, width) of each paragraph's first line, in the editor's document."""
    out = []
    block = edit.document().begin()
    while block.isValid():
        line = block.layout().lineAt(0)
        rect = line.naturalTextRect()
        out.append((rect.left(), rect.right(), line.width()))
        block = block.next()
    return out


def test_each_paragraph_of_a_text_field_follows_its_own_direction(
    qtbot: Any, ctx: AppContext
) -> None:
    form = _form(qtbot, ctx, "message")
    content = form.editor("content")
    assert isinstance(content, QPlainTextEdit)
    content.setFocus()
    for i, paragraph in enumerate((ENGLISH, HEBREW, ARABIC)):
        if i:
            qtbot.keyClick(content, Qt.Key.Key_Return)
        content.insertPlainText(paragraph)
    QApplication.processEvents()
    (en_left, en_right, en_width), *rtl = _line_edges(content)
    margin = content.document().documentMargin()
    assert en_left <= margin + 1  # left-to-right: at the left edge
    assert en_right < en_width + margin - 20  # ...and not pushed to the right one
    for left, right, width in rtl:
        assert right >= width + margin - 1  # right-to-left: at the right edge
        assert left > width / 3


def test_paragraph_direction_survives_a_layout_direction_change(
    qtbot: Any, ctx: AppContext
) -> None:
    form = _form(qtbot, ctx, "note")
    body = form.editor("body")
    assert isinstance(body, QPlainTextEdit)
    body.setPlainText(ENGLISH + "\n" + HEBREW)
    form.setLayoutDirection(Qt.LayoutDirection.RightToLeft)
    QApplication.processEvents()
    (en_left, _r, _w), (_l, he_right, he_width) = _line_edges(body)
    margin = body.document().documentMargin()
    assert en_left <= margin + 1
    assert he_right >= he_width + margin - 1


def test_more_details_hides_rare_fields_until_asked(qtbot: Any, ctx: AppContext) -> None:
    form = _form(qtbot, ctx, "message")
    toggle = form.more_toggle
    rare = ["embargo_until", "round_id", "in_reply_to_id", "place"]
    assert form.more_fields == rare
    assert toggle.isVisible() and not toggle.isChecked()
    assert all(not form.editor(k).isVisible() for k in rare)
    assert form.editor("said_at").isVisible() and form.editor("summary").isVisible()
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert all(form.editor(k).isVisible() for k in rare)
    qtbot.mouseClick(toggle, Qt.MouseButton.LeftButton)
    assert all(not form.editor(k).isVisible() for k in rare)


def test_more_details_open_when_a_rare_field_holds_a_value(
    qtbot: Any, ctx: AppContext, vault: Vault
) -> None:
    records = Records(vault)
    party = records.find("party", case_id=ctx.case_id)[0]["id"]
    common = {"case_id": ctx.case_id, "sender_party_id": party}
    plain = records.create("message", **common, content="hello", place="")
    placed = records.create("message", **common, content="hi", place="the inn")
    form = _form(qtbot, ctx, "message")
    form.load(records.get("message", placed))
    assert form.more_shown() and form.editor("place").isVisible()
    form.load(records.get("message", plain))
    assert not form.more_shown() and not form.editor("place").isVisible()


def test_choosing_embargoed_shows_the_embargo_date(qtbot: Any, ctx: AppContext) -> None:
    form = _form(qtbot, ctx, "message")
    disclosure = form.editor("disclosure")
    assert not form.editor("embargo_until").isVisible()
    disclosure.setFocus()
    qtbot.keyClicks(disclosure, "embargoed")
    assert form.values()["disclosure"] == "embargoed"
    assert form.editor("embargo_until").isVisible()


def test_a_narrow_form_puts_labels_above_fields(qtbot: Any, ctx: AppContext) -> None:
    form = _form(qtbot, ctx, "session", width=340)
    QApplication.processEvents()
    assert form.form_layout.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapAllRows
    title = form.editor("title")
    label = form.form_layout.labelForField(title)
    assert isinstance(label, QWidget)
    assert label.geometry().bottom() <= title.geometry().top()
    form.resize(700, 900)
    QApplication.processEvents()
    assert form.form_layout.rowWrapPolicy() == QFormLayout.RowWrapPolicy.WrapLongRows
    assert label.geometry().right() <= title.geometry().left()
