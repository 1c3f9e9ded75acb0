"""Jobs in SQL: the aggregate as a msgspec JSON document plus indexed columns, saved with
optimistic versioning. Reads go through the read path (one hand-off per read) with statements
prepared once at import."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import msgspec
from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ss_adapters.sql.engine import write_transaction
from ss_adapters.sql.reads import AsyncReadPath, ReadPath
from ss_adapters.sql.run_queue import run_from_row
from ss_adapters.sql.tables import artifacts, jobs, runs
from ss_core.domain.job import Job
from ss_core.domain.overview import JobOverview
from ss_core.errors import NotFound, SSError, StateConflict

_decoder = msgspec.json.Decoder(Job)
_DOCUMENT = select(jobs.c.document).where(jobs.c.job_id == bindparam("job_id"))
_COUNTS = (select(artifacts.c.kind, func.count()).where(artifacts.c.job_id == bindparam("job_id"))
           .group_by(artifacts.c.kind))
_RUN = select(runs).where(runs.c.run_id == bindparam("run_id"))


def job_row(job: Job) -> dict[str, Any]:
    return {
        "job_id": job.job_id,
        "status": job.status.value,
        "version": job.version,
        "tenant": job.tenant,
        "task_code_id": job.task_code_id,
        "created_at": job.created_at,
        "updated_at": job.updated_at,
        "document": msgspec.json.encode(job).decode("utf-8"),
    }


def job_from_document(document: str) -> Job:
    return _decoder.decode(document)


async def insert_job(conn: AsyncConnection, job: Job) -> None:
    """Insert ``job``; ``STORAGE_DUPLICATE`` when its id is taken (checked in the same
    transaction so the transaction stays usable on PostgreSQL)."""
    taken = await conn.scalar(select(jobs.c.job_id).where(jobs.c.job_id == job.job_id))
    if taken is not None:
        raise SSError(
            f"job {job.job_id} is already stored", code="STORAGE_DUPLICATE", job_id=job.job_id,
            fix="generate a new job id",
        )
    await conn.execute(insert(jobs).values(**job_row(job)))


def _not_found(job_id: str) -> NotFound:
    return NotFound(f"no job {job_id}", code="JOB_NOT_FOUND", job_id=job_id)


def _read_job(conn: Connection, job_id: str) -> Job | None:
    document = conn.scalar(_DOCUMENT, {"job_id": job_id})
    return None if document is None else job_from_document(document)


def read_overview(conn: Connection, job_id: str) -> JobOverview | None:
    """The status read: the job by key, its artifact counts through the (job_id, rel_path)
    index and its latest run by key, in the caller's read transaction."""
    document = conn.scalar(_DOCUMENT, {"job_id": job_id})
    if document is None:
        return None
    job = job_from_document(document)
    counts = {kind: int(n) for kind, n in conn.execute(_COUNTS, {"job_id": job_id})}
    row = (conn.execute(_RUN, {"run_id": job.latest_run_id}).first()
           if job.latest_run_id is not None else None)
    return JobOverview(job=job, latest_run=run_from_row(row) if row is not None else None,
                       artifact_counts=counts)


class SqlJobRepository:
    """``JobRepository`` on SQLite or PostgreSQL."""

    def __init__(self, engine: AsyncEngine, reads: ReadPath | None = None) -> None:
        self._engine = engine
        self._reads = reads or AsyncReadPath(engine)

    async def add(self, job: Job) -> None:
        async with write_transaction(self._engine, "job add") as conn:
            await insert_job(conn, job)

    async def get(self, job_id: str) -> Job:
        job = await self._reads.run("job get", lambda conn: _read_job(conn, job_id),
                                    key=("job get", job_id))
        if job is None:
            raise _not_found(job_id)
        return job

    async def overview(self, job_id: str) -> JobOverview:
        found = await self._reads.run("job overview", lambda conn: read_overview(conn, job_id),
                                      key=("job overview", job_id))
        if found is None:
            raise _not_found(job_id)
        return found

    async def save(self, job: Job, *, expected_version: int) -> Job:
        stored = msgspec.structs.replace(job, version=expected_version + 1)
        row = job_row(stored)
        del row["job_id"], row["created_at"]
        async with write_transaction(self._engine, "job save") as conn:
            result = await conn.execute(
                update(jobs)
                .where(jobs.c.job_id == job.job_id, jobs.c.version == expected_version)
                .values(**row)
            )
            if result.rowcount == 1:
                return stored
            current = await conn.scalar(select(jobs.c.version).where(jobs.c.job_id == job.job_id))
        if current is None:
            raise _not_found(job.job_id)
        raise StateConflict(
            f"job {job.job_id} changed concurrently (stored version {current}, "
            f"expected {expected_version})",
            code="JOB_VERSION_CONFLICT", job_id=job.job_id,
            expected_version=expected_version, stored_version=current,
            fix="reload the job and apply the change again",
        )

    async def list(
        self, *, status: str | None = None, limit: int = 100, offset: int = 0
    ) -> Sequence[Job]:
        query = select(jobs.c.document)
        if status is not None:
            query = query.where(jobs.c.status == status)
        query = query.order_by(jobs.c.created_at.desc(), jobs.c.job_id.desc())
        page = query.limit(limit).offset(offset)
        documents = await self._reads.run("job list", lambda conn: conn.scalars(page).all())
        return [job_from_document(d) for d in documents]
