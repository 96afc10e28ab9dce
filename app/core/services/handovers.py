"""What went up to Track I: outside audiences (officials, institutions, sponsors outside the
case's parties), handovers to them (options, circulated drafts, commitments, findings: when,
through whom, sources named or not), and links between cases (a Track 2 case that feeds a
Track 1.5 one).

A handover is refused like a delivery where the disclosure rules forbid it
(:mod:`app.core.disclosure.handovers`, checked on every flush); :func:`handover_problems`
answers a dialog before it saves. Everything here hands out plain dataclasses.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.core.disclosure.guard import person_names
from app.core.disclosure.handovers import Carried, ItemRefusal, problems_in
from app.core.errors import NotFound, ValidationError
from app.core.models import (
    Case,
    CaseLink,
    CaseLinkKind,
    CaseText,
    Commitment,
    Draft,
    Handover,
    HandoverItem,
    Option,
    Outsider,
    OutsiderKind,
    Track,
)
from app.core.vault import Vault

# --- outside audiences ------------------------------------------------------------------------


@dataclass(frozen=True)
class OutsiderRow:
    id: int
    case_id: int
    name: str
    kind: OutsiderKind
    organisation: str
    person_id: int | None
    notes: str
    handovers: int


def outsiders_of(vault: Vault, case_id: int) -> list[OutsiderRow]:
    with vault.session() as s:
        counts = dict(
            s.execute(
                select(Handover.outsider_id, func.count())
                .where(Handover.case_id == case_id)
                .group_by(Handover.outsider_id)
            ).all()
        )
        return [
            OutsiderRow(
                o.id,
                o.case_id,
                o.name,
                OutsiderKind(o.kind),
                o.organisation,
                o.person_id,
                o.notes,
                counts.get(o.id, 0),
            )
            for o in s.scalars(
                select(Outsider).where(Outsider.case_id == case_id).order_by(Outsider.name)
            )
        ]


def create_outsider(
    vault: Vault,
    case_id: int,
    name: str,
    *,
    kind: OutsiderKind | str = OutsiderKind.OFFICIAL,
    organisation: str = "",
    person_id: int | None = None,
    notes: str = "",
    outsider_id: int | None = None,
) -> int:
    if not name.strip():
        raise ValidationError("An outside audience needs a name.")
    with vault.session() as s:
        o = Outsider(
            case_id=case_id,
            name=name.strip(),
            kind=OutsiderKind(kind),
            organisation=organisation,
            person_id=person_id,
            notes=notes,
        )
        if outsider_id is not None:
            o.id = outsider_id
        s.add(o)
        s.commit()
        return o.id


def update_outsider(vault: Vault, outsider_id: int, **changes: Any) -> dict[str, Any]:
    """Change ``name``, ``kind``, ``organisation``, ``person_id`` or ``notes``; returns the old
    values (for undo)."""
    allowed = {"name", "kind", "organisation", "person_id", "notes"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    if "name" in changes and not str(changes["name"]).strip():
        raise ValidationError("An outside audience needs a name.")
    with vault.session() as s:
        o = s.get(Outsider, outsider_id)
        if o is None:
            raise NotFound(f"There is no outside audience #{outsider_id}.")
        old = {k: getattr(o, k) for k in changes}
        for k, v in changes.items():
            setattr(o, k, OutsiderKind(v) if k == "kind" else v)
        s.commit()
        return old


def delete_outsider(vault: Vault, outsider_id: int) -> None:
    """Delete an outside audience that was given nothing (its handovers are history)."""
    with vault.session() as s:
        o = s.get(Outsider, outsider_id)
        if o is None:
            raise NotFound(f"There is no outside audience #{outsider_id}.")
        given = s.scalar(select(func.count()).where(Handover.outsider_id == outsider_id))
        if given:
            raise ValidationError(
                f"{o.name} was given {given} handover(s): delete those first, or keep "
                "the audience (handovers are the record of what went up)."
            )
        s.delete(o)
        s.commit()


# --- handovers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewHandoverItem(Carried):
    """One thing to hand over: exactly one of an option, a circulated draft, a commitment, or
    a finding in the mediator's words (with the message or session it rests on)."""


@dataclass(frozen=True)
class HandoverItemRow:
    id: int
    kind: str  # "option", "draft", "commitment", "finding"
    record_id: int | None  # the option, draft or commitment
    label: str  # its title, "Draft 3 of “…”", what was promised, or the finding
    item: NewHandoverItem


@dataclass(frozen=True)
class HandoverRow:
    id: int
    case_id: int
    outsider_id: int
    outsider_name: str
    handed_at: datetime
    through_person_id: int | None
    through_name: str
    sources_named: bool
    note: str
    items: tuple[HandoverItemRow, ...]


def _item_of(i: HandoverItem) -> NewHandoverItem:
    return NewHandoverItem(**{f.name: getattr(i, f.name) for f in fields(NewHandoverItem)})


def _check_items(items: Sequence[NewHandoverItem]) -> None:
    if not items:
        raise ValidationError("A handover carries at least one thing.")
    for it in items:
        things = [it.option_id, it.draft_id, it.commitment_id]
        count = sum(x is not None for x in things) + bool(it.finding.strip())
        if count != 1:
            raise ValidationError(
                "Each item of a handover is one option, draft, commitment or finding."
            )


def handover_problems(
    vault: Vault,
    outsider_id: int,
    at: datetime,
    items: Sequence[NewHandoverItem],
    *,
    sources_named: bool = False,
) -> list[ItemRefusal]:
    """Which items may not go to this audience, one sentence each (the dialog asks first;
    the flush gives the same answer)."""
    with vault.session() as s:
        return problems_in(s, outsider_id, at, sources_named, list(items))


def create_handover(
    vault: Vault,
    case_id: int,
    outsider_id: int,
    handed_at: datetime,
    items: Sequence[NewHandoverItem],
    *,
    through_person_id: int | None = None,
    sources_named: bool = False,
    note: str = "",
    handover_id: int | None = None,
) -> int:
    """Record a handover; refused as a whole (``HandoverRefused``) if any item may not go."""
    _check_items(items)
    with vault.session() as s:
        o = s.get(Outsider, outsider_id)
        if o is None or o.case_id != case_id:
            raise ValidationError("A handover goes to an outside audience of this case.")
        h = Handover(
            case_id=case_id,
            outsider_id=outsider_id,
            handed_at=handed_at,
            through_person_id=through_person_id,
            sources_named=sources_named,
            note=note,
        )
        if handover_id is not None:
            h.id = handover_id
        h.items = [
            HandoverItem(**{f.name: getattr(it, f.name) for f in fields(NewHandoverItem)})
            for it in items
        ]
        s.add(h)
        s.commit()
        return h.id


def update_handover(vault: Vault, handover_id: int, **changes: Any) -> dict[str, Any]:
    """Change ``outsider_id``, ``handed_at``, ``through_person_id``, ``sources_named`` or
    ``note`` (checked again by the rule); returns the old values (for undo)."""
    allowed = {"outsider_id", "handed_at", "through_person_id", "sources_named", "note"}
    unknown = set(changes) - allowed
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    with vault.session() as s:
        h = s.get(Handover, handover_id)
        if h is None:
            raise NotFound(f"There is no handover #{handover_id}.")
        old = {k: getattr(h, k) for k in changes}
        for k, v in changes.items():
            setattr(h, k, v)
        s.commit()
        return old


def delete_handover(vault: Vault, handover_id: int) -> HandoverRow:
    """Delete a handover; returns it (undo gives it back with :func:`restore_handover`)."""
    with vault.session() as s:
        h = s.get(Handover, handover_id)
        if h is None:
            raise NotFound(f"There is no handover #{handover_id}.")
        row = _handover_rows(s, [h])[0]
        s.delete(h)
        s.commit()
        return row


def restore_handover(vault: Vault, row: HandoverRow) -> int:
    return create_handover(
        vault,
        row.case_id,
        row.outsider_id,
        row.handed_at,
        [i.item for i in row.items],
        through_person_id=row.through_person_id,
        sources_named=row.sources_named,
        note=row.note,
        handover_id=row.id,
    )


def _labels(s: Session, items: Sequence[HandoverItem]) -> dict[tuple[str, int], str]:
    out: dict[tuple[str, int], str] = {}
    opts = sorted({i.option_id for i in items if i.option_id is not None})
    if opts:
        for oid, title in s.execute(select(Option.id, Option.title).where(Option.id.in_(opts))):
            out[("option", oid)] = title
    drafts = sorted({i.draft_id for i in items if i.draft_id is not None})
    if drafts:
        for did, number, title in s.execute(
            select(Draft.id, Draft.number, CaseText.title)
            .join(CaseText, CaseText.id == Draft.text_id)
            .where(Draft.id.in_(drafts))
        ):
            out[("draft", did)] = f"Draft {number} of “{title}”"
    commits = sorted({i.commitment_id for i in items if i.commitment_id is not None})
    if commits:
        for cid, what in s.execute(
            select(Commitment.id, Commitment.what).where(Commitment.id.in_(commits))
        ):
            out[("commitment", cid)] = what
    return out


def _handover_rows(s: Session, handovers: Sequence[Handover]) -> list[HandoverRow]:
    items = [i for h in handovers for i in h.items]
    labels = _labels(s, items)
    outsiders = {
        oid: name
        for oid, name in s.execute(
            select(Outsider.id, Outsider.name).where(
                Outsider.id.in_(sorted({h.outsider_id for h in handovers}))
            )
        )
    }
    people = person_names(s, {h.through_person_id for h in handovers if h.through_person_id})
    out = []
    for h in handovers:
        rows = []
        for i in h.items:
            if i.option_id is not None:
                kind, rid = "option", i.option_id
            elif i.draft_id is not None:
                kind, rid = "draft", i.draft_id
            elif i.commitment_id is not None:
                kind, rid = "commitment", i.commitment_id
            else:
                kind, rid = "finding", None
            label = labels.get((kind, rid), "") if rid is not None else i.finding
            rows.append(HandoverItemRow(i.id, kind, rid, label, _item_of(i)))
        out.append(
            HandoverRow(
                h.id,
                h.case_id,
                h.outsider_id,
                outsiders.get(h.outsider_id, ""),
                h.handed_at,
                h.through_person_id,
                people.get(h.through_person_id, "") if h.through_person_id else "",
                h.sources_named,
                h.note,
                tuple(rows),
            )
        )
    return out


def handovers_of(
    vault: Vault, case_id: int, *, outsider_id: int | None = None
) -> list[HandoverRow]:
    """The case's handovers (to one audience, if given), newest first."""
    with vault.session() as s:
        q = select(Handover).where(Handover.case_id == case_id)
        if outsider_id is not None:
            q = q.where(Handover.outsider_id == outsider_id)
        return _handover_rows(
            s, list(s.scalars(q.order_by(Handover.handed_at.desc(), Handover.id)))
        )


def get_handover(vault: Vault, handover_id: int) -> HandoverRow:
    with vault.session() as s:
        h = s.get(Handover, handover_id)
        if h is None:
            raise NotFound(f"There is no handover #{handover_id}.")
        return _handover_rows(s, [h])[0]


# --- linked cases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CaseLinkRow:
    id: int
    other_case_id: int
    other_title: str
    other_track: Track
    kind: CaseLinkKind
    outgoing: bool  # this case feeds (or relates to) the other
    note: str

    @property
    def words(self) -> str:
        """``Feeds “Exploratory talks” (Track 1.5)`` or ``Fed by “…” (Track 2)``."""
        track = f"Track {self.other_track.value}"
        if self.kind is CaseLinkKind.FEEDS:
            verb = "Feeds" if self.outgoing else "Fed by"
        else:
            verb = "Related to"
        return f"{verb} “{self.other_title}” ({track})"


def link_cases(
    vault: Vault,
    from_case_id: int,
    to_case_id: int,
    *,
    kind: CaseLinkKind | str = CaseLinkKind.FEEDS,
    note: str = "",
) -> int:
    if from_case_id == to_case_id:
        raise ValidationError("A case cannot be linked to itself.")
    with vault.session() as s:
        for cid in (from_case_id, to_case_id):
            if s.get(Case, cid) is None:
                raise NotFound(f"There is no case #{cid}.")
        existing = s.scalar(
            select(CaseLink.id).where(
                or_(
                    (CaseLink.from_case_id == from_case_id) & (CaseLink.to_case_id == to_case_id),
                    (CaseLink.from_case_id == to_case_id) & (CaseLink.to_case_id == from_case_id),
                )
            )
        )
        if existing is not None:
            raise ValidationError("These two cases are already linked.")
        link = CaseLink(
            from_case_id=from_case_id, to_case_id=to_case_id, kind=CaseLinkKind(kind), note=note
        )
        s.add(link)
        s.commit()
        return link.id


def unlink_cases(vault: Vault, link_id: int) -> tuple[int, int, CaseLinkKind, str]:
    """Remove a link; returns (from, to, kind, note) for undo."""
    with vault.session() as s:
        link = s.get(CaseLink, link_id)
        if link is None:
            raise NotFound(f"There is no link #{link_id}.")
        found = (link.from_case_id, link.to_case_id, CaseLinkKind(link.kind), link.note)
        s.delete(link)
        s.commit()
        return found


def links_of(vault: Vault, case_id: int) -> list[CaseLinkRow]:
    """The cases this one feeds or is fed by (both directions), by title."""
    with vault.session() as s:
        out = []
        for link in s.scalars(
            select(CaseLink).where(
                or_(CaseLink.from_case_id == case_id, CaseLink.to_case_id == case_id)
            )
        ):
            outgoing = link.from_case_id == case_id
            other = s.get(Case, link.to_case_id if outgoing else link.from_case_id)
            if other is None:
                continue
            out.append(
                CaseLinkRow(
                    link.id,
                    other.id,
                    other.title,
                    Track(other.track),
                    CaseLinkKind(link.kind),
                    outgoing,
                    link.note,
                )
            )
        return sorted(out, key=lambda r: r.other_title)


__all__ = [
    "CaseLinkRow",
    "HandoverItemRow",
    "HandoverRow",
    "NewHandoverItem",
    "OutsiderRow",
    "create_handover",
    "create_outsider",
    "delete_handover",
    "delete_outsider",
    "get_handover",
    "handover_problems",
    "handovers_of",
    "link_cases",
    "links_of",
    "outsiders_of",
    "restore_handover",
    "unlink_cases",
    "update_handover",
    "update_outsider",
]
