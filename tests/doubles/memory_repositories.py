"""In-memory implementations of the persistence ports, for fast core and embedding tests.

They pass the same contract tests as the SQL adapters (tests/adapters/test_sql_*.py). One
``MemoryDatabase`` holds the state every repository shares (like one SQL database), so job
existence checks and redeem's multi-table atomicity behave as in SQL. Methods never await in
the middle of a change, so each one is atomic on the event loop.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import msgspec

from ss_core.domain.artifact import Artifact
from ss_core.domain.job import Job
from ss_core.domain.overview import JobOverview
from ss_core.domain.run import Run
from ss_core.domain.task_code import JobToken, TaskCode
from ss_core.errors import NotFound, SSError, StateConflict, TaskCodeError
from tests.doubles.memory_run_queue import MemoryRunQueue

replace = msgspec.structs.replace


def _copy(job: Job) -> Job:
    """What a database gives back: a decoded copy, never the caller's object."""
    return msgspec.json.decode(msgspec.json.encode(job), type=Job)


@dataclass
class MemoryDatabase:
    jobs: dict[str, Job] = field(default_factory=dict)
    task_codes: dict[str, TaskCode] = field(default_factory=dict)
    tokens: dict[str, JobToken] = field(default_factory=dict)
    runs: dict[str, Run] = field(default_factory=dict)
    artifacts: dict[tuple[str, str], Artifact] = field(default_factory=dict)
    audit: list[dict[str, Any]] = field(default_factory=list)

    def require_job(self, job_id: str) -> None:
        if job_id not in self.jobs:
            raise NotFound(f"no job {job_id}", code="JOB_NOT_FOUND", job_id=job_id)


def _duplicate(what: str) -> SSError:
    return SSError(f"{what} is already stored", code="STORAGE_DUPLICATE")


class MemoryJobRepository:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def add(self, job: Job) -> None:
        if job.job_id in self._db.jobs:
            raise _duplicate(f"job {job.job_id}")
        self._db.jobs[job.job_id] = _copy(job)

    async def get(self, job_id: str) -> Job:
        self._db.require_job(job_id)
        return self._db.jobs[job_id]

    async def overview(self, job_id: str) -> JobOverview:
        job = await self.get(job_id)
        counts: dict[str, int] = {}
        for artifact in self._db.artifacts.values():
            if artifact.job_id == job_id:
                counts[artifact.kind.value] = counts.get(artifact.kind.value, 0) + 1
        run = self._db.runs.get(job.latest_run_id) if job.latest_run_id else None
        return JobOverview(job=job, latest_run=run, artifact_counts=counts)

    async def save(self, job: Job, *, expected_version: int) -> Job:
        self._db.require_job(job.job_id)
        current = self._db.jobs[job.job_id].version
        if current != expected_version:
            raise StateConflict("job changed concurrently", code="JOB_VERSION_CONFLICT",
                                job_id=job.job_id, expected_version=expected_version,
                                stored_version=current)
        stored = _copy(replace(job, version=expected_version + 1))
        self._db.jobs[job.job_id] = stored
        return stored

    async def list(
        self, *, status: str | None = None, limit: int = 100, offset: int = 0
    ) -> Sequence[Job]:
        found = [j for j in self._db.jobs.values() if status is None or j.status == status]
        found.sort(key=lambda j: (j.created_at, j.job_id), reverse=True)
        return found[offset:offset + limit]


class MemoryTaskCodeRepository:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def add_many(self, codes: Sequence[TaskCode]) -> None:
        hashes = {c.code_hash for c in self._db.task_codes.values()}
        ids = [c.task_code_id for c in codes]
        new_hashes = [c.code_hash for c in codes]
        if (set(ids) & self._db.task_codes.keys() or set(new_hashes) & hashes
                or len(set(ids)) != len(ids) or len(set(new_hashes)) != len(new_hashes)):
            raise _duplicate("a task code")
        for code in codes:
            self._db.task_codes[code.task_code_id] = code

    async def get_by_hash(self, code_hash: str) -> TaskCode | None:
        return next((c for c in self._db.task_codes.values() if c.code_hash == code_hash), None)

    async def redeem(
        self, code: TaskCode, job: Job, token: JobToken, at: datetime
    ) -> tuple[TaskCode, bool]:
        stored = self._get(code.task_code_id)
        if stored.job_id is not None:
            return stored, False
        if job.job_id in self._db.jobs:
            raise _duplicate(f"job {job.job_id}")
        if token.token_hash in self._db.tokens:
            raise _duplicate("the token")
        self._db.jobs[job.job_id] = _copy(job)
        self._db.tokens[token.token_hash] = token
        bound = replace(stored, job_id=job.job_id, redeemed_at=at)
        self._db.task_codes[code.task_code_id] = bound
        return bound, True

    def _get(self, task_code_id: str) -> TaskCode:
        if task_code_id not in self._db.task_codes:
            raise TaskCodeError(f"no task code {task_code_id}", code="TASK_CODE_INVALID",
                                task_code_id=task_code_id)
        return self._db.task_codes[task_code_id]

    async def revoke(self, task_code_id: str, at: datetime) -> TaskCode:
        stored = self._get(task_code_id)
        if stored.revoked_at is None:
            stored = replace(stored, revoked_at=at)
            self._db.task_codes[task_code_id] = stored
        return stored

    async def list(self, *, limit: int = 100, offset: int = 0) -> Sequence[TaskCode]:
        codes = sorted(self._db.task_codes.values(),
                       key=lambda c: (c.created_at, c.task_code_id), reverse=True)
        return codes[offset:offset + limit]


class MemoryTokenRepository:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def add(self, token: JobToken) -> None:
        self._db.require_job(token.job_id)
        if token.token_hash in self._db.tokens:
            raise _duplicate("the token")
        self._db.tokens[token.token_hash] = token

    async def get_by_hash(self, token_hash: str) -> JobToken | None:
        return self._db.tokens.get(token_hash)

    async def revoke_for_job(self, job_id: str, at: datetime) -> int:
        live = [t for t in self._db.tokens.values() if t.job_id == job_id and not t.revoked_at]
        for token in live:
            self._db.tokens[token.token_hash] = replace(token, revoked_at=at)
        return len(live)


class MemoryArtifactRepository:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def add(self, artifact: Artifact) -> Artifact:
        key = (artifact.job_id, artifact.rel_path)
        stored = self._db.artifacts.get(key)
        if stored is not None:
            if stored.sha256 != artifact.sha256:
                raise SSError("other content at this path", code="ARTIFACT_CONFLICT",
                              job_id=artifact.job_id, rel_path=artifact.rel_path)
            return stored
        self._db.require_job(artifact.job_id)
        if any(a.artifact_id == artifact.artifact_id for a in self._db.artifacts.values()):
            raise _duplicate(f"artifact {artifact.artifact_id}")
        self._db.artifacts[key] = artifact
        return artifact

    async def list_for_job(self, job_id: str) -> Sequence[Artifact]:
        return sorted((a for a in self._db.artifacts.values() if a.job_id == job_id),
                      key=lambda a: a.rel_path)

    async def index(self, job_id: str) -> Sequence[Artifact]:
        self._db.require_job(job_id)
        return sorted((a for a in self._db.artifacts.values() if a.job_id == job_id),
                      key=lambda a: (a.created_at, a.rel_path))

    async def get(self, job_id: str, rel_path: str) -> Artifact:
        if (job_id, rel_path) not in self._db.artifacts:
            raise NotFound("no such artifact", code="ARTIFACT_NOT_FOUND", job_id=job_id,
                           rel_path=rel_path)
        return self._db.artifacts[(job_id, rel_path)]


class MemoryAuditLog:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def record(
        self, *, job_id: str | None, event: str, at: datetime, data: dict[str, Any]
    ) -> None:
        copied = msgspec.json.decode(msgspec.json.encode(data))
        self._db.audit.append({"id": len(self._db.audit) + 1, "job_id": job_id,
                               "event": event, "at": at, "data": copied})

    async def list_for_job(self, job_id: str) -> Sequence[dict[str, Any]]:
        return [dict(e) for e in self._db.audit if e["job_id"] == job_id]


@dataclass(frozen=True)
class MemoryRepositories:
    """All the in-memory repositories over one ``MemoryDatabase``."""

    db: MemoryDatabase = field(default_factory=MemoryDatabase)

    def __post_init__(self) -> None:
        for name, cls in (("jobs", MemoryJobRepository), ("task_codes", MemoryTaskCodeRepository),
                          ("tokens", MemoryTokenRepository), ("runs", MemoryRunQueue),
                          ("artifacts", MemoryArtifactRepository), ("audit", MemoryAuditLog)):
            object.__setattr__(self, name, cls(self.db))

    jobs: MemoryJobRepository = field(init=False)
    task_codes: MemoryTaskCodeRepository = field(init=False)
    tokens: MemoryTokenRepository = field(init=False)
    runs: MemoryRunQueue = field(init=False)
    artifacts: MemoryArtifactRepository = field(init=False)
    audit: MemoryAuditLog = field(init=False)
