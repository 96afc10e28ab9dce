"""Settings kept inside the vault (encrypted), as opposed to QSettings (window state only)."""

from __future__ import annotations

from app.core.models import VaultSetting
from app.core.vault import Vault

OWNER_NAME = "owner_name"  # who records releases and audits
BACKUP_FOLDER = "backup_folder"
LAST_BACKUP_AT = "last_backup_at"
# JSON list of the backup file names the rotation wrote: the only ones it may remove.
BACKUPS_WRITTEN = "backups_written"


def get_setting(vault: Vault, key: str, default: str = "") -> str:
    with vault.session() as s:
        row = s.get(VaultSetting, key)
        return row.value if row is not None else default


def set_setting(vault: Vault, key: str, value: str) -> None:
    with vault.transaction() as s:
        row = s.get(VaultSetting, key)
        if row is None:
            s.add(VaultSetting(key=key, value=value))
        else:
            row.value = value
