"""`liaison export --kind commitments` and `--kind debrief`: the register for me or a party,
and the debrief for an outside audience of the case named by id or name (codenames unless
--no-codenames); an unknown audience is told with the case's outside audiences listed.
Real key derivation: about a second a call, so the checks are bundled per call."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from app.cli import main
from app.core.vault import Vault
from tests.core.test_pdf_commitments import build_commitments

PASS = "a long enough passphrase"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIAISON_PASSPHRASE", PASS)


@pytest.fixture(scope="module")
def vault_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """The case of tests/core/test_pdf_commitments.py: commitments of every outcome, two
    outside audiences (Envoy Marra, Minister Oduya)."""
    path = tmp_path_factory.mktemp("cli_commitments") / "talks.liaison"
    old = os.environ.get("LIAISON_PASSPHRASE")
    os.environ["LIAISON_PASSPHRASE"] = PASS
    try:
        assert main(["init", str(path)]) == 0
        vault = Vault(path)
        vault.unlock_any(PASS)
        try:
            build_commitments(vault)
        finally:
            vault.lock()
    finally:
        if old is None:
            os.environ.pop("LIAISON_PASSPHRASE", None)
        else:
            os.environ["LIAISON_PASSPHRASE"] = old
    yield path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def text_of(path: Path) -> str:
    return re.sub(
        r"\s+", " ", "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(path).pages)
    )


def test_the_register_for_a_party(
    vault_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "gov.pdf"
    code, stdout, err = run(
        capsys, "export", str(vault_file), "--kind", "commitments", "--audience", "government",
        "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert "for: Government" in stdout and "2 items left out of Government's copy" in stdout
    body = text_of(out)
    assert "Commitments register" in body and "Repair the water station" in body
    assert "ZQXCONFCOMMIT" not in body and "ZQXNOTE" not in body


def test_a_debrief_for_an_outside_audience_named_in_part(
    vault_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, plain = tmp_path / "debrief.pdf", tmp_path / "plain.pdf"
    code, stdout, err = run(
        capsys, "export", str(vault_file), "--kind", "debrief", "--audience", "ENVOY",
        "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert "for: Envoy Marra" in stdout and "left out of Envoy Marra's copy" in stdout
    body = text_of(out)
    assert "Debrief for Envoy Marra, Nordic Fund" in body
    assert "ZQXOPEN the road may open, says Heron" in body  # codenames by default
    assert "ZQXSECRET" not in body and "ZQXMINISTER" not in body
    code, _, err = run(
        capsys, "export", str(vault_file), "--kind", "debrief", "--audience", "Envoy Marra",
        "--no-codenames", "-o", str(plain),
    )  # fmt: skip
    assert code == 0, err
    assert "ZQXOPEN the road may open, says Lena Marsh" in text_of(plain)


def test_a_debrief_needs_a_known_outside_audience(
    vault_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "refused.pdf"
    base = ["export", str(vault_file), "--kind", "debrief", "-o", str(out)]
    listing = "1 “Envoy Marra”, 2 “Minister Oduya”"
    cases = [
        ([], f"A debrief is for an outside audience; choose one with --audience: {listing}."),
        (["--audience", "Government"],
         f"There is no outside audience “Government” in this case; the case's outside "
         f"audiences: {listing}."),
    ]  # fmt: skip
    for extra, sentence in cases:
        code, stdout, err = run(capsys, *base, *extra)
        assert code == 1, extra
        assert err == f"liaison: {sentence}\n", extra
        assert stdout == ""
    assert not out.exists()
