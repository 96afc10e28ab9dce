"""texts: drafts made of clauses, bracketed alternatives, critiques, circulation

A case's texts (joint memoranda, working papers, single negotiating texts, communiqués) get
their own tables: ``texts``, ``text_drafts`` (numbered; frozen once circulated), ``clauses``
(a ``key`` that stays the same from draft to draft), ``clause_alternatives`` (structured
brackets), ``clause_options`` (the options a clause carries) and ``critiques`` (each party's
reaction per clause per draft). A delivery may now convey a circulated draft
(``deliveries.draft_id``), so the knowledge ledger says which draft each party holds; the
column is added in place (ALTER TABLE), not by rebuilding the deliveries table, which would
copy every delivery and lose its search triggers. Every new text is searchable: the full-text
index gets triggers for the new tables.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 19:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations.rebuild import rebuild_table, referenced_tables

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=40)


def _fk(table: str, column: str, target: str, ondelete: str | None) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column],
        [f"{target}.id"],
        name=op.f(f"fk_{table}_{column}_{target}"),
        ondelete=ondelete,
    )


def _stamps() -> list[sa.Column]:
    return [
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
    ]


_CASE_OF_TEXT = "(SELECT case_id FROM texts WHERE id = NEW.text_id)"
_CASE_OF_DRAFT = (
    "(SELECT t.case_id FROM text_drafts d JOIN texts t ON t.id = d.text_id WHERE d.id = NEW.{col})"
)
_CASE_OF_CLAUSE = (
    "(SELECT t.case_id FROM clauses c JOIN text_drafts d ON d.id = c.draft_id "
    "JOIN texts t ON t.id = d.text_id WHERE c.id = NEW.clause_id)"
)


def _c(expr: str) -> str:
    return f"coalesce('c' || {expr}, '')"


def _p(expr: str) -> str:
    return f"coalesce(' p' || {expr}, '')"


# As in 0003: (code, table, kind, case expression, scope expression, title, body). Codes
# 1-19 are taken; a row's entry is rowid id * 32 + code.
SEARCHABLE = [
    (20, "texts", "text", "NEW.case_id", _c("NEW.case_id"), "NEW.title", "NEW.purpose"),
    (
        21,
        "text_drafts",
        "draft",
        _CASE_OF_TEXT,
        _c(_CASE_OF_TEXT),
        "''",
        "NEW.note",
    ),
    (
        22,
        "clauses",
        "clause",
        _CASE_OF_DRAFT.format(col="draft_id"),
        _c(_CASE_OF_DRAFT.format(col="draft_id")) + " || " + _p("NEW.proposed_by_party_id"),
        "''",
        "NEW.wording || ' ' || NEW.note",
    ),
    (
        23,
        "clause_alternatives",
        "alternative",
        _CASE_OF_CLAUSE,
        _c(_CASE_OF_CLAUSE) + " || " + _p("NEW.party_id"),
        "''",
        "NEW.wording",
    ),
    (
        24,
        "critiques",
        "critique",
        _CASE_OF_CLAUSE,
        _c(_CASE_OF_CLAUSE) + " || " + _p("NEW.party_id"),
        "''",
        "NEW.proposed_wording || ' ' || NEW.note",
    ),
]
NOT_TAGGABLE: set[str] = set()
COLUMNS = "rowid, kind, record_id, case_id, scope, title, body"


def _values(code: int, kind: str, case_expr: str, scope: str, title: str, body: str) -> str:
    return f"NEW.id * 32 + {code}, '{kind}', NEW.id, {case_expr}, {scope}, {title}, {body}"


def _search_triggers() -> None:
    for code, table, kind, case_expr, scope, title, body in SEARCHABLE:
        values = _values(code, kind, case_expr, scope, title, body)
        insert = f"INSERT INTO search_index({COLUMNS}) VALUES ({values});"
        delete = f"DELETE FROM search_index WHERE rowid = OLD.id * 32 + {code};"
        cleanup = (
            f" DELETE FROM taggings WHERE record_kind = '{kind}' AND record_id = OLD.id;"
            f" DELETE FROM attachments WHERE record_kind = '{kind}' AND record_id = OLD.id;"
        )
        op.execute(f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN {insert} END")
        op.execute(
            f"CREATE TRIGGER search_{table}_au AFTER UPDATE ON {table} BEGIN {delete} {insert} END"
        )
        op.execute(
            f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN {delete}{cleanup} END"
        )


def upgrade() -> None:
    op.create_table(
        "texts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            _enum(
                "text_kind",
                "working_paper",
                "joint_memorandum",
                "single_negotiating_text",
                "communique",
            ),
            nullable=False,
        ),
        sa.Column("purpose", sa.Text(), nullable=False),
        *_stamps(),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_texts_title_not_empty")),
        _fk("texts", "case_id", "cases", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_texts")),
    )
    op.create_index("ix_texts_case_id", "texts", ["case_id"])
    op.create_table(
        "text_drafts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("text_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("circulated_at", sa.DateTime(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_stamps(),
        sa.CheckConstraint("number > 0", name=op.f("ck_text_drafts_number_positive")),
        _fk("text_drafts", "text_id", "texts", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_text_drafts")),
        sa.UniqueConstraint("text_id", "number", name=op.f("uq_text_drafts_text_id")),
    )
    op.create_table(
        "clauses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("clause_kind", "heading", "paragraph"), nullable=False),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("source_message_id", sa.Integer(), nullable=True),
        sa.Column("source_session_id", sa.Integer(), nullable=True),
        sa.Column("proposed_by_party_id", sa.Integer(), nullable=True),
        sa.Column("proposed_by_person_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_stamps(),
        _fk("clauses", "draft_id", "text_drafts", "CASCADE"),
        _fk("clauses", "proposed_by_party_id", "parties", "SET NULL"),
        _fk("clauses", "proposed_by_person_id", "people", "SET NULL"),
        _fk("clauses", "source_message_id", "messages", "SET NULL"),
        _fk("clauses", "source_session_id", "sessions", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clauses")),
        sa.UniqueConstraint("draft_id", "key", name=op.f("uq_clauses_draft_id")),
    )
    op.create_index("ix_clauses_draft_position", "clauses", ["draft_id", "position"])
    op.create_index("ix_clauses_source_message", "clauses", ["source_message_id"])
    op.create_table(
        "clause_alternatives",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clause_id", sa.Integer(), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("wording", sa.Text(), nullable=False),
        sa.Column("source_message_id", sa.Integer(), nullable=True),
        sa.CheckConstraint("slot > 0", name=op.f("ck_clause_alternatives_slot_positive")),
        _fk("clause_alternatives", "clause_id", "clauses", "CASCADE"),
        _fk("clause_alternatives", "party_id", "parties", "SET NULL"),
        _fk("clause_alternatives", "source_message_id", "messages", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_clause_alternatives")),
    )
    op.create_index(
        "ix_clause_alternatives_clause", "clause_alternatives", ["clause_id", "slot", "position"]
    )
    op.create_table(
        "clause_options",
        sa.Column("clause_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        _fk("clause_options", "clause_id", "clauses", "CASCADE"),
        _fk("clause_options", "option_id", "options", "CASCADE"),
        sa.PrimaryKeyConstraint("clause_id", "option_id", name=op.f("pk_clause_options")),
    )
    op.create_index("ix_clause_options_option", "clause_options", ["option_id"])
    op.create_table(
        "critiques",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("clause_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column(
            "reaction",
            _enum("reaction", "accepts", "accepts_with_changes", "rejects", "reserves"),
            nullable=False,
        ),
        sa.Column("proposed_wording", sa.Text(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("source_message_id", sa.Integer(), nullable=True),
        sa.Column("source_session_id", sa.Integer(), nullable=True),
        _fk("critiques", "clause_id", "clauses", "CASCADE"),
        _fk("critiques", "party_id", "parties", "CASCADE"),
        _fk("critiques", "source_message_id", "messages", "SET NULL"),
        _fk("critiques", "source_session_id", "sessions", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_critiques")),
    )
    op.create_index(
        "ix_critiques_clause_party", "critiques", ["clause_id", "party_id", "recorded_on"]
    )
    # In place: SQLite adds a column with a named REFERENCES clause when its default is NULL.
    op.execute(
        "ALTER TABLE deliveries ADD COLUMN draft_id INTEGER "
        "CONSTRAINT fk_deliveries_draft_id_text_drafts REFERENCES text_drafts (id)"
    )
    op.create_index("ix_deliveries_draft_id", "deliveries", ["draft_id"])
    _search_triggers()


def _deliveries_0007() -> sa.Table:
    """The deliveries table as 0001 made it (unchanged until this revision)."""
    md = sa.MetaData()
    referenced_tables(md, "cases", "parties", "people", "rounds")
    return sa.Table(
        "deliveries",
        md,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=True),
        sa.Column("recipient_party_id", sa.Integer(), nullable=False),
        sa.Column("recipient_person_id", sa.Integer(), nullable=True),
        sa.Column("delivered_at", sa.DateTime(), nullable=False),
        sa.Column("place", sa.String(length=2000), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        _fk("deliveries", "case_id", "cases", "CASCADE"),
        _fk("deliveries", "recipient_party_id", "parties", None),
        _fk("deliveries", "recipient_person_id", "people", "SET NULL"),
        _fk("deliveries", "round_id", "rounds", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
    )


def downgrade() -> None:
    # The deliveries that conveyed a draft stay, as plain deliveries (their content names it).
    for _code, table, *_ in SEARCHABLE:
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
        op.execute(f"DELETE FROM search_index WHERE rowid % 32 = {_code}")
    op.drop_index("ix_deliveries_draft_id", table_name="deliveries")
    rebuild_table(_deliveries_0007())
    for table in (
        "critiques",
        "clause_options",
        "clause_alternatives",
        "clauses",
        "text_drafts",
        "texts",
    ):
        op.drop_table(table)
