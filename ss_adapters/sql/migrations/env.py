"""Alembic environment: migrations always run on a connection handed in by
``ss_adapters.sql.alembic_upgrade`` (never from an ini file or the environment)."""

from __future__ import annotations

from alembic import context

from ss_adapters.sql.tables import metadata

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
