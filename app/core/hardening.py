"""Process hardening: a crash must not write the vault's key or contents to disk."""

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
