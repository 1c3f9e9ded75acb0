"""The audit log in SQL: append-only events, read back in the order they were recorded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncEngine

from ss_adapters.sql.engine import read_transaction, write_transaction
from ss_adapters.sql.tables import audit_events


class SqlAuditLog:
    """``AuditLog`` on SQLite or PostgreSQL. Events are never updated or deleted; each read
    back as ``{"id", "job_id", "event", "at", "data"}``."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine

    async def record(
        self, *, job_id: str | None, event: str, at: datetime, data: dict[str, Any]
    ) -> None:
        async with write_transaction(self._engine, "audit record") as conn:
            await conn.execute(
                insert(audit_events).values(job_id=job_id, event=event, at=at, data=data)
            )

    async def list_for_job(self, job_id: str) -> Sequence[dict[str, Any]]:
        query = (select(audit_events).where(audit_events.c.job_id == job_id)
                 .order_by(audit_events.c.id))
        async with read_transaction(self._engine, "audit list") as conn:
            rows = (await conn.execute(query)).all()
        return [
            {"id": r.id, "job_id": r.job_id, "event": r.event, "at": r.at, "data": r.data}
            for r in rows
        ]
