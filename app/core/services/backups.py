"""Rotating encrypted backups into a folder the user picks (a USB stick, say).

At most one backup a day (taken when the vault is closed or locked), named by date; the last
7 daily and 4 weekly copies are kept. Each copy is written under a temporary name and renamed
only when complete (``Vault.backup_to``), so a full disk never destroys an older backup.
A backup opens with the same passphrase and recovery key as the vault.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from app.core.errors import WriteFailed
from app.core.services.settings import BACKUP_FOLDER, LAST_BACKUP_AT, get_setting, set_setting
from app.core.vault import KDF_SETS, KdfParams, Vault

KEEP_DAILY = 7
KEEP_WEEKLY = 4
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
    """Take today's backup if there is none yet, then prune old ones."""
    folder = folder or Path(get_setting(vault, BACKUP_FOLDER) or "")
    if not str(folder) or not folder.is_dir():
        raise WriteFailed(f"The backup folder “{folder}” is not there (is the drive plugged in?).")
    today = today or datetime.now(UTC).date()
    stem = vault.path.stem
    target = todays_backup(vault, folder, today)
    written = None
    if not target.exists():
        written = vault.backup_to(target)
        set_setting(vault, LAST_BACKUP_AT, datetime.now(UTC).isoformat())
    dated = backups_in(folder, stem)
    keep = to_keep(dated)
    removed = []
    for _, p in dated:
        if p not in keep:
            p.unlink(missing_ok=True)
            removed.append(p)
    return BackupResult(written, sorted(keep), removed)


def last_backup_at(vault: Vault) -> datetime | None:
    value = get_setting(vault, LAST_BACKUP_AT)
    return datetime.fromisoformat(value) if value else None


@dataclass(frozen=True)
class RestoreTest:
    problems: list[str]
    records: dict[str, int]
    revision: str | None


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
        shutil.copyfile(source, copy)
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
