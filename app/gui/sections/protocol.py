"""The one protocol every section of a case follows (Overview, Parties, Shuttle Log, ...).

The window knows its sections only through this: it hands each the case, reloads the one in
view when a record kind it watches changes (the others are marked stale and reload when next
shown), routes New / Delete / Copy text / "open this record" to the section in view, and
clears every section on lock.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable


@runtime_checkable
class Section(Protocol):
    # Record kinds (see app.gui.kinds) whose change makes this section's content stale.
    watches: frozenset[str]

    def set_case(self, case_id: int | None) -> None:
        """Show this case (None: no case); called when shown after the case changed."""

    def reload(self) -> None:
        """Read the vault again, keeping the selection where it can."""

    def clear(self) -> None:
        """Keep nothing of the vault in any widget (on lock)."""

    def current(self) -> tuple[str, int] | None:
        """The record in view, as (kind, id): what Copy text copies and Delete deletes."""

    def show_record(self, kind: str, record_id: int) -> bool:
        """Bring this record into view (a kind this section lists); False if it cannot."""

    def new_record(self) -> None:
        """Ctrl+N here: create the kind of record this section lists (its page in view)."""

    def delete_record(self) -> None:
        """Ctrl+Delete here: delete the current record (asks first; undoable)."""
