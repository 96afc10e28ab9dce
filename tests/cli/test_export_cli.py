"""`liaison export`: PDF documents from the command line (real key derivation, so each call
costs about a second: the tests bundle several checks per call)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pypdf
import pytest
from sqlalchemy import select

from app.cli import main

PASS = "a long enough passphrase"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIAISON_PASSPHRASE", PASS)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo notebook: two cases, so --case is needed."""
    path = tmp_path_factory.mktemp("cli") / "demo.liaison"
    old = os.environ.get("LIAISON_PASSPHRASE")
    os.environ["LIAISON_PASSPHRASE"] = PASS
    try:
        assert main(["demo", str(path)]) == 0
    finally:
        if old is None:
            os.environ.pop("LIAISON_PASSPHRASE", None)
        else:
            os.environ["LIAISON_PASSPHRASE"] = old
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def text_of(path: Path, password: str | None = None) -> str:
    reader = pypdf.PdfReader(path)
    if password:
        reader.decrypt(password)
    return "\n".join(p.extract_text() or "" for p in reader.pages)


def test_dossier_for_me_by_case_title(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "dossier.pdf"
    code, stdout, err = run(
        capsys, "export", str(demo), "--case", "korvan highlands dialogue", "--kind", "dossier",
        "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert f"Wrote {out}" in stdout and "for: me" in stdout
    assert "NOT encrypted" in stdout
    text = text_of(out)
    assert "Case dossier" in text and "CONFIDENTIAL" in text
    assert [p.name for p in tmp_path.iterdir()] == ["dossier.pdf"]


def test_log_for_a_party_with_codenames_and_a_password(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "log.pdf"
    pw = tmp_path / "pw.txt"
    pw.write_text("open sesame\n", encoding="utf-8")
    code, stdout, err = run(
        capsys, "export", str(demo), "--case", "1", "--kind", "log", "--audience",
        "Korvan Highlands Movement", "--codenames", "--from", "2026-02-01", "--to",
        "2026-12-31", "--password-file", str(pw), "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert "left out of Korvan Highlands Movement (KHM)'s copy" in stdout
    assert "NOT encrypted" not in stdout and "AES-256" in stdout
    with pytest.raises(pypdf.errors.FileNotDecryptedError):
        pypdf.PdfReader(out).pages[0].extract_text()
    text = text_of(out, "open sesame")
    assert "For: Korvan Highlands Movement (KHM)" in text
    assert "Ростислав Велимиров" not in text and "HERON" in text  # his codename
    assert "CONFIDENTIAL" not in text


def test_include_own_adds_the_partys_own_confidences_marked(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A party's copy holds none of its own confidential statements unless asked for."""
    from app.core.models import Disclosure, Message, Party
    from app.core.vault import Vault

    v = Vault(demo)
    v.unlock(PASS)
    try:
        with v.session() as s:
            khm = s.scalars(select(Party.id).where(Party.name.like("Korvan Highlands%"))).one()
            secret = s.scalars(
                select(Message.summary).where(
                    Message.sender_party_id == khm,
                    Message.disclosure == Disclosure.CONFIDENTIAL,
                )
            ).first()
    finally:
        v.lock()
    assert secret
    args = ["export", str(demo), "--case", "1", "--kind", "log", "--audience", str(khm)]
    plain, own = tmp_path / "plain.pdf", tmp_path / "own.pdf"
    code, _, err = run(capsys, *args, "-o", str(plain))
    assert code == 0, err
    code, _, err = run(capsys, *args, "--include-own", "-o", str(own))
    assert code == 0, err
    squash = "".join(secret.split())
    assert squash not in "".join(text_of(plain).split())
    text = text_of(own)
    assert squash in "".join(text.split())
    assert "YOUR OWN STATEMENT" in text and "said in confidence" in text


def test_recovery_sheet(demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "recovery.pdf"
    code, stdout, err = run(capsys, "export", str(demo), "--kind", "recovery", "-o", str(out))
    assert code == 0, err
    assert "NOT encrypted" in stdout
    code, keys, _ = run(capsys, "recovery-key", str(demo))
    key = next(line.strip() for line in keys.splitlines() if line.count("-") == 15)
    text = "".join(text_of(out).split())
    assert key.replace("-", "") in text.replace("-", "")
    assert "Korvan" not in text


def test_clear_errors_and_no_file_left(
    demo: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: Any
) -> None:
    out = tmp_path / "x.pdf"
    cases: list[tuple[list[str], str]] = [
        (["--kind", "log"], "3 cases; choose one with --case"),
        (["--kind", "log", "--case", "Atlantis"], "no case “Atlantis”"),
        (["--kind", "log", "--case", "dialogue"], "matches several"),
        (["--kind", "log", "--case", "1", "--audience", "Nobody"], "no party “Nobody”"),
        (["--kind", "brief", "--case", "1"], "Choose the session"),
    ]
    for extra, words in cases:
        code, _, err = run(capsys, "export", str(demo), *extra, "-o", str(out))
        assert code == 1, extra
        assert words in err and len(err.strip().splitlines()) == 1, err
        assert "Traceback" not in err
    # A full disk while writing: one sentence, nothing left behind.
    from app.core.export import jsonio

    real_open = open

    class Full:
        def __init__(self, path: str, *a: Any, **k: Any) -> None:
            self._f = real_open(path, *a, **k)

        def write(self, data: bytes) -> int:
            raise OSError(28, "No space left on device")

        def __getattr__(self, name: str) -> Any:
            return getattr(self._f, name)

        def __enter__(self) -> Full:
            return self

        def __exit__(self, *exc: object) -> None:
            self._f.close()

    monkeypatch.setattr(jsonio, "open", Full, raising=False)
    code, _, err = run(
        capsys, "export", str(demo), "--case", "1", "--kind", "options", "-o", str(out)
    )
    assert code == 1 and "disk is full" in err
    assert list(tmp_path.iterdir()) == []
    # Wrong usage is exit 2 (argparse), e.g. a date that is not one.
    with pytest.raises(SystemExit) as exit_:
        main(["export", str(demo), "--kind", "log", "--from", "March", "-o", str(out)])
    assert exit_.value.code == 2
