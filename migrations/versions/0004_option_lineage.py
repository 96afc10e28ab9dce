"""option lineage: merges and splits, not just "refined from"

An option had one parent (``refined_from_id``). Merging two options into one needs two
parents, and a split gives one option several children, so the lineage moves into its own
table (``option_links``: option, parent, kind of step, date). The existing "refined from"
links are carried over. Options also gain the statuses "merged" and "split", which needs the
options table rebuilt for its CHECK constraint; the column ``refined_from_id`` goes with it.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 03:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from migrations.rebuild import rebuild_table, referenced_tables

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _enum(name: str, *values: str) -> sa.Enum:
    return sa.Enum(*values, name=name, native_enum=False, create_constraint=True, length=40)


def _options(*statuses: str, with_refined_from: bool) -> sa.Table:
    # The models' convention names the enum CHECKs (ck_options_option_status); explicit names
    # go through op.f() so that it does not prefix them twice.
    md = sa.MetaData(naming_convention={"ck": "ck_%(table_name)s_%(constraint_name)s"})
    referenced_tables(md, "cases", "parties", "people", "sessions", "messages")
    extra: list[sa.SchemaItem] = []
    if with_refined_from:
        extra = [
            sa.Column("refined_from_id", sa.Integer(), nullable=True),
            sa.ForeignKeyConstraint(
                ["refined_from_id"],
                ["options.id"],
                name=op.f("fk_options_refined_from_id_options"),
                ondelete="SET NULL",
            ),
        ]
    return sa.Table(
        "options",
        md,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("status", _enum("option_status", *statuses), nullable=False),
        sa.Column(
            "raised_by",
            _enum("raised_by", "party", "person", "joint", "facilitator"),
            nullable=False,
        ),
        sa.Column("raised_by_party_id", sa.Integer(), nullable=True),
        sa.Column("raised_by_person_id", sa.Integer(), nullable=True),
        sa.Column("raised_in_session_id", sa.Integer(), nullable=True),
        sa.Column("raised_in_message_id", sa.Integer(), nullable=True),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_options_title_not_empty")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_options_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_party_id"],
            ["parties.id"],
            name=op.f("fk_options_raised_by_party_id_parties"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["raised_by_person_id"],
            ["people.id"],
            name=op.f("fk_options_raised_by_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["raised_in_message_id"],
            ["messages.id"],
            name=op.f("fk_options_raised_in_message_id_messages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["raised_in_session_id"],
            ["sessions.id"],
            name=op.f("fk_options_raised_in_session_id_sessions"),
            ondelete="SET NULL",
        ),
        *extra,
        sa.PrimaryKeyConstraint("id", name=op.f("pk_options")),
    )


_OLD_STATUSES = (
    "raised",
    "discussed",
    "refined",
    "agreed_in_principle",
    "rejected",
    "parked",
    "adopted",
)
_NEW_STATUSES = (*_OLD_STATUSES, "merged", "split")


def upgrade() -> None:
    op.create_table(
        "option_links",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=False),
        sa.Column("kind", _enum("lineage_kind", "refined", "merged", "split"), nullable=False),
        sa.Column("linked_on", sa.Date(), nullable=False),
        sa.CheckConstraint(
            "option_id <> parent_id", name=op.f("ck_option_links_not_its_own_parent")
        ),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["options.id"],
            name=op.f("fk_option_links_option_id_options"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["options.id"],
            name=op.f("fk_option_links_parent_id_options"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_option_links")),
        sa.UniqueConstraint("option_id", "parent_id", name=op.f("uq_option_links_option_id")),
    )
    op.create_index("ix_option_links_parent_id", "option_links", ["parent_id"])
    # The step is dated by the newer option's own date: the best the old vault knows.
    op.execute(
        "INSERT INTO option_links (option_id, parent_id, kind, linked_on) "
        "SELECT id, refined_from_id, 'refined', raised_on FROM options "
        "WHERE refined_from_id IS NOT NULL AND refined_from_id <> id"
    )
    op.drop_index("ix_options_refined_from_id", table_name="options")
    rebuild_table(_options(*_NEW_STATUSES, with_refined_from=False))


def downgrade() -> None:
    # Only the first parent of each option survives a downgrade; merged and split statuses
    # fall back to "refined".
    op.execute("UPDATE options SET status = 'refined' WHERE status IN ('merged', 'split')")
    rebuild_table(_options(*_OLD_STATUSES, with_refined_from=True))
    op.execute(
        "UPDATE options SET refined_from_id = (SELECT min(parent_id) FROM option_links "
        "WHERE option_links.option_id = options.id)"
    )
    op.create_index("ix_options_refined_from_id", "options", ["refined_from_id"])
    op.drop_table("option_links")
