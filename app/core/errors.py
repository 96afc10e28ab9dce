"""Precise exceptions raised by the core; the GUI and CLI turn each into one sentence."""

from __future__ import annotations


class LiaisonError(Exception):
    """Base of every error meant for the user. ``str(err)`` is a sentence in plain words."""


class VaultError(LiaisonError):
    """A vault file could not be used."""


class WrongPassphrase(VaultError):
    def __init__(self, msg: str = "") -> None:
        super().__init__(msg or "The passphrase or recovery key is not right for this vault.")


class NotAVault(VaultError):
    pass


class VaultDamaged(VaultError):
    pass


class VaultInUse(VaultError):
    pass


class VaultReadOnly(VaultError):
    pass


class VaultTooNew(VaultError):
    pass


class VaultExists(VaultError):
    pass


class VaultLocked(VaultError):
    def __init__(self, msg: str = "The vault is locked; unlock it first.") -> None:
        super().__init__(msg)


class UpgradeFailed(VaultError):
    pass


class ValidationError(LiaisonError):
    """A value the user typed cannot be stored as it is."""


class NotFound(LiaisonError):
    pass


class DisclosureViolation(LiaisonError):
    """A delivery would pass on something its source did not allow."""


class ImportRefused(LiaisonError):
    """A JSON interchange file was refused; nothing was imported."""


class WriteFailed(LiaisonError):
    """A file could not be written (full disk, read-only folder); nothing partial is left."""


class ExportFailed(WriteFailed):
    pass


class ExportCancelled(LiaisonError):
    """The user cancelled an export; no file was written."""


class OutputRefused(WriteFailed):
    """The file to write is the vault itself, one of its SQLite side files or a copy of it."""


class OutputExists(WriteFailed):
    """The file to write exists already and replacing it was not asked for."""


class DraftFrozen(ValidationError):
    """A circulated draft of a text was to change; drafts are frozen once circulated."""


class CourseRefused(ValidationError):
    """An outcome of a commitment would break its course (dated before it was made, kept
    before its condition was, kept late before it was due)."""
