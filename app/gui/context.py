"""What every view needs, passed in explicitly (no global registry): the vault, the record
service, the undo stack, the current case, and a way to say "this kind of record changed"."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from app.core.errors import LiaisonError
from app.core.services import choices
from app.core.services.records import Records
from app.core.vault import Vault
from app.gui.undo import ServiceCommand, push


class AppContext(QObject):
    # (kind, record id or -1 when deleted): views reload what they show of that kind.
    record_changed = Signal(str, int)
    case_changed = Signal(int)
    # The user asked to see a record (from search, the timeline...): (kind, id, case id).
    open_record = Signal(str, int, int)

    def __init__(self, vault: Vault, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.vault = vault
        self.records = Records(vault)
        self.undo_stack = QUndoStack(self)
        self.case_id: int | None = None
        self.error_handler: Callable[[str], None] = lambda msg: None
        # Quick capture preselects the parties of the last message (kept in memory only).
        self.last_capture_parties: tuple[int | None, int | None] = (None, None)
        # What reference fields may point at, per kind, for the case in view: read once, not
        # on every record shown (arrowing down a list loads a form per row). Any change of
        # any record forgets them (a label may come from another kind: a party's name), and
        # so does a change of case, which a lock makes (nothing of the case stays in memory).
        self._choices: dict[str, list[tuple[int, str]]] = {}
        self.record_changed.connect(lambda _kind, _id: self._choices.clear())

    def set_case(self, case_id: int | None) -> None:
        self._choices.clear()
        if case_id != self.case_id:
            self.case_id = case_id
            self.case_changed.emit(case_id if case_id is not None else -1)

    def choices(self, kind: str, include: int | None = None) -> list[tuple[int, str]]:
        """What a reference field may point at, in this case (``include``: its current value,
        put first when it is not among them). The same list object while nothing changed,
        so that a form can tell it has it already."""
        if not self.vault.is_unlocked:
            self._choices.clear()
            return []
        rows = self._choices.get(kind)
        if rows is None:
            rows = self._choices[kind] = choices.choices(self.vault, kind, self.case_id)
        if include is not None and all(i != include for i, _ in rows):
            return choices.choices(self.vault, kind, self.case_id, limit=0, include=include) + rows
        return rows

    def notify(self, kind: str, record_id: int | None) -> None:
        self.record_changed.emit(kind, -1 if record_id is None else record_id)

    def run(self, command: ServiceCommand) -> bool:
        """Do a change through the undo stack; a refusal becomes one clear message."""
        try:
            push(self.undo_stack, command)
        except LiaisonError as exc:
            self.error_handler(str(exc))
            return False
        return True

    def call(self, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        """A direct service call whose refusal is shown, not raised."""
        try:
            return fn(*args, **kwargs)
        except LiaisonError as exc:
            self.error_handler(str(exc))
            return None
