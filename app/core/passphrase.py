"""A rough passphrase strength estimate for the strength meter (no dictionary, no network).

It estimates entropy from the length and the kinds of characters used, discounts repeats
and keyboard runs, and rates several words highest: a long phrase of ordinary words is both
memorable and strong, which is what we advise mediators to use.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

MIN_LENGTH = 8
_RUNS = ("0123456789", "abcdefghijklmnopqrstuvwxyz", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def key_material(passphrase: str | bytes | bytearray) -> list[bytes]:
    """The bytes a key is derived from, in the order to try them when opening a vault.

    First the passphrase in Unicode normal form C, so that "é" typed as one character or as
    "e" plus a combining accent (as some keyboards, systems and password managers do) is
    the same passphrase: new vaults and new passphrases use this form alone. Then, only
    when they differ, the bytes exactly as given: vaults made before passphrases were
    normalised were keyed with those. Bytes that are not UTF-8 are used as they are.
    """
    raw = passphrase.encode("utf-8") if isinstance(passphrase, str) else bytes(passphrase)
    if raw.isascii():  # nothing to normalise (the usual case): one form, one derivation
        return [raw]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return [raw]
    nfc = unicodedata.normalize("NFC", text).encode("utf-8")
    return [nfc] if nfc == raw else [nfc, raw]


@dataclass(frozen=True)
class Strength:
    bits: float
    score: int  # 0 (unusable) .. 4 (strong)
    advice: str


def estimate(passphrase: str) -> Strength:
    if len(passphrase) < MIN_LENGTH:
        return Strength(0.0, 0, f"Use at least {MIN_LENGTH} characters; a few words is best.")
    pool = 0
    if any(c.islower() for c in passphrase):
        pool += 26
    if any(c.isupper() for c in passphrase):
        pool += 26
    if any(c.isdigit() for c in passphrase):
        pool += 10
    if any(not c.isalnum() and not c.isspace() for c in passphrase):
        pool += 32
    if any(c.isspace() for c in passphrase):
        pool += 1
    if any(ord(c) > 127 for c in passphrase):
        pool += 60
    # Repeated characters and keyboard/alphabet runs add little.
    effective = 0.0
    lower = passphrase.lower()
    for i, c in enumerate(lower):
        if i and c == lower[i - 1]:
            effective += 0.2
        elif i >= 2 and any(lower[i - 2 : i + 1] in run for run in _RUNS):
            effective += 0.3
        else:
            effective += 1.0
    bits = effective * math.log2(max(pool, 2))
    words = len([w for w in passphrase.split() if len(w) >= 3])
    if words >= 4:
        bits = max(bits, 11.0 * words)  # ~ a word list of 2,000 words
    if bits < 40:
        return Strength(bits, 1, "Weak: add words, or make it longer.")
    if bits < 60:
        return Strength(bits, 2, "Fair: one or two more words would make it strong.")
    if bits < 80:
        return Strength(bits, 3, "Good.")
    return Strength(bits, 4, "Strong.")
