"""The vault's key: Argon2id parameter sets, key derivation, SQLCipher's raw-key form and the
recovery key people write down (DESIGN.md section 3).

Every function keeps key material in a ``bytearray`` the caller can wipe (:func:`wipe`); no
immutable copy of a key is made on the way.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from argon2.exceptions import HashingError
from argon2.low_level import ARGON2_VERSION, Type, error_to_str
from argon2.low_level import ffi as argon2_ffi
from argon2.low_level import lib as argon2_lib

from app.core.errors import WrongPassphrase
from app.core.passphrase import key_material

SALT_SIZE = 16
KEY_SIZE = 32


@dataclass(frozen=True)
class KdfParams:
    """One versioned Argon2id parameter set. Never change a published set; add a newer one."""

    version: int
    time_cost: int
    memory_kib: int
    parallelism: int


KDF_V1 = KdfParams(version=1, time_cost=3, memory_kib=256 * 1024, parallelism=4)
# Newest first: a vault is created with the first set and opened by trying each in turn.
KDF_SETS: tuple[KdfParams, ...] = (KDF_V1,)


def derive_key(passphrase: str | bytes | bytearray, salt: bytes, params: KdfParams) -> bytearray:
    """Argon2id(NFC(passphrase), salt) -> 32-byte key, as a bytearray the caller can wipe.

    The key of new vaults and new passphrases (see :func:`passphrase.key_material`)."""
    return argon2id(key_material(passphrase)[0], salt, params)


def argon2id(secret: bytes, salt: bytes, params: KdfParams) -> bytearray:
    # libargon2 writes the key straight into the bytearray: argon2-cffi's hash_secret_raw
    # would return it as immutable bytes and leave it in a freed buffer too, two copies
    # nobody can wipe. (libargon2 wipes its own working memory.)
    key = bytearray(KEY_SIZE)
    rv = argon2_lib.argon2_hash(
        params.time_cost,
        params.memory_kib,
        params.parallelism,
        argon2_ffi.from_buffer("uint8_t[]", secret),
        len(secret),
        argon2_ffi.from_buffer("uint8_t[]", salt),
        len(salt),
        argon2_ffi.from_buffer("uint8_t[]", key, require_writable=True),
        KEY_SIZE,
        argon2_ffi.NULL,
        0,
        Type.ID.value,
        ARGON2_VERSION,
    )
    if rv != argon2_lib.ARGON2_OK:
        raise HashingError(error_to_str(rv))
    return key


def passphrase_keys(
    passphrase: str | bytes | bytearray, salt: bytes, kdf_sets: tuple[KdfParams, ...]
) -> Iterator[bytearray]:
    """The keys a passphrase may have made, to try in turn: the NFC form first, the
    passphrase as typed only when it differs (vaults keyed before normalisation), each
    through every parameter set, newest first. Each is one Argon2 run; nothing is tried
    twice."""
    for secret in key_material(passphrase):
        for params in kdf_sets:
            yield argon2id(secret, salt, params)


def wipe(buf: bytearray | None) -> None:
    if buf is not None:
        for i in range(len(buf)):
            buf[i] = 0


_HEX_DIGITS = b"0123456789abcdef"


def key_spec(key: bytes | bytearray, salt: bytes = b"") -> bytearray:
    """``x'<key hex><salt hex>'``, SQLCipher's raw-key form, in a bytearray for the caller
    to wipe. It goes to SQLCipher as a C buffer (``set_key``, a bound parameter), never as
    SQL text: a Python str cannot be wiped, and the driver would keep the statement (with
    the key in it) in its statement cache. Built in place, so no partial copy is left."""
    out = bytearray(2 * (len(key) + len(salt)) + 3)
    out[0:2] = b"x'"
    i = 2
    for part in (key, salt):
        for byte in part:
            out[i] = _HEX_DIGITS[byte >> 4]
            out[i + 1] = _HEX_DIGITS[byte & 15]
            i += 2
    out[i] = ord("'")
    return out


def format_recovery_key(key: bytes | bytearray) -> str:
    """The recovery key as people write it down: 16 groups of 4 hex digits.

    Made group by group, so the returned text is the only copy of the key it leaves (no
    raw bytes, no run of 64 hex digits): the caller shows it and lets it go."""
    return "-".join(key[i : i + 2].hex().upper() for i in range(0, len(key), 2))


def parse_recovery_key(text_: str) -> bytearray:
    """Accepts the grouped form, plain hex, or the ``x'…'`` form of the sqlcipher shell."""
    cleaned = text_.strip()
    if cleaned.lower().startswith("x'") and cleaned.endswith("'"):
        cleaned = cleaned[2:-1]
    digits = "".join(ch for ch in cleaned if ch not in " -\t\n")
    if len(digits) != 2 * KEY_SIZE or any(c not in "0123456789abcdefABCDEF" for c in digits):
        raise WrongPassphrase(
            "A recovery key is 64 letters and digits (0-9, A-F), usually written in 16 groups of 4."
        )
    return bytearray.fromhex(digits)  # no immutable copy of the raw key on the way


def looks_like_recovery_key(text_: str) -> bool:
    try:
        parse_recovery_key(text_)
    except WrongPassphrase:
        return False
    return True
