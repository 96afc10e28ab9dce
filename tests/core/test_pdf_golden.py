"""The text of a fixed shuttle log, for the mediator and for a party, is exactly the text the
PDF export printed before the text engine was made faster (``pdf_golden_log.txt`` was
written by the code of commit 60cbb83): the same words on the same pages, in every script,
right-to-left paragraphs and mixed lines included.

To write the golden file again after a deliberate change of layout:
``python -m tests.core.test_pdf_golden --write`` (then look at the difference).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pypdf
import pytest

import app.core.export.pdf as pdf_export
from app.core.export.pdf import export_pdf
from app.core.models import (
    Case,
    Delivery,
    DeliveryItem,
    Disclosure,
    Message,
    Party,
    PartyKind,
    Person,
    Round,
)
from app.core.vault import Vault

GOLDEN = Path(__file__).with_name("pdf_golden_log.txt")
START = datetime(2025, 2, 3, 8, 30, tzinfo=UTC)
GOV, MOVEMENT, CIVIL = 1, 2, 3

WORDS = [
    "ceasefire",
    "road",
    "crossing",
    "guarantees",
    "families",
    "detainees",
    "monitoring",
    "council",
    "winter",
    "harvest",
    "schools",
    "bridge",
    "elders",
    "commission",
    "referendum",
    "observer",
    "clinic",
    "water",
    "valley",
    "interpreter",
]
OTHER = [
    "التقيت اليوم بممثلي العائلات النازحة في الميناء",
    "נועה מרכזת את הלוגיסטיקה של הסדנאות",
    "გზა გაიხსნება მხოლოდ ერთობლივი მონიტორინგით",
    "Правительство готово обсудить открытие дороги",
    "Ελληνικά κείμενο, Հայերեն տեքստ",
    "The families said «نطلب ضمانات مكتوبة» (we ask for written guarantees) on 12 March.",
    "قالت السيدة نجّار: Workshop II في الربيع",
]


def _sentence(n: int, k: int) -> str:
    words = [WORDS[(n * 7 + i * 3) % len(WORDS)] for i in range(k)]
    text = " ".join(words)
    if n % 3 == 0:
        text += " " + OTHER[n % len(OTHER)]
    return text[0].upper() + text[1:] + "."


def build_log(vault: Vault) -> None:
    """A small case: three parties, four people, two rounds, 36 messages at every level
    (some long enough to break across pages, some replies) and a few deliveries."""
    with vault.transaction() as s:
        s.add(Case(id=1, title="Golden valley talks", started_on=date(2025, 1, 1)))
        s.add_all(
            [
                Party(id=GOV, case_id=1, name="Government", kind=PartyKind.GOVERNMENT),
                Party(id=MOVEMENT, case_id=1, name="Valley Movement", kind=PartyKind.ARMED_GROUP),
                Party(id=CIVIL, case_id=1, name="Women's Network", kind=PartyKind.CIVIL_SOCIETY),
                Person(id=1, name="Anna Berg", codename="Heron"),
                Person(id=2, name="Omar Haddad", codename="Falcon"),
                Person(id=3, name="נועה כהן"),
                Person(id=4, name="Salma نجّار", codename="Owl"),
                Round(id=1, case_id=1, number=1, title="Opening the road"),
                Round(id=2, case_id=1, number=2, title="Families first"),
            ]
        )
        s.flush()
        levels = [
            Disclosure.SHAREABLE,
            Disclosure.UNATTRIBUTED,
            Disclosure.CONFIDENTIAL,
            Disclosure.SHAREABLE,
            Disclosure.EMBARGOED,
        ]
        senders = [(GOV, 1), (MOVEMENT, 2), (CIVIL, 3), (MOVEMENT, 4)]
        for n in range(36):
            party, person = senders[n % len(senders)]
            to_party, to_person = senders[(n + 1) % len(senders)]
            level = levels[n % len(levels)]
            s.add(
                Message(
                    id=n + 1,
                    case_id=1,
                    round_id=1 if n < 18 else 2,
                    sender_party_id=party,
                    sender_person_id=person,
                    recipient_party_id=to_party,
                    recipient_person_id=to_person,
                    # two messages share each minute: ties in the order of the log
                    said_at=START + timedelta(hours=9 * (n // 2)),
                    disclosure=level,
                    embargo_until=(
                        START + timedelta(days=400) if level is Disclosure.EMBARGOED else None
                    ),
                    in_reply_to_id=n - 2 if n >= 3 and n % 4 == 1 else None,
                    summary=_sentence(n, 8 + n % 5),
                    place="Hotel Lakeview, Anna Berg's suite" if n % 6 == 0 else "",
                    content=" ".join(_sentence(n + k, 12 + (n * k) % 9) for k in range(1 + n % 7)),
                )
            )
        s.flush()
        for d, n in enumerate((0, 3, 10, 13, 20, 23)):  # shareable messages
            s.add(
                Delivery(
                    id=d + 1,
                    case_id=1,
                    round_id=1 if n < 18 else 2,
                    recipient_party_id=(MOVEMENT, CIVIL, GOV)[d % 3],
                    delivered_at=START + timedelta(hours=9 * (n // 2) + 5),
                    place="By phone",
                    content=_sentence(n + 100, 14),
                    notes="Mediator's note on the delivery" if d % 2 else "",
                    items=[DeliveryItem(message_id=n + 1, attributed=bool(d % 2))],
                )
            )


class _Fixed(datetime):
    @classmethod
    def now(cls, tz: object = None) -> _Fixed:
        return cls(2026, 1, 2, 3, 4, tzinfo=UTC)


def log_text(vault: Vault, out: Path, party: int | None) -> str:
    """The exported log's text, page by page (pages separated by form feeds)."""
    export_pdf(
        vault,
        kind="log",
        case_id=1,
        out_path=out,
        audience_party_id=party,
        codenames=party is not None,
    )
    return "\f".join(page.extract_text() or "" for page in pypdf.PdfReader(out).pages)


def golden_texts(vault: Vault, folder: Path) -> dict[str, str]:
    return {
        "me": log_text(vault, folder / "me.pdf", None),
        "movement": log_text(vault, folder / "movement.pdf", MOVEMENT),
    }


def _format(texts: dict[str, str]) -> str:
    return "".join(f"===== {name}\n{text}\n" for name, text in texts.items())


@pytest.fixture
def fixed_clock(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Local time is UTC and the export's "Generated" time is fixed."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    monkeypatch.setattr(pdf_export, "datetime", _Fixed)
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.mark.usefixtures("fixed_clock")
def test_log_text_is_as_before(vault: Vault, tmp_path: Path) -> None:
    build_log(vault)
    texts = golden_texts(vault, tmp_path)
    assert texts["me"].count("\f") >= 3  # several pages: page breaks inside and between records
    assert _format(texts) == GOLDEN.read_text(encoding="utf-8")


def _write() -> None:  # pragma: no cover - run by hand
    import os
    import tempfile

    from tests.conftest import FAST_KDF, PASSPHRASE

    os.environ["TZ"] = "UTC"
    time.tzset()
    pdf_export.datetime = _Fixed  # type: ignore[misc]
    with tempfile.TemporaryDirectory() as tmp:
        vault = Vault.create(Path(tmp) / "golden.liaison", PASSPHRASE, kdf_sets=FAST_KDF)
        try:
            build_log(vault)
            texts = golden_texts(vault, Path(tmp))
        finally:
            vault.lock()
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else GOLDEN
    target.write_text(_format(texts), encoding="utf-8")
    print(f"wrote {target}")


if __name__ == "__main__" and "--write" in sys.argv:  # pragma: no cover
    _write()
