"""Schema migrations, run from code: ``migrate`` brings a database to the newest revision,
``schema_status`` reports (current, head) for readiness checks.

The stored revision is read with plain SQL from Alembic's version table and compared with
``HEAD_REVISION``; Alembic itself (``ss_adapters.sql.alembic_upgrade``, about 10 MiB of
imports) is loaded only when the database is behind and an upgrade really runs. A test pins
``HEAD_REVISION`` to the head of the migration scripts, so a new revision cannot be forgotten.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import inspect, text
from sqlalchemy.ext.asyncio import AsyncEngine

from ss_adapters.sql.engine import create_engine, read_transaction, write_transaction
from ss_core.errors import ConfigError

HEAD_REVISION = "0002"
VERSION_TABLE = "alembic_version"  # Alembic's default, which ``migrations/env.py`` keeps


def head_revision() -> str:
    return HEAD_REVISION


def stored_revision(sync_connection: Any) -> str | None:
    """The revision recorded in the database, ``None`` for a database never migrated."""
    if not inspect(sync_connection).has_table(VERSION_TABLE):
        return None
    rows = sync_connection.execute(text("SELECT version_num FROM alembic_version")).all()
    if len(rows) > 1:  # the scripts are one linear history: one row, one revision
        raise RuntimeError(f"{VERSION_TABLE} holds {len(rows)} revisions, expected one")
    return rows[0][0] if rows else None


def _upgrade_if_behind(sync_connection: Any) -> None:
    if stored_revision(sync_connection) == HEAD_REVISION:
        return
    from ss_adapters.sql.alembic_upgrade import upgrade_to_head

    upgrade_to_head(sync_connection)


async def migrate_engine(engine: AsyncEngine) -> None:
    """Apply every pending migration in one transaction (idempotent)."""
    async with write_transaction(engine, "schema migration") as conn:
        await conn.run_sync(_upgrade_if_behind)


async def engine_schema_status(engine: AsyncEngine) -> tuple[str | None, str]:
    async with read_transaction(engine, "schema status") as conn:
        current = await conn.run_sync(stored_revision)
    return current, HEAD_REVISION


OLDEST_POSTGRES = (13,)  # pg_current_snapshot(): the read path's proof (snapshot_reads)


def unsupported_server(version: tuple[int, ...]) -> ConfigError | None:
    """Why a PostgreSQL server of ``version`` (major, minor) cannot serve SS, or ``None``."""
    if version >= OLDEST_POSTGRES:
        return None
    shown = ".".join(str(part) for part in version)
    return ConfigError(
        f"PostgreSQL {shown} is too old: SS needs 13 or newer (its reads use "
        "pg_current_snapshot)", server_version=shown,
        fix="upgrade the PostgreSQL server to 13 or newer")


def require_supported_server(engine: AsyncEngine) -> None:
    """``CONFIG_INVALID`` when the database server is too old for SS (SQLite: any). The
    version is the one the engine's dialect read when it first connected (no query)."""
    version = engine.dialect.server_version_info
    if engine.dialect.name != "postgresql" or version is None:
        return
    problem = unsupported_server(tuple(part for part in version if isinstance(part, int)))
    if problem is not None:
        raise problem


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
