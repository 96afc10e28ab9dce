"""GUI on a big vault: first screen of the shuttle log after unlock, scrolling, memory.

    python -m bench.generate --messages 100000 /tmp/big.liaison
    python -m bench.gui_open /tmp/big.liaison

Offscreen. "First screen" is from the moment the vault is unlocked (key derivation done) to
the shuttle log of the largest case painted with its first rows. Scrolling is measured as
the time to fetch and paint each further batch while paging to the end; memory is the
process's peak resident size. Baseline in the same run: the same first page read with raw
SQL, so the ratio shows what the GUI layers cost over the database.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QModelIndex, QSettings
from PySide6.QtWidgets import QApplication, QTableView, QWidget
from sqlalchemy import text

from app.core.vault import Vault
from app.gui.app import make_application

SIZE = (1360, 840)  # as in every earlier run of this benchmark


def rss_mb() -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def show_shuttle_log(window: QWidget, case_id: int) -> QTableView:
    """Select the case and bring its shuttle log into view, as a user would; return the
    message list's table. Through the window's public names, whatever its layout."""
    cases_model = getattr(window, "cases_model")  # noqa: B009 (fails loudly if renamed)
    case_list = getattr(window, "case_list")  # noqa: B009
    row = cases_model.row_of(case_id)
    case_list.setCurrentIndex(cases_model.index(row or 0, 0))
    for method, key in (("open_section", "shuttle"), ("show_section", "messages")):
        fn = getattr(window, method, None)
        if callable(fn):
            try:
                fn(key)
                break
            except KeyError:
                continue
    else:
        raise SystemExit("the window has neither open_section('shuttle') nor show_section")
    table = window.findChild(QTableView, "table_message")
    if table is None:
        raise SystemExit("no message list (a QTableView named table_message) in the window")
    return table


def settle(app: QApplication, timeout: float = 60.0) -> None:
    """Process events until no worker of the GUI is running any more (a section's first
    screen includes what it reads on workers), then paint."""
    from app.gui import workers

    end = time.perf_counter() + timeout
    while True:
        app.processEvents()
        if not workers._running or time.perf_counter() > end:
            break
        time.sleep(0.0005)
    app.processEvents()


def section_first_screens(app: QApplication, window: QWidget, case_id: int) -> dict[str, float]:
    """Seconds from asking for each section (and each page of a section with pages) to its
    first screen painted with what it reads, in one window opened on ``case_id``: the first
    time each is shown after unlock, as a user going through them would see it."""
    from PySide6.QtWidgets import QTabWidget

    out: dict[str, tuple[float, float]] = {}
    keys = [entry.key for entry in window.section_table()]  # type: ignore[attr-defined]
    show_shuttle_log(window, case_id)
    settle(app)
    for key in keys:
        t, cpu = time.perf_counter(), time.process_time()
        section = window.open_section(key)  # type: ignore[attr-defined]
        settle(app)
        window.repaint()
        out[key] = (time.perf_counter() - t, time.process_time() - cpu)
        tabs = section.findChild(QTabWidget) if isinstance(section, QWidget) else None
        if tabs is None:
            continue
        for i in range(tabs.count()):
            if i == tabs.currentIndex():
                continue
            t, cpu = time.perf_counter(), time.process_time()
            tabs.setCurrentIndex(i)
            settle(app)
            window.repaint()
            out[f"{key} ▸ {tabs.tabText(i)}"] = (
                time.perf_counter() - t,
                time.process_time() - cpu,
            )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vault", type=Path)
    parser.add_argument("--passphrase", default=os.environ.get("LIAISON_PASSPHRASE", "bench"))
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--json", type=Path, help="also write the metrics here (bench.run reads them)"
    )
    args = parser.parse_args()

    from app.gui.main_window import MainWindow

    app = make_application()
    settings = QSettings(
        str(Path("/tmp") / "liaison-bench-settings.ini"), QSettings.Format.IniFormat
    )
    from bench.run import kdf_in_child

    kdf_ms, key, kdf_peak = kdf_in_child(args.vault, args.passphrase)
    unlock_s = kdf_ms / 1000
    probe = Vault(args.vault)
    probe.unlock_with_recovery_key(key)
    with probe.session() as s:
        case_id = int(
            s.execute(
                text("SELECT case_id FROM messages GROUP BY case_id ORDER BY count(*) DESC LIMIT 1")
            ).scalar_one()
        )
        n_case = s.execute(
            text("SELECT count(*) FROM messages WHERE case_id = :c"), {"c": case_id}
        ).scalar()
    probe.lock()

    first_screen: list[float] = []
    first_screen_cpu: list[float] = []
    raw_first_page: list[float] = []
    for _ in range(args.repeat):
        vault = Vault(args.vault)
        vault.unlock_with_recovery_key(key)  # unlocked: the clock starts here
        t, cpu = time.perf_counter(), time.process_time()
        window = MainWindow(vault, settings)
        window.resize(*SIZE)
        window.show()
        table = show_shuttle_log(window, case_id)
        app.processEvents()
        table.viewport().repaint()
        first_screen.append(time.perf_counter() - t)
        first_screen_cpu.append(time.process_time() - cpu)
        assert table.model().rowCount() > 0
        with vault.session() as s:
            t = time.perf_counter()
            s.execute(
                text("SELECT * FROM messages WHERE case_id = :c ORDER BY said_at DESC LIMIT 200"),
                {"c": case_id},
            ).all()
            raw_first_page.append(time.perf_counter() - t)
        window.close()
        app.processEvents()
        vault.lock() if vault.is_unlocked else None

    # Every section's (and page's) first screen, each in a new window after unlock.
    per_section: dict[str, list[tuple[float, float]]] = {}
    for _ in range(max(1, args.repeat // 3)):
        vault = Vault(args.vault)
        vault.unlock_with_recovery_key(key)
        window = MainWindow(vault, settings)
        window.resize(*SIZE)
        window.show()
        for name, times in section_first_screens(app, window, case_id).items():
            per_section.setdefault(name, []).append(times)
        window.close()
        app.processEvents()
        vault.lock() if vault.is_unlocked else None
    sections_ms = {
        name: statistics.median(w for w, _ in v) * 1000 for name, v in per_section.items()
    }
    sections_cpu_ms = {
        name: statistics.median(c for _, c in v) * 1000 for name, v in per_section.items()
    }

    # Scroll a whole case to the end, batch by batch, as a user dragging the scroll bar would.
    vault = Vault(args.vault)
    vault.unlock_with_recovery_key(key)
    window = MainWindow(vault, settings)
    window.resize(*SIZE)
    window.show()
    view = show_shuttle_log(window, case_id)
    app.processEvents()
    model = view.model()
    batches: list[float] = []
    start = time.perf_counter()
    while model.canFetchMore(QModelIndex()):
        t = time.perf_counter()
        model.fetchMore(QModelIndex())
        view.scrollToBottom()
        view.viewport().repaint()
        batches.append(time.perf_counter() - t)
    whole = time.perf_counter() - start
    rows = model.rowCount()
    rss_end = rss_mb()
    window.close()
    vault.lock()
    QApplication.processEvents()

    ms = 1000
    print(f"vault: {args.vault} · largest case {case_id}: {n_case:,} messages")
    print(f"key derivation (in a child process, peak {kdf_peak:.0f} MB): {unlock_s * ms:.0f} ms")
    med_first = statistics.median(first_screen) * ms
    med_cpu = statistics.median(first_screen_cpu) * ms
    med_raw = statistics.median(raw_first_page) * ms
    print(
        f"first screen of the shuttle log after unlock: median {med_first:.0f} ms, "
        f"min {min(first_screen) * ms:.0f}, max {max(first_screen) * ms:.0f} ms (target < 200 ms: "
        f"{'PASS' if med_first < 200 else 'FAIL'}); CPU time of the process, which other "
        f"programs on the machine disturb less: median {med_cpu:.0f} ms"
    )
    print(
        f"  baseline, the same first page with raw SQL: {med_raw:.1f} ms "
        f"(app / raw SQL = {med_first / med_raw:.0f}; the rest is building the window)"
    )
    p95_batch = sorted(batches)[int(0.95 * (len(batches) - 1))]
    print(
        f"scrolling: {len(batches)} batches of 200 rows, "
        f"median {statistics.median(batches) * ms:.1f} ms, p95 {p95_batch * ms:.1f} ms, "
        f"max {max(batches) * ms:.1f} ms; all {rows:,} rows in {whole:.1f} s"
    )
    print(
        f"memory: RSS at the end {rss_end:.0f} MB, peak {peak_mb():.0f} MB "
        f"(target < 400 MB: {'PASS' if peak_mb() < 400 else 'FAIL'})"
    )
    worst = max(sections_ms, key=sections_ms.__getitem__)
    print("first screen of each section (median, ms): wall, CPU of the process")
    for name, value in sections_ms.items():
        print(f"  {name:36} {value:8.0f} {sections_cpu_ms[name]:8.0f}")
    print(f"  slowest: {worst} {sections_ms[worst]:.0f} ms")
    if args.json:
        args.json.write_text(
            json.dumps(
                {
                    "metrics": {
                        "first_screen_shuttle_log_ms": med_first,
                        "first_screen_shuttle_log_cpu_ms": med_cpu,
                        "gui_scroll_batch_median_ms": statistics.median(batches) * ms,
                        "gui_scroll_batch_p95_ms": p95_batch * ms,
                        "gui_scroll_whole_case_s": whole,
                        "gui_peak_rss_mb": peak_mb(),
                        "first_screen_any_section_ms": sections_ms[worst],
                        "first_screen_any_section_cpu_ms": max(sections_cpu_ms.values()),
                        **{f"first_screen[{n}]_ms": v for n, v in sections_ms.items()},
                    },
                    "ratios": {"app/raw SQL: GUI first screen": med_first / med_raw},
                }
            )
        )


if __name__ == "__main__":
    main()
