"""Full-text search over everything a user typed (the FTS5 ``search_index``).

The user's words never reach FTS5 as syntax: each word is quoted, so any input is a valid
query. Words must all match (diacritics and case are ignored); a word ending in ``*`` is a
prefix, and so is the last word while the user is still typing; "quoted words" are a phrase.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from sqlalchemy import text

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
    """Ranked hits (best first) with highlighted titles and snippets."""
    query = scoped_match(user_text, case_id=case_id, party_id=party_id, prefix_last=prefix_last)
    if query is None:
        return []
    # Rank first and keep the best `limit`, then make snippets for those alone: snippet()
    # in the ranked query itself would run for every match (tens of thousands of rows).
    filters = ""
    params: dict[str, object] = {"query": query, "limit": limit}
    if kinds:
        names = ", ".join(f":k{i}" for i in range(len(kinds)))
        filters += f" AND si.kind IN ({names})"
        params.update({f"k{i}": k for i, k in enumerate(kinds)})
    sql = (
        "WITH top AS (SELECT si.rowid AS rid,"
        " bm25(search_index, 0.0, 0.0, 0.0, 0.0, 4.0, 1.0) AS score"
        " FROM search_index AS si WHERE search_index MATCH :query"
        + filters
        + " ORDER BY score LIMIT :limit)"
        " SELECT si.kind, si.record_id, si.case_id, c.title,"
        f" highlight(search_index, 4, '{MARK_START}', '{MARK_END}'),"
        f" snippet(search_index, 5, '{MARK_START}', '{MARK_END}', '…', 14), top.score"
        " FROM top JOIN search_index AS si ON si.rowid = top.rid"
        " LEFT JOIN cases AS c ON c.id = si.case_id"
        " WHERE search_index MATCH :query ORDER BY top.score"
    )
    with vault.session() as s:
        rows = s.execute(text(sql), params).all()
    hits = []
    for kind, record_id, cid, case_title, title, snippet, score in rows:
        title = (title or "").strip() or _first_words(snippet)
        hits.append(
            SearchHit(str(kind), int(record_id), cid, case_title, title, snippet or "", score)
        )
    return hits


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
