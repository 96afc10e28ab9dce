"""options: an index on (case, date raised) for the paged options matrix

The options matrix of a case is read a page at a time, in the order options were raised
(issue #18: a case may hold thousands of options). Without an index in that order each page
sorted every option of the case; ``ix_options_case_raised`` gives them in order, and makes
``ix_options_case_id`` (its first column alone) redundant.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 16:50:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_options_case_raised", "options", ["case_id", "raised_on"])
    op.drop_index("ix_options_case_id", table_name="options")


def downgrade() -> None:
    op.create_index("ix_options_case_id", "options", ["case_id"])
    op.drop_index("ix_options_case_raised", table_name="options")
