"""Undo commands: each calls the core services (no SQL here) and tells the window what changed.

A failed redo (a rule the core enforces) raises before the command is pushed, so the stack
only ever holds commands that really happened.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QUndoCommand

from app.core.services.history import Snapshot, restore, snapshot
from app.core.services.records import Records
from app.gui.labels import tr

Changed = Callable[[str, int | None], None]  # (kind, record id or None when gone)


class ServiceCommand(QUndoCommand):
    """Subclasses implement apply() and revert(); see push() for why redo may be skipped."""

    _done_already = False

    def apply(self) -> None:
        raise NotImplementedError

    def revert(self) -> None:
        raise NotImplementedError

    def redo(self) -> None:
        if self._done_already:
            self._done_already = False
            return
        self.apply()

    def undo(self) -> None:
        self.revert()


class EditRecord(ServiceCommand):
    def __init__(
        self,
        records: Records,
        kind: str,
        record_id: int,
        before: dict[str, Any],
        after: dict[str, Any],
        on_change: Changed,
    ) -> None:
        super().__init__(tr("Edit {kind}").format(kind=kind.replace("_", " ")))
        self.records, self.kind, self.record_id = records, kind, record_id
        self.before = {k: before.get(k) for k in after}
        self.after = after
        self.on_change = on_change

    def apply(self) -> None:
        self.records.update(self.kind, self.record_id, **self.after)
        self.on_change(self.kind, self.record_id)

    def revert(self) -> None:
        self.records.update(self.kind, self.record_id, **self.before)
        self.on_change(self.kind, self.record_id)


class CreateRecord(ServiceCommand):
    def __init__(
        self, records: Records, kind: str, values: dict[str, Any], on_change: Changed
    ) -> None:
        super().__init__(tr("New {kind}").format(kind=kind.replace("_", " ")))
        self.records, self.kind, self.values = records, kind, values
        self.on_change = on_change
        self.record_id: int | None = None
        self._snap: Snapshot | None = None

    def apply(self) -> None:
        if self._snap is not None:  # redo after undo: the very same record again
            restore(self.records.vault, self._snap)
        else:
            self.record_id = self.records.create(self.kind, **self.values)
        self.on_change(self.kind, self.record_id)

    def revert(self) -> None:
        assert self.record_id is not None
        self._snap = snapshot(self.records.vault, self.kind, self.record_id)
        self.records.delete(self.kind, self.record_id)
        self.on_change(self.kind, None)


class DeleteRecord(ServiceCommand):
    def __init__(self, records: Records, kind: str, record_id: int, on_change: Changed) -> None:
        super().__init__(tr("Delete {kind}").format(kind=kind.replace("_", " ")))
        self.records, self.kind, self.record_id = records, kind, record_id
        self.on_change = on_change
        self._snap: Snapshot | None = None

    def apply(self) -> None:
        self._snap = snapshot(self.records.vault, self.kind, self.record_id)
        self.records.delete(self.kind, self.record_id)
        self.on_change(self.kind, None)

    def revert(self) -> None:
        assert self._snap is not None
        restore(self.records.vault, self._snap)
        self.on_change(self.kind, self.record_id)


class TagRecord(ServiceCommand):
    def __init__(
        self, records: Records, kind: str, record_id: int, tag: str, add: bool, on_change: Changed
    ) -> None:
        text = tr("Tag “{tag}”") if add else tr("Remove tag “{tag}”")
        super().__init__(text.format(tag=tag))
        self.records, self.kind, self.record_id, self.tag, self.add = (
            records,
            kind,
            record_id,
            tag,
            add,
        )
        self.on_change = on_change

    def _apply(self, add: bool) -> None:
        if add:
            self.records.tag(self.kind, self.record_id, self.tag)
        else:
            self.records.untag(self.kind, self.record_id, self.tag)
        self.on_change(self.kind, self.record_id)

    def apply(self) -> None:
        self._apply(self.add)

    def revert(self) -> None:
        self._apply(not self.add)


def push(stack: Any, command: ServiceCommand) -> None:
    """Run the command once (raising if the core refuses it), then keep it for undo.

    QUndoStack.push() calls redo() itself; running it first means a refused change never
    lands on the stack, and the flag stops push() from running it a second time.
    """
    command.apply()
    command._done_already = True
    stack.push(command)
