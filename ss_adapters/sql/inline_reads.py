"""SQLite reads on the event loop's own thread, and answers kept while nothing was committed.

The API's reads on the embedded default take tens of microseconds, less than the thread
hand-off they would otherwise cost (which measured about a quarter of a status answer's
CPU), so ``InlineReadPath`` runs them on the calling thread, through a read-only stdlib
connection that thread holds. Under WAL a reader never waits for the writer. The held
connection has no busy timeout, so a read that would have to wait for a lock (a checkpoint or
a recovery holding it; rare under WAL) never blocks the loop: it fails at once and is run
again on the waiting path (``ThreadReadPath``, normal busy timeout), counted in
``handed_off``.

A read given a ``key`` is remembered with the connection's ``PRAGMA data_version``, read
before the read's transaction began. SQLite changes that number whenever another connection
commits a change to the file (this connection only reads, so every write is another's), so
an equal number later proves that nothing at all was committed since the remembered read
began: the remembered answer is then exactly what the read would return. Polling a job's
status therefore costs one pragma until something changes. Each thread keeps its own
connection and memory (``READ_MEMORY_ENTRIES`` answers, least recently used dropped).
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Hashable
from typing import TypeVar

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError

from ss_adapters.sql.failures import unavailability
from ss_adapters.sql.reads import Read, ThreadReadPath
from ss_adapters.sql.remembered import READ_MEMORY_ENTRIES, RememberedAnswers

T = TypeVar("T")
_SQLITE_BUSY, _SQLITE_LOCKED = 5, 6


def waits_for_lock(exc: BaseException) -> bool:
    """The read failed because SQLite would have had to wait for a lock (busy/locked)."""
    code = getattr(getattr(exc, "orig", None), "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)


class _Held:
    """One thread's connection and the answers it read, by key."""

    def __init__(self, conn: Connection, entries: int) -> None:
        self.conn = conn
        self.answers = RememberedAnswers(entries)

    def usable(self) -> bool:
        return not self.conn.closed and not self.conn.invalidated

    def data_version(self) -> int | None:
        """The connection's data version now; ``None`` when it cannot be read."""
        try:
            driver = self.conn.connection.driver_connection
            assert driver is not None
            row = driver.execute("PRAGMA data_version").fetchone()
        except sqlite3.Error:
            return None
        return int(row[0]) if row is not None else None


class InlineReadPath:
    """SQLite: reads on the calling thread through a connection it holds (see the module
    doc); a read that would wait for a lock goes to ``waiting`` instead."""

    def __init__(self, engine: Engine, waiting: ThreadReadPath, *,
                 memory_entries: int = READ_MEMORY_ENTRIES) -> None:
        self._engine, self._waiting = engine, waiting
        self._entries = memory_entries
        self._local = threading.local()
        self._all: list[_Held] = []
        self._guard = threading.Lock()
        self.handed_off = 0
        self.remembered = 0  # answers given from memory

    def _held(self) -> _Held:
        held: _Held | None = getattr(self._local, "held", None)
        if held is not None and held.usable():
            return held
        held = _Held(self._engine.connect(), self._entries)
        self._local.held = held
        with self._guard:
            self._all.append(held)
        return held

    async def run(self, operation: str, read: Read[T], key: Hashable | None = None) -> T:
        try:
            held = self._held()
            version = held.data_version() if key is not None else None
            if key is not None and version is not None:
                found, value = held.answers.get(key, version)
                if found:
                    self.remembered += 1
                    return value  # type: ignore[no-any-return]
            with held.conn.begin():
                answer = read(held.conn)
            if key is not None and version is not None:
                held.answers.put(key, version, answer)
            return answer
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
            held, self._all = self._all, []
        for one in held:
            one.conn.close()
        self._local = threading.local()
        self._engine.dispose()
        await self._waiting.close()
