"""PDF export: every kind of document, audiences and redaction, typography for every script,
page furniture, metadata, password protection, and clean failures (no partial files)."""

from __future__ import annotations

import getpass
import re
import shutil
import socket
import subprocess
import zlib
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest
from sqlalchemy import select

from app.core.demo import build_demo, generate_scale
from app.core.disclosure.audience import audience_for
from app.core.disclosure.rule import Sight
from app.core.errors import ExportCancelled, NotFound, ValidationError, WriteFailed
from app.core.export.pdf import ExportResult, export_pdf, export_recovery_sheet
from app.core.export.pdf import documents as docs
from app.core.export.pdf.furniture import Furniture, LazyStory, Tracker, build
from app.core.export.pdf.text import Span, TextStyle, Typesetter
from app.core.models import (
    CaseSession,
    Delivery,
    DeliveryItem,
    Disclosure,
    Message,
    Note,
    Option,
    Party,
    Person,
    ProfileEntry,
    ProfileKind,
    Release,
    SessionNote,
    SessionNoteKind,
)
from app.core.services import sessions as sessions_service
from app.core.services.options import CLOSED_STATUSES
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

# When the planted messages were said; periods are local calendar days.
SAID = datetime(2026, 3, 5, 12, 0, tzinfo=UTC)
MULTI = datetime(2026, 3, 6, 12, 0, tzinfo=UTC)
SAID_DAY, MULTI_DAY = SAID.astimezone().date(), MULTI.astimezone().date()

GOV, KHM = 1, 2  # the demo's Government of Veskaria and Korvan Highlands Movement
WORKSHOP = 2  # a session both took part in

# Planted in records that the KHM may not see; none may appear in its exports.
SECRETS = {
    "confidential message": "ZQXCONFIDENTIALSUMMARY",
    "confidential verbatim": "ZQXCONFIDENTIALVERBATIM",
    "unattributed place": "ZQXSOURCEPLACE",
    "unattributed verbatim": "ZQXSOURCEVERBATIM",
    "journal": "ZQXJOURNALNOTE",
    "observation": "ZQXOBSERVATIONNOTE",
    "gov profile": "ZQXGOVPROFILE",
    "option from a secret": "ZQXSECRETOPTION",
    "delivery to gov": "ZQXDELIVERYTOGOV",
}
VISIBLE_UNATTRIBUTED = "Unattributed substance that the KHM may read"
RELEASED = "Confidential but released to the KHM without attribution"
AGREEMENT = "Both sides agree to meet again in spring"

ARABIC = (
    "التقيت اليوم بممثلي العائلات النازحة في الميناء. يطلبون ضمانات مكتوبة لزيارات "
    "العائلات عبر خط التماس قبل موسم الأعياد."
)
HEBREW = "נועה מרכזת את הלוגיסטיקה של הסדנאות."
GEORGIAN = "„გზა გაიხსნება მხოლოდ ერთობლივი მონიტორინგით, არა ჯარის კონტროლით.“"
CYRILLIC = "Правительство готово обсудить открытие дороги через перевал Цера."
ARMENIAN_GREEK = "Հայերեն տեքստ և Ελληνικά κείμενο."
MIXED = "The families said «نطلب ضمانات مكتوبة» (we ask for written guarantees) on 12 March."
MIXED_RTL = "قالت السيدة نجّار: Workshop II في الربيع"


def squash(text: str) -> str:
    """Text without any white space: line breaks fall where the layout put them."""
    return re.sub(r"\s+", "", text)


def core(text: str) -> str:
    """``squash`` less the punctuation at either end: a right-to-left paragraph's final full
    stop is drawn at its left end, and extractors put it where they see it."""
    return squash(text).strip(".:;!?«»„“”()")


def runs(text: str) -> list[str]:
    """A mixed line as its right-to-left and left-to-right runs: text extractors order the
    runs of a mixed line each their own way, but each run must read in logical order."""
    parts = re.findall(r"[\u0590-\u08ff][\u0590-\u08ff\s]*|[^\u0590-\u08ff]+", text)
    return [core(p) for p in parts if core(p)]


def pdf_text(path: Path, password: str | None = None) -> str:
    reader = pypdf.PdfReader(path)
    if password is not None:
        reader.decrypt(password)
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def body_text(path: Path) -> str:
    """The pages' text without their header and footer (a paragraph may go on overleaf)."""
    furniture = re.compile(
        r"^(CONFIDENTIAL|For: .*|Korvan Highlands dialogue|Case dossier|Shuttle log|"
        r"Generated .* with Liaison|Page \d+ of\s*|\d+)$"
    )
    return "\n".join(
        line
        for page in pypdf.PdfReader(path).pages
        for line in (page.extract_text() or "").splitlines()
        if not furniture.match(line.strip())
    )


def raw_and_inflated(path: Path) -> bytes:
    """The file's bytes followed by every stream, decompressed."""
    data = path.read_bytes()
    out = [data]
    for m in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", data, re.S):
        try:
            out.append(zlib.decompress(m.group(1)))
        except zlib.error:
            pass
    return b"\n".join(out)


def pdftotext(path: Path) -> str:
    exe = shutil.which("pdftotext")
    if exe is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        [exe, "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _plant(vault: Vault) -> None:
    with vault.transaction() as s:
        said = SAID
        secret = Message(
            case_id=1,
            sender_party_id=GOV,
            recipient_party_id=KHM,
            said_at=said,
            summary=f"Secret {SECRETS['confidential message']}",
            content=SECRETS["confidential verbatim"],
            disclosure=Disclosure.CONFIDENTIAL,
        )
        unattributed = Message(
            case_id=1,
            sender_party_id=GOV,
            recipient_party_id=KHM,
            said_at=said,
            place=SECRETS["unattributed place"],
            summary=VISIBLE_UNATTRIBUTED,
            content=SECRETS["unattributed verbatim"],
            disclosure=Disclosure.UNATTRIBUTED,
        )
        multi = [
            Message(
                case_id=1,
                sender_party_id=KHM,
                recipient_party_id=GOV,
                said_at=MULTI + timedelta(minutes=k),
                summary=text,
                disclosure=Disclosure.SHAREABLE,
            )
            for k, text in enumerate(
                [ARABIC, HEBREW, GEORGIAN, CYRILLIC, ARMENIAN_GREEK, MIXED, MIXED_RTL]
            )
        ]
        released = Message(
            case_id=1,
            sender_party_id=GOV,
            recipient_party_id=KHM,
            said_at=said,
            summary=RELEASED,
            disclosure=Disclosure.CONFIDENTIAL,
        )
        s.add_all([secret, unattributed, released, *multi])
        s.flush()
        s.add(
            Release(
                message_id=released.id,
                party_id=KHM,
                released_by="Mira",
                released_at=said,
                reason="agreed with the ministry",
            )
        )
        s.add(Note(case_id=1, title="Private", body=SECRETS["journal"], written_at=said))
        s.add(
            SessionNote(
                session_id=WORKSHOP,
                kind=SessionNoteKind.OBSERVATION,
                text=SECRETS["observation"],
                noted_at=said,
            )
        )
        s.add(
            SessionNote(
                session_id=WORKSHOP, kind=SessionNoteKind.AGREEMENT, text=AGREEMENT, noted_at=said
            )
        )
        s.add(ProfileEntry(party_id=GOV, kind=ProfileKind.FEAR, text=SECRETS["gov profile"]))
        s.add(
            Option(
                case_id=1,
                title=SECRETS["option from a secret"],
                raised_in_message_id=secret.id,
            )
        )
        shareable = s.scalars(
            select(Message).where(Message.case_id == 1, Message.disclosure == Disclosure.SHAREABLE)
        ).first()
        assert shareable is not None
        s.add(
            Delivery(
                case_id=1,
                recipient_party_id=GOV,
                delivered_at=said,
                content=SECRETS["delivery to gov"],
                items=[DeliveryItem(message_id=shareable.id, attributed=True)],
            )
        )


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Vault]:
    path = tmp_path_factory.mktemp("pdf") / "demo.liaison"
    vault = Vault.create(path, PASSPHRASE, kdf_sets=FAST_KDF)
    build_demo(vault)
    _plant(vault)
    yield vault
    vault.lock()


_cache: dict[tuple[Any, ...], tuple[Path, ExportResult]] = {}


@pytest.fixture(scope="module")
def export(demo: Vault, tmp_path_factory: pytest.TempPathFactory) -> Any:
    folder = tmp_path_factory.mktemp("out")

    def run(kind: str, party: int | None = None, **kw: Any) -> tuple[Path, ExportResult]:
        key = (kind, party, tuple(sorted(kw.items())))
        if key not in _cache:
            out = folder / f"{kind}-{party}-{len(_cache)}.pdf"
            if kind in ("brief", "notes"):
                kw.setdefault("session_id", WORKSHOP)
            result = export_pdf(
                demo, kind=kind, case_id=1, out_path=out, audience_party_id=party, **kw
            )
            _cache[key] = (out, result)
        return _cache[key]

    yield run
    _cache.clear()


# --- documents ----------------------------------------------------------------------------


def test_dossier_has_every_section_and_record(demo: Vault, export: Any) -> None:
    path, result = export("dossier")
    text = pdf_text(path)
    flat = squash(body_text(path))
    for section in ("Contents", "Overview", "Parties", "People", "Shuttle log"):
        assert section in text
    for section in ("Sessions", "Options", "Actions", "Notes"):
        assert section in text
    with demo.session() as s:
        for party in s.scalars(select(Party).where(Party.case_id == 1)):
            assert squash(party.name) in flat
        for sess in s.scalars(select(CaseSession).where(CaseSession.case_id == 1)):
            assert squash(sess.title) in flat
        for msg in s.scalars(select(Message).where(Message.case_id == 1)):
            for run in runs(msg.summary):
                assert run in flat, msg.summary
        for option in s.scalars(select(Option).where(Option.case_id == 1)):
            assert squash(option.title) in flat
    for secret in SECRETS.values():  # "me" sees everything
        assert secret in flat
    assert result.audience == "me" and result.withheld == 0
    assert not result.missing_characters
    # Bookmarks (the PDF outline) for the sections, the parties and the sessions.
    reader = pypdf.PdfReader(path)
    titles: list[str] = []

    def walk(items: list[Any]) -> None:
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                titles.append(item.title)

    walk(reader.outline)
    assert {"Overview", "Parties", "Shuttle log", "Sessions", "Options", "Notes"} <= set(titles)
    assert "Government of Veskaria" in titles
    # The table of contents gives the page each section starts on.
    toc = reader.pages[0].extract_text()
    page_of_options = next(
        i + 1
        for i, page in enumerate(reader.pages)
        if i > 0 and re.search(r"^Options$", page.extract_text(), re.M)
    )
    assert re.search(rf"Options\s*{page_of_options}\b", toc)


@pytest.mark.parametrize("kind", ["brief", "log", "options", "notes"])
def test_other_kinds_hold_their_parts(export: Any, kind: str) -> None:
    path, result = export(kind)
    text = pdf_text(path)
    expected = {
        "brief": ["Agenda", "Participants", "Parties at the table", "Open options", "Open actions"],
        "log": ["Shuttle log", "Round 1", VISIBLE_UNATTRIBUTED],
        "options": ["Options matrix", "Government of Veskaria", "supports"],
        "notes": ["Session notes", SECRETS["observation"], AGREEMENT],
    }[kind]
    for part in expected:
        assert squash(part) in squash(text), part
    assert result.pages >= 1
    if kind == "options":  # the matrix is landscape
        page = pypdf.PdfReader(path).pages[0]
        assert page.mediabox.width > page.mediabox.height


def test_the_brief_is_built_from_the_session_brief_service(
    demo: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = sessions_service.session_brief

    def planted(vault: Vault, session_id: int) -> sessions_service.SessionBrief:
        brief = real(vault, session_id)
        item = sessions_service.BriefAgendaItem(1, "ZQXPLANTEDAGENDAITEM", 5, "ZQXPLANTEDNOTE")
        return replace(brief, title="ZQXPLANTEDTITLE", agenda=(item,))

    monkeypatch.setattr(docs.session_service, "session_brief", planted)
    out = tmp_path / "brief.pdf"
    export_pdf(demo, kind="brief", case_id=1, out_path=out, session_id=WORKSHOP)
    flat = squash(pdf_text(out))
    assert "ZQXPLANTEDTITLE" in flat and "ZQXPLANTEDAGENDAITEM(5min)" in flat
    assert "ZQXPLANTEDNOTE" in flat
    with demo.session() as s:
        session = s.get(CaseSession, WORKSHOP)
        assert session is not None
        assert squash(session.title) not in flat and squash(session.agenda[0].title) not in flat


def test_the_brief_shows_the_options_the_service_calls_open(demo: Vault, export: Any) -> None:
    brief = sessions_service.session_brief(demo, WORKSHOP)
    flat = squash(pdf_text(export("brief")[0]))
    shown = [o for o in brief.open_options if squash(o.title) in flat]
    assert shown == list(brief.open_options)
    with demo.session() as s:
        closed = s.scalars(
            select(Option.title).where(Option.case_id == 1, Option.status.in_(CLOSED_STATUSES))
        ).all()
    assert closed and not any(squash(title) in flat for title in closed)


def test_only_my_brief_says_what_each_party_was_told(demo: Vault, export: Any) -> None:
    brief = sessions_service.session_brief(demo, WORKSHOP)
    mine = squash(pdf_text(export("brief")[0]))
    for party in brief.parties:
        told = brief.knows[party.name]
        count = "nothing" if told == 0 else f"{told:,}source"
        assert squash(f"{party.name} Told so far: {count}") in mine, party.name
    assert "Toldsofar" not in squash(pdf_text(export("brief", KHM)[0]))


def test_shuttle_log_for_a_period(export: Any) -> None:
    path, _ = export("log", date_from=SAID_DAY, date_to=MULTI_DAY)
    flat = squash(pdf_text(path))
    assert squash(VISIBLE_UNATTRIBUTED) in flat and squash(CYRILLIC) in flat
    assert f"From{SAID_DAY.isoformat()}to{MULTI_DAY.isoformat()}" in flat
    assert "2026-02-17" not in flat  # the first message, in February: outside the period


def test_bad_arguments_are_clear(demo: Vault, tmp_path: Path) -> None:
    out = tmp_path / "x.pdf"
    with pytest.raises(ValidationError, match="session"):
        export_pdf(demo, kind="brief", case_id=1, out_path=out)
    with pytest.raises(NotFound):
        export_pdf(demo, kind="brief", case_id=2, out_path=out, session_id=WORKSHOP)
    with pytest.raises(NotFound):
        export_pdf(demo, kind="log", case_id=1, out_path=out, audience_party_id=5)
    with pytest.raises(ValidationError, match="took no part"):
        export_pdf(demo, kind="notes", case_id=1, out_path=out, audience_party_id=3, session_id=3)
    with pytest.raises(ValidationError, match="kind"):
        export_pdf(demo, kind="poster", case_id=1, out_path=out)
    assert list(tmp_path.iterdir()) == []


# --- audiences ----------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["dossier", "log", "brief", "notes", "options"])
def test_a_party_sees_nothing_it_may_not(export: Any, kind: str) -> None:
    path, result = export(kind, KHM)
    text = pdf_text(path)
    flat = squash(text)
    raw = raw_and_inflated(path)
    for what, secret in SECRETS.items():
        assert secret not in flat, what
        assert secret.encode() not in raw, what
    assert "CONFIDENTIAL" not in text  # no marking or watermark on a party's copy
    assert "For: Korvan Highlands Movement (KHM)" in text
    assert result.withheld > 0  # told to the mediator...
    assert "withheld" not in text.casefold()  # ...never printed in the party's copy
    if kind in ("log", "dossier"):
        assert squash(VISIBLE_UNATTRIBUTED) in flat  # the substance, without its source
    if kind in ("notes", "dossier"):
        assert squash(AGREEMENT) in flat  # agreements are for everyone at the table


def test_the_shuttle_service_decides_what_a_party_sees(export: Any) -> None:
    """A confidential message released to the party is shown to it (the shuttle service's
    rules, releases included), without its source."""
    path, _ = export("log", KHM)
    text = pdf_text(path)
    flat = squash(text)
    assert squash(RELEASED) in flat
    block = flat[flat.index(squash(RELEASED)) - 200 : flat.index(squash(RELEASED))]
    assert "sourcenotnamed" in block.casefold()


def test_me_exports_are_marked_confidential(export: Any) -> None:
    path, _ = export("log")
    reader = pypdf.PdfReader(path)
    for page in reader.pages:
        text = page.extract_text()
        assert "CONFIDENTIAL" in text and "For: me" in text


def test_codenames_replace_names(export: Any, demo: Vault) -> None:
    path, _ = export("dossier", KHM, codenames=True)
    flat = squash(pdf_text(path))
    plain_path, _ = export("dossier", KHM)
    plain = squash(pdf_text(plain_path))
    with demo.session() as s:
        coded = [
            p
            for p in s.scalars(select(Person).where(Person.codename.is_not(None)))
            if squash(p.name) in plain
        ]
    assert coded, "the KHM's dossier should name someone who has a codename"
    for person in coded:
        assert squash(person.name) not in flat, person.name
        assert person.codename and person.codename in flat


def test_party_audiences_follow_the_disclosure_rule(demo: Vault) -> None:
    """A party's exports see what the audience view says, releases included; its own
    confidences only when it asks for its own statements."""
    view = audience_for(demo, 1, KHM)
    own = audience_for(demo, 1, KHM, include_own=True)
    with demo.session() as s:
        released = set(s.scalars(select(Release.message_id).where(Release.party_id == KHM)))
        seen_own_secret = False
        for m in s.scalars(select(Message).where(Message.case_id == 1)):
            seen = view.message(m.id)
            if m.sender_party_id == KHM:
                assert own.message(m.id) is Sight.FULL and own.is_own_statement(m.id)
                seen_own_secret |= m.disclosure is Disclosure.CONFIDENTIAL
            if m.id in released:
                assert seen is not Sight.NONE
            elif m.disclosure is Disclosure.CONFIDENTIAL:
                assert seen is Sight.NONE  # even the KHM's own confidences
            elif m.disclosure is Disclosure.UNATTRIBUTED:
                assert seen is Sight.ANONYMOUS
            elif m.disclosure is Disclosure.SHAREABLE:
                assert seen is Sight.FULL
    assert released and seen_own_secret
    me = audience_for(demo, 1, None)
    assert me.is_me and me.message(1) is Sight.FULL


# --- furniture and the file itself ------------------------------------------------------


def test_page_n_of_m_on_every_page(export: Any) -> None:
    path, result = export("dossier")
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == result.pages > 3
    for n, page in enumerate(reader.pages, 1):
        assert re.search(rf"Page {n} of\s*{result.pages}\b", page.extract_text())


def test_metadata_names_no_user_or_machine(export: Any) -> None:
    path, _ = export("dossier")
    meta = pypdf.PdfReader(path).metadata or {}
    assert meta.get("/Title") == "Case dossier"
    assert meta.get("/Author") == ""
    values = " ".join(str(v) for v in meta.values())
    raw = path.read_bytes()
    for who in {getpass.getuser(), socket.gethostname()}:
        if len(who) >= 4:
            assert who not in values
            assert who.encode() not in raw
    assert b"/Metadata" not in raw  # no XMP packet either


def test_password_protects_with_aes_256(demo: Vault, tmp_path: Path) -> None:
    out = tmp_path / "secret.pdf"
    result = export_pdf(demo, kind="options", case_id=1, out_path=out, password="s3same ouvre")
    assert result.encrypted
    reader = pypdf.PdfReader(out)
    assert reader.is_encrypted
    encrypt = reader.trailer["/Encrypt"].get_object()
    assert (encrypt["/V"], encrypt["/R"]) == (5, 6)  # AES-256, PDF 2.0 security handler
    with pytest.raises(pypdf.errors.FileNotDecryptedError):
        reader.pages[0].extract_text()
    assert not pypdf.PdfReader(out).decrypt("wrong password")
    assert "Options matrix" in pdf_text(out, password="s3same ouvre")
    assert b"Options matrix" not in raw_and_inflated(out)


@pytest.mark.parametrize(
    ("err", "words"),
    [(28, "disk is full"), (13, "read-only"), (30, "read-only")],
    ids=["ENOSPC", "EACCES", "EROFS"],
)
def test_write_failures_leave_no_file(
    demo: Vault, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, err: int, words: str
) -> None:
    import builtins
    import os

    from app.core.export import jsonio

    real_open = builtins.open

    class FailingFile:
        def __init__(self, path: str, *a: Any, **k: Any) -> None:
            self._f = real_open(path, *a, **k)
            self.written = 0

        def write(self, data: bytes) -> int:
            self.written += len(data)
            if self.written > 100:
                raise OSError(err, os.strerror(err))
            return int(self._f.write(data))

        def __getattr__(self, name: str) -> Any:
            return getattr(self._f, name)

        def __enter__(self) -> FailingFile:
            return self

        def __exit__(self, *exc: object) -> None:
            self._f.close()

    monkeypatch.setattr(jsonio, "open", FailingFile, raising=False)
    dest = tmp_path / "out.pdf"
    with pytest.raises(WriteFailed, match=words):
        export_pdf(demo, kind="log", case_id=1, out_path=dest)
    assert list(tmp_path.iterdir()) == []


def test_missing_or_read_only_folder(demo: Vault, tmp_path: Path) -> None:
    import os

    with pytest.raises(WriteFailed):
        export_pdf(demo, kind="log", case_id=1, out_path=tmp_path / "no" / "x.pdf")
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(0o500)
    try:
        if os.access(ro, os.W_OK):
            pytest.skip("root ignores folder permissions (simulated above)")
        with pytest.raises(WriteFailed, match="read-only"):
            export_pdf(demo, kind="log", case_id=1, out_path=ro / "x.pdf")
        assert list(ro.iterdir()) == []
    finally:
        ro.chmod(0o700)


def test_progress_and_cancel(demo: Vault, tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    dest = tmp_path / "log.pdf"
    export_pdf(
        demo, kind="log", case_id=1, out_path=dest, progress=lambda d, t: seen.append((d, t))
    )
    assert seen and seen[-1][0] == seen[-1][1]
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    dest.unlink()

    calls = 0

    def cancel() -> bool:
        nonlocal calls
        calls += 1
        return calls > 10

    with pytest.raises(ExportCancelled):
        export_pdf(demo, kind="dossier", case_id=1, out_path=dest, cancel=cancel)
    assert list(tmp_path.iterdir()) == []


def test_recovery_sheet_holds_the_key_and_nothing_else(demo: Vault, tmp_path: Path) -> None:
    out = tmp_path / "recovery.pdf"
    export_recovery_sheet(demo, out)
    text = pdf_text(out)
    flat = squash(text)
    key = demo.recovery_key()
    assert "".join(key.split("-")) in flat.replace("-", "")
    assert demo.path.name in text and "Recovery sheet" in text
    with demo.session() as s:
        for party in s.scalars(select(Party)):
            assert squash(party.name) not in flat
        for msg in s.scalars(select(Message)):
            assert squash(msg.summary)[:20] not in flat
        for person in s.scalars(select(Person)):
            assert squash(person.name) not in flat
    assert "Korvan" not in text and "Orun" not in text


# --- typography ---------------------------------------------------------------------------


def test_every_script_reads_back_in_logical_order(export: Any) -> None:
    path, result = export("log", date_from=MULTI_DAY, date_to=MULTI_DAY)
    assert not result.missing_characters
    flat = squash(pdf_text(path))
    for line in (ARABIC, HEBREW, GEORGIAN, CYRILLIC, ARMENIAN_GREEK, MIXED):
        assert core(line) in flat, line
    # A right-to-left paragraph with an English phrase: each run in reading order.
    for run in runs(MIXED_RTL):
        assert run in flat, run


def test_poppler_reads_the_scripts_too(export: Any) -> None:
    path, _ = export("log", date_from=MULTI_DAY, date_to=MULTI_DAY)
    text = pdftotext(path)
    flat = squash(text)
    for line in (HEBREW, GEORGIAN, CYRILLIC, ARMENIAN_GREEK):
        assert core(line) in flat, line
    # Poppler puts a right-to-left sentence's final full stop on the other side, so compare
    # word by word; words with the lam-alef ligature (العائلات, الأعياد) included.
    words = set(re.findall(r"\S+", text.replace("\u202b", " ").replace("\u202c", " ")))
    for word in re.findall(r"[\u0600-\u06ff]+", ARABIC):
        assert word in words or word in flat, word


def test_bidi_runs_are_reordered_per_line() -> None:
    ts = Typesetter()
    style = TextStyle(size=10)
    (line,) = ts.layout("one שלום עולם two", style, 500)
    assert not line.rtl
    assert [w for p in line.pieces for w in p.text.split()] == [
        "one",
        "עולם",
        "שלום",
        "two",
    ]
    (line,) = ts.layout("שלום abc def עולם", style, 500)
    assert line.rtl
    assert [w for p in line.pieces for w in p.text.split()] == [
        "עולם",
        "abc",
        "def",
        "שלום",
    ]
    # Broken into lines first, reordered per line: the first words stay on the first line.
    lines = ts.layout(HEBREW, style, 80)
    assert len(lines) > 1
    assert "נועה" in [w for p in lines[0].pieces for w in p.text.split()]


def test_arabic_is_shaped_and_fonts_fall_back() -> None:
    ts = Typesetter()
    (line,) = ts.layout([Span("Salma "), Span("نجّار", bold=True)], TextStyle(), 500)
    fonts = {p.font for p in line.pieces}
    assert {"LiaisonSans", "LiaisonArabic-Bold"} <= fonts
    arabic = next(p for p in line.pieces if p.font == "LiaisonArabic-Bold")
    assert arabic.chunks  # shaped glyphs, not characters
    # Joined letters are other glyphs than the isolated ones: aliases beyond the cmap.
    codes = {ord(c) for chunk, _, _ in arabic.chunks for c in chunk}
    assert any(code >= 0xF0000 for code in codes)
    # The extra letters of a right-to-left ligature ride on an empty, zero-width glyph
    # (not the joiner's, which Noto draws as a visible mark).
    for name in ("LiaisonArabic", "LiaisonArabic-Bold"):
        font = ts.fonts.fonts[name]
        gid = font.invisible_gid
        assert gid is not None and gid != font.face.charToGlyph[0x200D]
        assert font.face.hmetrics[gid][0] == 0
        assert font.face.glyphPos[gid] == font.face.glyphPos[gid + 1]
    (line,) = ts.layout("Ῥ 😀", TextStyle(), 500)
    assert "😀" in ts.missing  # reported, and printed as U+FFFD instead of a silent box


# --- scale ----------------------------------------------------------------------------------


def test_long_logs_are_streamed_in_small_pieces(tmp_path: Path) -> None:
    vault = Vault.create(tmp_path / "big.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
    try:
        generate_scale(vault, messages=600, cases=1)
        tables: list[int] = []
        real = docs.table

        def spy(*a: Any, **k: Any) -> Any:
            for t in real(*a, **k):
                tables.append(len(t._cellvalues))
                yield t

        mp = pytest.MonkeyPatch()
        mp.setattr(docs, "table", spy)
        try:
            result = export_pdf(vault, kind="dossier", case_id=1, out_path=tmp_path / "d.pdf")
        finally:
            mp.undo()
        assert result.pages > 40
        assert tables and max(tables) <= docs.TABLE_ROWS + 1
    finally:
        vault.lock()


def test_a_cell_longer_than_a_page_splits(tmp_path: Path) -> None:
    ts = Typesetter()
    rows = [["Party", " ".join(["word"] * 3000)], ["Other", "short"]]
    furniture = Furniture("Test", "Case", "For: me", True, datetime.now().astimezone())
    with open(tmp_path / "t.pdf", "wb") as out:
        pages = build(
            out,
            ts,
            furniture,
            lambda _c: docs.table(ts, ["Who", "Note"], rows, [100, 300]),
            tracker=Tracker(1, None, None),
        )
    assert pages > 1
    assert "short" in pdf_text(tmp_path / "t.pdf")


def test_lazy_story_behaves_like_the_list_reportlab_expects() -> None:
    made: list[int] = []

    def source() -> Iterator[Any]:
        for i in range(100):
            made.append(i)
            yield i

    story = LazyStory(source())
    assert len(story) == LazyStory.LOOKAHEAD and len(made) == LazyStory.LOOKAHEAD
    assert story[0] == 0 and story[:3] == [0, 1, 2]
    del story[:2]
    story.insert(0, "k")
    story[0:0] = ["a", "b"]
    assert story[:4] == ["a", "b", "k", 2]
    del story[0]
    assert story[0] == "b"
    rest = []
    while len(story):
        rest.append(story[0])
        del story[0]
    assert rest[-1] == 99 and len(made) == 100


def test_who_raised_an_option_reads_as_plain_words(export: Any) -> None:
    path, _ = export("dossier")
    flat = squash(pdf_text(path))
    # "raised 2026-07-09 jointly", never "by joint" or "by facilitator".
    assert squash("raised 2026-07-09 jointly") in flat
    assert "byjoint" not in flat and "byfacilitator" not in flat
