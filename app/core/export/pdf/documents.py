"""One builder per kind of document: the story (flowables) of a dossier, a session brief, a
shuttle log (:mod:`log`), an options matrix, a session's notes (:mod:`session_parts`) and
the recovery sheet; what they share is in :mod:`common`.

Every builder is a generator that reads the vault in batches while ReportLab lays the pages
out, so a shuttle log of 10,000 messages never holds them all at once: messages and
deliveries come in pages of :data:`BATCH` rows (keyset pagination on time and id), each
record becomes a small group of flowables, and tables are cut into chunks of at most
:data:`TABLE_ROWS` rows. The audience decides what is shown; whatever is left out only adds
to ``ctx.withheld``, which the caller reports to the mediator; a party's copy never says how
much it does not see. What an audience sees of each record is decided by its
:class:`~app.core.disclosure.audience.AudienceView` (``ctx.view``) alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any

from reportlab.lib.pagesizes import A4, landscape
from reportlab.platypus import Flowable, PageBreak, Spacer
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.core.disclosure.audience import FULL, NONE
from app.core.export.pdf.commitments_doc import commitments_part
from app.core.export.pdf.common import (
    _OPTION_COLS,
    BODY,
    H2,
    H3,
    META,
    SMALL,
    TABLE_ROWS,
    TITLE,
    Ctx,
    actions_table,
    current_profile,
    day,
    day_bounds,
    moment,
    option_visible,
    raised_by,
    stance_span,
    table,
    title_block,
    words,
)
from app.core.export.pdf.common import KINDS as _COMMON_KINDS
from app.core.export.pdf.furniture import (
    MARGIN_X,
    MUTED,
    Contents,
    Mark,
)
from app.core.export.pdf.log import count_log, shuttle_entries, shuttle_log
from app.core.export.pdf.session_parts import (
    session_brief,
    session_notes,
    session_part,
)
from app.core.export.pdf.text import Span, Text, TextStyle, Typesetter
from app.core.models import (
    Action,
    Affiliation,
    CaseSession,
    Channel,
    Note,
    Option,
    OptionLink,
    Party,
    Person,
    ProfileEntry,
)
from app.core.services import sessions as session_service  # the brief reads it
from app.core.services.options import case_stance_histories
from app.core.services.texts import DraftInfo, TextInfo, drafts_of, texts_of_case

# Every kind of document, by its name (the recovery sheet last).
KINDS = {
    **{k: v for k, v in _COMMON_KINDS.items() if k != "recovery"},
    "commitments": "Commitments register",
    "debrief": "Debrief",
    "recovery": _COMMON_KINDS["recovery"],
}

# --- parts shared by several documents ---------------------------------------------------


def profile_entries(ctx: Ctx, s: Session, party_id: int, *, history: bool) -> Iterator[Flowable]:
    rows = s.execute(
        select(
            ProfileEntry.id,
            ProfileEntry.kind,
            ProfileEntry.text,
            ProfileEntry.recorded_on,
            ProfileEntry.retired_on,
            ProfileEntry.source_message_id,
            ProfileEntry.source_session_id,
        )
        .where(ProfileEntry.party_id == party_id)
        .order_by(ProfileEntry.recorded_on, ProfileEntry.id)
    ).all()
    seen = [
        r
        for r in rows
        if ctx.view.profile_entry(party_id, r.source_message_id, r.source_session_id) is not NONE
    ]
    ctx.withhold(len(rows) - len(seen))
    rows = seen
    yield from current_profile(ctx, [r for r in rows if r.retired_on is None])
    retired = [r for r in rows if r.retired_on is not None]
    if history and retired:
        yield ctx.text(Span("History (no longer holds)", bold=True), SMALL.but(space_before=4))
        for r in retired:
            yield ctx.text(
                [
                    Span(
                        f"{day(r.recorded_on)} – {day(r.retired_on)}  {words(r.kind)}: ",
                        color=MUTED,
                    ),
                    Span(ctx.free(r.text)),
                ],
                BODY.but(indent=10, space_after=1.5, color=MUTED),
            )


def actions_part(ctx: Ctx, s: Session, *, open_only: bool) -> Iterator[Flowable]:
    assert ctx.case_id is not None
    q = select(
        Action.id,
        Action.title,
        Action.notes,
        Action.owner_person_id,
        Action.owner,
        Action.due_on,
        Action.done,
        Action.session_id,
    ).where(Action.case_id == ctx.case_id)
    if open_only:
        q = q.where(Action.done.is_(False))
    rows = s.execute(q.order_by(Action.done, Action.due_on.is_(None), Action.due_on, Action.id))
    yield from actions_table(ctx, ((r, r.done) for r in rows))


# --- the case dossier --------------------------------------------------------------------


def dossier_sizes(ctx: Ctx) -> tuple[int, int]:
    """(records for the progress bar, headings in the table of contents)."""
    assert ctx.case_id is not None
    with ctx.vault.session() as s:
        cid = ctx.case_id
        n_sessions = int(
            s.scalar(
                select(func.count()).select_from(CaseSession).where(CaseSession.case_id == cid)
            )
            or 0
        )
        n_log = count_log(s, cid, None, None)
    visible_sessions = n_sessions if ctx.me else len(ctx.view.sessions_seen)
    # Overview, parties, people, shuttle log, sessions, options, texts, commitments,
    # actions, and notes ("me"); one line per party, per session and per text.
    texts = len(_texts_shown(ctx))
    return n_log, (10 if ctx.me else 9) + len(ctx.parties) + visible_sessions + texts


def _texts_shown(
    ctx: Ctx, *, count_withheld: bool = False
) -> list[tuple[TextInfo, list[DraftInfo]]]:
    """The case's texts with the drafts this audience sees (a party: those given to it;
    a text none of whose drafts it was given is left out, and counted when asked)."""
    assert ctx.case_id is not None
    out = []
    for t in reversed(texts_of_case(ctx.vault, ctx.case_id)):  # oldest first
        drafts = [d for d in drafts_of(ctx.vault, t.id) if ctx.view.draft(d.id) is not NONE]
        if not ctx.me:
            drafts = [d for d in drafts if not d.working]
        if drafts:
            out.append((t, drafts))
        elif count_withheld:
            ctx.withhold()
    return out


def texts_part(ctx: Ctx) -> Iterator[Flowable]:
    """Each text and its drafts: for "me" every draft and whom it went to; for a party
    the drafts it was given. The wording itself is the text's own document."""
    shown = _texts_shown(ctx, count_withheld=True)
    if not shown:
        yield ctx.text("None.", META)
    for t, drafts in shown:
        yield ctx.heading(t.title, 1)
        yield ctx.text(words(t.kind).capitalize(), META)
        if ctx.me and t.purpose:
            yield ctx.text(ctx.free(t.purpose))
        for d in drafts:
            if d.working:
                line = f"Working draft {d.number}: {d.clauses} clauses, not yet circulated."
            elif ctx.me:
                to = "; ".join(f"{r.party_name} ({day(r.delivered_at)})" for r in d.recipients)
                line = f"Draft {d.number}: {d.clauses} clauses, circulated to {to}."
            else:
                given = [r for r in d.recipients if r.party_id == ctx.view.party_id]
                when = day(given[0].delivered_at) if given else day(d.circulated_at)
                line = f"Draft {d.number}: {d.clauses} clauses, given to you on {when}."
            yield ctx.text(line)


def dossier(ctx: Ctx, contents: Contents | None) -> Iterator[Flowable]:
    assert ctx.case_id is not None
    ctx.begin()
    row = ctx.case_row
    with ctx.vault.session() as s:
        yield from title_block(ctx, row.title, f"Case dossier · {ctx.view.label}")
        if contents is not None:
            yield ctx.text("Contents", H2.but(space_before=0))
            yield contents
        yield PageBreak()
        # Overview
        yield ctx.heading("Overview", 0)
        yield ctx.field("Track", words(row.track))
        yield ctx.field("Status", words(row.status))
        yield ctx.field("Started", day(row.started_on))
        yield ctx.field("Ended", day(row.ended_on))
        if row.summary:
            if ctx.view.shows("cases", "summary"):
                yield ctx.text(ctx.free(row.summary), BODY.but(space_before=4))
            else:
                ctx.withhold()
        # Parties
        yield ctx.heading("Parties", 0)
        for party in ctx.parties.values():
            yield ctx.heading(party.name, 1)
            yield ctx.text(party.kind.capitalize(), META)
            if ctx.view.profile(party.id) is NONE:
                ctx.withhold(
                    int(
                        s.scalar(
                            select(func.count())
                            .select_from(ProfileEntry)
                            .where(ProfileEntry.party_id == party.id)
                        )
                        or 0
                    )
                )
                yield ctx.text("Profile not included in this export.", META)
                continue
            desc = s.scalar(select(Party.description).where(Party.id == party.id)) or ""
            if desc:
                yield ctx.text(ctx.free(desc))
            yield from profile_entries(ctx, s, party.id, history=True)
        # People
        yield ctx.heading("People", 0)
        yield from people_part(ctx, s)
        # Shuttle log
        yield ctx.heading("Shuttle log", 0)
        yield from shuttle_entries(ctx, s, None, None, round_level=1)
        # Sessions
        yield ctx.heading("Sessions", 0)
        for sess in s.execute(
            select(CaseSession.id)
            .where(CaseSession.case_id == ctx.case_id)
            .order_by(CaseSession.starts_at.is_(None), CaseSession.starts_at, CaseSession.id)
        ).scalars():
            if not ctx.session_visible(sess):
                ctx.withhold()
                continue
            yield from session_part(ctx, s, sess, level=1, notes=True)
        # Options
        yield ctx.heading("Options", 0)
        yield from options_part(ctx, s)
        # Texts
        yield ctx.heading("Texts", 0)
        yield from texts_part(ctx)
        # Commitments
        yield ctx.heading("Commitments", 0)
        yield from commitments_part(ctx)
        # Actions
        yield ctx.heading("Actions", 0)
        yield from actions_part(ctx, s, open_only=False)
        # Notes
        notes = s.execute(
            select(Note.id, Note.written_at, Note.title, Note.body)
            .where(Note.case_id == ctx.case_id)
            .order_by(Note.written_at, Note.id)
        ).all()
        if ctx.view.private_record() is FULL:
            yield ctx.heading("Notes", 0)
            if not notes:
                yield ctx.text("None.", META)
            for n in notes:
                yield ctx.text(
                    [
                        Span(f"{moment(n.written_at)}  ", color=MUTED),
                        Span(ctx.free(n.title), bold=True),
                    ],
                    H3,
                    keep=True,
                )
                yield ctx.text(ctx.free(n.body))
        else:
            ctx.withhold(len(notes))


def people_part(ctx: Ctx, s: Session) -> Iterator[Flowable]:
    aff = s.execute(
        select(
            Affiliation.person_id,
            Affiliation.party_id,
            Affiliation.role,
            Affiliation.capacity,
            Affiliation.since,
            Affiliation.until,
        )
        .where(Affiliation.party_id.in_(list(ctx.parties)))
        .order_by(Affiliation.person_id, Affiliation.id)
    ).all()
    by_person: dict[int, list[Any]] = {}
    for a in aff:
        by_person.setdefault(a.person_id, []).append(a)
    people = list(
        s.execute(
            select(Person.id, Person.role, Person.languages, Person.notes).where(
                Person.id.in_(list(by_person))
            )
        ).all()
    )
    people.sort(key=lambda p: ctx.person(p.id).casefold())
    shown = 0
    for p in people:
        if ctx.view.person(p.id) is NONE:
            ctx.withhold()
            continue
        shown += 1
        yield ctx.text(ctx.person(p.id), H3, keep=True)
        if p.role:
            yield ctx.text(ctx.free(p.role), META)
        ties = "; ".join(
            f"{ctx.party(a.party_id)}"
            + (f", {a.role}" if a.role else "")
            + f" ({words(a.capacity)})"
            + (f", since {day(a.since)}" if a.since else "")
            + (f", until {day(a.until)}" if a.until else "")
            for a in by_person[p.id]
            if ctx.view.affiliation(a.party_id, p.id) is not NONE
        )
        if ties:
            yield ctx.field("Affiliation", ctx.free(ties), SMALL)
        if p.languages:
            yield ctx.field("Languages", p.languages, SMALL)
        if ctx.view.private_record() is FULL:  # channels: the mediator's alone
            channels = s.execute(
                select(Channel.kind, Channel.value, Channel.label)
                .where(Channel.person_id == p.id)
                .order_by(Channel.id)
            ).all()
            if channels:
                yield ctx.field(
                    "Channels",
                    "; ".join(
                        f"{words(c.kind)}: {c.value}" + (f" ({c.label})" if c.label else "")
                        for c in channels
                    ),
                    SMALL,
                )
            if p.notes:
                yield ctx.text(ctx.free(p.notes), SMALL.but(color=MUTED))
    if not shown:
        yield ctx.text("None.", META)


def options_part(ctx: Ctx, s: Session) -> Iterator[Flowable]:
    assert ctx.case_id is not None
    options = s.execute(
        select(*_OPTION_COLS)
        .where(Option.case_id == ctx.case_id)
        .order_by(Option.raised_on, Option.id)
    ).all()
    titles = {o.id: o.title for o in options}
    visible = [o for o in options if option_visible(ctx, o)]
    ctx.withhold(len(options) - len(visible))
    if not visible:
        yield ctx.text("None.", META)
        return
    history = case_stance_histories(s, ctx.case_id)
    visible_ids = {o.id for o in visible}
    # Lineage, named only between options this audience may see.
    came_from: dict[int, list[tuple[str, int]]] = {}
    for link in s.execute(
        select(OptionLink.option_id, OptionLink.parent_id, OptionLink.kind)
        .join(Option, Option.id == OptionLink.option_id)
        .where(Option.case_id == ctx.case_id)
        .order_by(OptionLink.id)
    ):
        if link.option_id in visible_ids and link.parent_id in visible_ids:
            came_from.setdefault(link.option_id, []).append((link.kind.value, link.parent_id))
    for o in visible:
        yield ctx.text(ctx.free(o.title), H3, keep=True)
        meta = f"{words(o.status).capitalize()} · raised {day(o.raised_on)} {raised_by(ctx, o)}"
        for kind, parent_id in came_from.get(o.id, []):
            meta += f" · {kind} from “{ctx.free(titles[parent_id])}”"
        yield ctx.text(meta, META)
        if o.text:
            yield ctx.text(ctx.free(o.text))
        rows = []
        for pid in ctx.parties:
            entries = history.get(o.id, {}).get(pid, [])
            if not entries:
                continue
            if ctx.view.stance(o.id, pid) is NONE:
                ctx.withhold()
                continue
            current = entries[-1]
            past = ", ".join(f"{words(e.stance)} ({day(e.at)})" for e in entries[:-1])
            note: list[Span] = [Span(ctx.free(current.note))] if current.note else []
            if past:
                note.append(Span(("\n" if note else "") + f"Before: {past}", color=MUTED))
            rows.append([ctx.party(pid), stance_span(current), note or "—"])
        if rows:
            yield from table(ctx.ts, ["Party", "Stance", "Note and history"], rows, [130, 110, 260])


# --- the other documents -----------------------------------------------------------------


def options_matrix(ctx: Ctx) -> Iterator[Flowable]:
    assert ctx.case_id is not None
    ctx.begin()
    with ctx.vault.session() as s:
        yield from title_block(
            ctx, f"Options — {ctx.case_row.title}", f"Options matrix · {ctx.view.label}"
        )
        options = s.execute(
            select(*_OPTION_COLS)
            .where(Option.case_id == ctx.case_id)
            .order_by(Option.raised_on, Option.id)
        ).all()
        visible = [o for o in options if option_visible(ctx, o)]
        ctx.withhold(len(options) - len(visible))
        parties = [pid for pid in ctx.parties if ctx.view.profile(pid) is not NONE]
        done = 0
        if not visible:
            yield ctx.text("No options recorded.", META)
        avail = landscape(A4)[0] - 2 * MARGIN_X  # options, status, then one column per party
        party_w = max(min(150.0, (avail - 260) / max(len(parties), 1)), 70.0)
        widths = [avail - 70 - party_w * len(parties), 70, *([party_w] * len(parties))]
        histories = case_stance_histories(s, ctx.case_id)
        for start in range(0, len(visible), TABLE_ROWS):
            chunk = visible[start : start + TABLE_ROWS]
            stances = {
                (o.id, pid): changes[-1]
                for o in chunk
                for pid, changes in histories.get(o.id, {}).items()
                if changes
            }
            ctx.withhold(
                sum(
                    1
                    for o in chunk
                    for pid in ctx.parties
                    if ctx.view.stance(o.id, pid) is NONE and (o.id, pid) in stances
                )
            )
            rows = []
            for o in chunk:
                label: list[Span] = [Span(ctx.free(o.title), bold=True)]
                label.append(Span(f"\nraised {day(o.raised_on)} {raised_by(ctx, o)}", color=MUTED))
                rows.append(
                    [label, words(o.status)]
                    + [stance_span(stances.get((o.id, pid)), "—") for pid in parties]
                )
            yield from table(
                ctx.ts, ["Option", "Status", *[ctx.party(p) for p in parties]], rows, widths
            )
            done += len(chunk)
            yield Mark(done)


def recovery_sheet(
    ts: Typesetter, vault_path: Path, key: str, generated: datetime
) -> list[Flowable]:
    """The recovery key with plain instructions — nothing else from the vault."""
    hex_key = key.replace("-", "").lower()
    big = TextStyle(size=17, bold=True, align="center", space_before=10, space_after=12)
    groups = key.split("-")
    lines = [" ".join(groups[i : i + 4]) for i in range(0, len(groups), 4)]
    step = BODY.but(size=10.5, space_after=5, indent=12)
    return [
        Text(ts, "Recovery sheet", TITLE),
        Text(ts, f"Vault file: {vault_path.name}", BODY.but(size=11)),
        Text(ts, f"Printed: {generated:%Y-%m-%d %H:%M}", BODY.but(size=11, space_after=12)),
        Text(
            ts,
            "This key opens the vault if its passphrase is forgotten. Anyone who has it and the "
            "vault file can read everything in the vault.",
            BODY.but(size=10.5, space_after=6),
        ),
        Text(ts, "Recovery key", H2),
        Text(ts, "\n".join(lines), big),
        Text(ts, "What to do with this sheet", H2),
        Text(
            ts,
            "1. Keep it on paper, apart from the computer — for example in a sealed "
            "envelope in a safe. Do not photograph, scan or e-mail it.",
            step,
        ),
        Text(ts, "2. Do not write the passphrase on the same sheet.", step),
        Text(
            ts,
            "3. Changing the passphrase makes a new recovery key: this sheet then no "
            "longer works; print a new one and destroy this one.",
            step,
        ),
        Text(ts, "How to use it", H2),
        Text(
            ts,
            "In Liaison: open the vault and type the recovery key (the 64 letters and "
            "digits, with or without the dashes) instead of the passphrase. Then choose a new "
            "passphrase.",
            step,
        ),
        Text(
            ts,
            "Without Liaison: the vault is a standard SQLCipher 4 database. In the "
            "sqlcipher shell, open the file and enter:",
            step,
        ),
        Text(ts, f"PRAGMA key = \"x'{hex_key}'\";", SMALL.but(indent=24, space_after=8)),
        Spacer(1, 8),
        Text(ts, "Destroy this sheet (shred it) when it is no longer needed.", META.but(size=9)),
    ]


__all__ = [
    "KINDS",
    "TABLE_ROWS",
    "Ctx",
    "count_log",
    "day",
    "day_bounds",
    "dossier",
    "dossier_sizes",
    "options_matrix",
    "recovery_sheet",
    "session_brief",
    "session_notes",
    "session_service",
    "shuttle_log",
    "table",
]
