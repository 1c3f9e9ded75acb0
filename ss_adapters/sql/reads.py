"""How the repositories read: at most one hand-off per read, on either database.

A read is a plain function of a synchronous SQLAlchemy ``Connection`` that runs prepared Core
statements; the read path runs it inside one read transaction (one snapshot, however many
statements it runs).

On SQLite (the embedded default) a read runs inline, on the calling event loop's thread,
through a read-only stdlib connection held by that thread: a WAL reader never waits for the
writer and the reads the API serves take tens of microseconds, less than the thread hand-off
they would otherwise cost (which measured about a quarter of a status answer's CPU). The held
connection has no busy timeout, so a read that would have to wait for a lock (a checkpoint
or a recovery holding it, rare under WAL) never blocks the loop: it fails at once and is run
again on the waiting path, a small dedicated thread pool with the normal busy timeout, and
counted in ``handed_off``. On PostgreSQL a read runs through the async engine's ``run_sync``
on asyncpg, off the loop's thread as network I/O.

Writes keep using the async engine (``write_transaction``): they are rarer, and SQLite's
single-writer discipline (``BEGIN IMMEDIATE``) lives there.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Protocol, TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine

from ss_adapters.sql.engine import is_sqlite, read_transaction, sqlite_reader_engine
from ss_adapters.sql.failures import sync_connection, unavailability

T = TypeVar("T")
Read = Callable[[Connection], T]

READ_THREADS = 2
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


class ReadPath(Protocol):
    async def run(self, operation: str, read: Read[T]) -> T:
        """``read(conn)`` in one read transaction; database failures become
        ``STORAGE_UNAVAILABLE`` naming ``operation``."""
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

    async def run(self, operation: str, read: Read[T]) -> T:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(self._threads, thread_name_prefix="ss-sql-read")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._pool, self._call, operation, read)

    async def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            await asyncio.get_running_loop().run_in_executor(None, pool.shutdown)
        self._engine.dispose()


def waits_for_lock(exc: BaseException) -> bool:
    """The read failed because SQLite would have had to wait for a lock (busy/locked)."""
    code = getattr(getattr(exc, "orig", None), "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)


class InlineReadPath:
    """SQLite: reads on the calling thread through a connection it holds (see the module
    doc); a read that would wait for a lock goes to ``waiting`` instead."""

    def __init__(self, engine: Engine, waiting: ThreadReadPath) -> None:
        self._engine, self._waiting = engine, waiting
        self._local = threading.local()
        self._held: list[Connection] = []
        self._guard = threading.Lock()
        self.handed_off = 0

    def _connection(self) -> Connection:
        conn: Connection | None = getattr(self._local, "conn", None)
        if conn is not None and not conn.closed and not conn.invalidated:
            return conn
        conn = self._engine.connect()
        self._local.conn = conn
        with self._guard:
            self._held.append(conn)
        return conn

    async def run(self, operation: str, read: Read[T]) -> T:
        try:
            conn = self._connection()
            with conn.begin():
                return read(conn)
        except (DBAPIError, OSError) as exc:
            if waits_for_lock(exc):
                self.handed_off += 1
                return await self._waiting.run(operation, read)
            error = unavailability(self._engine, operation, exc)
            if error is None:
                raise
            raise error from None

    async def close(self) -> None:
        with self._guard:
            held, self._held = self._held, []
        for conn in held:
            conn.close()
        self._local = threading.local()
        self._engine.dispose()
        await self._waiting.close()


class AsyncReadPath:
    """PostgreSQL: the read runs through ``run_sync`` on a pooled asyncpg connection."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def run(self, operation: str, read: Read[T]) -> T:
        async with read_transaction(self._engine, operation) as conn:
            return await conn.run_sync(read)

    async def close(self) -> None:
        return None  # the engine belongs to the repositories, which dispose of it


def read_path_for(engine: AsyncEngine) -> ReadPath:
    """The inline read path on SQLite (waiting on threads), the async one on PostgreSQL."""
    if is_sqlite(engine):
        return InlineReadPath(sqlite_reader_engine(engine, busy_timeout_ms=0),
                              ThreadReadPath(sqlite_reader_engine(engine)))
    return AsyncReadPath(engine)
