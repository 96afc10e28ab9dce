"""The demo's working paper: the chapter of the Korvan story told in a text.

At Lake Orvel (10 July 2026) both sides agreed that Lanterna drafts a working paper on the
Tsera Pass road commission and that each side comments on it in writing. This chapter writes
that paper the way a mediator runs a single negotiating text: draft 1 (29 July), the written
comments of both sides, draft 2 with a comparative annex (1 September), draft 3 with the two
wordings on weapons side by side (2 October), draft 4 for Workshop II (28 October, also to
the Women's Peace Circle), and a working draft 5 with the answers of mid-November, not
circulated yet. Each draft's note says what changed and why.

Everything goes through the services (app.core.services.texts, text_circulation,
text_critiques), so every circulation passes the disclosure rules: the clauses come from
shareable or unattributed messages and from the workshop both sides attended, never from a
confidence. The services stamp what they write with today's date; :func:`_restamp` then
gives it the story's dates, as the rest of the demo has (only the audit log says when the
demo was made).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import select, true, update

from app.core.demo_paper import Cast, Paper, one_record
from app.core.models import (
    Case,
    CaseText,
    Clause,
    ClauseKind,
    Delivery,
    Draft,
    Reaction,
)
from app.core.services.records import Records
from app.core.services.texts import (
    NewAlternative,
    set_clause_options,
)
from app.core.vault import Vault

TEXT_TITLE = "Tsera Pass working paper"
TEXT_PURPOSE = (
    "Agreed at Lake Orvel on 10 July: Lanterna drafts one paper on the road commission, both "
    "sides comment on it in writing, and we redraft. Nobody signs it; it is the basis for the "
    "road commission session of Workshop II. Keep every wording traceable to what a side said "
    "openly; nothing from a confidence goes in."
)
# When drafting began (after Lake Orvel) and when the working draft 5 was last edited.
DRAFTING_STARTED = datetime(2026, 7, 14, 9, 0, tzinfo=UTC)
LAST_EDITED = datetime(2026, 11, 19, 17, 30, tzinfo=UTC)

HEADING = ClauseKind.HEADING
# Who sits on the commission: the clause all four drafts argue about.
COMMISSION = (
    "A civilian road commission runs the checkpoints on the Tsera Pass road. Its members are "
    "%s. No one in uniform serves at the checkpoints."
)
MINISTRY_WITH_ELDERS = (
    "officials of the Ministry of Reintegration, joined by elders of the upper valley"
)
ELDERS_EQUAL = (
    "elders of the upper valley and officials of the Ministry of Reintegration, in equal numbers"
)
BOTH = "officials of the Ministry of Reintegration and elders of the upper valley"
ACCEPTS, REJECTS, RESERVES = Reaction.ACCEPTS, Reaction.REJECTS, Reaction.RESERVES
WITH_CHANGES = Reaction.ACCEPTS_WITH_CHANGES


def _at(y: int, m: int, d: int, hh: int = 9, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=UTC)


def build_demo_texts(vault: Vault, case_title: str) -> int:
    """Write the working paper into the demo case called ``case_title``; returns its id."""
    with vault.session() as s:
        case_id = one_record(s, Case, true(), Case.title, case_title)
        cast = Cast(s, case_id)
    paper = Paper(vault, cast, TEXT_TITLE, TEXT_PURPOSE)
    _draft_1(paper)
    _draft_2(paper)
    _draft_3(paper)
    _draft_4(paper)
    _working_draft_5(paper)
    _restamp(vault, paper)
    return paper.id


# --- the story, draft by draft -------------------------------------------------------------


def _members_brackets(c: Cast) -> tuple[NewAlternative, ...]:
    """The two sides' wordings of who sits on the commission (drafts 1 and 2)."""
    return (
        NewAlternative(1, c.gov, MINISTRY_WITH_ELDERS, c.m6_commission),
        NewAlternative(1, c.khm, ELDERS_EQUAL, c.m7_conditions),
    )


def _draft_1(p: Paper) -> None:
    c = p.cast
    p.add("purpose heading", "Purpose of this paper", kind=HEADING)
    p.add(
        "purpose",
        "This paper sets out, for discussion only, how a civilian commission could run the "
        "road through the Tsera Pass. It commits no one, and nothing in it touches the "
        "question of status.",
        source_session_id=c.ws1,
        note="The agreement of 10 July at Lake Orvel.",
    )
    p.add("commission heading", "The road commission", kind=HEADING)
    p.add(
        "members",
        COMMISSION % "{1}",
        source_message_id=c.m6_commission,
        proposed_by_party_id=c.gov,
        proposed_by_person_id=c.velimirov,
    )
    p.brackets("members", *_members_brackets(c))
    p.add(
        "co-chairs",
        "The commission has two co-chairs, one official of the ministry and one elder of the "
        "upper valley, who chair in turn for three months each. {1} chairs first.",
        source_session_id=c.ws1,
        note="From the brainstorm of 9 July.",
    )
    p.brackets(
        "co-chairs",
        NewAlternative(1, c.khm, "The elder", c.m7_conditions),
        NewAlternative(1, c.gov, "The ministry official"),
    )
    set_clause_options(p.vault, p.clause_id("co-chairs"), [c.co_chairs])
    p.add(
        "observer",
        "The Highland Women's Peace Circle attends the commission's meetings as an observer.",
        source_session_id=c.ws1,
        proposed_by_party_id=c.circle,
    )
    p.add(
        "mandate",
        "The commission sets the opening hours of the road, keeps a register of crossings and "
        "hears the complaints of travellers. It reports to both sides every month through "
        "Lanterna.",
    )
    p.add("humanitarian heading", "Humanitarian measures", kind=HEADING)
    p.add(
        "cemeteries",
        "Families may cross the contact line to visit the cemeteries on the two remembrance "
        "days. The Women's Peace Circle prepares the lists of names and walks with the "
        "families.",
        source_message_id=c.m5_cemeteries,
        proposed_by_party_id=c.circle,
        proposed_by_person_id=c.dzelkvani,
    )
    set_clause_options(p.vault, p.clause_id("cemeteries"), [c.family_visits])
    p.add("next heading", "Next steps", kind=HEADING)
    p.add(
        "next steps",
        "Each side sends its comments on this paper to Lanterna by 15 September 2026.",
        source_session_id=c.ws1,
    )
    d1 = p.circulate(
        [c.gov],
        _at(2026, 7, 29, 16, 0),
        "First draft, from the brainstorm of 9 July and the agreement of 10 July at Lake "
        "Orvel. Both wordings for the commission's members go in as brackets; who chairs "
        "first is left open. Handed to the Deputy Minister on 29 July, taken up to the "
        "council in Tsera the next morning.",
    )
    p.give(d1, [c.khm], _at(2026, 7, 30, 11, 0))

    khm = p.critiques(d1, c.khm, date(2026, 8, 12))
    khm(
        "members",
        WITH_CHANGES,
        "Written reply (Korvaneli): 'joined by' makes the elders guests at the ministry's table.",
        ELDERS_EQUAL,
    )
    khm("co-chairs", WITH_CHANGES, "The first chair sets the tone in the valley.", "The elder")
    khm("mandate", RESERVES, "The Council of Elders must see the mandate before the council.")
    khm(
        "cemeteries",
        ACCEPTS,
        "Yes. And the lists of detained highlanders must come before the road: 'first the "
        "lists, then the road'.",
    )
    gov = p.critiques(d1, c.gov, date(2026, 8, 24))
    gov(
        "purpose",
        WITH_CHANGES,
        "'The question of status' suggests that there is one.",
        "It commits no one, and nothing in it touches the status of the region.",
    )
    gov("members", ACCEPTS, "The ministry's own wording.")
    gov("co-chairs", RESERVES, "Will not say in writing who chairs first.")
    gov("observer", RESERVES, "The Interior Ministry asks on what basis observers attend.")
    gov(
        "cemeteries",
        WITH_CHANGES,
        "Both remembrance days at once is too much before the elections.",
        "on the autumn remembrance day, as a first trial",
    )


def _draft_2(p: Paper) -> None:
    c = p.cast
    p.edit(
        "purpose",
        wording="This paper sets out, for discussion only, how a civilian commission could run "
        "the road through the Tsera Pass. It commits no one, and nothing in it touches the "
        "status of the region.",
    )
    # Our own wording beside the two of the sides.
    p.brackets("members", *_members_brackets(c), NewAlternative(1, None, BOTH))
    p.move("observer", p.index("mandate"))
    p.edit(
        "cemeteries",
        wording="Families may cross the contact line to visit the cemeteries on the autumn "
        "remembrance day of 2026, as a first trial, and on both remembrance days from 2027. "
        "The Women's Peace Circle prepares the lists of names and walks with the families.",
    )
    p.add(
        "lists",
        "Each side hands Lanterna the list of the persons it holds in connection with the "
        "conflict before the road opens.",
        at=p.index("cemeteries") + 1,
        source_message_id=c.m7_conditions,
        proposed_by_party_id=c.khm,
        proposed_by_person_id=c.gelovani,
    )
    p.add("annex heading", "Annex: road commissions elsewhere", kind=HEADING)
    p.add(
        "annex",
        "For reference only (Dr. Marwen): the joint water board of the Selm valley "
        "(2009–2014) and the crossing council of the Varna islands (since 2017) were chaired "
        "in turn by each side and reported through a neutral secretariat. Neither decided "
        "any question of status.",
    )
    d2 = p.circulate(
        [c.gov, c.khm],
        _at(2026, 9, 1, 10, 0),
        "Redrafted after the written comments of the KHM (12 August) and of Dravin "
        "(24 August): the status sentence in the government's words, the cemetery visits as "
        "a trial in the autumn, the detainee lists added at the KHM's request, the Women's "
        "Circle after the mandate. Our own wording for the commission's members goes beside "
        "the two of the sides. Dr. Marwen's examples in an annex. Comments by 15 September, "
        "as agreed at Lake Orvel.",
    )

    khm = p.critiques(d2, c.khm, date(2026, 9, 14))
    khm(
        "members",
        WITH_CHANGES,
        "Lanterna's wording, if 'in equal numbers' stays.",
        BOTH + ", in equal numbers",
    )
    khm("co-chairs", REJECTS, "The elder chairs first, or the council cannot defend the paper.")
    khm("lists", ACCEPTS)
    khm("annex", ACCEPTS, "Useful for the elders; not part of any agreement.")
    gov = p.critiques(d2, c.gov, date(2026, 9, 15), source=c.m11_package)
    gov(
        "members",
        WITH_CHANGES,
        "Lanterna's wording; numbers to be discussed in January.",
        BOTH,
    )
    gov(
        "lists",
        WITH_CHANGES,
        "As in the government's package of the same day.",
        "Each side hands Lanterna its list of detained persons by 30 October 2026.",
    )
    gov("cemeteries", ACCEPTS, "Part of the government's package.")
    gov("annex", RESERVES, "Not in the paper itself; a separate note, if at all.")


def _draft_3(p: Paper) -> None:
    c = p.cast
    p.edit("members", wording=COMMISSION % (BOTH + "; how many of each is settled at Workshop II"))
    p.brackets("members")
    p.edit(
        "lists",
        wording="Each side hands Lanterna its list of the persons it holds in connection with "
        "the conflict by 30 October 2026. Family visits to detainees, accompanied by the "
        "Women's Peace Circle, follow from December.",
        source_message_id=c.m11_package,
        proposed_by_party_id=None,
        proposed_by_person_id=None,
        note="Both sides' proposals merged: the KHM's lists first, the government's date.",
    )
    p.drop("annex")
    p.drop("annex heading")
    p.add("security heading", "Security on the road", kind=HEADING, at=p.index("next heading"))
    p.add(
        "security",
        "At Workshop II the sides will discuss {1} on and along the pass road, in stages.",
        at=p.index("next heading"),
        source_message_id=c.m12_wording,
    )
    p.brackets(
        "security",
        NewAlternative(1, c.gov, "the handover of weapons"),
        NewAlternative(1, c.khm, "security arrangements", c.m12_wording),
    )
    p.edit(
        "next steps",
        wording="Each side sends its comments on this draft to Lanterna by 20 October 2026. "
        "The paper is the basis for the session on the road commission at Workshop II.",
    )
    d3 = p.circulate(
        [c.gov, c.khm],
        _at(2026, 10, 2, 10, 0),
        "Round 3. The commission's members without brackets: who they are is agreed, how "
        "many of each goes to January. The lists get the date of the government's package. "
        "A new section sets the two wordings on weapons side by side; the one from the valley "
        "reached us without attribution and goes to Dravin without a name. The annex is "
        "dropped: both sides read it, Dravin did not want it in the paper.",
    )

    gov = p.critiques(d3, c.gov, date(2026, 10, 5), source=c.m14_paper_only)
    gov(
        "security",
        WITH_CHANGES,
        "For this working paper only, not in any public document.",
        "phased security arrangements",
    )
    gov("members", ACCEPTS)
    gov("lists", ACCEPTS)
    khm = p.critiques(d3, c.khm, date(2026, 10, 8))
    khm("security", ACCEPTS, "As long as 'handover' and 'disarmament' are gone.")
    khm("co-chairs", WITH_CHANGES, "The council will not move on this.", "The elder")
    khm(
        "members",
        WITH_CHANGES,
        "Equal numbers, or two more elders.",
        BOTH + ", in equal numbers",
    )


def _draft_4(p: Paper) -> None:
    c = p.cast
    p.edit(
        "security",
        wording="At Workshop II the sides will discuss phased security arrangements on and "
        "along the pass road. This wording is for this working paper only.",
    )
    p.brackets("security")
    p.edit(
        "co-chairs",
        wording="The commission has two co-chairs, one elder of the upper valley and one "
        "official of the ministry, who chair in turn for three months each; the elder chairs "
        "first.",
    )
    p.brackets("co-chairs")
    p.move("lists", p.index("cemeteries"))
    p.edit(
        "next steps",
        wording="The sides discuss this paper at Workshop II at Lake Orvel, 19–21 January 2027.",
    )
    d4 = p.circulate(
        [c.gov, c.khm],
        _at(2026, 10, 28, 10, 0),
        "For Workshop II. 'Phased security arrangements' stands alone: Dravin accepted it for "
        "this paper on 5 October, the council on 8 October. We propose that the elder chairs "
        "first, as Lanterna's own wording, so that neither side has to propose it. The lists "
        "now come before the visits, as the council asked in May. The Women's Peace Circle "
        "is given this draft too, for the clauses on visits and on its seat as an observer.",
    )
    p.give(d4, [c.circle], _at(2026, 10, 29, 15, 0))

    circle = p.critiques(d4, c.circle, date(2026, 11, 5))
    circle(
        "observer",
        WITH_CHANGES,
        "Dzelkvani: observers who may not speak are decoration.",
        "The Highland Women's Peace Circle attends the commission's meetings as an observer "
        "and may speak on family visits.",
    )
    circle("cemeteries", ACCEPTS, "Ms Najjar prepares the lists for the families at the port.")
    khm = p.critiques(d4, c.khm, date(2026, 11, 17), source=c.m16_basis)
    khm(
        "members",
        WITH_CHANGES,
        "The Movement takes the paper as the basis for January and asks for two more elders.",
        BOTH + ", two of them from the Council of Elders",
    )
    khm("co-chairs", ACCEPTS)
    khm("security", ACCEPTS)
    gov = p.critiques(d4, c.gov, date(2026, 11, 18), source=c.m17_passage)
    gov(
        "next steps",
        WITH_CHANGES,
        "Belenko's condition for safe passage to the workshop.",
        "The names of the participants from the valley reach the checkpoints directorate by "
        "20 December 2026.",
    )
    gov("security", ACCEPTS, "Working paper only.")


def _working_draft_5(p: Paper) -> None:
    p.edit(
        "members",
        wording=COMMISSION
        % (
            BOTH + ", two of them from the Council of Elders; how many of each is settled at "
            "Workshop II"
        ),
        note="Two members from the Council of Elders: the KHM reply of 17 November.",
    )
    p.edit(
        "next steps",
        wording="The sides discuss this paper at Workshop II at Lake Orvel, 19–21 January 2027. "
        "The names of the participants from the valley reach the checkpoints directorate by "
        "20 December 2026.",
    )
    Records(p.vault).update(
        "draft",
        p.working,
        note="Working, not circulated: the KHM reply of 17 November (two more elders) and the "
        "safe-passage terms of 18 November. Goes to both sides once the Deputy Minister has "
        "heard the KHM reply in person (action due 30 November).",
    )


# --- the story's dates ---------------------------------------------------------------------


def _restamp(vault: Vault, p: Paper) -> None:
    """The story's dates on what the services stamped with today's: each draft begins when
    the one before it was circulated; the deliveries say who took each draft, and where."""
    c = p.cast
    recipients = {  # (draft number, party) -> (person, place)
        (1, c.gov): (c.velimirov, "Ministry of Reintegration, Dravin"),
        (1, c.khm): (c.gelovani, "Tsera, the political council's office"),
        (2, c.gov): (c.velimirov, "Ministry of Reintegration, Dravin"),
        (2, c.khm): (c.gelovani, "secure e-mail to the council's office"),
        (3, c.gov): (c.velimirov, "Ministry of Reintegration, Dravin"),
        (3, c.khm): (c.korvaneli, "Tsera, the political council's office"),
        (4, c.gov): (c.velimirov, "Ministry of Reintegration, Dravin"),
        (4, c.khm): (c.korvaneli, "video call, the paper by secure e-mail"),
        (4, c.circle): (c.dzelkvani, "Women's Peace Circle office, Tsera"),
    }
    with vault.transaction() as s:
        begun = DRAFTING_STARTED
        drafts = s.execute(
            select(Draft.id, Draft.number, Draft.circulated_at)
            .where(Draft.text_id == p.id)
            .order_by(Draft.number)
        ).all()
        for draft_id, number, circulated_at in drafts:
            ended = circulated_at or LAST_EDITED
            stamps = {"created_at": begun, "updated_at": ended}
            s.execute(update(Draft).where(Draft.id == draft_id).values(**stamps))
            s.execute(update(Clause).where(Clause.draft_id == draft_id).values(**stamps))
            for delivery_id, party_id, at in s.execute(
                select(Delivery.id, Delivery.recipient_party_id, Delivery.delivered_at).where(
                    Delivery.draft_id == draft_id
                )
            ).all():
                person, place = recipients[(number, party_id)]
                s.execute(
                    update(Delivery)
                    .where(Delivery.id == delivery_id)
                    .values(
                        recipient_person_id=person,
                        place=place,
                        created_at=at,
                        updated_at=at,
                    )
                )
            begun = ended
        s.execute(
            update(CaseText)
            .where(CaseText.id == p.id)
            .values(created_at=DRAFTING_STARTED, updated_at=LAST_EDITED)
        )


__all__ = ["TEXT_TITLE", "build_demo_texts"]
