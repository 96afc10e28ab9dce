"""Alembic environment: always runs on an open, keyed connection handed in by the vault."""

from alembic import context

from app.core.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "Liaison migrations run only through app.core.schema on an unlocked vault "
        "(they need its key); see migrations/new_revision.py for development."
    )

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
