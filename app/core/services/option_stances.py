"""Each party's stance on the options of a case, with its dated history: recording a change,
one option's stances, and the options × parties matrix, paged (a case may hold thousands
of options). The exports read the whole case's stances at once (``case_stance_histories``)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select, tuple_
from sqlalchemy.orm import Session

from app.core.errors import NotFound
from app.core.models import Option, OptionStatus, Stance, StanceKind
from app.core.services.paging import FIRST_PAGE, PAGE, Page, every_page, page_of
from app.core.vault import Vault

# An option in one of these states is no longer on the table and cannot be reworked again.
CLOSED_STATUSES = frozenset(
    {
        OptionStatus.REFINED,
        OptionStatus.MERGED,
        OptionStatus.SPLIT,
        OptionStatus.REJECTED,
        OptionStatus.ADOPTED,
    }
)


@dataclass(frozen=True)
class StanceChange:
    at: datetime
    stance: str
    note: str
    source_session_id: int | None


def stance_history(vault: Vault, option_id: int) -> dict[int, list[StanceChange]]:
    """Per party, every stance it took on the option, oldest first (the last is current)."""
    out: dict[int, list[StanceChange]] = defaultdict(list)
    with vault.session() as s:
        for st in s.scalars(
            select(Stance).where(Stance.option_id == option_id).order_by(Stance.recorded_at)
        ):
            out[st.party_id].append(
                StanceChange(st.recorded_at, st.stance.value, st.note, st.source_session_id)
            )
    return dict(out)


def record_stances(
    vault: Vault,
    option_id: int,
    stances: dict[int, tuple[str, str]],
    *,
    at: datetime | None = None,
    session_id: int | None = None,
) -> list[int]:
    """Record each party's stance on an option as of ``at`` (party id -> (stance, note)).
    Only a change is recorded: a party whose stance is the same as its current one adds
    nothing to the history. Returns the new stance ids."""
    at = at or datetime.now(UTC)
    with vault.transaction() as s:
        option = s.get(Option, option_id)
        if option is None:
            raise NotFound(f"There is no option number {option_id}.")
        current: dict[int, Stance] = {}
        for st in option.stances:  # oldest first: the last one wins
            current[st.party_id] = st
        new: list[Stance] = []
        for party_id, (stance, note) in stances.items():
            kind = StanceKind(stance)
            was = current.get(party_id)
            if was is not None and was.stance == kind and not note.strip():
                continue
            if was is None and kind == StanceKind.UNKNOWN and not note.strip():
                continue
            st = Stance(
                option_id=option_id,
                party_id=party_id,
                stance=kind,
                recorded_at=at,
                note=note.strip(),
                source_session_id=session_id,
            )
            s.add(st)
            new.append(st)
        s.flush()
        return [st.id for st in new]


@dataclass(frozen=True)
class MatrixRow:
    option_id: int
    title: str
    status: str
    history: dict[int, list[StanceChange]]  # party id -> its stances, oldest first


def stance_matrix_page(
    vault: Vault,
    case_id: int,
    *,
    include_closed: bool = False,
    after: Any = None,
    limit: int = FIRST_PAGE,
) -> Page[MatrixRow]:
    """One page of the options matrix: the case's options in the order they were raised
    (open ones only, unless asked), each with every party's stance history. Two bounded
    queries: the page's options from ``ix_options_case_raised`` after the key ``after``
    (raised_on, id), then the stances of those options only (``ix_stances_option_party_at``)."""
    query = select(Option.id, Option.title, Option.status, Option.raised_on).where(
        Option.case_id == case_id
    )
    if not include_closed:
        query = query.where(Option.status.not_in(sorted(CLOSED_STATUSES)))
    if after is not None:
        raised_on, option_id = after
        query = query.where(tuple_(Option.raised_on, Option.id) > (raised_on, option_id))
    with vault.session() as s:
        read = s.execute(query.order_by(Option.raised_on, Option.id).limit(limit + 1)).all()
        page = page_of(list(read), limit, lambda o: (o.raised_on, o.id))
        history = stance_histories(s, [o.id for o in page.rows])
    rows = [MatrixRow(o.id, o.title, o.status.value, history.get(o.id, {})) for o in page.rows]
    return Page(rows, page.after)


def stance_matrix(vault: Vault, case_id: int, *, include_closed: bool = False) -> list[MatrixRow]:
    """The whole matrix (tests, scripts): every page of ``stance_matrix_page``, one
    implementation. The exports read ``case_stance_histories`` instead."""

    def fetch(after: Any, limit: int) -> Page[MatrixRow]:
        return stance_matrix_page(
            vault, case_id, include_closed=include_closed, after=after, limit=limit
        )

    return every_page(fetch, PAGE)


def _histories(rows: Iterable[Any]) -> dict[int, dict[int, list[StanceChange]]]:
    out: dict[int, dict[int, list[StanceChange]]] = {}
    for st in rows:
        out.setdefault(st.option_id, {}).setdefault(st.party_id, []).append(
            StanceChange(st.recorded_at, st.stance.value, st.note, st.source_session_id)
        )
    return out


_STANCE_COLUMNS = (
    Stance.option_id,
    Stance.party_id,
    Stance.stance,
    Stance.recorded_at,
    Stance.note,
    Stance.source_session_id,
)


def stance_histories(
    s: Session, option_ids: Sequence[int]
) -> dict[int, dict[int, list[StanceChange]]]:
    """Every stance taken on these options (a page of them): option id -> party id -> its
    stances, oldest first (the last is current). The parties come in the order of their
    first stance, as in ``case_stance_histories``."""
    if not option_ids:
        return {}
    return _histories(
        s.execute(
            select(*_STANCE_COLUMNS)
            .where(Stance.option_id.in_(option_ids))
            .order_by(Stance.option_id, Stance.recorded_at, Stance.id)
        )
    )


def case_stance_histories(s: Session, case_id: int) -> dict[int, dict[int, list[StanceChange]]]:
    """Every stance taken on a case's options, in one query: option id -> party id -> its
    stances, oldest first (the last is current). For exports that show the whole case."""
    return _histories(
        s.execute(
            select(*_STANCE_COLUMNS)
            .join(Option, Option.id == Stance.option_id)
            .where(Option.case_id == case_id)
            .order_by(Stance.recorded_at, Stance.id)
        )
    )
