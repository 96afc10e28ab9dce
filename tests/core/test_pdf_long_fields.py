"""Absurdly long fields (a 1 MB title, a 1 MB word) are cut or wrapped in PDFs in time that
grows with their length, not with its square."""

from __future__ import annotations

import threading
import unicodedata
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdf
from sqlalchemy import text

from app.core.export.pdf import ExportResult, export_pdf
from app.core.export.pdf.text import TextStyle, Typesetter, clip, clip_rich
from app.core.services.records import Records
from app.core.vault import Vault

MB = 1_000_000
# A hang detector only (the bug took over 5 minutes), under pytest-timeout's 120 s.
HANG = 90.0


def test_a_1_mb_title_and_a_1_mb_word_export_as_a_log(vault: Vault, tmp_path: Path) -> None:
    r = Records(vault)
    case = r.create("case", title="Short", summary="")
    gov = r.create("party", case_id=case, name="Ministry", kind="government")
    front = r.create("party", case_id=case, name="Front", kind="armed_group")
    r.create(
        "message",
        case_id=case,
        sender_party_id=gov,
        recipient_party_id=front,
        said_at=datetime(2026, 3, 1, 12, 0, tzinfo=UTC),
        summary="short",
        content="",
    )
    # Longer than the app lets one type: as a vault imported from elsewhere might hold them.
    title = ("Negotiations on the northern corridor " * (MB // 38 + 1))[:MB]
    word = ("abcdefghijklmnopqrstuvwxyz" * (MB // 26 + 1))[:MB]
    with vault.transaction() as s:
        s.execute(text("UPDATE cases SET title = :t WHERE id = :id"), {"t": title, "id": case})
        s.execute(text("UPDATE messages SET summary = :w"), {"w": word})
    out = tmp_path / "log.pdf"
    results: list[ExportResult | BaseException] = []

    def export() -> None:
        try:
            results.append(export_pdf(vault, kind="log", case_id=case, out_path=out))
        except BaseException as exc:
            results.append(exc)

    worker = threading.Thread(target=export, daemon=True)
    worker.start()
    worker.join(HANG)
    assert not worker.is_alive(), "the export hangs"
    result = results[0]
    assert isinstance(result, ExportResult), result
    # The word fills about 300 pages (it is all shown); the title is cut, not 250 more.
    assert 50 < result.pages < 600
    first = pypdf.PdfReader(out).pages[0].extract_text() or ""
    assert "Negotiations on the northern corridor" in first and "…" in first


def _measured(ts: Typesetter) -> list[int]:
    """Counts the characters every token measured holds (the work of line breaking)."""
    sizes: list[int] = []
    real = ts._token

    def token(para: Any, start: int, end: int, space: bool) -> Any:
        sizes.append(end - start)
        return real(para, start, end, space)

    ts._token = token  # type: ignore[method-assign]
    return sizes


def test_cutting_a_long_word_measures_each_character_a_few_times() -> None:
    """The work is counted, not timed: before, every line measured the whole rest of the word
    several times over (about n² characters for a word of n)."""
    n = 20_000
    ts = Typesetter()
    sizes = _measured(ts)
    word = ("abcdefghij" * (n // 10))[:n]
    lines = ts.layout(word, TextStyle(size=9), 200)
    assert len(lines) > 50
    assert all(line.width <= 200.01 for line in lines)
    assert "".join(p.text for line in lines for p in line.pieces) == word
    assert sum(sizes) < 30 * n


def test_a_long_word_is_cut_between_characters_not_marks() -> None:
    ts = Typesetter()
    word = unicodedata.normalize("NFD", "é") * 3000  # e + combining acute, 6000 characters
    lines = ts.layout(word, TextStyle(size=9), 150)
    texts = [p.text for line in lines for p in line.pieces]
    assert len(lines) > 5 and "".join(texts) == word
    for line in lines:
        assert line.width <= 150.01
        assert line.pieces[0].text[0] == "e"  # no line starts with a lone accent
    # The rest of a cut word shares its line with the words after it, as before.
    per_line = len(ts.layout("x" * 400, TextStyle(size=9), 150)[0].pieces[0].text)
    lines = ts.layout("x" * (3 * per_line + 2) + " and more", TextStyle(size=9), 150)
    assert len(lines) == 4
    assert "".join(p.text for p in lines[-1].pieces) == "xx and more"


def test_clip() -> None:
    assert clip("short") == "short"
    assert clip("x" * 600) == "x" * 499 + "…"
    assert clip("abcdef", 4) == "abc…"
    spans = clip_rich([], 10)
    assert spans == []
    from app.core.export.pdf.text import Span, plain_text

    clipped = clip_rich([Span("abc", bold=True), Span("defghij")], 5)
    assert plain_text(clipped) == "abcd…"
    assert isinstance(clipped, list) and clipped[0].bold
