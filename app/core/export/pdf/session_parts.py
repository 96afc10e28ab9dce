"""Sessions in documents: a session's head, agenda, participants and notes as the audience
may see them (the dossier, the brief), and the session notes document."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from reportlab.platypus import Flowable
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.core.disclosure.audience import NONE
from app.core.export.pdf.commitments_doc import due_before_part
from app.core.export.pdf.common import (
    BODY,
    H3,
    META,
    SMALL,
    Ctx,
    actions_table,
    current_profile,
    day,
    moment,
    option_visible,
    raised_by,
    stance_span,
    table,
    title_block,
    words,
)
from app.core.export.pdf.furniture import (
    ACCENT,
    MUTED,
    Contents,
)
from app.core.export.pdf.text import Span
from app.core.models import (
    AgendaItem,
    CaseSession,
    Participant,
    SessionNote,
    utcnow,
)
from app.core.services import sessions as session_service


def session_part(
    ctx: Ctx, s: Session, session_id: int, *, level: int, notes: bool, heading: bool = True
) -> Iterator[Flowable]:
    sess = s.get(CaseSession, session_id)
    assert sess is not None
    if heading:
        yield ctx.heading(sess.title, level)
    yield from session_head(ctx, sess)
    yield from agenda_part(ctx, s, session_id)
    yield from participants_part(ctx, s, session_id)
    if notes:
        yield from notes_part(ctx, s, session_id)


def session_head(ctx: Ctx, sess: Any) -> Iterator[Flowable]:
    """Kind, status, time and place, ground rules, logistics and summary of a session (a
    stored session or a brief: both have those fields)."""
    when = moment(sess.starts_at)
    if sess.ends_at:
        when += f" – {moment(sess.ends_at)}"
    yield ctx.text(
        f"{words(sess.kind).capitalize()} · {words(sess.status)} · {when}"
        + (f" · {ctx.free(sess.place)}" if sess.place else ""),
        META,
    )
    if sess.ground_rules:
        yield ctx.field("Ground rules", ctx.free(sess.ground_rules))
    if sess.logistics and ctx.view.shows("sessions", "logistics"):
        yield ctx.field("Logistics", ctx.free(sess.logistics))
    if sess.summary:
        if ctx.view.shows("sessions", "summary"):
            yield ctx.field("Summary", ctx.free(sess.summary))
        else:
            ctx.withhold()


def agenda_part(ctx: Ctx, s: Session, session_id: int) -> Iterator[Flowable]:
    yield from agenda_lines(
        ctx,
        s.execute(
            select(AgendaItem.position, AgendaItem.title, AgendaItem.notes, AgendaItem.minutes)
            .where(AgendaItem.session_id == session_id)
            .order_by(AgendaItem.position, AgendaItem.id)
        ).all(),
    )


def agenda_lines(ctx: Ctx, items: Sequence[Any]) -> Iterator[Flowable]:
    """Agenda items (each with ``title``, ``minutes`` and ``notes``), numbered in order."""
    if not items:
        return
    yield ctx.text("Agenda", H3, keep=True)
    for n, it in enumerate(items, 1):
        spans = [Span(f"{n}. ", bold=True), Span(ctx.free(it.title), bold=True)]
        if it.minutes:
            spans.append(Span(f"  ({it.minutes} min)", color=MUTED))
        yield ctx.text(spans, BODY.but(indent=6, space_after=1))
        if it.notes and ctx.view.shows("agenda_items", "notes"):
            yield ctx.text(ctx.free(it.notes), SMALL.but(indent=18, color=MUTED))


def participants_part(ctx: Ctx, s: Session, session_id: int) -> Iterator[Flowable]:
    rows = s.execute(
        select(Participant.person_id, Participant.party_id, Participant.capacity)
        .where(Participant.session_id == session_id)
        .order_by(Participant.id)
    ).all()
    yield from participants_table(ctx, rows)


def participants_table(ctx: Ctx, rows: Sequence[Any]) -> Iterator[Flowable]:
    """Participants (each with ``person_id``, ``party_id`` and ``capacity``); people are
    named as this export names them (codenames)."""
    if not rows:
        return
    yield ctx.text("Participants", H3, keep=True)
    yield from table(
        ctx.ts,
        ["Name", "Party", "Capacity"],
        ([ctx.person(r.person_id), ctx.party(r.party_id) or "—", words(r.capacity)] for r in rows),
        [190, 220, 90],
    )


def notes_part(ctx: Ctx, s: Session, session_id: int) -> Iterator[Flowable]:
    rows = s.execute(
        select(
            SessionNote.kind,
            SessionNote.text,
            SessionNote.noted_at,
            SessionNote.person_id,
            SessionNote.party_id,
        )
        .where(SessionNote.session_id == session_id)
        .order_by(SessionNote.noted_at, SessionNote.id)
    ).all()
    shown = []
    for r in rows:
        if ctx.view.session_note(session_id, r.kind, r.party_id) is not NONE:
            shown.append(r)
        else:
            ctx.withhold()
    if not shown:
        return
    yield ctx.text(
        "Notes"
        if ctx.me
        else "Agreements and own statements"
        if ctx.view.include_own
        else "Agreements",
        H3,
        keep=True,
    )
    for r in shown:
        who = ctx.who(r.party_id, r.person_id) if (r.party_id or r.person_id) else ""
        yield ctx.text(
            [
                Span(f"{moment(r.noted_at)}  ", color=MUTED),
                Span(words(r.kind).upper(), bold=True, color=ACCENT),
            ]
            + ([Span(f"  {who}", color=MUTED)] if who else []),
            SMALL.but(space_before=3),
            keep=True,
        )
        yield ctx.text(ctx.free(r.text), BODY.but(indent=10))


def session_notes(ctx: Ctx, session_id: int) -> Iterator[Flowable]:
    ctx.begin()
    with ctx.vault.session() as s:
        sess = s.get(CaseSession, session_id)
        assert sess is not None
        yield from title_block(ctx, sess.title, f"Session notes · {ctx.view.label}")
        yield ctx.text(
            f"{words(sess.kind).capitalize()} · {words(sess.status)} · {moment(sess.starts_at)}"
            + (f" · {ctx.free(sess.place)}" if sess.place else ""),
            META,
        )
        parts = list(notes_part(ctx, s, session_id))
        if parts:
            yield from parts
        else:
            yield ctx.text("No notes.", META)


def session_brief(ctx: Ctx, session_id: int, contents: Contents | None) -> Iterator[Flowable]:
    """What to read before a session, from the sessions service's brief alone; this builder
    only decides what the audience may see of it."""
    ctx.begin()
    brief = session_service.session_brief(ctx.vault, session_id)
    yield from title_block(ctx, brief.title, f"Session brief · {ctx.view.label}")
    yield from session_head(ctx, brief)
    yield from agenda_lines(ctx, brief.agenda)
    yield from participants_table(ctx, brief.participants)
    # The participants' parties, with their current profiles
    yield ctx.heading("Parties at the table", 0)
    if not brief.parties:
        yield ctx.text("No participant is recorded with a party.", META)
    for party in brief.parties:
        yield ctx.heading(party.name, 1)
        if ctx.view.profile(party.party_id) is NONE:
            ctx.withhold(len(party.profile))
            yield ctx.text("Profile not included in this export.", META)
            continue
        profile = [
            e
            for e in party.profile
            if ctx.view.profile_entry(party.party_id, e.source_message_id, e.source_session_id)
            is not NONE
        ]
        ctx.withhold(len(party.profile) - len(profile))
        if ctx.me:  # a party's export never had this line: it stays the mediator's
            told = brief.knows.get(party.name, 0)
            sources = "nothing" if told == 0 else f"{told:,} source" + ("s" if told > 1 else "")
            yield ctx.text(f"Told so far: {sources} (knowledge ledger)", META)
        yield from current_profile(ctx, profile)
    # Open options and each party's current stance
    yield ctx.heading("Open options", 0)
    visible = [o for o in brief.open_options if option_visible(ctx, o)]
    ctx.withhold(len(brief.open_options) - len(visible))
    parties = [pid for pid in ctx.parties if ctx.own_party(pid)]
    if not visible:
        yield ctx.text("None.", META)
    for o in visible:
        yield ctx.text(ctx.free(o.title), H3, keep=True)
        raised = f"raised {day(o.raised_on)} {raised_by(ctx, o)}"
        # The option's lines stay with its stances rather than end a page alone.
        yield ctx.text(f"{words(o.status).capitalize()} · {raised}", META, keep=True)
        if o.text:
            yield ctx.text(ctx.free(o.text), keep=True)
        stances = {st.party_id: st for st in o.current_stances}
        ctx.withhold(sum(1 for pid in stances if not ctx.own_party(pid)))
        yield from table(
            ctx.ts,
            ["Party", "Current stance"],
            ([ctx.party(pid), stance_span(stances.get(pid))] for pid in parties),
            [220, 200],
        )
    yield ctx.heading("Open actions", 0)
    yield from actions_table(ctx, ((a, False) for a in brief.open_actions))
    yield ctx.heading("Commitments due before this session", 0)
    on = brief.starts_at.astimezone().date() if brief.starts_at else utcnow().date()
    yield from due_before_part(ctx, on)
