"""Shared fixtures. Vaults get a cheap Argon2 set through the constructor (never via the
environment) so that the suite stays fast; the real set is tested in tests/core/test_vault.py."""

from __future__ import annotations

import contextlib
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from app.core.vault import KdfParams, Vault

FAST_KDF = (KdfParams(version=0, time_cost=1, memory_kib=8, parallelism=1),)
PASSPHRASE = "correct horse battery staple"


@pytest.fixture
def fast_kdf() -> tuple[KdfParams, ...]:
    return FAST_KDF


@pytest.fixture
def vault_path(tmp_path: Path) -> Path:
    return tmp_path / "notebook.liaison"


@pytest.fixture
def vault(vault_path: Path) -> Iterator[Vault]:
    v = Vault.create(vault_path, PASSPHRASE, kdf_sets=FAST_KDF)
    yield v
    v.lock()


@contextlib.contextmanager
def small_tmpfs(path: Path, size: str) -> Iterator[Path]:
    """A real, size-limited file system at ``path`` (a full disk, a read-only stick), for the
    tests that need one; skipped where mounting is not allowed (not root, not Linux)."""
    path.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip("cannot mount a tmpfs here")
    try:
        yield path
    finally:
        # Lazy: a file still open in a failed test must not leave the mount behind.
        subprocess.run(["umount", "-l", str(path)], check=False)


def remount(path: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(path)], check=True)
