"""Create a large vault for benchmarks.

    python -m bench.generate --messages 100000 [--seed 1] [--passphrase-file F] VAULT

The vault is created with the real key derivation (as the app does); the passphrase comes
from --passphrase-file, else the LIAISON_PASSPHRASE environment variable, else "bench".
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from app.core.demo import generate_scale
from app.core.errors import LiaisonError
from app.core.vault import Vault

DEFAULT_PASSPHRASE = "bench"
COUNTED = (
    "cases",
    "parties",
    "people",
    "rounds",
    "messages",
    "deliveries",
    "delivery_items",
    "releases",
    "sessions",
    "session_notes",
    "options",
    "stances",
    "profile_entries",
    "actions",
    "notes",
    "search_index",
)


def read_passphrase(path: str | None) -> str:
    if path:
        return Path(path).read_text(encoding="utf-8").rstrip("\r\n")
    return os.environ.get("LIAISON_PASSPHRASE") or DEFAULT_PASSPHRASE


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m bench.generate",
        description="Create VAULT filled with generated, multi-script data for benchmarks.",
    )
    parser.add_argument("vault", metavar="VAULT", help="the new vault file to create")
    parser.add_argument("--messages", type=int, default=100_000, help="number of messages")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    parser.add_argument("--cases", type=int, default=3, help="number of cases (default 3)")
    parser.add_argument(
        "--passphrase-file",
        metavar="F",
        help="read the passphrase from F (default: $LIAISON_PASSPHRASE, else 'bench')",
    )
    args = parser.parse_args(argv)

    path = Path(args.vault)
    if path.exists() or Path(f"{path}-wal").exists():
        print(f"error: {path} already exists; choose a new file name.", file=sys.stderr)
        return 1
    if args.messages < 0 or args.cases < 1:
        print("error: --messages must be >= 0 and --cases >= 1.", file=sys.stderr)
        return 1
    try:
        passphrase = read_passphrase(args.passphrase_file)
    except OSError as exc:
        print(f"error: cannot read {args.passphrase_file}: {exc.strerror}.", file=sys.stderr)
        return 1

    filled_from: list[float] = []
    shown: dict[str, Any] = {"at": 0.0, "stage": ""}

    def progress(stage: str, done: int, total: int) -> None:
        # At most one line a second (and one per stage), so that a million messages (minutes
        # of work) show that they are moving without flooding the terminal.
        now = time.perf_counter()
        if stage == shown["stage"] and now - shown["at"] < 1.0 and done < total:
            return
        shown.update(at=now, stage=stage)
        pct = 100 * done / total if total else 100.0
        print(
            f"  {now - filled_from[0]:7.1f} s  {stage}: {done:,} of {total:,} ({pct:.0f} %)",
            file=sys.stderr,
            flush=True,
        )

    def fill(vault: Vault) -> None:
        filled_from.append(time.perf_counter())
        generate_scale(
            vault, messages=args.messages, seed=args.seed, cases=args.cases, progress=progress
        )

    try:
        t0 = time.perf_counter()
        # Filled under a temporary name and given its name only when complete: a run that is
        # stopped leaves no half-made vault (see Vault.create).
        vault = Vault.create(path, passphrase, fill=fill)
        t1, t2 = filled_from[0], time.perf_counter()
        try:
            with vault.session() as s:
                counts = {t: s.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in COUNTED}
        finally:
            vault.lock()
    except LiaisonError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1

    print(f"created {path} ({path.stat().st_size / 1e6:.1f} MB)")
    print(f"vault creation (key derivation): {t1 - t0:.2f} s")
    print(f"data generation: {t2 - t1:.2f} s")
    for table, n in counts.items():
        print(f"  {table:<16} {n:>10,}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
