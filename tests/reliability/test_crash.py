"""Crash safety: a writer is killed with SIGKILL at random moments, again and again. After
every kill the vault opens, both integrity checks pass, every transaction the writer reported
as committed is there, and no transaction is half-written.

Default run: 25 kills (about 20 s here, sized for a machine 3x slower). Soak: `make soak`
(`LIAISON_SOAK_KILLS`, default 5,000; figures in SECURITY.md).
"""

from __future__ import annotations

import os
import random
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.core.models import Message, Note
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE
from tests.reliability.writer import BATCH

ROOT = Path(__file__).resolve().parents[2]
KILLS = int(os.environ.get("LIAISON_CRASH_KILLS", "25"))


def run_and_kill(path: Path, rng: random.Random) -> list[tuple[int, str]]:
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.reliability.writer", str(path), PASSPHRASE],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    assert first == "ready", (first, proc.stderr.read() if proc.stderr else "")
    time.sleep(rng.uniform(0.0, 0.25))
    proc.send_signal(signal.SIGKILL)
    out, _err = proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    committed = []
    for line in out.splitlines():
        m = re.fullmatch(r"committed (\d+) (\w+)", line.strip())
        if m:
            committed.append((int(m.group(1)), m.group(2)))
    return committed


def verify(path: Path, committed_messages: set[int], committed_batches: set[int]) -> None:
    v = Vault(path, kdf_sets=FAST_KDF)
    v.unlock(PASSPHRASE)
    try:
        assert v.check() == [], "integrity check failed after a kill"
        with v.session() as s:
            contents = {c.split(" ", 1)[0] for c in s.scalars(select(Message.content))}
            for n in committed_messages:
                assert f"commit-{n}" in contents, f"committed message {n} lost"
            per_batch = dict(s.execute(select(Note.title, func.count()).group_by(Note.title)).all())
            for title, count in per_batch.items():
                assert count == BATCH, f"{title} is half-written: {count} of {BATCH} notes"
            for n in committed_batches:
                assert per_batch.get(f"batch-{n}") == BATCH, f"committed batch {n} lost"
    finally:
        v.lock()


def kill_many(tmp_path: Path, kills: int) -> dict[str, int]:
    path = tmp_path / "crash.liaison"
    Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF).lock()
    rng = random.Random(int(os.environ.get("LIAISON_CRASH_SEED", "7")))
    messages: set[int] = set()
    batches: set[int] = set()
    transactions = 0
    for _ in range(kills):
        committed = run_and_kill(path, rng)
        transactions += len(committed)
        messages |= {n for n, kind in committed if kind == "message"}
        batches |= {n for n, kind in committed if kind == "batch"}
        verify(path, messages, batches)
    return {"kills": kills, "transactions": transactions}


def test_sigkill_during_writes_loses_nothing_committed(tmp_path: Path) -> None:
    figures = kill_many(tmp_path, KILLS)
    assert figures["transactions"] > KILLS  # the writer really was writing when killed


@pytest.mark.soak
@pytest.mark.timeout(0)  # a soak runs as long as it needs
def test_soak_sigkill(tmp_path: Path) -> None:
    figures = kill_many(tmp_path, int(os.environ.get("LIAISON_SOAK_KILLS", "5000")))
    print(figures)
