"""The `liaison` command end to end (real key derivation: the CLI can never weaken it)."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import main

PASS = "a long enough passphrase"


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LIAISON_PASSPHRASE", PASS)
    monkeypatch.delenv("LIAISON_NEW_PASSPHRASE", raising=False)


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def made(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    vault = tmp_path / "cli.liaison"
    code, out, _ = run(capsys, "init", str(vault))
    assert code == 0 and "Recovery key" in out
    return vault


def test_init_prints_recovery_key_that_opens_the_vault(
    made: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = run(capsys, "recovery-key", str(made))
    assert code == 0
    key = next(line.strip() for line in out.splitlines() if line.count("-") == 15)
    monkeypatch.setenv("LIAISON_PASSPHRASE", key)
    assert run(capsys, "check", str(made))[0] == 0


def test_init_refuses_existing_and_short_passphrase(
    made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sha(made)
    code, _, err = run(capsys, "init", str(made))
    assert code == 1 and "already exists" in err and "Traceback" not in err
    assert sha(made) == before
    monkeypatch.setenv("LIAISON_PASSPHRASE", "short")
    code, _, err = run(capsys, "init", str(tmp_path / "new.liaison"))
    assert code == 1 and "at least 8" in err
    assert not (tmp_path / "new.liaison").exists()


def test_wrong_passphrase_is_one_clear_line(
    made: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sha(made)
    monkeypatch.setenv("LIAISON_PASSPHRASE", "not it at all")
    code, _, err = run(capsys, "check", str(made))
    assert code == 1
    assert err.strip() == "liaison: The passphrase or recovery key is not right for this vault."
    assert sha(made) == before


def test_passphrase_file(
    made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LIAISON_PASSPHRASE")
    pf = tmp_path / "pass.txt"
    pf.write_text(PASS + "\n", encoding="utf-8")
    assert run(capsys, "check", str(made), "--passphrase-file", str(pf))[0] == 0
    code, _, err = run(capsys, "check", str(made), "--passphrase-file", str(tmp_path / "nope"))
    assert code == 1 and "Cannot read the passphrase file" in err


def test_no_passphrase_without_terminal(
    made: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("LIAISON_PASSPHRASE")
    monkeypatch.setattr("sys.stdin", open(os.devnull))  # noqa: SIM115
    code, _, err = run(capsys, "check", str(made))
    assert code == 1 and "No passphrase" in err


def test_passwd_changes_passphrase_and_recovery_key(
    made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    new = tmp_path / "new.txt"
    new.write_text("the second passphrase\n", encoding="utf-8")
    code, out, _ = run(capsys, "passwd", str(made), "--new-passphrase-file", str(new))
    assert code == 0 and "Recovery key" in out
    assert run(capsys, "check", str(made))[0] == 1  # old one no longer works
    monkeypatch.setenv("LIAISON_PASSPHRASE", "the second passphrase")
    assert run(capsys, "check", str(made))[0] == 0


def test_backup_and_search_and_json_round_trip(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    src = tmp_path / "src.json"
    doc = {
        "format": "liaison-vault",
        "version": 1,
        "schema_revision": _head(),
        "tables": {
            "cases": [
                {
                    "id": 1,
                    "title": "Mountain pass talks",
                    "summary": "über Gespräche",
                    "track": "2",
                    "status": "active",
                    "started_on": None,
                    "ended_on": None,
                    "created_at": "2026-01-01T00:00:00+00:00",
                    "updated_at": "2026-01-01T00:00:00+00:00",
                }
            ],
        },
    }
    src.write_text(json.dumps(doc), encoding="utf-8")
    vault = tmp_path / "imported.liaison"
    code, out, err = run(capsys, "import-json", str(vault), str(src))
    assert code == 0, err
    code, out, _ = run(capsys, "search", str(vault), "uber")
    assert code == 0 and "case #1" in out and "[Gespräche]" not in out and "[über]" in out
    code, out, _ = run(capsys, "backup", str(vault), str(tmp_path / "b.liaison"))
    assert code == 0 and (tmp_path / "b.liaison").exists()
    assert run(capsys, "check", str(tmp_path / "b.liaison"))[0] == 0
    out_json = tmp_path / "out.json"
    code, out, _ = run(capsys, "export-json", str(vault), str(out_json))
    assert code == 0 and "NOT encrypted" in out
    assert json.loads(out_json.read_text("utf-8"))["tables"]["cases"][0]["title"] == (
        "Mountain pass talks"
    )
    code, _, err = run(capsys, "export-json", str(vault), str(out_json))
    assert code == 1 and "--force" in err


def test_import_of_bad_json_creates_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "liaison-vault", "version": 1, "tables": ', encoding="utf-8")
    vault = tmp_path / "x.liaison"
    code, _, err = run(capsys, "import-json", str(vault), str(bad))
    assert code == 1 and "not valid JSON" in err and "Nothing was imported" in err
    assert not vault.exists()


def test_foreign_and_truncated_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    foreign = tmp_path / "notes.liaison"
    foreign.write_text("shopping list\n" * 100, encoding="utf-8")
    code, _, err = run(capsys, "check", str(foreign))
    assert code == 1 and "not a Liaison vault" in err
    code, _, err = run(capsys, "check", str(tmp_path / "missing.liaison"))
    assert code == 1 and "There is no file" in err


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0


def test_demo_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    vault = tmp_path / "demo.liaison"
    code, _, err = run(capsys, "demo", str(vault))
    assert code == 0, err
    code, _, err = run(capsys, "demo", str(vault))
    assert code == 1 and "already exists" in err
    code, _, _ = run(capsys, "search", str(vault), "ceasefire")
    assert code == 0


def test_real_process_exit_codes_and_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "LIAISON_PASSPHRASE": "whatever passphrase"}
    foreign = tmp_path / "f.liaison"
    foreign.write_bytes(b"\x00" * 10)
    proc = subprocess.run(
        [sys.executable, "-m", "app", "check", str(foreign)],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 1
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr
    proc = subprocess.run(
        [sys.executable, "-m", "app", "frobnicate", "a", "b"],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert proc.returncode == 2


def _head() -> str:
    from app.core.schema import head_revision

    head = head_revision()
    assert head
    return head


def test_self_check(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "--self-check")
    assert code == 0, out
    assert "Self-check passed." in out
    assert out.count("ok ") >= 6


def test_restore_test_checks_a_backup_without_changing_it(
    made: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = tmp_path / "b.liaison"
    assert run(capsys, "backup", str(made), str(backup))[0] == 0
    before = sha(backup)
    code, out, _ = run(capsys, "restore-test", str(backup))
    assert code == 0 and "checks out" in out
    assert sha(backup) == before
