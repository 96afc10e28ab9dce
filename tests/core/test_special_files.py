"""Pipes and devices are refused before they are opened (opening a named pipe waits for a
writer for ever; /dev/zero never ends), and restore-test copies no more than a backup holds."""

from __future__ import annotations

import os
import shutil
import stat
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app.core.errors import NotAVault, VaultInUse, WriteFailed
from app.core.services import backups
from app.core.services.backups import restore_test
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

# Generous: only a hang (the bug) comes anywhere near it. Not a measured figure.
HANG = 60.0


def finishes(work: Callable[[], Any]) -> BaseException | None:
    """Runs ``work`` on a thread; fails the test if it is still running after HANG seconds
    (the thread is a daemon, so a hang cannot keep the test run alive). Returns what it
    raised."""
    raised: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as exc:
            raised.append(exc)

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(HANG)
    assert not worker.is_alive(), "it hangs"
    return raised[0] if raised else None


def special_files(tmp_path: Path) -> list[Path]:
    found = []
    if hasattr(os, "mkfifo"):
        pipe = tmp_path / "pipe.liaison"
        os.mkfifo(pipe)
        found.append(pipe)
    found += [Path(p) for p in ("/dev/zero", "/dev/urandom") if os.path.exists(p)]
    if not found:
        pytest.skip("no named pipes or devices here")
    return found


def test_unlock_refuses_pipes_and_devices_before_opening_them(tmp_path: Path) -> None:
    for path in special_files(tmp_path):
        vault = Vault(path, kdf_sets=FAST_KDF)
        err = finishes(lambda v=vault: v.unlock(PASSPHRASE))  # type: ignore[misc]
        assert isinstance(err, NotAVault), (path, err)
        assert "not a regular file" in str(err)
        assert not vault.is_unlocked


def test_restore_test_refuses_pipes_and_devices(tmp_path: Path) -> None:
    for path in special_files(tmp_path):
        err = finishes(lambda p=path: restore_test(p, PASSPHRASE, kdf_sets=FAST_KDF))  # type: ignore[misc]
        assert isinstance(err, NotAVault), (path, err)
        assert "not a regular file" in str(err)


@pytest.fixture
def backup(vault: Vault, tmp_path: Path) -> Path:
    return vault.backup_to(tmp_path / "backup.liaison")


def test_restore_test_refuses_a_backup_that_grows_while_it_is_copied(
    backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Simulated: the size seen when the copy starts is a page short of what it then reads."""
    ident = (backup.stat().st_dev, backup.stat().st_ino)
    real = os.fstat

    def fstat(fd: int) -> os.stat_result:
        st = real(fd)
        if (st.st_dev, st.st_ino) != ident or not stat.S_ISREG(st.st_mode):
            return st
        fields = list(st[:10])
        fields[stat.ST_SIZE] = st.st_size - 4096
        return os.stat_result(fields)

    monkeypatch.setattr(os, "fstat", fstat)
    with pytest.raises(VaultInUse, match="changed while it was being copied"):
        restore_test(backup, PASSPHRASE, kdf_sets=FAST_KDF)


def test_restore_test_refuses_a_backup_larger_than_the_free_space(
    backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = shutil.disk_usage

    def little_room(path: Any) -> Any:
        usage = real(path)
        return type(usage)(usage.total, usage.total - 1000, 1000)

    monkeypatch.setattr(backups.shutil, "disk_usage", little_room)
    with pytest.raises(WriteFailed, match="too little free space"):
        restore_test(backup, PASSPHRASE, kdf_sets=FAST_KDF)


def test_restore_test_still_reads_a_whole_backup(backup: Path) -> None:
    before = backup.read_bytes()
    report = restore_test(backup, PASSPHRASE, kdf_sets=FAST_KDF)
    assert report.problems == [] and report.revision
    assert backup.read_bytes() == before
