"""vault settings: preferences that belong to the vault, kept encrypted inside it

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-26 01:03:55
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "vault_settings",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_vault_settings")),
    )


def downgrade() -> None:
    op.drop_table("vault_settings")
