"""The job aggregate and its state machine (one transition table)."""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import msgspec

from ss_core.domain.dataset import InputsManifest
from ss_core.domain.draft import Draft
from ss_core.domain.plan import Plan
from ss_core.domain.selection import SelectionEvidence
from ss_core.errors import StateConflict


class JobStatus(enum.StrEnum):
    CREATED = "created"
    INPUTS_UPLOADED = "inputs_uploaded"
    DRAFT_READY = "draft_ready"
    PLAN_FROZEN = "plan_frozen"
    QUEUED = "queued"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"


S = JobStatus

TRANSITIONS: dict[JobStatus, frozenset[JobStatus]] = {
    S.CREATED: frozenset({S.INPUTS_UPLOADED, S.CANCELLED}),
    S.INPUTS_UPLOADED: frozenset({S.INPUTS_UPLOADED, S.DRAFT_READY, S.CANCELLED}),
    S.DRAFT_READY: frozenset({S.INPUTS_UPLOADED, S.DRAFT_READY, S.PLAN_FROZEN, S.CANCELLED}),
    S.PLAN_FROZEN: frozenset({S.QUEUED, S.CANCELLED}),
    S.QUEUED: frozenset({S.RUNNING, S.FAILED, S.CANCELLED}),
    S.RUNNING: frozenset({S.SUCCEEDED, S.FAILED, S.QUEUED}),
    S.SUCCEEDED: frozenset(),
    S.FAILED: frozenset({S.QUEUED}),
    S.CANCELLED: frozenset(),
}

TERMINAL = frozenset({S.SUCCEEDED, S.CANCELLED})


def can_transition(current: JobStatus, target: JobStatus) -> bool:
    return target in TRANSITIONS[current]


class Job(msgspec.Struct, frozen=True, kw_only=True):
    """A user's analysis job. Changes go through ``transition``/``evolve`` (new values)."""

    job_id: str
    status: JobStatus
    version: int
    requirement: str
    task_code_id: str
    tenant: str
    created_at: datetime
    updated_at: datetime
    timestamps: dict[str, datetime] = msgspec.field(default_factory=dict)
    inputs: InputsManifest | None = None
    draft: Draft | None = None
    selection: SelectionEvidence | None = None
    plan: Plan | None = None
    latest_run_id: str | None = None
    run_count: int = 0
    error: dict[str, Any] | None = None

    def transition(self, target: JobStatus, at: datetime, **changes: Any) -> Job:
        """The job in ``target`` state; ``JOB_STATE_CONFLICT`` when the table forbids it."""
        if not can_transition(self.status, target):
            raise StateConflict(
                f"job {self.job_id} cannot go from {self.status.value} to {target.value}",
                job_id=self.job_id, current_status=self.status.value, requested=target.value,
                allowed=sorted(s.value for s in TRANSITIONS[self.status]),
            )
        stamps = dict(self.timestamps)
        stamps[f"{target.value}_at"] = at
        return msgspec.structs.replace(
            self, status=target, updated_at=at, timestamps=stamps, **changes
        )

    def evolve(self, at: datetime, **changes: Any) -> Job:
        """The job with ``changes`` that do not change its status."""
        return msgspec.structs.replace(self, updated_at=at, **changes)
