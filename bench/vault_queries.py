"""First benchmark: open, search and timeline on a big vault, against a plain SQLite copy.

    python -m bench.generate --messages 100000 /tmp/big.liaison
    python -m bench.vault_queries /tmp/big.liaison [--repeat 7]

The same application code (app.core.services) runs on both databases: the vault through
SQLCipher, and a plaintext copy (made with sqlcipher_export into a temporary folder and
deleted afterwards; it holds only generated, fictional data) through the same driver with no
key. Each figure is the median of repeated runs, and the ratio encrypted / plain is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import create_engine, text
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from app.core.services.search import search
from app.core.services.timeline import timeline
from app.core.vault import PAGE_CACHE_KIB, Vault

# Typical look-ups: common and rare words, prefixes, phrases, several scripts and names.
# (bench.generate's vocabulary is small: each of its Latin words is in about 30% of all
# index entries, so most of these are "common terms".)
QUERIES = [
    "ceasefire",
    "water",
    "prisoners amnesty",
    "перемирие",
    "перев",
    "ზავი",
    "هدنة",
    "bord*",
    '"security arrangements"',
    "harvest",
    "Kaldor",
    "ხიდ",
    "checkpoint",
    "monitoring commission",
    "Korvan",
    "elections",
    "الحدود",
    "граница",
    "cemetery",
    "Nadia",
]
# Each search form of issue #18, 20 queries or more, drawn from words really in the data
# (app/core/demo.py, the scale generator's vocabularies and names).
_PLAIN = [
    "ceasefire",
    "water",
    "prisoners amnesty",
    "перемирие",
    "ზავი",
    "هدنة",
    "harvest",
    "Kaldor",
    "checkpoint",
    "monitoring commission",
    "Korvan",
    "election",
    "الحدود",
    "граница",
    "cemetery",
    "Nadia",
    "עצורים",
    "bridge clinic",
    "ხიდი",
    "совет",
]
# The last word is a prefix while typing: every stage of typing a word.
_PREFIX = [
    "ceasef",
    "wat",
    "pris",
    "перев",
    "ხიდ",
    "bord",
    "ha",
    "che",
    "mon",
    "сем",
    "حا",
    "water ro",
    "security arr",
    "vil",
    "inter",
    "გზ",
    "Kal",
    "del",
    "дол",
    "cem",
]
_PHRASE = [
    '"security arrangements"',
    '"water road"',
    '"ceasefire guarantee"',
    '"border crossing"',
    '"prisoners amnesty"',
    '"перемирие гарантии"',
    '"village pass"',
    '"timetable harvest"',
    '"mines cemetery"',
    '"council proposal"',
    '"humanitarian statute"',
    '"valley ministry"',
    '"hospital security"',
    '"election coalition"',
    '"road commission elders"',
    '"ზავი გარანტია"',
    '"هدنة ضمانات"',
    '"bridge clinic"',
    '"winter visit"',
    '"Kaldor"',
]
# The commonest words of the generated data (fts5vocab: each in ~47,500 of 158,000 entries
# at 100k messages), alone and in pairs.
_COMMON = [
    "timetable",
    "harvest",
    "delegation",
    "families",
    "statute",
    "mines",
    "interpreter",
    "observer",
    "detainees",
    "visit",
    "winter",
    "amnesty",
    "elders",
    "crossing",
    "coalition",
    "withdrawal",
    "minister",
    "hospital",
    "timetable harvest",
    "water road",
    "безопасность",
    "movement",
]
# form -> (queries, which filter: "" none, "case" the largest case, "party" one of its parties)
SEARCH_FORMS: dict[str, tuple[list[str], str]] = {
    "plain": (_PLAIN, ""),
    "in one case": (_PLAIN, "case"),
    "for one party": (_PLAIN, "party"),
    "prefix (typing)": (_PREFIX, ""),
    "phrase": (_PHRASE, ""),
    "common terms": (_COMMON, ""),
}


class PlainStore:
    """Just enough of Vault's interface (session()) over an unencrypted copy."""

    def __init__(self, path: Path) -> None:
        def connect() -> Any:
            conn = sqlcipher3.connect(str(path), isolation_level=None, check_same_thread=False)
            conn.execute("PRAGMA foreign_keys = ON")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA temp_store = MEMORY")
            # The vault's own page cache: the baseline differs in the encryption only.
            conn.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
            return conn

        self.engine = create_engine(
            "sqlite+pysqlite://", module=sqlcipher3.dbapi2, creator=connect, poolclass=QueuePool
        )
        self._sessions = sessionmaker(bind=self.engine, expire_on_commit=False)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        with self._sessions() as s:
            yield s

    def close(self) -> None:
        self.engine.dispose()


def make_plain_copy(vault: Vault, dest: Path) -> None:
    with vault.raw_connection() as conn:
        conn.execute("ATTACH DATABASE ? AS plain KEY ''", (str(dest),))
        conn.execute("SELECT sqlcipher_export('plain')")
        conn.execute("DETACH DATABASE plain")


def median_ms(fn: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--passphrase-file")
    args = parser.parse_args()
    passphrase = (
        Path(args.passphrase_file).read_text("utf-8").splitlines()[0]
        if args.passphrase_file
        else os.environ.get("LIAISON_PASSPHRASE", "bench")
    )

    results: list[tuple[str, float, float]] = []
    vault = Vault(args.vault)
    t = time.perf_counter()
    vault.unlock(passphrase)
    unlock_ms = (time.perf_counter() - t) * 1000
    kdf_ms = median_ms(lambda: _derive(vault, passphrase), 3)

    with tempfile.TemporaryDirectory() as tmp:
        plain_path = Path(tmp) / "plain.sqlite"
        make_plain_copy(vault, plain_path)
        vault.lock()

        def open_vault() -> None:
            v = Vault(args.vault)
            v.unlock_with_recovery_key(recovery)  # the raw key: key derivation measured apart
            with v.session() as s:
                s.execute(text("SELECT count(*) FROM cases")).scalar()
            v.lock()

        def open_plain() -> None:
            p = PlainStore(plain_path)
            with p.session() as s:
                s.execute(text("SELECT count(*) FROM cases")).scalar()
            p.close()

        v0 = Vault(args.vault)
        v0.unlock(passphrase)
        recovery = v0.recovery_key()
        v0.lock()
        results.append(
            (
                "open (after key derivation)",
                median_ms(open_vault, args.repeat),
                median_ms(open_plain, args.repeat),
            )
        )

        vault = Vault(args.vault)
        vault.unlock(passphrase)
        plain = PlainStore(plain_path)
        with vault.session() as s:
            n_messages = s.execute(text("SELECT count(*) FROM messages")).scalar()
            case_id = int(
                s.execute(
                    text("SELECT case_id FROM messages GROUP BY case_id ORDER BY count(*) DESC")
                ).scalar_one()
            )
            party_id = s.execute(
                text("SELECT sender_party_id FROM messages WHERE case_id = :c LIMIT 1"),
                {"c": case_id},
            ).scalar()

        for store in (vault, plain):
            search(store, "warmup")  # type: ignore[arg-type]

        def per_query(store: Any, queries: list[str], **kw: Any) -> list[float]:
            def one(q: str) -> Callable[[], object]:
                return lambda: search(store, q, **kw)

            return [median_ms(one(q), args.repeat) for q in queries]

        filters: dict[str, dict[str, Any]] = {
            "": {},
            "case": {"case_id": case_id},
            "party": {"party_id": party_id},
        }
        for label, (queries, scope) in SEARCH_FORMS.items():
            enc = per_query(vault, queries, **filters[scope])
            pl = per_query(plain, queries, **filters[scope])
            n = len(queries)
            results.append(
                (f"search {label}: median of {n}", statistics.median(enc), statistics.median(pl))
            )
            results.append((f"search {label}: p95 of {n}", p95(enc), p95(pl)))

        results.append(
            (
                "timeline of the largest case",
                median_ms(lambda: timeline(vault, case_id), max(3, args.repeat // 2)),
                median_ms(lambda: timeline(plain, case_id), max(3, args.repeat // 2)),  # type: ignore[arg-type]
            )
        )
        n_events = len(timeline(vault, case_id))
        vault.lock()
        plain.close()

    print(
        f"vault: {args.vault} ({args.vault.stat().st_size / 2**20:.0f} MiB, "
        f"{n_messages:,} messages; timeline of case {case_id}: {n_events:,} events)"
    )
    print(
        f"first unlock (key derivation + open): {unlock_ms:.0f} ms; "
        f"key derivation alone (Argon2id v1): {kdf_ms:.0f} ms"
    )
    print()
    print(f"{'measure':46} {'encrypted':>11} {'plain':>11} {'ratio':>7}")
    for name, enc_ms, plain_ms in results:
        ratio = enc_ms / plain_ms if plain_ms else float("nan")
        print(f"{name:46} {enc_ms:9.1f}ms {plain_ms:9.1f}ms {ratio:7.2f}")


def _derive(vault: Vault, passphrase: str) -> None:
    from app.core.vault import KDF_SETS, derive_key

    derive_key(passphrase, vault.path.read_bytes()[:16], KDF_SETS[0])


if __name__ == "__main__":
    main()
