"""Every SQL repository built on one engine: what the composition root wires into the core."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from ss_adapters.sql.artifacts import SqlArtifactRepository
from ss_adapters.sql.audit import SqlAuditLog
from ss_adapters.sql.engine import create_engine, is_sqlite, sqlite_reader_engine
from ss_adapters.sql.inline_reads import InlineReadPath
from ss_adapters.sql.jobs import SqlJobRepository
from ss_adapters.sql.migration_child import upgrade_in_child
from ss_adapters.sql.reads import ReadPath, ThreadReadPath
from ss_adapters.sql.run_queue import SqlRunQueue
from ss_adapters.sql.schema import (
    HEAD_REVISION,
    engine_schema_status,
    require_supported_server,
)
from ss_adapters.sql.settings import DatabaseSettings
from ss_adapters.sql.snapshot_reads import SnapshotReadPath
from ss_adapters.sql.task_codes import SqlTaskCodeRepository
from ss_adapters.sql.token_cache import CachedTokenRepository
from ss_adapters.sql.tokens import SqlTokenRepository
from ss_adapters.sql.workers import SqlWorkerHeartbeats


def read_path_for(engine: AsyncEngine) -> ReadPath:
    """Inline reads on SQLite (waiting ones on threads), async ``run_sync`` on PostgreSQL;
    keyed reads remembered on both while nothing was committed."""
    if is_sqlite(engine):
        return InlineReadPath(sqlite_reader_engine(engine, busy_timeout_ms=0),
                              ThreadReadPath(sqlite_reader_engine(engine)))
    return SnapshotReadPath(engine)


@dataclass(frozen=True, kw_only=True)
class SqlRepositories:
    """The SQL implementations of every persistence port, sharing one engine (pool)."""

    engine: AsyncEngine
    jobs: SqlJobRepository
    task_codes: SqlTaskCodeRepository
    tokens: CachedTokenRepository
    runs: SqlRunQueue
    artifacts: SqlArtifactRepository
    audit: SqlAuditLog
    workers: SqlWorkerHeartbeats
    reads: ReadPath

    @classmethod
    def on(cls, engine: AsyncEngine) -> SqlRepositories:
        reads = read_path_for(engine)
        return cls(
            engine=engine,
            jobs=SqlJobRepository(engine, reads),
            task_codes=SqlTaskCodeRepository(engine, reads),
            tokens=CachedTokenRepository(SqlTokenRepository(engine, reads)),
            runs=SqlRunQueue(engine, reads),
            artifacts=SqlArtifactRepository(engine, reads),
            audit=SqlAuditLog(engine),
            workers=SqlWorkerHeartbeats(engine),
            reads=reads,
        )

    @classmethod
    def from_settings(cls, settings: DatabaseSettings) -> SqlRepositories:
        """Repositories on a new engine for ``settings`` (no I/O until first use)."""
        return cls.on(create_engine(
            settings.url, connect_timeout_seconds=settings.connect_timeout_seconds,
            pool_size=settings.pool_size,
        ))

    async def migrate(self) -> None:
        """Bring the schema to the head revision: nothing to do (and no Alembic) when it is
        there already, otherwise the upgrade runs in a child process."""
        current, _ = await self.schema_status()
        if current != HEAD_REVISION:
            await upgrade_in_child(self.engine)

    async def schema_status(self) -> tuple[str | None, str]:
        """(current, head) revisions; ``CONFIG_INVALID`` when the server is too old."""
        status = await engine_schema_status(self.engine)  # connects: the version is known
        require_supported_server(self.engine)
        return status

    async def close(self) -> None:
        await self.reads.close()
        await self.engine.dispose()
