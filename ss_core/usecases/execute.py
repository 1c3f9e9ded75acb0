"""Execute one claimed run: render, stage, preflight, run Stata, check outputs, archive.

Everything the attempt produces is archived under ``runs/<run_id>/c<claim>/`` so that two
attempts of one run can never overwrite each other. The run is closed only by the current
claim (fencing); a worker that lost its lease stops without touching the job.

Once the run is finished, closing the job is retried (bounded) through a storage outage:
a finished run is never claimed again, so a job left ``running`` would never be closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
from collections.abc import Sequence
from pathlib import PurePath
from typing import Any

import msgspec

from ss_core.diagnosis import diagnosis_error
from ss_core.domain.artifact import OUTPUT_KIND_BY_DECLARED, ArtifactKind
from ss_core.domain.job import Job, JobStatus
from ss_core.domain.plan import Plan, canonical_json
from ss_core.domain.run import Claim, RunFailed, RunMeta, RunOutcome, RunSucceeded
from ss_core.errors import ErrorReport, LeaseLost, RenderError, SSError, StorageError
from ss_core.library.meta import Template
from ss_core.ports.stata_runner import StagedInput, StataJob, StataRunResult
from ss_core.preflight import missing_dependency_error
from ss_core.rendering.house import PRIMARY_DTA
from ss_core.rendering.renderer import RenderedDoFile, render
from ss_core.usecases.archive import archive_bytes, index_stored
from ss_core.usecases.report import after_success
from ss_core.usecases.services import Services
from ss_core.usecases.staging import stage_primary

CLOSE_ATTEMPTS = 6
CLOSE_FIRST_DELAY_SECONDS = 0.5  # doubled after each failed attempt, at most 8 s


def _prefix(claim: Claim) -> str:
    return f"runs/{claim.run.run_id}/c{claim.claim_count}"


def _template_for(services: Services, plan: Plan) -> Template:
    template = services.library.get(plan.template.template_id)
    if template.content_sha256 != plan.template.content_sha256:
        raise RenderError(
            "the template changed since the plan was frozen; re-freeze the plan",
            template_id=template.id,
            frozen_sha256=plan.template.content_sha256,
            library_sha256=template.content_sha256)
    return template


def _stata_job(services: Services, job: Job, claim: Claim, template: Template,
               do_file: RenderedDoFile, staged_key: str) -> StataJob:
    assert job.plan is not None
    package_of = {cmd: d.name for d in job.plan.dependencies if d.kind in ("ssc", "net")
                  for cmd in d.provides_commands}
    timeout = services.policies.stata_timeouts.get(template.meta.timeout_class, 1800.0)
    return StataJob(
        run_id=claim.run.run_id, claim=claim.claim_count, do_file=do_file.text,
        inputs=(StagedInput(filename=PRIMARY_DTA, object_key=staged_key),),
        commands_to_check=tuple(sorted(package_of)),
        declared_outputs=tuple(o.file for o in job.plan.outputs_contract.declared),
        output_prefix=f"jobs/{job.job_id}/{_prefix(claim)}/", timeout_seconds=timeout,
        package_of_command=package_of)


async def _heartbeat(services: Services, claim: Claim, lost: asyncio.Event) -> None:
    interval = max(0.05, services.policies.lease_seconds / 3)
    current = claim
    while True:
        await asyncio.sleep(interval)
        try:
            current = await services.runs.heartbeat(current, services.policies.lease_seconds,
                                                    services.clock.now())
        except LeaseLost:
            lost.set()
            return
        except StorageError:
            pass  # an outage: keep beating; if it outlasts the lease, the next beat is
            # RUN_LEASE_LOST and the claim stops


async def _run_with_lease(services: Services, claim: Claim, job: StataJob) -> StataRunResult:
    runner = services.require_runner()
    lost = asyncio.Event()
    beat = asyncio.create_task(_heartbeat(services, claim, lost))
    work = asyncio.create_task(runner.run(job))
    watch = asyncio.create_task(lost.wait())
    try:
        done, _ = await asyncio.wait({work, watch}, return_when=asyncio.FIRST_COMPLETED)
        if work not in done:
            work.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await work
            raise LeaseLost("the worker lost the run's lease", run_id=claim.run.run_id)
        return work.result()
    finally:
        for task in (beat, watch):
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError, SSError):
                await task


async def _archive_result(
    services: Services, job: Job, claim: Claim, result: StataRunResult
) -> list[str]:
    """Index the log and every produced file; return the required outputs that are missing."""
    assert job.plan is not None
    prefix, run_id = _prefix(claim), claim.run.run_id
    declared = {o.file: o for o in job.plan.outputs_contract.declared}
    produced = set()
    for item in result.files:
        spec = declared.get(item.name)
        kind = OUTPUT_KIND_BY_DECLARED.get(spec.kind, ArtifactKind.OUTPUT_EXTRA) if spec else (
            ArtifactKind.OUTPUT_EXTRA)
        if item.size_bytes > 0:
            produced.add(item.name)
        await index_stored(services, job.job_id, kind, f"{prefix}/outputs/{item.name}",
                           object_key=item.object_key, size_bytes=item.size_bytes,
                           sha256=item.sha256, run_id=run_id,
                           meta={"declared": spec is not None})
    return [f for f, o in declared.items() if o.required and f not in produced]


async def _verified_inputs(services: Services, job: Job) -> None:
    """The inputs are the frozen plan's, byte for byte, or the run stops before Stata starts:
    the manifest's fingerprint is the plan's, and the primary object hashes to the sha256 the
    manifest (and so the plan) recorded (the store may prove it without reading the bytes
    again: ``ObjectStore.content_sha256``)."""
    assert job.inputs is not None and job.plan is not None
    primary = job.inputs.primary
    if job.inputs.fingerprint != job.plan.inputs_fingerprint:
        raise input_integrity_error(
            "the job's inputs are not the ones the plan was frozen on",
            plan_fingerprint=job.plan.inputs_fingerprint,
            inputs_fingerprint=job.inputs.fingerprint)
    found = await services.store.content_sha256(primary.object_key)
    if found != primary.sha256:
        raise input_integrity_error(
            "the stored primary dataset no longer has the content the plan was frozen on",
            dataset_key=primary.dataset_key, expected_sha256=primary.sha256,
            found_sha256=found)


def input_integrity_error(message: str, **context: Any) -> SSError:
    return SSError(message, code="INPUT_INTEGRITY_FAILED",
                   fix="upload the dataset again and freeze a new plan", **context)


async def _staged_primary(services: Services, job: Job) -> str:
    """The primary dataset as .dta, converted once per content and sheet (a retry or a
    reclaimed run reuses it; the store's atomic writes mean an existing key is complete).
    The source is verified against the frozen plan first, also when a staged file (made at
    upload from the recorded bytes) is already there: bytes changed behind SS's back stop the
    run whichever copy Stata would read."""
    await _verified_inputs(services, job)
    return await stage_primary(services, job)


def _opaque(worker_id: str) -> str:
    """The worker as the job's owner sees it: stable, but naming no host or process."""
    return "worker-" + hashlib.sha256(worker_id.encode("utf-8")).hexdigest()[:12]


def _without_host_paths(command_line: Sequence[str]) -> tuple[str, ...]:
    """The Stata command line with every absolute path cut to its last component."""
    return tuple(PurePath(arg).name if PurePath(arg).is_absolute() else arg
                 for arg in command_line)


async def _attempt(services: Services, job: Job, claim: Claim) -> RunMeta:
    assert job.plan is not None and job.inputs is not None
    prefix, run_id = _prefix(claim), claim.run.run_id
    template = _template_for(services, job.plan)
    do_file = render(template, job.plan.params_contract.bound_values,
                     job.inputs.primary_schema, plan_id=job.plan.plan_id)
    await archive_bytes(services, job.job_id, ArtifactKind.DO_FILE, f"{prefix}/job.do",
                        do_file.data, run_id=run_id, meta={"sha256": do_file.sha256})
    staged = await _staged_primary(services, job)
    stata_job = _stata_job(services, job, claim, template, do_file, staged)
    preflight = await services.require_runner().preflight(stata_job)
    if preflight.missing_commands:
        raise missing_dependency_error(preflight.missing_commands,
                                       stata_job.package_of_command)
    result = await _run_with_lease(services, claim, stata_job)
    meta = RunMeta(run_id=run_id, claim=claim.claim_count, attempt=claim.run.attempt,
                   worker=_opaque(claim.worker_id), plan_id=job.plan.plan_id,
                   template_id=template.id, do_file_sha256=do_file.sha256,
                   command_line=_without_host_paths(result.command_line),
                   exit_code=result.exit_code, duration_seconds=result.duration_seconds,
                   stata_version=result.stata_version, diagnosis=result.diagnosis)
    if result.log is not None:
        await index_stored(services, job.job_id, ArtifactKind.STATA_LOG, f"{prefix}/stata.log",
                           object_key=result.log.key, size_bytes=result.log.size_bytes,
                           sha256=result.log.sha256, run_id=run_id)
    missing = await _archive_result(services, job, claim, result)
    await archive_bytes(services, job.job_id, ArtifactKind.RUN_META, f"{prefix}/run_meta.json",
                        canonical_json(msgspec.to_builtins(meta)), run_id=run_id)
    if not result.ok:
        raise diagnosis_error(result.diagnosis)
    if missing:
        raise SSError("required outputs were not produced: " + ", ".join(missing),
                      code="OUTPUT_CONTRACT_VIOLATION", missing_outputs=missing)
    return meta


async def execute_claim(services: Services, claim: Claim) -> JobStatus | None:
    """Run one claimed attempt to its end; returns the job's new status (None if fenced)."""
    run = claim.run
    job = await services.jobs.get(run.job_id)
    now = services.clock.now()
    started = job.started(at=now)
    if started is not job:
        job = await services.jobs.save(started, expected_version=job.version)
    outcome: RunOutcome
    try:
        outcome = RunSucceeded(meta=await _attempt(services, job, claim))
    except asyncio.CancelledError:
        with contextlib.suppress(SSError):
            await services.runs.release(claim, services.clock.now())
        raise
    except LeaseLost:
        return None  # another claim owns the run now: touch nothing
    except SSError as exc:
        outcome = RunFailed(error=exc.report())
        await archive_bytes(services, job.job_id, ArtifactKind.ERROR_REPORT,
                            f"{_prefix(claim)}/error.json",
                            canonical_json(outcome.error.as_json()), run_id=run.run_id)
    error = outcome.error if isinstance(outcome, RunFailed) else None
    try:
        await services.runs.finish(claim, outcome, now=services.clock.now())
    except LeaseLost:
        return None
    status = await _close_job_retrying(services, run.job_id, error)
    if status is JobStatus.SUCCEEDED:
        await after_success(services, run.job_id)  # never changes the job; failures archived
    return status


async def _close_job_retrying(services: Services, job_id: str,
                              error: ErrorReport | None) -> JobStatus:
    delay = CLOSE_FIRST_DELAY_SECONDS
    for attempt in range(1, CLOSE_ATTEMPTS + 1):
        try:
            return await _close_job(services, job_id, error)
        except StorageError:
            if attempt == CLOSE_ATTEMPTS:
                raise
        await asyncio.sleep(delay)
        delay = min(delay * 2, 8.0)
    raise AssertionError("unreachable")  # pragma: no cover


async def _close_job(services: Services, job_id: str, error: ErrorReport | None) -> JobStatus:
    """Move the job to its final status and audit it; idempotent (a retry after the status was
    saved only records the audit event)."""
    job = await services.jobs.get(job_id)
    now = services.clock.now()
    closed = job.succeeded(at=now) if error is None else job.failed(_shown_on_job(error), at=now)
    if closed is not job:  # a retry after the status was saved only records the audit event
        await services.jobs.save(closed, expected_version=job.version)
    await services.audit.record(job_id=job_id, event=f"run.{closed.status.value}", at=now,
                                data={"error_code": error.error_code if error else None})
    return closed.status


def _shown_on_job(error: ErrorReport) -> ErrorReport:
    """What the job keeps of a failed attempt: the code, message, retryability and the missing
    items; the rest (fix, command lines, log excerpts) stays on the run and its error.json."""
    kept = {k: v for k, v in error.details.items()
            if k in ("missing_commands", "missing_packages", "missing_outputs")}
    return ErrorReport(error_code=error.error_code, message=error.message,
                       retryable=error.retryable, details=kept)
