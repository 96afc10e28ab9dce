"""`liaison --self-check`: prove this installation works, with no display and no network.

Creates a temporary vault with the real key derivation, writes the demo notebook, searches,
checks integrity, exports a PDF, locks and reopens, then removes everything. One line a step.
"""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from app.core.vault import Vault


def run_self_check(say: Callable[[str], None] = print) -> bool:
    from app.core.demo import DEMO_PASSPHRASE

    tmp = Path(tempfile.mkdtemp(prefix="liaison-self-check-"))
    path = tmp / "self-check.liaison"
    results: list[bool] = []

    def step(name: str, fn: Callable[[], object]) -> None:
        t = time.perf_counter()
        try:
            fn()
        except Exception as exc:  # a self-check reports every failure, whatever it is
            results.append(False)
            say(f"FAILED  {name}: {type(exc).__name__}: {exc}")
            return
        results.append(True)
        say(f"ok      {name} ({(time.perf_counter() - t) * 1000:.0f} ms)")

    vaults: list[Vault] = []
    try:
        step(
            "create an encrypted vault (Argon2id + SQLCipher)",
            lambda: vaults.append(Vault.create(path, DEMO_PASSPHRASE)),
        )
        if vaults:
            _checks(vaults[0], tmp, step)
            step("lock and unlock with the passphrase", lambda: _reopen(vaults[0], DEMO_PASSPHRASE))
    finally:
        for v in vaults:
            if v.is_unlocked:
                v.lock()
        step("remove the temporary files", lambda: shutil.rmtree(tmp))
        shutil.rmtree(tmp, ignore_errors=True)
    ok = bool(results) and all(results)
    say("Self-check passed." if ok else "Self-check FAILED.")
    return ok


def _checks(vault: Vault, tmp: Path, step: Callable[[str, Callable[[], object]], None]) -> None:
    from sqlalchemy import select

    from app.core.demo import build_demo
    from app.core.models import Case
    from app.core.services.search import search

    step("write the demo notebook", lambda: build_demo(vault))

    def find() -> None:
        if not search(vault, "ceasefire"):
            raise RuntimeError("no search results")

    def integrity() -> None:
        problems = vault.check()
        if problems:
            raise RuntimeError("; ".join(problems[:3]))

    def pdf() -> None:
        from app.core.export.pdf import export_pdf

        with vault.session() as s:
            case_id = s.scalar(select(Case.id).order_by(Case.id).limit(1))
        out = tmp / "dossier.pdf"
        export_pdf(vault, kind="dossier", case_id=case_id, out_path=out)
        if not out.read_bytes().startswith(b"%PDF"):
            raise RuntimeError("the export is not a PDF")

    step("full-text search", find)
    step("integrity checks", integrity)
    step("export a PDF dossier", pdf)


def _reopen(vault: Vault, passphrase: str) -> None:
    vault.lock()
    again = Vault(vault.path)
    again.unlock(passphrase)
    again.lock()
