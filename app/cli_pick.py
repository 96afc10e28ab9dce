"""Which record a command-line argument names: a case, a party, an outside audience or a
text, by id, by exact name or by a unique part of it; and the error the ``liaison`` command
turns into one line."""

from __future__ import annotations

from typing import TYPE_CHECKING

from app.core.errors import LiaisonError
from app.terminal import label as _label

if TYPE_CHECKING:
    from app.core.vault import Vault


class UserError(LiaisonError):
    """The user's problem, told in one line (exit code 1)."""


def resolve_case(vault: Vault, spec: str | None) -> int:
    """A case by id or title; may be omitted when the vault holds one case."""
    from sqlalchemy import select

    from app.core.models import Case

    with vault.session() as s:
        cases = [
            (cid, title) for cid, title in s.execute(select(Case.id, Case.title).order_by(Case.id))
        ]
    if spec is None:
        if len(cases) == 1:
            return cases[0][0]
        if not cases:
            raise UserError("The vault holds no case to export.")
        listing = ", ".join(f"{cid} “{_label(title)}”" for cid, title in cases[:8])
        raise UserError(f"The vault holds {len(cases)} cases; choose one with --case: {listing}.")
    return _pick(spec, cases, "case", "in this vault")


def resolve_party(vault: Vault, case_id: int, spec: str) -> int:
    from sqlalchemy import select

    from app.core.models import Party

    with vault.session() as s:
        parties = [
            (pid, name)
            for pid, name in s.execute(
                select(Party.id, Party.name).where(Party.case_id == case_id).order_by(Party.id)
            )
        ]
    return _pick(spec, parties, "party", "in this case")


def resolve_outsider(vault: Vault, case_id: int, spec: str | None) -> int:
    """An outside audience of the case (a debrief's), by id or name; an unknown one is told
    with the case's outside audiences listed."""
    from app.core.services.handovers import outsiders_of

    outsiders = [(o.id, o.name) for o in sorted(outsiders_of(vault, case_id), key=lambda o: o.id)]
    if not outsiders:
        raise UserError("This case has no outside audience to prepare a debrief for.")
    listing = ", ".join(f"{oid} “{_label(name)}”" for oid, name in outsiders[:8])
    if spec is None:
        raise UserError(
            f"A debrief is for an outside audience; choose one with --audience: {listing}."
        )
    return _pick(
        spec,
        outsiders,
        "outside audience",
        "in this case",
        known=f"; the case's outside audiences: {listing}",
    )


def _pick(
    spec: str, choices: list[tuple[int, str]], what: str, where: str, *, known: str = ""
) -> int:
    """By id, then by exact name (any case), then by a unique part of the name; ``known``
    ends the sentence that says there is none (a listing of the choices)."""
    text = spec.strip()
    if text.isdigit() and int(text) in {cid for cid, _ in choices}:
        return int(text)
    folded = text.casefold()
    for matches in (
        [c for c in choices if c[1].casefold() == folded],
        [c for c in choices if folded and folded in c[1].casefold()],
    ):
        if len(matches) == 1:
            return matches[0][0]
        if len(matches) > 1:
            listing = ", ".join(f"{cid} “{_label(name)}”" for cid, name in matches[:8])
            raise UserError(f"“{spec}” matches several of them; give the {what}'s id: {listing}.")
    raise UserError(f"There is no {what} “{spec}” {where}{known}.")


def resolve_text(vault: Vault, case_id: int, spec: str | None) -> int:
    """A text of the case by id or title; may be omitted when the case holds one."""
    from app.core.services.texts import texts_of_case

    texts = [(t.id, t.title) for t in sorted(texts_of_case(vault, case_id), key=lambda t: t.id)]
    if spec is not None:
        return _pick(spec, texts, "text", "in this case")
    if len(texts) == 1:
        return texts[0][0]
    if not texts:
        raise UserError("This case holds no text to export.")
    listing = ", ".join(f"{tid} “{_label(title)}”" for tid, title in texts[:8])
    raise UserError(f"The case holds {len(texts)} texts; choose one with --text: {listing}.")
