"""rounds: an index on (case, number) for the newest rounds first

A case of a million messages holds some 8,000 rounds. The Rounds list and a message's round
field show them by number (the field offers the newest 300); without an index in that order,
each showing sorted every round of the case (35 ms of a first screen). ``ix_rounds_case_number``
gives them in order and makes ``ix_rounds_case_id`` (its first column alone) redundant.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-03 17:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_rounds_case_number", "rounds", ["case_id", "number"])
    op.drop_index("ix_rounds_case_id", table_name="rounds")


def downgrade() -> None:
    op.create_index("ix_rounds_case_id", "rounds", ["case_id"])
    op.drop_index("ix_rounds_case_number", table_name="rounds")
