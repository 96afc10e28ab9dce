"""Rotating encrypted backups into a folder the user picks (a USB stick, say).

At most one backup a day (taken when the vault is closed or locked), named by date; the last
7 daily and 4 weekly copies are kept. Each copy is written under a temporary name and renamed
only when complete (``Vault.backup_to``), so a full disk never destroys an older backup.
A backup opens with the same passphrase and recovery key as the vault.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from app.core.errors import NotAVault, VaultInUse, WriteFailed
from app.core.files import disk_error, regular_file_stat
from app.core.keys import KDF_SETS, KdfParams
from app.core.outputs import is_copy_of
from app.core.services.settings import (
    BACKUP_FOLDER,
    BACKUPS_WRITTEN,
    LAST_BACKUP_AT,
    get_setting,
    set_setting,
)
from app.core.vault import Vault

KEEP_DAILY = 7
KEEP_WEEKLY = 4
_COPY_CHUNK = 1024 * 1024  # restore_test copies a backup in pieces of this size
_NAME = re.compile(r"^(?P<stem>.+)-(?P<date>\d{4}-\d{2}-\d{2})\.liaison$")


@dataclass(frozen=True)
class BackupResult:
    path: Path | None  # None: today's backup already existed
    kept: list[Path]
    removed: list[Path]


def backups_in(folder: Path, stem: str) -> list[tuple[date, Path]]:
    out = []
    for p in folder.glob(f"{stem}-*.liaison"):
        m = _NAME.match(p.name)
        if m and m.group("stem") == stem:
            try:
                out.append((date.fromisoformat(m.group("date")), p))
            except ValueError:
                continue
    return sorted(out, reverse=True)


def to_keep(dated: list[tuple[date, Path]]) -> set[Path]:
    """The newest KEEP_DAILY, plus the newest of each of the KEEP_WEEKLY latest older weeks."""
    keep = {p for _, p in dated[:KEEP_DAILY]}
    weeks: dict[tuple[int, int], Path] = {}
    for d, p in dated[KEEP_DAILY:]:
        week = d.isocalendar()[:2]
        if week not in weeks and len(weeks) < KEEP_WEEKLY:
            weeks[week] = p
    return keep | set(weeks.values())


def todays_backup(vault: Vault, folder: Path, today: date | None = None) -> Path:
    """Where today's backup of ``vault`` goes (or is) in ``folder``."""
    today = today or datetime.now(UTC).date()
    return folder / f"{vault.path.stem}-{today.isoformat()}.liaison"


def rotate(vault: Vault, folder: Path | None = None, *, today: date | None = None) -> BackupResult:
    """Take today's backup if there is none yet, then prune old ones.

    Only backups that the rotation wrote are ever removed: it records their names in the
    vault's (encrypted) settings, and removes a recorded file only while it still is an
    encrypted copy of this vault (it begins with the vault's salt). Any other file in the
    folder, whatever its name, is left alone.
    """
    folder = folder or Path(get_setting(vault, BACKUP_FOLDER) or "")
    if not str(folder) or not folder.is_dir():
        raise WriteFailed(f"The backup folder “{folder}” is not there (is the drive plugged in?).")
    today = today or datetime.now(UTC).date()
    stem = vault.path.stem
    target = todays_backup(vault, folder, today)
    mine = _written_by_rotation(vault, folder)
    written = None
    if not target.exists():
        written = vault.backup_to(target)
        mine.add(target.name)
        _record_written(vault, mine)
        set_setting(vault, LAST_BACKUP_AT, datetime.now(UTC).isoformat())
    dated = [
        (d, p) for d, p in backups_in(folder, stem) if p.name in mine and is_copy_of(p, vault.salt)
    ]
    keep = to_keep(dated)
    removed = []
    for _, p in dated:
        if p not in keep:
            p.unlink(missing_ok=True)
            removed.append(p)
            mine.discard(p.name)
    if removed:
        _record_written(vault, mine)
    return BackupResult(written, sorted(keep), removed)


# Names recorded at most (a year and more of daily backups); the oldest are forgotten first.
_RECORDED = 400


def _written_by_rotation(vault: Vault, folder: Path) -> set[str]:
    raw = get_setting(vault, BACKUPS_WRITTEN)
    if raw:
        return set(json.loads(raw))
    # A vault from before the record: the copies of it that its rotation left in this folder.
    return {p.name for _, p in backups_in(folder, vault.path.stem) if is_copy_of(p, vault.salt)}


def _record_written(vault: Vault, names: set[str]) -> None:
    set_setting(vault, BACKUPS_WRITTEN, json.dumps(sorted(names)[-_RECORDED:]))


def last_backup_at(vault: Vault) -> datetime | None:
    value = get_setting(vault, LAST_BACKUP_AT)
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class RestoreTest:
    problems: list[str]
    records: dict[str, int]
    revision: str | None


def _copy_backup(source: Path, dest: Path) -> None:
    """Copy the bytes ``source`` holds, and no more: only a regular file (a pipe or a device
    such as /dev/zero is refused before it is opened), at most its size, only when the
    destination's folder has room for it, and never a file still being written."""
    regular_file_stat(source)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(source, flags)
    except OSError as exc:
        raise NotAVault(f"“{source.name}” cannot be read: {exc.strerror}.") from exc
    try:
        size = regular_file_stat(source, fd).st_size  # the file opened, not just its name
        free = shutil.disk_usage(dest.parent).free
        if size > free:
            raise WriteFailed(
                f"The temporary folder “{dest.parent.parent}” has too little free space for a "
                f"copy of “{source.name}” ({size:,} bytes needed, {free:,} free)."
            )
        try:
            with open(dest, "xb") as out:
                left = size
                while left:
                    chunk = os.read(fd, min(_COPY_CHUNK, left))
                    if not chunk:
                        break
                    out.write(chunk)
                    left -= len(chunk)
                changed = bool(left) or bool(os.read(fd, 1))
        except OSError as exc:
            raise disk_error(exc, dest) from exc
        if changed:
            raise VaultInUse(
                f"“{source.name}” changed while it was being copied (is it still being "
                "written?); try again once it is complete."
            )
    finally:
        os.close(fd)


def restore_test(
    backup: str | Path, passphrase: str, *, kdf_sets: tuple[KdfParams, ...] = KDF_SETS
) -> RestoreTest:
    """Open a copy of a backup (the backup itself is never written to) and check it."""
    from sqlalchemy import text

    from app.core import schema

    source = Path(backup)
    with tempfile.TemporaryDirectory(prefix="liaison-restore-test-") as tmp:
        # A byte copy of an encrypted file: nothing readable lands in the temporary folder.
        copy = Path(tmp) / source.name
        _copy_backup(source, copy)
        vault = Vault(copy, kdf_sets=kdf_sets)
        vault.unlock_any(passphrase)
        try:
            problems = vault.check()
            counts = {}
            with vault.session() as s:
                for table in (
                    "cases",
                    "parties",
                    "people",
                    "messages",
                    "deliveries",
                    "sessions",
                    "options",
                    "notes",
                ):
                    counts[table] = int(
                        s.execute(text(f"SELECT count(*) FROM {table}")).scalar() or 0
                    )
                revision = schema.current_revision(s.connection())
        finally:
            vault.lock()
    return RestoreTest(problems, counts, revision)
