"""Memory hygiene: no key after lock, no core dumps, the key set first (see also
tests/core/test_vault.py::test_key_is_set_before_the_first_statement_on_every_connection)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]


def test_the_vault_holds_no_key_after_lock(tmp_path: Path) -> None:
    v = Vault.create(tmp_path / "k.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    key_buffer = v._key
    assert key_buffer is not None and any(key_buffer)
    v.lock()
    assert not v.holds_key() and v._salt is None and v._engine is None
    assert not any(key_buffer), "the key's bytes were not overwritten"


def test_liaison_disables_core_dumps() -> None:
    code = (
        "import resource\n"
        "from app.cli import main\n"
        "try:\n    main(['--version'])\nexcept SystemExit:\n    pass\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE))\n"
        "import ctypes; libc = ctypes.CDLL(None); print(libc.prctl(3, 0, 0, 0, 0))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.splitlines()
    assert out[-2] == "(0, 0)"  # RLIMIT_CORE
    assert out[-1] == "0"  # PR_GET_DUMPABLE: not dumpable
