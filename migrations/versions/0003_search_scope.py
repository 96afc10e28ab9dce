"""search scope: case and party tokens in the full-text index

A search filtered to one case or one party used to read every matching row's case from the
index's content (slow on a large vault: the filter ran after the match). Each entry now
carries tokens for its case and parties (``c12 p3 p7``) in an extra indexed column, so the
filter is part of the full-text query itself.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 02:20:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CASE_OF_PARTY = "(SELECT case_id FROM parties WHERE id = NEW.party_id)"
_CASE_OF_SESSION = "(SELECT case_id FROM sessions WHERE id = NEW.session_id)"
_CASE_OF_MESSAGE = "(SELECT case_id FROM messages WHERE id = NEW.message_id)"
_CASE_OF_OPTION = "(SELECT case_id FROM options WHERE id = NEW.option_id)"


def _c(expr: str) -> str:
    return f"coalesce('c' || {expr}, '')"


def _p(expr: str) -> str:
    return f"coalesce(' p' || {expr}, '')"


# (code, table, kind, case_id expression, scope expression, title expression, body expression)
SEARCHABLE = [
    (1, "cases", "case", "NEW.id", _c("NEW.id"), "NEW.title", "NEW.summary"),
    (
        2,
        "parties",
        "party",
        "NEW.case_id",
        _c("NEW.case_id") + " || " + _p("NEW.id"),
        "NEW.name",
        "NEW.description",
    ),
    (
        3,
        "profile_entries",
        "profile_entry",
        _CASE_OF_PARTY,
        _c(_CASE_OF_PARTY) + " || " + _p("NEW.party_id"),
        "''",
        "NEW.text",
    ),
    (
        4,
        "people",
        "person",
        "NULL",
        "''",
        "NEW.name || ' ' || coalesce(NEW.codename, '')",
        "NEW.role || ' ' || NEW.languages || ' ' || NEW.notes",
    ),
    (5, "channels", "channel", "NULL", "''", "NEW.label", "NEW.value"),
    (
        6,
        "affiliations",
        "affiliation",
        _CASE_OF_PARTY,
        _c(_CASE_OF_PARTY) + " || " + _p("NEW.party_id"),
        "''",
        "NEW.role",
    ),
    (7, "rounds", "round", "NEW.case_id", _c("NEW.case_id"), "NEW.title", "NEW.notes"),
    (
        8,
        "messages",
        "message",
        "NEW.case_id",
        _c("NEW.case_id")
        + " || "
        + _p("NEW.sender_party_id")
        + " || "
        + _p("NEW.recipient_party_id"),
        "NEW.summary",
        "NEW.content || ' ' || NEW.place",
    ),
    (
        9,
        "deliveries",
        "delivery",
        "NEW.case_id",
        _c("NEW.case_id") + " || " + _p("NEW.recipient_party_id"),
        "NEW.place",
        "NEW.content || ' ' || NEW.notes",
    ),
    (
        10,
        "releases",
        "release",
        _CASE_OF_MESSAGE,
        _c(_CASE_OF_MESSAGE) + " || " + _p("NEW.party_id"),
        "NEW.released_by",
        "NEW.reason",
    ),
    (
        11,
        "sessions",
        "session",
        "NEW.case_id",
        _c("NEW.case_id"),
        "NEW.title",
        "NEW.place || ' ' || NEW.ground_rules || ' ' || NEW.logistics || ' ' || NEW.summary",
    ),
    (
        12,
        "agenda_items",
        "agenda_item",
        _CASE_OF_SESSION,
        _c(_CASE_OF_SESSION),
        "NEW.title",
        "NEW.notes",
    ),
    (
        13,
        "session_notes",
        "session_note",
        _CASE_OF_SESSION,
        _c(_CASE_OF_SESSION) + " || " + _p("NEW.party_id"),
        "''",
        "NEW.text",
    ),
    (
        14,
        "options",
        "option",
        "NEW.case_id",
        _c("NEW.case_id") + " || " + _p("NEW.raised_by_party_id"),
        "NEW.title",
        "NEW.text",
    ),
    (
        15,
        "stances",
        "stance",
        _CASE_OF_OPTION,
        _c(_CASE_OF_OPTION) + " || " + _p("NEW.party_id"),
        "''",
        "NEW.note",
    ),
    (
        16,
        "actions",
        "action",
        "NEW.case_id",
        _c("NEW.case_id"),
        "NEW.title",
        "NEW.owner || ' ' || NEW.notes",
    ),
    (17, "notes", "note", "NEW.case_id", _c("NEW.case_id"), "NEW.title", "NEW.body"),
    (18, "tags", "tag", "NULL", "''", "NEW.name", "''"),
    (19, "attachments", "attachment", "NULL", "''", "NEW.filename", "NEW.description"),
]
NOT_TAGGABLE = {"tags", "attachments"}
COLUMNS = "rowid, kind, record_id, case_id, scope, title, body"


def _values(code: int, kind: str, case_expr: str, scope: str, title: str, body: str) -> str:
    return f"NEW.id * 32 + {code}, '{kind}', NEW.id, {case_expr}, {scope}, {title}, {body}"


def upgrade() -> None:
    for _code, table, *_ in SEARCHABLE:
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
    op.execute("DROP TABLE search_index")
    op.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "kind UNINDEXED, record_id UNINDEXED, case_id UNINDEXED, scope, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    )
    for code, table, kind, case_expr, scope, title, body in SEARCHABLE:
        values = _values(code, kind, case_expr, scope, title, body)
        insert = f"INSERT INTO search_index({COLUMNS}) VALUES ({values});"
        delete = f"DELETE FROM search_index WHERE rowid = OLD.id * 32 + {code};"
        cleanup = (
            ""
            if table in NOT_TAGGABLE
            else (
                f" DELETE FROM taggings WHERE record_kind = '{kind}' AND record_id = OLD.id;"
                f" DELETE FROM attachments WHERE record_kind = '{kind}' AND record_id = OLD.id;"
            )
        )
        op.execute(f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN {insert} END")
        op.execute(
            f"CREATE TRIGGER search_{table}_au AFTER UPDATE ON {table} BEGIN {delete} {insert} END"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN {delete}{cleanup} END"
        )
        # Index what is already there (NEW names the row, as in the triggers).
        op.execute(f"INSERT INTO search_index({COLUMNS}) SELECT {values} FROM {table} AS NEW")


def downgrade() -> None:
    raise NotImplementedError("Liaison does not downgrade vaults; restore the backup instead.")
