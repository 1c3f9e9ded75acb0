"""The job aggregate, its state machine (one transition table) and its lifecycle.

The table says which moves exist; the named methods on ``Job`` are the only way to make
them. Each method states which statuses it starts from (always a subset of the table's
edges, checked by a test), carries its own typed changes and raises ``JOB_STATE_CONFLICT``
(or ``PLAN_CONFLICT``) itself, so a use case only loads, calls and saves:

    created -> inputs_uploaded -> draft_ready -> plan_frozen -> queued -> running
            -> succeeded | failed (-> queued again: a retry);  cancelled before a run ends.
"""

from __future__ import annotations

import enum
from datetime import datetime
from typing import Any

import msgspec

from ss_core.domain.dataset import InputsManifest
from ss_core.domain.draft import Draft
from ss_core.domain.plan import Plan
from ss_core.domain.selection import SelectionEvidence
from ss_core.errors import ErrorReport, StateConflict


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


IN_FLIGHT = frozenset({S.QUEUED, S.RUNNING})
RUN_REQUESTED = frozenset({S.QUEUED, S.RUNNING, S.SUCCEEDED})


def can_transition(current: JobStatus, target: JobStatus) -> bool:
    return target in TRANSITIONS[current]


def sources_of(target: JobStatus) -> frozenset[JobStatus]:
    """Every status the table lets a job leave for ``target``."""
    return frozenset(s for s, targets in TRANSITIONS.items() if target in targets)


# The statuses each named move starts from (a test checks each is a set of table edges).
INPUTS_FROM = sources_of(S.INPUTS_UPLOADED)
DRAFT_FROM = frozenset({S.INPUTS_UPLOADED, S.DRAFT_READY})
PATCH_FROM = frozenset({S.DRAFT_READY})
FREEZE_FROM = sources_of(S.PLAN_FROZEN)
QUEUE_FROM = frozenset({S.PLAN_FROZEN, S.FAILED})
START_FROM = frozenset({S.QUEUED})
FINISH_FROM = IN_FLIGHT
CANCEL_FROM = sources_of(S.CANCELLED)


class Job(msgspec.Struct, frozen=True, kw_only=True):
    """A user's analysis job. Every change is a named method returning a new value."""

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
    error: ErrorReport | None = None

    @classmethod
    def created(cls, job_id: str, *, requirement: str, task_code_id: str, tenant: str,
                at: datetime) -> Job:
        """A new job, made by redeeming a task code (the only way a job comes to be)."""
        return cls(job_id=job_id, status=S.CREATED, version=1, requirement=requirement,
                   task_code_id=task_code_id, tenant=tenant, created_at=at, updated_at=at,
                   timestamps={"created_at": at})

    @property
    def in_flight(self) -> bool:
        """An attempt is under way (queued or running)."""
        return self.status in IN_FLIGHT

    @property
    def run_requested(self) -> bool:
        """A run of the plan is queued, running or succeeded: asking to run again returns it."""
        return self.status in RUN_REQUESTED

    def succeeded_run_id(self) -> str:
        """The run that made this job succeed; ``JOB_STATE_CONFLICT`` before one did."""
        if self.status is not S.SUCCEEDED or self.latest_run_id is None:
            raise StateConflict("a report needs a succeeded run", job_id=self.job_id,
                                current_status=self.status.value, fix="run the plan first")
        return self.latest_run_id

    def require_inputs_open(self) -> None:
        """``JOB_STATE_CONFLICT`` unless inputs may still change (checked before any file of
        an upload is stored)."""
        self._require(INPUTS_FROM, S.INPUTS_UPLOADED,
                      "inputs can no longer change: the plan is frozen")

    def inputs_uploaded(self, manifest: InputsManifest, *, at: datetime) -> Job:
        """New inputs replace the old ones and clear the draft; only before the freeze."""
        self.require_inputs_open()
        return self._moved(S.INPUTS_UPLOADED, at, inputs=manifest, draft=None, selection=None)

    @property
    def draft_closed(self) -> bool:
        """The plan is frozen (or the job moved past it): inputs and draft are fixed."""
        return self.status not in INPUTS_FROM

    def require_draftable(self) -> None:
        """``JOB_STATE_CONFLICT`` unless a draft may be made (inputs uploaded, plan not frozen)."""
        self._require(DRAFT_FROM, S.DRAFT_READY,
                      "the plan is frozen; the draft can no longer change")

    def drafted(self, draft: Draft, selection: SelectionEvidence, *, at: datetime) -> Job:
        """A draft preview (and its template selection) for the uploaded inputs."""
        self.require_draftable()
        return self._moved(S.DRAFT_READY, at, draft=draft, selection=selection)

    def require_draft_open(self) -> None:
        """``JOB_STATE_CONFLICT`` unless the draft may still be patched (checked before a
        patch is even computed, so a frozen job reports the conflict first)."""
        self._require(PATCH_FROM, S.DRAFT_READY, "the draft can no longer change")

    def draft_patched(self, draft: Draft, selection: SelectionEvidence, *, at: datetime) -> Job:
        """The user's corrections to a ready draft; only while the draft is open."""
        self.require_draft_open()
        return self._moved(S.DRAFT_READY, at, draft=draft, selection=selection)

    def frozen(self, plan: Plan, *, at: datetime) -> Job:
        """The plan frozen from a ready draft. Freezing the same plan again returns the job
        unchanged; a different plan than the frozen one is a ``PLAN_CONFLICT``."""
        if self.plan is not None:
            if self.plan.plan_id == plan.plan_id:
                return self
            raise StateConflict("a different plan is already frozen for this job",
                                code="PLAN_CONFLICT", job_id=self.job_id,
                                frozen_plan_id=self.plan.plan_id, requested_plan_id=plan.plan_id)
        self._require(FREEZE_FROM, S.PLAN_FROZEN, "the plan can only be frozen from a ready draft")
        return self._moved(S.PLAN_FROZEN, at, plan=plan)

    def queued(self, run_id: str, *, at: datetime) -> Job:
        """A new attempt (``run_id``) of the frozen plan: the first run or a retry after a
        failure; the attempt count goes up and the last error is cleared."""
        self._require(QUEUE_FROM, S.QUEUED, f"a job in status {self.status.value} cannot be run")
        return self._moved(S.QUEUED, at, latest_run_id=run_id, run_count=self.run_count + 1,
                           error=None)

    def started(self, *, at: datetime) -> Job:
        """A worker began the queued attempt; a job already running (its attempt claimed
        again after a lost lease) is returned unchanged."""
        if self.status is S.RUNNING:
            return self
        self._require(START_FROM, S.RUNNING, "only a queued job can start running")
        return self._moved(S.RUNNING, at)

    def succeeded(self, *, at: datetime) -> Job:
        """The attempt ended well. A queued job passes through running first; a job that
        already succeeded is returned unchanged (closing is idempotent)."""
        if self.status is S.SUCCEEDED:
            return self
        return self._finished(S.SUCCEEDED, at, None)

    def failed(self, error: ErrorReport, *, at: datetime) -> Job:
        """The attempt ended with ``error``. A queued job passes through running first; a job
        that already failed is returned unchanged (closing is idempotent)."""
        if self.status is S.FAILED:
            return self
        return self._finished(S.FAILED, at, error)

    def cancelled(self, *, at: datetime) -> Job:
        """The user gave the job up before a run ended."""
        self._require(CANCEL_FROM, S.CANCELLED, "the job can no longer be cancelled")
        return self._moved(S.CANCELLED, at)

    def evolve(self, at: datetime, **changes: Any) -> Job:
        """The job with ``changes`` that do not change its status."""
        return msgspec.structs.replace(self, updated_at=at, **changes)

    def _finished(self, target: JobStatus, at: datetime, error: ErrorReport | None) -> Job:
        if self.status not in FINISH_FROM:
            self._require(FINISH_FROM, target, f"a job in status {self.status.value} has no "
                          "attempt under way to finish")
        job = self.started(at=at)  # a queued job passes through running; running stays
        job._require(frozenset({S.RUNNING}), target, "a run ends only from running")
        return job._moved(target, at, error=error)

    def _require(self, sources: frozenset[JobStatus], target: JobStatus, message: str) -> None:
        if self.status not in sources or not can_transition(self.status, target):
            raise StateConflict(message, job_id=self.job_id, current_status=self.status.value,
                                requested=target.value,
                                allowed_from=sorted(s.value for s in sources))

    def _moved(self, target: JobStatus, at: datetime, **changes: Any) -> Job:
        stamps = dict(self.timestamps)
        stamps[f"{target.value}_at"] = at
        return msgspec.structs.replace(
            self, status=target, updated_at=at, timestamps=stamps, **changes
        )
