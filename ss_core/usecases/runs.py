"""Queue a frozen plan (first run, idempotent re-queue, retry after failure) and confirm."""

from __future__ import annotations

from ss_core.domain.job import Job, JobStatus
from ss_core.domain.overview import JobOverview
from ss_core.domain.run import Run, RunStatus
from ss_core.errors import NotFound, StateConflict
from ss_core.usecases.plan import FreezeRequest, freeze
from ss_core.usecases.services import Services


async def job_overview(services: Services, job_id: str) -> JobOverview:
    """What the status answer shows (job, latest run, artifact counts), in one read."""
    return await services.jobs.overview(job_id)


async def latest_run(services: Services, job: Job) -> Run | None:
    if job.latest_run_id is None:
        return None
    try:
        return await services.runs.get(job.latest_run_id)
    except NotFound:  # the run row was never written (crash between job save and enqueue)
        return None


async def enqueue_run(services: Services, job_id: str) -> tuple[Job, Run]:
    """Queue the frozen plan. Idempotent while queued/running/succeeded; a retry when failed."""
    job = await services.jobs.get(job_id)
    if job.plan is None:
        raise StateConflict("freeze the plan before running it", code="PLAN_MISSING",
                            job_id=job_id)
    if services.policies.runs_execute_here:
        services.require_runner()
    existing = await latest_run(services, job)
    if job.run_requested and existing is not None:
        return job, existing
    if job.status is JobStatus.QUEUED and existing is None:
        return job, await _enqueue(services, job, job.latest_run_id or "", job.run_count)
    now = services.clock.now()
    run_id = services.ids.new_id("run")
    stored = await services.jobs.save(job.queued(run_id, at=now), expected_version=job.version)
    attempt = stored.run_count
    run = await _enqueue(services, stored, run_id, attempt)
    await services.audit.record(job_id=job_id, event="run.queued", at=now,
                                data={"run_id": run_id, "attempt": attempt,
                                      "retry": job.status is JobStatus.FAILED})
    return stored, run


async def _enqueue(services: Services, job: Job, run_id: str, attempt: int) -> Run:
    assert job.plan is not None
    return await services.runs.enqueue(Run(
        run_id=run_id, job_id=job.job_id, plan_id=job.plan.plan_id, attempt=attempt,
        status=RunStatus.QUEUED, enqueued_at=services.clock.now(),
        max_claims=services.policies.max_claims))


class ConfirmRequest(FreezeRequest, frozen=True, kw_only=True):
    """A freeze request, and whether to queue the run too (``confirmed``)."""

    confirmed: bool = True


async def confirm(
    services: Services, job_id: str, request: ConfirmRequest
) -> tuple[Job, Run | None]:
    """Freeze (unless a plan is already frozen and nothing new is asked) and queue; with
    ``confirmed=False`` only freeze (the client reviews the plan before queueing)."""
    job = await services.jobs.get(job_id)
    asks_change = bool(request.answers or request.variable_corrections or request.params
                       or request.template_id)
    if job.plan is None or asks_change:
        await freeze(services, job_id, request)
    if not request.confirmed:
        job = await services.jobs.get(job_id)
        return job, await latest_run(services, job)
    return await enqueue_run(services, job_id)
