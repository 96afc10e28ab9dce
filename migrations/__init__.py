"""Alembic migrations of the vault schema (run by app.core.schema, never by hand on a vault)."""
