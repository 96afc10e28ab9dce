"""What a reference field may point at: for each kind, the records of the case a form's
combo offers (the newest where a case holds many), labelled as the user knows them."""

from __future__ import annotations

from sqlalchemy import text

from app.core.services.messages import summary_sql
from app.core.vault import Vault

# What a reference field may point at: (kind, how it is labelled, how it is scoped to a case).
_CHOICES: dict[str, tuple[str, str, str]] = {
    "case": ("cases t", "t.title", ""),
    "party": ("parties t", "t.name", "t.case_id = :case_id"),
    "person": ("people t", "t.name || coalesce(' (' || t.codename || ')', '')", ""),
    "round": (
        "rounds t",
        "'Round ' || t.number || coalesce(': ' || nullif(t.title, ''), '')",
        "t.case_id = :case_id",
    ),
    "message": (
        "messages t",
        "strftime('%Y-%m-%d', t.said_at) || ' · ' || "
        f"substr({summary_sql('t.summary', 't.content', limit=80)}, 1, 80)",
        "t.case_id = :case_id",
    ),
    "session": ("sessions t", "t.title", "t.case_id = :case_id"),
    "option": ("options t", "t.title", "t.case_id = :case_id"),
    "delivery": (
        "deliveries t",
        "strftime('%Y-%m-%d', t.delivered_at) || ' · ' || substr(t.content, 1, 80)",
        "t.case_id = :case_id",
    ),
    "commitment": (
        "commitments t JOIN parties p ON p.id = t.party_id",
        "p.name || ': ' || substr(t.what, 1, 80)",
        "t.case_id = :case_id",
    ),
    "outsider": (
        "outsiders t",
        "t.name || coalesce(' (' || nullif(t.organisation, '') || ')', '')",
        "t.case_id = :case_id",
    ),
    "profile_entry": (
        "profile_entries t JOIN parties p ON p.id = t.party_id",
        "p.name || ': ' || substr(t.text, 1, 80)",
        "p.case_id = :case_id",
    ),
}


# A reference to a message, delivery, round, session or option offers the most recent ones (a
# case may hold 330,000 messages, 8,000 rounds, 3,000 options: a list that long helps nobody,
# and filling it cost the first screen of a million-message vault 180 ms), plus whatever the
# record points at now.
_RECENT_ONLY = {"message": 300, "delivery": 300, "round": 300, "session": 300, "option": 300}
_NEWEST_FIRST = {
    "message": "t.said_at DESC",
    "delivery": "t.delivered_at DESC",
    "round": "t.number DESC",
    "session": "t.starts_at DESC",
    "option": "t.raised_on DESC, t.id DESC",
}


def choices(
    vault: Vault,
    kind: str,
    case_id: int | None = None,
    limit: int = 5000,
    include: int | None = None,
) -> list[tuple[int, str]]:
    """(id, label) pairs for a reference field: the newest first where a case holds many
    (see _RECENT_ONLY), else by label."""
    from_sql, label, scope = _CHOICES[kind]
    limit = min(limit, _RECENT_ONLY.get(kind, limit))
    where = f" WHERE {scope}" if scope and case_id is not None else ""
    order = _NEWEST_FIRST.get(kind, label)
    sql = f"SELECT t.id, {label} FROM {from_sql}{where} ORDER BY {order} LIMIT :limit"
    with vault.session() as s:
        rows = [
            (int(i), str(lbl or ""))
            for i, lbl in s.execute(text(sql), {"case_id": case_id, "limit": limit})
        ]
        if include is not None and all(i != include for i, _ in rows):
            one = s.execute(
                text(f"SELECT t.id, {label} FROM {from_sql} WHERE t.id = :id"), {"id": include}
            ).first()
            if one is not None:
                rows.insert(0, (int(one[0]), str(one[1] or "")))
    return rows
