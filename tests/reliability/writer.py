"""A writer process for the crash tests: commits transactions and reports each one.

    python -m tests.reliability.writer VAULT PASSPHRASE

After each commit it prints ``committed N`` (flushed), so the parent knows exactly which
transactions must survive a SIGKILL. Transactions are of three kinds: one message; an edit of
an earlier message; a batch of 20 notes that must appear all together or not at all.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime

from sqlalchemy import select

from app.core.models import Case, Message, Note, Party, VaultSetting
from app.core.vault import KdfParams, Vault

FAST_KDF = (KdfParams(version=0, time_cost=1, memory_kib=8, parallelism=1),)
BATCH = 20


def main(path: str, passphrase: str) -> None:
    vault = Vault(path, kdf_sets=FAST_KDF)
    vault.unlock(passphrase)
    with vault.transaction() as s:
        case = s.scalar(select(Case).limit(1))
        if case is None:
            case = Case(title="Crash test case")
            s.add(case)
            s.flush()
            s.add(Party(case_id=case.id, name="Side A", kind="community"))
        case_id = case.id
    with vault.session() as s:
        party_id = s.scalar(select(Party.id).limit(1))
        # The transaction counter is stored with each transaction, so it survives kills.
        counter = s.get(VaultSetting, "crash_n")
        n = int(counter.value) if counter else 0
    rng = random.Random()
    print("ready", flush=True)
    while True:
        n += 1
        choice = rng.random()
        with vault.transaction() as s:
            if choice < 0.6 or n < 3:
                s.add(
                    Message(
                        case_id=case_id,
                        sender_party_id=party_id,
                        said_at=datetime.now(UTC),
                        content=f"commit-{n} " + "x" * 300,
                        summary=f"msg {n}",
                    )
                )
                kind = "message"
            elif choice < 0.85:
                target = s.get(Message, rng.randint(1, max(1, n - 1)))
                if target is not None:
                    target.summary = f"edited in {n}"
                kind = "edit"
            else:
                for i in range(BATCH):
                    s.add(Note(case_id=case_id, title=f"batch-{n}", body=f"{i} " + "y" * 500))
                kind = "batch"
            counter = s.get(VaultSetting, "crash_n")
            if counter is None:
                s.add(VaultSetting(key="crash_n", value=str(n)))
            else:
                counter.value = str(n)
        print(f"committed {n} {kind}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
