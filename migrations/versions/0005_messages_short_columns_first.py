"""messages: short columns first, long text last

The messages table stored ``place`` and the verbatim ``content`` before ``summary``,
``disclosure`` and the other short columns. A row too big for its page keeps only its start
in the page and the rest in overflow pages, so reading the summary or the level of a message
with long content meant following its overflow chain, and in a vault every page followed is
a decryption. The table is rebuilt (the SQLite-documented way, see migrations/rebuild.py)
with the keys, dates and levels first, then the summary, then ``place`` and ``content``.
Rows, constraint names, indexes and the full-text triggers are unchanged.

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-26 04:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa

from migrations.rebuild import rebuild_table, referenced_tables

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_SHORT_FIRST = (
    "id",
    "case_id",
    "round_id",
    "sender_party_id",
    "sender_person_id",
    "recipient_party_id",
    "recipient_person_id",
    "said_at",
    "disclosure",
    "embargo_until",
    "in_reply_to_id",
    "created_at",
    "updated_at",
    "summary",
    "place",
    "content",
)
# The order of revisions 0001-0004.
_ORIGINAL = (
    "id",
    "case_id",
    "round_id",
    "sender_party_id",
    "sender_person_id",
    "recipient_party_id",
    "recipient_person_id",
    "said_at",
    "place",
    "content",
    "summary",
    "disclosure",
    "embargo_until",
    "in_reply_to_id",
    "created_at",
    "updated_at",
)


def _messages(order: Sequence[str]) -> sa.Table:
    """The messages table of 0001 (same columns, constraints and names), in ``order``."""
    # Only check constraints get a generated name: the level's enum CHECK, as in 0001.
    md = sa.MetaData(naming_convention={"ck": "ck_%(table_name)s_%(constraint_name)s"})
    referenced_tables(md, "cases", "rounds", "parties", "people")
    columns = {
        c.name: c
        for c in (
            sa.Column("id", sa.Integer(), nullable=False),
            sa.Column("case_id", sa.Integer(), nullable=False),
            sa.Column("round_id", sa.Integer(), nullable=True),
            sa.Column("sender_party_id", sa.Integer(), nullable=True),
            sa.Column("sender_person_id", sa.Integer(), nullable=True),
            sa.Column("recipient_party_id", sa.Integer(), nullable=True),
            sa.Column("recipient_person_id", sa.Integer(), nullable=True),
            sa.Column("said_at", sa.DateTime(), nullable=False),
            sa.Column("place", sa.String(length=2000), nullable=False),
            sa.Column("content", sa.Text(), nullable=False),
            sa.Column("summary", sa.Text(), nullable=False),
            sa.Column(
                "disclosure",
                sa.Enum(
                    "shareable",
                    "unattributed",
                    "confidential",
                    "embargoed",
                    name="disclosure",
                    native_enum=False,
                    create_constraint=True,
                    length=40,
                ),
                nullable=False,
            ),
            sa.Column("embargo_until", sa.DateTime(), nullable=True),
            sa.Column("in_reply_to_id", sa.Integer(), nullable=True),
            sa.Column("created_at", sa.DateTime(), nullable=False),
            sa.Column("updated_at", sa.DateTime(), nullable=False),
        )
    }
    assert sorted(order) == sorted(columns)
    return sa.Table(
        "messages",
        md,
        *(columns[name] for name in order),
        sa.CheckConstraint(
            "(disclosure = 'embargoed') = (embargo_until IS NOT NULL)", name="embargo_date"
        ),
        sa.CheckConstraint(
            "sender_party_id IS NOT NULL OR sender_person_id IS NOT NULL", name="has_sender"
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name="fk_messages_case_id_cases", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["in_reply_to_id"],
            ["messages.id"],
            name="fk_messages_in_reply_to_id_messages",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_party_id"], ["parties.id"], name="fk_messages_recipient_party_id_parties"
        ),
        sa.ForeignKeyConstraint(
            ["recipient_person_id"],
            ["people.id"],
            name="fk_messages_recipient_person_id_people",
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["rounds.id"], name="fk_messages_round_id_rounds", ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["sender_party_id"], ["parties.id"], name="fk_messages_sender_party_id_parties"
        ),
        sa.ForeignKeyConstraint(
            ["sender_person_id"],
            ["people.id"],
            name="fk_messages_sender_person_id_people",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_messages"),
    )


def upgrade() -> None:
    # Indexes and the full-text triggers of messages are re-created from their stored SQL;
    # the triggers of releases that read messages are left alone (legacy rename).
    rebuild_table(_messages(_SHORT_FIRST))


def downgrade() -> None:
    rebuild_table(_messages(_ORIGINAL))
