"""Where an export may go: never over the vault, its SQLite side files or a copy of it; and
what Liaison writes (vaults, their side files, backups, exports) is private to the user."""

from __future__ import annotations

import os
import shutil
import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from app.core.errors import LiaisonError
from app.core.export.jsonio import export_json
from app.core.export.pdf import export_recovery_sheet
from app.core.services.backups import rotate
from app.core.services.records import Records
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE


def first_page(path: Path) -> bytes:
    with open(path, "rb") as f:
        return f.read(4096)


@pytest.mark.parametrize(
    "export",
    [
        lambda v, dest: export_json(v, dest),
        lambda v, dest: export_recovery_sheet(v, dest),
    ],
    ids=["json", "recovery-sheet"],
)
def test_an_export_never_replaces_the_vault(vault: Vault, tmp_path: Path, export: object) -> None:
    Records(vault).create("case", title="Kept safe")
    head = first_page(vault.path)
    link = tmp_path / "link-to-vault.pdf"
    link.symlink_to(vault.path)
    hard = tmp_path / "hard-link.pdf"
    os.link(vault.path, hard)
    sneaky = tmp_path / "sub" / ".." / vault.path.name
    (tmp_path / "sub").mkdir()
    for dest in (vault.path, link, hard, sneaky):
        with pytest.raises(LiaisonError, match="is this vault itself") as err:
            export(vault, dest)  # type: ignore[operator]
        assert "\n" not in str(err.value)
    assert first_page(vault.path) == head
    assert link.is_symlink() and hard.stat().st_ino == vault.path.stat().st_ino
    vault.lock()
    vault.unlock(PASSPHRASE)
    assert Records(vault).find("case")[0]["title"] == "Kept safe"


def test_an_export_never_replaces_the_vaults_side_files(vault: Vault, tmp_path: Path) -> None:
    for suffix in ("-wal", "-shm", "-journal"):
        side = Path(f"{vault.path}{suffix}")
        with pytest.raises(LiaisonError, match="belongs to this vault"):
            export_json(vault, side)
    # A dangling link to where the write-ahead log will be is refused too.
    link = tmp_path / "later.json"
    link.symlink_to(Path(f"{vault.path}-journal"))
    with pytest.raises(LiaisonError, match="belongs to this vault"):
        export_json(vault, link)


def test_an_export_never_replaces_a_backup_of_the_vault(vault: Vault, tmp_path: Path) -> None:
    usb = tmp_path / "usb"
    usb.mkdir()
    rotated = rotate(vault, usb, today=date(2026, 3, 1)).path
    manual = vault.backup_to(tmp_path / "manual-copy.liaison")
    vault.lock()
    byte_copy = tmp_path / "byte-copy.dat"
    shutil.copyfile(vault.path, byte_copy)
    vault.unlock(PASSPHRASE)
    assert rotated is not None
    for backup in (rotated, manual, byte_copy):
        before = backup.read_bytes()
        with pytest.raises(LiaisonError, match="is a backup of this vault"):
            export_json(vault, backup)
        with pytest.raises(LiaisonError, match="is a backup of this vault"):
            export_recovery_sheet(vault, backup)
        assert backup.read_bytes() == before
    # Another vault (another salt) and any other file may be replaced as asked.
    other = Vault.create(tmp_path / "other.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    other.lock()
    export_json(vault, other.path)
    plain = tmp_path / "old.pdf"
    plain.write_bytes(b"%PDF-1.4 old")
    export_recovery_sheet(vault, plain)
    assert plain.read_bytes() != b"%PDF-1.4 old"


# --- private files ------------------------------------------------------------------------


@pytest.fixture
def permissive_umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_vaults_side_files_backups_and_exports_are_private(
    tmp_path: Path, permissive_umask: None
) -> None:
    v = Vault.create(tmp_path / "private.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    try:
        Records(v).create("case", title="Only mine")
        assert mode(v.path) == 0o600
        for suffix in ("-wal", "-shm"):
            side = Path(f"{v.path}{suffix}")
            assert side.exists() and mode(side) == 0o600, suffix
        assert mode(v.backup_to(tmp_path / "copy.liaison")) == 0o600
        usb = tmp_path / "usb"
        usb.mkdir()
        rotated = rotate(v, usb, today=date(2026, 3, 1)).path
        assert rotated is not None and mode(rotated) == 0o600
        export_json(v, tmp_path / "all.json")
        assert mode(tmp_path / "all.json") == 0o600
        export_recovery_sheet(v, tmp_path / "sheet.pdf")
        assert mode(tmp_path / "sheet.pdf") == 0o600
        # Replacing an existing, readable file leaves a private one.
        loose = tmp_path / "loose.json"
        loose.write_text("{}", encoding="utf-8")
        os.chmod(loose, 0o644)
        export_json(v, loose)
        assert mode(loose) == 0o600
    finally:
        v.lock()
