"""PDF export: case dossiers, session briefs, shuttle logs, options matrices, session notes,
a text's drafts (the clean copy for circulation, the mediator's annotated copy), the
commitments register, a debrief for an outside audience and the recovery sheet — each for
an audience ("me", or one party, with what that party may not see left out; a debrief for
one outside audience of the case; how much was left out is told to the mediator, never
printed in a party's copy). What an audience sees is decided by
``app.core.disclosure.audience`` alone.

    result = export_pdf(vault, kind="dossier", case_id=1, out_path="dossier.pdf")
    result = export_pdf(vault, kind="log", case_id=1, out_path="log.pdf",
                        audience_party_id=2, codenames=True, password="…",
                        date_from=date(2025, 1, 1), date_to=date(2025, 3, 31),
                        progress=lambda done, total: ..., cancel=lambda: False)
    result = export_pdf(vault, kind="text", case_id=1, out_path="draft.pdf",
                        text_id=3, draft_number=2, against_number=1)  # annotated, for me
    result = export_pdf(vault, kind="commitments", case_id=1, out_path="register.pdf",
                        audience_party_id=2)
    result = export_pdf(vault, kind="debrief", case_id=1, out_path="debrief.pdf",
                        audience_outsider_id=4)  # codenames unless codenames=False
    export_recovery_sheet(vault, "recovery.pdf")

Modules: ``fonts`` and ``text`` (typography for every script), ``furniture`` (page
templates, header, footer, watermark, table of contents, the build loop), ``documents`` (one
builder per kind; a text's drafts in ``text_doc`` and ``text_annotated``, commitments in
``commitments_doc``, the debrief in ``debrief_doc``), ``encryption``
(AES-256 password protection).

The file is written to a temporary name in the target folder and renamed when complete: a
full disk, a read-only folder or a cancelled export leaves no file behind.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from app.core.disclosure.audience import audience_for, audience_for_outsider
from app.core.errors import NotFound, ValidationError
from app.core.export.jsonio import write_atomically
from app.core.export.pdf import commitments_doc, debrief_doc, text_annotated, text_doc
from app.core.export.pdf import documents as docs
from app.core.export.pdf.furniture import Furniture, Tracker, build
from app.core.export.pdf.text import Typesetter
from app.core.services.handovers import OutsiderRow
from app.core.vault import Vault

KINDS: tuple[str, ...] = tuple(docs.KINDS)


@dataclass(frozen=True)
class ExportResult:
    path: Path
    kind: str
    pages: int
    audience: str  # "me" or the party's name
    # Records left out for this audience: for the mediator's eyes (the dialog, the CLI);
    # a party's copy never says how much it does not see.
    withheld: int
    encrypted: bool
    seconds: float
    # Characters no bundled font has (printed as U+FFFD); empty when everything printed.
    missing_characters: frozenset[str] = field(default_factory=frozenset)


def export_pdf(
    vault: Vault,
    *,
    kind: str,
    case_id: int | None,
    out_path: str | os.PathLike[str],
    audience_party_id: int | None = None,
    audience_outsider_id: int | None = None,
    codenames: bool | None = None,
    include_own: bool = False,
    password: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
    date_from: date | datetime | None = None,
    date_to: date | datetime | None = None,
    session_id: int | None = None,
    text_id: int | None = None,
    draft_number: int | None = None,
    against_number: int | None = None,
    clean: bool | None = None,
) -> ExportResult:
    """Write one document of ``kind`` (see :data:`KINDS`) about a case to ``out_path``.

    ``audience_party_id`` None means "me" (everything, marked CONFIDENTIAL); a party id
    leaves out what that party may not see; ``include_own`` adds that party's own statements
    at every level, marked as its own. ``audience_outsider_id`` names the outside audience
    of a ``"debrief"`` (and only of one). ``codenames`` shows people by their codenames;
    None: on for a debrief, off otherwise. ``date_from``/``date_to`` (local calendar days,
    both included) limit a shuttle log; ``session_id`` names the session of a brief or of
    its notes. ``text_id`` names the text of a ``"text"`` export, ``draft_number`` its draft
    (default: the working draft for me, the newest draft the party was given for a party),
    ``against_number`` the draft the annotated copy compares it with (default: the one
    before) and ``clean`` asks for the clean copy for circulation (a party's copy always is;
    the mediator's is the annotated copy unless ``clean``).
    Raises ``NotFound``/``ValidationError`` for bad arguments, ``WriteFailed`` if
    the file cannot be written and ``ExportCancelled`` when ``cancel()`` returns True.
    """
    started = time.perf_counter()
    if kind == "recovery":
        return export_recovery_sheet(vault, out_path, password=password)
    if kind not in docs.KINDS:
        raise ValidationError(f"Unknown kind of document “{kind}”; one of: {', '.join(KINDS)}.")
    if case_id is None:
        raise ValidationError("Choose the case to export.")
    dest = Path(out_path)
    ts = Typesetter()
    # A draft is a document circulated as a whole: a party's own statements are no part of it.
    include_own = include_own and kind not in ("text", "debrief")
    outsider = _check_outsider(vault, kind, case_id, audience_party_id, audience_outsider_id)
    if outsider is not None:
        audience = audience_for_outsider(
            vault, outsider.id, codenames=True if codenames is None else codenames
        )
    else:
        audience = audience_for(
            vault, case_id, audience_party_id, codenames=bool(codenames), include_own=include_own
        )
    ctx = docs.Ctx(vault, ts, audience, case_id)
    title = docs.KINDS[kind]
    landscape = False
    toc: int | None = None
    confidential = audience.is_me
    audience_label = audience.label
    story: Callable[[Any], Any]
    if kind == "dossier":
        records, toc = docs.dossier_sizes(ctx)

        def story(contents: Any) -> Any:
            return docs.dossier(ctx, contents)

    elif kind in ("brief", "notes"):
        if session_id is None:
            raise ValidationError("Choose the session (a brief and session notes are of one).")
        _check_session(vault, case_id, session_id)
        if not ctx.session_visible(session_id):
            raise ValidationError(
                f"“{audience.party_name}” took no part in that session; choose another "
                "session or export it for yourself."
            )
        records = 1
        if kind == "brief":

            def story(contents: Any) -> Any:
                return docs.session_brief(ctx, session_id, contents)

        else:

            def story(contents: Any) -> Any:
                return docs.session_notes(ctx, session_id)

    elif kind == "log":
        start, end = docs.day_bounds(date_from, date_to)
        if start is not None and end is not None and end <= start:
            raise ValidationError("The end of the period is before its start.")
        with vault.session() as s:
            records = docs.count_log(s, case_id, start, end)
        period = _period(date_from, date_to)
        subtitle = f"{period} · {audience.label}"

        def story(contents: Any) -> Any:
            return docs.shuttle_log(ctx, start, end, subtitle)

    elif kind == "text":
        plan = text_doc.plan_text(
            vault, audience, case_id, text_id, draft_number, against_number, clean
        )
        records = max(plan.draft.clauses, 1)
        title = f"{audience.text(plan.text.title)} — draft {plan.draft.number}"
        audience_label = plan.audience_label
        if plan.clean:
            confidential = False  # a draft for circulation: marked "for discussion" instead

            def story(contents: Any) -> Any:
                return text_doc.clean_copy(ctx, plan)

        else:
            title += ", annotated"

            def story(contents: Any) -> Any:
                return text_annotated.annotated_copy(ctx, plan)

    elif kind == "commitments":
        records = 1

        def story(contents: Any) -> Any:
            return commitments_doc.commitments_register(ctx)

    elif kind == "debrief":
        assert outsider is not None
        records = debrief_doc.count_messages(vault, case_id)
        confidential = False  # it is for them; "not for further distribution" instead
        audience_label = f"For: {outsider.name}"
        title = f"Debrief for {outsider.name}"

        def story(contents: Any) -> Any:
            return debrief_doc.debrief(ctx, outsider)

    else:  # options
        landscape = True
        records = 1

        def story(contents: Any) -> Any:
            return docs.options_matrix(ctx)

    furniture = Furniture(
        document_title=title,
        case_title=ctx.case_title,
        audience_label=audience_label,
        confidential=confidential,
        generated=datetime.now().astimezone(),
    )
    tracker = Tracker(records, progress, cancel, guard=vault.check_not_locking)
    tracker.check()
    pages = 0

    def write(out: BinaryIO) -> None:
        nonlocal pages
        pages = build(
            out,
            ts,
            furniture,
            story,
            tracker=tracker,
            landscape_pages=landscape,
            encrypt=_encryption(password),
            toc_entries=toc,
        )

    write_atomically(dest, write, binary=True, vault=vault)
    return ExportResult(
        path=dest,
        kind=kind,
        pages=pages,
        audience=audience.party_name,
        withheld=ctx.withheld,
        encrypted=bool(password),
        seconds=time.perf_counter() - started,
        missing_characters=frozenset(ts.missing),
    )


def export_recovery_sheet(
    vault: Vault,
    out_path: str | os.PathLike[str],
    *,
    password: str | None = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ExportResult:
    """A one-page sheet with the vault's recovery key, plain instructions, the vault's file
    name and the date — nothing else from the vault."""
    started = time.perf_counter()
    dest = Path(out_path)
    ts = Typesetter()
    generated = datetime.now().astimezone()
    key = vault.recovery_key()
    furniture = Furniture(
        document_title=docs.KINDS["recovery"],
        case_title=vault.path.name,
        audience_label="For: me",
        confidential=True,
        generated=generated,
    )
    tracker = Tracker(1, progress, cancel, guard=vault.check_not_locking)
    tracker.check()
    pages = 0

    def write(out: BinaryIO) -> None:
        nonlocal pages
        pages = build(
            out,
            ts,
            furniture,
            lambda _contents: docs.recovery_sheet(ts, vault.path, key, generated),
            tracker=tracker,
            encrypt=_encryption(password),
        )

    write_atomically(dest, write, binary=True, vault=vault)
    return ExportResult(
        path=dest,
        kind="recovery",
        pages=pages,
        audience="me",
        withheld=0,
        encrypted=bool(password),
        seconds=time.perf_counter() - started,
    )


def _encryption(password: str | None) -> Any:
    if not password:
        return None
    from app.core.export.pdf.encryption import Aes256Encryption

    return Aes256Encryption(password)


def _check_outsider(
    vault: Vault,
    kind: str,
    case_id: int,
    audience_party_id: int | None,
    audience_outsider_id: int | None,
) -> OutsiderRow | None:
    """The outside audience of a debrief (None for the other kinds), or one sentence why
    the arguments do not make one."""
    if audience_outsider_id is None:
        if kind == "debrief":
            raise ValidationError(
                "A debrief is for an outside audience of the case; choose which one."
            )
        return None
    if audience_party_id is not None:
        raise ValidationError(
            "Choose a party or an outside audience, not both: a debrief is for an outside "
            "audience, the other documents for me or a party."
        )
    if kind != "debrief":
        raise ValidationError(
            f"Only a debrief is prepared for an outside audience, not a {docs.KINDS[kind].lower()}."
        )
    return debrief_doc.outsider_of(vault, case_id, audience_outsider_id)


def _check_session(vault: Vault, case_id: int, session_id: int) -> None:
    from app.core.models import CaseSession

    with vault.session() as s:
        sess = s.get(CaseSession, session_id)
        if sess is None or sess.case_id != case_id:
            raise NotFound(f"There is no session #{session_id} in this case.")


def _period(date_from: date | datetime | None, date_to: date | datetime | None) -> str:
    if date_from is None and date_to is None:
        return "All messages and deliveries"
    a = docs.day(date_from) if date_from is not None else "the beginning"
    b = docs.day(date_to) if date_to is not None else "today"
    return f"From {a} to {b}"


__all__ = ["KINDS", "ExportResult", "export_pdf", "export_recovery_sheet"]
