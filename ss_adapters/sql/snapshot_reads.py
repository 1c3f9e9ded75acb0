"""PostgreSQL reads, and answers kept while the database's snapshot is unchanged.

A read given a ``key`` runs in a ``REPEATABLE READ`` transaction whose first statement reads
``pg_current_snapshot()``: which transactions the read sees (all completed below ``xmax``
except those in progress). Every statement of the read uses that one snapshot. A later read
of the same key first reads the current snapshot alone; when it is equal to the remembered
one, the transactions visible now are exactly those the remembered read saw, so running the
read again would return exactly the remembered answer, and it is given without running it.
Any write committed anywhere on the server since (in any database) changes the snapshot, so
the proof errs only towards reading again. ``pg_current_snapshot`` (PostgreSQL 13+) uses
64-bit transaction ids: equal snapshots cannot come from a wrap-around.

The current snapshot is read on one connection the path holds (``SnapshotProbe``), not
through the pool: one statement, no transaction. Reads that ask while a probe is in flight
share the next probe, which is sent after all of them asked, so each answer reflects every
commit that ended before its read began. When the probe cannot be read (the server
restarted, the held connection broke) the read runs in full, like an unkeyed read, and the
probe reconnects on the next read.

When a commit changes the snapshot, every concurrent read of a key misses at once. A read that
misses while a full read of its key is in flight waits for it and takes its answer when that
read saw the very snapshot its own probe found (the probe was sent after it asked, so the
answer reflects every commit that ended before it began); otherwise it reads in full itself.
One full read per key and commit, instead of one per waiting request (each holding a pooled
connection).

A read without a key runs as ``AsyncReadPath`` runs it: one ``READ COMMITTED`` transaction.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Hashable
from typing import Any, TypeVar

import asyncpg
import structlog
from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ss_adapters.sql.failures import connection
from ss_adapters.sql.reads import AsyncReadPath, Read
from ss_adapters.sql.remembered import READ_MEMORY_ENTRIES, RememberedAnswers

T = TypeVar("T")
SNAPSHOT = "SELECT pg_current_snapshot()::text"
_PROBE_FAILURES = (asyncpg.PostgresError, asyncpg.InterfaceError, DBAPIError, OSError,
                   TimeoutError)
log = structlog.get_logger("ss.sql")


class SnapshotProbe:
    """The server's current snapshot, read on one held connection; concurrent askers share
    the next query sent after they asked. ``None`` when it cannot be read."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._held: AsyncConnection | None = None
        self._driver: Any = None
        self._next: asyncio.Future[str | None] | None = None
        self._driving: asyncio.Task[None] | None = None
        self.queries = 0  # snapshots read (askers that shared one count once)
        self.failures = 0

    async def current(self) -> str | None:
        if self._next is None:
            self._next = asyncio.get_running_loop().create_future()
        waiting = self._next
        if self._driving is None or self._driving.done():
            self._driving = asyncio.create_task(self._drive())
        return await asyncio.shield(waiting)

    async def _drive(self) -> None:
        while self._next is not None:
            waiting, self._next = self._next, None  # later askers wait for the next query
            waiting.set_result(await self._query())

    async def _query(self) -> str | None:
        try:
            if self._driver is None:
                self._held = await self._engine.connect()
                self._driver = (await self._held.get_raw_connection()).driver_connection
            self.queries += 1
            return str(await self._driver.fetchval(SNAPSHOT))
        except _PROBE_FAILURES as exc:  # the read runs in full; the next one reconnects
            self.failures += 1
            log.info("snapshot_probe_failed", error=type(exc).__name__)
            await self._drop()
            return None

    async def _drop(self) -> None:
        held, self._held, self._driver = self._held, None, None
        if held is not None:
            with contextlib.suppress(*_PROBE_FAILURES):  # a broken one closes as it can
                await held.invalidate()
                await held.close()

    async def close(self) -> None:
        if self._driving is not None:
            await asyncio.gather(self._driving, return_exceptions=True)
        await self._drop()


class SnapshotReadPath:
    """PostgreSQL: reads through ``run_sync`` on a pooled asyncpg connection; keyed reads
    answered from memory while the snapshot they were read in is still the current one."""

    def __init__(self, engine: AsyncEngine, *, memory_entries: int = READ_MEMORY_ENTRIES) -> None:
        self._engine = engine
        self._unkeyed = AsyncReadPath(engine)
        self._answers = RememberedAnswers(memory_entries)
        self._reading: dict[Hashable, asyncio.Future[None]] = {}  # full reads in flight
        self.probe = SnapshotProbe(engine)
        self.remembered = 0  # answers given from memory (shared ones included)

    async def run(self, operation: str, read: Read[T], key: Hashable | None = None) -> T:
        if key is None:
            return await self._unkeyed.run(operation, read)
        current = await self.probe.current()
        if current is not None:
            in_flight = self._reading.get(key)
            if in_flight is not None:
                await asyncio.shield(in_flight)
            found, answer = self._answers.get(key, current)
            if found:
                self.remembered += 1
                return answer  # type: ignore[no-any-return]
        done = asyncio.get_running_loop().create_future()
        self._reading[key] = done
        try:
            async with connection(self._engine, operation) as conn:
                snapshot_read = await conn.execution_options(isolation_level="REPEATABLE READ")
                async with snapshot_read.begin():
                    seen, fresh = await snapshot_read.run_sync(_in_snapshot, read)
            self._answers.put(key, seen, fresh)
            return fresh
        finally:
            done.set_result(None)
            if self._reading.get(key) is done:
                del self._reading[key]

    async def close(self) -> None:
        await self.probe.close()  # the engine belongs to the repositories, which dispose of it


def _in_snapshot(conn: Connection, read: Read[T]) -> tuple[str, T]:
    """The transaction's snapshot (its first statement fixes it) and the read's answer."""
    return str(conn.exec_driver_sql(SNAPSHOT).scalar_one()), read(conn)
