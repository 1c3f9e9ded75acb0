"""Worker heartbeats in SQL: every running worker upserts its row every few seconds.

Readiness uses them: a worker process's own check fails when its heartbeat is stale, and an
API-only host warns when no worker anywhere has beaten recently (runs would queue forever).
Rows of workers that stopped long ago are pruned as heartbeats are written.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncEngine

from ss_adapters.sql.engine import read_transaction, write_transaction
from ss_adapters.sql.tables import worker_heartbeats

FORGET_AFTER = timedelta(days=7)


class SqlWorkerHeartbeats:
    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def beat(self, worker_id: str, role: str, started_at: datetime, now: datetime) -> None:
        async with write_transaction(self._engine, "worker heartbeat") as conn:
            updated = await conn.execute(
                update(worker_heartbeats).where(worker_heartbeats.c.worker_id == worker_id)
                .values(last_seen_at=now, role=role, started_at=started_at))
            if updated.rowcount == 0:
                await conn.execute(insert(worker_heartbeats).values(
                    worker_id=worker_id, role=role, started_at=started_at, last_seen_at=now))
            await conn.execute(delete(worker_heartbeats).where(
                worker_heartbeats.c.last_seen_at < now - FORGET_AFTER))

    async def alive_since(self, since: datetime) -> tuple[int, datetime | None]:
        """(workers seen at or after ``since``, the latest heartbeat of any worker)."""
        query = select(
            func.count().filter(worker_heartbeats.c.last_seen_at >= since),
            func.max(worker_heartbeats.c.last_seen_at))
        async with read_transaction(self._engine, "worker heartbeats") as conn:
            alive, latest = (await conn.execute(query)).one()
        return int(alive or 0), latest
