"""The SQLAlchemy async engine for SS: URL normalisation, SQLite pragmas, transactions.

One code path serves both databases. SQLite (the embedded default) runs in WAL mode with a
busy timeout and foreign keys on; its write transactions start with ``BEGIN IMMEDIATE`` so a
transaction that reads and then writes holds the single writer lock from its first statement
(no lock upgrade, no two writers deciding on the same snapshot). PostgreSQL (scale-out) uses
ordinary READ COMMITTED transactions plus row locks where a method needs them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy import create_engine as create_sync_engine
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine, create_async_engine

from ss_adapters.sql.failures import connection
from ss_core.errors import ConfigError

SQLITE_BUSY_TIMEOUT_MS = 10_000
_BEGIN_MODE = "ss_sqlite_begin"


def normalise_url(url: str) -> URL:
    """``sqlite:///p`` -> ``sqlite+aiosqlite:///p``; ``postgres(ql)://`` -> ``+asyncpg``."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise ConfigError(
            "SS_DATABASE_URL is not a database URL",
            setting="SS_DATABASE_URL", reason=str(exc),
            fix="use sqlite:///path/to/ss.db or postgresql://user:pass@host:5432/db",
        ) from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        if parsed.database in (None, "", ":memory:"):
            raise ConfigError(
                "an in-memory SQLite database cannot be shared by API and worker processes",
                setting="SS_DATABASE_URL", url=redact(parsed),
                fix="point SS_DATABASE_URL at a file: sqlite:///<data dir>/ss.db",
            )
        return parsed.set(drivername="sqlite+aiosqlite")
    if backend in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+asyncpg")
    raise ConfigError(
        f"unsupported database {backend!r}",
        setting="SS_DATABASE_URL", url=redact(parsed), supported=["sqlite", "postgresql"],
        fix="use sqlite:///path/to/ss.db or postgresql://user:pass@host:5432/db",
    )


def redact(url: URL | str) -> str:
    """The URL with its password hidden, safe for messages and logs."""
    parsed = make_url(url) if isinstance(url, str) else url
    return parsed.render_as_string(hide_password=True)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


def create_engine(url: str, *, connect_timeout_seconds: float = 10.0,
                  pool_size: int = 5) -> AsyncEngine:
    """An async engine for ``url`` (normalised), configured for SS's concurrency model."""
    parsed = normalise_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_async_engine(
            parsed, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
        install_sqlite_hooks(engine.sync_engine)
        return engine
    return create_async_engine(
        parsed,
        pool_size=pool_size,
        max_overflow=pool_size,
        pool_pre_ping=True,
        pool_timeout=connect_timeout_seconds,
        connect_args={"timeout": connect_timeout_seconds},
    )


def sqlite_reader_engine(engine: AsyncEngine, *,
                         busy_timeout_ms: int = SQLITE_BUSY_TIMEOUT_MS) -> Engine:
    """A synchronous engine (the stdlib ``sqlite3`` driver) on the same SQLite file as
    ``engine``, with the same pragmas and transaction hooks, read-only, for the read paths.
    ``busy_timeout_ms=0`` makes a read that would wait for a lock fail at once instead."""
    url = engine.url.set(drivername="sqlite+pysqlite")
    reader = create_sync_engine(url, connect_args={"timeout": busy_timeout_ms / 1000,
                                                   "check_same_thread": False})
    install_sqlite_hooks(reader)

    @event.listens_for(reader, "connect")
    def _read_only(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.execute("PRAGMA query_only=ON")
        dbapi_connection.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")

    return reader


def install_sqlite_hooks(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event (below) issue BEGIN instead of the driver.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        mode = conn.get_execution_options().get(_BEGIN_MODE, "DEFERRED")
        conn.exec_driver_sql(f"BEGIN {mode}")


@asynccontextmanager
async def write_transaction(engine: AsyncEngine, operation: str) -> AsyncIterator[AsyncConnection]:
    """A transaction that will write: ``BEGIN IMMEDIATE`` on SQLite, committed on success."""
    async with connection(engine, operation) as conn:
        if is_sqlite(engine):
            conn = await conn.execution_options(**{_BEGIN_MODE: "IMMEDIATE"})
        async with conn.begin():
            yield conn


@asynccontextmanager
async def read_transaction(engine: AsyncEngine, operation: str) -> AsyncIterator[AsyncConnection]:
    """A read-only transaction (deferred on SQLite: readers never wait for the writer)."""
    async with connection(engine, operation) as conn, conn.begin():
        yield conn
