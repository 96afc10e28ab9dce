"""Rotating encrypted backups: one a day, 7 daily + 4 weekly kept, atomic, restorable."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from app.core.errors import WriteFailed
from app.core.services.backups import backups_in, last_backup_at, restore_test, rotate
from app.core.services.records import Records
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE, small_tmpfs


def test_one_backup_a_day_and_rotation(vault: Vault, tmp_path: Path) -> None:
    folder = tmp_path / "usb"
    folder.mkdir()
    Records(vault).create("case", title="Backed up")
    start = date(2026, 1, 1)
    for day in range(60):
        result = rotate(vault, folder, today=start + timedelta(days=day))
        assert result.path is not None
        again = rotate(vault, folder, today=start + timedelta(days=day))
        assert again.path is None  # at most daily
    kept = [d for d, _ in backups_in(folder, vault.path.stem)]
    last = start + timedelta(days=59)
    assert kept[:7] == [last - timedelta(days=i) for i in range(7)]
    older = kept[7:]
    assert len(older) == 4
    assert len({d.isocalendar()[:2] for d in older}) == 4
    assert not list(folder.glob("*.partial"))
    assert last_backup_at(vault) is not None


def test_backup_opens_with_the_passphrase_and_restore_test_reads_it(
    vault: Vault, tmp_path: Path
) -> None:
    Records(vault).create("case", title="In the backup")
    result = rotate(vault, tmp_path, today=date(2026, 3, 1))
    assert result.path is not None
    before = result.path.read_bytes()
    report = restore_test(result.path, PASSPHRASE, kdf_sets=FAST_KDF)
    assert report.problems == [] and report.records["cases"] == 1
    assert result.path.read_bytes() == before  # checked without writing to it
    with pytest.raises(Exception, match="not right"):
        restore_test(result.path, "wrong passphrase", kdf_sets=FAST_KDF)


def test_missing_folder_is_a_clear_error(vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(WriteFailed, match="plugged in"):
        rotate(vault, tmp_path / "unplugged")


def test_full_disk_keeps_the_previous_backup(
    vault: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = rotate(vault, tmp_path, today=date(2026, 3, 1)).path
    assert first is not None
    before = first.read_bytes()

    def full(*_a: object, **_k: object) -> Path:
        raise WriteFailed("The disk is full; nothing was written.")

    monkeypatch.setattr(Vault, "backup_to", full)
    with pytest.raises(WriteFailed):
        rotate(vault, tmp_path, today=date(2026, 3, 2))
    assert first.read_bytes() == before
    assert [p.name for _, p in backups_in(tmp_path, vault.path.stem)] == [first.name]


def test_real_full_disk_on_a_small_tmpfs(vault: Vault, tmp_path: Path) -> None:
    """Where the test may mount a tiny tmpfs (root on Linux), fill it for real."""
    with small_tmpfs(tmp_path / "tiny", "160k") as mnt:
        r = Records(vault)
        case = r.create("case", title="Big")
        for i in range(60):
            r.create("note", case_id=case, title=f"n{i}", body="w" * 4000)
        (mnt / "older-backup.liaison").write_bytes(b"previous")
        with pytest.raises(WriteFailed, match="full"):
            vault.backup_to(mnt / "new.liaison")
        assert (mnt / "older-backup.liaison").read_bytes() == b"previous"
        assert sorted(p.name for p in mnt.iterdir()) == ["older-backup.liaison"]


def test_rotation_removes_only_the_backups_it_made(vault: Vault, tmp_path: Path) -> None:
    stem = vault.path.stem
    # Files of the rotation's name pattern that rotation did not write: someone's own copy of
    # another notebook with the same name, and a plain file.
    (tmp_path / "elsewhere").mkdir()
    foreign_vault = Vault.create(
        tmp_path / "elsewhere" / "x.liaison", PASSPHRASE, kdf_sets=FAST_KDF
    )
    foreign_copy = foreign_vault.backup_to(tmp_path / f"{stem}-2025-01-01.liaison")
    foreign_vault.lock()
    foreign_plain = tmp_path / f"{stem}-2025-01-02.liaison"
    foreign_plain.write_bytes(b"my own file, whatever its name")
    before = {p: p.read_bytes() for p in (foreign_copy, foreign_plain)}
    start = date(2026, 1, 1)
    for day in range(40):
        rotate(vault, tmp_path, today=start + timedelta(days=day))
    for p, data in before.items():
        assert p.read_bytes() == data
    mine = [p for _, p in backups_in(tmp_path, stem) if p not in before]
    assert len(mine) == 7 + 4
