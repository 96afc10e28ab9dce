"""Commitments, their outcomes and handovers in the timeline's model and in Search
everywhere's results, on the demo notebook: each row reads with its kind's word and icon
from app.gui.kinds, a commitment's disclosure level in its colour, and a hit is called by
what it is about (issue 17)."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from app.core.services.paging import Page
from app.core.services.search import search
from app.core.services.timeline import COMMITMENT_KINDS, TimelineEvent, timeline_page
from app.core.vault import Vault
from app.gui.kinds import word
from app.gui.labels import colour_for, enum_label
from app.gui.models.search_results import SearchResultsModel
from app.gui.models.timeline import TimelineModel

pytestmark = pytest.mark.gui


def test_timeline_rows_of_commitments_read_and_page(
    qtmodeltester: Any, qapp: QApplication, vault: Vault, demo_case: int
) -> None:
    def fetch(after: Any, limit: int) -> Page[TimelineEvent]:
        return timeline_page(vault, demo_case, kinds=COMMITMENT_KINDS, after=after, limit=limit)

    model = TimelineModel()
    model.set_pager(fetch(None, 5), fetch)
    while model.canFetchMore():  # as the view scrolls
        model.fetchMore()
    qtmodeltester.check(model)
    events = model.events
    assert {e.kind for e in events} == set(COMMITMENT_KINDS) and len(events) >= 15
    seen: set[str] = set()
    for row, ev in enumerate(events):
        kind = model.index(row, TimelineModel.KIND)
        assert kind.data() == word(ev.kind)
        icon = kind.data(Qt.ItemDataRole.DecorationRole)
        assert icon is not None and not icon.isNull()
        level = model.index(row, TimelineModel.DISCLOSURE)
        if ev.kind == "handover":
            assert level.data() == ""
            assert model.index(row, TimelineModel.TITLE).data().startswith("Handed over to ")
        else:
            assert ev.disclosure and level.data() == enum_label(ev.disclosure)
            colour = colour_for(ev.disclosure)
            brush = level.data(Qt.ItemDataRole.ForegroundRole)
            assert colour is not None and brush.color() == colour
            seen.add(ev.disclosure)
    assert {"shareable", "confidential"} <= seen
    assert model.row_of_event("handover", events[-1].record_id) is not None


def test_search_hits_of_commitments_are_called_by_what_they_are_about(
    qtmodeltester: Any, qapp: QApplication, vault: Vault, demo_case: int
) -> None:
    model = SearchResultsModel()
    model.set_hits(search(vault, "convoy"))
    qtmodeltester.check(model)
    shown = {
        model.hit(row).kind: model.index(row, 0).data()  # type: ignore[union-attr]
        for row in range(model.rowCount())
    }
    assert {"commitment", "commitment_event", "handover_item"} <= set(shown)
    assert shown["commitment_event"].startswith("Partly kept: KHM — Open the Tsera Pass road")
    assert f"({word('commitment_event')} · Korvan Highlands dialogue)" in shown["commitment_event"]
    assert shown["handover_item"].startswith("Finding handed over to Joint Monitoring Mission")
