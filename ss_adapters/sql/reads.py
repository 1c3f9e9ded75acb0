"""How the repositories read: at most one hand-off per read, on either database.

A read is a plain function of a synchronous SQLAlchemy ``Connection`` that runs prepared Core
statements; the read path runs it inside one read transaction (one snapshot, however many
statements it runs). On SQLite it runs inline on the event loop's thread
(``ss_adapters.sql.inline_reads``), or, when it would have to wait for a lock, on a small
dedicated thread pool (``ThreadReadPath``) with the stdlib driver. On PostgreSQL it runs
through the async engine's ``run_sync`` on asyncpg, which needs no thread
(``ss_adapters.sql.snapshot_reads``; ``AsyncReadPath`` is the same without remembered answers).

Writes keep using the async engine (``write_transaction``): they are rarer, and SQLite's
single-writer discipline (``BEGIN IMMEDIATE``) lives there.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Hashable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.ext.asyncio import AsyncEngine

from ss_adapters.sql.engine import read_transaction
from ss_adapters.sql.failures import sync_connection

T = TypeVar("T")
Read = Callable[[Connection], T]

READ_THREADS = 2


class ReadPath(Protocol):
    async def run(self, operation: str, read: Read[T], key: Hashable | None = None) -> T:
        """``read(conn)`` in one read transaction; database failures become
        ``STORAGE_UNAVAILABLE`` naming ``operation``. ``key``, when given, names everything
        the read depends on besides the database (e.g. ``("job overview", job_id)``): a
        path may then answer with the value it read before as long as it can prove that
        nothing was committed since (the value is shared: callers must not mutate it)."""
        ...

    async def close(self) -> None: ...


class ThreadReadPath:
    """SQLite: reads on ``threads`` dedicated threads, each with its own stdlib connection
    (WAL: readers never wait for the writer and see the last committed state)."""

    def __init__(self, engine: Engine, threads: int = READ_THREADS) -> None:
        self._engine, self._threads = engine, threads
        self._pool: ThreadPoolExecutor | None = None

    def _call(self, operation: str, read: Read[T]) -> T:
        with sync_connection(self._engine, operation) as conn, conn.begin():
            return read(conn)

    async def run(self, operation: str, read: Read[T], key: Hashable | None = None) -> T:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="ss-sql-read")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._call, operation, read)

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.get_running_loop().run_in_executor(None, pool.shutdown)
        self._engine.dispose()


class AsyncReadPath:
    """PostgreSQL: the read runs through ``run_sync`` on a pooled asyncpg connection."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def run(self, operation: str, read: Read[T], key: Hashable | None = None) -> T:
        async with read_transaction(self._engine, operation) as conn:
            return await conn.run_sync(read)

    async def close(self) -> None:
        return None  # the engine belongs to the repositories, which dispose of it
