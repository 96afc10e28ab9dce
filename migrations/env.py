"""Alembic environment: always runs on an open, keyed connection handed in by the vault."""

from alembic import context

from app.core.models import Base

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError(
        "Liaison migrations run only through app.core.schema on an unlocked vault "
        "(they need its key); see migrations/new_revision.py for development."
    )


def include_object(obj, name, type_, reflected, compare_to):  # type: ignore[no-untyped-def]
    # The FTS5 index and its shadow tables are managed by hand (see 0001); autogenerate
    # must never propose dropping them.
    return not (name or "").startswith("search_index")


context.configure(
    include_object=include_object,
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,  # SQLite alters tables by copying them
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
