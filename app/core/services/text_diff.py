"""Comparing two drafts of a text: which clauses were added, removed, moved and changed,
and a word-level diff of each changed wording.

Clauses are matched by their ``key``, which a clause keeps from draft to draft. Of the
clauses both drafts share, those in one longest common subsequence of the two orders stayed
in place; every other shared clause "moved" (so a single clause moved is reported as one
move, not as the whole text shifting around it). A shared clause whose printed wording
(brackets included) or kind differs "changed"; a clause can be both moved and changed.

Everything here is a pure function of the clauses compared, except :func:`snaps` (from the
services' ``ClauseInfo``) and :func:`compare_drafts` (which reads two drafts of a vault).
"""

from __future__ import annotations

import difflib
import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from app.core.errors import ValidationError
from app.core.models import ClauseKind
from app.core.services.text_wording import bracketed
from app.core.services.texts import ClauseInfo, get_draft, read_clauses
from app.core.vault import Vault

# --- what a comparison gives -------------------------------------------------------------


@dataclass(frozen=True)
class ClauseSnap:
    """One clause as compared: its identity, kind and printed wording."""

    key: int
    kind: str  # "heading" | "paragraph"
    text: str  # text_wording.bracketed(wording, alternatives)


@dataclass(frozen=True)
class WordOp:
    op: str  # "equal" | "insert" | "delete"
    text: str


@dataclass(frozen=True)
class ClauseDiff:
    key: int
    old_index: int | None  # index in draft A (None: added)
    new_index: int | None  # index in draft B (None: removed)
    old_number: str | None  # "2.1" in A
    new_number: str | None
    old: ClauseSnap | None
    new: ClauseSnap | None
    moved: bool  # its place among the clauses both drafts share changed
    changed: bool  # wording or kind changed
    words: tuple[WordOp, ...]  # word-level diff old.text -> new.text (empty unless changed)

    @property
    def added(self) -> bool:
        return self.old is None

    @property
    def removed(self) -> bool:
        return self.new is None

    @property
    def unchanged(self) -> bool:
        """In both drafts, in its place, with the same wording and kind."""
        return not (self.added or self.removed or self.moved or self.changed)


@dataclass(frozen=True)
class DraftDiff:
    # B's order; a removed clause right after its nearest preceding A-neighbour that survives
    entries: tuple[ClauseDiff, ...]

    @property
    def added(self) -> int:
        return sum(1 for e in self.entries if e.added)

    @property
    def removed(self) -> int:
        return sum(1 for e in self.entries if e.removed)

    @property
    def moved(self) -> int:
        return sum(1 for e in self.entries if e.moved)

    @property
    def changed(self) -> int:
        return sum(1 for e in self.entries if e.changed)

    @staticmethod
    def unchanged(entry: ClauseDiff) -> bool:
        return entry.unchanged

    @property
    def identical(self) -> bool:
        """Nothing added, removed, moved or changed."""
        return all(e.unchanged for e in self.entries)


# --- words -------------------------------------------------------------------------------

# A word (with inner apostrophes: "party's"), a run of spaces, or a run of punctuation: every
# character falls in exactly one token, so the tokens joined give back the text.
_TOKEN = re.compile(r"\w+(?:['’]\w+)*|\s+|[^\w\s]+")


def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(old: str, new: str) -> tuple[WordOp, ...]:
    """The word-level changes from ``old`` to ``new``: the ``equal`` and ``delete`` texts
    joined give ``old``; the ``equal`` and ``insert`` texts joined give ``new``. A lone
    space between two changes is folded into them, so "the quick brown" → "a slow red"
    reads as one replacement rather than three."""
    a, b = _tokens(old), _tokens(new)
    # The words both start and end with are set aside first: an edit is usually local, and
    # SequenceMatcher's time grows with the square of what it is given.
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    mid_a, mid_b = a[head : len(a) - tail], b[head : len(b) - tail]
    raw: list[tuple[str, str, str]] = [("equal", "".join(a[:head]), "".join(a[:head]))]
    matcher = difflib.SequenceMatcher(None, mid_a, mid_b, autojunk=False)
    for opcode, i1, i2, j1, j2 in matcher.get_opcodes():
        was, now = "".join(mid_a[i1:i2]), "".join(mid_b[j1:j2])
        raw.append(("equal" if opcode == "equal" else "change", was, now))
    end = "".join(a[len(a) - tail :])
    raw.append(("equal", end, end))
    raw = [r for r in raw if r[1] or r[2]]
    # Fold whitespace-only equal runs that sit between two changes into the change.
    folded: list[tuple[str, str, str]] = []
    for i, (kind, was, now) in enumerate(raw):
        between = 0 < i < len(raw) - 1 and raw[i - 1][0] == raw[i + 1][0] == "change"
        if kind == "equal" and between and was.isspace():
            kind = "change"
        if folded and folded[-1][0] == kind == "change":
            _, w0, n0 = folded.pop()
            folded.append(("change", w0 + was, n0 + now))
        else:
            folded.append((kind, was, now))
    out: list[WordOp] = []
    for kind, was, now in folded:
        if kind == "equal":
            _push(out, "equal", was)
        else:
            _push(out, "delete", was)
            _push(out, "insert", now)
    return _words_first(out)


def _words_first(ops: list[WordOp]) -> tuple[WordOp, ...]:
    """A lone insert or delete that starts with the space the text after it also starts
    with is slid right past that space: "Joint[ border] patrols" reads "Joint [border ]
    patrols". The texts the ops join to stay the same."""
    for i in range(1, len(ops) - 1):
        before, op, after = ops[i - 1], ops[i], ops[i + 1]
        if before.op != "equal" or after.op != "equal" or op.op == "equal":
            continue
        lead = len(op.text) - len(op.text.lstrip())
        if 0 < lead < len(op.text) and after.text.startswith(op.text[:lead]):
            space = op.text[:lead]
            ops[i - 1] = WordOp("equal", before.text + space)
            ops[i] = WordOp(op.op, op.text[lead:] + space)
            ops[i + 1] = WordOp("equal", after.text[lead:])
    return tuple(o for o in ops if o.text)


def _push(out: list[WordOp], op: str, text: str) -> None:
    """Append an op, merged with the last one if of the same kind; empty text is dropped."""
    if not text:
        return
    if out and out[-1].op == op:
        out[-1] = WordOp(op, out[-1].text + text)
    else:
        out.append(WordOp(op, text))


def _old_text(words: Sequence[WordOp]) -> str:
    return "".join(w.text for w in words if w.op in ("equal", "delete"))


def _new_text(words: Sequence[WordOp]) -> str:
    return "".join(w.text for w in words if w.op in ("equal", "insert"))


# --- clauses -----------------------------------------------------------------------------


def _positions(clauses: Sequence[ClauseSnap], which: str) -> dict[int, int]:
    pos: dict[int, int] = {}
    for i, c in enumerate(clauses):
        if c.key in pos:
            raise ValueError(f"Draft {which} has two clauses with key {c.key}.")
        pos[c.key] = i
    return pos


def _longest_increasing(seq: Sequence[int]) -> set[int]:
    """The values of one longest strictly increasing subsequence of ``seq`` (distinct
    values), by patience sorting: O(n log n)."""
    tails: list[int] = []  # tails[k]: the smallest value ending an increasing run of k+1
    tail_at: list[int] = []  # index in seq of that value
    back: list[int] = [-1] * len(seq)  # index of the previous element in the best run
    for i, v in enumerate(seq):
        k = bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_at.append(i)
        else:
            tails[k] = v
            tail_at[k] = i
        back[i] = tail_at[k - 1] if k else -1
    out: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        out.add(seq[i])
        i = back[i]
    return out


def _number(numbers: Sequence[str] | None, index: int | None) -> str | None:
    return None if numbers is None or index is None else numbers[index]


def diff_drafts(
    a: Sequence[ClauseSnap],
    b: Sequence[ClauseSnap],
    a_numbers: Sequence[str] | None = None,
    b_numbers: Sequence[str] | None = None,
) -> DraftDiff:
    """Draft ``a`` compared with draft ``b`` (the clauses in order; the numbers as printed,
    if given). Entries come in ``b``'s order; a removed clause follows the nearest clause
    before it in ``a`` that ``b`` kept (or comes first)."""
    a_pos = _positions(a, "A")
    b_pos = _positions(b, "B")
    for numbers, clauses, which in ((a_numbers, a, "A"), (b_numbers, b, "B")):
        if numbers is not None and len(numbers) != len(clauses):
            raise ValueError(
                f"Draft {which} has {len(clauses)} clauses but {len(numbers)} numbers."
            )
    # The shared clauses' places in A, in B's order: those in one longest increasing run
    # kept their order; the others moved.
    in_place = _longest_increasing([a_pos[c.key] for c in b if c.key in a_pos])

    kept: list[ClauseDiff] = []
    for j, new in enumerate(b):
        i = a_pos.get(new.key)
        old = None if i is None else a[i]
        changed = old is not None and (old.text != new.text or old.kind != new.kind)
        kept.append(
            ClauseDiff(
                key=new.key,
                old_index=i,
                new_index=j,
                old_number=_number(a_numbers, i),
                new_number=_number(b_numbers, j),
                old=old,
                new=new,
                moved=i is not None and i not in in_place,
                changed=changed,
                words=word_diff(old.text, new.text) if changed and old is not None else (),
            )
        )
    # Removed clauses, grouped by the surviving clause they follow in A (None: the start).
    after: dict[int | None, list[ClauseDiff]] = {}
    anchor: int | None = None
    for i, old in enumerate(a):
        if old.key in b_pos:
            anchor = old.key
            continue
        after.setdefault(anchor, []).append(
            ClauseDiff(
                key=old.key,
                old_index=i,
                new_index=None,
                old_number=_number(a_numbers, i),
                new_number=None,
                old=old,
                new=None,
                moved=False,
                changed=False,
                words=(),
            )
        )
    entries = list(after.get(None, ()))
    for e in kept:
        entries.append(e)
        entries.extend(after.get(e.key, ()))
    return DraftDiff(tuple(entries))


def apply_diff(a: Sequence[ClauseSnap], diff: DraftDiff) -> list[ClauseSnap]:
    """Draft B rebuilt from draft ``a`` and the changes ``diff`` reports: an unchanged
    clause is taken from ``a``, a changed one is ``a``'s wording with the word diff applied,
    an added one is the diff's. Raises ValueError if ``diff`` was not made from ``a``."""
    seen: set[int] = set()
    placed: dict[int, ClauseSnap] = {}
    for e in diff.entries:
        if e.old_index is not None:
            if not 0 <= e.old_index < len(a) or e.old_index in seen:
                raise ValueError(f"Clause {e.key}: index {e.old_index} does not fit draft A.")
            seen.add(e.old_index)
            if a[e.old_index] != e.old:
                raise ValueError(f"Clause {e.key} is not the clause at {e.old_index} in draft A.")
        if e.new_index is None:
            if e.old_index is None:
                raise ValueError(f"Clause {e.key} is in neither draft.")
            continue
        if e.new is None or e.new_index in placed:
            raise ValueError(f"Clause {e.key}: a second clause at {e.new_index} in draft B.")
        if e.old_index is None:
            clause = e.new
        else:
            base = a[e.old_index]
            if e.changed:
                if _old_text(e.words) != base.text:
                    raise ValueError(f"Clause {e.key}: the word diff does not start from A.")
                clause = ClauseSnap(base.key, e.new.kind, _new_text(e.words))
            else:
                clause = base
        placed[e.new_index] = clause
    if len(seen) != len(a):
        raise ValueError("The diff leaves out clauses of draft A.")
    if sorted(placed) != list(range(len(placed))):
        raise ValueError("The diff's places in draft B have gaps.")
    return [placed[j] for j in range(len(placed))]


# --- from the vault ----------------------------------------------------------------------


def snaps(clauses: Sequence[ClauseInfo]) -> list[ClauseSnap]:
    """The clauses of a draft as compared: key, kind, and the wording as printed with its
    brackets."""
    return [
        ClauseSnap(c.key, ClauseKind(c.kind).value, bracketed(c.wording, c.alternatives))
        for c in clauses
    ]


def compare_drafts(vault: Vault, old_draft_id: int, new_draft_id: int) -> DraftDiff:
    """Two drafts of the same text compared, with the clause numbers each printed."""
    with vault.session() as s:
        old, new = get_draft(s, old_draft_id), get_draft(s, new_draft_id)
        if old.text_id != new.text_id:
            raise ValidationError(
                f"Draft {old.number} and draft {new.number} belong to different texts; "
                "only drafts of the same text can be compared."
            )
        a, b = read_clauses(s, old_draft_id), read_clauses(s, new_draft_id)
    return diff_drafts(snaps(a), snaps(b), [c.number for c in a], [c.number for c in b])


__all__ = [
    "ClauseDiff",
    "ClauseSnap",
    "DraftDiff",
    "WordOp",
    "apply_diff",
    "compare_drafts",
    "diff_drafts",
    "snaps",
    "word_diff",
]
