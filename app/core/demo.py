"""The demo notebook, and the scale generator for benchmarks.

Everything here is fiction: the Republic of Veskaria, the Korvan Highlands, the Orun Delta,
every party, person, place, telephone number and address is invented. The demo is what a
new user sees first, so it is meant to read like a real Track II notebook: a shuttle
process over four rounds with messages of every disclosure level, two workshops, options
whose stances change, and the mediator's own journal.

``build_demo`` is deterministic (fixed UTC dates, no randomness, no "now"), except for the
audit log, which truthfully records when the records were created, and the due dates of two
pending commitments, counted from the day of the build (app.core.demo_commitments).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from app.core.demo_commitments import build_demo_commitments
from app.core.demo_texts import build_demo_texts
from app.core.models import (
    Action,
    Affiliation,
    AgendaItem,
    Attachment,
    Capacity,
    Case,
    CaseSession,
    CaseStatus,
    Channel,
    ChannelKind,
    Delivery,
    DeliveryItem,
    Disclosure,
    LineageKind,
    Message,
    Note,
    Option,
    OptionLink,
    OptionStatus,
    Participant,
    Party,
    PartyKind,
    Person,
    ProfileEntry,
    ProfileKind,
    RaisedBy,
    Release,
    Round,
    SessionKind,
    SessionNote,
    SessionNoteKind,
    SessionStatus,
    Stance,
    StanceKind,
    Tag,
    Tagging,
    Track,
    option_interests,
)
from app.core.models.base import Base, Timestamped
from app.core.vault import Vault

DEMO_PASSPHRASE = "demo"
DEMO_CASE_TITLE = "Korvan Highlands dialogue"
DEMO_DORMANT_CASE_TITLE = "Orun Delta water-sharing dialogue"

_B = TypeVar("_B", bound=Base)


def _at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


class _Builder:
    """Adds records with creation times that match the story rather than today."""

    def __init__(self, s: Session) -> None:
        self.s = s

    def put(self, obj: _B, at: datetime | date) -> _B:
        if isinstance(obj, Timestamped):
            when = at if isinstance(at, datetime) else datetime.combine(at, time(9), tzinfo=UTC)
            obj.created_at = when
            obj.updated_at = when
        self.s.add(obj)
        return obj

    def person(
        self,
        name: str,
        *,
        role: str,
        languages: str,
        at: date,
        codename: str | None = None,
        notes: str = "",
        channels: Sequence[tuple[ChannelKind, str, str]] = (),
    ) -> Person:
        p = Person(name=name, codename=codename, role=role, languages=languages, notes=notes)
        for kind, value, label in channels:
            p.channels.append(Channel(kind=kind, value=value, label=label))
        return self.put(p, at)

    def affiliate(
        self,
        person: Person,
        party: Party,
        role: str,
        capacity: Capacity,
        since: date,
    ) -> Affiliation:
        a = Affiliation(person=person, party=party, role=role, capacity=capacity, since=since)
        return self.put(a, since)

    def profile(
        self,
        party: Party,
        kind: ProfileKind,
        text: str,
        recorded_on: date,
        *,
        retired_on: date | None = None,
        session: CaseSession | None = None,
        message: Message | None = None,
    ) -> ProfileEntry:
        e = ProfileEntry(
            party=party,
            kind=kind,
            text=text,
            recorded_on=recorded_on,
            retired_on=retired_on,
            source_session_id=session.id if session else None,
            source_message_id=message.id if message else None,
        )
        return self.put(e, recorded_on)

    def message(
        self,
        case: Case,
        rnd: Round | None,
        *,
        sender: Party,
        sender_person: Person | None,
        recipient: Party | None,
        recipient_person: Person | None,
        said_at: datetime,
        place: str,
        content: str,
        summary: str,
        disclosure: Disclosure,
        embargo_until: datetime | None = None,
        reply_to: Message | None = None,
    ) -> Message:
        m = Message(
            case_id=case.id,
            round_id=rnd.id if rnd else None,
            sender_party_id=sender.id,
            sender_person_id=sender_person.id if sender_person else None,
            recipient_party_id=recipient.id if recipient else None,
            recipient_person_id=recipient_person.id if recipient_person else None,
            said_at=said_at,
            place=place,
            content=content,
            summary=summary,
            disclosure=disclosure,
            embargo_until=embargo_until,
            in_reply_to=reply_to,
        )
        self.put(m, said_at)
        self.s.flush()  # ids in the order of the story (replies would otherwise go last)
        return m

    def deliver(
        self,
        case: Case,
        rnd: Round | None,
        *,
        to: Party,
        to_person: Person | None,
        at: datetime,
        place: str,
        content: str,
        items: Sequence[tuple[Message, bool]],
        notes: str = "",
    ) -> Delivery:
        d = Delivery(
            case_id=case.id,
            round_id=rnd.id if rnd else None,
            recipient_party_id=to.id,
            recipient_person_id=to_person.id if to_person else None,
            delivered_at=at,
            place=place,
            content=content,
            notes=notes,
        )
        for msg, attributed in items:
            d.items.append(DeliveryItem(message_id=msg.id, attributed=attributed))
        return self.put(d, at)

    def link(self, option: Option, parent: Option, kind: LineageKind, on: date) -> None:
        self.s.add(OptionLink(option_id=option.id, parent_id=parent.id, kind=kind, linked_on=on))

    def stances(
        self, option: Option, party: Party, history: Sequence[tuple[StanceKind, datetime, str]]
    ) -> None:
        for kind, at, note in history:
            option.stances.append(Stance(party_id=party.id, stance=kind, recorded_at=at, note=note))

    def session_note(
        self,
        session: CaseSession,
        kind: SessionNoteKind,
        at: datetime,
        text: str,
        *,
        person: Person | None = None,
        party: Party | None = None,
    ) -> SessionNote:
        n = SessionNote(
            kind=kind,
            noted_at=at,
            text=text,
            person_id=person.id if person else None,
            party_id=party.id if party else None,
        )
        session.notes.append(n)
        return self.put(n, at)

    def participants(
        self, session: CaseSession, people: Iterable[tuple[Person, Party | None, Capacity]]
    ) -> None:
        for person, party, capacity in people:
            session.participants.append(
                Participant(
                    person_id=person.id, party_id=party.id if party else None, capacity=capacity
                )
            )

    def agenda(self, session: CaseSession, items: Sequence[tuple[str, str, int | None]]) -> None:
        for pos, (title, notes, minutes) in enumerate(items, start=1):
            session.agenda.append(
                AgendaItem(position=pos, title=title, notes=notes, minutes=minutes)
            )

    def tag(self, tag: Tag, *records: Base) -> None:
        for r in records:
            rid = getattr(r, "id", None)
            assert rid is not None, "flush before tagging"
            self.s.add(Tagging(tag_id=tag.id, record_kind=r.__kind__, record_id=rid))


PHONE, EMAIL, MESSENGER, ADDRESS = (
    ChannelKind.PHONE,
    ChannelKind.EMAIL,
    ChannelKind.MESSENGER,
    ChannelKind.ADDRESS,
)
OFFICIAL, UNOFFICIAL, PERSONAL = Capacity.OFFICIAL, Capacity.UNOFFICIAL, Capacity.PERSONAL
SUPPORTS, OPEN, OPPOSES, UNKNOWN = (
    StanceKind.SUPPORTS,
    StanceKind.OPEN,
    StanceKind.OPPOSES,
    StanceKind.UNKNOWN,
)
SHAREABLE, UNATTRIBUTED, CONFIDENTIAL, EMBARGOED = (
    Disclosure.SHAREABLE,
    Disclosure.UNATTRIBUTED,
    Disclosure.CONFIDENTIAL,
    Disclosure.EMBARGOED,
)

MINISTRY = "Ministry of Reintegration, Dravin"
COUNCIL_OFFICE = "Tsera, the political council's office"
VALLEY_GUESTHOUSE = "a guesthouse in the upper valley"
LAKE_ORVEL = "Retreat centre by Lake Orvel (neighbouring country)"
MIRA = "Mira Castellan"

_AGENDA_DRAFT = """\
Joint workshop II - humanitarian package (DRAFT, not for circulation)
Lake Orvel, 19-21 January 2027

Tue 19  14:00  Arrival, welcome dinner (separate tables are fine)
Wed 20  09:00  Opening: what has changed since July
        10:00  The road commission: composition and mandate
        14:00  Detainee lists and family visits
        16:30  Security arrangements: a first conversation
Thu 21  09:00  Next steps and communication to the public
        12:00  Close

Chatham House Rule. Everyone attends in a personal capacity.
"""


def build_demo(vault: Vault) -> None:
    """Fill an empty, unlocked vault with the fictional demo notebook."""
    with vault.transaction() as s:
        if s.scalar(select(func.count()).select_from(Case)):
            raise ValueError("The demo notebook goes into an empty vault; this one has cases.")
        b = _Builder(s)
        _build_main_case(b)
        _build_dormant_case(b)
    build_demo_texts(vault, DEMO_CASE_TITLE)  # through the text services: app.core.demo_texts
    # Commitments, handovers and the Track 1.5 case it feeds: app.core.demo_commitments (the
    # pending commitments are due relative to the day of the build, see its docstring).
    build_demo_commitments(vault, DEMO_CASE_TITLE)


def _build_main_case(b: _Builder) -> None:
    s = b.s
    case = b.put(
        Case(
            title=DEMO_CASE_TITLE,
            summary=(
                "Track II dialogue between the Government of the Republic of Veskaria and the "
                "Korvan Highlands Movement (KHM), facilitated by the Lanterna Dialogue "
                "Initiative since November 2025.\n\n"
                "The conflict has been frozen since the 2019–2021 fighting in the highlands; "
                "the contact line runs along the Tsera Pass. The process starts with "
                "humanitarian confidence-building (the pass road, detainees, family visits) "
                "and leaves the status question for later. Parliamentary elections in Veskaria "
                "are due in spring 2027."
            ),
            track=Track.TWO,
            status=CaseStatus.ACTIVE,
            started_on=date(2025, 11, 3),
        ),
        date(2025, 11, 3),
    )

    # --- parties ----------------------------------------------------------------------
    gov = b.put(
        Party(
            case=case,
            name="Government of Veskaria",
            kind=PartyKind.GOVERNMENT,
            description=(
                "The government in Dravin, a two-party coalition. The humanitarian file sits "
                "with the Ministry of Reintegration; the Interior Ministry runs the "
                "checkpoints. The junior coalition partner opposes any talks with the KHM."
            ),
        ),
        date(2025, 11, 3),
    )
    khm = b.put(
        Party(
            case=case,
            name="Korvan Highlands Movement (KHM)",
            kind=PartyKind.POLITICAL_MOVEMENT,
            description=(
                "The political movement of the Korvan Highlands, led by a political council in "
                "Tsera. Its self-defence units answer to field commanders who are not fully "
                "under the council's control. Decisions of weight need the Council of Elders."
            ),
        ),
        date(2025, 11, 3),
    )
    circle = b.put(
        Party(
            case=case,
            name="Highland Women's Peace Circle",
            kind=PartyKind.CIVIL_SOCIETY,
            description=(
                "A network of women's groups on both sides of the contact line, and of "
                "displaced families in the lowland port. Works on family visits and the "
                "missing."
            ),
        ),
        date(2025, 11, 20),
    )
    lanterna = b.put(
        Party(
            case=case,
            name="Lanterna Dialogue Initiative",
            kind=PartyKind.THIRD_PARTY,
            description=(
                "The facilitating organisation (ours): a small private diplomacy NGO, "
                "funded by two foundations. No mandate from any government."
            ),
        ),
        date(2025, 11, 3),
    )

    # --- people -----------------------------------------------------------------------
    mira = b.person(
        MIRA,
        role="Senior facilitator, Lanterna Dialogue Initiative",
        languages="English, French, Russian",
        notes="Leads the Korvan process for Lanterna since November 2025.",
        channels=[
            (EMAIL, "mira.castellan@lanterna.example.org", "work"),
            (PHONE, "+000 41 555 0101", "work mobile"),
        ],
        at=date(2025, 11, 3),
    )
    noa = b.person(
        "Noa Levinson",
        role="Programme officer: workshop logistics, interpretation, notes",
        languages="Hebrew, English, Arabic",
        notes=("נועה מרכזת את הלוגיסטיקה של הסדנאות. Keeps the venue and interpreters' contacts."),
        channels=[
            (EMAIL, "noa.levinson@lanterna.example.org", "work"),
            (MESSENGER, "@noa.lanterna", "secure messenger"),
        ],
        at=date(2025, 11, 3),
    )
    ilse = b.person(
        "Dr. Ilse Marwen",
        role="Resource person: comparative autonomy and power-sharing arrangements",
        languages="German, English",
        notes="Academic; attends workshops as a resource person, never as a negotiator.",
        channels=[(EMAIL, "ilse.marwen@university.example.org", "university")],
        at=date(2026, 5, 20),
    )
    rostislav = b.person(
        "Ростислав Велимиров",
        codename="HERON",
        role="Deputy Minister for Reintegration",
        languages="Veskarian, Russian, English",
        notes=(
            "Transliteration: Rostislav Velimirov. The government's point person for the "
            "humanitarian file. Prefers early-morning calls; never anything by text message."
        ),
        channels=[
            (PHONE, "+000 20 555 0142", "office"),
            (EMAIL, "r.velimirov@gov-veskaria.example.org", "office"),
            (ADDRESS, "Ministry of Reintegration, 4 Unity Square, Dravin", "office"),
        ],
        at=date(2025, 11, 4),
    )
    darina = b.person(
        "Darina Solvek",
        codename="LINDEN",
        role="Adviser, Presidential Administration (informal channel)",
        languages="Veskarian, English, French",
        notes=(
            "Speaks for herself, but reports to the Head of Administration. "
            "Do not copy her on anything written."
        ),
        channels=[(MESSENGER, "@linden.000", "secure messenger")],
        at=date(2025, 11, 12),
    )
    yevgen = b.person(
        "Евген Марко",
        role="Retired colonel; negotiated the 2011 contact-line arrangements",
        languages="Veskarian, Russian",
        notes=(
            "Transliteration: Yevgen Marko. Respected on both sides of the line. Comes to "
            "workshops in a personal capacity; the ministry knows and does not object."
        ),
        channels=[(PHONE, "+000 20 555 0177", "home")],
        at=date(2026, 1, 15),
    )
    arkady = b.person(
        "Arkady Belenko",
        codename="FLINT",
        role="Ministry of Interior, head of the checkpoints directorate",
        languages="Veskarian, English",
        channels=[(EMAIL, "a.belenko@interior-veskaria.example.org", "office")],
        at=date(2026, 9, 1),
    )
    levan = b.person(
        "ლევან გელოვანი",
        codename="KESTREL",
        role="Chair of the KHM political council",
        languages="Korvani, Veskarian, English",
        notes=(
            "Transliteration: Levan Gelovani. Former schoolteacher in Tsera. Insists on "
            "meeting in the valley, never in the capital. Careful in front of the "
            "field commanders' people."
        ),
        channels=[
            (PHONE, "+000 33 555 0108", "council office"),
            (MESSENGER, "@kestrel.000", "secure messenger"),
        ],
        at=date(2025, 11, 10),
    )
    natia = b.person(
        "ნათია კორვანელი",
        role="KHM foreign relations secretary",
        languages="Korvani, English, Veskarian",
        notes="Transliteration: Natia Korvaneli. Drafts the council's written replies.",
        channels=[(EMAIL, "natia.k@khm-council.example.org", "council")],
        at=date(2025, 11, 10),
    )
    giorgi = b.person(
        "Giorgi Mtvarishvili",
        codename="ASH",
        role="Liaison to the self-defence units' field commanders",
        languages="Korvani, Veskarian",
        notes="Reach only through Natia. Talks more freely when walking than at a table.",
        at=date(2026, 2, 19),
    )
    vakhtang = b.person(
        "ვახტანგ ყორელი",
        codename="OAK",
        role="Member of the Council of Elders of the upper valley",
        languages="Korvani",
        notes=(
            "Transliteration: Vakhtang Qoreli. Needs an interpreter (Korvani ↔ English). "
            "His word carries with the field commanders."
        ),
        channels=[(ADDRESS, "House by the old mill, Kaldavi, upper valley", "home")],
        at=date(2026, 2, 19),
    )
    eteri = b.person(
        "Eteri Dzelkvani",
        role="Coordinator, Highland Women's Peace Circle",
        languages="Korvani, Veskarian",
        channels=[
            (PHONE, "+000 33 555 0190", "office"),
            (EMAIL, "eteri@peace-circle.example.org", "office"),
            (ADDRESS, "Women's Peace Circle, 7 Market Street, Tsera", "office"),
        ],
        at=date(2025, 11, 20),
    )
    salma = b.person(
        "سلمى نجّار",
        role="Speaks for the displaced Sahrani families in the lowland port",
        languages="Arabic, Veskarian",
        notes=(
            "Transliteration: Salma Najjar. تتحدث باسم العائلات النازحة من قرى المرتفعات. "
            "Prefers to meet at the community hall by the port."
        ),
        channels=[(PHONE, "+000 20 555 0233", "mobile")],
        at=date(2026, 3, 2),
    )

    for person, party, role, capacity, since in [
        (mira, lanterna, "Senior facilitator", OFFICIAL, date(2025, 11, 3)),
        (noa, lanterna, "Programme officer", OFFICIAL, date(2025, 11, 3)),
        (ilse, lanterna, "Resource person", PERSONAL, date(2026, 5, 20)),
        (rostislav, gov, "Deputy Minister for Reintegration", OFFICIAL, date(2025, 11, 4)),
        (darina, gov, "Adviser to the Presidential Administration", UNOFFICIAL, date(2025, 11, 12)),
        (yevgen, gov, "Former military negotiator", PERSONAL, date(2026, 1, 15)),
        (arkady, gov, "Head of the checkpoints directorate", OFFICIAL, date(2026, 9, 1)),
        (levan, khm, "Chair of the political council", OFFICIAL, date(2025, 11, 10)),
        (natia, khm, "Foreign relations secretary", OFFICIAL, date(2025, 11, 10)),
        (giorgi, khm, "Liaison to the field commanders", UNOFFICIAL, date(2026, 2, 19)),
        (vakhtang, khm, "Elder of the upper valley", PERSONAL, date(2026, 2, 19)),
        (eteri, circle, "Coordinator", OFFICIAL, date(2025, 11, 20)),
        (salma, circle, "Representative of displaced families", UNOFFICIAL, date(2026, 3, 2)),
    ]:
        b.affiliate(person, party, role, capacity, since)
    s.flush()

    # --- rounds -----------------------------------------------------------------------
    r1, r2, r3, r4 = (
        b.put(Round(case_id=case.id, number=n, title=t, started_on=a, ended_on=z, notes=x), a)
        for n, t, a, z, x in [
            (
                1,
                "Opening soundings",
                date(2026, 2, 16),
                date(2026, 2, 26),
                "First trip after the November contacts: Dravin, then the valley.",
            ),
            (
                2,
                "The road and the detainees",
                date(2026, 4, 27),
                date(2026, 5, 14),
                "Counter-proposals on the Tsera Pass road; the detainee lists come up.",
            ),
            (
                3,
                "Towards a humanitarian package",
                date(2026, 9, 14),
                date(2026, 10, 10),
                "After Workshop I: the government's draft package and the language of "
                "'security arrangements'.",
            ),
            (
                4,
                "Preparing Workshop II",
                date(2026, 11, 16),
                None,
                "Open. Replies on the working paper and safe passage for January.",
            ),
        ]
    )

    # --- sessions ---------------------------------------------------------------------
    chatham = (
        "Chatham House Rule: participants may use what is said, but may not reveal who said "
        "it or who was present.\n"
        "Everyone attends in a personal capacity; nothing said here binds anyone's "
        "organisation.\n"
        "No press, no photographs; phones stay outside the room during sessions."
    )
    consult = b.put(
        CaseSession(
            case_id=case.id,
            title="Consultation with the KHM political council",
            kind=SessionKind.BILATERAL_CONSULTATION,
            status=SessionStatus.HELD,
            starts_at=_at(2026, 2, 19, 9, 30),
            ends_at=_at(2026, 2, 19, 13, 0),
            place=VALLEY_GUESTHOUSE,
            ground_rules="Nothing said is attributed outside the room without consent.",
            logistics="Driven up from Tsera by the council's driver; no phones in the car.",
            summary=(
                "First sit-down with the council. Cautious interest in the road; strong "
                "feelings about the detainees. The elder Qoreli said little but was listened to."
            ),
        ),
        _at(2026, 2, 19, 13, 0),
    )
    ws1 = b.put(
        CaseSession(
            case_id=case.id,
            title="Problem-solving workshop I — the Tsera Pass road",
            kind=SessionKind.PROBLEM_SOLVING_WORKSHOP,
            status=SessionStatus.HELD,
            starts_at=_at(2026, 7, 8, 9, 0),
            ends_at=_at(2026, 7, 10, 16, 0),
            place=LAKE_ORVEL,
            ground_rules=chatham,
            logistics=(
                "Participants from the valley travel via the northern crossing on 7 July; "
                "Lanterna covers travel and per diem. Interpretation Veskarian ↔ Korvani ↔ "
                "English, two interpreters, whispering mode. Rooms in the east wing."
            ),
            summary=(
                "Seven participants from the sides, all in a personal capacity, and three of "
                "us. Interests around the road "
                "mapped; the civilian commission refined into rotating co-chairs; the status "
                "question parked by common consent."
            ),
        ),
        _at(2026, 7, 10, 16, 0),
    )
    call = b.put(
        CaseSession(
            case_id=case.id,
            title="Call with Deputy Minister Velimirov",
            kind=SessionKind.CALL,
            status=SessionStatus.HELD,
            starts_at=_at(2026, 9, 12, 6, 0),
            ends_at=_at(2026, 9, 12, 6, 40),
            place="phone (secure line)",
            summary="Consent to pass on the substance of his 12 May remark on co-chairs.",
        ),
        _at(2026, 9, 12, 6, 40),
    )
    ws2 = b.put(
        CaseSession(
            case_id=case.id,
            title="Joint workshop II — humanitarian package",
            kind=SessionKind.JOINT_WORKSHOP,
            status=SessionStatus.PLANNED,
            starts_at=_at(2027, 1, 19, 13, 0),
            ends_at=_at(2027, 1, 21, 12, 0),
            place="Lake Orvel (venue to be confirmed)",
            ground_rules=chatham,
            logistics=(
                "Budget request sent to the foundation on 2 November. Safe-passage guarantee "
                "for the valley participants still pending. Interpreters booked provisionally "
                "(two, Veskarian and Korvani)."
            ),
        ),
        _at(2026, 11, 2, 15, 0),
    )
    s.flush()

    # --- messages (the shuttle log) -----------------------------------------------------
    m1 = b.message(
        case,
        r1,
        sender=gov,
        sender_person=rostislav,
        recipient=khm,
        recipient_person=levan,
        said_at=_at(2026, 2, 17, 8, 30),
        place=MINISTRY,
        content=(
            "«Правительство готово обсудить открытие дороги через перевал Цера для "
            "гражданского транспорта, если Движение гарантирует, что на блокпостах не будет "
            "вооружённых людей.»\n"
            "[The government is ready to discuss opening the Tsera Pass road to civilian "
            "traffic if the Movement guarantees there will be no armed men at the checkpoints.]"
        ),
        summary=(
            "Government ready to discuss reopening the Tsera Pass road for civilians, if there "
            "are no armed KHM men at the checkpoints."
        ),
        disclosure=SHAREABLE,
    )
    m4 = b.message(
        case,
        r1,
        sender=gov,
        sender_person=darina,
        recipient=khm,
        recipient_person=None,
        said_at=_at(2026, 2, 18, 11, 0),
        place="lunch in the old town, Dravin",
        content=(
            "Some in the cabinet could live with international monitors on the road. "
            "Nobody can say so in public before the coalition talks are over."
        ),
        summary="Parts of the cabinet could accept international monitors on the road.",
        disclosure=UNATTRIBUTED,
    )
    m2 = b.message(
        case,
        r1,
        sender=khm,
        sender_person=levan,
        recipient=gov,
        recipient_person=rostislav,
        said_at=_at(2026, 2, 19, 11, 15),
        place=VALLEY_GUESTHOUSE,
        content=(
            "„გზა გაიხსნება მხოლოდ ერთობლივი მონიტორინგით, არა ჯარის კონტროლით.“\n"
            "[The road will open only under joint monitoring, not under army control.]\n"
            "He added that the Movement would 'take its people off the road the day the army "
            "does the same'."
        ),
        summary=(
            "KHM: the road opens only under joint monitoring; it would withdraw its people "
            "if the army does the same."
        ),
        disclosure=SHAREABLE,
        reply_to=m1,
    )
    m3 = b.message(
        case,
        r1,
        sender=khm,
        sender_person=giorgi,
        recipient=lanterna,
        recipient_person=mira,
        said_at=_at(2026, 2, 19, 14, 0),
        place="walking back to the car, upper valley",
        content=(
            "The commanders in Kaldavi will not accept any talk of demobilisation before the "
            "elections. If Dravin hears this, the hardliners there will use it against the "
            "talks. Keep it to yourself."
        ),
        summary="Field commanders reject any demobilisation talk before the elections.",
        disclosure=CONFIDENTIAL,
    )
    m5 = b.message(
        case,
        r1,
        sender=circle,
        sender_person=eteri,
        recipient=None,
        recipient_person=None,
        said_at=_at(2026, 2, 21, 10, 0),
        place="Women's Peace Circle office, Tsera",
        content=(
            "We ask both sides to let families visit the cemeteries across the line on the "
            "two remembrance days, in spring and in autumn. We will prepare the lists of names "
            "ourselves and walk with the families."
        ),
        summary="Women's Circle asks both sides to allow cemetery visits on remembrance days.",
        disclosure=SHAREABLE,
    )
    m6 = b.message(
        case,
        r2,
        sender=gov,
        sender_person=rostislav,
        recipient=khm,
        recipient_person=levan,
        said_at=_at(2026, 4, 28, 7, 30),
        place=MINISTRY,
        content=(
            "The government proposes a civilian road commission for the Tsera Pass: officials "
            "of the ministry and elders from the valley, no uniforms at the checkpoints. Talks "
            "on humanitarian issues can start without preconditions. "
            "Статус региона не обсуждается. [The status of the region is not under discussion.]"
        ),
        summary=(
            "Counter-proposal: a civilian road commission (ministry and elders); humanitarian "
            "talks without preconditions; status not negotiable."
        ),
        disclosure=SHAREABLE,
        reply_to=m2,
    )
    m7 = b.message(
        case,
        r2,
        sender=khm,
        sender_person=levan,
        recipient=gov,
        recipient_person=rostislav,
        said_at=_at(2026, 5, 3, 13, 0),
        place=COUNCIL_OFFICE,
        content=(
            "The Movement accepts the idea of a civilian commission in principle, on two "
            "conditions: the elders co-chair it, and the government first hands over the lists "
            "of detained highlanders. „ჯერ სიები, მერე გზა.“ [First the lists, then the road.]"
        ),
        summary="KHM accepts a commission in principle if elders co-chair and lists come first.",
        disclosure=SHAREABLE,
        reply_to=m6,
    )
    m8 = b.message(
        case,
        r2,
        sender=khm,
        sender_person=natia,
        recipient=gov,
        recipient_person=rostislav,
        said_at=_at(2026, 5, 4, 8, 0),
        place=COUNCIL_OFFICE,
        content=(
            "On 15 June the Movement will release twelve detained soldiers unilaterally, as a "
            "gesture before the remembrance day. Not to be passed on before the announcement."
        ),
        summary="KHM to release twelve detained soldiers unilaterally on 15 June.",
        disclosure=EMBARGOED,
        embargo_until=_at(2026, 6, 15, 7, 0),
    )
    m9 = b.message(
        case,
        r2,
        sender=gov,
        sender_person=darina,
        recipient=lanterna,
        recipient_person=mira,
        said_at=_at(2026, 5, 8, 17, 0),
        place="phone",
        content=(
            "The Minister is ill and a reshuffle is expected in the summer. Velimirov may lose "
            "the file. Don't build everything on him."
        ),
        summary="A reshuffle is expected; Velimirov may lose the reintegration file.",
        disclosure=CONFIDENTIAL,
    )
    m10 = b.message(
        case,
        r2,
        sender=gov,
        sender_person=rostislav,
        recipient=lanterna,
        recipient_person=mira,
        said_at=_at(2026, 5, 12, 9, 0),
        place=MINISTRY,
        content=(
            "«Между нами: правительство могло бы согласиться, чтобы старейшины стали "
            "сопредседателями комиссии, но мы не можем предложить это первыми.»\n"
            "[Between us: the government could agree to the elders co-chairing the "
            "commission, but we cannot be the first to propose it.]"
        ),
        summary=(
            "The government could accept elders as co-chairs of the road commission but "
            "cannot propose it first."
        ),
        disclosure=CONFIDENTIAL,
        reply_to=m7,
    )
    m11 = b.message(
        case,
        r3,
        sender=gov,
        sender_person=rostislav,
        recipient=khm,
        recipient_person=levan,
        said_at=_at(2026, 9, 15, 8, 0),
        place=MINISTRY,
        content=(
            "Draft humanitarian package: (1) lists of detained persons exchanged through "
            "Lanterna by 30 October; (2) cemetery visits on the autumn remembrance day; "
            "(3) a civilian road commission whose composition is agreed at the January "
            "workshop."
        ),
        summary=(
            "Government's draft package: detainee lists by 30 October, cemetery visits, road "
            "commission composition to be agreed in January."
        ),
        disclosure=SHAREABLE,
        reply_to=m7,
    )
    m12 = b.message(
        case,
        r3,
        sender=khm,
        sender_person=giorgi,
        recipient=gov,
        recipient_person=None,
        said_at=_at(2026, 9, 22, 12, 0),
        place="a roadside café near Kaldavi",
        content=(
            "Parts of the Movement could accept a phased approach to the weapons question if "
            "the paper speaks of 'security arrangements', not 'disarmament'. The word matters "
            "more than the substance."
        ),
        summary=(
            "Some in the KHM would accept a phased approach to weapons if the text says "
            "'security arrangements'."
        ),
        disclosure=UNATTRIBUTED,
    )
    m13 = b.message(
        case,
        r3,
        sender=khm,
        sender_person=levan,
        recipient=gov,
        recipient_person=rostislav,
        said_at=_at(2026, 9, 23, 8, 0),
        place=COUNCIL_OFFICE,
        content=(
            "On the first anniversary of the talks the Movement will propose a joint "
            "declaration extending the ceasefire by one year. Not to be mentioned to anyone "
            "before 1 March 2027."
        ),
        summary="KHM will propose a one-year ceasefire extension declaration in March 2027.",
        disclosure=EMBARGOED,
        embargo_until=_at(2027, 3, 1, 8, 0),
        reply_to=m11,
    )
    m14 = b.message(
        case,
        r3,
        sender=gov,
        sender_person=rostislav,
        recipient=khm,
        recipient_person=natia,
        said_at=_at(2026, 10, 5, 7, 0),
        place=MINISTRY,
        content=(
            "The government can use 'security arrangements' in the working paper for the "
            "workshop, not in any public document. Формулировка — только для рабочего "
            "документа. [The wording is for the working paper only.]"
        ),
        summary="Government accepts 'security arrangements' for the working paper only.",
        disclosure=SHAREABLE,
        reply_to=m12,
    )
    m15 = b.message(
        case,
        r3,
        sender=circle,
        sender_person=salma,
        recipient=gov,
        recipient_person=None,
        said_at=_at(2026, 10, 8, 15, 0),
        place="the Sahrani community hall by the port",
        content=(
            "«نطلب ضمانات مكتوبة بأن العائلات العائدة لزيارة القرى لن تتعرض للتوقيف عند "
            "الحواجز.»\n"
            "[We ask for written guarantees that families returning to visit the villages "
            "will not be detained at the checkpoints.]"
        ),
        summary="Displaced families ask for written guarantees against detention at checkpoints.",
        disclosure=UNATTRIBUTED,
    )
    m16 = b.message(
        case,
        r4,
        sender=khm,
        sender_person=natia,
        recipient=gov,
        recipient_person=rostislav,
        said_at=_at(2026, 11, 17, 10, 0),
        place="video call",
        content=(
            "The Movement agrees to use the working paper as the basis for the January "
            "workshop and proposes two more participants from the Council of Elders."
        ),
        summary="KHM accepts the working paper as the basis for January; proposes two elders.",
        disclosure=SHAREABLE,
        reply_to=m14,
    )
    m17 = b.message(
        case,
        r4,
        sender=gov,
        sender_person=arkady,
        recipient=khm,
        recipient_person=levan,
        said_at=_at(2026, 11, 18, 8, 0),
        place="Ministry of Interior, Dravin",
        content=(
            "The checkpoints directorate can guarantee safe passage for the workshop "
            "participants from the valley to the northern crossing on 19 January, if it "
            "receives their names by 20 December."
        ),
        summary="Safe passage for valley participants on 19 January, names by 20 December.",
        disclosure=SHAREABLE,
    )
    m18 = b.message(
        case,
        r4,
        sender=gov,
        sender_person=rostislav,
        recipient=lanterna,
        recipient_person=mira,
        said_at=_at(2026, 11, 19, 7, 30),
        place=MINISTRY,
        content=(
            "We expect the coalition partner to leave the government in December. Until then "
            "everything has to look 'technical'."
        ),
        summary="Coalition partner expected to leave in December; keep things 'technical'.",
        disclosure=CONFIDENTIAL,
    )
    s.flush()

    # --- deliveries and the one release ------------------------------------------------
    b.deliver(
        case,
        r1,
        to=khm,
        to_person=levan,
        at=_at(2026, 2, 19, 10, 0),
        place=VALLEY_GUESTHOUSE,
        content=(
            "Told the council that the Deputy Minister is ready to discuss opening the Tsera "
            "road to civilians if no armed men stand at the checkpoints, and that some in the "
            "cabinet could live with international monitors (no source given)."
        ),
        items=[(m1, True), (m4, False)],
    )
    b.deliver(
        case,
        r1,
        to=gov,
        to_person=rostislav,
        at=_at(2026, 2, 24, 8, 0),
        place=MINISTRY,
        content=(
            "Passed on the council's answer on joint monitoring, and the Women's Circle's "
            "request for cemetery visits."
        ),
        items=[(m2, True), (m5, True)],
    )
    b.deliver(
        case,
        r2,
        to=khm,
        to_person=levan,
        at=_at(2026, 4, 30, 10, 0),
        place=COUNCIL_OFFICE,
        content=(
            "Presented the government's proposal of a civilian road commission and its "
            "readiness for humanitarian talks without preconditions; repeated the Women's "
            "Circle's request."
        ),
        items=[(m6, True), (m5, True)],
    )
    b.deliver(
        case,
        r2,
        to=gov,
        to_person=rostislav,
        at=_at(2026, 5, 5, 8, 0),
        place=MINISTRY,
        content="Conveyed the council's acceptance in principle and its two conditions.",
        items=[(m7, True)],
    )
    b.deliver(
        case,
        None,
        to=gov,
        to_person=rostislav,
        at=_at(2026, 6, 16, 9, 0),
        place="phone",
        content=(
            "After the public announcement: confirmed that the release of the twelve had been "
            "planned since May as a gesture towards the talks."
        ),
        items=[(m8, True)],
    )
    b.put(
        Release(
            message_id=m10.id,
            party_id=khm.id,
            released_by=MIRA,
            released_at=_at(2026, 9, 12, 6, 35),
            reason=(
                "On the call of 12 September the Deputy Minister agreed that the substance of "
                "his 12 May remark may be passed to the KHM political council, without naming "
                "the government as its source, to unblock the co-chair question."
            ),
            attribution_allowed=False,
        ),
        _at(2026, 9, 12, 6, 35),
    )
    b.deliver(
        case,
        r3,
        to=khm,
        to_person=levan,
        at=_at(2026, 9, 17, 9, 0),
        place=COUNCIL_OFFICE,
        content=(
            "Handed over the government's draft humanitarian package. Said that, in my "
            "reading, Dravin would not block elders as co-chairs of the road commission."
        ),
        items=[(m11, True), (m10, False)],
    )
    b.deliver(
        case,
        r3,
        to=gov,
        to_person=rostislav,
        at=_at(2026, 9, 25, 8, 0),
        place=MINISTRY,
        content=(
            "Conveyed, without a source, that a phased approach to weapons might be possible "
            "under the words 'security arrangements'."
        ),
        items=[(m12, False)],
    )
    b.deliver(
        case,
        r3,
        to=khm,
        to_person=natia,
        at=_at(2026, 10, 7, 11, 0),
        place="video call",
        content="Conveyed the government's acceptance of the wording for the working paper.",
        items=[(m14, True)],
    )

    # --- profiles (dated, with history) -------------------------------------------------
    d = date
    P = ProfileKind
    gov_interest = b.profile(
        gov,
        P.INTEREST,
        "Restore visible state presence on the Tsera Pass road: schools, clinic, tax office.",
        d(2025, 11, 4),
    )
    b.profile(
        gov,
        P.POSITION,
        "No talks with the KHM before it hands over its weapons.",
        d(2025, 11, 4),
        retired_on=d(2026, 4, 28),
    )
    b.profile(
        gov,
        P.POSITION,
        "Talks on humanitarian issues are possible without preconditions; the status of the "
        "region is not on the table.",
        d(2026, 4, 28),
        message=m6,
    )
    b.profile(gov, P.NEED, "A result it can show before the 2027 elections.", d(2026, 2, 18))
    gov_need = b.profile(
        gov,
        P.NEED,
        "Security guarantees for officials who travel in the highlands.",
        d(2026, 7, 9),
        session=ws1,
    )
    b.profile(
        gov,
        P.FEAR,
        "That any agreement is read as recognising the KHM as a government.",
        d(2025, 11, 4),
    )
    b.profile(
        gov,
        P.RED_LINE,
        "The territorial integrity of Veskaria: no referendum on secession.",
        d(2025, 11, 4),
    )
    b.profile(
        gov,
        P.CONSTRAINT,
        "Any special status needs the constitutional court; the junior coalition partner "
        "opposes the talks.",
        d(2026, 4, 28),
    )

    b.profile(
        khm,
        P.POSITION,
        "Full independence for the Korvan Highlands, decided by a referendum of highlanders.",
        d(2025, 11, 10),
        retired_on=d(2026, 7, 10),
    )
    b.profile(
        khm,
        P.POSITION,
        "Broad self-government within a federal arrangement, approved by a highland referendum.",
        d(2026, 7, 10),
        session=ws1,
    )
    khm_interest = b.profile(
        khm,
        P.INTEREST,
        "Freedom of movement for the highland villages through the Tsera Pass, above all "
        "in winter.",
        d(2025, 11, 10),
    )
    khm_need = b.profile(
        khm,
        P.NEED,
        "Physical safety for its members who come down to the lowlands.",
        d(2026, 7, 9),
        session=ws1,
    )
    b.profile(
        khm,
        P.NEED,
        "Recognition of the harm done to highland families in 2019–2021.",
        d(2026, 2, 19),
        session=consult,
    )
    b.profile(
        khm,
        P.FEAR,
        "That disarmament comes before guarantees and leaves the valley defenceless.",
        d(2026, 2, 19),
        message=m3,
    )
    b.profile(
        khm,
        P.RED_LINE,
        "No meetings with government officials in any capacity.",
        d(2025, 11, 10),
        retired_on=d(2026, 6, 20),
    )
    b.profile(
        khm,
        P.RED_LINE,
        "No handing over of weapons before a political agreement is signed.",
        d(2025, 11, 10),
    )
    b.profile(
        khm,
        P.CONSTRAINT,
        "The political council cannot commit the field commanders; weighty decisions need "
        "the Council of Elders.",
        d(2026, 2, 19),
        session=consult,
    )

    b.profile(
        circle,
        P.POSITION,
        "Humanitarian issues must come first and must not wait for a political deal.",
        d(2025, 11, 20),
    )
    circle_interest = b.profile(
        circle,
        P.INTEREST,
        "Family visits and visits to graves across the contact line.",
        d(2025, 11, 20),
    )
    circle_need = b.profile(
        circle,
        P.NEED,
        "A voice, if not a seat, in the road commission.",
        d(2026, 7, 9),
        session=ws1,
    )
    b.profile(circle, P.FEAR, "Being called traitors by both sides.", d(2025, 11, 20))
    b.profile(
        circle,
        P.RED_LINE,
        "No part in any process that grants amnesty for violence against women.",
        d(2026, 3, 2),
    )
    b.profile(
        circle,
        P.CONSTRAINT,
        "Members in the highland villages have no reliable phone or internet in winter.",
        d(2025, 11, 20),
    )

    b.profile(
        lanterna,
        P.POSITION,
        "Impartial facilitator: Lanterna proposes no solution on the status question.",
        d(2025, 11, 3),
    )
    b.profile(
        lanterna,
        P.INTEREST,
        "Keep both channels open through the 2027 election period.",
        d(2025, 11, 3),
    )
    b.profile(
        lanterna,
        P.NEED,
        "Funding for Workshop II (travel and interpretation).",
        d(2026, 10, 20),
    )
    b.profile(lanterna, P.FEAR, "A leak of the workshop participants' names.", d(2026, 6, 1))
    b.profile(
        lanterna,
        P.RED_LINE,
        "We do not carry threats or ultimatums between the parties.",
        d(2025, 11, 3),
    )
    b.profile(
        lanterna,
        P.CONSTRAINT,
        "Reports to the foundations contain only unattributed summaries.",
        d(2025, 11, 3),
    )

    # --- session contents -------------------------------------------------------------
    b.participants(
        consult,
        [
            (mira, lanterna, OFFICIAL),
            (levan, khm, OFFICIAL),
            (natia, khm, OFFICIAL),
            (giorgi, khm, UNOFFICIAL),
            (vakhtang, khm, PERSONAL),
        ],
    )
    b.agenda(
        consult,
        [
            ("What we heard in Dravin", "Only what may be passed on.", 30),
            ("The Tsera Pass road", "", 60),
            ("Detainees and the missing", "", 60),
            ("How to stay in touch", "Channels; who speaks for the council.", 20),
        ],
    )
    b.session_note(
        consult,
        SessionNoteKind.STATEMENT,
        _at(2026, 2, 19, 10, 40),
        "Gelovani: the council will not discuss weapons 'with anyone, at any table' this year.",
        person=levan,
        party=khm,
    )
    b.session_note(
        consult,
        SessionNoteKind.NEED,
        _at(2026, 2, 19, 11, 30),
        "Qoreli, through the interpreter: the families need to hear the word 'harm' from "
        "Dravin, once.",
        person=vakhtang,
        party=khm,
    )

    b.participants(
        ws1,
        [
            (mira, lanterna, OFFICIAL),
            (noa, lanterna, OFFICIAL),
            (ilse, lanterna, PERSONAL),
            (yevgen, gov, PERSONAL),
            (darina, gov, PERSONAL),
            (levan, khm, PERSONAL),
            (natia, khm, PERSONAL),
            (vakhtang, khm, PERSONAL),
            (eteri, circle, PERSONAL),
            (salma, circle, PERSONAL),
        ],
    )
    b.agenda(
        ws1,
        [
            ("Welcome, ground rules, hopes and fears", "Round of hopes and fears on cards.", 60),
            ("Mapping interests around the road — not positions", "Two mixed groups.", 120),
            ("Civilian commissions elsewhere", "Dr. Marwen, three short examples.", 60),
            ("Brainstorming options for the Tsera Pass", "No attribution, no evaluation.", 150),
            ("What can each of us take home?", "", 90),
        ],
    )
    ws1_notes = [
        (
            SessionNoteKind.OBSERVATION,
            _at(2026, 7, 8, 10, 15),
            "Day 1 started cold: the valley delegation sat together by the window and avoided "
            "eye contact. It thawed after the round of hopes and fears.",
            None,
            None,
        ),
        (
            SessionNoteKind.STATEMENT,
            _at(2026, 7, 8, 11, 5),
            "Marko: 'I negotiated the 2011 line and never once drove that road without an "
            "escort. My grandchildren should.'",
            yevgen,
            gov,
        ),
        (
            SessionNoteKind.STATEMENT,
            _at(2026, 7, 8, 11, 20),
            "„ჩვენ არ ვითხოვთ ყველაფერს ერთბაშად.“ — 'We do not ask for everything at once.' "
            "Said twice, looking at Marko.",
            levan,
            khm,
        ),
        (
            SessionNoteKind.INTEREST,
            _at(2026, 7, 8, 15, 30),
            "Government side: the state must be visibly present on the road; a flag on the "
            "commission's office would matter more than soldiers.",
            None,
            gov,
        ),
        (
            SessionNoteKind.NEED,
            _at(2026, 7, 8, 16, 0),
            "Valley side: villagers need to reach the lowland hospital in winter without "
            "being searched for hours.",
            None,
            khm,
        ),
        (
            SessionNoteKind.FEAR,
            _at(2026, 7, 9, 9, 40),
            "Women's Circle: the road commission will again be all men from both sides.",
            eteri,
            circle,
        ),
        (
            SessionNoteKind.OPTION,
            _at(2026, 7, 9, 11, 0),
            "Brainstorm: a civilian commission with rotating co-chairs (one ministry "
            "official, one elder); the Women's Circle as observers.",
            None,
            None,
        ),
        (
            SessionNoteKind.AGREEMENT,
            _at(2026, 7, 10, 14, 30),
            "Everyone agrees the next step is a joint working paper on the road commission, "
            "drafted by Lanterna, with comments from both sides by 15 September.",
            None,
            None,
        ),
        (
            SessionNoteKind.ACTION,
            _at(2026, 7, 10, 15, 0),
            "Lanterna circulates the draft working paper by 31 July; Dr. Marwen adds two "
            "comparative examples.",
            mira,
            lanterna,
        ),
    ]
    for note_kind, noted_at, text, who, side in ws1_notes:
        b.session_note(ws1, note_kind, noted_at, text, person=who, party=side)

    b.participants(call, [(mira, lanterna, OFFICIAL), (rostislav, gov, OFFICIAL)])
    b.session_note(
        call,
        SessionNoteKind.AGREEMENT,
        _at(2026, 9, 12, 6, 30),
        "He agrees that the substance of his 12 May remark on co-chairs may go to the KHM, "
        "without attribution.",
        person=rostislav,
        party=gov,
    )

    b.participants(
        ws2,
        [
            (mira, lanterna, OFFICIAL),
            (noa, lanterna, OFFICIAL),
            (ilse, lanterna, PERSONAL),
            (yevgen, gov, PERSONAL),
            (darina, gov, PERSONAL),
            (arkady, gov, PERSONAL),
            (levan, khm, PERSONAL),
            (natia, khm, PERSONAL),
            (vakhtang, khm, PERSONAL),
            (eteri, circle, PERSONAL),
            (salma, circle, PERSONAL),
        ],
    )
    b.agenda(
        ws2,
        [
            ("Opening: what has changed since July", "", 45),
            (
                "The road commission: composition and mandate",
                "Working paper, draft 4.",
                120,
            ),
            ("Detainee lists and family visits", "", 120),
            ("Security arrangements: a first conversation", "Wording agreed in October.", 90),
            ("Next steps and what to say in public", "", 60),
        ],
    )
    b.session_note(
        ws2,
        SessionNoteKind.OBSERVATION,
        _at(2026, 11, 19, 16, 0),
        "Preparation: seat the elders away from the Interior Ministry people on the first day.",
    )
    s.flush()

    # --- options, stances and lineage ---------------------------------------------------
    o1 = b.put(
        Option(
            case_id=case.id,
            title="Civilian road commission for the Tsera Pass",
            text=(
                "A commission of ministry officials and valley elders runs the checkpoints on "
                "the pass road; no uniforms on either side."
            ),
            status=OptionStatus.REFINED,
            raised_by=RaisedBy.PARTY,
            raised_by_party_id=gov.id,
            raised_by_person_id=rostislav.id,
            raised_in_message_id=m6.id,
            raised_on=d(2026, 4, 28),
        ),
        _at(2026, 4, 28, 7, 30),
    )
    o1.interests = [gov_interest, khm_interest]
    b.stances(o1, gov, [(SUPPORTS, _at(2026, 4, 28, 7, 30), "Their own proposal.")])
    b.stances(
        o1,
        khm,
        [
            (OPPOSES, _at(2026, 4, 30, 10, 0), "'A ministry commission with decorations.'"),
            (OPEN, _at(2026, 5, 3, 13, 0), "In principle, if the elders co-chair."),
        ],
    )
    b.stances(o1, circle, [(OPEN, _at(2026, 5, 6, 9, 0), "Asks who sits on it.")])
    s.flush()

    o2 = b.put(
        Option(
            case_id=case.id,
            title="Road commission with rotating co-chairs",
            text=(
                "Refines the civilian commission: one ministry official and one valley elder "
                "co-chair in turn, three months each; the Women's Circle sits as an observer."
            ),
            status=OptionStatus.AGREED_IN_PRINCIPLE,
            raised_by=RaisedBy.JOINT,
            raised_in_session_id=ws1.id,
            raised_on=d(2026, 7, 9),
        ),
        _at(2026, 7, 9, 11, 0),
    )
    s.flush()
    b.link(o2, o1, LineageKind.REFINED, d(2026, 7, 9))
    o2.interests = [gov_interest, khm_interest, circle_need]
    b.stances(
        o2,
        gov,
        [
            (OPEN, _at(2026, 7, 10, 14, 0), "Solvek and Marko, personal capacity."),
            (SUPPORTS, _at(2026, 9, 12, 6, 30), "As long as the government need not propose it."),
        ],
    )
    b.stances(
        o2,
        khm,
        [
            (OPEN, _at(2026, 7, 10, 14, 0), "Wants the elders to chair first."),
            (SUPPORTS, _at(2026, 9, 22, 12, 0), "After the package was handed over."),
        ],
    )
    b.stances(o2, circle, [(SUPPORTS, _at(2026, 7, 10, 14, 0), "")])

    o3 = b.put(
        Option(
            case_id=case.id,
            title="Family visits across the line — ოჯახური ვიზიტები ხაზის გადაღმა",
            text=(
                "Families cross the contact line to visit cemeteries on the two remembrance "
                "days; the Women's Circle prepares the lists and accompanies them."
            ),
            status=OptionStatus.ADOPTED,
            raised_by=RaisedBy.PARTY,
            raised_by_party_id=circle.id,
            raised_by_person_id=eteri.id,
            raised_in_message_id=m5.id,
            raised_on=d(2026, 2, 21),
        ),
        _at(2026, 2, 21, 10, 0),
    )
    o3.interests = [circle_interest]
    b.stances(
        o3,
        gov,
        [
            (UNKNOWN, _at(2026, 2, 24, 8, 0), "Took note, no answer."),
            (OPEN, _at(2026, 4, 28, 7, 30), ""),
            (SUPPORTS, _at(2026, 9, 15, 8, 0), "Part of the draft package."),
        ],
    )
    b.stances(o3, khm, [(SUPPORTS, _at(2026, 4, 30, 10, 0), "")])
    b.stances(o3, circle, [(SUPPORTS, _at(2026, 2, 21, 10, 0), "Their proposal.")])

    o4 = b.put(
        Option(
            case_id=case.id,
            title="All-for-all simultaneous release of detainees",
            text="Both sides release every detainee on the same day, without lists first.",
            status=OptionStatus.REJECTED,
            raised_by=RaisedBy.PERSON,
            raised_by_party_id=khm.id,
            raised_by_person_id=giorgi.id,
            raised_in_session_id=consult.id,
            raised_on=d(2026, 2, 19),
        ),
        _at(2026, 2, 19, 12, 0),
    )
    b.stances(o4, khm, [(SUPPORTS, _at(2026, 2, 19, 12, 0), "")])
    b.stances(o4, gov, [(OPPOSES, _at(2026, 2, 24, 8, 0), "Only after the lists are verified.")])

    o5 = b.put(
        Option(
            case_id=case.id,
            title="Phased 'security arrangements' working paper",
            text=(
                "A working paper on phased security arrangements, in that wording, for the "
                "January workshop only; nothing public."
            ),
            status=OptionStatus.DISCUSSED,
            raised_by=RaisedBy.PERSON,
            raised_by_party_id=khm.id,
            raised_by_person_id=giorgi.id,
            raised_in_message_id=m12.id,
            raised_on=d(2026, 9, 22),
        ),
        _at(2026, 9, 22, 12, 0),
    )
    o5.interests = [khm_need, gov_need]
    b.stances(o5, khm, [(OPEN, _at(2026, 9, 22, 12, 0), "Unattributed source.")])
    b.stances(
        o5,
        gov,
        [
            (UNKNOWN, _at(2026, 9, 25, 8, 0), ""),
            (OPEN, _at(2026, 10, 5, 7, 0), "Working paper only."),
        ],
    )

    o6 = b.put(
        Option(
            case_id=case.id,
            title="Special self-government statute for the Korvan Highlands",
            text="Parked by common consent until after the 2027 elections.",
            status=OptionStatus.PARKED,
            raised_by=RaisedBy.PARTY,
            raised_by_party_id=khm.id,
            raised_in_session_id=ws1.id,
            raised_on=d(2026, 7, 10),
        ),
        _at(2026, 7, 10, 10, 0),
    )
    b.stances(o6, khm, [(SUPPORTS, _at(2026, 7, 10, 10, 0), "")])
    b.stances(o6, gov, [(OPPOSES, _at(2026, 7, 10, 10, 0), "Status is not on the table.")])

    o7 = b.put(
        Option(
            case_id=case.id,
            title="Joint commemoration of the victims on both sides",
            text="A shared, quiet ceremony on one of the remembrance days; no speeches.",
            status=OptionStatus.RAISED,
            raised_by=RaisedBy.FACILITATOR,
            raised_by_person_id=mira.id,
            raised_in_session_id=ws1.id,
            raised_on=d(2026, 7, 10),
        ),
        _at(2026, 7, 10, 13, 0),
    )
    o7.interests = [circle_interest]
    b.stances(o7, circle, [(SUPPORTS, _at(2026, 7, 10, 13, 0), "")])
    b.stances(o7, gov, [(UNKNOWN, _at(2026, 7, 10, 13, 0), "")])
    b.stances(o7, khm, [(UNKNOWN, _at(2026, 7, 10, 13, 0), "")])

    # A merge: two detainee ideas from different sides become one package (round 4).
    o8 = b.put(
        Option(
            case_id=case.id,
            title="Detainee lists exchanged through Lanterna",
            text="Each side hands its list of detained persons to Lanterna by 30 October.",
            status=OptionStatus.MERGED,
            raised_by=RaisedBy.PARTY,
            raised_by_party_id=gov.id,
            raised_in_message_id=m11.id,
            raised_on=d(2026, 9, 15),
        ),
        _at(2026, 9, 15, 8, 0),
    )
    b.stances(o8, gov, [(SUPPORTS, _at(2026, 9, 15, 8, 0), "Their proposal.")])
    b.stances(o8, khm, [(OPEN, _at(2026, 9, 22, 12, 0), "If visits come with it.")])
    o9 = b.put(
        Option(
            case_id=case.id,
            title="Family visits to detainees, accompanied by the Women's Circle",
            text="Relatives may visit detained persons once a month, accompanied.",
            status=OptionStatus.MERGED,
            raised_by=RaisedBy.PARTY,
            raised_by_party_id=circle.id,
            raised_by_person_id=salma.id,
            raised_on=d(2026, 9, 18),
        ),
        _at(2026, 9, 18, 10, 0),
    )
    o9.interests = [circle_interest]
    b.stances(o9, circle, [(SUPPORTS, _at(2026, 9, 18, 10, 0), "Their proposal.")])
    b.stances(o9, gov, [(OPPOSES, _at(2026, 9, 25, 8, 0), "'Not before the lists.'")])
    o10 = b.put(
        Option(
            case_id=case.id,
            title="Detainee package: lists first, then accompanied visits",
            text=(
                "Lists through Lanterna by 30 October; from December, monthly family visits "
                "accompanied by the Women's Circle. Draft for Workshop II."
            ),
            status=OptionStatus.DISCUSSED,
            raised_by=RaisedBy.FACILITATOR,
            raised_by_person_id=mira.id,
            raised_on=d(2026, 10, 5),
        ),
        _at(2026, 10, 5, 9, 0),
    )
    o10.interests = [circle_interest]
    b.stances(o10, gov, [(OPEN, _at(2026, 10, 5, 9, 0), "Sequencing accepted.")])
    b.stances(o10, khm, [(SUPPORTS, _at(2026, 10, 8, 11, 0), "")])
    b.stances(o10, circle, [(SUPPORTS, _at(2026, 10, 6, 15, 0), "")])
    s.flush()
    b.link(o10, o8, LineageKind.MERGED, d(2026, 10, 5))
    b.link(o10, o9, LineageKind.MERGED, d(2026, 10, 5))

    # A split: the pass road idea becomes a demining survey (agreed) and reopening (later).
    o11 = b.put(
        Option(
            case_id=case.id,
            title="Demine and reopen the upper pass road",
            text="Clear the upper road of mines and reopen it to civilian traffic.",
            status=OptionStatus.SPLIT,
            raised_by=RaisedBy.PERSON,
            raised_by_party_id=khm.id,
            raised_by_person_id=vakhtang.id,
            raised_on=d(2026, 5, 3),
        ),
        _at(2026, 5, 3, 13, 0),
    )
    b.stances(o11, khm, [(SUPPORTS, _at(2026, 5, 3, 13, 0), "")])
    b.stances(o11, gov, [(OPPOSES, _at(2026, 5, 6, 9, 0), "'Reopening is a status question.'")])
    o12 = b.put(
        Option(
            case_id=case.id,
            title="Joint demining survey of the upper pass road",
            text="Engineers from both sides survey the road together, with an observer.",
            status=OptionStatus.AGREED_IN_PRINCIPLE,
            raised_by=RaisedBy.JOINT,
            raised_in_session_id=ws1.id,
            raised_on=d(2026, 7, 10),
        ),
        _at(2026, 7, 10, 11, 0),
    )
    b.stances(o12, gov, [(SUPPORTS, _at(2026, 7, 10, 11, 0), "Technical, not political.")])
    b.stances(o12, khm, [(SUPPORTS, _at(2026, 7, 10, 11, 0), "")])
    o13 = b.put(
        Option(
            case_id=case.id,
            title="Reopening the upper pass road to civilian traffic",
            text="Once surveyed and cleared; hours and checks to be agreed.",
            status=OptionStatus.PARKED,
            raised_by=RaisedBy.JOINT,
            raised_in_session_id=ws1.id,
            raised_on=d(2026, 7, 10),
        ),
        _at(2026, 7, 10, 11, 5),
    )
    b.stances(o13, khm, [(SUPPORTS, _at(2026, 7, 10, 11, 5), "")])
    b.stances(o13, gov, [(OPEN, _at(2026, 7, 10, 11, 5), "After the survey.")])
    s.flush()
    b.link(o12, o11, LineageKind.SPLIT, d(2026, 7, 10))
    b.link(o13, o11, LineageKind.SPLIT, d(2026, 7, 10))

    # --- actions and journal ------------------------------------------------------------
    for title, notes, owner_person, owner, due, done_at, session in [
        (
            "Circulate the draft working paper on the road commission",
            "",
            mira,
            "",
            d(2026, 7, 31),
            _at(2026, 7, 29, 16, 0),
            ws1,
        ),
        (
            "Add two comparative examples of civilian commissions",
            "",
            ilse,
            "",
            d(2026, 8, 15),
            _at(2026, 8, 20, 10, 0),
            ws1,
        ),
        (
            "Send the Workshop II budget to the foundation",
            "",
            noa,
            "",
            d(2026, 11, 1),
            _at(2026, 11, 2, 14, 0),
            ws2,
        ),
        (
            "Send the valley participants' names to the checkpoints directorate",
            "Deadline set by Belenko: 20 December. Ask each person's consent first.",
            noa,
            "",
            d(2026, 12, 15),
            None,
            ws2,
        ),
        (
            "Convey the KHM reply on the working paper to the Deputy Minister",
            "Together with the safe-passage answer, in person.",
            mira,
            "",
            d(2026, 11, 30),
            None,
            None,
        ),
        (
            "Confirm the interpreters for January",
            "",
            None,
            "Interpreters' agency (via Noa)",
            d(2026, 12, 10),
            None,
            ws2,
        ),
        (
            "Ask the Women's Circle for the families' list for the spring visits",
            "",
            eteri,
            "",
            d(2027, 2, 15),
            None,
            None,
        ),
        (
            "Return to the ceasefire anniversary message after its embargo",
            "The embargo ends on 1 March 2027.",
            mira,
            "",
            d(2027, 3, 2),
            None,
            None,
        ),
    ]:
        created = done_at or _at(2026, 11, 19, 17, 0)
        b.put(
            Action(
                case_id=case.id,
                session_id=session.id if session else None,
                title=title,
                notes=notes,
                owner_person_id=owner_person.id if owner_person else None,
                owner=owner,
                due_on=due,
                done=done_at is not None,
                done_at=done_at,
            ),
            min(created, _at(due.year, due.month, due.day)) - timedelta(days=10),
        )

    journal = [
        (
            _at(2026, 2, 19, 20, 0),
            "After the valley",
            "Gelovani held back whenever Mtvarishvili was in the room, then walked me to the "
            "car himself. The elder Qoreli watched everything and said three sentences; "
            "everyone listened to all three. Next time: ask for a moment with him alone.",
        ),
        (
            _at(2026, 5, 8, 21, 0),
            "Reshuffle rumours",
            "LINDEN says Velimirov may lose the file this summer. Do not let the whole process "
            "rest on one person in Dravin: widen contacts to the Interior Ministry.",
        ),
        (
            _at(2026, 7, 10, 21, 30),
            "Lake Orvel, last evening",
            "The best moment was not in the room: Marko and Qoreli on the terrace, talking "
            "about the 2011 winter through the interpreter for an hour. Noa's remark: "
            "„זה היה הרגע של הסדנה.“ (That was the moment of the workshop.)",
        ),
        (
            _at(2026, 10, 8, 19, 0),
            "ملاحظات من لقاء الميناء",
            "التقيت اليوم بممثلي العائلات النازحة في الميناء. يطلبون ضمانات مكتوبة لزيارات "
            "العائلات عبر خط التماس قبل موسم الأعياد. السيدة نجّار مستعدة لإعداد القوائم "
            "بنفسها.\n\n"
            "(Met the displaced families at the port. They want written guarantees for visits "
            "across the line before the holidays; Ms Najjar will prepare the lists herself.)",
        ),
        (
            _at(2026, 11, 19, 18, 0),
            "Before Workshop II",
            "Open points: safe passage (names by 20 December), the two extra elders, the "
            "interpreters. If the coalition partner leaves in December, expect Dravin to go "
            "quiet for a few weeks.\n"
            "תזכורת: לבדוק מול הקרן את לוח הזמנים של הסדנה השנייה.",
        ),
    ]
    journal_notes = [
        b.put(Note(case_id=case.id, written_at=at, title=title, body=body), at)
        for at, title, body in journal
    ]
    s.flush()

    # --- tags and an attachment -------------------------------------------------------
    road, humanitarian, sensitive, workshop2 = (
        b.put(Tag(name=n), _at(2026, 1, 1))
        for n in ("road", "humanitarian", "sensitive", "workshop II")
    )
    s.flush()
    b.tag(road, o1, o2, m6, ws1)
    b.tag(humanitarian, o3, m5, m11, m15)
    b.tag(sensitive, m3, m9, m13, m18, journal_notes[1])
    b.tag(workshop2, ws2, m16, m17)
    data = _AGENDA_DRAFT.encode("utf-8")
    b.put(
        Attachment(
            record_kind=ws2.__kind__,
            record_id=ws2.id,
            filename="agenda-draft.txt",
            media_type="text/plain",
            description="Draft agenda for Workshop II, as sent to Noa on 2 November.",
            size=len(data),
            data=data,
            added_at=_at(2026, 11, 2, 15, 0),
        ),
        _at(2026, 11, 2, 15, 0),
    )
    s.flush()


def _build_dormant_case(b: _Builder) -> None:
    s = b.s
    case = b.put(
        Case(
            title=DEMO_DORMANT_CASE_TITLE,
            summary=(
                "Track III dialogue between the irrigation cooperatives upstream and the "
                "fishing villages of the Orun Delta over dry-season water. Paused since "
                "November 2024, waiting for the provincial water law."
            ),
            track=Track.THREE,
            status=CaseStatus.DORMANT,
            started_on=date(2024, 3, 4),
        ),
        date(2024, 3, 4),
    )
    coops = b.put(
        Party(case=case, name="Upper Orun irrigation cooperatives", kind=PartyKind.COMMUNITY),
        date(2024, 3, 4),
    )
    delta = b.put(
        Party(case=case, name="Delta fishing villages", kind=PartyKind.COMMUNITY),
        date(2024, 3, 4),
    )
    lanterna = b.put(
        Party(case=case, name="Lanterna Dialogue Initiative", kind=PartyKind.THIRD_PARTY),
        date(2024, 3, 4),
    )
    mira = s.scalars(select(Person).where(Person.name == MIRA)).one()
    haldor = b.person(
        "Haldor Venn",
        role="Chair of the Upper Orun cooperatives' union",
        languages="English",
        channels=[(EMAIL, "haldor.venn@orun-coops.example.org", "union")],
        at=date(2024, 3, 4),
    )
    yael = b.person(
        "יעל אורני",
        role="Head of the village council of Sefa, in the delta",
        languages="Hebrew, English",
        notes="Transliteration: Yael Orni. ראשת המועצה של כפר הדייגים ספה.",
        channels=[(PHONE, "+000 55 555 0164", "council")],
        at=date(2024, 3, 4),
    )
    b.affiliate(mira, lanterna, "Facilitator", OFFICIAL, date(2024, 3, 4))
    b.affiliate(haldor, coops, "Chair", OFFICIAL, date(2024, 3, 4))
    b.affiliate(yael, delta, "Head of the Sefa village council", OFFICIAL, date(2024, 3, 4))
    s.flush()
    P = ProfileKind
    coop_interest = b.profile(
        coops, P.INTEREST, "Enough water for the second harvest.", date(2024, 3, 4)
    )
    delta_need = b.profile(
        delta, P.NEED, "A minimum river flow in August, when the fish spawn.", date(2024, 3, 4)
    )
    b.profile(delta, P.FEAR, "Salt water moving up the delta.", date(2024, 3, 4))
    b.profile(
        coops,
        P.CONSTRAINT,
        "The water law is provincial; the union cannot sign for it.",
        date(2024, 6, 1),
    )
    rnd = b.put(
        Round(
            case_id=case.id,
            number=1,
            title="First exchange on the dry season",
            started_on=date(2024, 4, 8),
            ended_on=date(2024, 4, 19),
        ),
        date(2024, 4, 8),
    )
    s.flush()
    ma = b.message(
        case,
        rnd,
        sender=coops,
        sender_person=haldor,
        recipient=delta,
        recipient_person=yael,
        said_at=_at(2024, 4, 9, 10, 0),
        place="union office",
        content="The cooperatives are ready to share their dry-season release schedule.",
        summary="Cooperatives offer to share the dry-season release schedule.",
        disclosure=SHAREABLE,
    )
    mb = b.message(
        case,
        rnd,
        sender=delta,
        sender_person=yael,
        recipient=coops,
        recipient_person=haldor,
        said_at=_at(2024, 4, 16, 9, 0),
        place="Sefa, village council",
        content=(
            "A schedule is a start. Some in the villages would accept lower flows in June if "
            "August is guaranteed."
        ),
        summary="Delta could accept lower June flows if August is guaranteed.",
        disclosure=UNATTRIBUTED,
        reply_to=ma,
    )
    s.flush()
    b.deliver(
        case,
        rnd,
        to=delta,
        to_person=yael,
        at=_at(2024, 4, 12, 11, 0),
        place="Sefa, village council",
        content="Conveyed the cooperatives' offer to share the release schedule.",
        items=[(ma, True)],
    )
    b.deliver(
        case,
        rnd,
        to=coops,
        to_person=haldor,
        at=_at(2024, 4, 18, 10, 0),
        place="union office",
        content="Said, without naming anyone, that June could be traded for August.",
        items=[(mb, False)],
    )
    opt = b.put(
        Option(
            case_id=case.id,
            title="Shared dry-season water calendar",
            text="A calendar of releases agreed each spring by both sides.",
            status=OptionStatus.PARKED,
            raised_by=RaisedBy.FACILITATOR,
            raised_by_person_id=mira.id,
            raised_in_message_id=mb.id,
            raised_on=date(2024, 4, 19),
        ),
        _at(2024, 4, 19, 12, 0),
    )
    opt.interests = [coop_interest, delta_need]
    s.flush()
    b.stances(opt, coops, [(OPEN, _at(2024, 4, 19, 12, 0), "")])
    b.stances(opt, delta, [(SUPPORTS, _at(2024, 4, 19, 12, 0), "")])
    b.put(
        Note(
            case_id=case.id,
            written_at=_at(2024, 11, 5, 18, 0),
            title="Paused",
            body=(
                "Both sides are waiting for the provincial water law. Check again when the "
                "draft is published."
            ),
        ),
        _at(2024, 11, 5, 18, 0),
    )
    s.flush()


# ==========================================================================================
# The scale generator (benchmarks)
# ==========================================================================================

_CHUNK = 5_000
# "Now" for the generated data: fixed, so that a seed always gives the same vault.
_SCALE_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _split(words: str) -> list[str]:
    return words.split()


_LATIN = _split(
    "road commission elders checkpoint detainees families ceasefire guarantee monitoring "
    "valley ministry council proposal lists visit winter hospital security arrangements "
    "workshop humanitarian statute referendum delegation observer water harvest border "
    "amnesty schools crossing prisoners interpreter timetable village pass bridge clinic "
    "declaration withdrawal mines cemetery election coalition minister movement"
)
_CYRILLIC = _split(
    "дорога комиссия старейшины блокпост задержанные семьи перемирие гарантии мониторинг "
    "долина министерство совет предложение списки визит зима больница безопасность "
    "перевал мост выборы коалиция кладбище переводчик граница"
)
_GEORGIAN = _split(
    "გზა კომისია უხუცესები საგუშაგო დაკავებულები ოჯახები ზავი გარანტია მონიტორინგი ხეობა "
    "სამინისტრო საბჭო წინადადება სიები ვიზიტი ზამთარი საავადმყოფო უსაფრთხოება ხიდი "
    "არჩევნები სასაფლაო თარჯიმანი საზღვარი"
)
_ARABIC = _split(
    "طريق لجنة الشيوخ حاجز المعتقلين العائلات هدنة ضمانات مراقبة الوادي وزارة مجلس "
    "اقتراح قوائم زيارة الشتاء مستشفى الأمن جسر انتخابات مقبرة مترجم الحدود"
)
_HEBREW = _split("דרך ועדה זקנים מחסום עצורים משפחות הפסקת אש ערבויות גבול בחירות")
_SCRIPTS: tuple[list[str], ...] = (_LATIN, _CYRILLIC, _GEORGIAN, _ARABIC, _HEBREW)
_SCRIPT_WEIGHTS = (55, 20, 12, 10, 3)

_FIRST = _split(
    "Anna Boris Clara Dmitri Elena Farid Goran Hana Ilya Jana Karim Lena Marat Nadia Omar "
    "Petra Rami Sofia Timur Vera Yusuf Zara"
)
_LAST = _split(
    "Arvani Belko Corvel Darnis Esko Farrow Galen Hadri Istvel Jorvik Kaldor Lessar Morvan "
    "Nerith Orlov Pellan Qaris Rovesk Saldor Tarnis Ulven Varga"
)
_NAMES_OTHER_SCRIPTS = (
    "ნინო ხეობელი",
    "დავით მთიელი",
    "Мирослав Дранко",
    "Елена Сорвина",
    "كريم الوادي",
    "ليلى حدّاد",
    "אורי גלבוע",
)
_REGIONS = (
    "Korvan Highlands",
    "Orun Delta",
    "Sefira Coast",
    "Marvel Plateau",
    "Tessa Valley",
    "Ardan Islands",
    "Velt Marches",
    "Lomira Basin",
)


class _Ids:
    """Hands out primary keys, so that rows can refer to each other before insertion."""

    def __init__(self, s: Session) -> None:
        self.s = s
        self.next: dict[type[Base], int] = {}

    def __call__(self, model: type[Base]) -> int:
        if model not in self.next:
            table = model.__table__
            current = self.s.execute(select(func.max(table.c.id))).scalar()
            self.next[model] = int(current or 0) + 1
        n = self.next[model]
        self.next[model] = n + 1
        return n


def _bulk(
    s: Session,
    target: Any,
    rows: list[dict[str, Any]],
    progress: Callable[[str, int, int], None] | None = None,
) -> None:
    name = getattr(target, "__tablename__", None) or getattr(target, "name", str(target))
    for i in range(0, len(rows), _CHUNK):
        s.execute(insert(target), rows[i : i + _CHUNK])
        if progress is not None:
            progress(f"writing {name}", min(i + _CHUNK, len(rows)), len(rows))


def _stamp(row: dict[str, Any], at: datetime) -> dict[str, Any]:
    row["created_at"] = at
    row["updated_at"] = at
    return row


def generate_scale(
    vault: Vault,
    *,
    messages: int,
    seed: int = 1,
    cases: int = 3,
    progress: Callable[[str, int, int], None] | None = None,
) -> None:
    """Fill ``vault`` with a large, plausible, multi-script notebook for benchmarks.

    ``messages`` messages spread over ``cases`` cases and several years, about 30% of them
    delivered (never a confidential one without a release, never an embargoed one before its
    date), sessions, options with stance histories, notes and actions. Deterministic for a
    given seed. Uses bulk inserts in one transaction; the search index is filled by its
    triggers as usual. Bulk rows leave no audit entries. ``progress(stage, done, total)`` is
    called as the work goes (a million messages take minutes).
    """
    if messages < 0 or cases < 1:
        raise ValueError("messages must be >= 0 and cases >= 1")
    rng = random.Random(seed)

    def words(n: int) -> str:
        script = rng.choices(_SCRIPTS, _SCRIPT_WEIGHTS)[0]
        out = rng.choices(script, k=n)
        if rng.random() < 0.3:  # a word or two in another script, as in real notes
            other = rng.choice(_SCRIPTS)
            out[rng.randrange(n)] = rng.choice(other)
        return " ".join(out)

    def sentence(lo: int, hi: int) -> str:
        text = words(rng.randint(lo, hi))
        return text[0].upper() + text[1:] + "."

    def when(start: datetime, end: datetime) -> datetime:
        span = int((end - start).total_seconds())
        return start + timedelta(seconds=rng.randrange(max(span, 1)))

    with vault.transaction() as s:
        ids = _Ids(s)
        rows: dict[Any, list[dict[str, Any]]] = {}

        def add(target: Any, row: dict[str, Any]) -> dict[str, Any]:
            rows.setdefault(target, []).append(row)
            return row

        # --- cases and parties ---------------------------------------------------------
        case_spans: dict[int, tuple[datetime, datetime]] = {}
        sides: dict[int, tuple[int, int, int, int]] = {}  # gov, movement, civil, third party
        for c in range(cases):
            case_id = ids(Case)
            start = datetime(2012 + rng.randrange(6), 1 + rng.randrange(12), 1, tzinfo=UTC)
            end = _SCALE_NOW - timedelta(days=rng.randrange(0, 30))
            case_spans[case_id] = (start, end)
            region = _REGIONS[c % len(_REGIONS)]
            n = c // len(_REGIONS)
            add(
                Case,
                _stamp(
                    {
                        "id": case_id,
                        "title": f"{region} dialogue" + (f" ({n + 1})" if n else ""),
                        "summary": sentence(20, 60),
                        "track": rng.choice(list(Track)),
                        "status": CaseStatus.ACTIVE if c < 2 else rng.choice(list(CaseStatus)),
                        "started_on": start.date(),
                        "ended_on": None,
                    },
                    start,
                ),
            )
            party_ids = []
            for kind, name in (
                (PartyKind.GOVERNMENT, f"Government ({region})"),
                (
                    rng.choice([PartyKind.ARMED_GROUP, PartyKind.POLITICAL_MOVEMENT]),
                    f"{region} Movement",
                ),
                (PartyKind.CIVIL_SOCIETY, f"{region} civic forum"),
                (PartyKind.THIRD_PARTY, "Lanterna Dialogue Initiative"),
            ):
                pid = ids(Party)
                party_ids.append(pid)
                add(
                    Party,
                    _stamp(
                        {
                            "id": pid,
                            "case_id": case_id,
                            "name": name,
                            "kind": kind,
                            "description": sentence(8, 30),
                        },
                        start,
                    ),
                )
            sides[case_id] = (party_ids[0], party_ids[1], party_ids[2], party_ids[3])
        case_ids = list(case_spans)

        # --- people, channels, affiliations -----------------------------------------------
        n_people = max(50, cases * 8)
        members: dict[int, list[int]] = {}  # party id -> person ids
        person_party: dict[tuple[int, int], int] = {}  # (case, person) -> party
        for i in range(n_people):
            pid = ids(Person)
            if i % 7 == 3:
                name = _NAMES_OTHER_SCRIPTS[(i // 7) % len(_NAMES_OTHER_SCRIPTS)]
            else:
                name = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
            first_seen = datetime(2012, 1, 1, tzinfo=UTC) + timedelta(days=rng.randrange(3000))
            add(
                Person,
                _stamp(
                    {
                        "id": pid,
                        "name": name,
                        "codename": f"{rng.choice(_LATIN).upper()}-{i}"
                        if rng.random() < 0.3
                        else None,
                        "role": sentence(2, 6),
                        "languages": ", ".join(
                            rng.sample(["English", "Russian", "Arabic", "Georgian", "French"], 2)
                        ),
                        "notes": sentence(5, 25) if rng.random() < 0.6 else "",
                    },
                    first_seen,
                ),
            )
            for k in range(rng.randint(1, 3)):
                ch_kind = rng.choice([PHONE, EMAIL, MESSENGER, ADDRESS])
                value = {
                    PHONE: f"+000 {rng.randint(10, 99)} 555 {rng.randint(0, 9999):04d}",
                    EMAIL: f"person{i}.{k}@example.org",
                    MESSENGER: f"@contact{i}_{k}",
                    ADDRESS: f"{rng.randint(1, 99)} {rng.choice(_LAST)} Street",
                }[ch_kind]
                add(
                    Channel,
                    {
                        "id": ids(Channel),
                        "person_id": pid,
                        "kind": ch_kind,
                        "value": value,
                        "label": "",
                    },
                )
            # Everyone belongs to one party of one case; a few also to a second case.
            for case_id in rng.sample(case_ids, min(len(case_ids), 1 + (rng.random() < 0.2))):
                party_id = sides[case_id][(0, 1, 2, 3, 0, 1, 1, 2)[i % 8]]
                members.setdefault(party_id, []).append(pid)
                person_party[(case_id, pid)] = party_id
                add(
                    Affiliation,
                    _stamp(
                        {
                            "id": ids(Affiliation),
                            "person_id": pid,
                            "party_id": party_id,
                            "role": sentence(1, 4),
                            "capacity": rng.choice(list(Capacity)),
                            "since": first_seen.date(),
                            "until": None,
                        },
                        first_seen,
                    ),
                )

        # --- rounds and messages ----------------------------------------------------------
        per_case = [messages // cases + (1 if c < messages % cases else 0) for c in range(cases)]
        disclosures = list(Disclosure)
        disclosure_weights = (35, 25, 30, 10)
        msg_rows: list[dict[str, Any]] = []
        case_messages: dict[int, list[dict[str, Any]]] = {}
        for case_id, n_msgs in zip(case_ids, per_case, strict=True):
            start, end = case_spans[case_id]
            gov_id, mov_id, civ_id, third_id = sides[case_id]
            span = (end - start).total_seconds()
            step = span / max(n_msgs, 1)
            recent: list[dict[str, Any]] = []
            round_id: int | None = None
            round_row: dict[str, Any] | None = None
            this_case: list[dict[str, Any]] = []
            for k in range(n_msgs):
                if progress is not None and len(msg_rows) % 10_000 == 0:
                    progress("making messages", len(msg_rows), messages)
                said_at = start + timedelta(seconds=step * k + rng.random() * step * 0.9)
                if k % 40 == 0:
                    if round_row is not None:
                        round_row["ended_on"] = this_case[-1]["said_at"].date()
                    round_id = ids(Round)
                    round_row = add(
                        Round,
                        _stamp(
                            {
                                "id": round_id,
                                "case_id": case_id,
                                "number": k // 40 + 1,
                                "title": sentence(2, 5),
                                "started_on": said_at.date(),
                                "ended_on": None,
                                "notes": sentence(5, 20) if rng.random() < 0.5 else "",
                            },
                            said_at,
                        ),
                    )
                r = rng.random()
                if r < 0.45:
                    sender, recipient = gov_id, mov_id
                elif r < 0.9:
                    sender, recipient = mov_id, gov_id
                else:
                    sender, recipient = civ_id, rng.choice([gov_id, mov_id])
                disclosure = rng.choices(disclosures, disclosure_weights)[0]
                if disclosure is Disclosure.CONFIDENTIAL and rng.random() < 0.5:
                    recipient = third_id  # "for the mediator only"
                embargo = (
                    said_at + timedelta(days=rng.randint(5, 400))
                    if disclosure is Disclosure.EMBARGOED
                    else None
                )
                reply_to = None
                if recent and rng.random() < 0.4:
                    reply_to = rng.choice(recent)["id"]
                senders = members.get(sender)
                recipients = members.get(recipient)
                row = _stamp(
                    {
                        "id": ids(Message),
                        "case_id": case_id,
                        "round_id": round_id,
                        "sender_party_id": sender,
                        "sender_person_id": rng.choice(senders) if senders else None,
                        "recipient_party_id": recipient,
                        "recipient_person_id": rng.choice(recipients)
                        if recipients and rng.random() < 0.7
                        else None,
                        "said_at": said_at,
                        "place": rng.choice(("", "phone", "video call", sentence(2, 4))),
                        "content": sentence(12, 60),
                        "summary": sentence(5, 14),
                        "disclosure": disclosure,
                        "embargo_until": embargo,
                        "in_reply_to_id": reply_to,
                    },
                    said_at,
                )
                msg_rows.append(row)
                this_case.append(row)
                recent.append(row)
                if len(recent) > 20:
                    recent.pop(0)
            if round_row is not None and this_case:
                round_row["ended_on"] = this_case[-1]["said_at"].date()
            case_messages[case_id] = this_case

        # --- deliveries and releases --------------------------------------------------------
        delivery_rows: list[dict[str, Any]] = []
        item_rows: list[dict[str, Any]] = []
        release_rows: list[dict[str, Any]] = []
        for case_id, msgs in case_messages.items():
            gov_id, mov_id, civ_id, third_id = sides[case_id]
            for m in msgs:
                recipient = m["recipient_party_id"]
                if recipient == third_id:
                    continue
                disclosure = m["disclosure"]
                earliest = m["said_at"]
                attributed = disclosure is Disclosure.SHAREABLE
                if disclosure is Disclosure.CONFIDENTIAL:
                    if rng.random() >= 0.02:
                        continue
                    released_at = earliest + timedelta(days=rng.randint(1, 30))
                    attributed = rng.random() < 0.3
                    release_rows.append(
                        _stamp(
                            {
                                "id": ids(Release),
                                "message_id": m["id"],
                                "party_id": recipient,
                                "released_by": "Facilitator",
                                "released_at": released_at,
                                "reason": "Source consented. " + sentence(4, 12),
                                "attribution_allowed": attributed,
                            },
                            released_at,
                        )
                    )
                    earliest = released_at
                elif disclosure is Disclosure.EMBARGOED:
                    earliest = m["embargo_until"]
                    attributed = True
                    if rng.random() >= 0.55:
                        continue
                elif rng.random() >= 0.5:
                    continue
                delivered_at = earliest + timedelta(hours=rng.randint(1, 24 * 20))
                if delivered_at > _SCALE_NOW:
                    continue  # still pending
                did = ids(Delivery)
                delivery_rows.append(
                    _stamp(
                        {
                            "id": did,
                            "case_id": case_id,
                            "round_id": m["round_id"],
                            "recipient_party_id": recipient,
                            "recipient_person_id": m["recipient_person_id"],
                            "delivered_at": delivered_at,
                            "place": m["place"],
                            "content": sentence(8, 30),
                            "notes": "",
                        },
                        delivered_at,
                    )
                )
                item_rows.append(
                    {
                        "id": ids(DeliveryItem),
                        "delivery_id": did,
                        "message_id": m["id"],
                        "attributed": attributed,
                    }
                )

        # --- sessions -----------------------------------------------------------------------
        session_ids: dict[int, list[int]] = {c: [] for c in case_ids}
        session_times: dict[int, datetime] = {}
        n_sessions = max(cases, messages // 200)
        kinds = list(SessionKind)
        note_kinds = list(SessionNoteKind)
        for k in range(n_sessions):
            case_id = case_ids[k % cases]
            start, end = case_spans[case_id]
            starts = when(start, end + timedelta(days=120))
            sid = ids(CaseSession)
            session_ids[case_id].append(sid)
            session_times[sid] = starts
            add(
                CaseSession,
                _stamp(
                    {
                        "id": sid,
                        "case_id": case_id,
                        "title": sentence(3, 8),
                        "kind": rng.choice(kinds),
                        "status": SessionStatus.PLANNED
                        if starts > _SCALE_NOW
                        else rng.choice([SessionStatus.HELD] * 9 + [SessionStatus.CANCELLED]),
                        "starts_at": starts,
                        "ends_at": starts + timedelta(hours=rng.randint(1, 50)),
                        "place": sentence(2, 5),
                        "ground_rules": "Chatham House Rule." if rng.random() < 0.6 else "",
                        "logistics": sentence(5, 25),
                        "summary": sentence(10, 40),
                    },
                    min(starts, _SCALE_NOW),
                ),
            )
            pool = [p for (c, p) in person_party if c == case_id]
            for person_id in rng.sample(pool, min(len(pool), rng.randint(3, 8))):
                add(
                    Participant,
                    {
                        "id": ids(Participant),
                        "session_id": sid,
                        "person_id": person_id,
                        "party_id": person_party[(case_id, person_id)],
                        "capacity": Capacity.PERSONAL if rng.random() < 0.7 else Capacity.OFFICIAL,
                    },
                )
            for pos in range(1, rng.randint(3, 6) + 1):
                add(
                    AgendaItem,
                    {
                        "id": ids(AgendaItem),
                        "session_id": sid,
                        "position": pos,
                        "title": sentence(2, 6),
                        "notes": sentence(3, 12) if rng.random() < 0.4 else "",
                        "minutes": rng.choice((None, 30, 45, 60, 90, 120)),
                    },
                )
            if starts <= _SCALE_NOW:
                for j in range(rng.randint(5, 10)):
                    noted = starts + timedelta(minutes=10 * j + rng.randint(0, 9))
                    add(
                        SessionNote,
                        _stamp(
                            {
                                "id": ids(SessionNote),
                                "session_id": sid,
                                "kind": rng.choice(note_kinds),
                                "text": sentence(6, 30),
                                "noted_at": noted,
                                "person_id": rng.choice(pool) if pool else None,
                                "party_id": rng.choice(sides[case_id][:3]),
                            },
                            noted,
                        ),
                    )

        # --- profiles -------------------------------------------------------------------------
        interest_ids: dict[int, list[int]] = {c: [] for c in case_ids}
        profile_kinds = list(ProfileKind)
        for case_id in case_ids:
            start, end = case_spans[case_id]
            for party_id in sides[case_id]:
                for j in range(12):
                    pkind = profile_kinds[j % len(profile_kinds)]
                    recorded = when(start, end).date()
                    retired = (
                        recorded + timedelta(days=rng.randint(30, 900))
                        if rng.random() < 0.2
                        else None
                    )
                    if retired is not None and retired > _SCALE_NOW.date():
                        retired = None
                    eid = ids(ProfileEntry)
                    if pkind in (ProfileKind.INTEREST, ProfileKind.NEED):
                        interest_ids[case_id].append(eid)
                    source = session_ids[case_id]
                    add(
                        ProfileEntry,
                        _stamp(
                            {
                                "id": eid,
                                "party_id": party_id,
                                "kind": pkind,
                                "text": sentence(6, 20),
                                "recorded_on": recorded,
                                "retired_on": retired,
                                "source_session_id": rng.choice(source)
                                if source and rng.random() < 0.2
                                else None,
                                "source_message_id": None,
                            },
                            datetime.combine(recorded, time(9), tzinfo=UTC),
                        ),
                    )

        # --- options and stances ----------------------------------------------------------------
        n_options = max(6, messages // 100)
        statuses = list(OptionStatus)
        stance_kinds = list(StanceKind)
        case_options: dict[int, list[int]] = {c: [] for c in case_ids}
        oi_rows: list[dict[str, Any]] = []
        for k in range(n_options):
            case_id = case_ids[k % cases]
            msgs = case_messages[case_id]
            oid = ids(Option)
            raised_by = rng.choice(list(RaisedBy))
            gov_id, mov_id, civ_id, _third = sides[case_id]
            if msgs and (rng.random() < 0.5 or not session_ids[case_id]):
                src_msg = rng.choice(msgs)
                raised_at = src_msg["said_at"]
                in_msg, in_session = src_msg["id"], None
            else:
                in_session = rng.choice(session_ids[case_id])
                raised_at = session_times[in_session]
                in_msg = None
            previous = case_options[case_id]
            add(
                Option,
                _stamp(
                    {
                        "id": oid,
                        "case_id": case_id,
                        "title": sentence(3, 8)[:200],
                        "text": sentence(10, 40),
                        "status": rng.choice(statuses),
                        "raised_by": raised_by,
                        "raised_by_party_id": rng.choice((gov_id, mov_id, civ_id))
                        if raised_by in (RaisedBy.PARTY, RaisedBy.PERSON)
                        else None,
                        "raised_by_person_id": rng.choice(members.get(mov_id) or [None])
                        if raised_by is RaisedBy.PERSON
                        else None,
                        "raised_in_session_id": in_session,
                        "raised_in_message_id": in_msg,
                        "raised_on": raised_at.date(),
                    },
                    raised_at,
                ),
            )
            if previous and rng.random() < 0.25:
                add(
                    OptionLink,
                    {
                        "id": ids(OptionLink),
                        "option_id": oid,
                        "parent_id": rng.choice(previous),
                        "kind": rng.choice(list(LineageKind)),
                        "linked_on": raised_at.date(),
                    },
                )
            previous.append(oid)
            for party_id in (gov_id, mov_id, civ_id):
                at = raised_at
                for _ in range(rng.randint(1, 3)):
                    if at > _SCALE_NOW:
                        break
                    add(
                        Stance,
                        {
                            "id": ids(Stance),
                            "option_id": oid,
                            "party_id": party_id,
                            "stance": rng.choice(stance_kinds),
                            "recorded_at": at,
                            "note": sentence(3, 10) if rng.random() < 0.3 else "",
                            "source_session_id": None,
                        },
                    )
                    at += timedelta(days=rng.randint(3, 120))
            pool = interest_ids[case_id]
            for eid in rng.sample(pool, min(len(pool), rng.randint(0, 2))):
                oi_rows.append({"option_id": oid, "profile_entry_id": eid})

        # --- actions and notes --------------------------------------------------------------
        for k in range(max(cases, messages // 100)):
            case_id = case_ids[k % cases]
            start, end = case_spans[case_id]
            created = when(start, end)
            due = (created + timedelta(days=rng.randint(3, 90))).date()
            done = created + timedelta(days=rng.randint(1, 60))
            is_done = done < _SCALE_NOW and rng.random() < 0.6
            pool = [p for (c, p) in person_party if c == case_id]
            add(
                Action,
                _stamp(
                    {
                        "id": ids(Action),
                        "case_id": case_id,
                        "session_id": rng.choice(session_ids[case_id])
                        if session_ids[case_id] and rng.random() < 0.4
                        else None,
                        "title": sentence(3, 9),
                        "notes": sentence(4, 15) if rng.random() < 0.5 else "",
                        "owner_person_id": rng.choice(pool) if pool else None,
                        "owner": "",
                        "due_on": due,
                        "done": is_done,
                        "done_at": done if is_done else None,
                    },
                    created,
                ),
            )
        for k in range(max(cases, messages // 20)):
            case_id = case_ids[k % cases]
            start, end = case_spans[case_id]
            written = when(start, end)
            add(
                Note,
                _stamp(
                    {
                        "id": ids(Note),
                        "case_id": case_id,
                        "written_at": written,
                        "title": sentence(2, 6),
                        "body": "\n\n".join(sentence(10, 40) for _ in range(rng.randint(1, 4))),
                    },
                    written,
                ),
            )

        # --- tags -------------------------------------------------------------------------------
        tag_ids = []
        existing = set(s.scalars(select(Tag.name)))
        for name in ("road", "detainees", "humanitarian", "sensitive", "follow-up", "security"):
            if name in existing:
                continue
            tid = ids(Tag)
            tag_ids.append(tid)
            add(Tag, {"id": tid, "name": name})
        tagged: set[tuple[int, int]] = set()
        if tag_ids and msg_rows:
            for _ in range(max(1, messages // 100)):
                pair = (rng.choice(tag_ids), rng.choice(msg_rows)["id"])
                if pair in tagged:
                    continue
                tagged.add(pair)
                add(
                    Tagging,
                    {
                        "id": ids(Tagging),
                        "tag_id": pair[0],
                        "record_kind": Message.__kind__,
                        "record_id": pair[1],
                    },
                )

        # --- insert, parents first ------------------------------------------------------------
        rows[Message] = msg_rows
        rows[Release] = release_rows
        rows[Delivery] = delivery_rows
        rows[DeliveryItem] = item_rows
        rows[option_interests] = oi_rows
        order: list[Any] = [
            Case, Party, Person, Channel, Affiliation, Round,
            CaseSession, Participant, AgendaItem, SessionNote,
            Message, Release, Delivery, DeliveryItem,
            ProfileEntry, Option, Stance, option_interests,
            Action, Note, Tag, Tagging,
        ]  # fmt: skip
        for target in order:
            _bulk(s, target, rows.get(target, []), progress)
