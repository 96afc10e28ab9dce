"""`liaison export --kind text`: a text's drafts from the command line — the mediator's
annotated copy, the clean copy, a party's copy, and each refusal as one clear sentence (real
key derivation, so each call costs about a second: the tests bundle checks per call)."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest

from app.cli import main
from app.core.services.texts import create_text
from app.core.vault import Vault
from tests.core.test_pdf_text import build_text

PASS = "a long enough passphrase"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIAISON_PASSPHRASE", PASS)


@pytest.fixture(scope="module")
def vault_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One case with two texts: "Framework for talks" (drafts 1 and 2 circulated, working
    draft 3; see build_text) and an empty "Scratch"."""
    path = tmp_path_factory.mktemp("cli_text") / "talks.liaison"
    old = os.environ.get("LIAISON_PASSPHRASE")
    os.environ["LIAISON_PASSPHRASE"] = PASS
    try:
        assert main(["init", str(path)]) == 0
        vault = Vault(path)
        vault.unlock_any(PASS)
        try:
            ids = build_text(vault)
            create_text(vault, ids["case"], "Scratch")
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


def test_annotated_copy_of_the_working_draft_by_default(
    vault_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "working.pdf"
    code, stdout, err = run(
        capsys, "export", str(vault_file), "--kind", "text", "--text", "framework", "-o", str(out)
    )
    assert code == 0, err
    assert f"Wrote {out}" in stdout and "for: me" in stdout and "NOT encrypted" in stdout
    body = text_of(out)
    assert "Working draft 3 — not yet circulated" in body and "CONFIDENTIAL" in body
    assert "Changes since draft 2 (6 Mar 2026): no change" in body
    assert "Government: accepts 7 Mar 2026" in body  # the reactions to draft 2


def test_clean_copy_and_comparison_for_me(
    vault_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    clean, annotated = tmp_path / "clean.pdf", tmp_path / "annotated.pdf"
    code, _, err = run(
        capsys, "export", str(vault_file), "--kind", "text", "--text", "1", "--draft", "2",
        "--clean", "-o", str(clean),
    )  # fmt: skip
    assert code == 0, err
    body = text_of(clean)
    assert "Draft 2 · 6 Mar 2026" in body and "FOR DISCUSSION — NOT AGREED" in body
    assert "1.3 A joint border commission shall meet every quarter" in body
    assert "CONFIDENTIAL" not in body and "ZQXNOTE" not in body and "Proposed by" not in body
    code, _, err = run(
        capsys, "export", str(vault_file), "--kind", "text", "--text", "1", "--draft", "3",
        "--against", "1", "-o", str(annotated),
    )  # fmt: skip
    assert code == 0, err
    body = text_of(annotated)
    assert "Changes since draft 1 (2 Mar 2026): 1 clause added, 1 clause removed" in body
    assert "meet monthly every quarter" in body and "Moved from 3.1." in body


def test_a_party_copy_is_the_clean_draft_it_holds(
    vault_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "front.pdf"
    code, stdout, err = run(
        capsys, "export", str(vault_file), "--kind", "text", "--text", "Framework for talks",
        "--audience", "Highlands Front", "--codenames", "-o", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert "for: Highlands Front" in stdout and "left out" not in stdout
    body = text_of(out)
    assert "For: Highlands Front" in body and "Draft 1 · 2 Mar 2026" in body
    assert "FOR DISCUSSION — NOT AGREED" in body and "as Heron proposed" in body
    assert "ZQXSUMMARY" not in body and "Lena Marsh" not in body


def test_refusals_are_one_sentence_and_write_nothing(
    vault_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "refused.pdf"
    base = ["export", str(vault_file), "--kind", "text", "-o", str(out)]
    cases = [
        ([], "The case holds 2 texts; choose one with --text: 1 “Framework for talks”, "
         "2 “Scratch”."),
        (["--text", "nope"], "There is no text “nope” in this case."),
        (["--text", "1", "--audience", "Observers"],
         "“Observers” has not been given any draft of “Framework for talks” yet."),
        (["--text", "1", "--audience", "Highlands Front", "--draft", "2"],
         "“Highlands Front” was not given draft 2 of “Framework for talks”; it holds draft 1."),
        (["--text", "1", "--audience", "Government", "--against", "1"],
         "A comparison of drafts is the mediator's own; a party's copy is always the clean "
         "draft."),
        (["--text", "1", "--draft", "9"], "“Framework for talks” has no draft 9."),
    ]  # fmt: skip
    for extra, sentence in cases:
        code, stdout, err = run(capsys, *base, *extra)
        assert code == 1, extra
        assert err == f"liaison: {sentence}\n", extra
        assert stdout == ""
    assert not out.exists()
    with pytest.raises(SystemExit) as usage:
        main([*base, "--text", "1", "--draft", "x"])
    assert usage.value.code == 2 and "invalid int value" in capsys.readouterr().err
