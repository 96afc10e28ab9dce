"""Where Liaison may write a file the user named: never over the vault, its SQLite side files
(-wal, -shm, -journal) or an encrypted copy of it.

Every export (PDF, JSON; command line and GUI) passes through :func:`check_output`, called by
``write_atomically``, the one function that writes them; the CLI and the GUI also call it
before they start, so the refusal comes at once.

"A copy of the vault" is recognised by its salt: every encrypted copy Liaison makes (the
rotating backups, ``liaison backup``, the copy taken before a schema upgrade) and any byte
copy of the file begin with the vault's own 16 random salt bytes, which no other file shares
(the chance is 2^-128). That costs one 16-byte read and needs no list of backups.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from app.core.errors import OutputRefused
from app.core.keys import SALT_SIZE
from app.core.vault import Vault, open_in_this_process

SIDE_FILES = ("-wal", "-shm", "-journal")


def check_output(dest: str | os.PathLike[str], vault: Vault) -> None:
    """Raise ``OutputRefused`` when writing ``dest`` would replace ``vault``, one of its side
    files or a copy of it, whether named directly, through ``..``, a symbolic link or a hard
    link. The vault may be locked: its salt is then read from the file."""
    dest_path = Path(dest)
    name = dest_path.name
    target = _resolve(dest_path)
    vault_file = vault.path
    if target == _resolve(vault_file) or _same_file(dest_path, vault_file):
        raise OutputRefused(
            f"“{name}” is this vault itself; Liaison will not overwrite it with an export."
        )
    for suffix in SIDE_FILES:
        side = Path(f"{vault_file}{suffix}")
        if target == _resolve(side) or _same_file(dest_path, side):
            raise OutputRefused(
                f"“{name}” belongs to this vault (it is its “{suffix[1:]}” file); Liaison will "
                "not overwrite it with an export."
            )
    salt = _vault_salt(vault)
    if salt is not None and is_copy_of(dest_path, salt):
        raise OutputRefused(
            f"“{name}” is a backup of this vault; Liaison will not overwrite it with an export."
        )


def is_copy_of(path: Path, salt: bytes) -> bool:
    """True when ``path`` is a regular file that begins with ``salt``: an encrypted copy of
    the vault with that salt. Reads 16 bytes, never from a vault open in this process."""
    return _salt_of(path) == salt


def _vault_salt(vault: Vault) -> bytes | None:
    return vault.salt if vault.is_unlocked else _salt_of(vault.path)


def _salt_of(path: Path) -> bytes | None:
    """The first 16 bytes of a regular file (where an encrypted vault keeps its salt), or
    None; never read from a vault open in this process (closing any descriptor of it would
    drop this process's locks on it)."""
    try:
        st = os.stat(path)
        if not stat.S_ISREG(st.st_mode) or open_in_this_process(st):
            return None
        with open(path, "rb") as f:
            head = f.read(SALT_SIZE)
    except OSError:
        return None
    return head if len(head) == SALT_SIZE else None


def _resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of symbolic links
        return path.absolute()


def _same_file(a: Path, b: Path) -> bool:
    try:
        sa, sb = os.stat(a), os.stat(b)
    except OSError:
        return False
    return (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino)
