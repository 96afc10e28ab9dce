"""The Texts section's Critiques and Compare pages, driven as a user would: a Korvan working
paper of twelve clauses circulated twice, critiqued, and edited between the drafts."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QApplication

from app.core.services.records import Records
from app.core.services.text_circulation import circulate
from app.core.services.text_critiques import critique_matrix, record_critique
from app.core.services.text_diff import compare_drafts
from app.core.services.texts import (
    NewAlternative,
    add_clause,
    clauses_of,
    create_text,
    delete_clause,
    drafts_of,
    move_clause,
    set_alternatives,
    update_clause,
)
from app.core.vault import Vault
from app.gui.context import AppContext
from app.gui.models.text_compare import (
    CHANGE,
    HTML_ROLE,
    MARKER_ROLE,
    NUMBER,
    WORDING,
    CompareModel,
    diff_html,
)
from app.gui.models.text_critique_matrix import (
    CLAUSE,
    FIRST_PARTY,
    REACTION_COLOURS,
    REACTION_ROLE,
    CritiqueMatrixModel,
)
from app.gui.sections.text_compare import CompareView
from app.gui.sections.text_critique import CritiqueView

pytestmark = pytest.mark.gui

# (kind, wording) of draft 1; {1} is a bracketed place (alternatives below).
DRAFT_1 = [
    ("heading", "Preamble"),
    (
        "paragraph",
        "The Government of Korvan and the Nevran Front (the parties), meeting at Lake Sarn "
        "with the mediator, reaffirm their commitment to a negotiated settlement of the "
        "conflict in the Nevran valley.",
    ),
    ("heading", "Cessation of hostilities"),
    (
        "paragraph",
        "The parties agree to a cessation of hostilities in the Nevran valley from 1 May "
        "2026, monitored by {1}.",
    ),
    (
        "paragraph",
        "Each party shall withdraw its forces to the positions it held on 1 January 2026 "
        "within thirty days.",
    ),
    (
        "paragraph",
        "Neither party shall bring heavy weapons into the zones listed in Annex A.",
    ),
    ("heading", "Humanitarian access"),
    (
        "paragraph",
        "The parties shall allow humanitarian agencies unhindered access to the valley, "
        "including the towns of Orsk and Velda.",
    ),
    (
        "paragraph",
        "Detainees held in connection with the conflict shall be released in stages, the "
        "sick, the elderly and minors first.",
    ),
    ("heading", "Political dialogue"),
    (
        "paragraph",
        "The parties shall open talks on {1} within sixty days of the cessation of hostilities.",
    ),
    (
        "paragraph",
        "The mediator shall convene a consultative forum open to civil society, women's "
        "groups and the elders of the valley.",
    ),
]
FIRST = datetime(2026, 3, 12, 10, 0, tzinfo=UTC)
SECOND = datetime(2026, 4, 2, 10, 0, tzinfo=UTC)


@dataclass
class Korvan:
    case: int
    gov: int
    front: int
    forum: int  # given draft 1 only
    text: int
    d1: int
    d2: int
    working: int
    d1_clauses: list[int]
    d2_clauses: list[int]


def build_korvan(vault: Vault) -> Korvan:
    """Draft 1 (12 clauses) circulated to the three parties and critiqued; draft 2 (one
    clause moved, two reworded, one removed, one added) circulated to the two sides only and
    critiqued; the working draft 3 is still draft 2's copy."""
    r = Records(vault)
    case = r.create("case", title="Korvan talks")
    gov = r.create("party", case_id=case, name="Government of Korvan", kind="government")
    front = r.create("party", case_id=case, name="Nevran Front", kind="armed_group")
    forum = r.create(
        "party", case_id=case, name="Nevran Valley Women's Forum", kind="civil_society"
    )
    text = create_text(vault, case, "Working paper on the Nevran valley")
    d1 = drafts_of(vault, text)[-1].id
    ids = [add_clause(vault, d1, kind=kind, wording=wording) for kind, wording in DRAFT_1]
    set_alternatives(
        vault,
        ids[3],
        [
            NewAlternative(1, gov, "a joint monitoring commission"),
            NewAlternative(1, front, "an international observer mission"),
        ],
    )
    set_alternatives(
        vault,
        ids[10],
        [
            NewAlternative(1, gov, "decentralisation within the constitution"),
            NewAlternative(1, front, "self-government for the valley"),
        ],
    )
    circulate(vault, d1, [gov, front, forum], at=FIRST)
    record_critique(vault, ids[1], gov, "accepts", recorded_on=date(2026, 3, 14))
    record_critique(vault, ids[1], front, "accepts", recorded_on=date(2026, 3, 15))
    record_critique(
        vault,
        ids[4],
        front,
        "accepts_with_changes",
        proposed_wording="within forty-five days",
        note="Thirty days is too short to move the mountain units.",
        recorded_on=date(2026, 3, 15),
    )
    record_critique(vault, ids[8], gov, "rejects", recorded_on=date(2026, 3, 16))
    record_critique(vault, ids[11], forum, "accepts", recorded_on=date(2026, 3, 18))

    d2 = drafts_of(vault, text)[-1].id
    two = {c.key: c.id for c in clauses_of(vault, d2)}
    keys = [c.key for c in clauses_of(vault, d1)]
    # Heavy weapons (2.3) moves up to 2.1; the withdrawal gets forty-five days; detainees
    # (3.2) goes; a clause on missing persons comes in; the forum loses "the elders".
    move_clause(vault, two[keys[5]], 3)
    update_clause(
        vault,
        two[keys[4]],
        wording="Each party shall withdraw its forces to the positions it held on 1 January "
        "2026 within forty-five days.",
    )
    delete_clause(vault, two[keys[8]])
    add_clause(
        vault,
        d2,
        wording="A joint committee shall trace persons missing since 2019 & report <monthly>.",
        index=8,
    )
    update_clause(
        vault,
        two[keys[11]],
        wording="The mediator shall convene a consultative forum open to civil society and "
        "women's groups.",
    )
    circulate(vault, d2, [gov, front], at=SECOND)
    d2_clauses = [c.id for c in clauses_of(vault, d2)]
    record_critique(vault, d2_clauses[4], front, "accepts", recorded_on=date(2026, 4, 5))
    record_critique(
        vault,
        d2_clauses[3],
        gov,
        "reserves",
        note="The minister must see Annex A first.",
        recorded_on=date(2026, 4, 6),
    )
    record_critique(
        vault,
        d2_clauses[10],
        front,
        "rejects",
        proposed_wording="self-government for the valley",
        note="Decentralisation was refused in 2019.",
        recorded_on=date(2026, 4, 7),
    )
    working = drafts_of(vault, text)[-1].id
    return Korvan(case, gov, front, forum, text, d1, d2, working, ids, d2_clauses)


@pytest.fixture
def korvan(vault: Vault) -> Korvan:
    return build_korvan(vault)


@pytest.fixture
def ctx(vault: Vault, korvan: Korvan) -> AppContext:
    c = AppContext(vault)
    c.set_case(korvan.case)
    return c


def _cell(model: Any, row: int, col: int, role: Any = Qt.ItemDataRole.DisplayRole) -> Any:
    return model.index(row, col).data(role)


# --- the critique matrix -------------------------------------------------------------------


def test_critique_matrix_model(
    qtmodeltester: Any, vault: Vault, korvan: Korvan, styled_app: QApplication
) -> None:
    model = CritiqueMatrixModel()
    model.load(critique_matrix(vault, korvan.d2))
    qtmodeltester.check(model)
    assert model.rowCount() == 12 and model.columnCount() == FIRST_PARTY + 3
    gov, front, forum = (
        model.party_column(p) or 0 for p in (korvan.gov, korvan.front, korvan.forum)
    )
    # The clause: number and first words; a heading bold.
    assert _cell(model, 0, CLAUSE) == "1  \u2068Preamble\u2069"
    assert _cell(model, 0, CLAUSE, Qt.ItemDataRole.FontRole).bold()
    assert _cell(model, 3, CLAUSE).startswith("2.1  \u2068Neither party shall bring heavy weapons")
    assert _cell(model, 5, CLAUSE).endswith("…\u2069") and len(_cell(model, 5, CLAUSE)) < 100
    assert "[Government of Korvan: decentralisation" in _cell(
        model, 10, CLAUSE, Qt.ItemDataRole.ToolTipRole
    )
    # Reactions in words and colours.
    assert _cell(model, 4, front) == "accepts"
    assert _cell(model, 4, front, Qt.ItemDataRole.ForegroundRole) == QColor(
        REACTION_COLOURS["accepts"]
    )
    assert _cell(model, 3, gov) == "reserves"
    assert _cell(model, 3, gov, REACTION_ROLE) == "reserves"
    reserves_tip = _cell(model, 3, gov, Qt.ItemDataRole.ToolTipRole)
    assert "The minister must see Annex A first." in reserves_tip and "2026" in reserves_tip
    assert _cell(model, 10, front) == "rejects"
    assert _cell(model, 10, front, Qt.ItemDataRole.ForegroundRole) == QColor(
        REACTION_COLOURS["rejects"]
    )
    assert "self-government for the valley" in _cell(model, 10, front, Qt.ItemDataRole.ToolTipRole)
    # No critique yet: a dash; a party not given draft 2: "not given", greyed, every row.
    assert _cell(model, 4, gov) == "—" and _cell(model, 4, gov, REACTION_ROLE) == ""
    assert {_cell(model, r, forum) for r in range(12)} == {"not given"}
    assert _cell(model, 11, forum, REACTION_ROLE) == "not_given"
    assert _cell(model, 11, forum, Qt.ItemDataRole.FontRole).italic()
    assert "not given" in str(
        model.headerData(forum, Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    )
    # Draft 1: the forum was given it, and accepted its clause 4.2.
    model.load(critique_matrix(vault, korvan.d1))
    assert _cell(model, 11, forum) == "accepts"
    assert _cell(model, 4, front) == "accepts with changes"
    tip = _cell(model, 4, front, Qt.ItemDataRole.ToolTipRole)
    assert "within forty-five days" in tip and "mountain units" in tip
    model.clear()
    qtmodeltester.check(model)
    assert model.rowCount() == 0 and model.columnCount() == FIRST_PARTY


def test_critique_view_chooses_drafts_and_asks_for_a_critique(
    qtbot: Any, ctx: AppContext, korvan: Korvan, styled_app: QApplication
) -> None:
    view = CritiqueView(ctx)
    qtbot.addWidget(view)
    view.resize(1024, 700)
    view.show()
    qtbot.waitExposed(view)
    view.set_text(korvan.text)
    # Circulated drafts only, newest first and chosen; the working draft 3 is not offered.
    combo = view.drafts
    assert [combo.itemText(i) for i in range(combo.count())] == [
        "Draft 2 · \u20662 Apr 2026\u2069",
        "Draft 1 · \u206612 Mar 2026\u2069",
    ]
    assert view.current_draft_id() == korvan.d2
    assert view.stack.currentWidget() is view.matrix_page
    model = view.model
    front = model.party_column(korvan.front) or 0
    forum = model.party_column(korvan.forum) or 0
    assert _cell(model, 10, front) == "rejects"
    # Choosing draft 1 in the combo shows its critiques.
    combo.setCurrentIndex(1)
    assert view.current_draft_id() == korvan.d1
    assert _cell(model, 4, front) == "accepts with changes"
    assert _cell(model, 11, forum) == "accepts"
    # Double-clicking a cell asks for that clause and party's critique.
    table = view.table
    table.scrollTo(model.index(4, front))
    rect = table.visualRect(model.index(4, front))
    with qtbot.waitSignal(view.critique_requested) as asked:
        qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
        qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert asked.args == [korvan.d1_clauses[4], korvan.front]
    # Enter on the selected cell does the same.
    with qtbot.waitSignal(view.critique_requested) as entered:
        qtbot.keyClick(table, Qt.Key.Key_Return)
    assert entered.args == [korvan.d1_clauses[4], korvan.front]
    # On draft 2 the forum's cells say "not given", and double-clicking one asks nothing.
    assert view.show_draft(korvan.d2)
    asked_again: list[tuple[int, int]] = []
    view.critique_requested.connect(lambda c, p: asked_again.append((c, p)))
    rect = table.visualRect(model.index(2, forum))
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert _cell(model, 2, forum) == "not given" and asked_again == []
    assert not view.show_draft(korvan.working)  # the working draft has no critiques
    # A new critique shows on reload, the draft and the selected cell kept.
    table.setCurrentIndex(model.index(5, front))
    record_critique(ctx.vault, korvan.d2_clauses[5], korvan.front, "rejects")
    view.reload()
    assert view.current_draft_id() == korvan.d2 and view.current_cell() == (
        korvan.d2_clauses[5],
        korvan.front,
    )
    assert _cell(model, 5, front) == "rejects"
    view.clear()
    assert model.rowCount() == 0 and combo.count() == 0
    assert view.stack.currentWidget() is view.empty


def test_critique_view_without_a_circulated_draft(
    qtbot: Any, ctx: AppContext, korvan: Korvan, styled_app: QApplication
) -> None:
    fresh = create_text(ctx.vault, korvan.case, "Annex A: the zones")
    add_clause(ctx.vault, drafts_of(ctx.vault, fresh)[-1].id, wording="Zone 1: Orsk.")
    view = CritiqueView(ctx)
    qtbot.addWidget(view)
    view.set_text(fresh)
    assert view.stack.currentWidget() is view.empty
    assert view.empty.title.text().startswith("No draft circulated yet")
    assert view.drafts.count() == 0 and view.model.rowCount() == 0
    view.set_text(korvan.text)
    assert view.stack.currentWidget() is view.matrix_page and view.model.rowCount() == 12


# --- comparing drafts ----------------------------------------------------------------------


def test_compare_model_markers_and_rich_text(
    qtmodeltester: Any, vault: Vault, korvan: Korvan, styled_app: QApplication
) -> None:
    diff = compare_drafts(vault, korvan.d1, korvan.d2)
    model = CompareModel()
    model.load(diff, "draft 1", "draft 2")
    qtmodeltester.check(model)
    markers = [_cell(model, r, 0, MARKER_ROLE) for r in range(model.rowCount())]
    # Heavy weapons moved up; the withdrawal and the forum reworded; detainees out; missing
    # persons in. Nothing else shows while unchanged clauses are hidden.
    assert markers == ["moved", "changed", "removed", "added", "changed"]
    assert [_cell(model, r, CHANGE) for r in range(5)] == [
        "Moved",
        "Changed",
        "Removed",
        "Added",
        "Changed",
    ]
    assert _cell(model, 0, NUMBER) == "\u20662.3 → 2.1\u2069"
    assert _cell(model, 2, NUMBER) == "\u20663.2\u2069"  # its number in draft 1, struck
    assert _cell(model, 2, NUMBER, Qt.ItemDataRole.FontRole).strikeOut()
    # The word-level change: "thirty" struck, "forty-five" underlined.
    html = _cell(model, 1, WORDING, HTML_ROLE)
    assert ">thirty</s>" in html and ">forty-five</u>" in html
    assert html.index("<s") < html.index("<u")
    assert "within " in html.split("<s")[0]
    # The forum: "," out and " and" in after "civil society"; "and the elders of the
    # valley" out, the full stop kept.
    forum = _cell(model, 4, WORDING, HTML_ROLE)
    assert ">,</s><u " in forum and "> and</u> women&#x27;s groups" in forum
    assert "> and the elders of the valley</s>." in forum
    # A removed clause all struck, an added one all underlined and escaped.
    assert _cell(model, 2, WORDING, HTML_ROLE).startswith("<s ")
    added = _cell(model, 3, WORDING, HTML_ROLE)
    assert added.startswith("<u ") and "&amp; report &lt;monthly&gt;." in added
    assert "<monthly>" not in added
    assert _cell(model, 3, WORDING) == (
        "A joint committee shall trace persons missing since 2019 & report <monthly>."
    )
    # Unchanged clauses on demand, headings bold.
    model.set_show_unchanged(True)
    qtmodeltester.check(model)
    assert model.rowCount() == 13 and model.hidden == 0
    assert _cell(model, 0, WORDING, HTML_ROLE) == "<b>Preamble</b>"
    assert _cell(model, 0, CHANGE) == "" and _cell(model, 0, 0, MARKER_ROLE) == "unchanged"
    model.clear()
    qtmodeltester.check(model)
    assert model.rowCount() == 0


def test_diff_html_escapes_everything(vault: Vault, korvan: Korvan) -> None:
    update_clause(vault, clauses_of(vault, korvan.working)[1].id, wording="<b>x</b> & y")
    entry = compare_drafts(vault, korvan.d2, korvan.working).entries[1]
    html = diff_html(entry)
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "&amp;" in html and "<b>x" not in html


def _compared(qtbot: Any, view: CompareView, act: Any) -> None:
    """Do ``act`` and wait for the comparison it starts (it runs on a worker)."""
    with qtbot.waitSignal(view.compared, timeout=10_000):
        act()


def test_compare_view_drafts_summary_and_unchanged(
    qtbot: Any, ctx: AppContext, korvan: Korvan, styled_app: QApplication
) -> None:
    view = CompareView(ctx)
    qtbot.addWidget(view)
    view.resize(1024, 700)
    view.show()
    qtbot.waitExposed(view)
    _compared(qtbot, view, lambda: view.set_text(korvan.text))
    labels = [view.old_draft.itemText(i) for i in range(view.old_draft.count())]
    assert labels[0] == "Draft 3 · working draft" and len(labels) == 3
    # The working draft is still draft 2's copy, so the last two circulated are compared.
    assert view.current_pair() == (korvan.d1, korvan.d2)
    assert view.summary.text() == "1 added · 1 removed · 1 moved · 2 changed · 8 unchanged"
    model = view.model
    assert model.rowCount() == 5 and view.table.isVisible()
    # Rows wrap: each row is as tall as its wording at the column's width.
    doc_heights = [
        view.delegate.height_for(r, view.table.columnWidth(WORDING), view.table.font())
        for r in range(model.rowCount())
    ]
    assert [view.table.rowHeight(r) for r in range(model.rowCount())] == [
        max(h, view.table.fontMetrics().lineSpacing() + 12) for h in doc_heights
    ]
    # "Show unchanged clauses" shows every clause of both drafts.
    qtbot.mouseClick(view.show_unchanged, Qt.MouseButton.LeftButton)
    assert view.show_unchanged.isChecked() and model.rowCount() == 13
    narrow = view.table.rowHeight(1)  # the preamble's long sentence
    view.resize(1400, 700)
    qtbot.waitUntil(lambda: view.table.rowHeight(1) < narrow, timeout=5000)
    # Draft 2 → the working draft: nothing changed yet; unchanged hidden, a note says so.
    qtbot.mouseClick(view.show_unchanged, Qt.MouseButton.LeftButton)

    def choose() -> None:
        view.new_draft.setCurrentIndex(view.new_draft.findData(korvan.working))
        view.old_draft.setCurrentIndex(view.old_draft.findData(korvan.d2))

    _compared(qtbot, view, choose)
    assert view.summary.text().startswith("0 added · 0 removed · 0 moved · 0 changed")
    assert model.rowCount() == 0 and view.note.isVisible() and not view.table.isVisible()
    assert "reads exactly as draft 2" in view.note.text()
    # A change in the working draft shows on reload, the drafts chosen kept.
    first = clauses_of(ctx.vault, korvan.working)[1]
    update_clause(ctx.vault, first.id, wording=first.wording.replace("Lake Sarn", "Port Ilva"))
    _compared(qtbot, view, view.reload)
    assert view.current_pair() == (korvan.d2, korvan.working)
    assert [_cell(model, r, 0, MARKER_ROLE) for r in range(model.rowCount())] == ["changed"]
    html = _cell(model, 0, WORDING, HTML_ROLE)
    assert ">Lake Sarn</s>" in html and ">Port Ilva</u>" in html
    # show_draft: that draft against the one before it.
    _compared(qtbot, view, lambda: view.show_draft(korvan.d2))
    assert view.current_pair() == (korvan.d1, korvan.d2) and model.rowCount() == 5
    view.clear()
    assert view.stack.currentWidget() is view.empty and model.rowCount() == 0


def test_compare_view_with_one_draft(
    qtbot: Any, ctx: AppContext, korvan: Korvan, styled_app: QApplication
) -> None:
    fresh = create_text(ctx.vault, korvan.case, "Annex A: the zones")
    view = CompareView(ctx)
    qtbot.addWidget(view)
    _compared(qtbot, view, lambda: view.set_text(fresh))
    assert view.stack.currentWidget() is view.empty
    assert view.empty.title.text() == "Only one draft so far"
    view.set_text(None)
    assert view.empty.title.text() == "No text chosen"
