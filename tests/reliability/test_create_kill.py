"""`liaison init` and `liaison demo` killed at random early moments leave at the vault's path
either nothing or a whole vault (for the demo: the whole demo), never an empty or half-built
file; what a killed run leaves beside it is clearly named and cleared by the next create.

The child is the real command (`app.cli.main`) with two test-only changes made inside the
child: the cheap Argon2 set (the command never offers one) and a SIGKILL of itself just before
its k-th SQL statement, so the kills land at exact points whatever the machine's speed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("LIAISON_CREATE_KILLS", "5"))
CHILD = """
import os, signal, sys
import sqlcipher3
from app.core.vault import KdfParams, Vault

Vault.create.__func__.__kwdefaults__["kdf_sets"] = (KdfParams(0, 1, 8, 1),)
kill_at = int(sys.argv[3])
count = 0
real_connect = sqlcipher3.connect


def step(_sql):
    global count
    count += 1
    if count == kill_at:
        os.kill(os.getpid(), signal.SIGKILL)


def traced(*a, **k):
    conn = real_connect(*a, **k)
    conn.set_trace_callback(step)
    return conn


sqlcipher3.connect = traced
from app.cli import main

code = main([sys.argv[1], sys.argv[2]])
print(f"statements {count}", flush=True)
sys.exit(code)
"""
TABLES = ("cases", "parties", "people", "messages", "deliveries", "sessions", "options", "notes")


def run(command: str, path: Path, kill_at: int) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", CHILD, command, str(path), str(kill_at)],
        cwd=ROOT,
        env={**os.environ, "LIAISON_PASSPHRASE": PASSPHRASE},
        capture_output=True,
        text=True,
        timeout=120,
    )


def counts(path: Path) -> dict[str, int]:
    v = Vault(path, kdf_sets=FAST_KDF)
    v.unlock(PASSPHRASE)
    try:
        assert v.check() == []
        with v.session() as s:
            return {
                t: int(s.execute(text(f"SELECT count(*) FROM {t}")).scalar() or 0) for t in TABLES
            }
    finally:
        v.lock()


def remove_vault(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def kill_while_creating(tmp_path: Path, command: str, seed: int, first: list[int]) -> None:
    target = tmp_path / "notebook.liaison"
    done = run(command, target, 0)
    assert done.returncode == 0, done.stderr
    total = int(done.stdout.split("statements ")[-1])
    whole = counts(target)
    remove_vault(target)
    rng = random.Random(seed)
    # The first statements, the last one (the vault is in place by then) and random ones.
    fixed = [*first, total]
    kill_points = fixed + sorted(rng.sample(range(1, total), KILLS - len(fixed)))
    outcomes = []
    for k in kill_points:
        proc = run(command, target, k)
        assert proc.returncode == -signal.SIGKILL, (k, proc.stderr)
        own = {target.name, f"{target.name}-wal", f"{target.name}-shm"}
        leftovers = [p.name for p in tmp_path.iterdir() if p.name not in own]
        assert all(".notebook.liaison." in n and ".creating" in n for n in leftovers), leftovers
        if target.exists():
            assert counts(target) == whole, f"killed before statement {k} of {total}"
            outcomes.append("whole")
        else:
            outcomes.append("absent")
        remove_vault(target)
    assert "absent" in outcomes and "whole" in outcomes
    # The next create clears what the killed ones left.
    done = run(command, target, 0)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]
    assert counts(target) == whole


def test_init_killed_early_leaves_nothing_or_a_vault(tmp_path: Path) -> None:
    kill_while_creating(tmp_path, "init", seed=15, first=[1, 3])


def test_demo_killed_early_leaves_nothing_or_the_whole_demo(tmp_path: Path) -> None:
    kill_while_creating(tmp_path, "demo", seed=16, first=[])
