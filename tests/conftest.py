"""Shared fixtures. Vaults get a cheap Argon2 set through the constructor (never via the
environment) so that the suite stays fast; the real set is tested in tests/core/test_vault.py."""

from __future__ import annotations

import os
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
