"""Bad input never loses data or reads silently wrong: random single-byte flips of a vault
(200 in the default run, sized for a slow 2-core machine; 1,000 or LIAISON_FLIPS in
`make soak`) are each reported as damage (or, where SQLite cannot see the flipped byte at all,
leave every row intact); the original file is never touched."""

from __future__ import annotations

import os
import random
import shutil
from pathlib import Path

import pytest
from sqlalchemy import select, text

from app.core.errors import VaultDamaged, VaultReadOnly, WriteFailed, WrongPassphrase
from app.core.models import Message
from app.core.services.records import Records
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE, remount, small_tmpfs

FLIPS = int(os.environ.get("LIAISON_FLIPS", "200"))
SOAK_FLIPS = int(os.environ.get("LIAISON_FLIPS", "1000"))


def make_vault(path: Path) -> dict[int, str]:
    v = Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF)
    r = Records(v)
    case = r.create("case", title="Flip test")
    party = r.create("party", case_id=case, name="Side", kind="community")
    for i in range(150):
        r.create("message", case_id=case, sender_party_id=party, content=f"row {i} " + "z" * 200)
    with v.session() as s:
        rows = {m.id: m.content for m in s.scalars(select(Message))}
    v.lock()
    for suffix in ("-wal", "-shm"):
        assert not Path(str(path) + suffix).exists()
    return rows


def test_random_byte_flips_are_reported_as_damage(tmp_path: Path) -> None:
    flip_many(tmp_path, FLIPS)


@pytest.mark.soak
@pytest.mark.timeout(0)  # a soak runs as long as it needs
def test_soak_random_byte_flips(tmp_path: Path) -> None:
    flip_many(tmp_path, SOAK_FLIPS)


def flip_many(tmp_path: Path, flips: int) -> None:
    original = tmp_path / "original.liaison"
    rows = make_vault(original)
    pristine = original.read_bytes()
    size = len(pristine)
    rng = random.Random(11)
    outcomes = {
        "damaged on open": 0,
        "damaged by check": 0,
        "wrong passphrase (salt)": 0,
        "unused bytes": 0,
    }
    victim = tmp_path / "victim.liaison"
    for _ in range(flips):
        offset = rng.randrange(size)
        data = bytearray(pristine)
        data[offset] ^= 1 << rng.randrange(8)
        victim.write_bytes(data)
        for suffix in ("-wal", "-shm"):
            Path(str(victim) + suffix).unlink(missing_ok=True)
        v = Vault(victim, kdf_sets=FAST_KDF)
        try:
            v.unlock(PASSPHRASE)
        except VaultDamaged:
            outcomes["damaged on open"] += 1
            continue
        except WrongPassphrase:
            # Only a flip inside the 16-byte salt changes the derived key itself.
            assert offset < 16, f"flip at {offset} reported as a wrong passphrase"
            outcomes["wrong passphrase (salt)"] += 1
            continue
        try:
            problems = v.check()
            if problems:
                outcomes["damaged by check"] += 1
                continue
            # Nothing detected: then nothing may have changed either (no silent wrong read).
            with v.session() as s:
                got = {m.id: m.content for m in s.scalars(select(Message))}
                s.execute(text("SELECT count(*) FROM search_index")).scalar()
            assert got == rows, f"flip at {offset} changed data without being detected"
            outcomes["unused bytes"] += 1
        finally:
            v.lock()
    assert original.read_bytes() == pristine
    assert outcomes["unused bytes"] <= max(flips // 100, 2), outcomes
    print(outcomes)


def test_copy_of_a_vault_opened_while_in_use_elsewhere(tmp_path: Path) -> None:
    """A copy taken while the vault is open (e.g. a backup tool) still opens and checks."""
    path = tmp_path / "live.liaison"
    make_vault(path)
    v = Vault(path, kdf_sets=FAST_KDF)
    v.unlock(PASSPHRASE)
    Records(v).create("note", case_id=1, title="late note")
    copy = tmp_path / "copy.liaison"
    for suffix in ("", "-wal", "-shm"):
        src = Path(str(path) + suffix)
        if src.exists():
            shutil.copyfile(src, str(copy) + suffix)
    v.lock()
    c = Vault(copy, kdf_sets=FAST_KDF)
    c.unlock(PASSPHRASE)
    assert c.check() == []
    assert [n["title"] for n in Records(c).find("note")] == ["late note"]
    c.lock()


def test_read_only_vault_is_refused_clearly_and_untouched(tmp_path: Path) -> None:
    """A vault on a read-only file system (a write-protected USB stick): a clear refusal.
    (The suite runs as root, which ignores file permissions, so a real read-only mount.)"""
    with small_tmpfs(tmp_path / "stick", "32m") as mnt:
        make_vault(mnt / "ro.liaison")
        remount(mnt, "ro")
        before = (mnt / "ro.liaison").read_bytes()
        with pytest.raises(VaultReadOnly, match="read-only"):
            Vault(mnt / "ro.liaison", kdf_sets=FAST_KDF).unlock(PASSPHRASE)
        assert (mnt / "ro.liaison").read_bytes() == before


def test_full_disk_during_writes_loses_nothing_saved(tmp_path: Path) -> None:
    """Write until the disk is full: a clear error, and every change saved before it is kept."""
    with small_tmpfs(tmp_path / "small", "3m") as mnt:
        v = Vault.create(mnt / "full.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
        r = Records(v)
        case = r.create("case", title="Filling up")
        saved = 0
        with pytest.raises(WriteFailed, match="disk is full"):
            for i in range(10_000):
                r.create("note", case_id=case, title=f"note {i}", body="q" * 2000)
                saved += 1
        assert saved > 10
        v.lock()
        remount(mnt, "size=16m")
        again = Vault(mnt / "full.liaison", kdf_sets=FAST_KDF)
        again.unlock(PASSPHRASE)
        assert again.check() == []
        assert len(Records(again).find("note")) == saved
        again.lock()
