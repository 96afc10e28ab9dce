"""The demo's commitments: the chapter of the Korvan story told as promises kept and broken,
what went up to Track I, and the Track 1.5 talks the dialogue feeds.

Ten commitments of the Korvan case, with every outcome: the KHM's release of twelve soldiers
(kept, seen by an ICRC delegate), the army's pull-back from the Tsera road (kept) and the
KHM's promise to open the road to the market convoy once it was done (conditional on it,
partly kept), the government's detainee list (kept late) and the KHM's (kept, as written in
draft 3 of the working paper), a field commanders' promise made in confidence (broken), an
unattributed promise from the informal channel in Dravin (withdrawn), and three still
pending: the names for the safe-passage list (overdue), the Interior Ministry's written
safe-passage guarantee (due soon) and the council's standing promise, made at the first
consultation, not to talk to the press (no due date).

Two outside audiences are given what the rules let them have: the Joint Monitoring Mission
(the road commitments and a finding, sources named) and Deputy Foreign Minister Ilsa Varenne
of Valmark, the sponsoring state (two options, two kept commitments and a finding, without
names). No draft of the working paper goes up: each rests on the Lake Orvel workshop, held
under the Chatham House Rule, at whose table no outsider sat, so the rule refuses it. A
small third case, the Track 1.5 exploratory talks Valmark hosts, is linked as the case the
dialogue feeds.

Everything goes through the services (app.core.services.commitments, handovers, records), so
every course rule and every disclosure rule is checked as a user's edit would be. The
services stamp records with today's date; :func:`_restamp` gives them the story's.

**Today.** The rest of the demo has fixed dates (the story ends in late November 2026) and no
"now". Two pending commitments are the exception: their due dates are counted from the day
the demo is built (``today``, by default the UTC date of the build), :data:`OVERDUE_BY` days
before it and :data:`DUE_IN` days after, so that the register, the case overview and Go ▸
Upcoming show one overdue and one due-soon commitment whenever the demo is made. Neither is
due before the day it was promised.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import select, true, update
from sqlalchemy.orm import Session

from app.core.demo_paper import Cast, one_record
from app.core.demo_texts import TEXT_TITLE
from app.core.models import (
    Case,
    CaseLink,
    CaseSession,
    CaseText,
    Clause,
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    Disclosure,
    Draft,
    Handover,
    Message,
    Option,
    Outsider,
    OutsiderKind,
    Person,
    Verification,
    utcnow,
)
from app.core.services.commitments import (
    NewCommitment,
    NewOutcome,
    create_commitment,
    record_outcome,
)
from app.core.services.handovers import (
    NewHandoverItem,
    create_handover,
    create_outsider,
    link_cases,
)
from app.core.services.records import Records
from app.core.vault import Vault

TRACK_15_TITLE = "Veskaria–KHM exploratory talks"
VARENNE = "Deputy Foreign Minister Ilsa Varenne"
MONITORS = "Joint Monitoring Mission"
# The two pending commitments that show as overdue and due soon: due this many days before
# and after the day the demo is built.
OVERDUE_BY = 5
DUE_IN = 9

SHAREABLE = Disclosure.SHAREABLE
KEPT, KEPT_LATE = CommitmentStatus.KEPT, CommitmentStatus.KEPT_LATE
PARTLY_KEPT, BROKEN = CommitmentStatus.PARTLY_KEPT, CommitmentStatus.BROKEN
WITHDRAWN = CommitmentStatus.WITHDRAWN
OUTSIDE, NOTE = Verification.OUTSIDE, Verification.NOTE


def _at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


class _Cast(Cast):
    """The working-paper chapter's records of the main case, and the few more this chapter
    names: the embargoed release message, the first consultation, two options, four people,
    and the clause on detainee lists as draft 3 of the working paper put it."""

    def __init__(self, s: Session, case_id: int) -> None:
        super().__init__(s, case_id)

        def find(model: Any, column: Any, prefix: str) -> int:
            return one_record(s, model, model.case_id == case_id, column, prefix)

        def person(name: str) -> int:
            return one_record(s, Person, true(), Person.name, name)

        self.m8_release = find(Message, Message.summary, "KHM to release twelve")
        self.consult = find(CaseSession, CaseSession.title, "Consultation with the KHM")
        self.road_commission = find(Option, Option.title, "Civilian road commission")
        self.detainee_package = find(Option, Option.title, "Detainee package")
        self.mtvarishvili = person("Giorgi Mtvarishvili")
        self.solvek = person("Darina Solvek")
        self.belenko = person("Arkady Belenko")
        self.castellan = person("Mira Castellan")
        text_id = find(CaseText, CaseText.title, TEXT_TITLE)
        draft_3 = select(Draft.id).where(Draft.text_id == text_id, Draft.number == 3)
        self.lists_in_draft_3 = one_record(
            s, Clause, Clause.draft_id.in_(draft_3), Clause.wording, "Each side hands Lanterna"
        )


@dataclass
class Built:
    """What the chapter made, by the story's names for it, and when the story says each
    record was made (the services stamp them with today's date)."""

    case_id: int
    commitments: dict[str, int] = field(default_factory=dict)
    outsiders: dict[str, int] = field(default_factory=dict)
    handovers: dict[str, int] = field(default_factory=dict)
    track_15: int = 0
    link: int = 0
    # Record kind -> id -> when the story says it was made (for _restamp).
    stamps: dict[type[Any], dict[int, datetime]] = field(default_factory=dict)

    def stamp(self, model: type[Any], record_id: int, at: datetime | date) -> None:
        when = at if isinstance(at, datetime) else datetime.combine(at, time(18), tzinfo=UTC)
        self.stamps.setdefault(model, {})[record_id] = when


def build_demo_commitments(vault: Vault, case_title: str, *, today: date | None = None) -> Built:
    """Write the commitments, handovers and the linked Track 1.5 case into the demo case
    called ``case_title``; ``today`` (default: the UTC date now) dates the pending ones."""
    day = today or utcnow().date()
    with vault.session() as s:
        case_id = one_record(s, Case, true(), Case.title, case_title)
        cast = _Cast(s, case_id)
    built = Built(case_id)
    _commitments(vault, cast, built, day)
    _handovers(vault, cast, built)
    _exploratory_talks(vault, built)
    _restamp(vault, built)
    return built


# --- the story ------------------------------------------------------------------------------


def _promise(
    vault: Vault, built: Built, name: str, party_id: int, what: str, made: datetime, **kw: Any
) -> int:
    kw.setdefault("disclosure", SHAREABLE)
    cid = create_commitment(
        vault, built.case_id, NewCommitment(party_id=party_id, what=what, made_at=made, **kw)
    )
    built.commitments[name] = cid
    built.stamp(Commitment, cid, made)
    return cid


def _outcome(vault: Vault, built: Built, name: str, outcome: NewOutcome) -> None:
    eid = record_outcome(vault, built.commitments[name], outcome)
    built.stamp(CommitmentEvent, eid, outcome.on)


def _commitments(vault: Vault, c: _Cast, b: Built, today: date) -> None:
    _promise(
        vault,
        b,
        "twelve soldiers",
        c.khm,
        "Release twelve detained government soldiers at the northern crossing, unilaterally, "
        "by 15 June 2026.",
        _at(2026, 5, 4, 8, 0),
        person_id=c.korvaneli,
        to_party_id=c.gov,
        due_on=date(2026, 6, 15),
        disclosure=Disclosure.EMBARGOED,
        embargo_until=_at(2026, 6, 15, 7, 0),
        source_message_id=c.m8_release,
        note="In writing from Korvaneli; not to be passed on before the KHM announced it.",
    )
    _outcome(
        vault,
        b,
        "twelve soldiers",
        NewOutcome(
            date(2026, 6, 15),
            KEPT,
            verified_by="ICRC delegate at the northern crossing",
            how=OUTSIDE,
            note="All twelve crossed at 06:40; the delegate checked each name against the list.",
        ),
    )

    _promise(
        vault,
        b,
        "pull-back",
        c.gov,
        "Pull the army's forward posts back 5 km from the Tsera Pass road at the Kaldavi bend.",
        _at(2026, 9, 15, 8, 0),
        person_id=c.velimirov,
        to_party_id=c.khm,
        due_on=date(2026, 10, 5),
        note="Said by the Deputy Minister as he handed over the draft package; the General "
        "Staff signed it off on 29 September.",
    )
    _promise(
        vault,
        b,
        "market convoy",
        c.khm,
        "Open the Tsera Pass road to the weekly market convoy from the valley, with no armed "
        "men at the KHM's checkpoints.",
        _at(2026, 9, 17, 9, 30),
        person_id=c.gelovani,
        to_party_id=c.gov,
        condition="Once the army's forward posts are 5 km back from the road.",
        condition_id=b.commitments["pull-back"],
        due_on=date(2026, 10, 20),
        note="Gelovani's answer when the package was handed over at the council's office.",
    )
    _outcome(
        vault,
        b,
        "pull-back",
        NewOutcome(
            date(2026, 10, 3),
            KEPT,
            verified_by="Joint Monitoring Mission patrol",
            how=OUTSIDE,
            note="Two posts moved back to the ridge above Kaldavi; the third was empty already.",
        ),
    )
    _outcome(
        vault,
        b,
        "market convoy",
        NewOutcome(
            date(2026, 10, 14),
            PARTLY_KEPT,
            verified_by="Women's Peace Circle observers on the convoy",
            how=OUTSIDE,
            note="Eleven of fourteen trucks reached Tsera. Three with building materials were "
            "turned back at the Kaldavi bend by armed men the council says it does not command.",
        ),
    )

    _promise(
        vault,
        b,
        "government list",
        c.gov,
        "Hand Lanterna the list of the persons the government holds in connection with the "
        "conflict by 30 October 2026.",
        _at(2026, 9, 15, 8, 0),
        person_id=c.velimirov,
        due_on=date(2026, 10, 30),
        source_message_id=c.m11_package,
    )
    _outcome(
        vault,
        b,
        "government list",
        NewOutcome(
            date(2026, 11, 6),
            KEPT_LATE,
            verified_by="Noa Levinson (Lanterna), who collected it at the ministry",
            how=NOTE,
            note="Forty-one names. A week late: the Interior Ministry had to sign every page.",
        ),
    )
    _promise(
        vault,
        b,
        "KHM list",
        c.khm,
        "Hand Lanterna the council's list of the persons it holds, by the date the working "
        "paper sets (30 October 2026).",
        _at(2026, 10, 8, 11, 0),
        person_id=c.korvaneli,
        due_on=date(2026, 10, 30),
        source_clause_id=c.lists_in_draft_3,
        note="Confirmed in the council's written comments on draft 3.",
    )
    _outcome(
        vault,
        b,
        "KHM list",
        NewOutcome(
            date(2026, 10, 28),
            KEPT,
            verified_by="Noa Levinson (Lanterna)",
            how=NOTE,
            note="Nine names, two of them soldiers missing since 2020.",
        ),
    )

    _promise(
        vault,
        b,
        "commanders",
        c.khm,
        "The Kaldavi commanders keep their men off the pass road while the market convoy crosses.",
        _at(2026, 9, 22, 12, 30),
        person_id=c.mtvarishvili,
        due_on=date(2026, 10, 20),
        disclosure=Disclosure.CONFIDENTIAL,
        note="Mtvarishvili, at the café near Kaldavi, for me alone: the council must not know "
        "the commanders were asked, and Dravin must never hear it.",
    )
    _outcome(
        vault,
        b,
        "commanders",
        NewOutcome(
            date(2026, 10, 14),
            BROKEN,
            verified_by="the market committee's chair, by phone",
            how=OUTSIDE,
            note="Armed men at the Kaldavi bend turned back the last three trucks. "
            "Mtvarishvili says one commander acted alone.",
        ),
    )

    _promise(
        vault,
        b,
        "no detentions",
        c.gov,
        "A written instruction to the checkpoints that families on the Women's Circle's lists "
        "are not detained when they cross for the autumn remembrance day.",
        _at(2026, 10, 12, 17, 0),
        person_id=c.solvek,
        to_party_id=c.circle,
        due_on=date(2026, 10, 31),
        disclosure=Disclosure.UNATTRIBUTED,
        note="Solvek, on the informal channel, after the displaced families' request of "
        "8 October. May reach the Women's Circle without saying where it came from.",
    )
    _outcome(
        vault,
        b,
        "no detentions",
        NewOutcome(
            date(2026, 10, 26),
            WITHDRAWN,
            how=NOTE,
            note="Solvek took it back: nothing in writing while the coalition talks go on. The "
            "families crossed on the Circle's lists without it; no one was held.",
        ),
    )

    # Pending: dated from the day of the build (see the module's docstring).
    names_made = _at(2026, 11, 19, 10, 30)
    _promise(
        vault,
        b,
        "participants' names",
        c.khm,
        "Send Lanterna the names of the valley participants in Workshop II, each with the "
        "person's consent, for the safe-passage list.",
        names_made,
        person_id=c.korvaneli,
        to_party_id=c.gov,
        due_on=max(today - timedelta(days=OVERDUE_BY), names_made.date()),
        note="Korvaneli on the video call of 19 November. Noa sends the list on to the "
        "checkpoints directorate once every person has agreed.",
    )
    passage_made = _at(2026, 11, 18, 8, 0)
    _promise(
        vault,
        b,
        "safe passage",
        c.gov,
        "Confirm in writing the safe passage of the valley participants to the northern "
        "crossing on 19 January.",
        passage_made,
        person_id=c.belenko,
        to_party_id=c.khm,
        condition="Once the checkpoints directorate has the participants' names.",
        due_on=max(today + timedelta(days=DUE_IN), passage_made.date()),
        source_message_id=c.m17_passage,
    )
    _promise(
        vault,
        b,
        "no press",
        c.khm,
        "No one from the political council speaks to the press about the talks before the "
        "parliamentary elections.",
        _at(2026, 2, 19, 12, 30),
        person_id=c.gelovani,
        source_session_id=c.consult,
        note="Said at the first sit-down with the council; repeated at Lake Orvel.",
    )


def _handovers(vault: Vault, c: _Cast, b: Built) -> None:
    monitors = create_outsider(
        vault,
        b.case_id,
        MONITORS,
        kind=OutsiderKind.INSTITUTION,
        organisation="Joint Monitoring Mission on the Tsera contact line",
        notes="Civilian observers on the contact line since 2021. Their patrols see what "
        "happens on the road; they take no part in the talks.",
    )
    varenne = create_outsider(
        vault,
        b.case_id,
        VARENNE,
        kind=OutsiderKind.OFFICIAL,
        organisation="Foreign Ministry of Valmark (the sponsoring state)",
        notes="Valmark pays for Workshop II and hosts the Track 1.5 exploratory talks. Briefed "
        "in person; nothing that names a participant.",
    )
    b.outsiders = {MONITORS: monitors, VARENNE: varenne}
    b.stamp(Outsider, monitors, _at(2026, 10, 21, 9, 0))
    b.stamp(Outsider, varenne, _at(2026, 11, 24, 9, 0))

    road_at = _at(2026, 10, 21, 10, 0)
    b.handovers[MONITORS] = create_handover(
        vault,
        b.case_id,
        monitors,
        road_at,
        [
            NewHandoverItem(commitment_id=b.commitments["pull-back"]),
            NewHandoverItem(commitment_id=b.commitments["market convoy"]),
            NewHandoverItem(
                finding="On 14 October eleven of the fourteen trucks of the market convoy "
                "reached Tsera; three with building materials were turned back at the "
                "Kaldavi bend."
            ),
        ],
        through_person_id=c.castellan,
        sources_named=True,
        note="Which road steps could the Mission's patrols watch? Both sides had agreed that "
        "the road steps be shared with it, with their names.",
    )
    brief_at = _at(2026, 11, 24, 10, 0)
    b.handovers[VARENNE] = create_handover(
        vault,
        b.case_id,
        varenne,
        brief_at,
        [
            NewHandoverItem(option_id=c.road_commission),
            NewHandoverItem(option_id=c.detainee_package),
            NewHandoverItem(commitment_id=b.commitments["twelve soldiers"]),
            NewHandoverItem(commitment_id=b.commitments["government list"]),
            NewHandoverItem(
                finding="Both sides take the working paper as the basis for Workshop II in "
                "January; how many elders sit on the road commission is the open point.",
                finding_message_id=c.m16_basis,
            ),
        ],
        through_person_id=c.castellan,
        note="Debrief at the embassy in Dravin before Valmark decides on the Workshop II "
        "budget. Substance only, no names. The working paper stays with the parties: it "
        "rests on the Lake Orvel workshop (Chatham House Rule).",
    )
    b.stamp(Handover, b.handovers[MONITORS], road_at)
    b.stamp(Handover, b.handovers[VARENNE], brief_at)


def _exploratory_talks(vault: Vault, b: Built) -> None:
    """The Track 1.5 case the dialogue feeds: two delegations and their first round."""
    opened = _at(2026, 11, 24, 18, 0)
    stamps = {"created_at": opened, "updated_at": opened}
    r = Records(vault)
    b.track_15 = r.create(
        "case",
        title=TRACK_15_TITLE,
        summary="Exploratory talks between officials of the Government of Veskaria and the "
        "KHM political council, hosted by the Foreign Ministry of Valmark. Lanterna is not at "
        "the table: what the Korvan dialogue finds reaches the talks through Deputy Foreign "
        "Minister Varenne.",
        track="1.5",
        status="active",
        started_on=opened.date(),
        **stamps,
    )
    for name, kind in (
        ("Veskarian government delegation", "government"),
        ("KHM delegation", "political_movement"),
    ):
        r.create("party", case_id=b.track_15, name=name, kind=kind, **stamps)
    r.create(
        "session",
        case_id=b.track_15,
        title="First exploratory round",
        kind="joint_workshop",
        status="planned",
        starts_at=_at(2027, 2, 9, 9, 0),
        ends_at=_at(2027, 2, 10, 13, 0),
        place="Valmark, the Foreign Ministry's guesthouse",
        ground_rules="Nothing said is binding; no statement to the press by either side.",
        **stamps,
    )
    b.link = link_cases(
        vault,
        b.case_id,
        b.track_15,
        note="What the Korvan dialogue finds goes up to these talks through Deputy Foreign "
        "Minister Varenne: substance only, no names, nothing said in confidence.",
    )
    b.stamp(CaseLink, b.link, opened)


# --- the story's dates ---------------------------------------------------------------------


def _restamp(vault: Vault, b: Built) -> None:
    """The story's dates on what the services stamped with today's."""
    with vault.transaction() as s:
        for model, stamps in b.stamps.items():
            for record_id, at in stamps.items():
                s.execute(
                    update(model).where(model.id == record_id).values(created_at=at, updated_at=at)
                )


__all__ = ["MONITORS", "TRACK_15_TITLE", "VARENNE", "Built", "build_demo_commitments"]
