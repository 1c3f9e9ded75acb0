"""Job tokens in SQL, stored as hashes only."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Row, bindparam, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ss_adapters.sql.engine import write_transaction
from ss_adapters.sql.reads import AsyncReadPath, ReadPath
from ss_adapters.sql.tables import job_tokens, jobs
from ss_core.domain.task_code import JobToken, hashes_equal
from ss_core.errors import NotFound, SSError

_BY_HASH = select(job_tokens).where(job_tokens.c.token_hash == bindparam("token_hash"))


def token_from_row(row: Row[Any]) -> JobToken:
    return JobToken(
        token_hash=row.token_hash, job_id=row.job_id, created_at=row.created_at,
        expires_at=row.expires_at, revoked_at=row.revoked_at,
    )


async def insert_token(conn: AsyncConnection, token: JobToken) -> None:
    """Insert ``token``; its job must exist (``JOB_NOT_FOUND``), its hash must be new."""
    if await conn.scalar(select(jobs.c.job_id).where(jobs.c.job_id == token.job_id)) is None:
        raise NotFound(
            f"no job {token.job_id} for the token", code="JOB_NOT_FOUND", job_id=token.job_id
        )
    taken = await conn.scalar(
        select(job_tokens.c.job_id).where(job_tokens.c.token_hash == token.token_hash)
    )
    if taken is not None:
        raise SSError(
            "a token with this hash is already stored", code="STORAGE_DUPLICATE",
            job_id=token.job_id, fix="generate a new token secret",
        )
    await conn.execute(insert(job_tokens).values(
        token_hash=token.token_hash, job_id=token.job_id, created_at=token.created_at,
        expires_at=token.expires_at, revoked_at=token.revoked_at,
    ))


class SqlTokenRepository:
    """``TokenRepository`` on SQLite or PostgreSQL."""

    def __init__(self, engine: AsyncEngine, reads: ReadPath | None = None) -> None:
        self._engine = engine
        self._reads = reads or AsyncReadPath(engine)

    async def add(self, token: JobToken) -> None:
        async with write_transaction(self._engine, "token add") as conn:
            await insert_token(conn, token)

    async def get_by_hash(self, token_hash: str) -> JobToken | None:
        row = await self._reads.run("token lookup", lambda conn: conn.execute(
            _BY_HASH, {"token_hash": token_hash}).first())
        if row is None or not hashes_equal(row.token_hash, token_hash):
            return None
        return token_from_row(row)

    async def revoke_for_job(self, job_id: str, at: datetime) -> int:
        """Revoke the job's live tokens; returns how many were revoked by this call."""
        async with write_transaction(self._engine, "token revoke") as conn:
            result = await conn.execute(
                update(job_tokens)
                .where(job_tokens.c.job_id == job_id, job_tokens.c.revoked_at.is_(None))
                .values(revoked_at=at)
            )
        return int(result.rowcount)
