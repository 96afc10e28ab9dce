"""Development helper: autogenerate a new revision against a scratch vault at the current head.

    .venv/bin/python -m migrations.new_revision "add the widgets table"

Review the generated file by hand: autogenerate does not see FTS tables or triggers.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from app.core import schema
from app.core.vault import KdfParams, Vault

_SCRATCH_KDF = (KdfParams(version=0, time_cost=1, memory_kib=8, parallelism=1),)


def main(message: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(Path(tmp) / "scratch.liaison", "scratch", kdf_sets=_SCRATCH_KDF)
        try:
            with vault.engine.connect() as conn, conn.begin():
                command.revision(schema.alembic_config(conn), message=message, autogenerate=True)
        finally:
            vault.lock()


if __name__ == "__main__":
    main(" ".join(sys.argv[1:]) or "new revision")
