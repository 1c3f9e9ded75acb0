"""A run: one queued execution of a job's frozen plan, claimed by a worker under a lease, and
how an attempt ends (``RunOutcome``: succeeded with its ``RunMeta``, or failed with its
``ErrorReport``)."""

from __future__ import annotations

import enum
from datetime import datetime

import msgspec

from ss_core.diagnosis import Diagnosis
from ss_core.errors import ErrorReport


class RunStatus(enum.StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


class RunMeta(msgspec.Struct, frozen=True, kw_only=True):
    """What an attempt that ran Stata records about itself (archived as ``run_meta.json``).
    ``worker`` is an opaque digest of the worker id; ``command_line`` names no host path."""

    run_id: str
    claim: int
    attempt: int
    worker: str
    plan_id: str
    template_id: str
    do_file_sha256: str
    command_line: tuple[str, ...]
    exit_code: int | None
    duration_seconds: float
    stata_version: str
    diagnosis: Diagnosis


class RunSucceeded(msgspec.Struct, frozen=True, tag="succeeded"):
    meta: RunMeta


class RunFailed(msgspec.Struct, frozen=True, tag="failed"):
    error: ErrorReport


RunOutcome = RunSucceeded | RunFailed


class Run(msgspec.Struct, frozen=True, kw_only=True):
    """``attempt`` counts user-visible attempts of the job (1, 2 after a retry...);
    ``claim_count`` counts worker claims of this run (a reclaimed lease adds one) and is the
    fencing token: only the current claim may heartbeat, complete or fail the run."""

    run_id: str
    job_id: str
    plan_id: str
    attempt: int
    status: RunStatus
    enqueued_at: datetime
    claim_count: int = 0
    max_claims: int = 3
    worker_id: str | None = None
    lease_expires_at: datetime | None = None
    started_at: datetime | None = None
    ended_at: datetime | None = None
    error_code: str | None = None
    error: ErrorReport | None = None
    meta: RunMeta | None = None


class Claim(msgspec.Struct, frozen=True, kw_only=True):
    """A worker's hold on a run: the fencing token is ``claim_count``."""

    run: Run
    worker_id: str
    claim_count: int
    lease_expires_at: datetime
