"""Password protection of exported PDFs with AES-256 (PDF 2.0 standard security handler, R6).

ReportLab 5.1's ``StandardEncryption`` offers 40-bit and 128-bit RC4 and, only when the pure
Python ``pyaes`` package is installed, AES-256 of the deprecated revision 5 (an unsalted
SHA-256 password check that is fast to brute-force). Its AES path also pads twice. This
subclass keeps ReportLab's plumbing (the document calls ``prepare``, ``register``, ``encode``
and ``info``) and does the cryptography properly with the ``cryptography`` package Liaison
already depends on: revision 6 — AES-256-CBC for every string and stream with a random IV
and PKCS#7 padding, and the hardened password hash of ISO 32000-2, algorithm 2.B.
"""

from __future__ import annotations

import hashlib
import os
import unicodedata
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from reportlab.lib.pdfencrypt import StandardEncryption, StandardEncryptionDictionary, hexText

ALGORITHM = "AES-256 (PDF security handler revision 6)"


def _aes_cbc_raw(key: bytes, iv: bytes, data: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.CBC(iv)).encryptor()
    return enc.update(data) + enc.finalize()


def _aes_ecb_raw(key: bytes, data: bytes) -> bytes:
    enc = Cipher(algorithms.AES(key), modes.ECB()).encryptor()
    return enc.update(data) + enc.finalize()


def _password_bytes(password: str) -> bytes:
    # SASLprep is NFKC plus prohibitions; NFKC is the part that changes real passwords.
    return unicodedata.normalize("NFKC", password).encode("utf-8")[:127]


def hash_r6(password: bytes, salt: bytes, user_key: bytes = b"") -> bytes:
    """ISO 32000-2 algorithm 2.B: the hardened hash of revision 6."""
    k = hashlib.sha256(password + salt + user_key).digest()
    rounds = 0
    while True:
        k1 = (password + k + user_key) * 64
        e = _aes_cbc_raw(k[:16], k[16:32], k1)
        digest = (hashlib.sha256, hashlib.sha384, hashlib.sha512)[sum(e[:16]) % 3]
        k = digest(e).digest()
        rounds += 1
        if rounds >= 64 and e[-1] <= rounds - 32:
            return k[:32]


class _R6Dictionary(StandardEncryptionDictionary):  # type: ignore[misc,unused-ignore]  # untyped base
    def format(self, document: Any) -> bytes:
        from reportlab.pdfbase.pdfdoc import DummyDoc, PDFDictionary, PDFName

        std_cf = PDFDictionary(
            {"Length": 32, "AuthEvent": PDFName("DocOpen"), "CFM": PDFName("AESV3")}
        )
        fields = {
            "Filter": PDFName("Standard"),
            "V": 5,
            "R": 6,
            "Length": 256,
            "P": self.P,
            "O": hexText(self.O),
            "U": hexText(self.U),
            "OE": hexText(self.OE),
            "UE": hexText(self.UE),
            "Perms": hexText(self.Perms),
            "CF": PDFDictionary({"StdCF": std_cf}),
            "StmF": PDFName("StdCF"),
            "StrF": PDFName("StdCF"),
        }
        result: bytes = PDFDictionary(fields).format(DummyDoc())
        return result


class Aes256Encryption(StandardEncryption):  # type: ignore[misc,unused-ignore]  # untyped base
    """Open with ``password``; every permission is granted once it is open."""

    def __init__(self, password: str) -> None:
        if not password:
            raise ValueError("an empty password protects nothing")
        # strength=128 only to pass ReportLab's constructor; revision 6 is set below.
        super().__init__(password, password, strength=128)
        self.revision = 6
        self.prepared = 0

    def prepare(self, document: Any, overrideID: Any = None) -> None:
        if self.prepared:
            raise ValueError("encryption already prepared!")
        document.ID()  # ReportLab computes the file identifier here
        self.P = int(self.permissionBits() - 2**31)
        user = _password_bytes(self.userPassword)
        owner = _password_bytes(self.ownerPassword)
        self.key = os.urandom(32)
        zero_iv = b"\0" * 16
        u_validation, u_key_salt = os.urandom(8), os.urandom(8)
        self.U = hash_r6(user, u_validation) + u_validation + u_key_salt
        self.UE = _aes_cbc_raw(hash_r6(user, u_key_salt), zero_iv, self.key)
        o_validation, o_key_salt = os.urandom(8), os.urandom(8)
        self.O = hash_r6(owner, o_validation, self.U) + o_validation + o_key_salt
        self.OE = _aes_cbc_raw(hash_r6(owner, o_key_salt, self.U), zero_iv, self.key)
        perms = (self.P & 0xFFFFFFFF).to_bytes(4, "little") + b"\xff\xff\xff\xffTadb"
        self.Perms = _aes_ecb_raw(self.key, perms + os.urandom(4))
        self.objnum = self.version = None
        self.prepared = 1

    def encode(self, t: str | bytes) -> bytes:
        if not self.prepared:
            raise ValueError("encryption not prepared!")
        data = t.encode("utf-8") if isinstance(t, str) else bytes(t)
        padder = padding.PKCS7(128).padder()
        padded = padder.update(data) + padder.finalize()
        iv = os.urandom(16)
        return iv + _aes_cbc_raw(self.key, iv, padded)

    def info(self) -> _R6Dictionary:
        if not self.prepared:
            raise ValueError("encryption not prepared!")
        return _R6Dictionary(
            O=self.O,
            OE=self.OE,
            U=self.U,
            UE=self.UE,
            P=self.P,
            Perms=self.Perms,
            revision=6,
        )
