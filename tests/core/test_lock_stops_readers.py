"""Locking stops work that is still reading the vault: a PDF or JSON export running on
another thread stops at its next check and leaves no file, and the lock waits for it (a
bounded wait) before it disposes the engine and wipes the key.

Threads are synchronised on events (the export's own progress callback), never on sleeps;
the only timeouts are generous upper bounds."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from app.core.demo import generate_scale
from app.core.errors import VaultLocked
from app.core.export import jsonio
from app.core.export.jsonio import export_json
from app.core.export.pdf import export_pdf
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

PATIENCE = 60.0  # seconds: an upper bound for a slow machine, never a measured time


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + PATIENCE
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("gave up waiting")
        time.sleep(0.002)


def lock_begun(vault: Vault) -> bool:
    return vault.locking or not vault.is_unlocked


@pytest.fixture(scope="module")
def big_vault_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A case with a few hundred messages: a shuttle log of many pages."""
    path = tmp_path_factory.mktemp("big") / "big.liaison"
    vault = Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF)
    try:
        generate_scale(vault, messages=300, cases=1)
    finally:
        vault.lock()
    return path


@pytest.fixture
def big(big_vault_file: Path) -> Iterator[Vault]:
    vault = Vault(big_vault_file, kdf_sets=FAST_KDF)
    vault.unlock(PASSPHRASE)
    vault.reader_wait_seconds = PATIENCE  # the reader always gets there on a slow machine
    yield vault
    vault.lock()


def run_on_thread(fn: Callable[[], Any]) -> tuple[threading.Thread, dict[str, Any]]:
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["result"] = fn()
        except BaseException as exc:
            outcome["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


@pytest.mark.parametrize("at", ["first", "last"])
def test_lock_stops_a_running_pdf_export_and_leaves_no_file(
    big: Vault, tmp_path: Path, at: str
) -> None:
    """``first``: the lock begins while the log is being laid out; ``last``: once every
    page is laid out, before the file is renamed into place."""
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    dest = out_dir / "log.pdf"
    reached = threading.Event()
    seen: list[tuple[int, int]] = []

    def progress(done: int, total: int) -> None:
        seen.append((done, total))
        if reached.is_set() or (at == "last" and done < total):
            return
        reached.set()
        wait_until(lambda: lock_begun(big))

    thread, outcome = run_on_thread(
        lambda: export_pdf(big, kind="log", case_id=1, out_path=dest, progress=progress)
    )
    assert reached.wait(PATIENCE)
    big.lock()
    thread.join(PATIENCE)
    assert not thread.is_alive()
    assert "result" not in outcome, "the export went on and wrote its file"
    assert isinstance(outcome.get("error"), VaultLocked)
    assert not dest.exists()
    assert list(out_dir.iterdir()) == []  # no temporary file either
    assert not big.is_unlocked and not big.holds_key()
    if at == "first":
        assert seen[-1][0] < seen[-1][1]  # it stopped part way


def test_lock_stops_a_running_json_export_and_leaves_no_file(
    big: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    dest = out_dir / "vault.json"
    reached = threading.Event()
    real = jsonio._to_json

    def to_json(value: Any) -> Any:  # called for every value read
        if not reached.is_set():
            reached.set()
            wait_until(lambda: lock_begun(big))
        return real(value)

    monkeypatch.setattr(jsonio, "_to_json", to_json)
    thread, outcome = run_on_thread(lambda: export_json(big, dest))
    assert reached.wait(PATIENCE)
    big.lock()
    thread.join(PATIENCE)
    assert not thread.is_alive()
    assert "result" not in outcome, "the export went on and wrote its file"
    assert isinstance(outcome.get("error"), VaultLocked)
    assert list(out_dir.iterdir()) == []
    assert not big.is_unlocked and not big.holds_key()


def test_lock_waits_for_a_reader_to_finish_its_batch(big: Vault) -> None:
    in_batch = threading.Event()
    log: list[Any] = []

    def reader() -> None:
        with big.reader(), big.session() as s:
            s.execute(text("SELECT count(*) FROM messages")).scalar()
            in_batch.set()
            wait_until(lambda: big.locking)
            # The lock has begun but waits: the batch in hand still reads from an open vault.
            log.append(("unlocked", big.is_unlocked))
            log.append(("read", s.execute(text("SELECT count(*) FROM messages")).scalar()))
            # ...while nothing new may start, and the reader is told to stop.
            for start in (big.session, big.transaction, big.reader):
                with pytest.raises(VaultLocked), start():
                    pass
            with pytest.raises(VaultLocked):
                big.check_not_locking()
            log.append("leaving")
        log.append("left")

    thread, outcome = run_on_thread(reader)
    assert in_batch.wait(PATIENCE)
    big.lock()
    # The lock returned only after the reader had left, and the reader saw an open vault.
    assert log[-1] == "left"
    assert log[0] == ("unlocked", True) and log[1][0] == "read" and log[1][1] > 0
    thread.join(PATIENCE)
    assert "error" not in outcome, outcome.get("error")
    assert not big.is_unlocked and not big.holds_key() and not big.locking
    with pytest.raises(VaultLocked), big.reader():
        pass


def test_lock_waits_a_bounded_time_for_a_reader_that_never_checks(big: Vault) -> None:
    big.reader_wait_seconds = 0.2
    entered, release = threading.Event(), threading.Event()

    def stuck() -> None:
        with big.reader():
            entered.set()
            release.wait(PATIENCE)

    thread, outcome = run_on_thread(stuck)
    assert entered.wait(PATIENCE)
    try:
        big.lock()  # returns although the reader is still inside
        assert not big.is_unlocked and not big.holds_key()
    finally:
        release.set()
        thread.join(PATIENCE)
    assert "error" not in outcome


def test_a_reader_on_the_locking_thread_does_not_hold_up_its_own_lock(big: Vault) -> None:
    big.reader_wait_seconds = PATIENCE
    with big.reader():
        big.lock()  # would wait PATIENCE seconds if it waited for itself
    assert not big.is_unlocked


def test_the_vault_opens_again_after_a_lock(big: Vault) -> None:
    big.lock()
    big.unlock(PASSPHRASE)
    with big.reader(), big.session() as s:
        big.check_not_locking()
        assert s.execute(text("SELECT count(*) FROM messages")).scalar()
