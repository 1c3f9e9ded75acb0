"""Schema migrations, run from code: ``migrate`` brings a database to the newest revision,
``schema_status`` reports (current, head) for readiness checks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy.ext.asyncio import AsyncEngine

from ss_adapters.sql.engine import create_engine, read_transaction, write_transaction

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError(f"no migration revisions under {MIGRATIONS_DIR}")
    return head


def _upgrade(sync_connection: Any) -> None:
    config = alembic_config()
    config.attributes["connection"] = sync_connection
    command.upgrade(config, "head")


def _current(sync_connection: Any) -> str | None:
    return MigrationContext.configure(sync_connection).get_current_revision()


async def migrate_engine(engine: AsyncEngine) -> None:
    """Apply every pending migration in one transaction (idempotent)."""
    async with write_transaction(engine, "schema migration") as conn:
        await conn.run_sync(_upgrade)


async def engine_schema_status(engine: AsyncEngine) -> tuple[str | None, str]:
    async with read_transaction(engine, "schema status") as conn:
        current = await conn.run_sync(_current)
    return current, head_revision()


async def migrate(url: str) -> None:
    """Bring the database at ``url`` to the head revision."""
    engine = create_engine(url)
    try:
        await migrate_engine(engine)
    finally:
        await engine.dispose()


async def schema_status(url: str) -> tuple[str | None, str]:
    """(current revision or ``None`` for an empty database, head revision); the schema is
    ready when they are equal."""
    engine = create_engine(url)
    try:
        return await engine_schema_status(engine)
    finally:
        await engine.dispose()
