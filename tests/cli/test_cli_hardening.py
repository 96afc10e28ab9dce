"""`liaison` against hostile input: secret files that are not UTF-8 or carry a byte order
mark, vault text holding terminal escape sequences, pipes given as vaults.

Vaults here are made with the cheap test KDF and opened by the CLI with their recovery key,
which needs no key derivation (the CLI itself cannot weaken the KDF)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import _read_secret_file, main, terminal_safe
from app.core.services.records import Records
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

# Terminal escapes: set the window title, write the clipboard (OSC 52), and a bidi override.
TITLE_ESC = "\x1b]0;pwned\x07"
CLIPBOARD_ESC = "\x1b]52;c;ZXZpbA==\x07"
OVERRIDE = "\u202e"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def one_clean_line(err: str) -> None:
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert "Traceback" not in err and "\x1b" not in err


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LIAISON_PASSPHRASE", raising=False)
    monkeypatch.delenv("LIAISON_NEW_PASSPHRASE", raising=False)


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A vault whose text holds escape sequences; LIAISON_PASSPHRASE is its recovery key."""
    path = tmp_path / "hostile.liaison"
    vault = Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF)
    try:
        r = Records(vault)
        r.create(
            "case",
            title=f"Talks {TITLE_ESC}on the {OVERRIDE}river",
            summary=f"grazing {CLIPBOARD_ESC} rights\nsecond\tline",
        )
        r.create("case", title=f"Other\ncase {TITLE_ESC}", summary="")
        monkeypatch.setenv("LIAISON_PASSPHRASE", vault.recovery_key())
    finally:
        vault.lock()
    return path


# --- secret files ---------------------------------------------------------------------------


def test_a_secret_file_that_is_not_utf8_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    latin1 = tmp_path / "pass.txt"
    latin1.write_bytes("un café au lait\n".encode("latin-1"))
    code, _, err = run(
        capsys, "check", str(tmp_path / "v.liaison"), "--passphrase-file", str(latin1)
    )
    assert code == 1 and "is not UTF-8 text" in err and "passphrase file" in err
    one_clean_line(err)
    code, _, err = run(
        capsys, "export", str(tmp_path / "v.liaison"), "--kind", "log",
        "--password-file", str(latin1), "-o", str(tmp_path / "x.pdf"),
    )  # fmt: skip
    assert code == 1 and "is not UTF-8 text" in err and "password file" in err
    one_clean_line(err)
    assert not (tmp_path / "x.pdf").exists()
    # The variable, likewise: bytes that are not UTF-8 reach Python as lone surrogates.
    monkeypatch.setenv("LIAISON_PASSPHRASE", "caf\udce9 au lait")
    code, _, err = run(capsys, "check", str(tmp_path / "v.liaison"))
    assert code == 1 and "LIAISON_PASSPHRASE variable is not UTF-8" in err
    one_clean_line(err)


def test_a_byte_order_mark_is_not_part_of_the_secret(tmp_path: Path) -> None:
    f = tmp_path / "pass.txt"
    f.write_bytes("\ufeffpass word \r\nsecond line\n".encode())
    assert _read_secret_file(str(f)) == "pass word "  # only the line's end goes
    f.write_bytes("\ufeffpass word\n".encode())
    assert _read_secret_file(str(f)) == "pass word"
    f.write_bytes(b"pass word")
    assert _read_secret_file(str(f)) == "pass word"
    f.write_bytes("\ufeff\r\n".encode())
    with pytest.raises(Exception, match="is empty"):
        _read_secret_file(str(f))


def test_a_recovery_key_in_a_file_with_a_byte_order_mark_opens_the_vault(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "v.liaison"
    vault = Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF)
    key = vault.recovery_key()
    vault.lock()
    f = tmp_path / "key.txt"  # as Notepad saves it: a BOM in front, CRLF at the end
    f.write_bytes(("\ufeff" + key + "\r\n").encode())
    code, out, err = run(capsys, "check", str(path), "--passphrase-file", str(f))
    assert code == 0, err
    assert "checks passed" in out


# --- vault text on the terminal -------------------------------------------------------------


def test_terminal_safe() -> None:
    assert terminal_safe("plain, ünïcode, עברית") == "plain, ünïcode, עברית"
    assert terminal_safe(TITLE_ESC) == "\\x1b]0;pwned\\x07"
    assert terminal_safe("a\x9bb\x7fc\x00") == "a\\x9bb\\x7fc\\x00"
    assert terminal_safe("a\nb\tc\rd") == "a\\nb\\tc\\rd"
    assert terminal_safe("a\nb\tc", keep="\n\t") == "a\nb\tc"
    for ch in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069":
        assert terminal_safe(f"x{ch}y") == f"x\\u{ord(ch):04x}y"


def test_search_shows_escape_sequences_instead_of_sending_them(
    hostile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "search", str(hostile), "talks")
    assert code == 0
    assert "\x1b" not in out and "\x07" not in out and OVERRIDE not in out
    assert "[Talks] \\x1b]0;pwned\\x07on the \\u202eriver" in out
    code, out, _ = run(capsys, "search", str(hostile), "grazing")
    assert code == 0 and "\x1b" not in out and "\x07" not in out
    assert "[grazing] \\x1b]52;c;ZXZpbA==\\x07 rights\n    second\tline" in out


def test_names_in_error_lines_are_escaped_and_stay_on_one_line(
    hostile: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, err = run(
        capsys, "export", str(hostile), "--kind", "log", "-o", str(tmp_path / "x.pdf")
    )
    assert code == 1 and "choose one with --case" in err
    one_clean_line(err)
    assert "Other\\ncase \\x1b]0;pwned\\x07" in err


# --- pipes given as vaults ------------------------------------------------------------------


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes here")
@pytest.mark.parametrize("command", ["check", "restore-test"])
def test_a_pipe_is_refused_in_one_line(tmp_path: Path, command: str) -> None:
    pipe = tmp_path / "pipe.liaison"
    os.mkfifo(pipe)
    proc = subprocess.run(
        [sys.executable, "-m", "app", command, str(pipe)],
        capture_output=True,
        text=True,
        env={**os.environ, "LIAISON_PASSPHRASE": "whatever passphrase"},
        timeout=90,  # a hang detector (opening a pipe waits for a writer for ever)
    )
    assert proc.returncode == 1
    assert "is not a regular file" in proc.stderr
    one_clean_line(proc.stderr)
