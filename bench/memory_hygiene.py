"""What the app's memory hygiene costs: the same searches and shuttle-log PDF with SQLCipher's
``cipher_memory_security`` off (a library import, as the other benchmarks run) and on (as
the `liaison` entry point runs the app), each in a fresh process, on one generated vault.

    python -m bench.memory_hygiene [--messages 10000] [--rounds 2]

Prints the median and p95 of 30 searches and the time of one log PDF per process, and the
ratios on / off of the medians. The vault is made with a cheap key derivation in a temporary
folder and deleted afterwards.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from app.core.vault import KdfParams, Vault

CHEAP_KDF = (KdfParams(version=0, time_cost=1, memory_kib=8, parallelism=1),)
PASSPHRASE = "bench passphrase"
WORDS = ("road", "water", "monitor", "prisoner", "ceasefire", "school", "elections", "border")


def _child(path: str, hygiene: bool) -> None:
    """One measurement in this (fresh) process; prints a JSON line."""
    from sqlalchemy import select

    import app.core.vault as vault_module
    from app.core.export.pdf import export_pdf
    from app.core.models import Case
    from app.core.services.search import search

    if hygiene:
        vault_module.enable_memory_hygiene()
    vault = Vault(path, kdf_sets=CHEAP_KDF)
    vault.unlock(PASSPHRASE)
    times = []
    for _ in range(4):
        for word in WORDS:
            started = time.perf_counter()
            search(vault, word)
            times.append(time.perf_counter() - started)
    times.sort()
    with vault.session() as s:
        case_id = s.scalars(select(Case.id)).first()
    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        export_pdf(vault, kind="log", case_id=case_id, out_path=Path(out) / "log.pdf")
        pdf = time.perf_counter() - started
    vault.lock()
    print(
        json.dumps(
            {
                "median_ms": 1000 * statistics.median(times),
                "p95_ms": 1000 * times[int(0.95 * len(times)) - 1],
                "pdf_s": pdf,
            }
        )
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--child", nargs=2, metavar=("VAULT", "HYGIENE"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        _child(args.child[0], args.child[1] == "on")
        return 0
    from app.core.demo import generate_scale

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "hygiene.liaison"
        vault = Vault.create(path, PASSPHRASE, kdf_sets=CHEAP_KDF)
        generate_scale(vault, messages=args.messages, cases=1)
        vault.lock()
        found: dict[str, list[dict[str, float]]] = {"off": [], "on": []}
        for _ in range(args.rounds):
            for mode in ("off", "on"):
                out = subprocess.run(
                    [sys.executable, "-m", "bench.memory_hygiene", "--child", str(path), mode],
                    capture_output=True,
                    text=True,
                    check=True,
                )
                found[mode].append(json.loads(out.stdout.splitlines()[-1]))
    print(f"{args.messages:,} messages; each line one process")
    for mode, runs in found.items():
        for r in runs:
            print(
                f"  {mode:3}  search median {r['median_ms']:6.1f} ms  p95 {r['p95_ms']:6.1f} ms"
                f"  log PDF {r['pdf_s']:5.1f} s"
            )
    for key in ("median_ms", "pdf_s"):
        off = statistics.median(r[key] for r in found["off"])
        on = statistics.median(r[key] for r in found["on"])
        print(f"  on / off, {key}: {on / off:.2f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
