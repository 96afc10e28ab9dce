"""PDFs of commitments and debriefs (issue 17): the commitments register for me and for a
party, the debrief for an outside audience (no sources, nothing confidential or under an
embargo, only what was handed to that audience), the commitments due before a session in
its brief, and the dossier's Commitments part."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pypdf
import pytest

from app.core.errors import NotFound, ValidationError
from app.core.export.pdf import KINDS, export_pdf
from app.core.models import CommitmentStatus, Verification
from app.core.services.commitments import (
    NewCommitment,
    NewOutcome,
    create_commitment,
    record_outcome,
)
from app.core.services.handovers import NewHandoverItem, create_handover, create_outsider
from app.core.services.records import Records
from app.core.services.text_circulation import circulate
from app.core.services.texts import (
    NewAlternative,
    add_clause,
    create_text,
    drafts_of,
    set_alternatives,
)
from app.core.vault import Vault
from tests.conftest import FAST_KDF, PASSPHRASE

TODAY = datetime.now(UTC).date()
T0 = datetime.combine(TODAY - timedelta(days=60), time(9, 0), tzinfo=UTC)


def on(days: int) -> date:
    """A day ``days`` after the first message."""
    return T0.date() + timedelta(days=days)


def build_commitments(vault: Vault) -> dict[str, int]:
    """A case with commitments of every outcome, a confidential and an unattributed one,
    messages at every level, a session, options and two outside audiences, one handed an
    option, a commitment, a finding and a draft."""
    r = Records(vault)
    ids = {"case": r.create("case", title="Korvan talks")}
    c = ids["case"]
    ids["gov"] = r.create("party", case_id=c, name="Government", kind="government")
    ids["front"] = r.create("party", case_id=c, name="Highlands Front", kind="armed_group")
    ids["elders"] = r.create("party", case_id=c, name="Elders Council", kind="civil_society")
    ids["lena"] = r.create("person", name="Lena Marsh", codename="Heron")
    ids["omar"] = r.create("person", name="Omar Vell", codename="Kestrel")
    r.create("affiliation", person_id=ids["lena"], party_id=ids["front"], capacity="official")
    r.create("affiliation", person_id=ids["omar"], party_id=ids["gov"], capacity="official")
    ids["round"] = r.create("round", case_id=c, number=1, title="First trip")

    def message(key: str, sender: int, level: str, summary: str, **kw: Any) -> None:
        ids[key] = r.create(
            "message",
            case_id=c,
            round_id=ids["round"],
            sender_party_id=sender,
            recipient_party_id=ids["gov"] if sender != ids["gov"] else ids["front"],
            said_at=T0 + timedelta(hours=len(ids)),
            disclosure=level,
            summary=summary,
            content=f"VERBATIM {key}",
            **kw,
        )

    message("open", ids["front"], "shareable", "ZQXOPEN the road may open, says Lena Marsh")
    message("anon", ids["elders"], "unattributed", "ZQXANON guarantees are wanted in writing")
    message("secret", ids["front"], "confidential", "ZQXSECRET twelve soldiers freed quietly")
    message(
        "embargo", ids["gov"], "embargoed", "ZQXEMBARGO a ceasefire offer",
        embargo_until=datetime.now(UTC) + timedelta(days=365),
    )  # fmt: skip
    message("released", ids["gov"], "confidential", "ZQXRELEASED prisoner lists exchanged")
    r.create(
        "release",
        message_id=ids["released"],
        party_id=None,
        released_by="me",
        reason="made public",
        released_at=T0 + timedelta(days=1),
    )
    ids["session"] = r.create(
        "session", case_id=c, title="Orin workshop", kind="joint_workshop",
        starts_at=datetime.combine(on(70), time(9, 0), tzinfo=UTC),
    )  # fmt: skip
    for person, party in (("lena", "front"), ("omar", "gov")):
        r.create(
            "participant", session_id=ids["session"], person_id=ids[person],
            party_id=ids[party], capacity="official",
        )  # fmt: skip
    ids["commission"] = r.create(
        "option", case_id=c, title="Border commission", raised_in_message_id=ids["open"]
    )
    ids["quarterly"] = r.create(
        "option", case_id=c, title="Quarterly commission", raised_in_message_id=ids["open"]
    )
    r.create("option_link", option_id=ids["quarterly"], parent_id=ids["commission"], kind="refined")
    ids["session_option"] = r.create(
        "option", case_id=c, title="ZQXSESSIONOPTION joint patrols",
        raised_in_session_id=ids["session"],
    )  # fmt: skip

    def promise(key: str, party: str, what: str, due: int | None, **kw: Any) -> int:
        values: dict[str, Any] = {
            "party_id": ids[party],
            "what": what,
            "made_at": T0,
            "due_on": on(due) if due is not None else None,
            "disclosure": "shareable",
        }
        values.update(kw)
        ids[key] = create_commitment(vault, c, NewCommitment(**values))
        return ids[key]

    def outcome(key: str, day: int, status: CommitmentStatus, **kw: Any) -> None:
        record_outcome(vault, ids[key], NewOutcome(on(day), status, **kw))

    promise("pullback", "gov", "Pull back 5 km from the ridge", 10, to_party_id=ids["front"])
    outcome("pullback", 8, CommitmentStatus.KEPT, verified_by="ZQXICRC", how=Verification.OUTSIDE)
    promise(
        "soldiers", "front", "Release twelve detained soldiers", 15,
        to_party_id=ids["gov"], person_id=ids["lena"], condition="once the army pulls back",
        condition_id=ids["pullback"], source_message_id=ids["open"], note="ZQXNOTE check lists",
    )  # fmt: skip
    outcome(
        "soldiers", 20, CommitmentStatus.KEPT_LATE, verified_by="ZQXVERIFIER",
        how=Verification.MESSAGE, evidence_message_id=ids["open"],
    )  # fmt: skip
    promise("market", "gov", "Reopen the Friday market", 12)
    outcome("market", 11, CommitmentStatus.PARTLY_KEPT, verified_by="ZQXMONITOR")
    promise("mines", "front", "Mark the minefields", 12)
    outcome("mines", 12, CommitmentStatus.BROKEN)
    promise("radio", "gov", "Stop the radio campaign", 12)
    outcome("radio", 5, CommitmentStatus.WITHDRAWN)
    promise("lists", "front", "Hand over the lists of the missing", 30)  # overdue
    promise("water", "gov", "Repair the water station", 90, to_party_id=ids["front"])  # pending
    promise("confidential", "front", "ZQXCONFCOMMIT quiet talks", 40, disclosure="confidential")
    promise(
        "on_secret", "front", "ZQXONSECRET free the soldiers", 40,
        source_message_id=ids["secret"],
    )  # fmt: skip
    promise("anonymous", "elders", "Vouch for the returnees", 80, disclosure="unattributed")
    promise("at_table", "gov", "ZQXATTABLE a joint patrol", 75, source_session_id=ids["session"])
    # A draft circulated to the Government, then handed to the envoy.
    t = ids["text"] = create_text(vault, c, "Road protocol", kind="joint_memorandum")
    d1 = ids["d1"] = drafts_of(vault, t)[-1].id
    add_clause(vault, d1, wording="ZQXCLAUSE The road opens at dawn.")
    brackets = add_clause(vault, d1, wording="Checkpoints are run by {1}.")
    set_alternatives(
        vault,
        brackets,
        [
            NewAlternative(1, ids["gov"], "the police", None),
            NewAlternative(1, ids["front"], "joint teams", ids["open"]),
        ],
    )
    circulate(vault, d1, [ids["gov"]], at=T0 + timedelta(days=2))
    ids["envoy"] = create_outsider(vault, c, "Envoy Marra", organisation="Nordic Fund")
    ids["minister"] = create_outsider(vault, c, "Minister Oduya", organisation="Foreign Office")
    create_handover(
        vault, c, ids["envoy"], T0 + timedelta(days=3),
        [
            NewHandoverItem(option_id=ids["commission"]),
            NewHandoverItem(commitment_id=ids["pullback"]),
            NewHandoverItem(finding="ZQXFINDING both sides want the road open"),
            NewHandoverItem(draft_id=d1),
        ],
        through_person_id=ids["omar"], note="ZQXHANDOVERNOTE",
    )  # fmt: skip
    create_handover(
        vault, c, ids["minister"], T0 + timedelta(days=4),
        [NewHandoverItem(finding="ZQXMINISTER only for the minister")],
    )  # fmt: skip
    return ids


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Vault, dict[str, int]]]:
    """One vault for the module: every test only reads it."""
    v = Vault.create(
        tmp_path_factory.mktemp("commitments") / "v.liaison", PASSPHRASE, kdf_sets=FAST_KDF
    )
    ids = build_commitments(v)
    yield v, ids
    v.lock()


@pytest.fixture
def vault(built: tuple[Vault, dict[str, int]]) -> Vault:
    return built[0]


@pytest.fixture
def case(built: tuple[Vault, dict[str, int]]) -> dict[str, int]:
    return built[1]


def pdf_text(path: Path) -> str:
    return re.sub(
        r"\s+", " ", "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(path).pages)
    )


def export(vault: Vault, ids: dict[str, int], path: Path, kind: str, **kw: Any) -> tuple[Any, str]:
    result = export_pdf(vault, kind=kind, case_id=ids["case"], out_path=path, **kw)
    return result, pdf_text(path)


# --- the commitments register -------------------------------------------------------------


def test_the_register_for_me_holds_everything(
    vault: Vault, case: dict[str, int], tmp_path: Path
) -> None:
    assert "commitments" in KINDS and "debrief" in KINDS
    result, body = export(vault, case, tmp_path / "me.pdf", "commitments")
    assert result.withheld == 0 and "CONFIDENTIAL" in body and "For: me" in body
    for what in (
        "Pull back 5 km",
        "Release twelve detained soldiers",
        "Reopen the Friday market",
        "Mark the minefields",
        "Stop the radio campaign",
        "Hand over the lists",
        "Repair the water station",
        "ZQXCONFCOMMIT",
        "ZQXONSECRET",
        "Vouch for the returnees",
        "ZQXATTABLE",
    ):
        assert what in body, what
    # Grouped by status, overdue first.
    order = [body.index(f"{g} (") for g in ("Overdue", "Pending", "Kept on time", "Kept late")]
    assert order == sorted(order)
    for g in ("Partly kept (1)", "Broken (1)", "Withdrawn (1)"):
        assert g in body
    # Each party's record, in numbers and words.
    assert "How each party kept its word" in body
    assert "kept 0 of 5 on time (1 kept late, 1 broken, 3 overdue)" in body  # the Front
    # The course, who verified each outcome and how, the condition, the source, the note.
    assert "verified by ZQXVERIFIER (a message)" in body
    assert "verified by ZQXICRC (an outside source)" in body
    assert "Condition: once the army pulls back (“Pull back 5 km from the ridge” kept first)" in (
        body
    )
    assert "Said in: the message of" in body and "the session “Orin workshop”" in body
    assert "ZQXNOTE check lists" in body
    assert "Lena Marsh (Highlands Front)" in body


def test_the_register_for_a_party_leaves_out_what_it_may_not_see(
    vault: Vault, case: dict[str, int], tmp_path: Path
) -> None:
    result, body = export(
        vault, case, tmp_path / "gov.pdf", "commitments", audience_party_id=case["gov"]
    )
    assert result.audience == "Government" and "For: Government" in body
    assert "CONFIDENTIAL" not in body
    # Confidential, or resting on a confidential message: left out, and never counted aloud.
    assert "ZQXCONFCOMMIT" not in body and "ZQXONSECRET" not in body
    assert result.withheld == 2
    assert "withheld" not in body.lower() and "left out" not in body.lower()
    # The mediator's own: note, sources, who verified and how, the level.
    for secret in ("ZQXNOTE", "ZQXVERIFIER", "ZQXICRC", "ZQXMONITOR", "Said in", "verified"):
        assert secret not in body, secret
    assert "shareable" not in body and "unattributed" not in body
    # Its own session's commitment, the condition and the status with its date.
    assert "ZQXATTABLE" in body and "Release twelve detained soldiers" in body
    assert f"kept late {on(20).isoformat()}" in body
    # The unattributed commitment, without its maker.
    assert "Vouch for the returnees" in body
    assert "Elders Council" not in body and "Maker not named" in body


# --- the debrief -------------------------------------------------------------------------


def test_a_debrief_names_no_source_and_holds_only_what_may_go(
    vault: Vault, case: dict[str, int], tmp_path: Path
) -> None:
    result, body = export(
        vault, case, tmp_path / "debrief.pdf", "debrief", audience_outsider_id=case["envoy"]
    )
    assert result.audience == "Envoy Marra" and result.withheld > 0
    assert "Debrief for Envoy Marra, Nordic Fund" in body
    assert "not for further distribution" in body and "CONFIDENTIAL" not in body
    # Where things stand: the substance of what may be shared, never the words or source.
    assert "ZQXOPEN the road may open" in body and "ZQXANON guarantees" in body
    assert "ZQXRELEASED prisoner lists" in body  # released to every party
    assert "ZQXSECRET" not in body and "ZQXEMBARGO" not in body
    assert "VERBATIM" not in body and "Elders Council" not in body
    assert "Round 1 — First trip" in body
    # Options: with their lineage, never one raised only at a table.
    assert "Border commission" in body and "refined from “Border commission”" in body
    assert "ZQXSESSIONOPTION" not in body and "Orin workshop" not in body
    # Commitments: none resting on a confidence or a table it did not sit at.
    assert "Pull back 5 km" in body and "Vouch for the returnees" in body
    for secret in ("ZQXCONFCOMMIT", "ZQXONSECRET", "ZQXATTABLE", "ZQXNOTE", "ZQXVERIFIER"):
        assert secret not in body, secret
    # People only by codename, and no speaker at all.
    assert "Lena Marsh" not in body and "Omar Vell" not in body
    # The draft handed over, as circulated; what was handed to this audience only.
    assert "Road protocol — draft 1" in body and "1 ZQXCLAUSE The road opens at dawn." in body
    # Its brackets without the parties that proposed them.
    assert "2 Checkpoints are run by [the police] [joint teams]." in body
    assert "What was handed to you" in body and "ZQXFINDING both sides" in body
    assert "Option: Border commission" in body and "Commitment: Pull back 5 km" in body
    assert "ZQXMINISTER" not in body and "ZQXHANDOVERNOTE" not in body
    assert "Kestrel" not in body  # the handover went through Omar: not said


def test_a_debrief_needs_one_outside_audience_of_the_case(
    vault: Vault, case: dict[str, int], tmp_path: Path
) -> None:
    out = tmp_path / "x.pdf"
    with pytest.raises(ValidationError, match="A debrief is for an outside audience"):
        export(vault, case, out, "debrief")
    with pytest.raises(ValidationError, match="not both"):
        export(
            vault, case, out, "debrief", audience_outsider_id=case["envoy"],
            audience_party_id=case["gov"],
        )  # fmt: skip
    with pytest.raises(ValidationError, match="Only a debrief is prepared for an outside"):
        export(vault, case, out, "commitments", audience_outsider_id=case["envoy"])
    with pytest.raises(NotFound, match="no outside audience #999 in this case"):
        export(vault, case, out, "debrief", audience_outsider_id=999)
    assert not out.exists()


def test_codenames_are_on_by_default_in_a_debrief_and_may_be_turned_off(
    vault: Vault, case: dict[str, int], tmp_path: Path
) -> None:
    _, body = export(vault, case, tmp_path / "a.pdf", "debrief", audience_outsider_id=case["envoy"])
    assert "ZQXOPEN the road may open, says Heron" in body
    _, body = export(
        vault, case, tmp_path / "b.pdf", "debrief", audience_outsider_id=case["envoy"],
        codenames=False,
    )  # fmt: skip
    assert "ZQXOPEN the road may open, says Lena Marsh" in body


# --- the brief and the dossier --------------------------------------------------------------


def test_the_brief_lists_commitments_due_before_the_session(
    vault: Vault, case: dict[str, int], tmp_path: Path
) -> None:
    _, body = export(vault, case, tmp_path / "brief.pdf", "brief", session_id=case["session"])
    part = body[body.index("Commitments due before this session") :]
    # Pending and due by the session's day (day 70): not the water station (day 90).
    assert "Hand over the lists" in part and "ZQXCONFCOMMIT" in part
    assert "Repair the water station" not in part and "Pull back" not in part
    _, body = export(
        vault, case, tmp_path / "brief-gov.pdf", "brief", session_id=case["session"],
        audience_party_id=case["gov"],
    )  # fmt: skip
    part = body[body.index("Commitments due before this session") :]
    assert "Hand over the lists" in part and "ZQXCONFCOMMIT" not in part


def test_the_dossier_has_a_commitments_part(
    vault: Vault, case: dict[str, int], tmp_path: Path
) -> None:
    _, body = export(vault, case, tmp_path / "dossier.pdf", "dossier")
    part = body[body.index("How each party kept its word") :]
    assert "Commitments" in body and "Overdue (3)" in part and "ZQXNOTE" in part
    _, body = export(
        vault, case, tmp_path / "dossier-gov.pdf", "dossier", audience_party_id=case["gov"]
    )
    part = body[body.index("How each party kept its word") :]
    assert "Repair the water station" in part
    assert "ZQXCONFCOMMIT" not in part and "ZQXNOTE" not in part
