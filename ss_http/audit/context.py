"""What the audit is asked to do, what it has learnt so far, and how a point reports."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ss_http.audit.client import AuditClient


@dataclass(frozen=True)
class AuditOptions:
    """The operator's inputs (``ssctl audit`` flags)."""

    base_url: str
    task_code: str
    dataset: Path
    requirement: str
    admin_token: str | None = None
    restart_cmd: str | None = None
    report_dir: Path = Path(".")
    timeout: float = 600.0
    params: dict[str, Any] = field(default_factory=dict)
    poll_seconds: float = 1.0


@dataclass
class AuditState:
    """Facts gathered by earlier points and read by later ones."""

    options: AuditOptions
    client: AuditClient
    job_id: str | None = None
    token: str | None = None
    draft: dict[str, Any] | None = None
    plan: dict[str, Any] | None = None
    job: dict[str, Any] | None = None
    artifacts: list[dict[str, Any]] | None = None
    models: set[str] = field(default_factory=set)
    downloads: dict[str, bytes] = field(default_factory=dict)

    def require_job(self) -> tuple[str, str]:
        if self.job_id is None or self.token is None:
            raise PointSkipped("no job: the redeem point did not pass")
        return self.job_id, self.token

    def require_succeeded(self) -> tuple[str, str]:
        job_id, token = self.require_job()
        status = (self.job or {}).get("status")
        if status != "succeeded":
            raise PointSkipped(f"the run did not succeed (job status {status})")
        return job_id, token


class PointFailed(Exception):
    """The point does not hold; ``evidence`` says what was seen."""

    def __init__(self, reason: str, **evidence: Any) -> None:
        super().__init__(reason)
        self.reason = reason
        self.evidence = evidence


class PointSkipped(Exception):
    """The point could not be evaluated (an earlier point failed, or it was not asked for)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


def expect(condition: object, reason: str, **evidence: Any) -> None:
    """Fail the current point with ``reason`` and ``evidence`` unless ``condition`` holds."""
    if not condition:
        raise PointFailed(reason, **evidence)
