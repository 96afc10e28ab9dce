"""Full-text search over everything a user typed (the FTS5 ``search_index``).

The user's words never reach FTS5 as syntax: each word is quoted, so any input is a valid
query. Words must all match (diacritics and case are ignored); a word ending in ``*`` is a
prefix, and so is the last word while the user is still typing; "quoted words" are a phrase.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.orm import Session

from app.core.disclosure.rule import format_day
from app.core.services.paging import Page
from app.core.services.timeline import OUTCOME_WORDS, short_party_name
from app.core.vault import Vault

MARK_START = "\x02"
MARK_END = "\x03"
_TOKEN = re.compile(r'"([^"]*)"?|(\S+)')


@dataclass(frozen=True)
class SearchHit:
    kind: str
    record_id: int
    case_id: int | None
    case_title: str | None
    title: str  # with MARK_START/MARK_END around matches
    snippet: str  # likewise
    score: float


def fts_query(user_text: str, *, prefix_last: bool = True) -> str | None:
    """The FTS5 query for what a user typed, or None when there is nothing to look for."""
    parts: list[str] = []
    matches = list(_TOKEN.finditer(user_text))
    for i, m in enumerate(matches):
        phrase, word = m.group(1), m.group(2)
        if phrase is not None:
            body = phrase.strip()
            prefix = False
        else:
            body = word.strip()
            prefix = body.endswith("*") or (prefix_last and i == len(matches) - 1)
            body = body.rstrip("*")
        # Keep only characters the tokenizer treats as parts of words; the rest separate.
        cleaned = "".join(ch if ch.isalnum() else " " for ch in body).strip()
        if not cleaned:
            continue
        quoted = '"' + cleaned.replace('"', '""') + '"'
        parts.append(quoted + ("*" if prefix else ""))
    return " ".join(parts) if parts else None


def text_match(user_text: str, *, prefix_last: bool = True) -> str | None:
    """The MATCH expression for the user's words, limited to the text columns (so that a
    word never matches the scope tokens ``c12``/``p3``)."""
    query = fts_query(user_text, prefix_last=prefix_last)
    return None if query is None else "{title body} : (" + query + ")"


def scoped_match(
    user_text: str,
    *,
    case_id: int | None = None,
    party_id: int | None = None,
    prefix_last: bool = True,
) -> str | None:
    """The words, and the case's and party's scope tokens: one full-text query, so a filtered
    search is an index intersection, not a filter run over every match."""
    words = text_match(user_text, prefix_last=prefix_last)
    if words is None:
        return None
    parts = [words]
    if case_id is not None:
        parts.append(f'scope : "c{int(case_id)}"')
    if party_id is not None:
        parts.append(f'scope : "p{int(party_id)}"')
    return " AND ".join(parts)


# Ranking every match made a search cost as much as its word is common (a word in a third of
# the vault: 47,000 matches at 100,000 messages, 65 ms; ten times that at a million; and in
# the app, whose memory hygiene makes each of bm25's allocations a system call, 0.6 s).
# So matches are ranked a *window* at a time: the newest index entries (entry = record id *
# 32 + kind, so newest by record id within each kind) holding about RANKED matches, best
# first; then the window below it, and so on. A query with fewer matches than RANKED is one
# window, ranked whole. Windows are read in ascending entry order: FTS5 reads a prefix
# query's doclist backwards only by copying it, which costs a second with memory hygiene on.
RANKED = 500
_WIDEST = 4 * RANKED  # a window holds RANKED.._WIDEST matches (fewer: the last one)
_FIRST_WIDTH = 64 * RANKED  # entries: a word in a third of the messages fills it
BM25 = "bm25(search_index, 0.0, 0.0, 0.0, 0.0, 4.0, 1.0)"  # titles weigh 4, bodies 1


@dataclass(frozen=True)
class SearchPage(Page[SearchHit]):
    """A page of hits. The first also says how many matches its first window holds:
    ``found_all`` when that is every match; otherwise there are more than ``found``.
    Counting every match costs as much as ranking them all, so a common word says "500+"."""

    found: int | None = None
    found_all: bool = False


def search_page(
    vault: Vault,
    user_text: str,
    *,
    case_id: int | None = None,
    party_id: int | None = None,
    kinds: tuple[str, ...] | None = None,
    after: Any = None,
    limit: int = 50,
    prefix_last: bool = True,
) -> SearchPage:
    """One page of ranked hits (best first, a window of the newest matches at a time) with
    highlighted titles and snippets, made for the page's hits alone. ``after``: the
    ``after`` of the page before (keyset: the window, and the last hit's score and entry)."""
    query = scoped_match(user_text, case_id=case_id, party_id=party_id, prefix_last=prefix_last)
    if query is None:
        return SearchPage([], found=0, found_all=True)
    m = _Matches(query, kinds)
    order: list[tuple[int, float, tuple[int, int]]] = []  # (entry, score, window) in order
    found: int | None = None
    found_all = False
    with vault.session() as s:
        if after is None:
            top = _top_entry(s, case_id, party_id)
            window = m.window(s, int(top)) if top is not None else None
            found, found_all = m.last_count, m.last_low == 1
            last: tuple[float, int] | None = None
        else:
            window, last = (after[0], after[1]), (after[2], after[3])
        while window is not None and len(order) <= limit:
            order += [(*r, window) for r in m.ranked(s, window, last, limit + 1 - len(order))]
            if len(order) > limit:
                break
            window = m.window(s, window[0] - 1) if window[0] > 1 else None
            last = None
        kept = order[:limit]
        hits = _hits(s, query, [entry for entry, _, _ in kept])
    page = [replace(hits[entry], score=score) for entry, score, _ in kept if entry in hits]
    next_key: Any = None
    if len(order) > limit:
        entry, score, (low, high) = kept[-1]
        next_key = (low, high, score, entry)
    if found is None:
        return SearchPage(page, next_key)
    return SearchPage(page, next_key, found, found_all)


def _top_entry(s: Session, case_id: int | None, party_id: int | None) -> int | None:
    """Where the windows start: the newest entry, or the newest of the case's or party's
    (whose entries may all be old ones: from the newest of the whole vault, finding the
    first window took some eight counts over entries none of which could match)."""
    scope = [f'scope : "c{int(case_id)}"'] if case_id is not None else []
    scope += [f'scope : "p{int(party_id)}"'] if party_id is not None else []
    if not scope:
        return s.execute(text("SELECT max(rowid) FROM search_index")).scalar()
    return s.execute(
        text(
            "SELECT rowid FROM search_index WHERE search_index MATCH :scope"
            " ORDER BY rowid DESC LIMIT 1"
        ),
        {"scope": " AND ".join(scope)},
    ).scalar()


class _Matches:
    """The query's matches, a window of entries at a time."""

    def __init__(self, query: str, kinds: tuple[str, ...] | None) -> None:
        self.params: dict[str, object] = {"query": query}
        self.kind_filter = ""
        if kinds:
            names = ", ".join(f":k{i}" for i in range(len(kinds)))
            self.kind_filter = f" AND kind IN ({names})"
            self.params.update({f"k{i}": k for i, k in enumerate(kinds)})
        self.last_count = 0
        self.last_low = 0

    def _count(self, s: Session, low: int, high: int) -> int:
        return int(
            s.execute(
                text(
                    "SELECT count(*) FROM (SELECT rowid FROM search_index"
                    " WHERE search_index MATCH :query AND rowid BETWEEN :low AND :high"
                    + self.kind_filter
                    + " LIMIT :most)"
                ),
                {**self.params, "low": low, "high": high, "most": _WIDEST + 1},
            ).scalar_one()
        )

    def window(self, s: Session, high: int) -> tuple[int, int] | None:
        """The entries ``(low, high)`` that end at ``high`` and hold RANKED.._WIDEST
        matches (or all that remain below ``high``); None when none remain. Found from a
        first guess, each try's count (at most _WIDEST + 1 matches read) telling the next
        width (the density it saw), kept between the widths known too narrow and too wide."""
        too_narrow, too_wide = 0, high + 1  # widths known to hold too few / too many
        n = self._count(s, 1, high)  # all that remain, when they fit in one window
        if n <= _WIDEST:
            self.last_count, self.last_low = n, 1
            return (1, high) if n else None
        width = min(_FIRST_WIDTH, high - 1)
        while True:
            low = max(high - width + 1, 1)
            n = self._count(s, low, high)
            if n > _WIDEST and width > 1:
                too_wide = width
            elif n < RANKED and low > 1:
                too_narrow = width
            else:
                break
            if too_wide - too_narrow <= 1:  # cannot happen: one entry more, one match more
                break
            guess = width * 8 if n == 0 else width * 2 * RANKED // n
            # Once both bounds are known, at least a quarter of the way in from either: they
            # close in fast even where one try's density misleads (matches in clusters).
            known = too_narrow > 0 and too_wide <= high
            margin = max((too_wide - too_narrow) // 4, 1) if known else 1
            width = min(max(guess, too_narrow + margin), too_wide - margin)
        self.last_count, self.last_low = n, low
        return None if n == 0 and low == 1 else (low, high)

    def ranked(
        self, s: Session, window: tuple[int, int], last: tuple[float, int] | None, want: int
    ) -> list[tuple[int, float]]:
        """The window's matches best first (ties: newest entry first), after ``last``."""
        sql = (
            "WITH w AS MATERIALIZED (SELECT rowid AS rid, "
            + BM25
            + " AS score FROM search_index WHERE search_index MATCH :query"
            " AND rowid BETWEEN :low AND :high" + self.kind_filter + ") SELECT rid, score FROM w"
        )
        params = {**self.params, "low": window[0], "high": window[1], "want": want}
        if last is not None:
            # A score is the same float each time for the same query and vault.
            sql += " WHERE score > :score OR (score = :score AND rid < :rid)"
            params.update(score=last[0], rid=last[1])
        rows = s.execute(text(sql + " ORDER BY score, rid DESC LIMIT :want"), params).all()
        return [(int(r[0]), float(r[1])) for r in rows]


def _hits(s: Session, query: str, entries: list[int]) -> dict[int, SearchHit]:
    """Titles and snippets for these index entries alone. The entries are read as a range
    of the query's matches (bounded: at most a window or two), not one look-up each: each
    look-up would set the query up again (for a prefix, merging every word it begins)."""
    if not entries:
        return {}
    rows = s.execute(
        text(
            "SELECT si.rowid, si.kind, si.record_id, si.case_id, c.title,"
            f" highlight(search_index, 4, '{MARK_START}', '{MARK_END}'),"
            f" snippet(search_index, 5, '{MARK_START}', '{MARK_END}', '…', 14)"
            " FROM search_index AS si LEFT JOIN cases AS c ON c.id = si.case_id"
            " WHERE search_index MATCH :query AND si.rowid BETWEEN :lo AND :hi"
            " AND +si.rowid IN (SELECT value FROM json_each(:entries))"
        ),
        {"query": query, "lo": min(entries), "hi": max(entries), "entries": json.dumps(entries)},
    ).all()
    untitled: dict[str, list[int]] = {}
    for _, kind, record_id, _, _, title, _ in rows:
        if not (title or "").strip() and kind in _LABELS:
            untitled.setdefault(str(kind), []).append(int(record_id))
    labels = _labels(s, untitled)
    out = {}
    for entry, kind, record_id, cid, case_title, title, snippet in rows:
        title = (
            (title or "").strip()
            or labels.get((str(kind), int(record_id)), "")
            or _first_words(snippet)
        )
        out[int(entry)] = SearchHit(
            str(kind), int(record_id), cid, case_title, title, snippet or "", 0.0
        )
    return out


def _clip(words: str, n: int = 60) -> str:
    words = " ".join(words.split()).rstrip(" .")
    return words if len(words) <= n else words[: n - 1].rstrip() + "…"


def _when(value: Any) -> str:
    return format_day(datetime.fromisoformat(str(value)))


# Kinds whose index entry has no title (only their words are indexed): a hit is called by
# what it is about instead of by its first words. Kind -> (the query, the column it selects
# the page's hits by, the label made of the rest of each row).
_LABELS: dict[str, tuple[str, str, Callable[..., str]]] = {
    "commitment": (
        """SELECT c.id, coalesce(p.name, ''), c.what FROM commitments c
           LEFT JOIN parties p ON p.id = c.party_id""",
        "c.id",
        lambda party, what: f"{short_party_name(party)} — {_clip(what)}",
    ),
    "commitment_event": (
        """SELECT e.id, e.status, coalesce(p.name, ''), c.what FROM commitment_events e
           JOIN commitments c ON c.id = e.commitment_id
           LEFT JOIN parties p ON p.id = c.party_id""",
        "e.id",
        lambda status, party, what: (
            f"{(OUTCOME_WORDS.get(status) or str(status)).capitalize()}: "
            f"{short_party_name(party)} — {_clip(what)}"
        ),
    ),
    "handover": (
        """SELECT h.id, coalesce(o.name, ''), h.handed_at FROM handovers h
           LEFT JOIN outsiders o ON o.id = h.outsider_id""",
        "h.id",
        lambda name, at: f"Handed over to {name}, {_when(at)}",
    ),
    "handover_item": (
        """SELECT i.id, coalesce(o.name, ''), h.handed_at FROM handover_items i
           JOIN handovers h ON h.id = i.handover_id
           LEFT JOIN outsiders o ON o.id = h.outsider_id""",
        "i.id",
        lambda name, at: f"Finding handed over to {name}, {_when(at)}",
    ),
    "case_link": (
        """SELECT l.id, l.kind, coalesce(a.title, ''), coalesce(b.title, '') FROM case_links l
           LEFT JOIN cases a ON a.id = l.from_case_id
           LEFT JOIN cases b ON b.id = l.to_case_id""",
        "l.id",
        lambda kind, a, b: f"“{a}” {'feeds' if kind == 'feeds' else 'is related to'} “{b}”",
    ),
}


def _labels(s: Session, wanted: dict[str, list[int]]) -> dict[tuple[str, int], str]:
    """(kind, record id) -> the label of each of these hits: a query per kind."""
    out: dict[tuple[str, int], str] = {}
    for kind, ids in wanted.items():
        sql, column, label = _LABELS[kind]
        where = f" WHERE {column} IN (SELECT value FROM json_each(:ids))"
        for record_id, *values in s.execute(text(sql + where), {"ids": json.dumps(ids)}):
            out[(kind, int(record_id))] = label(*values)
    return out


def search(
    vault: Vault,
    user_text: str,
    *,
    case_id: int | None = None,
    party_id: int | None = None,
    kinds: tuple[str, ...] | None = None,
    limit: int = 50,
    prefix_last: bool = True,
) -> list[SearchHit]:
    """The best ``limit`` hits (the first page of :func:`search_page`)."""
    return search_page(
        vault,
        user_text,
        case_id=case_id,
        party_id=party_id,
        kinds=kinds,
        limit=limit,
        prefix_last=prefix_last,
    ).rows


def _first_words(snippet: str | None, n: int = 8) -> str:
    words = strip_marks(snippet or "").split()
    return " ".join(words[:n]) + ("…" if len(words) > n else "")


def strip_marks(s: str) -> str:
    return s.replace(MARK_START, "").replace(MARK_END, "")


def marks_to_html(s: str) -> str:
    """Escape for Qt rich text and turn the match markers into bold."""
    return html.escape(s).replace(MARK_START, "<b>").replace(MARK_END, "</b>")


def marks_to_text(s: str, start: str = "[", end: str = "]") -> str:
    return s.replace(MARK_START, start).replace(MARK_END, end)
