"""PDF export on generated data: shuttle logs of 1,000 and 10,000 messages, and the demo
dossier; time, time per page and peak memory (RSS) of each export, each run in a fresh
process (``--runs N``: N runs each, the median time and the highest peak reported).

    python -m bench.pdf_export [--sizes 1000 10000] [--runs 5] [--keep DIR]

Targets (issue #18, a 2-core machine): a 1,000-message log in under 2 s, 10,000 in under
20 s, time linear in the pages; memory bounded: the story is streamed from the database in
batches and the file written as it is formatted, so the peak RSS of 10,000 messages is at
most about 50 MB above that of 1,000 (what remains is ReportLab's page list).

The vaults are made with a cheap key derivation (a benchmark of the export, not of Argon2)
in a temporary folder, deleted afterwards unless --keep is given.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from app.core.vault import KdfParams, Vault

CHEAP_KDF = (KdfParams(version=0, time_cost=1, memory_kib=8, parallelism=1),)
PASSPHRASE = "bench passphrase"


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _one(vault_path: str, kind: str, case_id: int, out: str) -> None:
    """Child process: one export; prints a JSON line."""
    from app.core.export.pdf import export_pdf

    before = _rss_mb()
    vault = Vault(vault_path, kdf_sets=CHEAP_KDF)
    vault.unlock(PASSPHRASE)
    try:
        started = time.perf_counter()
        result = export_pdf(vault, kind=kind, case_id=case_id, out_path=out)
        seconds = time.perf_counter() - started
    finally:
        vault.lock()
    print(
        json.dumps(
            {
                "seconds": seconds,
                "pages": result.pages,
                "bytes": Path(out).stat().st_size,
                "rss_start_mb": before,
                "rss_peak_mb": _rss_mb(),
            }
        )
    )


def _run(vault: Path, kind: str, case_id: int, out: Path) -> dict[str, float]:
    command = [sys.executable, "-m", "bench.pdf_export", "--child", str(vault), kind]
    command += [str(case_id), str(out)]
    proc = subprocess.run(
        command,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def _runs(vault: Path, kind: str, case_id: int, out: Path, n: int) -> dict[str, Any]:
    """``n`` exports, each in a fresh process: the median time, the highest peak RSS."""
    results = [_run(vault, kind, case_id, out) for _ in range(max(n, 1))]
    times = [r["seconds"] for r in results]
    return {
        **results[-1],
        "seconds": statistics.median(times),
        "all": times,
        "rss_peak_mb": max(r["rss_peak_mb"] for r in results),
    }


def _make(folder: Path, name: str, messages: int | None) -> tuple[Path, int, int]:
    """A vault with one generated case of ``messages`` messages (None: the demo); returns
    the path, the case id and the number of messages and deliveries in that case."""
    from sqlalchemy import func, select

    from app.core.demo import build_demo, generate_scale
    from app.core.models import Delivery, Message

    path = folder / f"{name}.liaison"
    vault = Vault.create(path, PASSPHRASE, kdf_sets=CHEAP_KDF)
    try:
        if messages is None:
            build_demo(vault)
        else:
            generate_scale(vault, messages=messages, cases=1)
        with vault.session() as s:
            messages_q = select(func.count()).select_from(Message).where(Message.case_id == 1)
            deliveries_q = select(func.count()).select_from(Delivery).where(Delivery.case_id == 1)
            n = int(s.scalar(messages_q) or 0) + int(s.scalar(deliveries_q) or 0)
    finally:
        vault.lock()
    return path, 1, n


def measure_pdf(quick: bool = False) -> dict[str, float]:
    """For bench.run: PDF shuttle logs (1,000 messages; and 10,000 unless quick) and the
    demo dossier, each exported in a fresh process; seconds and peak RSS."""
    out: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="liaison-pdf-bench-") as tmp:
        folder = Path(tmp)
        for size in [1000] if quick else [1000, 10000]:
            vault, case_id, _ = _make(folder, f"log-{size}", size)
            r = _run(vault, "log", case_id, folder / f"log-{size}.pdf")
            out[f"pdf_{size}_messages_s"] = r["seconds"]
            out[f"pdf_{size}_messages_peak_rss_mb"] = r["rss_peak_mb"]
        vault, case_id, _ = _make(folder, "demo", None)
        r = _run(vault, "dossier", case_id, folder / "dossier.pdf")
        out["pdf_demo_dossier_s"] = r["seconds"]
    return out


def main(argv: list[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] == "--child":
        _one(args[1], args[2], int(args[3]), args[4])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--runs", type=int, default=1, help="exports of each (median time)")
    parser.add_argument("--keep", metavar="DIR", help="keep the vaults and PDFs in DIR")
    opts = parser.parse_args(args)
    with tempfile.TemporaryDirectory(prefix="liaison-pdf-bench-") as tmp:
        folder = Path(opts.keep) if opts.keep else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        rows = []
        for size in opts.sizes:
            t = time.perf_counter()
            vault, case_id, records = _make(folder, f"log-{size}", size)
            made = time.perf_counter() - t
            print(f"generated {size:,} messages ({records:,} with deliveries) in {made:.1f} s")
            r = _runs(vault, "log", case_id, folder / f"log-{size}.pdf", opts.runs)
            rows.append((f"shuttle log, {size:,} messages", r))
        vault, case_id, _ = _make(folder, "demo", None)
        r = _runs(vault, "dossier", case_id, folder / "dossier.pdf", opts.runs)
        rows.append(("demo dossier", r))
        print()
        print(
            f"{'export':32} {'time':>8} {'pages':>6} {'ms/page':>8} {'size':>9} {'peak RSS':>9}"
            "  runs (s)"
        )
        for label, r in rows:
            runs = ", ".join(f"{t:.2f}" for t in r["all"])
            print(
                f"{label:32} {r['seconds']:7.2f}s {int(r['pages']):6d} "
                f"{r['seconds'] * 1000 / max(r['pages'], 1):8.1f} "
                f"{r['bytes'] / 1e6:7.1f}MB {r['rss_peak_mb']:7.0f}MB  {runs}"
            )
        if opts.keep:
            print(f"\nvaults and PDFs kept in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
