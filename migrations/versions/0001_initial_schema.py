"""initial schema

Revision ID: 0001
Revises: (none)
Create Date: 2026-11-26 00:54:09.096296
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The full-text index over every text a user types. The rowid of an entry is derived from
# its record (id * 32 + kind code) so that triggers update it without a scan.
# (code, table, kind, case_id expression, title expression, body expression)
SEARCHABLE = [
    (1, "cases", "case", "NEW.id", "NEW.title", "NEW.summary"),
    (2, "parties", "party", "NEW.case_id", "NEW.name", "NEW.description"),
    (
        3,
        "profile_entries",
        "profile_entry",
        "(SELECT case_id FROM parties WHERE id = NEW.party_id)",
        "''",
        "NEW.text",
    ),
    (
        4,
        "people",
        "person",
        "NULL",
        "NEW.name || ' ' || coalesce(NEW.codename, '')",
        "NEW.role || ' ' || NEW.languages || ' ' || NEW.notes",
    ),
    (5, "channels", "channel", "NULL", "NEW.label", "NEW.value"),
    (
        6,
        "affiliations",
        "affiliation",
        "(SELECT case_id FROM parties WHERE id = NEW.party_id)",
        "''",
        "NEW.role",
    ),
    (7, "rounds", "round", "NEW.case_id", "NEW.title", "NEW.notes"),
    (8, "messages", "message", "NEW.case_id", "NEW.summary", "NEW.content || ' ' || NEW.place"),
    (9, "deliveries", "delivery", "NEW.case_id", "NEW.place", "NEW.content || ' ' || NEW.notes"),
    (
        10,
        "releases",
        "release",
        "(SELECT case_id FROM messages WHERE id = NEW.message_id)",
        "NEW.released_by",
        "NEW.reason",
    ),
    (
        11,
        "sessions",
        "session",
        "NEW.case_id",
        "NEW.title",
        "NEW.place || ' ' || NEW.ground_rules || ' ' || NEW.logistics || ' ' || NEW.summary",
    ),
    (
        12,
        "agenda_items",
        "agenda_item",
        "(SELECT case_id FROM sessions WHERE id = NEW.session_id)",
        "NEW.title",
        "NEW.notes",
    ),
    (
        13,
        "session_notes",
        "session_note",
        "(SELECT case_id FROM sessions WHERE id = NEW.session_id)",
        "''",
        "NEW.text",
    ),
    (14, "options", "option", "NEW.case_id", "NEW.title", "NEW.text"),
    (
        15,
        "stances",
        "stance",
        "(SELECT case_id FROM options WHERE id = NEW.option_id)",
        "''",
        "NEW.note",
    ),
    (16, "actions", "action", "NEW.case_id", "NEW.title", "NEW.owner || ' ' || NEW.notes"),
    (17, "notes", "note", "NEW.case_id", "NEW.title", "NEW.body"),
    (18, "tags", "tag", "NULL", "NEW.name", "''"),
    (19, "attachments", "attachment", "NULL", "NEW.filename", "NEW.description"),
]
# Tags and attachments name their record by kind and id; remove them with the record.
NOT_TAGGABLE = {"tags", "attachments"}


def _search_sql() -> list[str]:
    out = [
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "kind UNINDEXED, record_id UNINDEXED, case_id UNINDEXED, title, body, "
        "tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
    ]
    for code, table, kind, case_expr, title, body in SEARCHABLE:
        insert = (
            "INSERT INTO search_index(rowid, kind, record_id, case_id, title, body) VALUES "
            f"(NEW.id * 32 + {code}, '{kind}', NEW.id, {case_expr}, {title}, {body});"
        )
        delete = f"DELETE FROM search_index WHERE rowid = OLD.id * 32 + {code};"
        cleanup = (
            ""
            if table in NOT_TAGGABLE
            else (
                f" DELETE FROM taggings WHERE record_kind = '{kind}' AND record_id = OLD.id;"
                f" DELETE FROM attachments WHERE record_kind = '{kind}' AND record_id = OLD.id;"
            )
        )
        out += [
            f"CREATE TRIGGER search_{table}_ai AFTER INSERT ON {table} BEGIN {insert} END",
            f"CREATE TRIGGER search_{table}_au AFTER UPDATE ON {table} BEGIN {delete} {insert} END",
            f"CREATE TRIGGER search_{table}_ad AFTER DELETE ON {table} BEGIN {delete}{cleanup} END",
        ]
    return out


def upgrade() -> None:
    op.create_table(
        "attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("record_kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=2000), nullable=False),
        sa.Column("media_type", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("added_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_attachments")),
    )
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.create_index("ix_attachments_record", ["record_kind", "record_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column(
            "action",
            sa.Enum(
                "create",
                "update",
                "delete",
                name="audit_action",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("record_kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=2000), nullable=False),
        sa.Column("changes", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index("ix_audit_record", ["record_kind", "record_id"], unique=False)

    op.create_table(
        "cases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column(
            "track",
            sa.Enum(
                "1",
                "1.5",
                "2",
                "3",
                name="track",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "active",
                "dormant",
                "closed",
                name="case_status",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(summary) <= 1000000", name=op.f("ck_cases_summary_length")),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_cases_title_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cases")),
    )
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("codename", sa.String(length=200), nullable=True),
        sa.Column("role", sa.String(length=2000), nullable=False),
        sa.Column("languages", sa.String(length=2000), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_people_name_not_empty")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_people")),
    )
    op.create_table(
        "tags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tags")),
        sa.UniqueConstraint("name", name=op.f("uq_tags_name")),
    )
    op.create_table(
        "channels",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "phone",
                "email",
                "messenger",
                "address",
                "other",
                name="channel_kind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("value", sa.String(length=2000), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_channels_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_channels")),
    )
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_channels_person_id"), ["person_id"], unique=False)

    op.create_table(
        "notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("written_at", sa.DateTime(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_notes_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notes")),
    )
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.create_index("ix_notes_case_at", ["case_id", "written_at"], unique=False)

    op.create_table(
        "parties",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "government",
                "armed_group",
                "political_movement",
                "community",
                "civil_society",
                "third_party",
                name="party_kind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(name) > 0", name=op.f("ck_parties_name_not_empty")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_parties_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_parties")),
    )
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_parties_case_id"), ["case_id"], unique=False)

    op.create_table(
        "rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("started_on", sa.Date(), nullable=True),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_rounds_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_rounds")),
    )
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rounds_case_id"), ["case_id"], unique=False)

    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "bilateral_consultation",
                "shuttle_visit",
                "joint_workshop",
                "problem_solving_workshop",
                "brainstorming",
                "call",
                name="session_kind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "status",
            sa.Enum(
                "planned",
                "held",
                "cancelled",
                name="session_status",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("starts_at", sa.DateTime(), nullable=True),
        sa.Column("ends_at", sa.DateTime(), nullable=True),
        sa.Column("place", sa.String(length=2000), nullable=False),
        sa.Column("ground_rules", sa.Text(), nullable=False),
        sa.Column("logistics", sa.Text(), nullable=False),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint(
            "ends_at IS NULL OR starts_at IS NULL OR ends_at >= starts_at",
            name=op.f("ck_sessions_ends_after_start"),
        ),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_sessions_title_not_empty")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_sessions_case_id_cases"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sessions")),
    )
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.create_index("ix_sessions_case_starts", ["case_id", "starts_at"], unique=False)

    op.create_table(
        "taggings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("tag_id", sa.Integer(), nullable=False),
        sa.Column("record_kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["tag_id"], ["tags.id"], name=op.f("fk_taggings_tag_id_tags"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_taggings")),
    )
    with op.batch_alter_table("taggings", schema=None) as batch_op:
        batch_op.create_index("ix_taggings_tag", ["tag_id"], unique=False)
        batch_op.create_index(
            "uq_taggings_record_tag", ["record_kind", "record_id", "tag_id"], unique=True
        )

    op.create_table(
        "actions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("owner_person_id", sa.Integer(), nullable=True),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done", sa.Boolean(), nullable=False),
        sa.Column("done_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(title) > 0", name=op.f("ck_actions_title_not_empty")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_actions_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["owner_person_id"],
            ["people.id"],
            name=op.f("fk_actions_owner_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_actions_session_id_sessions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actions")),
    )
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.create_index("ix_actions_case_due", ["case_id", "done", "due_on"], unique=False)

    op.create_table(
        "affiliations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=2000), nullable=False),
        sa.Column(
            "capacity",
            sa.Enum(
                "official",
                "unofficial",
                "personal",
                name="capacity",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("since", sa.Date(), nullable=True),
        sa.Column("until", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_affiliations_party_id_parties"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_affiliations_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_affiliations")),
    )
    with op.batch_alter_table("affiliations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_affiliations_party_id"), ["party_id"], unique=False)
        batch_op.create_index(
            "ix_affiliations_party_person", ["party_id", "person_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_affiliations_person_id"), ["person_id"], unique=False)

    op.create_table(
        "agenda_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("notes", sa.Text(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_agenda_items_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agenda_items")),
    )
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_agenda_items_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "deliveries",
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
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_deliveries_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["recipient_party_id"],
            ["parties.id"],
            name=op.f("fk_deliveries_recipient_party_id_parties"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_person_id"],
            ["people.id"],
            name=op.f("fk_deliveries_recipient_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_deliveries_round_id_rounds"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deliveries")),
    )
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.create_index("ix_deliveries_case_at", ["case_id", "delivered_at"], unique=False)
        batch_op.create_index(
            "ix_deliveries_recipient", ["recipient_party_id", "delivered_at"], unique=False
        )

    op.create_table(
        "messages",
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
        sa.CheckConstraint(
            "(disclosure = 'embargoed') = (embargo_until IS NOT NULL)",
            name=op.f("ck_messages_embargo_date"),
        ),
        sa.CheckConstraint(
            "sender_party_id IS NOT NULL OR sender_person_id IS NOT NULL",
            name=op.f("ck_messages_has_sender"),
        ),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_messages_case_id_cases"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["in_reply_to_id"],
            ["messages.id"],
            name=op.f("fk_messages_in_reply_to_id_messages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["recipient_party_id"],
            ["parties.id"],
            name=op.f("fk_messages_recipient_party_id_parties"),
        ),
        sa.ForeignKeyConstraint(
            ["recipient_person_id"],
            ["people.id"],
            name=op.f("fk_messages_recipient_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["rounds.id"],
            name=op.f("fk_messages_round_id_rounds"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["sender_party_id"], ["parties.id"], name=op.f("fk_messages_sender_party_id_parties")
        ),
        sa.ForeignKeyConstraint(
            ["sender_person_id"],
            ["people.id"],
            name=op.f("fk_messages_sender_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_messages")),
    )
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.create_index("ix_messages_case_said_at", ["case_id", "said_at"], unique=False)
        batch_op.create_index(
            "ix_messages_recipient", ["recipient_party_id", "said_at"], unique=False
        )
        batch_op.create_index("ix_messages_reply", ["in_reply_to_id"], unique=False)
        batch_op.create_index("ix_messages_round", ["round_id"], unique=False)
        batch_op.create_index("ix_messages_sender", ["sender_party_id", "said_at"], unique=False)

    op.create_table(
        "participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column(
            "capacity",
            sa.Enum(
                "official",
                "unofficial",
                "personal",
                name="capacity",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_participants_party_id_parties"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_participants_person_id_people"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_participants_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_participants")),
    )
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_participants_person_id"), ["person_id"], unique=False)
        batch_op.create_index(
            "uq_participants_session_person", ["session_id", "person_id"], unique=True
        )

    op.create_table(
        "session_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "observation",
                "statement",
                "interest",
                "need",
                "fear",
                "agreement",
                "action",
                "option",
                name="note_kind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("noted_at", sa.DateTime(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_session_notes_party_id_parties"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name=op.f("fk_session_notes_person_id_people"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["sessions.id"],
            name=op.f("fk_session_notes_session_id_sessions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_session_notes")),
    )
    with op.batch_alter_table("session_notes", schema=None) as batch_op:
        batch_op.create_index(
            "ix_session_notes_session_at", ["session_id", "noted_at"], unique=False
        )

    op.create_table(
        "delivery_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("attributed", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["deliveries.id"],
            name=op.f("fk_delivery_items_delivery_id_deliveries"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["message_id"], ["messages.id"], name=op.f("fk_delivery_items_message_id_messages")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_delivery_items")),
    )
    with op.batch_alter_table("delivery_items", schema=None) as batch_op:
        batch_op.create_index("ix_delivery_items_message", ["message_id"], unique=False)
        batch_op.create_index("uq_delivery_items_pair", ["delivery_id", "message_id"], unique=True)

    op.create_table(
        "options",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "raised",
                "discussed",
                "refined",
                "agreed_in_principle",
                "rejected",
                "parked",
                "adopted",
                name="option_status",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column(
            "raised_by",
            sa.Enum(
                "party",
                "person",
                "joint",
                "facilitator",
                name="raised_by",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("raised_by_party_id", sa.Integer(), nullable=True),
        sa.Column("raised_by_person_id", sa.Integer(), nullable=True),
        sa.Column("raised_in_session_id", sa.Integer(), nullable=True),
        sa.Column("raised_in_message_id", sa.Integer(), nullable=True),
        sa.Column("raised_on", sa.Date(), nullable=False),
        sa.Column("refined_from_id", sa.Integer(), nullable=True),
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
        sa.ForeignKeyConstraint(
            ["refined_from_id"],
            ["options.id"],
            name=op.f("fk_options_refined_from_id_options"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_options")),
    )
    with op.batch_alter_table("options", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_options_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_options_refined_from_id"), ["refined_from_id"], unique=False
        )

    op.create_table(
        "profile_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "position",
                "interest",
                "need",
                "fear",
                "red_line",
                "constraint",
                name="profile_kind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("recorded_on", sa.Date(), nullable=False),
        sa.Column("retired_on", sa.Date(), nullable=True),
        sa.Column("source_session_id", sa.Integer(), nullable=True),
        sa.Column("source_message_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_profile_entries_party_id_parties"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_message_id"],
            ["messages.id"],
            name=op.f("fk_profile_entries_source_message_id_messages"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_session_id"],
            ["sessions.id"],
            name=op.f("fk_profile_entries_source_session_id_sessions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_profile_entries")),
    )
    with op.batch_alter_table("profile_entries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_profile_entries_party_id"), ["party_id"], unique=False)

    op.create_table(
        "releases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("message_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=True),
        sa.Column("released_by", sa.String(length=200), nullable=False),
        sa.Column("released_at", sa.DateTime(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("attribution_allowed", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.CheckConstraint("length(reason) > 0", name=op.f("ck_releases_reason_given")),
        sa.ForeignKeyConstraint(
            ["message_id"],
            ["messages.id"],
            name=op.f("fk_releases_message_id_messages"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_releases_party_id_parties"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_releases")),
    )
    with op.batch_alter_table("releases", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_releases_message_id"), ["message_id"], unique=False)

    op.create_table(
        "option_interests",
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("profile_entry_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["options.id"],
            name=op.f("fk_option_interests_option_id_options"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["profile_entry_id"],
            ["profile_entries.id"],
            name=op.f("fk_option_interests_profile_entry_id_profile_entries"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("option_id", "profile_entry_id", name=op.f("pk_option_interests")),
    )
    op.create_table(
        "stances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("option_id", sa.Integer(), nullable=False),
        sa.Column("party_id", sa.Integer(), nullable=False),
        sa.Column(
            "stance",
            sa.Enum(
                "supports",
                "open",
                "opposes",
                "unknown",
                name="stance_kind",
                native_enum=False,
                create_constraint=True,
                length=40,
            ),
            nullable=False,
        ),
        sa.Column("recorded_at", sa.DateTime(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("source_session_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["option_id"],
            ["options.id"],
            name=op.f("fk_stances_option_id_options"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["party_id"],
            ["parties.id"],
            name=op.f("fk_stances_party_id_parties"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_session_id"],
            ["sessions.id"],
            name=op.f("fk_stances_source_session_id_sessions"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_stances")),
    )
    with op.batch_alter_table("stances", schema=None) as batch_op:
        batch_op.create_index(
            "ix_stances_option_party_at", ["option_id", "party_id", "recorded_at"], unique=False
        )
    for statement in _search_sql():
        op.execute(statement)


def downgrade() -> None:
    op.execute("DROP TABLE search_index")
    with op.batch_alter_table("stances", schema=None) as batch_op:
        batch_op.drop_index("ix_stances_option_party_at")

    op.drop_table("stances")
    op.drop_table("option_interests")
    with op.batch_alter_table("releases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_releases_message_id"))

    op.drop_table("releases")
    with op.batch_alter_table("profile_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_profile_entries_party_id"))

    op.drop_table("profile_entries")
    with op.batch_alter_table("options", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_options_refined_from_id"))
        batch_op.drop_index(batch_op.f("ix_options_case_id"))

    op.drop_table("options")
    with op.batch_alter_table("delivery_items", schema=None) as batch_op:
        batch_op.drop_index("uq_delivery_items_pair")
        batch_op.drop_index("ix_delivery_items_message")

    op.drop_table("delivery_items")
    with op.batch_alter_table("session_notes", schema=None) as batch_op:
        batch_op.drop_index("ix_session_notes_session_at")

    op.drop_table("session_notes")
    with op.batch_alter_table("participants", schema=None) as batch_op:
        batch_op.drop_index("uq_participants_session_person")
        batch_op.drop_index(batch_op.f("ix_participants_person_id"))

    op.drop_table("participants")
    with op.batch_alter_table("messages", schema=None) as batch_op:
        batch_op.drop_index("ix_messages_sender")
        batch_op.drop_index("ix_messages_round")
        batch_op.drop_index("ix_messages_reply")
        batch_op.drop_index("ix_messages_recipient")
        batch_op.drop_index("ix_messages_case_said_at")

    op.drop_table("messages")
    with op.batch_alter_table("deliveries", schema=None) as batch_op:
        batch_op.drop_index("ix_deliveries_recipient")
        batch_op.drop_index("ix_deliveries_case_at")

    op.drop_table("deliveries")
    with op.batch_alter_table("agenda_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_agenda_items_session_id"))

    op.drop_table("agenda_items")
    with op.batch_alter_table("affiliations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_affiliations_person_id"))
        batch_op.drop_index("ix_affiliations_party_person")
        batch_op.drop_index(batch_op.f("ix_affiliations_party_id"))

    op.drop_table("affiliations")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_index("ix_actions_case_due")

    op.drop_table("actions")
    with op.batch_alter_table("taggings", schema=None) as batch_op:
        batch_op.drop_index("uq_taggings_record_tag")
        batch_op.drop_index("ix_taggings_tag")

    op.drop_table("taggings")
    with op.batch_alter_table("sessions", schema=None) as batch_op:
        batch_op.drop_index("ix_sessions_case_starts")

    op.drop_table("sessions")
    with op.batch_alter_table("rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rounds_case_id"))

    op.drop_table("rounds")
    with op.batch_alter_table("parties", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_parties_case_id"))

    op.drop_table("parties")
    with op.batch_alter_table("notes", schema=None) as batch_op:
        batch_op.drop_index("ix_notes_case_at")

    op.drop_table("notes")
    with op.batch_alter_table("channels", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_channels_person_id"))

    op.drop_table("channels")
    op.drop_table("tags")
    op.drop_table("people")
    op.drop_table("cases")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_record")
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    with op.batch_alter_table("attachments", schema=None) as batch_op:
        batch_op.drop_index("ix_attachments_record")

    op.drop_table("attachments")
