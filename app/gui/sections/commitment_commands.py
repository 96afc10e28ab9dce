"""Undo commands of the Commitments section: each calls the commitments service (no SQL here)
and says what changed through the context.

A deleted commitment comes back under its own id with its whole course (the service's
``restore_commitment``), so the commands below it on the stack still find it; so does an
outcome. The course rules are the core's: where an undo or redo would break them (an
outcome recorded since makes an older one impossible), the command says so in one sentence
and leaves the stack."""

from __future__ import annotations

from collections.abc import Callable

from app.core.errors import LiaisonError
from app.core.services.commitments import (
    CommitmentCopy,
    NewCommitment,
    NewOutcome,
    create_commitment,
    delete_commitment,
    delete_outcome,
    record_outcome,
    restore_commitment,
    update_commitment,
    update_outcome,
)
from app.gui.context import AppContext
from app.gui.labels import tr
from app.gui.undo import ServiceCommand


class CommitmentCommand(ServiceCommand):
    """A command whose undo or redo the core may refuse: the refusal is shown in one
    sentence and the command leaves the stack (its first run raises instead: see
    app.gui.undo.push)."""

    def __init__(self, ctx: AppContext, label: str) -> None:
        super().__init__(label)
        self.ctx = ctx

    def _guarded(self, step: Callable[[], None]) -> None:
        try:
            step()
        except LiaisonError as exc:
            self.setObsolete(True)  # QUndoStack drops it: it can be done no more
            self.ctx.error_handler(str(exc))

    def redo(self) -> None:
        if self._done_already:
            self._done_already = False
            return
        self._guarded(self.apply)

    def undo(self) -> None:
        self._guarded(self.revert)


# --- commitments ---------------------------------------------------------------------------


class CreateCommitment(CommitmentCommand):
    """A new commitment; undo removes it, redo brings it back under the same id."""

    def __init__(self, ctx: AppContext, case_id: int, new: NewCommitment) -> None:
        super().__init__(ctx, tr("New commitment"))
        self.case_id, self.new = case_id, new
        self.commitment_id: int | None = None
        self._copy: CommitmentCopy | None = None

    def apply(self) -> None:
        if self._copy is not None:  # redo: the very same commitment, with what it had
            self.commitment_id = restore_commitment(self.ctx.vault, self._copy)
        else:
            self.commitment_id = create_commitment(self.ctx.vault, self.case_id, self.new)
        self.ctx.notify("commitment", self.commitment_id)

    def revert(self) -> None:
        assert self.commitment_id is not None
        self._copy = delete_commitment(self.ctx.vault, self.commitment_id)
        self.ctx.notify("commitment", None)


class EditCommitment(CommitmentCommand):
    """A commitment's fields, all at once; undo gives back the previous ones."""

    def __init__(self, ctx: AppContext, commitment_id: int, new: NewCommitment) -> None:
        super().__init__(ctx, tr("Edit commitment"))
        self.commitment_id, self.new = commitment_id, new
        self.before: NewCommitment | None = None

    def apply(self) -> None:
        self.before = update_commitment(self.ctx.vault, self.commitment_id, self.new)
        self.ctx.notify("commitment", self.commitment_id)

    def revert(self) -> None:
        assert self.before is not None
        update_commitment(self.ctx.vault, self.commitment_id, self.before)
        self.ctx.notify("commitment", self.commitment_id)


class DeleteCommitment(CommitmentCommand):
    """Delete a commitment and its course; undo brings both back under the same ids (and
    the commitments that had it as their condition point at it again)."""

    def __init__(self, ctx: AppContext, commitment_id: int) -> None:
        super().__init__(ctx, tr("Delete commitment"))
        self.commitment_id = commitment_id
        self._copy: CommitmentCopy | None = None

    def apply(self) -> None:
        self._copy = delete_commitment(self.ctx.vault, self.commitment_id)
        self.ctx.notify("commitment", None)

    def revert(self) -> None:
        assert self._copy is not None
        restore_commitment(self.ctx.vault, self._copy)
        self.ctx.notify("commitment", self.commitment_id)


# --- outcomes ------------------------------------------------------------------------------


class RecordOutcome(CommitmentCommand):
    """A dated outcome in a commitment's course; redo brings it back under the same id."""

    def __init__(self, ctx: AppContext, commitment_id: int, outcome: NewOutcome) -> None:
        super().__init__(ctx, tr("Record outcome"))
        self.commitment_id, self.outcome = commitment_id, outcome
        self.outcome_id: int | None = None

    def apply(self) -> None:
        self.outcome_id = record_outcome(
            self.ctx.vault, self.commitment_id, self.outcome, outcome_id=self.outcome_id
        )
        self.ctx.notify("commitment_event", self.outcome_id)

    def revert(self) -> None:
        assert self.outcome_id is not None
        delete_outcome(self.ctx.vault, self.outcome_id)
        self.ctx.notify("commitment_event", None)


class EditOutcome(CommitmentCommand):
    def __init__(self, ctx: AppContext, outcome_id: int, outcome: NewOutcome) -> None:
        super().__init__(ctx, tr("Edit outcome"))
        self.outcome_id, self.outcome = outcome_id, outcome
        self.before: NewOutcome | None = None

    def apply(self) -> None:
        self.before = update_outcome(self.ctx.vault, self.outcome_id, self.outcome)
        self.ctx.notify("commitment_event", self.outcome_id)

    def revert(self) -> None:
        assert self.before is not None
        update_outcome(self.ctx.vault, self.outcome_id, self.before)
        self.ctx.notify("commitment_event", self.outcome_id)


class DeleteOutcome(CommitmentCommand):
    def __init__(self, ctx: AppContext, outcome_id: int) -> None:
        super().__init__(ctx, tr("Delete outcome"))
        self.outcome_id = outcome_id
        self._was: tuple[int, NewOutcome] | None = None

    def apply(self) -> None:
        self._was = delete_outcome(self.ctx.vault, self.outcome_id)
        self.ctx.notify("commitment_event", None)

    def revert(self) -> None:
        assert self._was is not None
        commitment_id, outcome = self._was
        record_outcome(self.ctx.vault, commitment_id, outcome, outcome_id=self.outcome_id)
        self.ctx.notify("commitment_event", self.outcome_id)
