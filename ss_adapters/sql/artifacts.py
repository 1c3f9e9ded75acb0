"""The artifact index in SQL: one row per (job, rel_path), idempotent by content hash."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Row, bindparam, insert, select
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ss_adapters.sql.engine import write_transaction
from ss_adapters.sql.reads import AsyncReadPath, ReadPath
from ss_adapters.sql.tables import artifacts, jobs
from ss_core.domain.artifact import Artifact, ArtifactKind
from ss_core.errors import NotFound, SSError

_FOR_JOB = (select(artifacts).where(artifacts.c.job_id == bindparam("job_id"))
            .order_by(artifacts.c.rel_path))
_AT_PATH = select(artifacts).where(artifacts.c.job_id == bindparam("job_id"),
                                   artifacts.c.rel_path == bindparam("rel_path"))
# The index answer: the job's existence and its rows in one statement (a job without artifacts
# gives one row of NULLs), through the (job_id, rel_path) unique index.
_INDEX = (select(jobs.c.job_id.label("present"), artifacts)
          .select_from(jobs.outerjoin(artifacts, artifacts.c.job_id == jobs.c.job_id))
          .where(jobs.c.job_id == bindparam("job_id"))
          .order_by(artifacts.c.created_at, artifacts.c.rel_path))


def artifact_from_row(row: Row[Any]) -> Artifact:
    return Artifact(
        artifact_id=row.artifact_id, job_id=row.job_id, kind=ArtifactKind(row.kind),
        rel_path=row.rel_path, object_key=row.object_key, size_bytes=row.size_bytes,
        sha256=row.sha256, content_type=row.content_type, created_at=row.created_at,
        run_id=row.run_id, meta=row.meta or {},
    )


def artifact_conflict(stored: Artifact, offered: Artifact) -> SSError:
    return SSError(
        f"{offered.rel_path} of job {offered.job_id} is already indexed with other content",
        code="ARTIFACT_CONFLICT", job_id=offered.job_id, rel_path=offered.rel_path,
        stored_sha256=stored.sha256, offered_sha256=offered.sha256,
        stored_run_id=stored.run_id, offered_run_id=offered.run_id,
        fix="write each attempt's files under its own run id so paths never collide",
    )


async def _stored(conn: AsyncConnection, job_id: str, rel_path: str) -> Artifact | None:
    row = (await conn.execute(
        select(artifacts).where(artifacts.c.job_id == job_id, artifacts.c.rel_path == rel_path)
    )).first()
    return artifact_from_row(row) if row is not None else None


class SqlArtifactRepository:
    """``ArtifactRepository`` on SQLite or PostgreSQL."""

    def __init__(self, engine: AsyncEngine, reads: ReadPath | None = None) -> None:
        self._engine = engine
        self._reads = reads or AsyncReadPath(engine)

    async def add(self, artifact: Artifact) -> Artifact:
        """Index ``artifact``; the same path with the same sha256 returns the stored entry,
        with another sha256 raises ``ARTIFACT_CONFLICT``."""
        async with write_transaction(self._engine, "artifact add") as conn:
            stored = await _stored(conn, artifact.job_id, artifact.rel_path)
            if stored is not None:
                if stored.sha256 != artifact.sha256:
                    raise artifact_conflict(stored, artifact)
                return stored
            job = await conn.scalar(select(jobs.c.job_id).where(jobs.c.job_id == artifact.job_id))
            if job is None:
                raise NotFound(f"no job {artifact.job_id} for artifact {artifact.rel_path}",
                               code="JOB_NOT_FOUND", job_id=artifact.job_id)
            taken = await conn.scalar(
                select(artifacts.c.job_id)
                .where(artifacts.c.artifact_id == artifact.artifact_id)
            )
            if taken is not None:
                raise SSError(f"artifact id {artifact.artifact_id} is already used",
                              code="STORAGE_DUPLICATE", artifact_id=artifact.artifact_id,
                              fix="generate a new artifact id")
            await conn.execute(insert(artifacts).values(
                artifact_id=artifact.artifact_id, job_id=artifact.job_id,
                rel_path=artifact.rel_path, kind=artifact.kind.value,
                object_key=artifact.object_key, size_bytes=artifact.size_bytes,
                sha256=artifact.sha256, content_type=artifact.content_type,
                created_at=artifact.created_at, run_id=artifact.run_id, meta=artifact.meta,
            ))
        return artifact

    async def list_for_job(self, job_id: str) -> Sequence[Artifact]:
        rows = await self._reads.run("artifact list", lambda conn: conn.execute(
            _FOR_JOB, {"job_id": job_id}).all())
        return [artifact_from_row(r) for r in rows]

    async def index(self, job_id: str) -> Sequence[Artifact]:
        found = await self._reads.run("artifact index", lambda conn: _index(conn, job_id),
                                      key=("artifact index", job_id))
        if found is None:
            raise NotFound(f"no job {job_id}", code="JOB_NOT_FOUND", job_id=job_id)
        return list(found)

    async def get(self, job_id: str, rel_path: str) -> Artifact:
        row = await self._reads.run("artifact get", lambda conn: conn.execute(
            _AT_PATH, {"job_id": job_id, "rel_path": rel_path}).first())
        stored = artifact_from_row(row) if row is not None else None
        if stored is None:
            raise NotFound(f"no artifact {rel_path} for job {job_id}",
                           code="ARTIFACT_NOT_FOUND", job_id=job_id, rel_path=rel_path)
        return stored


def _index(conn: Connection, job_id: str) -> tuple[Artifact, ...] | None:
    """The job's artifacts, or ``None`` when there is no such job (one row with no
    artifact when it has none)."""
    rows = conn.execute(_INDEX, {"job_id": job_id}).all()
    if not rows:
        return None
    return tuple(artifact_from_row(r) for r in rows if r.artifact_id is not None)
