"""Undo of a delete: a snapshot restores the record, everything that cascaded with it, and
the links elsewhere that the delete cleared."""

from __future__ import annotations

from pathlib import Path

from app.core.export.jsonio import export_json
from app.core.services.history import restore, snapshot
from app.core.services.records import Records
from app.core.services.search import search
from app.core.vault import Vault
from tests.core.test_records import build_one_of_each


def test_delete_then_restore_a_whole_case_is_exact(vault: Vault, tmp_path: Path) -> None:
    r = Records(vault)
    ids = build_one_of_each(r)
    r.tag("message", ids["message"], "kept")
    before = tmp_path / "before.json"
    export_json(vault, before)
    snap = snapshot(vault, "case", ids["case"])
    assert snap.count() > 15
    r.delete("case", ids["case"])
    assert r.find("message") == [] and r.find("tagging") == []
    restore(vault, snap)
    after = tmp_path / "after.json"
    export_json(vault, after)
    import json

    def tables(p: Path) -> dict[str, object]:
        t = json.loads(p.read_text("utf-8"))["tables"]
        t.pop("audit_log")
        return t

    assert tables(after) == tables(before)
    assert search(vault, "dam")  # the search index followed
    assert vault.check() == []


def test_restore_puts_back_links_set_to_null(vault: Vault) -> None:
    r = Records(vault)
    c = r.create("case", title="Links")
    p = r.create("party", case_id=c, name="P", kind="community")
    s = r.create("session", case_id=c, title="S", kind="call")
    a = r.create("action", case_id=c, title="Follow up", session_id=s)
    snap = snapshot(vault, "session", s)
    r.delete("session", s)
    assert r.get("action", a)["session_id"] is None
    restore(vault, snap)
    assert r.get("action", a)["session_id"] == s
    assert r.get("party", p)["name"] == "P"
