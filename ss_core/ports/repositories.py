"""Persistence ports: jobs, the run queue, task codes, tokens, the artifact index, audit events.

Each method is atomic. Implementations must be safe with several API and worker processes on
the same database.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol

from ss_core.domain.artifact import Artifact
from ss_core.domain.job import Job
from ss_core.domain.overview import JobOverview
from ss_core.domain.run import Claim, Run, RunOutcome
from ss_core.domain.task_code import JobToken, TaskCode


class JobRepository(Protocol):
    async def add(self, job: Job) -> None: ...

    async def get(self, job_id: str) -> Job:
        """The job; ``JOB_NOT_FOUND`` when absent."""
        ...

    async def overview(self, job_id: str) -> JobOverview:
        """The job, its latest run and its artifact counts by kind, read in one consistent
        read; ``JOB_NOT_FOUND`` when absent."""
        ...

    async def save(self, job: Job, *, expected_version: int) -> Job:
        """Store ``job`` with version ``expected_version + 1`` if the stored version is still
        ``expected_version``; else ``JOB_VERSION_CONFLICT``. Returns the stored job."""
        ...

    async def list(
        self, *, status: str | None = None, limit: int = 100, offset: int = 0
    ) -> Sequence[Job]: ...


class TaskCodeRepository(Protocol):
    async def add_many(self, codes: Sequence[TaskCode]) -> None: ...

    async def get_by_hash(self, code_hash: str) -> TaskCode | None: ...

    async def redeem(
        self, code: TaskCode, job: Job, token: JobToken, at: datetime
    ) -> tuple[TaskCode, bool]:
        """Atomically bind ``code`` to ``job`` (adding the job and token) unless it is bound
        already; returns the stored code and whether this call created the binding."""
        ...

    async def revoke(self, task_code_id: str, at: datetime) -> TaskCode: ...

    async def list(self, *, limit: int = 100, offset: int = 0) -> Sequence[TaskCode]: ...


class TokenRepository(Protocol):
    async def add(self, token: JobToken) -> None: ...

    async def get_by_hash(self, token_hash: str) -> JobToken | None: ...

    async def revoke_for_job(self, job_id: str, at: datetime) -> int: ...


class RunQueue(Protocol):
    """Runs in the database with leases. FIFO by enqueue time; never two live claims of one
    run; an expired lease can be reclaimed until ``max_claims`` claims have been made."""

    async def enqueue(self, run: Run) -> Run: ...

    async def claim(self, worker_id: str, lease_seconds: float, now: datetime) -> Claim | None:
        """Claim the oldest queued run (or one whose lease expired), or ``None``."""
        ...

    async def heartbeat(self, claim: Claim, lease_seconds: float, now: datetime) -> Claim:
        """Extend the lease; ``RUN_LEASE_LOST`` when the claim is no longer current."""
        ...

    async def finish(self, claim: Claim, outcome: RunOutcome, *, now: datetime) -> Run:
        """Close the run with its outcome (status, and the meta or the error it records);
        ``RUN_LEASE_LOST`` when the claim is no longer current."""
        ...

    async def release(self, claim: Claim, now: datetime) -> Run:
        """Give the run back to the queue (graceful shutdown) without counting a failure."""
        ...

    async def expire_exhausted(self, now: datetime) -> Sequence[Run]:
        """Fail runs whose lease expired after their last allowed claim; return them."""
        ...

    async def get(self, run_id: str) -> Run: ...

    async def list_for_job(self, job_id: str) -> Sequence[Run]: ...

    async def stats(self, now: datetime) -> dict[str, Any]:
        """Queue depth, running count, live leases by worker (for operators)."""
        ...


class ArtifactRepository(Protocol):
    async def add(self, artifact: Artifact) -> Artifact:
        """Index an artifact; re-adding the same (job, rel_path) with the same sha256 is a
        no-op returning the stored one."""
        ...

    async def list_for_job(self, job_id: str) -> Sequence[Artifact]: ...

    async def index(self, job_id: str) -> Sequence[Artifact]:
        """The job's artifacts in index order (created, then path), read with the job's
        existence in one consistent read; ``JOB_NOT_FOUND`` when the job is absent."""
        ...

    async def get(self, job_id: str, rel_path: str) -> Artifact:
        """``ARTIFACT_NOT_FOUND`` unless indexed for this job."""
        ...


class AuditLog(Protocol):
    async def record(
        self, *, job_id: str | None, event: str, at: datetime, data: dict[str, Any]
    ) -> None: ...

    async def list_for_job(self, job_id: str) -> Sequence[dict[str, Any]]: ...
