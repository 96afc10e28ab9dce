"""Comparing two drafts (issue 16): clauses added, removed, moved and changed, with a
word-level diff; property tests that the reported changes rebuild draft B from draft A."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.core.errors import ValidationError
from app.core.services.records import Records
from app.core.services.text_circulation import circulate
from app.core.services.text_diff import (
    ClauseSnap,
    DraftDiff,
    WordOp,
    apply_diff,
    compare_drafts,
    diff_drafts,
    word_diff,
)
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

PROPERTY = settings(max_examples=100, deadline=None)

WORDS = ["the", "parties", "agree", "border", "commission", "patrols", "zone", "shall", "within"]
SEPARATORS = [" ", " ", " ", ", ", ". ", "; ", " — "]


@st.composite
def wordings(draw: st.DrawFn) -> str:
    """Clause-like wording from a small vocabulary, so that edits share words."""
    n = draw(st.integers(0, 8))
    parts = [draw(st.sampled_from(WORDS)) for _ in range(n)]
    seps = [draw(st.sampled_from(SEPARATORS)) for _ in range(n - 1)] + [""]
    out = "".join(p + s for p, s in zip(parts, seps, strict=False))
    return out + draw(st.sampled_from(["", ".", " [Government: patrols] [Front: a commission]"]))


texts = st.one_of(wordings(), st.text(max_size=30))
kinds = st.sampled_from(["heading", "paragraph", "paragraph", "paragraph"])


@st.composite
def drafts(draw: st.DrawFn, max_size: int = 12) -> list[ClauseSnap]:
    keys = draw(st.lists(st.integers(1, 60), unique=True, max_size=max_size))
    return [ClauseSnap(k, draw(kinds), draw(texts)) for k in keys]


def edit(draw: st.DrawFn, c: ClauseSnap) -> ClauseSnap:
    """The clause with different wording (or, now and then, a different kind)."""
    if draw(st.integers(0, 4)) == 0:
        return ClauseSnap(c.key, "heading" if c.kind == "paragraph" else "paragraph", c.text)
    words = c.text.split(" ")
    at = draw(st.integers(0, len(words)))
    new = " ".join([*words[:at], draw(st.sampled_from(WORDS)) + "s", *words[at + 1 :]])
    return ClauseSnap(c.key, c.kind, new)


@st.composite
def derived(draw: st.DrawFn) -> tuple[list[ClauseSnap], list[ClauseSnap]]:
    """Draft A, and draft B made from it by random removes, edits, moves and adds."""
    a = draw(drafts())
    b = list(a)
    for _ in range(draw(st.integers(0, 3))):
        if b:
            b.pop(draw(st.integers(0, len(b) - 1)))
    for _ in range(draw(st.integers(0, 3))):
        if b:
            i = draw(st.integers(0, len(b) - 1))
            b[i] = edit(draw, b[i])
    for _ in range(draw(st.integers(0, 3))):
        if b:
            c = b.pop(draw(st.integers(0, len(b) - 1)))
            b.insert(draw(st.integers(0, len(b))), c)
    next_key = 100
    for _ in range(draw(st.integers(0, 3))):
        b.insert(draw(st.integers(0, len(b))), ClauseSnap(next_key, draw(kinds), draw(texts)))
        next_key += 1
    return a, b


def lcs_length(x: Sequence[int], y: Sequence[int]) -> int:
    """The textbook O(n·m) longest common subsequence, as an oracle."""
    row = [0] * (len(y) + 1)
    for xi in x:
        prev = 0
        for j, yj in enumerate(y, 1):
            prev, row[j] = row[j], prev + 1 if xi == yj else max(row[j], row[j - 1])
    return row[-1]


def check_diff(a: list[ClauseSnap], b: list[ClauseSnap], diff: DraftDiff) -> None:
    """Everything a diff promises about A and B, checked against the drafts themselves."""
    assert apply_diff(a, diff) == b
    a_keys, b_keys = [c.key for c in a], [c.key for c in b]
    assert diff.added == len(set(b_keys) - set(a_keys))
    assert diff.removed == len(set(a_keys) - set(b_keys))
    assert diff.changed == sum(1 for c in b if c.key in a_keys and a[a_keys.index(c.key)] != c)
    # As few moves as can explain the new order.
    common_a = [k for k in a_keys if k in b_keys]
    common_b = [k for k in b_keys if k in a_keys]
    assert diff.moved == len(common_a) - lcs_length(common_a, common_b)
    # The clauses not moved keep their order.
    stayed = [e.old_index for e in diff.entries if e.old and e.new and not e.moved]
    assert stayed == sorted(stayed)
    # Entries in B's order; each removed clause right after the clause before it in A
    # that B kept (or first).
    assert [e.new_index for e in diff.entries if e.new] == list(range(len(b)))
    for n, e in enumerate(diff.entries):
        assert e.key == (e.new or e.old).key  # type: ignore[union-attr]
        assert e.words == () or e.changed
        if e.removed:
            assert e.old_index is not None
            kept = [k for k in a_keys[: e.old_index] if k in b_keys]
            before = [x for x in diff.entries[:n] if not x.removed]
            if kept:
                assert before and before[-1].key == kept[-1]
            else:
                assert not before


# --- (a) the reported changes rebuild B --------------------------------------------------


@PROPERTY
@given(derived())
def test_applying_the_diff_to_a_gives_b(pair: tuple[list[ClauseSnap], list[ClauseSnap]]) -> None:
    a, b = pair
    check_diff(a, b, diff_drafts(a, b))


@PROPERTY
@given(drafts(), drafts())
def test_applying_the_diff_of_any_two_drafts_gives_b(
    a: list[ClauseSnap], b: list[ClauseSnap]
) -> None:
    check_diff(a, b, diff_drafts(a, b))


@PROPERTY
@given(derived(), drafts(max_size=3))
def test_a_diff_does_not_apply_to_another_draft(
    pair: tuple[list[ClauseSnap], list[ClauseSnap]], other: list[ClauseSnap]
) -> None:
    a, b = pair
    diff = diff_drafts(a, b)
    if other != a:
        with pytest.raises(ValueError):
            apply_diff(other, diff)


# --- (b), (c) moves are moves ------------------------------------------------------------


@st.composite
def one_move(draw: st.DrawFn) -> tuple[list[ClauseSnap], list[ClauseSnap], int]:
    """Draft A (3+ clauses), B with one clause moved at least two places and other clauses
    edited at random, and the moved clause's key. (A clause moved by one place is a swap
    of two neighbours: either may fairly be called the one that moved.)"""
    a = draw(drafts().filter(lambda d: len(d) >= 3))
    far = {i: [j for j in range(len(a)) if abs(j - i) >= 2] for i in range(len(a))}
    i = draw(st.sampled_from([i for i in far if far[i]]))
    j = draw(st.sampled_from(far[i]))
    b = [c if c is a[i] or draw(st.booleans()) else edit(draw, c) for c in a]
    b.insert(j, b.pop(i))
    return a, b, a[i].key


@PROPERTY
@given(one_move())
def test_a_clause_moved_unchanged_is_one_move(
    case: tuple[list[ClauseSnap], list[ClauseSnap], int],
) -> None:
    a, b, key = case
    diff = diff_drafts(a, b)
    [moved] = [e for e in diff.entries if e.moved]
    assert moved.key == key and not moved.changed and moved.words == ()
    assert moved.old_index == [c.key for c in a].index(key)
    assert moved.new_index == [c.key for c in b].index(key)
    assert diff.added == diff.removed == 0
    check_diff(a, b, diff)


@PROPERTY
@given(one_move(), st.data())
def test_a_clause_edited_and_moved_shows_both(
    case: tuple[list[ClauseSnap], list[ClauseSnap], int], data: st.DataObject
) -> None:
    a, b, key = case
    at = [c.key for c in b].index(key)
    b[at] = ClauseSnap(key, b[at].kind, b[at].text + " " + data.draw(st.sampled_from(WORDS)))
    diff = diff_drafts(a, b)
    [moved] = [e for e in diff.entries if e.moved]
    assert moved.key == key and moved.changed
    assert any(w.op == "insert" for w in moved.words)
    assert "".join(w.text for w in moved.words if w.op != "delete") == b[at].text
    assert diff.added == diff.removed == 0
    check_diff(a, b, diff)


# --- (d) word diff -----------------------------------------------------------------------


@PROPERTY
@given(texts, texts)
def test_word_diff_reassembles_both_texts(old: str, new: str) -> None:
    ops = word_diff(old, new)
    assert "".join(w.text for w in ops if w.op in ("equal", "delete")) == old
    assert "".join(w.text for w in ops if w.op in ("equal", "insert")) == new
    assert all(w.text and w.op in ("equal", "insert", "delete") for w in ops)
    assert all(x.op != y.op for x, y in pairwise(ops))
    if old == new:
        assert all(w.op == "equal" for w in ops)


def test_word_diff_keeps_words_whole_and_reads_as_replacements() -> None:
    assert word_diff("Joint patrols in the zone.", "Joint border patrols in the buffer zone.") == (
        WordOp("equal", "Joint "),
        WordOp("insert", "border "),
        WordOp("equal", "patrols in the "),
        WordOp("insert", "buffer "),
        WordOp("equal", "zone."),
    )
    assert word_diff("the quick brown fox", "a slow red fox") == (
        WordOp("delete", "the quick brown"),
        WordOp("insert", "a slow red"),
        WordOp("equal", " fox"),
    )
    # A party's bracket changed: only its words are marked.
    assert word_diff("on [Government: patrols].", "on [Government: joint patrols].") == (
        WordOp("equal", "on [Government: "),
        WordOp("insert", "joint "),
        WordOp("equal", "patrols]."),
    )
    assert word_diff("", "") == ()


# --- (e) nothing changed -----------------------------------------------------------------


@PROPERTY
@given(drafts())
def test_unchanged_drafts_show_no_change(a: list[ClauseSnap]) -> None:
    diff = diff_drafts(a, [ClauseSnap(c.key, c.kind, c.text) for c in a])
    assert (diff.added, diff.removed, diff.moved, diff.changed) == (0, 0, 0, 0)
    assert diff.identical and all(DraftDiff.unchanged(e) for e in diff.entries)
    assert [e.key for e in diff.entries] == [c.key for c in a]


# --- (f) by hand -------------------------------------------------------------------------


def p(key: int, text: str, kind: str = "paragraph") -> ClauseSnap:
    return ClauseSnap(key, kind, text)


def test_a_worked_example_with_numbers() -> None:
    a = [
        p(1, "Security", "heading"),
        p(2, "Joint patrols in the zone."),
        p(3, "A border commission."),
        p(4, "Return", "heading"),
        p(5, "Refugees return in safety."),
        p(6, "Property claims."),
    ]
    b = [
        p(1, "Security", "heading"),
        p(3, "A border commission."),
        p(4, "Return", "heading"),
        p(5, "Refugees return in safety and dignity."),
        p(2, "Joint patrols in the buffer zone."),
        p(7, "A fund for returnees."),
    ]
    diff = diff_drafts(
        a, b, ["1", "1.1", "1.2", "2", "2.1", "2.2"], ["1", "1.1", "2", "2.1", "2.2", "2.3"]
    )
    rows = [
        (e.key, e.old_number, e.new_number, e.added, e.removed, e.moved, e.changed)
        for e in diff.entries
    ]
    assert rows == [
        (1, "1", "1", False, False, False, False),
        (3, "1.2", "1.1", False, False, False, False),
        (4, "2", "2", False, False, False, False),
        (5, "2.1", "2.1", False, False, False, True),
        (6, "2.2", None, False, True, False, False),  # after 5, its neighbour in A
        (2, "1.1", "2.2", False, False, True, True),
        (7, None, "2.3", True, False, False, False),
    ]
    assert (diff.added, diff.removed, diff.moved, diff.changed) == (1, 1, 1, 2)
    assert diff.entries[5].words == (
        WordOp("equal", "Joint patrols in the "),
        WordOp("insert", "buffer "),
        WordOp("equal", "zone."),
    )
    assert apply_diff(a, diff) == b


def test_removed_first_clauses_come_first_and_a_kind_change_is_a_change() -> None:
    a = [p(1, "Old preamble"), p(2, "Ceasefire", "paragraph")]
    b = [p(2, "Ceasefire", "heading")]
    diff = diff_drafts(a, b)
    assert [(e.key, e.removed, e.changed) for e in diff.entries] == [
        (1, True, False),
        (2, False, True),
    ]
    assert diff.entries[1].words == (WordOp("equal", "Ceasefire"),)
    assert apply_diff(a, diff) == b


def test_duplicate_keys_and_wrong_numbers_are_refused() -> None:
    with pytest.raises(ValueError):
        diff_drafts([p(1, "x"), p(1, "y")], [])
    with pytest.raises(ValueError):
        diff_drafts([], [p(1, "x"), p(1, "y")])
    with pytest.raises(ValueError):
        diff_drafts([p(1, "x")], [p(1, "x")], ["1", "2"], None)


def test_three_hundred_clauses_with_one_block_moved() -> None:
    a = [p(k, f"Clause {k} of the text.") for k in range(300)]
    b = a[:100] + a[150:250] + a[100:150] + a[250:]
    diff = diff_drafts(a, b)
    assert diff.moved == 50 and {e.key for e in diff.entries if e.moved} == set(range(100, 150))
    assert apply_diff(a, diff) == b


# --- through the vault -------------------------------------------------------------------


def test_compare_drafts_of_a_text(vault: Vault) -> None:
    r = Records(vault)
    case = r.create("case", title="Korvan talks")
    gov = r.create("party", case_id=case, name="Government", kind="government")
    front = r.create("party", case_id=case, name="Front", kind="armed_group")
    text = create_text(vault, case, "Working paper")
    d1 = drafts_of(vault, text)[-1].id
    add_clause(vault, d1, wording="Security", kind="heading")
    patrols = add_clause(vault, d1, wording="The parties agree on {1} in the zone.")
    set_alternatives(
        vault,
        patrols,
        [NewAlternative(1, gov, "joint patrols"), NewAlternative(1, front, "disarmament")],
    )
    add_clause(vault, d1, wording="A border commission meets monthly.")
    add_clause(vault, d1, wording="Return", kind="heading")
    add_clause(vault, d1, wording="Refugees return in safety.")
    add_clause(vault, d1, wording="Property claims go to a tribunal.")
    d2 = circulate(vault, d1, [gov, front], at=datetime(2026, 3, 2, tzinfo=UTC)).working_draft_id

    by_wording = {c.wording: c for c in clauses_of(vault, d2)}
    refugees = by_wording["Refugees return in safety."]
    move_clause(vault, by_wording["A border commission meets monthly."].id, 5)
    update_clause(vault, refugees.id, wording="Refugees return in safety and dignity.")
    delete_clause(vault, by_wording["Property claims go to a tribunal."].id)
    set_alternatives(
        vault,
        by_wording["The parties agree on {1} in the zone."].id,
        [NewAlternative(1, gov, "joint patrols"), NewAlternative(1, front, "phased disarmament")],
    )
    add_clause(vault, d2, wording="A fund for returnees.", index=5)

    diff = compare_drafts(vault, d1, d2)
    rows = [
        (e.old_number, e.new_number, e.added, e.removed, e.moved, e.changed) for e in diff.entries
    ]
    assert rows == [
        ("1", "1", False, False, False, False),  # Security
        ("1.1", "1.1", False, False, False, True),  # the Front's bracket changed
        ("2", "2", False, False, False, False),  # Return
        ("2.1", "2.1", False, False, False, True),  # Refugees
        ("2.2", None, False, True, False, False),  # Property claims, removed
        ("1.2", "2.2", False, False, True, False),  # the commission moved under Return
        (None, "2.3", True, False, False, False),  # the fund
    ]
    assert diff.entries[1].words == (
        WordOp("equal", "The parties agree on [Government: joint patrols] [Front: "),
        WordOp("insert", "phased "),
        WordOp("equal", "disarmament] in the zone."),
    )
    same = compare_drafts(vault, d1, d1)
    assert same.identical and len(same.entries) == 6

    other = create_text(vault, case, "Another paper")
    with pytest.raises(ValidationError, match="different texts"):
        compare_drafts(vault, d1, drafts_of(vault, other)[-1].id)
