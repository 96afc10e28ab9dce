"""Creating a vault is all or nothing: it is built under a temporary name beside the target and
moved there only when complete, never over a file that appeared meanwhile."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from app.core.errors import LiaisonError, VaultExists
from app.core.services.records import Records
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE


def names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_the_target_appears_only_once_the_vault_is_complete(tmp_path: Path) -> None:
    target = tmp_path / "new.liaison"
    seen: list[list[str]] = []

    def fill(v: Vault) -> None:
        # While it is being built, the target name is not there yet; a temporary one is.
        seen.append(names(tmp_path))
        assert not target.exists()
        Records(v).create("case", title="Filled before it is published")

    v = Vault.create(target, PASSPHRASE, kdf_sets=FAST_KDF, fill=fill)
    try:
        assert v.path == target
        assert Records(v).find("case")[0]["title"] == "Filled before it is published"
        Records(v).create("case", title="Written after the move")
    finally:
        v.lock()
    temporary = [n for n in seen[0] if n.endswith(".creating")]
    assert len(temporary) == 1 and temporary[0].startswith(".new.liaison.")
    assert names(tmp_path) == ["new.liaison"]
    again = Vault(target, kdf_sets=FAST_KDF)
    again.unlock(PASSPHRASE)
    try:
        assert len(Records(again).find("case")) == 2
    finally:
        again.lock()


def test_a_failed_fill_leaves_nothing(tmp_path: Path) -> None:
    target = tmp_path / "half.liaison"

    def fill(v: Vault) -> None:
        Records(v).create("case", title="Half")
        raise LiaisonError("The import was refused.")

    with pytest.raises(LiaisonError, match="refused"):
        Vault.create(target, PASSPHRASE, kdf_sets=FAST_KDF, fill=fill)
    assert names(tmp_path) == []
    # The name is free again.
    Vault.create(target, PASSPHRASE, kdf_sets=FAST_KDF).lock()


def test_a_file_that_appears_meanwhile_is_never_replaced(tmp_path: Path) -> None:
    target = tmp_path / "raced.liaison"

    def someone_else_writes_it(v: Vault) -> None:
        target.write_bytes(b"someone else's file")

    with pytest.raises(VaultExists, match="already exists"):
        Vault.create(target, PASSPHRASE, kdf_sets=FAST_KDF, fill=someone_else_writes_it)
    assert target.read_bytes() == b"someone else's file"
    assert names(tmp_path) == ["raced.liaison"]


def test_leftovers_of_a_killed_create_are_cleared_by_the_next_one(tmp_path: Path) -> None:
    target = tmp_path / "notebook.liaison"
    # What a create killed early leaves: its temporary file (the process is gone).
    dead = 2**22 + 12345  # above any pid_max Linux allows, so no such process
    for suffix in ("", "-wal", "-shm"):
        (tmp_path / f".notebook.liaison.{dead}-0a1b2c3d.creating{suffix}").write_bytes(b"x")
    unrelated = tmp_path / ".other.liaison.1-0a1b2c3d.creating"
    unrelated.write_bytes(b"not ours to clean")
    Vault.create(target, PASSPHRASE, kdf_sets=FAST_KDF).lock()
    assert names(tmp_path) == sorted([unrelated.name, "notebook.liaison"])


def test_a_create_in_progress_elsewhere_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "busy.liaison"
    running = tmp_path / f".busy.liaison.{os.getppid()}-0a1b2c3d.creating"
    running.write_bytes(b"being built by a live process")
    Vault.create(target, PASSPHRASE, kdf_sets=FAST_KDF).lock()
    assert running.read_bytes() == b"being built by a live process"
