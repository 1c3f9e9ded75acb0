"""Builders of domain values for the persistence contract tests."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from ss_core.diagnosis import Diagnosis
from ss_core.domain.artifact import Artifact, ArtifactKind
from ss_core.domain.job import Job, JobStatus
from ss_core.domain.run import Run, RunMeta, RunStatus, RunSucceeded
from ss_core.domain.task_code import JobToken, TaskCode, secret_hash

T0 = datetime(2026, 3, 1, 9, 0, 0, 123456, tzinfo=UTC)


def at(seconds: float) -> datetime:
    return T0 + timedelta(seconds=seconds)


def job(job_id: str = "job_1", *, created: float = 0, status: JobStatus = JobStatus.CREATED,
        **changes: Any) -> Job:
    values: dict[str, Any] = dict(
        job_id=job_id, status=status, version=1, requirement="effect of x on y",
        task_code_id="tc_1", tenant="default", created_at=at(created), updated_at=at(created),
        timestamps={"created_at": at(created)},
    )
    values.update(changes)
    return Job(**values)


def task_code(n: int = 1, *, created: float = 0, expires: float = 3600, **changes: Any) -> TaskCode:
    values: dict[str, Any] = dict(
        task_code_id=f"tc_{n}", code_hash=secret_hash(f"code-secret-{n}"), tenant="default",
        created_at=at(created), expires_at=at(expires), label=f"batch {n}",
    )
    values.update(changes)
    return TaskCode(**values)


def token(job_id: str = "job_1", secret: str = "token-secret-1") -> JobToken:
    return JobToken(token_hash=secret_hash(secret), job_id=job_id, created_at=T0,
                    expires_at=at(86400))


def run(run_id: str = "run_1", job_id: str = "job_1", *, enqueued: float = 0,
        max_claims: int = 3) -> Run:
    return Run(run_id=run_id, job_id=job_id, plan_id="plan_1", attempt=1,
               status=RunStatus.QUEUED, enqueued_at=at(enqueued), max_claims=max_claims)


def artifact(rel_path: str = "outputs/table1.csv", *, job_id: str = "job_1",
             artifact_id: str = "art_1", sha: str = "a" * 64, run_id: str | None = "run_1",
             ) -> Artifact:
    return Artifact(
        artifact_id=artifact_id, job_id=job_id, kind=ArtifactKind.OUTPUT_TABLE,
        rel_path=rel_path, object_key=f"jobs/{job_id}/runs/{run_id}/{rel_path}",
        size_bytes=2048, sha256=sha, content_type="text/csv; charset=utf-8", created_at=T0,
        run_id=run_id, meta={"declared": "table", "rows": 12},
    )


def succeeded(run_id: str = "run_1", *, exit_code: int = 0) -> RunSucceeded:
    """A successful outcome with the meta an attempt records."""
    diagnosis = Diagnosis(ok=True, error_code=None, rc=0, message="ok", failing_command=None,
                          failing_line=None, retryable=False)
    return RunSucceeded(meta=RunMeta(
        run_id=run_id, claim=1, attempt=1, worker="worker-0123456789ab", plan_id="plan_1",
        template_id="ols_robust", do_file_sha256="0" * 64, command_line=("stata", "-b"),
        exit_code=exit_code, duration_seconds=1.0, stata_version="18.0", diagnosis=diagnosis))
