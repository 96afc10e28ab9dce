"""One helper for background work: run a function on the thread pool, then call back on the
GUI thread with its result or its error. A callback whose owner widget is gone is dropped.

Slow work (key derivation, search over a big vault, export, backup) never blocks the GUI
thread. The function must not touch widgets; it gets plain arguments and returns plain
data (never live ORM objects). Work that reads the vault passes ``reader=vault``: locking
the vault then waits for it to finish (or stop, if it checks ``vault.check_not_locking()``)
before the vault closes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal, Slot

if TYPE_CHECKING:
    from app.core.vault import Vault


class _Signals(QObject):
    # No Python objects travel through the queued signal: PySide6 6.12 corrupts reference
    # counts when it marshals them across threads (the interpreter aborts, "deallocating
    # None"). The result stays on the task; the signal only says "finished".
    finished = Signal()


class _Task(QRunnable):
    def __init__(self, fn: Callable[[], Any]) -> None:
        super().__init__()
        self.fn = fn
        self.signals = _Signals()
        self.result: Any = None
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.result = self.fn()
        except BaseException as exc:  # handed to the GUI thread, never lost
            self.error = exc
        self.signals.finished.emit()


_running: set[_Task] = set()


def _as_reader(vault: Vault, fn: Callable[[], Any]) -> Callable[[], Any]:
    def read() -> Any:
        with vault.reader():
            return fn()

    return read


def run_in_background(
    owner: QObject,
    fn: Callable[[], Any],
    on_done: Callable[[Any], None],
    on_error: Callable[[BaseException], None] | None = None,
    *,
    pool: QThreadPool | None = None,
    reader: Vault | None = None,
) -> None:
    """Run ``fn`` on a worker thread; ``on_done(result)`` or ``on_error(exc)`` run on the GUI
    thread, and only while ``owner`` still exists. With ``reader``, ``fn`` runs as a reader
    of that vault (:meth:`Vault.reader`): a lock waits for it, and it fails with
    ``VaultLocked`` if the vault is locked or locking when it starts."""
    task = _Task(fn if reader is None else _as_reader(reader, fn))
    task.setAutoDelete(False)
    _running.add(task)

    def alive() -> bool:
        return shiboken6.isValid(owner)

    def finished_ok(result: object) -> None:
        _running.discard(task)
        if alive():
            on_done(result)

    def finished_error(exc: object) -> None:
        _running.discard(task)
        if not alive():
            return
        if on_error is None:
            raise exc  # type: ignore[misc]
        on_error(exc)  # type: ignore[arg-type]

    # A queued connection to a receiver living on the GUI thread: the callbacks run there.
    receiver = _Receiver(owner)

    def finished() -> None:
        if task.error is not None:
            finished_error(task.error)
        else:
            finished_ok(task.result)

    receiver.on_finished = finished
    task.signals.finished.connect(receiver.finished)
    (pool or QThreadPool.globalInstance()).start(task)


class _Receiver(QObject):
    """Lives on the GUI thread as a child of the owner, so it dies with it."""

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self.on_finished: Callable[[], None] = lambda: None

    @Slot()
    def finished(self) -> None:
        self.deleteLater()
        self.on_finished()


def wait_for_workers(msecs: int = 10_000) -> bool:
    """For tests and shutdown: wait until the pool is idle."""
    return bool(QThreadPool.globalInstance().waitForDone(msecs))
