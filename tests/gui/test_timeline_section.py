"""The timeline as a section (app.gui.sections.protocol.Section), its model on the demo
notebook, and its words and icons from app.gui.kinds."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QCheckBox

from app.core.services.timeline import EVENT_KINDS
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.kinds import kind_of, word
from app.gui.labels import tr
from app.gui.models.timeline import TimelineModel
from app.gui.sections.protocol import Section
from app.gui.sections.timeline import TimelineView

pytestmark = pytest.mark.gui


@pytest.fixture
def timeline(qtbot: Any, vault: Vault, demo_case: int) -> TimelineView:
    ctx = AppContext(vault)
    ctx.set_case(demo_case)
    view = TimelineView(ctx)
    qtbot.addWidget(view)
    view.resize(1100, 600)
    view.show()
    qtbot.waitExposed(view)
    view.set_case(demo_case)
    qtbot.waitUntil(lambda: view.model.rowCount() > 20, timeout=5000)
    return view


def _click_row(qtbot: Any, view: TimelineView, row: int) -> None:
    rect = view.view.visualRect(view.model.index(row, 2))
    qtbot.mouseClick(view.view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_timeline_is_a_section(timeline: TimelineView) -> None:
    assert isinstance(timeline, Section)
    assert set(EVENT_KINDS) <= timeline.watches
    assert {"message", "delivery", "session", "note", "option", "stance", "action"} <= set(
        timeline.watches
    )


def test_timeline_model_passes_the_model_tester(qtmodeltester: Any, timeline: TimelineView) -> None:
    qtmodeltester.check(timeline.model)
    empty = TimelineModel()
    qtmodeltester.check(empty)


def test_words_and_icons_come_from_the_kinds_table(timeline: TimelineView) -> None:
    for kind, box in timeline.kind_boxes.items():
        assert box.text() == tr(kind_of(kind).plural)
    model = timeline.model
    seen = set()
    for row, ev in enumerate(model.events):
        if ev.kind in seen:
            continue
        seen.add(ev.kind)
        assert model.index(row, TimelineModel.KIND).data() == word(ev.kind)
        decoration = model.index(row, TimelineModel.KIND).data(Qt.ItemDataRole.DecorationRole)
        assert decoration is not None and not decoration.isNull()
    assert {"message", "delivery", "session"} <= seen


def test_current_open_and_the_do_nothing_actions(
    qtbot: Any, timeline: TimelineView, vault: Vault, demo_case: int
) -> None:
    assert timeline.current() is None
    row = next(i for i, e in enumerate(timeline.model.events) if e.kind == "message")
    _click_row(qtbot, timeline, row)
    event = timeline.model.events[row]
    assert timeline.current() == ("message", event.record_id)
    assert timeline.show_record("message", event.record_id) is False

    opened: list[tuple[str, int, int]] = []
    timeline.ctx.open_record.connect(lambda k, i, c: opened.append((k, i, c)))
    qtbot.keyClick(timeline.view, Qt.Key.Key_Return)
    assert opened == [("message", event.record_id, demo_case)]

    before = len(timeline.model.events)
    timeline.new_record()
    timeline.delete_record()
    timeline.reload()
    qtbot.waitUntil(lambda: timeline.status.text() != tr("Loading…"), timeout=5000)
    assert len(timeline.model.events) == before
    assert timeline.current() == ("message", event.record_id)  # kept across the reload


def test_kind_filter_by_clicking_and_clear(qtbot: Any, timeline: TimelineView) -> None:
    for kind, box in timeline.kind_boxes.items():
        if kind != "session":
            assert isinstance(box, QCheckBox)
            qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    qtbot.waitUntil(lambda: {e.kind for e in timeline.model.events} == {"session"}, timeout=5000)
    assert timeline.party.count() > 1  # "All parties" and the case's parties
    timeline.clear()
    assert timeline.model.rowCount() == 0
    assert timeline.party.count() == 0
    assert timeline.current() is None
