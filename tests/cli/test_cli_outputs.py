"""`liaison export` and `export-json` never write over the vault or a backup of it, and replace
an existing file only with --force (real key derivation: one vault, few unlocks)."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest

from app.cli import main

PASS = "a long enough passphrase"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIAISON_PASSPHRASE", PASS)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_exports_refuse_the_vault_its_backups_and_existing_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    vault = tmp_path / "v.liaison"
    assert run(capsys, "init", str(vault))[0] == 0
    assert run(capsys, "backup", str(vault), str(tmp_path / "b.liaison"))[0] == 0
    link = tmp_path / "v-link.pdf"
    link.symlink_to(vault)
    hard = tmp_path / "v-hard.json"
    os.link(vault, hard)
    kept = {p: sha(p) for p in (vault, tmp_path / "b.liaison")}
    refusals = [
        ("export", str(vault), "--kind", "recovery", "-o", str(vault)),
        ("export", str(vault), "--kind", "recovery", "--force", "-o", str(vault)),
        ("export", str(vault), "--kind", "recovery", "--force", "-o", str(link)),
        ("export", str(vault), "--kind", "recovery", "-o", f"{vault}-wal"),
        ("export", str(vault), "--kind", "recovery", "--force", "-o", str(tmp_path / "b.liaison")),
        ("export-json", str(vault), str(vault), "--force"),
        ("export-json", str(vault), str(hard), "--force"),
        ("export-json", str(vault), str(tmp_path / "b.liaison"), "--force"),
    ]
    for args in refusals:
        code, _, err = run(capsys, *args)
        assert code == 1, args
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert "this vault" in err and "will not" in err, err
    assert {p: sha(p) for p in kept} == kept
    assert link.is_symlink() and hard.stat().st_ino == vault.stat().st_ino

    # An existing PDF is replaced only with --force.
    pdf = tmp_path / "sheet.pdf"
    pdf.write_bytes(b"an older PDF")
    code, _, err = run(capsys, "export", str(vault), "--kind", "recovery", "-o", str(pdf))
    assert code == 1 and "--force" in err and err.count("\n") == 1
    assert pdf.read_bytes() == b"an older PDF"
    code, _, err = run(
        capsys, "export", str(vault), "--kind", "recovery", "--force", "-o", str(pdf)
    )
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")
    assert sha(vault) == kept[vault]
