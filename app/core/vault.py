"""The vault: one SQLCipher 4 file holding everything, opened with an Argon2id-derived raw key.

See DESIGN.md section 3. In short:

* ``K = Argon2id(passphrase, salt)`` is SQLCipher's *raw* key; the 16-byte salt is the file's
  own SQLCipher salt (its first 16 bytes), so nothing but the file is ever needed.
* ``K`` is also the recovery key, shown as 16 groups of 4 hex digits. It opens the file here
  and in the ``sqlcipher`` shell (``PRAGMA key = "x'<64 hex>'"``).
* A wrong passphrase, a damaged file and a foreign file are told apart *before* SQLCipher
  touches the file, from the first page alone (its HMAC and, failing that, its decrypted
  header), so no failure writes a byte.
* One process at a time: an advisory ``flock`` on the vault file itself (no sidecar), plus a
  registry inside this process.
* Locking stops work still reading: long readers (exports, anything on a worker thread) run
  inside :meth:`Vault.reader` and call :meth:`Vault.check_not_locking` as they go; ``lock()``
  first refuses new work and tells running readers to stop, waits (a bounded time) for them
  to leave, and only then closes the engine, wipes the key and releases the file.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import hmac
import os
import secrets
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import sqlcipher3
from sqlalchemy import Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError as SADatabaseError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from app.core.disclosure import drafts as draft_guard
from app.core.disclosure import guard as disclosure_guard
from app.core.disclosure import handovers as handover_guard
from app.core.errors import (
    NotAVault,
    VaultDamaged,
    VaultExists,
    VaultInUse,
    VaultLocked,
    VaultReadOnly,
    WriteFailed,
    WrongPassphrase,
)
from app.core.files import (
    PARTIAL_SUFFIX,
    create_private_file,
    disk_error,
    fsync_dir,
    fsync_file,
    link_no_replace,
    regular_file_stat,
    remove_dead_partials,
    remove_with_side_files,
)
from app.core.keys import (
    KDF_SETS,
    KEY_SIZE,
    SALT_SIZE,
    KdfParams,
    derive_key,
    format_recovery_key,
    key_spec,
    looks_like_recovery_key,
    parse_recovery_key,
    passphrase_keys,
    wipe,
)
from app.core.models.hooks import VaultSession

PAGE_SIZE = 4096
# Decrypted pages kept in memory per connection: re-reading them would mean decrypting again.
PAGE_CACHE_KIB = 16 * 1024
# SQLCipher 4 default page reserve: 16-byte IV then a 64-byte HMAC-SHA512.
_IV_SIZE = 16
_HMAC_SIZE = 64
_RESERVE = _IV_SIZE + _HMAC_SIZE
# Written into every vault (inside the encryption) so that another SQLCipher database opened
# with the right key is still recognised as "not a Liaison vault". ASCII "LIAI".
APPLICATION_ID = 0x4C494149
# How long lock() waits for running readers to notice it and leave; then it closes anyway.
READER_WAIT_SECONDS = 5.0
_SQLITE_MAGIC = b"SQLite format 3\x00"
_FOREIGN_MAGIC = (
    b"%PDF",
    b"PK\x03\x04",
    b"\x89PNG",
    b"GIF8",
    b"\x7fELF",
    b"7z\xbc\xaf",
    b"Rar!",
    b"OggS",
    b"RIFF",
    b"\xd0\xcf\x11\xe0",
    b"%!PS",
    b"\x1f\x8b\x08",
    b"\xff\xd8\xff",
)


# --- telling files apart from their first page --------------------------------------------


def _hmac_key(key: bytes | bytearray, salt: bytes) -> bytes:
    # SQLCipher 4: PBKDF2-HMAC-SHA512(key, salt ^ 0x3a, 2 iterations) -> HMAC key.
    return hashlib.pbkdf2_hmac("sha512", key, bytes(b ^ 0x3A for b in salt), 2, KEY_SIZE)


def _page1_hmac_ok(page1: bytes, key: bytes | bytearray) -> bool:
    salt = page1[:SALT_SIZE]
    body = page1[SALT_SIZE : PAGE_SIZE - _HMAC_SIZE]
    # The key itself, not bytes(key): an immutable copy of the key could not be wiped.
    mac = hmac.new(_hmac_key(key, salt), body + (1).to_bytes(4, "little"), hashlib.sha512)
    return hmac.compare_digest(mac.digest(), page1[PAGE_SIZE - _HMAC_SIZE : PAGE_SIZE])


def _page1_decrypts_plausibly(page1: bytes, key: bytes | bytearray) -> bool:
    """True when ``key`` decrypts page 1 to something SQLite-shaped despite a bad HMAC.

    A wrong key gives random bytes; the right key on a page with a flipped byte garbles at
    most two 16-byte blocks, so checking three independent places tells the two apart.
    """
    from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

    iv = page1[PAGE_SIZE - _RESERVE : PAGE_SIZE - _HMAC_SIZE]
    body = page1[SALT_SIZE : PAGE_SIZE - _RESERVE]
    dec = Cipher(algorithms.AES(bytes(key)), modes.CBC(iv)).decryptor()
    plain = bytes(SALT_SIZE) + dec.update(body) + dec.finalize()
    header_ok = plain[16:24] == bytes([0x10, 0x00, 0x01, 0x01, _RESERVE, 0x40, 0x20, 0x20])
    encoding_ok = plain[56:60] == b"\x00\x00\x00\x01" and plain[44:47] == b"\x00\x00\x00"
    version = int.from_bytes(plain[96:100], "big")
    btree_ok = 3_040_000 <= version < 4_000_000 and plain[100] in (0x05, 0x0D)
    return header_ok or encoding_ok or btree_ok


def _classify_header(path: Path, head: bytes, size: int) -> None:
    """Raise NotAVault / VaultDamaged for files that cannot be an intact vault at all."""
    name = path.name
    if size == 0:
        raise NotAVault(f"“{name}” is empty; it is not a Liaison vault.")
    if head.startswith(_SQLITE_MAGIC):
        raise NotAVault(f"“{name}” is an unencrypted SQLite database, not a Liaison vault.")
    # Well-known file types (4+ byte signatures: a random salt matches one with p < 2^-32).
    if head.startswith(_FOREIGN_MAGIC):
        raise NotAVault(f"“{name}” is not a Liaison vault.")
    # An encrypted page is indistinguishable from random bytes; most foreign files are not.
    distinct = len(set(head[:PAGE_SIZE]))
    random_looking = distinct >= min(200, max(1, len(head) // 4))
    if not random_looking:
        raise NotAVault(f"“{name}” is not a Liaison vault.")
    if size < PAGE_SIZE or size % PAGE_SIZE:
        raise VaultDamaged(
            f"“{name}” is damaged: it is cut short ({size:,} bytes is not a whole number of pages)."
        )


# --- one vault per process, and one process per vault ---------------------------------------

_open_in_process: set[tuple[int, int]] = set()
_registry_lock = threading.Lock()


def open_in_this_process(st: os.stat_result) -> bool:
    """True when the file ``st`` describes is a vault unlocked in this process. Such a file
    must not be opened and closed on the side: closing any descriptor of a file drops this
    process's POSIX locks on it, SQLite's included."""
    with _registry_lock:
        return (st.st_dev, st.st_ino) in _open_in_process


class _ProcessLock:
    """An exclusive advisory lock on the vault file, held while the vault is unlocked.

    The lock is taken on a read-only descriptor of the vault itself, never a sidecar file.
    SQLite's own locks are POSIX record locks, which ``flock`` does not interfere with on
    Linux and macOS. The descriptor is kept open until the engine is disposed, because
    closing any descriptor of a file drops the process's POSIX locks on it.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd: int | None = None
        self._ident: tuple[int, int] | None = None

    def acquire(self) -> None:
        st = self.path.stat()
        ident = (st.st_dev, st.st_ino)
        with _registry_lock:
            if ident in _open_in_process:
                raise VaultInUse(f"“{self.path.name}” is already open in this window.")
            _open_in_process.add(ident)
        self._ident = ident
        try:
            fd = os.open(self.path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        except OSError as exc:
            self._release_ident()
            raise NotAVault(f"“{self.path.name}” cannot be read: {exc.strerror}.") from exc
        self._fd = fd
        if sys.platform != "win32":
            import fcntl

            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                self.release()
                raise VaultInUse(
                    f"“{self.path.name}” is open in another Liaison window or program. "
                    "Close it there first."
                ) from exc

    def read_first_page(self) -> bytes:
        assert self._fd is not None
        os.lseek(self._fd, 0, os.SEEK_SET)
        return os.read(self._fd, PAGE_SIZE)

    def _release_ident(self) -> None:
        if self._ident is not None:
            with _registry_lock:
                _open_in_process.discard(self._ident)
            self._ident = None

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # also drops the flock
            self._fd = None
        self._release_ident()


# --- the vault ------------------------------------------------------------------------------


def _silence_sqlcipher() -> None:
    # Process-wide; done once on a private in-memory connection so that on every vault
    # connection the key is set before any statement runs.
    conn = sqlcipher3.connect(":memory:")
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")
    finally:
        conn.close()


_silence_sqlcipher()

# Memory hygiene (see enable_memory_hygiene): off in a library import, on in the app.
_memory_hygiene = False


def enable_memory_hygiene() -> None:
    """Turn on, for this whole process and for good, what keeps decrypted text out of memory
    after a lock: SQLCipher's ``cipher_memory_security`` (its allocator overwrites every
    block SQLite frees: decrypted pages, row values, statements; one global, one-way switch)
    and, on lock, a full garbage collection and giving free heap pages back to the system.

    The app's entry points call it (``app.core.hardening.harden_process``), like turning off
    core dumps: it is a property of the process, not of one vault. It costs speed (SQLCipher
    locks and unlocks memory around every allocation: searches are several times slower,
    docs/performance.md), so a library import, the tests and the benchmarks of queries leave
    it off unless they measure it."""
    global _memory_hygiene
    conn = sqlcipher3.connect(":memory:")
    try:
        conn.execute("PRAGMA cipher_memory_security = ON")
    finally:
        conn.close()
    _memory_hygiene = True


def memory_hygiene() -> bool:
    """Whether :func:`enable_memory_hygiene` was called in this process."""
    return _memory_hygiene


def _forget_text_caches() -> None:
    """Empty the module-level caches that are filled from record text (called on lock)."""
    names = sys.modules.get("app.core.disclosure.names")
    if names is not None:
        names._FOLD.clear()  # every character met in text matched against names


def _return_free_pages() -> None:
    """Best effort, glibc only (called on lock, after a collection): give the whole free
    pages of the C heap back to the system, which hands them out again zero-filled. What
    was freed into a page that still holds live data stays until it is reused."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None).malloc_trim(0)


def _is_not_a_database(exc: BaseException) -> bool:
    msg = str(exc).lower()
    return "not a database" in msg or "malformed" in msg or "disk image" in msg


@dataclass
class UpgradeInfo:
    from_revision: str | None
    to_revision: str
    backup_path: Path | None


class Vault:
    """An encrypted vault file. Create with :meth:`create`, or construct and :meth:`unlock`.

    ``kdf_sets`` exists for tests, which pass a cheap parameter set; the CLI and GUI never
    pass it, and no environment variable can weaken it.
    """

    def __init__(self, path: str | os.PathLike[str], *, kdf_sets: tuple[KdfParams, ...] = KDF_SETS):
        self.path = Path(path)
        self.kdf_sets = kdf_sets
        self._key: bytearray | None = None
        self._salt: bytes | None = None
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._lock: _ProcessLock | None = None
        self._write_lock = threading.RLock()
        # Readers now inside reader(), per thread; lock() waits for them (see reader()).
        self._readers: dict[int, int] = {}
        self._readers_changed = threading.Condition()
        self._locking = False
        self.reader_wait_seconds = READER_WAIT_SECONDS
        self.last_upgrade: UpgradeInfo | None = None
        # Hooks called after lock(), e.g. so the GUI can clear its models and caches.
        self.on_lock: list[Callable[[], None]] = []

    # -- creating -------------------------------------------------------------------------

    @classmethod
    def create(
        cls,
        path: str | os.PathLike[str],
        passphrase: str | bytes | bytearray,
        *,
        kdf_sets: tuple[KdfParams, ...] = KDF_SETS,
        fill: Callable[[Vault], None] | None = None,
    ) -> Vault:
        """Create a new vault at the current schema and return it unlocked.

        The vault is built under a temporary name beside ``path``
        (``.<name>.<pid>-<random>.creating``, private to the user like the vault) and given
        the name ``path`` only once its schema, and whatever ``fill`` writes into it (the
        demo, an import), is committed and on disk: ``path`` holds a whole vault or nothing,
        however early the process is stopped. A file that appears at ``path`` meanwhile is
        never replaced (``VaultExists``). What a create killed early leaves is removed by the
        next create of the same name.
        """
        p = Path(path)
        if p.exists() or Path(str(p) + "-wal").exists():
            raise VaultExists(f"“{p.name}” already exists; choose another name.")
        if not p.parent.is_dir():
            raise VaultReadOnly(f"The folder “{p.parent}” does not exist.")
        if not os.access(p.parent, os.W_OK):
            raise VaultReadOnly(f"Liaison cannot write in the folder “{p.parent}”.")
        remove_dead_partials(p)
        salt = secrets.token_bytes(SALT_SIZE)
        key = derive_key(passphrase, salt, kdf_sets[0])
        tmp = p.with_name(f".{p.name}.{os.getpid()}-{secrets.token_hex(4)}{PARTIAL_SUFFIX}")
        try:
            os.close(create_private_file(tmp))
            conn = sqlcipher3.connect(str(tmp))
            try:
                spec = key_spec(key, salt)  # key and salt: SQLCipher takes this salt
                try:
                    conn.set_key(spec)
                finally:
                    wipe(spec)
                conn.execute(f"PRAGMA cipher_page_size = {PAGE_SIZE}")
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
                conn.execute("PRAGMA journal_mode = WAL")
                conn.commit()
            finally:
                conn.close()
        except BaseException as exc:
            wipe(key)
            remove_with_side_files(tmp)
            if isinstance(exc, OSError):
                raise disk_error(exc, p) from exc
            raise
        vault = cls(tmp, kdf_sets=kdf_sets)
        try:
            vault._open_with_key(key)
            if fill is not None:
                fill(vault)
            try:
                vault._move_into_place(p)
            except OSError as exc:
                raise disk_error(exc, p) from exc
        except BaseException:
            vault._teardown()
            wipe(key)
            remove_with_side_files(tmp)
            raise
        return vault

    def _move_into_place(self, target: Path) -> None:
        """Give the vault built under a temporary name (see :meth:`create`) its real name.

        The write-ahead log and its index are named after the file, so everything is first
        checkpointed into the file and every connection closed; the process lock (on the
        file itself, not its name) is kept throughout.
        """
        assert self._engine is not None and self._lock is not None
        tmp = self.path
        with self._write_lock:
            engine, self._engine, self._sessions = self._engine, None, None
            engine.dispose()
            with self.raw_connection() as conn:
                busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
            wal = Path(f"{tmp}-wal")
            if busy or (wal.exists() and wal.stat().st_size):
                raise WriteFailed(
                    f"Liaison could not finish writing “{target.name}”; no vault was created."
                )
            for suffix in ("-wal", "-shm"):
                Path(f"{tmp}{suffix}").unlink(missing_ok=True)
            fsync_file(tmp)  # no connection is open, so no SQLite lock can be dropped
            link_no_replace(tmp, target)
            fsync_dir(target.parent)
            self.path = target
            self._lock.path = target
            self._engine = self._make_engine()
            self._sessions = sessionmaker(
                bind=self._engine, class_=VaultSession, expire_on_commit=False
            )

    # -- opening --------------------------------------------------------------------------

    @property
    def is_unlocked(self) -> bool:
        return self._engine is not None

    def unlock(self, passphrase: str | bytes | bytearray) -> None:
        """Open with a passphrase (or a recovery key typed where the passphrase goes)."""
        self._unlock(lambda salt: passphrase_keys(passphrase, salt, self.kdf_sets))

    def unlock_any(self, secret: str) -> None:
        """Open with whatever the user typed: a passphrase or a recovery key.

        A recovery key is checked first (cheap: no key derivation); if it is not the key,
        the same text is tried as a passphrase.
        """
        if looks_like_recovery_key(secret):
            try:
                self.unlock_with_recovery_key(secret)
                return
            except WrongPassphrase:
                pass
        self.unlock(secret)

    def unlock_with_recovery_key(self, recovery_key: str) -> None:
        key = parse_recovery_key(recovery_key)
        self._unlock(lambda salt: iter([key]))

    def _preflight(self) -> os.stat_result:
        p = self.path
        st = regular_file_stat(p)
        if not os.access(p, os.R_OK):
            raise VaultReadOnly(f"Liaison is not allowed to read “{p.name}”.")
        return st

    def _unlock(self, candidate_keys: Callable[[bytes], Iterator[bytearray]]) -> None:
        if self.is_unlocked:
            return
        st = self._preflight()
        lock = _ProcessLock(self.path)
        lock.acquire()
        try:
            page1 = lock.read_first_page()
            _classify_header(self.path, page1, st.st_size)
            if not os.access(self.path, os.W_OK) or not os.access(self.path.parent, os.W_OK):
                raise VaultReadOnly(
                    f"“{self.path.name}” or its folder is read-only. Copy the vault to a folder "
                    "you can write to, or use “liaison restore-test” to only check it."
                )
            salt = page1[:SALT_SIZE]
            tried: list[bytearray] = []
            found: bytearray | None = None
            for key in candidate_keys(salt):
                if _page1_hmac_ok(page1, key):
                    found = key
                    break
                tried.append(key)
            if found is None:
                damaged = any(_page1_decrypts_plausibly(page1, k) for k in tried)
                for k in tried:
                    wipe(k)
                if damaged:
                    raise VaultDamaged(
                        f"“{self.path.name}” is damaged: its first page does not check out, "
                        "although the passphrase is right. Restore it from a backup."
                    )
                raise WrongPassphrase()
            for k in tried:
                wipe(k)
            self._lock = lock
            self._open_with_key(found, lock_held=True)
        except BaseException:
            if self._lock is None:
                lock.release()
            raise

    def _open_with_key(self, key: bytearray, *, lock_held: bool = False) -> None:
        if not lock_held:
            lock = _ProcessLock(self.path)
            lock.acquire()
            self._lock = lock
        self._key = key
        try:
            self._salt = self._read_salt()
            self._engine = self._make_engine()
            # Every write obeys the disclosure rule, whatever its path.
            disclosure_guard.install(VaultSession)
            draft_guard.install(VaultSession)
            handover_guard.install(VaultSession)
            self._sessions = sessionmaker(
                bind=self._engine, class_=VaultSession, expire_on_commit=False
            )
            self._verify_and_upgrade()
        except BaseException:
            self._teardown()
            raise

    def _read_salt(self) -> bytes:
        assert self._lock is not None
        return self._lock.read_first_page()[:SALT_SIZE]

    def _connect_raw(self) -> Any:
        """A new DB-API connection, keyed before its first statement.

        The key goes in through ``sqlite3_key`` (``set_key``) in the same ``x'…'`` raw form
        as ``PRAGMA key``, from a buffer wiped at once: no SQL text holds it, so neither a
        Python str nor the driver's statement cache keeps a copy of it."""
        if self._key is None:
            raise VaultLocked()
        conn = sqlcipher3.connect(str(self.path), isolation_level=None, check_same_thread=False)
        spec = key_spec(self._key)
        try:
            conn.set_key(spec)
        except BaseException:
            conn.close()
            raise
        finally:
            wipe(spec)
        if _memory_hygiene:
            conn.execute("PRAGMA cipher_memory_security = ON")
        for pragma in (
            "PRAGMA foreign_keys = ON",
            "PRAGMA synchronous = FULL",
            "PRAGMA temp_store = MEMORY",
            "PRAGMA secure_delete = ON",
            "PRAGMA busy_timeout = 5000",
            f"PRAGMA cache_size = -{PAGE_CACHE_KIB}",
        ):
            conn.execute(pragma)
        return conn

    def _make_engine(self) -> Engine:
        engine = create_engine(
            "sqlite+pysqlite://",
            module=sqlcipher3.dbapi2,
            creator=self._connect_raw,
            poolclass=QueuePool,
            pool_size=2,
            max_overflow=2,
        )

        @event.listens_for(engine, "begin")
        def _begin(conn: Any) -> None:
            # The driver's own transaction handling is off (isolation_level=None), so
            # transactions, DDL included, are explicit. Writes take the lock up front.
            immediate = conn.get_execution_options().get("liaison_write", False)
            conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

        return engine

    def _verify_and_upgrade(self) -> None:
        from app.core import schema

        assert self._engine is not None
        try:
            with self._engine.connect() as conn:
                conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
                app_id = conn.exec_driver_sql("PRAGMA application_id").scalar()
                conn.commit()
        except SADatabaseError as exc:
            raise VaultDamaged(
                f"“{self.path.name}” is damaged and cannot be read. Restore it from a backup."
            ) from exc
        if app_id != APPLICATION_ID:
            raise NotAVault(
                f"“{self.path.name}” is an encrypted database, but not a Liaison vault."
            )
        try:
            self.last_upgrade = schema.ensure_current(self)
        except SADatabaseError as exc:
            if _is_not_a_database(exc):
                raise VaultDamaged(
                    f"“{self.path.name}” is damaged and cannot be read. Restore it from a backup."
                ) from exc
            raise

    # -- sessions -------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            raise VaultLocked()
        return self._engine

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """A read session (one unit of work); nothing it changes is committed."""
        if self._sessions is None or self._locking:
            raise VaultLocked()
        # Closing (not rolling back) leaves loaded objects readable, detached.
        with self._translate_errors(), self._sessions() as s:
            yield s

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A write session: commits when the block ends, rolls back on any exception.

        Writers in this process take turns (one SQLite writer at a time anyway), so no
        thread ever sees "database is locked".
        """
        if self._sessions is None or self._engine is None or self._locking:
            raise VaultLocked()
        with self._translate_errors(), self._write_lock:
            bind = self._engine.execution_options(liaison_write=True)
            with self._sessions(bind=bind) as s, s.begin():
                yield s

    # -- long readers -----------------------------------------------------------------------

    @contextlib.contextmanager
    def reader(self) -> Iterator[None]:
        """Run long reading work (an export, anything on a worker thread) inside this block.

        A lock waits for the block to end before it closes the vault, so the work must call
        :meth:`check_not_locking` often (between batches, pages, tables). Raises
        ``VaultLocked`` when the vault is locked or a lock has begun. Blocks may nest.
        """
        me = threading.get_ident()
        with self._readers_changed:
            if self._locking or self._engine is None:
                raise VaultLocked()
            self._readers[me] = self._readers.get(me, 0) + 1
        try:
            yield
        finally:
            with self._readers_changed:
                left = self._readers.pop(me) - 1
                if left:
                    self._readers[me] = left
                self._readers_changed.notify_all()

    @property
    def locking(self) -> bool:
        """True from the moment lock() begins until the vault is closed."""
        return self._locking

    def check_not_locking(self) -> None:
        """For long readers, as often as they like (it is cheap): raises ``VaultLocked``
        once a lock has begun (or is done), so the work stops and writes nothing more."""
        if self._locking or self._engine is None:
            raise VaultLocked(
                "The vault was locked before the work in progress finished; it was stopped."
            )

    def _wait_for_readers(self) -> None:
        """Wait until readers on other threads have left, at most ``reader_wait_seconds``.
        (A reader on this thread is the caller itself, e.g. a lock from within an export.)"""
        me = threading.get_ident()
        deadline = time.monotonic() + self.reader_wait_seconds
        with self._readers_changed:
            while any(n for ident, n in self._readers.items() if ident != me):
                left = deadline - time.monotonic()
                if left <= 0:
                    break  # a reader that never checks must not keep the vault open
                self._readers_changed.wait(left)

    @contextlib.contextmanager
    def _translate_errors(self) -> Iterator[None]:
        """Storage failures become the user's words: damage, or a full disk."""
        try:
            yield
        except SADatabaseError as exc:
            msg = str(getattr(exc, "orig", exc)).lower()
            if "full" in msg:
                raise WriteFailed(
                    "The disk is full; the last change was not saved. Free some space and try "
                    "again; nothing already saved was lost."
                ) from exc
            if _is_not_a_database(exc):
                raise VaultDamaged(
                    f"“{self.path.name}” is damaged: part of it cannot be read. Restore it from "
                    "a backup (Liaison left the file as it is)."
                ) from exc
            raise

    @contextlib.contextmanager
    def raw_connection(self) -> Iterator[Any]:
        """A keyed DB-API connection outside the pool, for maintenance (backup, rekey)."""
        conn = self._connect_raw()
        try:
            yield conn
        finally:
            conn.close()

    # -- keys -----------------------------------------------------------------------------

    @property
    def salt(self) -> bytes:
        """The file's SQLCipher salt (its first 16 bytes), shared by every encrypted copy."""
        if self._salt is None:
            raise VaultLocked()
        return self._salt

    def recovery_key(self) -> str:
        if self._key is None:
            raise VaultLocked()
        return format_recovery_key(self._key)

    def change_passphrase(self, new_passphrase: str | bytes | bytearray) -> str:
        """Re-key the file under a new passphrase; returns the new recovery key."""
        if self._key is None or self._salt is None or self._engine is None:
            raise VaultLocked()
        new_key = derive_key(new_passphrase, self._salt, self.kdf_sets[0])
        with self._write_lock:
            self._engine.dispose()
            with self.raw_connection() as conn:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
                spec = key_spec(new_key)  # sqlite3_rekey from a wiped buffer, not SQL text
                try:
                    conn.reset_key(spec)
                finally:
                    wipe(spec)
            wipe(self._key)
            self._key = new_key
            self._engine.dispose()
        with self.session() as s:  # proves the new key opens it
            s.execute(text("SELECT count(*) FROM sqlite_master"))
        return format_recovery_key(new_key)

    # -- maintenance ----------------------------------------------------------------------

    def check(self) -> list[str]:
        """Both integrity checks; returns the problems found (empty when all is well)."""
        problems: list[str] = []
        try:
            with self.raw_connection() as conn:
                for row in conn.execute("PRAGMA cipher_integrity_check"):
                    problems.append(f"encryption: {row[0]}")
                for row in conn.execute("PRAGMA integrity_check"):
                    if row[0] != "ok":
                        problems.append(f"database: {row[0]}")
                for row in conn.execute("PRAGMA foreign_key_check"):
                    problems.append(f"broken link in {row[0]} row {row[1]}")
        except sqlcipher3.DatabaseError as exc:
            problems.append(f"unreadable: {exc}")
        return problems

    def backup_to(self, dest: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write an encrypted copy that opens with the same passphrase and recovery key.

        The copy goes to a temporary name in the destination folder and is renamed only when
        complete, so a full disk never leaves a half-written backup or destroys an older one.
        """
        if self._key is None or self._salt is None:
            raise VaultLocked()
        dest_path = Path(dest)
        if dest_path.exists() and not overwrite:
            raise VaultExists(f"“{dest_path}” already exists.")
        if not dest_path.parent.is_dir():
            raise VaultReadOnly(f"The folder “{dest_path.parent}” does not exist.")
        tmp = dest_path.with_name(f".{dest_path.name}.{secrets.token_hex(4)}.partial")
        try:
            os.close(create_private_file(tmp))  # SQLite would make it readable by all
            with self._write_lock, self.raw_connection() as conn:
                spec = key_spec(self._key, self._salt)  # bound, never SQL text
                try:
                    conn.execute("ATTACH DATABASE ? AS backup KEY ?", (str(tmp), spec))
                finally:
                    wipe(spec)
                conn.execute(f"PRAGMA backup.cipher_page_size = {PAGE_SIZE}")
                conn.execute("SELECT sqlcipher_export('backup')")
                conn.execute(f"PRAGMA backup.application_id = {APPLICATION_ID}")
                uv = conn.execute("PRAGMA main.user_version").fetchone()[0]
                conn.execute(f"PRAGMA backup.user_version = {int(uv)}")
                conn.execute("DETACH DATABASE backup")
            fsync_file(tmp)
            os.replace(tmp, dest_path)
            fsync_dir(dest_path.parent)
        except (OSError, sqlcipher3.Error) as exc:
            for suffix in ("", "-journal", "-wal", "-shm"):
                with contextlib.suppress(OSError):
                    os.remove(str(tmp) + suffix)
            raise disk_error(exc, dest_path) from exc
        return dest_path

    # -- closing --------------------------------------------------------------------------

    def lock(self) -> None:
        """Close everything and forget the key. Unlock again with the passphrase.

        New work is refused and running readers are told to stop first; the engine is
        disposed only once they have left (or after ``reader_wait_seconds``).
        """
        with self._readers_changed:
            self._locking = True
        try:
            self._wait_for_readers()
            self._teardown()
        finally:
            with self._readers_changed:
                self._locking = False
        for hook in list(self.on_lock):
            hook()

    close = lock

    def _teardown(self) -> None:
        """Close every connection, forget the key and drop what holds decrypted text.

        Closing the connections frees SQLite's page caches and statements, which SQLCipher
        overwrites as they are freed (``cipher_memory_security``, see
        :func:`enable_memory_hygiene`) and its key copy with them. Python strings already
        read cannot be overwritten: dropping every reference (sessions, the engine and its
        statement caches) and collecting lets their memory be reused, nothing more (see
        docs/security.md)."""
        engine, self._engine, self._sessions = self._engine, None, None
        try:
            if engine is not None:
                with contextlib.suppress(Exception), engine.connect() as conn:
                    conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
                engine.dispose()
                # The compiled SQL cache keeps the first statement of each shape, with its
                # bound values (a filter's value, say).
                if engine._compiled_cache is not None:
                    engine._compiled_cache.clear()
                del engine
        finally:
            wipe(self._key)
            self._key = None
            self._salt = None
            if self._lock is not None:
                self._lock.release()
                self._lock = None
            _forget_text_caches()
            if _memory_hygiene:  # a full collection takes 50-300 ms in a big process
                gc.collect()
                _return_free_pages()

    def holds_key(self) -> bool:
        """For tests of memory hygiene: is any key material still referenced?"""
        return self._key is not None

    def __enter__(self) -> Vault:
        return self

    def __exit__(self, *exc: object) -> None:
        self.lock()

    def __repr__(self) -> str:
        state = "unlocked" if self.is_unlocked else "locked"
        return f"<Vault {self.path.name} {state}>"
