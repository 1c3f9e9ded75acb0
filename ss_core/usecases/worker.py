"""The worker loop: claim runs, execute them, expire abandoned ones, stop gracefully."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import datetime, timedelta

from ss_core.domain.job import JobStatus
from ss_core.errors import ErrorReport, SSError
from ss_core.usecases.execute import execute_claim
from ss_core.usecases.services import Services

log = logging.getLogger("ss.worker")


class Worker:
    """One worker process's loop. ``stop()`` lets the current run finish (or, past the grace
    period, releases its lease so another worker takes it over)."""

    def __init__(self, services: Services, worker_id: str, *, poll_seconds: float = 1.0) -> None:
        self.services = services
        self.worker_id = worker_id
        self.poll_seconds = poll_seconds
        self._stopping = asyncio.Event()
        self.last_error: SSError | None = None
        self._next_expiry_sweep: datetime | None = None

    def stop(self) -> None:
        self._stopping.set()

    async def run_once(self) -> JobStatus | bool | None:
        """Claim and execute one run; ``False`` when the queue had nothing to claim."""
        await self._sweep_if_due()
        claim = await self.services.runs.claim(
            self.worker_id, self.services.policies.lease_seconds, self.services.clock.now())
        if claim is None:
            return False
        return await execute_claim(self.services, claim)

    async def _sweep_if_due(self) -> None:
        """Abandoned runs can only appear when a lease expires, so sweeping once per half
        lease is enough; polling the queue does not need a write every time."""
        now = self.services.clock.now()
        if self._next_expiry_sweep is not None and now < self._next_expiry_sweep:
            return
        await self.expire_abandoned()
        self._next_expiry_sweep = now + timedelta(seconds=self.services.policies.lease_seconds / 2)

    async def expire_abandoned(self) -> int:
        """Fail runs (and their jobs) whose last allowed claim's lease expired."""
        expired = await self.services.runs.expire_exhausted(self.services.clock.now())
        for run in expired:
            job = await self.services.jobs.get(run.job_id)
            if job.in_flight:
                error = ErrorReport(error_code=run.error_code or "STATA_CRASHED",
                                    message="the run was abandoned by its workers too many times",
                                    retryable=True)
                await self.services.jobs.save(
                    job.failed(error, at=self.services.clock.now()), expected_version=job.version)
        return len(expired)

    async def run_forever(self) -> None:
        """Claim and execute until ``stop()``. A product error of the loop itself (storage
        outage, a lost lease) is logged, kept in ``last_error`` and waited out; anything else
        propagates to the supervisor, which restarts the loop and reports it."""
        while not self._stopping.is_set():
            try:
                outcome = await self.run_once()
                self.last_error = None
            except SSError as exc:
                log.warning("worker loop error %s: %s", exc.error_code, exc.message)
                self.last_error = exc
                outcome = False
            if outcome is False:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(self._stopping.wait(), self.poll_seconds)
