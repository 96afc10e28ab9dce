"""Process hardening, applied by the app's entry points (``app.cli.run``): a crash must not
write the vault's key or contents to disk, and a lock must leave no decrypted page behind."""

from __future__ import annotations

import sys


def disable_core_dumps() -> None:
    """RLIMIT_CORE = 0 and, on Linux, not dumpable (also blocks ptrace by other users)."""
    if sys.platform == "win32":
        return
    import resource

    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_dumpable = 4
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(pr_set_dumpable, 0, 0, 0, 0)


def harden_process() -> None:
    """Everything the running app turns on for its whole process: no core dumps, and the
    memory hygiene of the vault (see ``app.core.vault.enable_memory_hygiene``)."""
    from app.core.vault import enable_memory_hygiene

    disable_core_dumps()
    enable_memory_hygiene()
