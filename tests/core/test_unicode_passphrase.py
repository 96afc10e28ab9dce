"""Passphrases are Unicode-normalised (NFC): "é" typed as one character or as "e" plus a
combining accent is the same passphrase. Vaults keyed before normalisation still open."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest
import sqlcipher3
from argon2.low_level import Type, hash_secret_raw

import app.core.keys as keys_module
from app.core.errors import WrongPassphrase
from app.core.keys import SALT_SIZE, KdfParams, derive_key, format_recovery_key
from app.core.passphrase import key_material
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

NFC = "un café à Genève, s'il vous plaît"
NFD = unicodedata.normalize("NFD", NFC)


def test_the_two_forms_differ() -> None:
    assert NFC != NFD and unicodedata.normalize("NFC", NFD) == NFC


def opens_with(path: Path, passphrase: str) -> bool:
    vault = Vault(path, kdf_sets=FAST_KDF)
    try:
        vault.unlock(passphrase)
    except WrongPassphrase:
        return False
    vault.lock()
    return True


@pytest.mark.parametrize("made_with", [NFD, NFC], ids=["decomposed", "composed"])
def test_a_new_vault_opens_with_either_form(tmp_path: Path, made_with: str) -> None:
    path = tmp_path / "v.liaison"
    Vault.create(path, made_with, kdf_sets=FAST_KDF).lock()
    assert opens_with(path, NFC)
    assert opens_with(path, NFD)
    assert not opens_with(path, NFC.replace("é", "e"))


def test_a_changed_passphrase_opens_with_either_form(tmp_path: Path) -> None:
    path = tmp_path / "v.liaison"
    vault = Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF)
    vault.change_passphrase(NFD)
    vault.lock()
    assert opens_with(path, NFC)
    assert opens_with(path, NFD)


def _old_key(passphrase: str, salt: bytes) -> bytes:
    """The key as it was derived before normalisation: Argon2id of the bytes as typed."""
    params = FAST_KDF[0]
    return hash_secret_raw(
        secret=passphrase.encode("utf-8"),
        salt=salt,
        time_cost=params.time_cost,
        memory_cost=params.memory_kib,
        parallelism=params.parallelism,
        hash_len=32,
        type=Type.ID,
    )


def test_a_vault_keyed_before_normalisation_still_opens_with_its_passphrase(
    tmp_path: Path,
) -> None:
    path = tmp_path / "old.liaison"
    Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF).lock()
    salt = path.read_bytes()[:SALT_SIZE]
    old = _old_key(NFD, salt)
    # Re-key the file by hand to the key an older Liaison derived from the NFD passphrase.
    conn = sqlcipher3.connect(str(path))
    try:
        conn.execute(f"PRAGMA key = \"x'{derive_key(PASSPHRASE, salt, FAST_KDF[0]).hex()}'\"")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute(f"PRAGMA rekey = \"x'{old.hex()}'\"")
    finally:
        conn.close()
    vault = Vault(path, kdf_sets=FAST_KDF)
    vault.unlock(NFD)
    try:
        assert vault.recovery_key() == format_recovery_key(old)
    finally:
        vault.lock()


def test_the_form_as_typed_is_tried_only_when_it_differs(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each try is one Argon2 run (256 MiB for real): nothing is derived twice."""
    path = tmp_path / "v.liaison"
    Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF).lock()
    runs: list[bytes] = []
    real = keys_module.argon2id

    def counting(secret: bytes, salt: bytes, params: KdfParams) -> bytearray:
        runs.append(bytes(secret))
        return real(secret, salt, params)

    monkeypatch.setattr(keys_module, "argon2id", counting)
    for wrong, expected in (
        ("an ascii passphrase", 1),
        (NFC, 1),
        (NFD, 2),
    ):
        runs.clear()
        assert not opens_with(path, wrong)
        assert len(runs) == expected * len(FAST_KDF), wrong
        assert runs[0] == unicodedata.normalize("NFC", wrong).encode("utf-8")


def test_key_material() -> None:
    assert key_material("plain") == [b"plain"]
    assert key_material(NFC) == [NFC.encode("utf-8")]
    assert key_material(NFD) == [NFC.encode("utf-8"), NFD.encode("utf-8")]
    assert key_material(NFD.encode("utf-8")) == [NFC.encode("utf-8"), NFD.encode("utf-8")]
    assert key_material(b"\xff\xfe not utf-8") == [b"\xff\xfe not utf-8"]
