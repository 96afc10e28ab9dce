"""People's names as an export shows them, also inside free text (pure: no Qt, no vault).

With ``codenames`` a person is shown by their codename, or, when they have none, by a neutral
pseudonym ("Person A", "Person B", ... "Person AA", in order of person id), never by their
real name; and :meth:`NameRenderer.text` replaces every real name inside free text.

How free text is matched
------------------------
The text is *folded* into a matching copy, one character at a time (each distinct character
is folded once and cached; the copy is made with ``str.translate``):

* compatibility decomposition and case folding (NFKD, ``casefold``): "ß" is "ss", "ﬁ" is
  "fi", "Ｏ" is "o", NFC and NFD spell the same letters;
* every combining mark (Unicode Mn/Me) is dropped, so "José", "Jose" and "J-o-s-e-U+0301" all
  fold to "jose", and Greek written in capitals without tonos still matches; a few letters
  with no decomposition fold to their base letter ("ø" "o", "ł" "l", "ı" "i", "æ" "ae" ...);
* every invisible format character (soft hyphen, zero-width space/joiners, word joiner, BOM,
  bidi controls ...: Unicode Cf) becomes one invisible marker: inside a name it is skipped,
  next to a name it counts as a word break;
* every space character (NBSP, U+2007, U+202F, tab ...) becomes a plain space, every line
  break "\\n" ("\\r" an invisible marker, so "\\r\\n" is one break), every dash "-" and
  every apostrophe "'".

Where the copy's length differs from the original (only at characters that fold to zero or
several characters: a sorted list of them, or, when there are many, where every character
starts in the copy) maps a match in the copy back to the original string, so the replacement
is made on the original and everything outside names is returned exactly as given (same
characters, same normalisation). A combining mark right after a replaced name is replaced
with it (no accent left dangling on the codename).

The names are folded the same way and split into parts (runs of letters). One regular
expression, built as a prefix tree (so its cost does not grow with the number of people at
each position), matches, whole words only and the longest first:

* the full name, with any run of spaces, tabs, zero-width characters, hyphens or
  apostrophes (at most one line break) between its parts, or none;
* every run of two to four consecutive parts that holds a part of at least three letters
  (so "van Dijk" or "R. Okafor" go as one);
* every single part of at least three letters, except a particle ("van", "del", "bin" ...)
  between two other parts.

Every pattern uses possessive quantifiers between literal letters, so matching is linear in
the text (no catastrophic backtracking). A match that more than one person's names produce
(two "Okafor"s) is replaced by :data:`WITHHELD` unless the matches next to it (only spaces
between, other parts) narrow it to one person: "Ada Okafor" with a middle name left out, or
"Okafor Ada", become that person's one shown name. The whole text is rewritten in one pass, so a
replacement is never matched again.

A codename that would itself show a real name (it holds, as a whole word, a name or part the
renderer hides, of anyone) is not used: the person gets a pseudonym instead (see
:attr:`NameRenderer.rejected_codenames`).

Limits: whole-word matching does not find a name inside a longer word (nor in scripts
written without spaces, such as Chinese), initials that are not in the stored name ("A.
Okafor" for "Ada Okafor" keeps the "A."), transliterations ("Soeren" for "Søren") and
look-alike letters from another script are not matched.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cache
from itertools import accumulate, pairwise
from typing import Any

__all__ = [
    "MIN_PART_LETTERS",
    "PARTICLES",
    "PSEUDONYM_PREFIX",
    "WITHHELD",
    "NameRenderer",
    "PersonName",
    "fold",
]

WITHHELD = "[name withheld]"
PSEUDONYM_PREFIX = "Person "
# A part of a name shorter than this (initials, "al", "de") is matched only with its name.
MIN_PART_LETTERS = 3
# Connecting words between two other parts of a name, never matched on their own.
PARTICLES = frozenset(
    {
        "van", "von", "der", "den", "del", "della", "delle", "dello", "dei", "degli", "des",
        "dos", "das", "ter", "ten", "het", "zum", "zur", "vom", "bin", "ibn", "bint", "binti",
    }
)  # fmt: skip
# The longest run of consecutive parts (short of the full name) matched as one.
_MAX_RUN = 4

# What every invisible format character (and "\r") folds to: a control character that is not
# a word character nor a space, and is Latin-1 so the classes holding it compile fast.
_ZW = "\x1a"
_SPECIAL = {
    "\u0131": "i",  # dotless i (Turkish capital I folds to i)
    "\u00f8": "o",
    "\u0111": "d",
    "\u00f0": "d",
    "\u0142": "l",
    "\u0127": "h",
    "\u0167": "t",
    "\u00e6": "ae",
    "\u0153": "oe",
    "\u00fe": "th",
    "\u02bc": "'",  # modifier letter apostrophe (a letter for \w) is an apostrophe
    "\u0640": "",  # Arabic tatweel: stretches a word, like a mark
    "\u115f": _ZW,  # Hangul fillers: invisible letters
    "\u1160": _ZW,
    "\u3164": _ZW,
    "\uffa0": _ZW,
}

_LINE_BREAKS = frozenset("\n\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_APOSTROPHES = frozenset("'`\u2018\u2019\u201b\u2032")

# In the folded copy every space is " ", every line break "\n", every dash "-" and every
# apostrophe "'", so these classes stay small even in the regex of many names.
_HSEP = f"[ {_ZW}\\-']"
_GAP = f"{_HSEP}*+(?:\n{_HSEP}*+)?"  # between the parts of a name: at most one line break
_GAP_DOT = f"\\.?+{_GAP}"  # where the stored name has a dot ("J. Okafor"), "J Okafor" too
_IN_PART = f"{_ZW}*+"  # between two letters of a part
# What may separate two matches that are one mention of one person ("Okafor Ada").
_MERGE_GAP = re.compile(f"[ {_ZW}]*+(?:\n[ {_ZW}]*+)?")

# Bound on the renderer's caches of matched strings (an adversarial text has many spellings).
_CACHE_SIZE = 4096

# Every character folded so far (at most _FOLD_SIZE; a text may hold any character).
_FOLD: dict[str, str] = {}
_FOLD_SIZE = 1 << 16


def _fold_char(c: str) -> str:
    f = _FOLD.get(c)
    if f is None:
        if len(_FOLD) >= _FOLD_SIZE:
            _FOLD.clear()
        f = _FOLD[c] = _compute_fold(c)
    return f


def _compute_fold(c: str) -> str:
    if c in _SPECIAL:
        return _SPECIAL[c]
    s = unicodedata.normalize("NFKD", c)
    s = unicodedata.normalize("NFKD", s.casefold())
    s = unicodedata.normalize("NFKD", s.casefold())
    out = []
    for ch in s:
        special = _SPECIAL.get(ch)
        if special is not None:
            out.append(special)
            continue
        category = unicodedata.category(ch)
        if category in ("Mn", "Me"):
            continue
        if category == "Cf" or ch == "\r":
            out.append(_ZW)
        elif ch in _LINE_BREAKS:
            out.append("\n")
        elif ch.isspace():
            out.append(" ")
        elif category == "Pd":
            out.append("-")
        elif ch in _APOSTROPHES:
            out.append("'")
        else:
            out.append(ch)
    return "".join(out)


def fold(value: str) -> str:
    """``value`` as the matcher sees it (case, compatibility forms and accents folded)."""
    return _Folded(value).text


@cache
def _spacing_marks() -> tuple[int, ...]:
    """Every spacing mark (Mc): inside words of Indic and other scripts, but not ``\\w``.
    (Folding drops every other mark.)"""
    planes = (range(0x20000), range(0xE0000, 0xE1000))
    return tuple(cp for block in planes for cp in block if unicodedata.category(chr(cp)) == "Mc")


@cache
def _word(windows: frozenset[int] | None = None) -> str:
    """The inside of a regex class of word characters of a folded copy: ``\\w`` and the
    spacing marks, all of them or (``windows``) those of the 256-character windows given.

    The regex of names takes only the windows of its names' letters: a character class with
    every spacing mark, repeated for every first letter, makes compiling slow, and a mark
    of another script next to a name can only make it match where it should not (more is
    withheld, nothing shown)."""
    marks = [cp for cp in _spacing_marks() if windows is None or cp >> 8 in windows]
    ranges: list[tuple[int, int]] = []
    for cp in marks:
        if ranges and ranges[-1][1] == cp - 1:
            ranges[-1] = (ranges[-1][0], cp)
        else:
            ranges.append((cp, cp))
    return "\\w" + "".join(chr(a) if a == b else f"{chr(a)}-{chr(b)}" for a, b in ranges)


@cache
def _part_re() -> re.Pattern[str]:
    """A part of a name in its folded copy (invisible markers inside are skipped)."""
    return re.compile(f"[{_word()}]+(?:{_ZW}+[{_word()}]+)*")


@cache
def _nonword_re() -> re.Pattern[str]:
    return re.compile(f"[^{_word()}]")


@cache
def _ascii_table() -> dict[int, str]:
    return {cp: f for cp in range(128) if (f := _fold_char(chr(cp))) != chr(cp)}


class _Folded:
    """The folded copy of a string and the way back from the copy to the original."""

    __slots__ = ("_folds", "_len", "_orig", "_start", "_starts", "source", "text")

    # Past this share of characters that do not fold to exactly one, index every character.
    _DENSE = 16

    def __init__(self, source: str) -> None:
        self.source = source
        # Sparse: the characters whose fold is not one character (where, where in the copy,
        # how long); dense: where in the copy every character starts. Both empty: the copy
        # has the original's indices.
        self._orig: list[int] = []
        self._start: list[int] = []
        self._len: list[int] = []
        self._starts: array[int] | None = None
        self._folds: dict[str, str] = {}
        if source.isascii():  # every ASCII character folds to one
            self.text = source.translate(_ascii_table())
            return
        table: dict[int, str] = {}
        odd: list[str] = []
        folds = self._folds
        for c in set(source):
            f = folds[c] = _fold_char(c)
            if f != c:
                table[ord(c)] = f
            if len(f) != 1:
                odd.append(c)
        self.text = source.translate(table) if table else source
        if not odd:
            return
        n = len(source)
        if len(odd) > 16 or sum(map(source.count, odd)) > n // self._DENSE:
            # Many (e.g. a long text in NFD): where in the copy every character starts.
            lengths = map(len, map(folds.__getitem__, source))
            self._starts = array("q", accumulate(lengths, initial=0))
            return
        odd_re = re.compile("[" + "".join(re.escape(c) for c in sorted(odd)) + "]")
        self._orig = [m.start() for m in odd_re.finditer(source)]
        self._len = [len(folds[source[q]]) for q in self._orig]
        shifts = accumulate((k - 1 for k in self._len), initial=0)
        self._start = [q + shift for q, shift in zip(self._orig, shifts, strict=False)]

    @property
    def plain(self) -> bool:
        """Whether the copy has the original's indices (every character folds to one)."""
        return not self._orig and self._starts is None

    def origin(self, j: int) -> int:
        """The index in the original of the character whose fold holds copy index ``j``."""
        if self._starts is not None:
            # The last character starting at or before j (those folding to nothing come
            # before the one that holds j).
            return bisect.bisect_right(self._starts, j, 0, len(self.source)) - 1
        k = bisect.bisect_right(self._start, j) - 1
        if k < 0:
            return j
        q, f, n = self._orig[k], self._start[k], self._len[k]
        if j < f + n:
            return q
        return q + 1 + (j - f - n)

    def span(self, a: int, b: int) -> tuple[int, int]:
        """The original span of copy span ``[a, b)`` (``a < b``), with the combining marks
        (and other characters that fold to nothing) right after it."""
        start = self.origin(a)
        end = self.origin(b - 1) + 1
        src = self.source
        while end < len(src) and self._folds.get(src[end]) == "":
            end += 1
        return start, end


@dataclass(frozen=True)
class PersonName:
    """One person as the renderer needs them."""

    id: int
    name: str
    codename: str = ""


@dataclass(frozen=True)
class _Part:
    letters: str  # folded, without invisible markers
    start: int  # span in the original name
    end: int


@dataclass
class _Key:
    parts: tuple[str, ...]
    dots: list[bool]  # per gap: the stored name has a dot there
    people: set[int]
    shown: set[str]  # the original spellings, for hidden_names


class _Trie:
    __slots__ = ("children", "terminal")

    def __init__(self) -> None:
        self.children: dict[tuple[int, str], _Trie] = {}
        self.terminal = False


def _sequence(key: _Key) -> list[tuple[int, str]]:
    """The key as symbols: ``(0, "." or "")`` a gap, ``(1, c)`` a letter."""
    out: list[tuple[int, str]] = []
    for i, part in enumerate(key.parts):
        if i:
            out.append((0, "." if key.dots[i - 1] else ""))
        out.extend((1, c) for c in part)
    return out


def _symbol(symbol: tuple[int, str], after_letter: bool) -> str:
    kind, value = symbol
    if kind == 0:
        return _GAP_DOT if value else _GAP
    return (_IN_PART if after_letter else "") + re.escape(value)


def _trie_regex(keys: Iterable[_Key], word: str) -> str:
    """One alternation of every key, sharing prefixes (a prefix tree), whole words only.

    The check that no word character comes before is made after the first letter, so every
    alternative starts with a literal and the regex engine skips ahead to the next possible
    first letter at C speed."""
    root = _Trie()
    for key in keys:
        node = root
        for sym in _sequence(key):
            node = node.children.setdefault(sym, _Trie())
        node.terminal = True
    # Bottom-up without recursion: the nodes in preorder (with whether the edge into each
    # was a letter), then built in reverse.
    order: list[tuple[_Trie, bool]] = []
    stack: list[tuple[_Trie, bool]] = [(root, False)]
    while stack:
        node, after_letter = stack.pop()
        order.append((node, after_letter))
        stack.extend((child, sym[0] == 1) for sym, child in node.children.items())
    body: dict[int, str] = {}
    for node, after_letter in reversed(order):
        # Gaps sort first: "ann" + gap + "marie" is tried before "anna".
        alts = [
            _symbol(sym, after_letter)
            + (f"(?<![{word}]{re.escape(sym[1])})" if node is root else "")
            + body[id(child)]
            for sym, child in sorted(node.children.items(), key=lambda item: item[0])
        ]
        if not alts:
            body[id(node)] = ""
            continue
        text = "(?:" + "|".join(alts) + ")" if len(alts) > 1 else alts[0]
        # Greedy: a longer name through this node first, this one if that fails.
        body[id(node)] = f"(?:{text})?" if node.terminal else text
    return body[id(root)]


def _key_regex(key: _Key) -> re.Pattern[str]:
    out: list[str] = []
    after_letter = False
    for sym in _sequence(key):
        out.append(_symbol(sym, after_letter))
        after_letter = sym[0] == 1
    return re.compile("".join(out))


def _label(n: int) -> str:
    """0 -> "A", 25 -> "Z", 26 -> "AA" (bijective base 26)."""
    letters = ""
    n += 1
    while n:
        n, r = divmod(n - 1, 26)
        letters = chr(ord("A") + r) + letters
    return letters


def _parts(name: str) -> list[_Part]:
    folded = _Folded(name)
    parts = []
    for m in _part_re().finditer(folded.text):
        start, end = folded.span(*m.span())
        parts.append(_Part(m.group().replace(_ZW, ""), start, end))
    return parts


def _gap_dots(name: str, parts: Sequence[_Part]) -> list[bool]:
    return ["." in fold(name[a.end : b.start]) for a, b in pairwise(parts)]


class NameRenderer:
    """How one export shows people: by name, or (``codenames``) by codename or pseudonym,
    also inside free text."""

    def __init__(self, people: Iterable[PersonName], *, codenames: bool) -> None:
        self.codenames = codenames
        unique: dict[int, PersonName] = {}
        for p in people:
            unique.setdefault(p.id, p)
        self._people = [unique[i] for i in sorted(unique)]
        self._shown: dict[int, str] = {p.id: p.name for p in self._people}
        self._keys: dict[tuple[str, ...], _Key] = {}
        self._by_letters: dict[str, list[_Key]] = {}
        self._key_res: dict[tuple[str, ...], re.Pattern[str]] = {}
        self._regex: re.Pattern[str] | None = None
        self._rejected: list[int] = []
        # What a matched folded string means, and how a set of people is shown.
        self._matched: dict[str, tuple[frozenset[int], frozenset[str]]] = {}
        self._labels: dict[frozenset[int], str] = {}
        if codenames:
            self._build()

    # -- building ---------------------------------------------------------------------

    def _build(self) -> None:
        for p in self._people:
            self._add_name(p.id, p.name)
        if self._keys:
            windows = frozenset(
                ord(c) >> 8 for key in self._keys for part in key for c in part if c >= "\u0900"
            )
            word = _word(windows)
            self._regex = re.compile(f"(?:{_trie_regex(self._keys.values(), word)})(?![{word}])")
            for key in self._keys.values():
                self._by_letters.setdefault("".join(key.parts), []).append(key)
        codenames: dict[int, str] = {}
        for p in self._people:
            codename = (p.codename or "").strip()
            if not codename:
                continue
            if self._regex is not None and self._regex.search(fold(codename)):
                self._rejected.append(p.id)  # it would show a real name
                continue
            codenames[p.id] = codename
        taken = {c.casefold() for c in codenames.values()}
        n = 0
        for p in self._people:
            if p.id in codenames:
                self._shown[p.id] = codenames[p.id]
                continue
            while (label := PSEUDONYM_PREFIX + _label(n)).casefold() in taken:
                n += 1
            n += 1
            self._shown[p.id] = label

    def _add_name(self, person_id: int, name: str) -> None:
        parts = _parts(name)
        if not parts:
            return
        dots = _gap_dots(name, parts)
        k = len(parts)

        def strong(i: int) -> bool:
            return len(parts[i].letters) >= MIN_PART_LETTERS and not (
                0 < i < k - 1 and parts[i].letters in PARTICLES
            )

        runs: set[tuple[int, int]] = set()
        if sum(len(p.letters) for p in parts) >= MIN_PART_LETTERS:
            runs.add((0, k))
        for i in range(k):
            for j in range(i + 1, min(k, i + _MAX_RUN) + 1):
                if any(strong(x) for x in range(i, j)):
                    runs.add((i, j))
        for i, j in runs:
            letters = tuple(p.letters for p in parts[i:j])
            key = self._keys.get(letters)
            if key is None:
                key = self._keys[letters] = _Key(letters, [False] * (j - i - 1), set(), set())
            key.dots = [a or b for a, b in zip(key.dots, dots[i : j - 1], strict=True)]
            key.people.add(person_id)
            key.shown.add(name[parts[i].start : parts[j - 1].end])

    # -- reading ----------------------------------------------------------------------

    def person(self, person_id: int | None) -> str:
        """How the person is shown: "" for none, "person #N" for an unknown id."""
        if person_id is None:
            return ""
        return self._shown.get(person_id, f"person #{person_id}")

    @property
    def hidden_names(self) -> list[str]:
        """Every real-name string (full names and parts, as stored) that :meth:`text`
        replaces; empty without codenames."""
        return sorted({s for key in self._keys.values() for s in key.shown})

    @property
    def rejected_codenames(self) -> list[int]:
        """The ids of people whose codename was not used because it shows a real name (a
        name or part the renderer hides); they are shown by a pseudonym."""
        return list(self._rejected)

    def text(self, value: str) -> str:
        """``value`` with every real name (full, or a part of it) replaced by the shown name
        of its person, or by :data:`WITHHELD` when it may be more than one person."""
        if not self.codenames or self._regex is None or not value:
            return value
        folded = _Folded(value)
        ftext = folded.text
        known = self._matched
        merge_gap = _MERGE_GAP.fullmatch
        # [start, end, people, parts] of each mention, in the folded copy
        runs: list[list[Any]] = []
        last: list[Any] | None = None
        for m in self._regex.finditer(ftext):
            matched = m.group()
            meaning = known.get(matched)
            if meaning is None:
                meaning = self._meaning(matched)
            people, parts = meaning
            a = m.start()
            # One mention of one person: "Okafor Ada", "Ada Okafor" without the middle name
            # (not the same part again: "Ada Okafor\nAda Okafor" is two mentions).
            if (
                last is not None
                and not last[2].isdisjoint(people)
                and last[3].isdisjoint(parts)
                and merge_gap(ftext, last[1], a)
            ):
                last[1] = m.end()
                last[2] = last[2] & people
                last[3] = last[3] | parts
                continue
            last = [a, m.end(), people, parts]
            runs.append(last)
        if not runs:
            return value
        out: list[str] = []
        pos = 0
        plain = folded.plain
        for a, b, people, _parts in runs:
            start, end = (a, b) if plain else folded.span(a, b)
            out.append(value[pos:start])
            out.append(self._resolve(people))
            pos = end
        out.append(value[pos:])
        return "".join(out)

    def _meaning(self, matched: str) -> tuple[frozenset[int], frozenset[str]]:
        """Who a matched (folded) string may be, and the parts of names it holds."""
        keys = self._by_letters.get(_nonword_re().sub("", matched), [])
        if len(keys) > 1:  # "Ann Amarie" and "Anna Marie" both read "annamarie"
            keys = [k for k in keys if self._key_re(k).fullmatch(matched)]
        people = frozenset(p for k in keys for p in k.people)
        parts = frozenset(part for k in keys for part in k.parts)
        if len(self._matched) >= _CACHE_SIZE:
            self._matched.clear()
        self._matched[matched] = (people, parts)
        return people, parts

    def _key_re(self, key: _Key) -> re.Pattern[str]:
        pattern = self._key_res.get(key.parts)
        if pattern is None:
            pattern = self._key_res[key.parts] = _key_regex(key)
        return pattern

    def _resolve(self, people: frozenset[int]) -> str:
        label = self._labels.get(people)
        if label is None:
            shown = {self._shown[p] for p in people}
            label = shown.pop() if len(shown) == 1 else WITHHELD
            if len(self._labels) >= _CACHE_SIZE:
                self._labels.clear()
            self._labels[people] = label
        return label
