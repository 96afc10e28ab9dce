"""Files on disk as Liaison writes them: private to the user (0600), given their name only
when complete (a link that never replaces), flushed to disk with their folder, regular files
only (a pipe or a device is refused before it is opened), and one sentence for a failed write.
"""

from __future__ import annotations

import contextlib
import os
import re
import stat
import sys
from pathlib import Path

from app.core.errors import NotAVault, VaultExists, WriteFailed


def regular_file_stat(path: Path, fd: int | None = None) -> os.stat_result:
    """The stat of ``path`` if it is a regular file (a symbolic link to one will do); else
    NotAVault, *before* anything opens it: opening a named pipe waits for a writer for ever,
    and a device such as /dev/zero never ends. With ``fd``, the file open there is checked."""
    try:
        st = path.stat() if fd is None else os.fstat(fd)
    except FileNotFoundError:
        raise NotAVault(f"There is no file “{path}”.") from None
    except OSError as exc:
        raise NotAVault(f"“{path.name}” cannot be read: {exc.strerror}.") from exc
    if stat.S_ISDIR(st.st_mode):
        raise NotAVault(f"“{path.name}” is a folder, not a Liaison vault.")
    if not stat.S_ISREG(st.st_mode):
        raise NotAVault(
            f"“{path.name}” is not a regular file (it is a device, pipe or socket), so it "
            "cannot be a Liaison vault."
        )
    return st


# The suffix of a vault being created (see Vault.create): ``.<name>.<pid>-<hex>.creating``.
PARTIAL_SUFFIX = ".creating"


def create_private_file(path: Path) -> int:
    """Create ``path``, which must not exist, readable and writable by its owner only (0600,
    whatever the umask), and return a descriptor open for writing. SQLite gives a database's
    -wal, -shm and -journal files the database file's own mode, so they are private too."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    if hasattr(os, "fchmod"):
        with contextlib.suppress(OSError):  # file systems without modes (FAT) refuse
            os.fchmod(fd, 0o600)
    return fd


def remove_with_side_files(path: Path) -> None:
    for suffix in ("", "-journal", "-wal", "-shm"):
        with contextlib.suppress(OSError):
            os.remove(f"{path}{suffix}")


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if sys.platform == "win32":
        return False  # Windows refuses to remove a file another process has open
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, as another user's process
    return True


def remove_dead_partials(target: Path) -> None:
    """Remove what creates of ``target`` left when they were killed (their process is gone).
    A create still running, here or in another process, is left alone."""
    pattern = re.compile(
        rf"\.{re.escape(target.name)}\.(\d+)-[0-9a-f]+{re.escape(PARTIAL_SUFFIX)}(-journal|-wal|-shm)?"
    )
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        m = pattern.fullmatch(entry.name)
        if m and not _process_alive(int(m.group(1))):
            with contextlib.suppress(OSError):
                os.remove(entry.path)


def link_no_replace(src: Path, dst: Path) -> None:
    """Give the file ``src`` the name ``dst`` at once, unless ``dst`` (or a write-ahead log of
    that name) exists: then ``VaultExists``, and ``dst`` is left as it is."""
    taken = VaultExists(f"“{dst.name}” already exists; choose another name.")
    if any(os.path.lexists(f"{dst}{suffix}") for suffix in ("-wal", "-shm", "-journal")):
        raise taken
    try:
        os.link(src, dst)  # fails if dst exists: no window in which it could be replaced
    except FileExistsError:
        raise taken from None
    except OSError:
        # No hard links here (FAT, some network drives): check, then rename. (On Windows
        # os.rename itself refuses an existing name.)
        if os.path.lexists(dst):
            raise taken from None
        os.rename(src, dst)
        return
    with contextlib.suppress(OSError):
        os.unlink(src)  # if this fails, the leftover name is cleared by the next create


def fsync_file(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def fsync_dir(path: Path) -> None:
    if sys.platform == "win32":
        return
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def disk_error(exc: BaseException, dest: Path) -> WriteFailed:
    """One clear sentence for a failed write of ``dest`` (full disk, read-only folder, ...)."""
    import errno

    err = getattr(exc, "errno", None)
    msg = str(exc).lower()
    if err == errno.ENOSPC or "full" in msg:
        return WriteFailed(f"The disk is full; nothing was written to “{dest.parent}”.")
    if err in (errno.EACCES, errno.EPERM, errno.EROFS) or "readonly" in msg or "read-only" in msg:
        return WriteFailed(f"Liaison cannot write in “{dest.parent}” (it is read-only).")
    return WriteFailed(f"Could not write “{dest.name}”: {exc}.")
