"""Task codes in SQL, stored as hashes; redeeming one creates its job exactly once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ss_adapters.sql.engine import is_sqlite, read_transaction, write_transaction
from ss_adapters.sql.jobs import insert_job
from ss_adapters.sql.reads import AsyncReadPath, ReadPath
from ss_adapters.sql.tables import task_codes
from ss_adapters.sql.tokens import insert_token
from ss_core.domain.job import Job
from ss_core.domain.task_code import JobToken, TaskCode, hashes_equal
from ss_core.errors import SSError, TaskCodeError

_BY_HASH = select(task_codes).where(task_codes.c.code_hash == bindparam("code_hash"))


def code_row(code: TaskCode) -> dict[str, Any]:
    return {
        "task_code_id": code.task_code_id, "code_hash": code.code_hash, "tenant": code.tenant,
        "label": code.label, "created_at": code.created_at, "expires_at": code.expires_at,
        "revoked_at": code.revoked_at, "redeemed_at": code.redeemed_at, "job_id": code.job_id,
    }


def code_from_row(row: Row[Any]) -> TaskCode:
    return TaskCode(
        task_code_id=row.task_code_id, code_hash=row.code_hash, tenant=row.tenant,
        label=row.label, created_at=row.created_at, expires_at=row.expires_at,
        revoked_at=row.revoked_at, redeemed_at=row.redeemed_at, job_id=row.job_id,
    )


def _unknown(task_code_id: str) -> TaskCodeError:
    return TaskCodeError(
        f"no task code {task_code_id}", code="TASK_CODE_INVALID", task_code_id=task_code_id,
        fix="ask an administrator for a valid task code",
    )


class SqlTaskCodeRepository:
    """``TaskCodeRepository`` on SQLite or PostgreSQL. Only hashes of codes are stored; expiry
    and revocation are judged by the caller (the domain), not here."""

    def __init__(self, engine: AsyncEngine, reads: ReadPath | None = None) -> None:
        self._engine = engine
        self._reads = reads or AsyncReadPath(engine)

    async def add_many(self, codes: Sequence[TaskCode]) -> None:
        if not codes:
            return
        ids = [c.task_code_id for c in codes]
        hashes = [c.code_hash for c in codes]
        async with write_transaction(self._engine, "task code add") as conn:
            clash = (await conn.execute(
                select(task_codes.c.task_code_id).where(
                    task_codes.c.task_code_id.in_(ids) | task_codes.c.code_hash.in_(hashes)
                )
            )).scalars().all()
            if clash or len(set(ids)) != len(ids) or len(set(hashes)) != len(hashes):
                raise SSError(
                    "task codes with these ids or hashes are already stored",
                    code="STORAGE_DUPLICATE", task_code_ids=sorted(clash) or ids,
                    fix="issue fresh task codes",
                )
            await conn.execute(insert(task_codes), [code_row(c) for c in codes])

    async def get_by_hash(self, code_hash: str) -> TaskCode | None:
        row = await self._reads.run("task code lookup", lambda conn: conn.execute(
            _BY_HASH, {"code_hash": code_hash}).first())
        if row is None or not hashes_equal(row.code_hash, code_hash):
            return None
        return code_from_row(row)

    async def redeem(
        self, code: TaskCode, job: Job, token: JobToken, at: datetime
    ) -> tuple[TaskCode, bool]:
        """Bind ``code`` to ``job`` once. The code row is locked (``FOR UPDATE`` on
        PostgreSQL, the writer lock on SQLite) so concurrent redeems see the first binding."""
        async with write_transaction(self._engine, "task code redeem") as conn:
            stored = await self._locked(conn, code.task_code_id)
            if stored.job_id is not None:
                return stored, False
            await insert_job(conn, job)
            await insert_token(conn, token)
            await conn.execute(
                update(task_codes)
                .where(task_codes.c.task_code_id == code.task_code_id)
                .values(job_id=job.job_id, redeemed_at=at)
            )
            return await self._locked(conn, code.task_code_id), True

    async def _locked(self, conn: AsyncConnection, task_code_id: str) -> TaskCode:
        query = select(task_codes).where(task_codes.c.task_code_id == task_code_id)
        if not is_sqlite(self._engine):
            query = query.with_for_update()
        row = (await conn.execute(query)).first()
        if row is None:
            raise _unknown(task_code_id)
        return code_from_row(row)

    async def revoke(self, task_code_id: str, at: datetime) -> TaskCode:
        async with write_transaction(self._engine, "task code revoke") as conn:
            await conn.execute(
                update(task_codes)
                .where(task_codes.c.task_code_id == task_code_id,
                       task_codes.c.revoked_at.is_(None))
                .values(revoked_at=at)
            )
            return await self._locked(conn, task_code_id)

    async def list(self, *, limit: int = 100, offset: int = 0) -> Sequence[TaskCode]:
        query = (
            select(task_codes)
            .order_by(task_codes.c.created_at.desc(), task_codes.c.task_code_id.desc())
            .limit(limit).offset(offset)
        )
        async with read_transaction(self._engine, "task code list") as conn:
            rows = (await conn.execute(query)).all()
        return [code_from_row(r) for r in rows]
