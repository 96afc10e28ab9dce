"""Who an export is for, and what that audience may not see.

An export is for "me" (the mediator: everything) or for one party of the case. For a party
the documents leave out

* every message the party may not see, per the shuttle service's disclosure rules
  (``app.core.services.shuttle.audience_filter``), and the source of those it may see
  without being told who said them;
* the mediator's notes (journal), session notes other than agreements, other parties'
  profiles and stances, deliveries to other parties, people who are not of this party
  (except as participants of the sessions it took part in), contact channels, sessions the
  party did not take part in, options raised in a message it may not see, and actions that
  are not from its sessions nor owned by its people.

What is left out is only **counted** (``withheld``), never listed. With ``codenames``
people are shown by their codename wherever they have one, also inside free text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.core.models import Affiliation, Party, Person
from app.core.services.shuttle import AudienceView, audience_filter
from app.core.vault import Vault


@dataclass
class Audience:
    """The audience of one export and the count of what was left out for it."""

    party_id: int | None
    party_name: str
    codenames: bool
    view: AudienceView | None = None
    withheld: int = 0
    # The people of the audience party (by affiliation), for what a party may see of people.
    own_people: frozenset[int] = field(default_factory=frozenset)

    @property
    def is_me(self) -> bool:
        return self.party_id is None

    @property
    def label(self) -> str:
        return "For: me" if self.is_me else f"For: {self.party_name}"

    def may_see(self, message_id: int) -> bool:
        return self.view is None or self.view.may_see(message_id)

    def may_name_source(self, message_id: int) -> bool:
        return self.view is None or self.view.may_name_source(message_id)

    def withhold(self, n: int = 1) -> None:
        self.withheld += n

    def withheld_sentence(self) -> str:
        if self.withheld == 0:
            return "Nothing was withheld."
        noun = "item" if self.withheld == 1 else "items"
        return f"{self.withheld:,} {noun} withheld"


def make_audience(
    vault: Vault,
    case_id: int | None,
    party_id: int | None,
    *,
    codenames: bool = False,
    at: datetime | None = None,
) -> Audience:
    """The audience "me" (``party_id`` None) or a party of the case."""
    if party_id is None:
        return Audience(None, "me", codenames)
    with vault.session() as s:
        party = s.get(Party, party_id)
        if party is None or (case_id is not None and party.case_id != case_id):
            raise NotFound(f"There is no party #{party_id} in this case.")
        name = party.name
        own = frozenset(
            s.scalars(select(Affiliation.person_id).where(Affiliation.party_id == party_id))
        )
    view = audience_filter(vault, party.case_id, party_id, at=at)
    return Audience(party_id, name, codenames, view, own_people=own)


class Names:
    """People's names as this export shows them: the codename instead when asked for (and
    set), also where a name appears inside free text."""

    def __init__(self, s: Session, codenames: bool, person_ids: Iterable[int] | None = None):
        query = select(Person.id, Person.name, Person.codename)
        if person_ids is not None:
            ids = list(set(person_ids))
            rows: list[Any] = []
            for start in range(0, len(ids), 500):
                rows += s.execute(query.where(Person.id.in_(ids[start : start + 500]))).all()
        else:
            rows = list(s.execute(query).all())
        self.codenames = codenames
        self._shown: dict[int, str] = {}
        swaps: dict[str, str] = {}
        for pid, name, codename in rows:
            use = codename if codenames and codename else name
            self._shown[pid] = use
            if codenames and codename and len(name.strip()) >= 3:
                swaps[name.strip().casefold()] = codename
        self._swaps = swaps
        self._pattern = (
            re.compile(
                r"(?<!\w)("
                + "|".join(re.escape(n) for n in sorted(swaps, key=len, reverse=True))
                + r")(?!\w)",
                re.IGNORECASE,
            )
            if swaps
            else None
        )

    def person(self, person_id: int | None) -> str:
        if person_id is None:
            return ""
        return self._shown.get(person_id, f"person #{person_id}")

    def text(self, value: str) -> str:
        """``value`` with every full name of a person with a codename replaced by it."""
        if self._pattern is None or not value:
            return value
        return self._pattern.sub(lambda m: self._swaps[m.group(1).casefold()], value)
