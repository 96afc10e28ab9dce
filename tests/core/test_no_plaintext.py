"""No demo text may appear in the vault's files, in UTF-8 or UTF-16, open or closed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import String, Text, select

from app.core.demo import build_demo
from app.core.models import Base
from app.core.vault import Vault


def typed_texts(vault: Vault) -> set[str]:
    """Every text value stored in the vault (what a user would have typed)."""
    out: set[str] = set()
    with vault.session() as s:
        for table in Base.metadata.sorted_tables:
            cols = [c for c in table.columns if isinstance(c.type, String | Text)]
            if not cols:
                continue
            for row in s.execute(select(*cols)):
                out.update(v for v in row if isinstance(v, str) and len(v.strip()) >= 8)
    return out


def vault_files(path: Path) -> list[Path]:
    return [p for p in (Path(str(path) + s) for s in ("", "-wal", "-shm")) if p.exists()]


def assert_nothing_readable(path: Path, texts: set[str]) -> None:
    blobs = [p.read_bytes() for p in vault_files(path)]
    assert blobs
    leaks = []
    for t in texts:
        # A 12-character window of each text is enough to catch a leak and keeps it fast.
        probe = t.strip()[:12]
        for enc in ("utf-8", "utf-16-le", "utf-16-be"):
            needle = probe.encode(enc)
            if any(needle in b for b in blobs):
                leaks.append((probe, enc))
    assert not leaks, f"plaintext found in the vault files: {leaks[:5]}"


def test_demo_vault_holds_no_plaintext(vault: Vault) -> None:
    build_demo(vault)
    texts = typed_texts(vault)
    assert len(texts) > 100
    assert_nothing_readable(vault.path, texts)  # open, with its -wal and -shm
    vault.lock()
    assert_nothing_readable(vault.path, texts)
    conn = sqlite3.connect(vault.path)
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT name FROM sqlite_master").fetchall()
    conn.close()
