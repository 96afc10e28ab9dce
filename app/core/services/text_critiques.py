"""Each party's critique of the clauses of a draft it was given (accepts, accepts with
changes, rejects, reserves; proposed wording and a note, dated), and the critique matrix of
a draft: clauses × parties, each cell the latest critique, like the options matrix.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select

from app.core.errors import NotFound, ValidationError
from app.core.models import (
    Clause,
    Critique,
    Delivery,
    Party,
    Reaction,
    utcnow,
)
from app.core.services.texts import (
    ClauseInfo,
    DraftInfo,
    draft_info,
    get_draft,
    get_text,
    read_clauses,
)
from app.core.vault import Vault


@dataclass(frozen=True)
class CritiqueInfo:
    id: int
    clause_id: int
    party_id: int
    reaction: Reaction
    proposed_wording: str
    note: str
    recorded_on: date
    source_message_id: int | None
    source_session_id: int | None


@dataclass(frozen=True)
class CritiqueMatrix:
    """Clauses × parties of one draft: each party's current (latest) critique of each clause."""

    draft: DraftInfo
    parties: tuple[tuple[int, str], ...]  # (id, name) in the case's order
    clauses: tuple[ClauseInfo, ...]
    cells: dict[tuple[int, int], CritiqueInfo]  # (clause id, party id) -> latest critique

    def cell(self, clause_id: int, party_id: int) -> CritiqueInfo | None:
        return self.cells.get((clause_id, party_id))


# --- critiques ---------------------------------------------------------------------------


def record_critique(
    vault: Vault,
    clause_id: int,
    party_id: int,
    reaction: Reaction | str,
    *,
    proposed_wording: str = "",
    note: str = "",
    recorded_on: date | None = None,
    source_message_id: int | None = None,
    source_session_id: int | None = None,
) -> int:
    """A party's reaction to a clause of a draft it was given."""
    with vault.session() as s:
        c = s.get(Clause, clause_id)
        if c is None:
            raise NotFound(f"There is no clause #{clause_id}.")
        d = get_draft(s, c.draft_id)
        party = s.get(Party, party_id)
        if party is None:
            raise NotFound(f"There is no party #{party_id}.")
        given = s.scalar(
            select(func.count())
            .select_from(Delivery)
            .where(Delivery.draft_id == d.id, Delivery.recipient_party_id == party_id)
        )
        if not given:
            raise ValidationError(
                f"{party.name} was not given draft {d.number}; a critique is of a draft the "
                "party holds. Circulate it to them first."
            )
        cr = Critique(
            clause_id=clause_id,
            party_id=party_id,
            reaction=Reaction(reaction),
            proposed_wording=proposed_wording,
            note=note,
            recorded_on=recorded_on or utcnow().date(),
            source_message_id=source_message_id,
            source_session_id=source_session_id,
        )
        s.add(cr)
        s.flush()
        s.commit()
        return cr.id


def _critique_info(c: Critique) -> CritiqueInfo:
    return CritiqueInfo(
        c.id,
        c.clause_id,
        c.party_id,
        Reaction(c.reaction),
        c.proposed_wording,
        c.note,
        c.recorded_on,
        c.source_message_id,
        c.source_session_id,
    )


def critiques_of(vault: Vault, clause_id: int) -> list[CritiqueInfo]:
    """Every critique of a clause, oldest first (the history)."""
    with vault.session() as s:
        return [
            _critique_info(c)
            for c in s.scalars(
                select(Critique)
                .where(Critique.clause_id == clause_id)
                .order_by(Critique.recorded_on, Critique.id)
            )
        ]


def critique_matrix(vault: Vault, draft_id: int) -> CritiqueMatrix:
    """The clauses of a draft × the case's parties, each cell the latest critique."""
    info = draft_info(vault, draft_id)
    with vault.session() as s:
        case_id = get_text(s, info.text_id).case_id
        parties = tuple(
            (pid, name)
            for pid, name in s.execute(
                select(Party.id, Party.name).where(Party.case_id == case_id).order_by(Party.id)
            )
        )
        clauses = tuple(read_clauses(s, draft_id))
        cells: dict[tuple[int, int], CritiqueInfo] = {}
        ids = [c.id for c in clauses]
        if ids:
            for cr in s.scalars(
                select(Critique)
                .where(Critique.clause_id.in_(ids))
                .order_by(Critique.recorded_on, Critique.id)
            ):
                cells[(cr.clause_id, cr.party_id)] = _critique_info(cr)  # later ones win
    return CritiqueMatrix(info, parties, clauses, cells)


__all__ = ["CritiqueInfo", "CritiqueMatrix", "critique_matrix", "critiques_of", "record_critique"]
