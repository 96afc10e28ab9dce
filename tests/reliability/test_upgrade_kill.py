"""An upgrade killed at a random moment leaves the vault at the old or the new revision,
never in between, with every row kept."""

from __future__ import annotations

import os
import random
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from app.core import schema
from tests.core.test_migrations import FIXTURES, revision_of, snapshot, without_added, without_moved
from tests.fixtures.make_fixture_vault import FIXTURE_PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]
# Each kill starts a Python process (~1-2.5 s on a slow 2-core machine): the default run
# stays well inside the test timeout; `make soak` runs 200 (or LIAISON_UPGRADE_KILLS).
KILLS = int(os.environ.get("LIAISON_UPGRADE_KILLS", "24"))
SOAK_KILLS = int(os.environ.get("LIAISON_UPGRADE_KILLS", "200"))
OPENER = (
    "import sys\n"
    "from app.core.vault import Vault, KdfParams\n"
    "print('start', flush=True)\n"
    "v = Vault(sys.argv[1], kdf_sets=(KdfParams(0, 1, 8, 1),))\n"
    "v.unlock(sys.argv[2])\n"
    "print('upgraded', flush=True)\n"
    "v.lock()\n"
)


def test_upgrade_killed_at_random_moments(tmp_path: Path) -> None:
    kill_during_upgrades(tmp_path, KILLS)


@pytest.mark.soak
@pytest.mark.timeout(0)  # a soak runs as long as it needs
def test_soak_upgrade_killed_at_random_moments(tmp_path: Path) -> None:
    kill_during_upgrades(tmp_path, SOAK_KILLS)


def kill_during_upgrades(tmp_path: Path, kills: int) -> None:
    fixture = next(p for p in FIXTURES if p.name == "vault-0001.liaison")
    before = snapshot(fixture)
    head = schema.head_revision()
    rng = random.Random(3)
    seen = {"0001": 0, str(head): 0}
    # How long an undisturbed upgrade takes here, so that kills land all along it.
    calib = tmp_path / "calibrate.liaison"
    shutil.copyfile(fixture, calib)
    t = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-c", OPENER, str(calib), FIXTURE_PASSPHRASE],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    t = time.perf_counter()
    proc.stdout.readline()
    duration = time.perf_counter() - t
    proc.wait(timeout=30)
    for i in range(kills):
        path = tmp_path / f"up{i}.liaison"
        shutil.copyfile(fixture, path)
        proc = subprocess.Popen(
            [sys.executable, "-c", OPENER, str(path), FIXTURE_PASSPHRASE],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "start"
        time.sleep(rng.uniform(0.0, 1.3 * duration))
        proc.send_signal(signal.SIGKILL)
        proc.communicate(timeout=30)
        rev = revision_of(path)
        assert rev in seen, f"vault left at revision {rev!r}"
        seen[rev] += 1
        after = snapshot(path)
        if rev == "0001":
            assert after == before
        else:  # every row kept, but for the columns a revision moved elsewhere
            for table, rows in before.items():
                arrived = without_added(table, [dict(r) for r in after[table]])
                assert without_moved(table, arrived) == without_moved(table, rows), table
        for leftover in tmp_path.glob(f"up{i}.before-upgrade-*"):
            leftover.unlink()
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
    print(seen)
    assert sum(seen.values()) == kills
