"""commitments and their course, outsiders and handovers, links between cases

A case's commitments get a register (``commitments``: who promised what to whom, under which
condition, by when, where it was said, at what disclosure level) and a dated course
(``commitment_events``: kept, kept late, partly kept, broken, withdrawn, with who verified it
and how). Handovers to audiences outside the case's parties are recorded (``outsiders``,
``handovers``, ``handover_items``: the options, drafts, commitments and findings that went up
to Track I) and cases can be linked (``case_links``). New tables only: an older vault keeps
every row as it is. Every new text is searchable: the full-text index gets triggers.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 22:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
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


def _c(expr: str) -> str:
    return f"coalesce('c' || {expr}, '')"


def _p(expr: str) -> str:
    return f"coalesce(' p' || {expr}, '')"


_CASE_OF_COMMITMENT = "(SELECT case_id FROM commitments WHERE id = NEW.commitment_id)"
_CASE_OF_HANDOVER = "(SELECT case_id FROM handovers WHERE id = NEW.handover_id)"

# As in 0003 and 0008: (code, table, kind, case expression, scope expression, title, body).
# Codes 1-24 are taken; a row's entry is rowid id * 32 + code.
SEARCHABLE = [
    (
        25,
        "commitments",
        "commitment",
        "NEW.case_id",
        _c("NEW.case_id") + " || " + _p("NEW.party_id"),
        "''",
        "NEW.what || ' ' || NEW.condition || ' ' || NEW.note",
    ),
    (
        26,
        "commitment_events",
        "commitment_event",
        _CASE_OF_COMMITMENT,
        _c(_CASE_OF_COMMITMENT),
        "''",
        "NEW.verified_by || ' ' || NEW.note",
    ),
    (
        27,
        "outsiders",
        "outsider",
        "NEW.case_id",
        _c("NEW.case_id"),
        "NEW.name",
        "NEW.organisation || ' ' || NEW.notes",
    ),
    (28, "handovers", "handover", "NEW.case_id", _c("NEW.case_id"), "''", "NEW.note"),
    (
        29,
        "handover_items",
        "handover_item",
        _CASE_OF_HANDOVER,
        _c(_CASE_OF_HANDOVER),
        "''",
        "NEW.finding",
    ),
    (
        30,
        "case_links",
        "case_link",
        "NEW.from_case_id",
        _c("NEW.from_case_id") + " || ' ' || " + _c("NEW.to_case_id"),
        "''",
        "NEW.note",
    ),
]
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


_DISCLOSURE = ("shareable", "unattributed", "confidential", "embargoed")
_STATUS = ("pending", "kept", "kept_late", "partly_kept", "broken", "withdrawn")


def upgrade() -> None:
    op.create_table(
        "commitments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("to_party_id", sa.Integer(), nullable=True),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("condition", sa.Text(), nullable=False),
        sa.Column("condition_id", sa.Integer(), nullable=True),
        sa.Column("made_at", sa.DateTime(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("disclosure", _enum("disclosure", *_DISCLOSURE), nullable=False),
        sa.Column("embargo_until", sa.DateTime(), nullable=True),
        sa.Column("source_message_id", sa.Integer(), nullable=True),
        sa.Column("source_session_id", sa.Integer(), nullable=True),
        sa.Column("source_clause_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_stamps(),
        sa.CheckConstraint("length(what) > 0", name=op.f("ck_commitments_what_not_empty")),
        sa.CheckConstraint(
            "(disclosure = 'embargoed') = (embargo_until IS NOT NULL)",
            name=op.f("ck_commitments_embargo_date"),
        ),
        sa.CheckConstraint(
            "condition_id IS NULL OR condition_id != id",
            name=op.f("ck_commitments_not_own_condition"),
        ),
        _fk("commitments", "case_id", "cases", "CASCADE"),
        _fk("commitments", "party_id", "parties", "CASCADE"),
        _fk("commitments", "person_id", "people", "SET NULL"),
        _fk("commitments", "to_party_id", "parties", "SET NULL"),
        _fk("commitments", "condition_id", "commitments", "SET NULL"),
        _fk("commitments", "source_message_id", "messages", "SET NULL"),
        _fk("commitments", "source_session_id", "sessions", "SET NULL"),
        _fk("commitments", "source_clause_id", "clauses", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitments")),
    )
    op.create_index("ix_commitments_case_due", "commitments", ["case_id", "due_on"])
    op.create_index("ix_commitments_party", "commitments", ["party_id"])
    op.create_index("ix_commitments_source_message", "commitments", ["source_message_id"])
    op.create_table(
        "commitment_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("commitment_id", sa.Integer(), nullable=False),
        sa.Column("on", sa.Date(), nullable=False),
        sa.Column("status", _enum("commitment_status", *_STATUS), nullable=False),
        sa.Column("verified_by", sa.String(length=200), nullable=False),
        sa.Column("how", _enum("verification", "message", "note", "outside"), nullable=False),
        sa.Column("evidence_message_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        *_stamps(),
        _fk("commitment_events", "commitment_id", "commitments", "CASCADE"),
        _fk("commitment_events", "evidence_message_id", "messages", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_commitment_events")),
    )
    op.create_index("ix_commitment_events_commitment_id", "commitment_events", ["commitment_id"])
    op.create_table(
        "outsiders",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind", _enum("outsider_kind", "official", "institution", "sponsor"), nullable=False
        ),
        sa.Column("organisation", sa.String(length=200), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        *_stamps(),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_outsiders_name_not_empty")),
        _fk("outsiders", "case_id", "cases", "CASCADE"),
        _fk("outsiders", "person_id", "people", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outsiders")),
    )
    op.create_index("ix_outsiders_case_id", "outsiders", ["case_id"])
    op.create_table(
        "handovers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("outsider_id", sa.Integer(), nullable=False),
        sa.Column("handed_at", sa.DateTime(), nullable=False),
        sa.Column("through_person_id", sa.Integer(), nullable=True),
        sa.Column("sources_named", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_stamps(),
        _fk("handovers", "case_id", "cases", "CASCADE"),
        _fk("handovers", "outsider_id", "outsiders", "RESTRICT"),
        _fk("handovers", "through_person_id", "people", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handovers")),
    )
    op.create_index("ix_handovers_case_id", "handovers", ["case_id"])
    op.create_index("ix_handovers_outsider_id", "handovers", ["outsider_id"])
    op.create_table(
        "handover_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("handover_id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=True),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("commitment_id", sa.Integer(), nullable=True),
        sa.Column("finding", sa.Text(), nullable=False),
        sa.Column("finding_message_id", sa.Integer(), nullable=True),
        sa.Column("finding_session_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "(option_id IS NOT NULL) + (draft_id IS NOT NULL) + (commitment_id IS NOT NULL)"
            " + (length(finding) > 0) = 1",
            name=op.f("ck_handover_items_one_thing"),
        ),
        _fk("handover_items", "handover_id", "handovers", "CASCADE"),
        _fk("handover_items", "option_id", "options", "CASCADE"),
        _fk("handover_items", "draft_id", "text_drafts", "CASCADE"),
        _fk("handover_items", "commitment_id", "commitments", "CASCADE"),
        _fk("handover_items", "finding_message_id", "messages", "SET NULL"),
        _fk("handover_items", "finding_session_id", "sessions", "SET NULL"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handover_items")),
    )
    op.create_index("ix_handover_items_handover_id", "handover_items", ["handover_id"])
    op.create_index("ix_handover_items_option", "handover_items", ["option_id"])
    op.create_index("ix_handover_items_commitment", "handover_items", ["commitment_id"])
    op.create_table(
        "case_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("from_case_id", sa.Integer(), nullable=False),
        sa.Column("to_case_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("case_link_kind", "feeds", "related"), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        *_stamps(),
        sa.CheckConstraint("from_case_id != to_case_id", name=op.f("ck_case_links_not_itself")),
        _fk("case_links", "from_case_id", "cases", "CASCADE"),
        _fk("case_links", "to_case_id", "cases", "CASCADE"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_links")),
        sa.UniqueConstraint("from_case_id", "to_case_id", name=op.f("uq_case_links_from_case_id")),
    )
    op.create_index("ix_case_links_to_case_id", "case_links", ["to_case_id"])
    _search_triggers()


def downgrade() -> None:
    for code, table, *_ in SEARCHABLE:
        for suffix in ("ai", "au", "ad"):
            op.execute(f"DROP TRIGGER IF EXISTS search_{table}_{suffix}")
        op.execute(f"DELETE FROM search_index WHERE rowid % 32 = {code}")
    for table in (
        "case_links",
        "handover_items",
        "handovers",
        "outsiders",
        "commitment_events",
        "commitments",
    ):
        op.drop_table(table)
