"""The tools of the demo's working-paper chapter (app.core.demo_texts): the records of the
main case it builds on, found by what the story calls them, and the paper it writes through
the text services, clause by clause and draft by draft."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from app.core.models import CaseSession, Message, Option, Party, Person, Reaction, TextKind
from app.core.services.text_circulation import circulate
from app.core.services.text_critiques import record_critique
from app.core.services.texts import (
    NewAlternative,
    add_clause,
    clause_info,
    clauses_of,
    create_text,
    delete_clause,
    drafts_of,
    move_clause,
    set_alternatives,
    update_clause,
)
from app.core.vault import Vault


def one_record(s: Session, model: Any, where: ColumnElement[bool], column: Any, prefix: str) -> int:
    """The one record (``where``) whose ``column`` starts with ``prefix``."""
    found = list(
        s.scalars(select(model.id).where(where, column.startswith(prefix, autoescape=True)))
    )
    if len(found) != 1:  # the story changed under this chapter: say where
        raise LookupError(f"The demo has no single record “{prefix}…” ({len(found)} found).")
    return int(found[0])


class Cast:
    """The records of the main case this chapter builds on, found by what the story calls
    them (build_demo wrote them a moment before, in one transaction)."""

    def __init__(self, s: Session, case_id: int) -> None:
        self.case_id = case_id

        def find(model: Any, column: InstrumentedAttribute[Any], prefix: str) -> int:
            return one_record(s, model, model.case_id == case_id, column, prefix)

        def person(name: str) -> int:
            return one_record(s, Person, true(), Person.name, name)

        self.gov = find(Party, Party.name, "Government of Veskaria")
        self.khm = find(Party, Party.name, "Korvan Highlands Movement")
        self.circle = find(Party, Party.name, "Highland Women's Peace Circle")
        summary = Message.summary
        self.m5_cemeteries = find(Message, summary, "Women's Circle asks both sides")
        self.m6_commission = find(Message, summary, "Counter-proposal: a civilian road")
        self.m7_conditions = find(Message, summary, "KHM accepts a commission in principle")
        self.m11_package = find(Message, summary, "Government's draft package")
        self.m12_wording = find(Message, summary, "Some in the KHM would accept a phased")
        self.m14_paper_only = find(Message, summary, "Government accepts 'security arrangements'")
        self.m16_basis = find(Message, summary, "KHM accepts the working paper as the basis")
        self.m17_passage = find(Message, summary, "Safe passage for valley participants")
        self.ws1 = find(CaseSession, CaseSession.title, "Problem-solving workshop I ")
        self.co_chairs = find(Option, Option.title, "Road commission with rotating co-chairs")
        self.family_visits = find(Option, Option.title, "Family visits across the line")
        self.velimirov = person("Ростислав Велимиров")
        self.gelovani = person("ლევან გელოვანი")
        self.korvaneli = person("ნათია კორვანელი")
        self.dzelkvani = person("Eteri Dzelkvani")


class Paper:
    """The text being written: clauses by the story's names for them (their keys stay the
    same from draft to draft), and the working draft every edit goes to."""

    def __init__(self, vault: Vault, cast: Cast, title: str, purpose: str) -> None:
        self.vault = vault
        self.cast = cast
        self.id = create_text(
            vault, cast.case_id, title, kind=TextKind.WORKING_PAPER, purpose=purpose
        )
        self.keys: dict[str, int] = {}
        self.working = drafts_of(vault, self.id)[-1].id  # every edit goes here
        self._ids: dict[int, dict[int, int]] = {}  # draft -> clause key -> clause id

    def clause_id(self, name: str, draft_id: int | None = None) -> int:
        """The id of clause ``name`` in ``draft_id`` (default: the working draft)."""
        did = self.working if draft_id is None else draft_id
        if did not in self._ids:
            self._ids[did] = {c.key: c.id for c in clauses_of(self.vault, did)}
        return self._ids[did][self.keys[name]]

    def index(self, name: str) -> int:
        """Where clause ``name`` stands in the working draft (0 = first)."""
        key = self.keys[name]
        return next(i for i, c in enumerate(clauses_of(self.vault, self.working)) if c.key == key)

    def add(self, name: str, wording: str, *, at: int | None = None, **fields: Any) -> int:
        cid = add_clause(self.vault, self.working, wording=wording, index=at, **fields)
        self._ids.pop(self.working, None)
        self.keys[name] = clause_info(self.vault, cid).key
        return cid

    def edit(self, name: str, **fields: Any) -> None:
        update_clause(self.vault, self.clause_id(name), **fields)

    def brackets(self, name: str, *alternatives: NewAlternative) -> None:
        set_alternatives(self.vault, self.clause_id(name), alternatives)

    def move(self, name: str, index: int) -> None:
        move_clause(self.vault, self.clause_id(name), index)

    def drop(self, name: str) -> None:
        delete_clause(self.vault, self.clause_id(name))
        self._ids.pop(self.working, None)

    def circulate(self, parties: list[int], at: datetime, note: str | None = None) -> int:
        """Give the working draft to ``parties`` (frozen as its number); returns its id."""
        done = circulate(self.vault, self.working, parties, at=at, note=note)
        self.working = done.working_draft_id
        return done.draft_id

    def give(self, draft_id: int, parties: list[int], at: datetime) -> None:
        """Give an already circulated draft to more parties."""
        circulate(self.vault, draft_id, parties, at=at)

    def critiques(
        self, draft_id: int, party_id: int, on: date, source: int | None = None
    ) -> Callable[..., None]:
        """A party's written comments on a draft it holds, one call per clause."""

        def say(name: str, reaction: Reaction, note: str = "", proposed: str = "") -> None:
            record_critique(
                self.vault,
                self.clause_id(name, draft_id),
                party_id,
                reaction,
                proposed_wording=proposed,
                note=note,
                recorded_on=on,
                source_message_id=source,
            )

        return say


__all__ = ["Cast", "Paper", "one_record"]
