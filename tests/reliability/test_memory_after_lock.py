"""What stays in the process's memory after lock().

A child process opens a vault, reads records, locks it, runs ``gc.collect()`` and then reads
its own memory (``/proc/self/maps`` and ``/proc/self/mem``: every readable private region
that is anonymous, the heap, a stack, or a writable copy of a file) looking for:

* the key: its 32 raw bytes, and its hex digits in lower case (SQLCipher's ``x'…'`` form)
  and upper case (the recovery key's digits);
* markers in records that the child only ever touched through SQLite (an integrity check and
  an aggregate query decrypt their pages, but no value reaches Python);
* markers in records the child read through the services (``Records``, ``search``), which
  therefore passed through Python strings; in UTF-8 and, for the non-ASCII ones, in the
  layouts Python keeps a ``str`` in (UCS-2 = UTF-16-LE for these scripts, and UCS-4).

A second child runs a whole session instead (create, write, show the recovery key, read,
search, back up), so its markers went through Python on the way in as well.

The child must not hold what it looks for: every needle reaches it XOR-masked (or, for the
session's key, is copied from the vault's buffer) into a ``bytearray`` of its final size,
never a str or bytes; hits inside those buffers and inside the scan's own read window are
not counted. A scan before lock() is the control: it must find the key and the page-only
markers, or the scanner would be blind.

Asserted (what the code guarantees): after lock, no copy of the key (raw, hex, either case)
and no page-only marker is left in any region scanned, and no live Python object still
holds a marker. Only measured (printed with ``pytest -s``; figures in SECURITY.md): text
that passed through Python strings may stay in freed memory until it is reused.
"""

from __future__ import annotations

import ctypes
import gc
import json
import mmap
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]

_CHUNK = 1 << 20
_SKIP_PATHS = ("[vvar]", "[vvar_vclock]", "[vdso]", "[vsyscall]")


# --- the scanner (runs in the child) -------------------------------------------------------


def _mask(data: bytes) -> dict[str, str]:
    mask = secrets.token_bytes(len(data))
    return {
        "masked": bytes(a ^ b for a, b in zip(data, mask, strict=True)).hex(),
        "mask": mask.hex(),
    }


def _unmask(spec: dict[str, str]) -> bytearray:
    masked, mask = bytes.fromhex(spec["masked"]), bytes.fromhex(spec["mask"])
    out = bytearray(len(masked))  # final size: no reallocation leaves a partial copy behind
    for i in range(len(out)):
        out[i] = masked[i] ^ mask[i]
    return out


def _address(buf: bytearray | mmap.mmap) -> int:
    return ctypes.addressof(ctypes.c_char.from_buffer(buf))


def _regions() -> list[tuple[int, int]]:
    with open("/proc/self/maps") as f:
        lines = f.read().splitlines()
    regions = []
    for line in lines:
        fields = line.split(maxsplit=5)
        span, perms = fields[0], fields[1]
        path = fields[5] if len(fields) > 5 else ""
        if perms[0] != "r" or perms[3] != "p" or path in _SKIP_PATHS:
            continue
        anonymous = path == "" or path.startswith("[")  # [heap], [stack], [anon:…]
        if not anonymous and perms[1] != "w":
            continue  # a read-only mapping of a file holds that file, nothing of ours
        start, end = (int(x, 16) for x in span.split("-"))
        regions.append((start, end))
    return regions


class Scanner:
    """Counts needles in the process's own memory without copying memory into the heap."""

    def __init__(self, needles: dict[str, list[bytearray]]) -> None:
        self.needles = needles
        longest = max(len(n) for group in needles.values() for n in group)
        self.overlap = longest - 1
        self.window = mmap.mmap(-1, _CHUNK + self.overlap)
        self.view = memoryview(self.window)
        self.ignore = [(_address(self.window), _address(self.window) + len(self.window))]
        for group in needles.values():
            for n in group:
                self.ignore.append((_address(n), _address(n) + len(n)))

    def _ignored(self, addr: int) -> bool:
        return any(a <= addr < b for a, b in self.ignore)

    def scan(self) -> dict[str, Any]:
        counts = {name: 0 for name in self.needles}
        scanned = unreadable = 0
        fd = os.open("/proc/self/mem", os.O_RDONLY)
        try:
            for start, end in _regions():
                if any(a < end and start < b for a, b in self.ignore[:1]):
                    continue  # the scan's own window
                pos = start
                while pos < end:
                    want = min(_CHUNK + self.overlap, end - pos)
                    try:
                        got = os.preadv(fd, [self.view[:want]], pos)
                    except OSError:
                        got = 0
                    if got <= 0:
                        unreadable += min(_CHUNK, end - pos)
                        pos += _CHUNK
                        continue
                    counted = min(_CHUNK, got)  # the overlap is counted by the next chunk
                    scanned += counted
                    for name, group in self.needles.items():
                        for needle in group:
                            i = self.window.find(needle, 0, got)
                            while 0 <= i < counted:
                                if not self._ignored(pos + i):
                                    counts[name] += 1
                                i = self.window.find(needle, i + 1, got)
                    pos += _CHUNK
        finally:
            os.close(fd)
        return {"counts": counts, "scanned": scanned, "unreadable": unreadable}


def _encodings(marker: str) -> list[bytes]:
    """The marker as SQLite stores it (UTF-8) and as Python may hold it in a str."""
    forms = [marker.encode("utf-8")]
    if not marker.isascii():
        forms += [marker.encode("utf-16-le"), marker.encode("utf-32-le")]
    return forms


def _live_holders(needles: list[str]) -> int:
    """Strings reachable from live objects that contain one of ``needles`` (not counting
    ``needles`` themselves)."""
    own = {id(n) for n in needles}
    found = 0
    seen: set[int] = {id(needles)}
    stack: list[Any] = [o for o in gc.get_objects() if o is not needles]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        for ref in gc.get_referents(obj):
            if isinstance(ref, str):
                found += id(ref) not in own and any(n in ref for n in needles)
            elif isinstance(ref, tuple | dict | list | set | frozenset) and id(ref) not in seen:
                stack.append(ref)  # containers the collector no longer tracks
    return found


def _hex_into(key: bytearray, *, upper: bool = False, group: int = 0) -> bytearray:
    """The key's hex digits (optionally grouped with dashes), built in place: no str."""
    digits = b"0123456789ABCDEF" if upper else b"0123456789abcdef"
    n = 2 * len(key)
    out = bytearray(n + (n // group - 1 if group else 0))
    i = 0
    for j, byte in enumerate(key):
        if group and j and (2 * j) % group == 0:
            out[i] = ord("-")
            i += 1
        out[i] = digits[byte >> 4]
        out[i + 1] = digits[byte & 15]
        i += 2
    return out


# --- the child ------------------------------------------------------------------------------


def child(spec: dict[str, Any]) -> dict[str, Any]:
    from sqlalchemy import text

    from app.core.hardening import harden_process

    harden_process()  # as the app's entry point does (app.cli.run)

    from app.core.services.records import Records
    from app.core.services.search import search
    from app.core.vault import Vault
    from tests.conftest import FAST_KDF, PASSPHRASE

    needles = {name: [_unmask(s) for s in forms] for name, forms in spec.pop("needles").items()}
    if spec["scenario"] == "session":
        # A whole session in this process: create, write, show the recovery key, back up.
        vault = Vault.create(spec["path"], PASSPHRASE, kdf_sets=FAST_KDF)
        assert vault._key is not None
        raw = bytearray(vault._key)  # copied buffer to buffer
        needles["key raw"] = [raw]
        needles["key hex lower"] = [_hex_into(raw)]
        needles["key hex upper"] = [_hex_into(raw, upper=True)]
        needles["key grouped"] = [_hex_into(raw, upper=True, group=4)]
        records = Records(vault)
        case = records.create("case", title="Written in this process")
        for body in spec.pop("write"):
            records.create("note", case_id=case, title="searchable zebrafinch", body=body)
        del body
        shown = vault.recovery_key()
        assert len(shown) == 79
        del shown
        vault.backup_to(Path(spec["path"]).with_name("backup.liaison"))
        read_case = case
    else:
        vault = Vault(spec["path"], kdf_sets=FAST_KDF)
        vault.unlock(PASSPHRASE)
        records = Records(vault)
        read_case = spec["read_case"]
    scanner = Scanner(needles)

    read = records.find("note", case_id=read_case)
    assert len(read) == spec["read_count"]
    # A filter on a text value: the engine's statement cache keeps it (lock empties it).
    assert records.find("note", case_id=read_case, body=read[0]["body"])
    assert records.get("note", read[0]["id"])["body"]
    assert search(vault, spec["search_word"])
    # Every page decrypted inside SQLite, and the page-only texts measured there, never
    # returned: the integrity checks (a connection of their own) and an aggregate query.
    assert vault.check() == []
    with vault.session() as s:
        total = s.execute(text("SELECT sum(length(body)) FROM notes")).scalar()
    assert total
    del read, s

    before = scanner.scan()
    vault.lock()
    gc.collect()
    after = scanner.scan()
    live = _live_holders(
        [bytes(forms[0]).decode("utf-8") for name, forms in needles.items() if " mark " in name]
    )
    return {"before": before, "after": after, "live": live}


def _run_child(spec: dict[str, Any]) -> dict[str, Any]:
    proc = subprocess.run(
        [sys.executable, "-m", "tests.reliability.test_memory_after_lock"],
        input=json.dumps(spec),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-4000:]
    result: dict[str, Any] = json.loads(proc.stdout.splitlines()[-1])
    print(json.dumps(result, indent=1, ensure_ascii=False))  # the figures (pytest -s)
    return result


# --- the tests ------------------------------------------------------------------------------

MARKER_SCRIPTS = ["ascii", "Доверие", "ნდობა", "سرية"]

needs_proc_mem = pytest.mark.skipif(
    not (sys.platform == "linux" and os.access("/proc/self/mem", os.R_OK)),
    reason="reads /proc/self/mem (Linux)",
)


def _markers(prefix: str) -> list[str]:
    """One marker per script; a random part so that no earlier run can be what is found."""
    out = []
    for script in MARKER_SCRIPTS:
        word = prefix if script == "ascii" else script
        out.append(f"{word}-{secrets.token_hex(6).upper()}-{prefix}")
    return out


def _marker_needles(group: str, markers: list[str]) -> dict[str, list[dict[str, str]]]:
    return {
        f"{group} mark {script}": [_mask(e) for e in _encodings(m)]
        for script, m in zip(MARKER_SCRIPTS, markers, strict=True)
    }


@needs_proc_mem
def test_lock_leaves_no_key_and_no_page_text_in_memory(tmp_path: Path) -> None:
    from app.core.services.records import Records
    from app.core.vault import Vault
    from tests.conftest import FAST_KDF, PASSPHRASE

    path = tmp_path / "memory.liaison"
    vault = Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF)
    assert vault._key is not None
    key = bytes(vault._key)
    r = Records(vault)
    read_case = r.create("case", title="Read through the services")
    page_case = r.create("case", title="Touched only inside SQLite")
    read_markers = _markers("READMARK")
    page_markers = _markers("PAGEMARK")
    for m in read_markers:
        r.create("note", case_id=read_case, title="searchable zebrafinch", body=m)
    for m in page_markers:
        r.create("note", case_id=page_case, title="Kept inside SQLite", body=m)
    vault.lock()

    needles = {
        "key raw": [_mask(key)],
        "key hex lower": [_mask(key.hex().encode())],
        "key hex upper": [_mask(key.hex().upper().encode())],
        **_marker_needles("page", page_markers),
        **_marker_needles("read", read_markers),
    }
    result = _run_child(
        {
            "scenario": "unlock",
            "path": str(path),
            "read_case": read_case,
            "read_count": len(read_markers),
            "search_word": "zebrafinch",
            "needles": needles,
        }
    )
    before, after = result["before"]["counts"], result["after"]["counts"]
    page = [name for name in needles if name.startswith("page")]

    # The control: unlocked, the scanner finds the key (the vault's own buffer) and the
    # page-only texts (SQLite's page cache); otherwise the zeros below would mean nothing.
    assert before["key raw"] >= 1, before
    assert all(before[name] >= 1 for name in page), before

    assert after["key raw"] == 0, after
    assert after["key hex lower"] == 0, after
    assert after["key hex upper"] == 0, after
    assert all(after[name] == 0 for name in page), after
    assert result["live"] == 0  # no object still refers to text that was read
    # Text read through the services passed through Python strings: measured, not asserted
    # (freed, it stays until the memory is reused; SECURITY.md gives the figures).


@needs_proc_mem
def test_a_whole_session_then_lock(tmp_path: Path) -> None:
    """Create, write, show the recovery key, read, search, back up, lock: mostly measured.

    Asserted: no raw copy of the key and no live reference to a marker. Not asserted: the
    key's hex, because Vault.create still keys the new file with ``PRAGMA key`` text (a
    Python str); nor the shown recovery key, a str handed to the caller."""
    markers = _markers("SESSMARK")
    result = _run_child(
        {
            "scenario": "session",
            "path": str(tmp_path / "session.liaison"),
            "read_count": len(markers),
            "search_word": "zebrafinch",
            "write": markers,
            "needles": _marker_needles("session", markers),
        }
    )
    before, after = result["before"]["counts"], result["after"]["counts"]
    assert before["key raw"] >= 1, before  # the control
    assert after["key raw"] == 0, after
    assert result["live"] == 0


# --- in this process: the switches and caches the scan relies on ---------------------------


def test_memory_security_is_switched_on_by_the_app_and_on_every_connection() -> None:
    """SQLCipher's default is off, and importing the vault leaves it off (it costs speed);
    the app's entry point (``app.cli.run``) turns it on for its process (one global, one-way
    switch), and every vault connection then sets it too. The read-back is 1 only when the
    setting is on *and* SQLCipher's allocator is in use. In a child process, so that this
    test process stays as the other tests expect."""
    code = (
        "import sqlcipher3, tempfile, pathlib\n"
        "c = sqlcipher3.connect(':memory:')\n"
        "print(c.execute('PRAGMA cipher_memory_security').fetchone()[0])\n"
        "import app.cli, app.core.vault as v\n"
        "print(c.execute('PRAGMA cipher_memory_security').fetchone()[0])\n"
        "app.cli.main = lambda: 0\n"
        "app.cli.run()\n"
        "print(c.execute('PRAGMA cipher_memory_security').fetchone()[0], v.memory_hygiene())\n"
        "from tests.conftest import FAST_KDF, PASSPHRASE\n"
        "vault = v.Vault.create(pathlib.Path(tempfile.mkdtemp()) / 'm.liaison', PASSPHRASE,"
        " kdf_sets=FAST_KDF)\n"
        "with vault.raw_connection() as conn:\n"
        "    print(conn.execute('PRAGMA cipher_memory_security').fetchone()[0])\n"
        "vault.lock()\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert out.returncode == 0, out.stderr
    assert out.stdout.split() == ["0", "0", "1", "True", "1"]


def _reachable(root: object, needle: str) -> bool:
    seen: set[int] = set()
    stack = [root]
    while stack:
        obj = stack.pop()
        if id(obj) in seen:
            continue
        seen.add(id(obj))
        if isinstance(obj, str):
            if needle in obj:
                return True
            continue
        stack.extend(gc.get_referents(obj))
    return False


def test_lock_empties_the_engines_statement_cache(tmp_path: Path) -> None:
    """SQLAlchemy keeps the first statement of each shape it compiles, bound values and
    all: a filter's text would outlive the lock in anything still holding the engine."""
    from app.core.services.records import Records
    from app.core.vault import Vault
    from tests.conftest import FAST_KDF, PASSPHRASE

    vault = Vault.create(tmp_path / "c.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    engine = vault.engine
    value = "FILTER-" + secrets.token_hex(8)
    Records(vault).find("case", title=value)
    assert _reachable(engine, value)  # the control: it is there while unlocked
    vault.lock()
    assert not _reachable(engine, value)


def test_lock_empties_the_character_cache_of_name_matching(tmp_path: Path) -> None:
    from app.core.disclosure import names
    from app.core.vault import Vault
    from tests.conftest import FAST_KDF, PASSPHRASE

    vault = Vault.create(tmp_path / "n.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    names.fold("Ნინო Ქართველიშვილი")
    assert "Ქ" in names._FOLD
    vault.lock()
    assert names._FOLD == {}


if __name__ == "__main__":
    print(json.dumps(child(json.loads(sys.stdin.read()))))
