"""Undo commands of the Texts section: each calls the texts services (no SQL here) and says
what changed through the context.

A clause is named by its draft and its ``key`` (its identity across drafts), not by its id:
undoing a delete brings the clause back under a new id, and the commands below it on the
stack must still find it. Circulating a draft is no command at all: it is a delivery to the
parties, like handing over a letter, and cannot be undone. Undoing an edit of a draft that
was circulated since is refused by the core; the command then says so and leaves the stack.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from app.core.errors import LiaisonError, NotFound
from app.core.models import ClauseKind
from app.core.services.history import Snapshot, restore, snapshot
from app.core.services.text_circulation import discard_working_changes
from app.core.services.text_critiques import record_critique
from app.core.services.texts import (
    ClauseInfo,
    NewAlternative,
    add_clause,
    clause_info,
    create_text,
    delete_clause,
    delete_text,
    move_clause,
    set_alternatives,
    set_clause_options,
    update_clause,
)
from app.gui.context import AppContext
from app.gui.labels import tr
from app.gui.undo import ServiceCommand

# The provenance and text fields of a clause that update_clause accepts.
CLAUSE_FIELDS = (
    "kind",
    "wording",
    "note",
    "source_message_id",
    "source_session_id",
    "proposed_by_party_id",
    "proposed_by_person_id",
)


def clause_id_of(ctx: AppContext, draft_id: int, key: int) -> int:
    """The id of the clause ``key`` of a draft now."""
    rows = ctx.records.find("clause", draft_id=draft_id, key=key)
    if not rows:
        raise NotFound(tr("This clause is no longer in the draft."))
    return int(rows[0]["id"])


def clause_fields(info: ClauseInfo) -> dict[str, Any]:
    """A clause's own fields as update_clause takes them."""
    values = {k: getattr(info, k) for k in CLAUSE_FIELDS}
    values["kind"] = ClauseKind(info.kind).value
    return values


def alternatives_of(info: ClauseInfo) -> list[NewAlternative]:
    return [
        NewAlternative(a.slot, a.party_id, a.wording, a.source_message_id)
        for a in sorted(info.alternatives, key=lambda a: (a.slot, a.position, a.id))
    ]


class TextCommand(ServiceCommand):
    """A command whose undo or redo the core may refuse (the draft was circulated since):
    the refusal is shown in one sentence and the command leaves the stack."""

    def __init__(self, ctx: AppContext, label: str) -> None:
        super().__init__(label)
        self.ctx = ctx

    def _guarded(self, step: Any) -> None:
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


class Together(TextCommand):
    """Several commands as one step of the undo stack (a clause's fields and its brackets,
    saved together)."""

    def __init__(self, ctx: AppContext, label: str, steps: Sequence[ServiceCommand]) -> None:
        super().__init__(ctx, label)
        self.steps = list(steps)

    def apply(self) -> None:
        done: list[ServiceCommand] = []
        try:
            for step in self.steps:
                step.apply()
                done.append(step)
        except LiaisonError:
            for step in reversed(done):  # all or nothing
                step.revert()
            raise

    def revert(self) -> None:
        for step in reversed(self.steps):
            step.revert()


# --- clauses -------------------------------------------------------------------------------


class AddClause(TextCommand):
    """A new clause at ``index``; undo removes it, redo brings it back with the same key at
    the same place."""

    def __init__(
        self, ctx: AppContext, draft_id: int, index: int, kind: ClauseKind, wording: str = ""
    ) -> None:
        word = tr("heading") if kind is ClauseKind.HEADING else tr("clause")
        super().__init__(ctx, tr("New {what}").format(what=word))
        self.draft_id, self.index, self.kind, self.wording = draft_id, index, kind, wording
        self.key: int | None = None
        self.clause_id: int | None = None

    def apply(self) -> None:
        self.clause_id = add_clause(
            self.ctx.vault,
            self.draft_id,
            wording=self.wording,
            kind=self.kind,
            index=self.index,
            key=self.key,
        )
        if self.key is None:
            self.key = clause_info(self.ctx.vault, self.clause_id).key
        self.ctx.notify("clause", self.clause_id)

    def revert(self) -> None:
        assert self.key is not None
        delete_clause(self.ctx.vault, clause_id_of(self.ctx, self.draft_id, self.key))
        self.ctx.notify("clause", None)


class UpdateClause(TextCommand):
    """A clause's wording, kind, note or provenance: only the fields that changed."""

    def __init__(
        self,
        ctx: AppContext,
        draft_id: int,
        key: int,
        before: dict[str, Any],
        after: dict[str, Any],
    ) -> None:
        super().__init__(ctx, tr("Edit clause"))
        self.draft_id, self.key = draft_id, key
        self.before = {k: before.get(k) for k in after}
        self.after = dict(after)

    def _set(self, values: dict[str, Any]) -> None:
        cid = clause_id_of(self.ctx, self.draft_id, self.key)
        update_clause(self.ctx.vault, cid, **values)
        self.ctx.notify("clause", cid)

    def apply(self) -> None:
        self._set(self.after)

    def revert(self) -> None:
        self._set(self.before)


class SetAlternatives(TextCommand):
    """A clause's bracketed alternatives, all at once; undo gives back the previous ones."""

    def __init__(
        self,
        ctx: AppContext,
        draft_id: int,
        key: int,
        before: Sequence[NewAlternative],
        after: Sequence[NewAlternative],
    ) -> None:
        super().__init__(ctx, tr("Bracketed alternatives"))
        self.draft_id, self.key = draft_id, key
        self.before, self.after = list(before), list(after)

    def _set(self, alternatives: list[NewAlternative]) -> None:
        cid = clause_id_of(self.ctx, self.draft_id, self.key)
        set_alternatives(self.ctx.vault, cid, alternatives)
        self.ctx.notify("clause", cid)

    def apply(self) -> None:
        self._set(self.after)

    def revert(self) -> None:
        self._set(self.before)


class SetOptions(TextCommand):
    """The options a clause carries; undo gives back the previous set."""

    def __init__(
        self,
        ctx: AppContext,
        draft_id: int,
        key: int,
        before: Sequence[int],
        after: Sequence[int],
    ) -> None:
        super().__init__(ctx, tr("Options carried"))
        self.draft_id, self.key = draft_id, key
        self.before, self.after = list(before), list(after)

    def _set(self, option_ids: list[int]) -> None:
        cid = clause_id_of(self.ctx, self.draft_id, self.key)
        set_clause_options(self.ctx.vault, cid, option_ids)
        self.ctx.notify("clause", cid)

    def apply(self) -> None:
        self._set(self.after)

    def revert(self) -> None:
        self._set(self.before)


class MoveClause(TextCommand):
    def __init__(self, ctx: AppContext, draft_id: int, key: int, old: int, new: int) -> None:
        super().__init__(ctx, tr("Move clause"))
        self.draft_id, self.key, self.old, self.new = draft_id, key, old, new

    def _move(self, index: int) -> None:
        cid = clause_id_of(self.ctx, self.draft_id, self.key)
        move_clause(self.ctx.vault, cid, index)
        self.ctx.notify("clause", cid)

    def apply(self) -> None:
        self._move(self.new)

    def revert(self) -> None:
        self._move(self.old)


@dataclass
class _Kept:
    """Everything of a deleted clause that undo gives back."""

    index: int
    fields: dict[str, Any]
    alternatives: list[NewAlternative] = field(default_factory=list)
    option_ids: list[int] = field(default_factory=list)


class DeleteClause(TextCommand):
    """Undo brings the clause back with its key, place, wording, kind, provenance,
    brackets and carried options."""

    def __init__(self, ctx: AppContext, draft_id: int, key: int) -> None:
        super().__init__(ctx, tr("Delete clause"))
        self.draft_id, self.key = draft_id, key
        self._kept: _Kept | None = None

    def apply(self) -> None:
        cid = clause_id_of(self.ctx, self.draft_id, self.key)
        info = clause_info(self.ctx.vault, cid)
        self._kept = _Kept(
            info.position, clause_fields(info), alternatives_of(info), list(info.option_ids)
        )
        delete_clause(self.ctx.vault, cid)
        self.ctx.notify("clause", None)

    def revert(self) -> None:
        kept = self._kept
        assert kept is not None
        vault = self.ctx.vault
        cid = add_clause(vault, self.draft_id, index=kept.index, key=self.key, **kept.fields)
        if kept.alternatives:
            set_alternatives(vault, cid, kept.alternatives)
        if kept.option_ids:
            set_clause_options(vault, cid, kept.option_ids)
        self.ctx.notify("clause", cid)


# --- texts and drafts ----------------------------------------------------------------------


class CreateText(TextCommand):
    """A new text with its empty working draft; undo removes it, redo brings back the very
    same one (its drafts and clauses with it)."""

    def __init__(self, ctx: AppContext, case_id: int, values: dict[str, Any]) -> None:
        super().__init__(ctx, tr("New text"))
        self.case_id, self.values = case_id, dict(values)
        self.text_id: int | None = None
        self._snap: Snapshot | None = None

    def apply(self) -> None:
        if self._snap is not None:
            restore(self.ctx.vault, self._snap)
        else:
            self.text_id = create_text(self.ctx.vault, self.case_id, **self.values)
        self.ctx.notify("text", self.text_id)

    def revert(self) -> None:
        assert self.text_id is not None
        self._snap = snapshot(self.ctx.vault, "text", self.text_id)
        delete_text(self.ctx.vault, self.text_id)
        self.ctx.notify("text", None)


class DeleteText(TextCommand):
    """Delete a text never circulated (the core refuses any other, and says why)."""

    def __init__(self, ctx: AppContext, text_id: int) -> None:
        super().__init__(ctx, tr("Delete text"))
        self.text_id = text_id
        self._snap: Snapshot | None = None

    def apply(self) -> None:
        snap = snapshot(self.ctx.vault, "text", self.text_id)
        delete_text(self.ctx.vault, self.text_id)
        self._snap = snap
        self.ctx.notify("text", None)

    def revert(self) -> None:
        assert self._snap is not None
        restore(self.ctx.vault, self._snap)
        self.ctx.notify("text", self.text_id)


class DiscardWorkingChanges(TextCommand):
    """Start the working draft again from the last circulated one. Undo puts the discarded
    working draft back as it was (same ids), redo the fresh one."""

    def __init__(self, ctx: AppContext, text_id: int, working_id: int) -> None:
        super().__init__(ctx, tr("Discard working changes"))
        self.text_id = text_id
        self.old_id, self.new_id = working_id, 0
        self._old: Snapshot | None = None
        self._new: Snapshot | None = None

    def _swap(self, gone: int, back: Snapshot) -> Snapshot:
        kept = snapshot(self.ctx.vault, "draft", gone)
        self.ctx.records.delete("draft", gone)
        restore(self.ctx.vault, back)
        return kept

    def apply(self) -> None:
        if self._new is None:
            self._old = snapshot(self.ctx.vault, "draft", self.old_id)
            self.new_id = discard_working_changes(self.ctx.vault, self.text_id)
        else:
            self._old = self._swap(self.old_id, self._new)
        self.ctx.notify("draft", self.new_id)

    def revert(self) -> None:
        assert self._old is not None
        self._new = self._swap(self.new_id, self._old)
        self.ctx.notify("draft", self.old_id)


# --- critiques -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CritiqueValues:
    clause_id: int
    party_id: int
    reaction: str
    proposed_wording: str = ""
    note: str = ""
    recorded_on: date | None = None
    source_message_id: int | None = None
    source_session_id: int | None = None


class RecordCritique(TextCommand):
    """A party's reaction to a clause of a circulated draft; undo deletes it, redo brings
    back the very same one."""

    def __init__(self, ctx: AppContext, values: CritiqueValues) -> None:
        super().__init__(ctx, tr("Record critique"))
        self.values = values
        self.critique_id: int | None = None
        self._snap: Snapshot | None = None

    def apply(self) -> None:
        if self._snap is not None:
            restore(self.ctx.vault, self._snap)
        else:
            v = self.values
            self.critique_id = record_critique(
                self.ctx.vault,
                v.clause_id,
                v.party_id,
                v.reaction,
                proposed_wording=v.proposed_wording,
                note=v.note,
                recorded_on=v.recorded_on,
                source_message_id=v.source_message_id,
                source_session_id=v.source_session_id,
            )
        self.ctx.notify("critique", self.critique_id)

    def revert(self) -> None:
        assert self.critique_id is not None
        self._snap = snapshot(self.ctx.vault, "critique", self.critique_id)
        self.ctx.records.delete("critique", self.critique_id)
        self.ctx.notify("critique", None)
