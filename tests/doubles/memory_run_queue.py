"""The in-memory run queue (see ``memory_repositories``): same FIFO, lease and fencing
contract as the SQL queue, checked by the same tests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import msgspec

from ss_core.domain.run import Claim, Run, RunFailed, RunOutcome, RunStatus, RunSucceeded
from ss_core.errors import ErrorReport, LeaseLost, NotFound, SSError

if TYPE_CHECKING:
    from tests.doubles.memory_repositories import MemoryDatabase

replace = msgspec.structs.replace


def _duplicate(what: str) -> SSError:
    return SSError(f"{what} is already stored", code="STORAGE_DUPLICATE")


class MemoryRunQueue:
    def __init__(self, db: MemoryDatabase) -> None:
        self._db = db

    async def enqueue(self, run: Run) -> Run:
        self._db.require_job(run.job_id)
        if run.run_id in self._db.runs:
            raise _duplicate(f"run {run.run_id}")
        self._db.runs[run.run_id] = run
        return run

    def _claimable(self, run: Run, now: datetime) -> bool:
        if run.status == RunStatus.QUEUED:
            return True
        return (run.status == RunStatus.RUNNING and run.lease_expires_at is not None
                and run.lease_expires_at <= now and run.claim_count < run.max_claims)

    async def claim(self, worker_id: str, lease_seconds: float, now: datetime) -> Claim | None:
        ready = [r for r in self._db.runs.values() if self._claimable(r, now)]
        if not ready:
            return None
        oldest = min(ready, key=lambda r: (r.enqueued_at, r.run_id))
        expires = now + timedelta(seconds=lease_seconds)
        run = replace(oldest, status=RunStatus.RUNNING, claim_count=oldest.claim_count + 1,
                      worker_id=worker_id, lease_expires_at=expires, started_at=now)
        self._db.runs[run.run_id] = run
        return Claim(run=run, worker_id=worker_id, claim_count=run.claim_count,
                     lease_expires_at=expires)

    def _held(self, claim: Claim) -> Run:
        current = self._db.runs.get(claim.run.run_id)
        if (current is None or current.status != RunStatus.RUNNING
                or current.claim_count != claim.claim_count
                or current.worker_id != claim.worker_id):
            raise LeaseLost(
                "lease lost", run_id=claim.run.run_id,
                claim_count=claim.claim_count, worker_id=claim.worker_id,
                current_claim_count=current.claim_count if current else None,
                current_status=current.status.value if current else None)
        return current

    def _store(self, run: Run) -> Run:
        self._db.runs[run.run_id] = run
        return run

    async def heartbeat(self, claim: Claim, lease_seconds: float, now: datetime) -> Claim:
        expires = now + timedelta(seconds=lease_seconds)
        run = self._store(replace(self._held(claim), lease_expires_at=expires))
        return replace(claim, run=run, lease_expires_at=expires)

    async def finish(self, claim: Claim, outcome: RunOutcome, *, now: datetime) -> Run:
        run = replace(self._held(claim), ended_at=now, lease_expires_at=None)
        match outcome:
            case RunSucceeded(meta=meta):
                return self._store(replace(run, status=RunStatus.SUCCEEDED, error_code=None,
                                           error=None, meta=meta))
            case RunFailed(error=error):
                return self._store(replace(run, status=RunStatus.FAILED, meta=None,
                                           error_code=error.error_code, error=error))

    async def release(self, claim: Claim, now: datetime) -> Run:
        run = self._held(claim)
        return self._store(replace(run, status=RunStatus.QUEUED, worker_id=None,
                                   lease_expires_at=None, max_claims=run.max_claims + 1))

    async def expire_exhausted(self, now: datetime) -> Sequence[Run]:
        failed = []
        for run in sorted(self._db.runs.values(), key=lambda r: (r.enqueued_at, r.run_id)):
            if (run.status == RunStatus.RUNNING and run.lease_expires_at is not None
                    and run.lease_expires_at <= now and run.claim_count >= run.max_claims):
                failed.append(self._store(replace(
                    run, status=RunStatus.FAILED, ended_at=now, lease_expires_at=None,
                    error_code="RUN_ABANDONED",
                    error=ErrorReport(error_code="RUN_ABANDONED", retryable=True,
                                      message=f"run {run.run_id} was abandoned",
                                      details={"claims": run.claim_count,
                                               "last_worker_id": run.worker_id}),
                )))
        return failed

    async def get(self, run_id: str) -> Run:
        if run_id not in self._db.runs:
            raise NotFound(f"no run {run_id}", code="RUN_NOT_FOUND", run_id=run_id)
        return self._db.runs[run_id]

    async def list_for_job(self, job_id: str) -> Sequence[Run]:
        return sorted((r for r in self._db.runs.values() if r.job_id == job_id),
                      key=lambda r: (r.enqueued_at, r.run_id))

    async def stats(self, now: datetime) -> dict[str, Any]:
        queued = [r for r in self._db.runs.values() if r.status == RunStatus.QUEUED]
        running = sorted((r for r in self._db.runs.values() if r.status == RunStatus.RUNNING),
                         key=lambda r: (r.worker_id or "", r.run_id))
        leases: dict[str, list[dict[str, Any]]] = {}
        for run in running:
            assert run.worker_id is not None and run.lease_expires_at is not None
            leases.setdefault(run.worker_id, []).append({
                "run_id": run.run_id, "claim_count": run.claim_count,
                "lease_expires_at": run.lease_expires_at,
                "expired": run.lease_expires_at <= now,
            })
        return {
            "queued": len(queued), "running": len(running),
            "oldest_queued_at": min((r.enqueued_at for r in queued), default=None),
            "leases": leases,
        }
