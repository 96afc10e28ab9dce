"""The vault as DESIGN.md section 3 decides it: keys, errors that write nothing, locking."""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import sqlcipher3
from sqlalchemy import text

from app.core.errors import (
    NotAVault,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultLocked,
    WrongPassphrase,
)
from app.core.keys import KDF_V1, KdfParams, derive_key, format_recovery_key, parse_recovery_key
from app.core.models import Case
from app.core.vault import APPLICATION_ID, PAGE_SIZE, Vault
from tests.conftest import FAST_KDF, PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]


def digest(path: Path) -> str:
    h = hashlib.sha256()
    for suffix in ("", "-wal", "-shm"):
        p = Path(str(path) + suffix)
        h.update(suffix.encode())
        h.update(p.read_bytes() if p.exists() else b"<absent>")
    return h.hexdigest()


def add_case(vault: Vault, title: str = "Case of the Northern Valley") -> int:
    with vault.transaction() as s:
        c = Case(title=title, summary="Fictional talks about water rights")
        s.add(c)
        s.flush()
        return c.id


def closed_vault(path: Path, rows: int = 3) -> Path:
    v = Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF)
    for i in range(rows):
        add_case(v, f"Case {i}")
    v.lock()
    return path


def test_create_open_lock_roundtrip(vault_path: Path) -> None:
    v = Vault.create(vault_path, PASSPHRASE, kdf_sets=FAST_KDF)
    cid = add_case(v)
    v.lock()
    assert not v.is_unlocked
    with pytest.raises(VaultLocked):
        v.engine  # noqa: B018
    v.unlock(PASSPHRASE)
    with v.session() as s:
        assert s.get(Case, cid).title == "Case of the Northern Valley"
    v.lock()


def test_salt_is_first_16_bytes_and_key_is_raw_sqlcipher_key(vault_path: Path) -> None:
    v = Vault.create(vault_path, PASSPHRASE, kdf_sets=FAST_KDF)
    add_case(v)
    recovery = v.recovery_key()
    v.lock()
    salt = vault_path.read_bytes()[:16]
    key = derive_key(PASSPHRASE, salt, FAST_KDF[0])
    assert format_recovery_key(key) == recovery
    # The standard sqlcipher way in, with no Liaison code: PRAGMA key = "x'<hex>'".
    conn = sqlcipher3.connect(str(vault_path))
    conn.execute(f"PRAGMA key = \"x'{recovery.replace('-', '')}'\"")
    assert conn.execute("SELECT title FROM cases").fetchall() == [("Case of the Northern Valley",)]
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    conn.close()


def test_plain_sqlite_cannot_read_a_vault(vault_path: Path) -> None:
    closed_vault(vault_path)
    conn = sqlite3.connect(vault_path)
    with pytest.raises(sqlite3.DatabaseError):
        conn.execute("SELECT * FROM sqlite_master").fetchall()
    conn.close()


def test_connection_settings(vault: Vault) -> None:
    with vault.session() as s:

        def pragma(name: str) -> object:
            return s.execute(text(f"PRAGMA {name}")).scalar()

        assert pragma("journal_mode") == "wal"
        assert pragma("foreign_keys") == 1
        assert pragma("synchronous") == 2  # FULL
        assert pragma("temp_store") == 2  # MEMORY
        assert pragma("secure_delete") == 1
        assert int(str(pragma("cipher_page_size"))) == PAGE_SIZE


def test_key_is_set_before_the_first_statement_on_every_connection(
    vault_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key goes in through sqlite3_key (``set_key``, the ``x'…'`` form of ``PRAGMA
    key``) before any statement runs, and no statement's text ever holds it."""
    closed_vault(vault_path)
    statements: list[list[str]] = []
    real_connect = sqlcipher3.connect
    KEYED = "<sqlite3_key>"

    class Traced(sqlcipher3.Connection):
        log: list[str]

        def set_key(self, key: object) -> None:
            self.log.append(KEYED)
            super().set_key(key)

        def reset_key(self, key: object) -> None:
            self.log.append("<sqlite3_rekey>")
            super().reset_key(key)

    def traced_connect(*args: object, **kwargs: object) -> object:
        conn = real_connect(*args, factory=Traced, **kwargs)
        conn.log = []
        statements.append(conn.log)
        conn.set_trace_callback(conn.log.append)
        return conn

    monkeypatch.setattr("app.core.vault.sqlcipher3.connect", traced_connect)
    v = Vault(vault_path, kdf_sets=FAST_KDF)
    v.unlock(PASSPHRASE)
    assert v._key is not None
    old_key = v._key.hex()
    with v.session() as s:
        s.execute(text("SELECT count(*) FROM cases")).scalar()
    v.backup_to(vault_path.with_name("copy.liaison"))
    v.change_passphrase("another passphrase for the test")
    assert v._key is not None
    new_key = v._key.hex()
    v.lock()
    assert statements, "no connection was traced"
    for log in statements:
        assert log and log[0] == KEYED, log[:2]
        for line in log:
            for key in (old_key, new_key):
                assert key not in line.lower(), line


def test_real_kdf_parameters_are_at_least_v1() -> None:
    assert KDF_V1.memory_kib >= 256 * 1024
    assert KDF_V1.time_cost >= 3
    assert KDF_V1.parallelism == 4
    key = derive_key("x", b"0123456789abcdef", KDF_V1)
    assert len(key) == 32
    assert isinstance(key, bytearray)


def test_real_kdf_creates_and_opens(tmp_path: Path) -> None:
    p = tmp_path / "real.liaison"
    v = Vault.create(p, PASSPHRASE)
    add_case(v)
    v.lock()
    v2 = Vault(p)
    v2.unlock(PASSPHRASE)
    v2.lock()


def test_newest_kdf_set_first_then_older(vault_path: Path) -> None:
    closed_vault(vault_path)
    newer = KdfParams(version=9, time_cost=1, memory_kib=16, parallelism=1)
    v = Vault(vault_path, kdf_sets=(newer, *FAST_KDF))
    v.unlock(PASSPHRASE)  # made with the older set: still opens
    v.lock()


def test_wrong_passphrase_writes_nothing(vault_path: Path) -> None:
    closed_vault(vault_path)
    before = digest(vault_path)
    with pytest.raises(WrongPassphrase):
        Vault(vault_path, kdf_sets=FAST_KDF).unlock("not the passphrase")
    assert digest(vault_path) == before


def test_recovery_key_opens_and_accepts_shell_form(vault_path: Path) -> None:
    v = Vault.create(vault_path, PASSPHRASE, kdf_sets=FAST_KDF)
    key = v.recovery_key()
    v.lock()
    assert len(key) == 79 and key.count("-") == 15
    for form in (key, key.lower(), key.replace("-", ""), f"x'{key.replace('-', '')}'"):
        v2 = Vault(vault_path, kdf_sets=FAST_KDF)
        v2.unlock_any(form)
        v2.lock()
    wrong = "0" * 64
    with pytest.raises(WrongPassphrase):
        Vault(vault_path, kdf_sets=FAST_KDF).unlock_with_recovery_key(wrong)
    with pytest.raises(WrongPassphrase):
        parse_recovery_key("too short")


def test_change_passphrase_rekeys_and_makes_new_recovery_key(vault_path: Path) -> None:
    v = Vault.create(vault_path, PASSPHRASE, kdf_sets=FAST_KDF)
    add_case(v)
    salt = vault_path.read_bytes()[:16]
    old_key = v.recovery_key()
    new_key = v.change_passphrase("a brand new passphrase")
    assert new_key != old_key
    add_case(v, "after rekey")
    v.lock()
    assert vault_path.read_bytes()[:16] == salt  # the salt survives the rekey
    with pytest.raises(WrongPassphrase):
        Vault(vault_path, kdf_sets=FAST_KDF).unlock(PASSPHRASE)
    with pytest.raises(WrongPassphrase):
        Vault(vault_path, kdf_sets=FAST_KDF).unlock_with_recovery_key(old_key)
    v2 = Vault(vault_path, kdf_sets=FAST_KDF)
    v2.unlock("a brand new passphrase")
    with v2.session() as s:
        assert s.execute(text("SELECT count(*) FROM cases")).scalar() == 2
    v2.lock()
    v3 = Vault(vault_path, kdf_sets=FAST_KDF)
    v3.unlock_with_recovery_key(new_key)
    v3.lock()


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"just some notes in a text file\n" * 50,
        b"%PDF-1.7\n" + bytes(range(256)) * 3,
        b"PK\x03\x04" + b"\x00" * 5000,
    ],
    ids=["empty", "text", "pdf", "zip"],
)
def test_foreign_files_are_not_a_vault(tmp_path: Path, content: bytes) -> None:
    p = tmp_path / "foreign.liaison"
    p.write_bytes(content)
    with pytest.raises(NotAVault):
        Vault(p, kdf_sets=FAST_KDF).unlock(PASSPHRASE)
    assert p.read_bytes() == content


def test_plain_sqlite_file_is_not_a_vault(tmp_path: Path) -> None:
    p = tmp_path / "plain.liaison"
    conn = sqlite3.connect(p)
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    before = p.read_bytes()
    with pytest.raises(NotAVault, match="unencrypted SQLite"):
        Vault(p, kdf_sets=FAST_KDF).unlock(PASSPHRASE)
    assert p.read_bytes() == before


def test_directory_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotAVault, match="folder"):
        Vault(tmp_path, kdf_sets=FAST_KDF).unlock(PASSPHRASE)
    with pytest.raises(NotAVault, match="no file"):
        Vault(tmp_path / "nope.liaison", kdf_sets=FAST_KDF).unlock(PASSPHRASE)


def test_other_sqlcipher_database_is_not_a_vault(tmp_path: Path) -> None:
    p = tmp_path / "other.liaison"
    salt = os.urandom(16)
    key = derive_key(PASSPHRASE, salt, FAST_KDF[0])
    conn = sqlcipher3.connect(str(p))
    conn.execute(f"PRAGMA key = \"x'{key.hex()}{salt.hex()}'\"")
    conn.execute("CREATE TABLE t(x)")
    conn.commit()
    conn.close()
    before = p.read_bytes()
    with pytest.raises(NotAVault, match="not a Liaison vault"):
        Vault(p, kdf_sets=FAST_KDF).unlock(PASSPHRASE)
    assert p.read_bytes() == before


def test_truncated_vault_is_damaged(vault_path: Path) -> None:
    closed_vault(vault_path)
    data = vault_path.read_bytes()
    for cut in (len(data) - 1000, PAGE_SIZE + 17, 3000):
        vault_path.write_bytes(data[:cut])
        with pytest.raises(VaultDamaged, match="cut short"):
            Vault(vault_path, kdf_sets=FAST_KDF).unlock(PASSPHRASE)
        assert vault_path.read_bytes() == data[:cut]


def test_truncated_at_page_boundary_is_reported_by_check(vault_path: Path) -> None:
    closed_vault(vault_path, rows=200)
    data = vault_path.read_bytes()
    assert len(data) >= 4 * PAGE_SIZE
    vault_path.write_bytes(data[: len(data) - PAGE_SIZE])
    v = Vault(vault_path, kdf_sets=FAST_KDF)
    try:
        v.unlock(PASSPHRASE)
    except VaultDamaged:
        return
    try:
        assert v.check(), "a vault missing its last page passed the checks"
    finally:
        v.lock()


def test_flipped_byte_in_first_page_is_damage_not_wrong_passphrase(vault_path: Path) -> None:
    closed_vault(vault_path)
    data = bytearray(vault_path.read_bytes())
    for offset in (40, 500, 2000, PAGE_SIZE - 100):
        flipped = bytearray(data)
        flipped[offset] ^= 0x10
        vault_path.write_bytes(flipped)
        with pytest.raises(VaultDamaged):
            Vault(vault_path, kdf_sets=FAST_KDF).unlock(PASSPHRASE)
        assert vault_path.read_bytes() == flipped


def test_flipped_byte_later_is_found(vault_path: Path) -> None:
    closed_vault(vault_path, rows=300)
    data = bytearray(vault_path.read_bytes())
    data[len(data) - PAGE_SIZE + 100] ^= 0x01
    vault_path.write_bytes(data)
    v = Vault(vault_path, kdf_sets=FAST_KDF)
    try:
        v.unlock(PASSPHRASE)
    except VaultDamaged:
        return
    try:
        assert any("encryption" in p or "unreadable" in p for p in v.check())
    finally:
        v.lock()


def test_vault_in_use_in_this_process(vault_path: Path) -> None:
    closed_vault(vault_path)
    v = Vault(vault_path, kdf_sets=FAST_KDF)
    v.unlock(PASSPHRASE)
    try:
        with pytest.raises(VaultInUse):
            Vault(vault_path, kdf_sets=FAST_KDF).unlock(PASSPHRASE)
        with v.session() as s:  # the first one is unharmed
            assert s.execute(text("SELECT count(*) FROM cases")).scalar() == 3
    finally:
        v.lock()
    again = Vault(vault_path, kdf_sets=FAST_KDF)
    again.unlock(PASSPHRASE)
    again.lock()


def test_vault_in_use_by_another_process(vault_path: Path) -> None:
    closed_vault(vault_path)
    script = textwrap.dedent(
        f"""
        import sys, time
        sys.path.insert(0, {str(ROOT)!r})
        from app.core.vault import Vault, KdfParams
        v = Vault({str(vault_path)!r}, kdf_sets=(KdfParams(0, 1, 8, 1),))
        v.unlock({PASSPHRASE!r})
        print("open", flush=True)
        sys.stdin.readline()
        v.lock()
        """
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "open"
        before = digest(vault_path)
        with pytest.raises(VaultInUse, match="another"):
            Vault(vault_path, kdf_sets=FAST_KDF).unlock(PASSPHRASE)
        assert digest(vault_path) == before
    finally:
        assert proc.stdin is not None
        proc.stdin.write("\n")
        proc.stdin.close()
        proc.wait(timeout=30)
    v = Vault(vault_path, kdf_sets=FAST_KDF)
    v.unlock(PASSPHRASE)
    assert v.check() == []
    v.lock()


def test_create_refuses_existing_file(vault_path: Path) -> None:
    vault_path.write_bytes(b"precious")
    with pytest.raises(VaultExists):
        Vault.create(vault_path, PASSPHRASE, kdf_sets=FAST_KDF)
    assert vault_path.read_bytes() == b"precious"


def test_integrity_check_passes_on_healthy_vault(vault: Vault) -> None:
    add_case(vault)
    assert vault.check() == []


def test_backup_opens_with_same_passphrase_and_matches(vault: Vault, tmp_path: Path) -> None:
    for i in range(20):
        add_case(vault, f"Case {i}")
    dest = vault.backup_to(tmp_path / "backup.liaison")
    assert not list(tmp_path.glob("*.partial"))
    b = Vault(dest, kdf_sets=FAST_KDF)
    b.unlock(PASSPHRASE)
    with b.session() as s:
        assert s.execute(text("SELECT count(*) FROM cases")).scalar() == 20
        assert s.execute(text("SELECT count(*) FROM search_index")).scalar() == 20
    assert b.check() == []
    assert b.recovery_key() == vault.recovery_key()
    b.lock()
    with pytest.raises(VaultExists):
        vault.backup_to(dest)


def test_lock_forgets_the_key_and_runs_hooks(vault: Vault) -> None:
    called: list[bool] = []
    vault.on_lock.append(lambda: called.append(True))
    assert vault.holds_key()
    vault.lock()
    assert not vault.holds_key()
    assert called == [True]
    with pytest.raises(VaultLocked), vault.session():
        pass
