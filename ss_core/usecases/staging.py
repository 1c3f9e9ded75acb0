"""The primary dataset as ``.dta`` for Stata: converted once per content and sheet.

The staged file is keyed by the job, the primary's sha256 and its sheet, so a retry or a
reclaimed run reuses it; the store's atomic writes mean an existing key is complete. The API
stages it right after an upload (or a sheet choice), in the background once the answer is
sent, so the worker usually finds it ready; the worker stages it itself when it is not (the
background conversion failed, was interrupted or has not finished: then both write the same
bytes under the same key).
"""

from __future__ import annotations

import hashlib

from ss_core.domain.dataset import InspectOptions
from ss_core.domain.job import Job
from ss_core.errors import SSError
from ss_core.rendering.house import PRIMARY_DTA
from ss_core.usecases.inputs import settle_inputs
from ss_core.usecases.services import Services


def staged_key(job: Job) -> str:
    assert job.inputs is not None
    primary = job.inputs.primary
    sheet = hashlib.sha256((primary.sheet_name or "").encode("utf-8")).hexdigest()[:12]
    return f"jobs/{job.job_id}/staged/{primary.sha256[:24]}-{sheet}/{PRIMARY_DTA}"


async def stage_primary(services: Services, job: Job) -> str:
    """The staged ``.dta`` key of the job's primary dataset, converting it if needed."""
    assert job.inputs is not None
    key = staged_key(job)
    if await services.store.exists(key):
        return key
    primary = job.inputs.primary
    staged = await services.inspector.stage_dta(
        primary.object_key, primary.format, InspectOptions(sheet_name=primary.sheet_name), key)
    return staged.key


async def _recorded_content(services: Services, job: Job) -> None:
    """The stored primary still hashes to the sha256 recorded at upload (so a staged file
    always stands for the recorded content; the worker's own checks rely on it)."""
    assert job.inputs is not None
    primary = job.inputs.primary
    if await services.store.content_sha256(primary.object_key) != primary.sha256:
        raise SSError("the stored primary dataset no longer has its recorded content",
                      code="INPUT_INTEGRITY_FAILED", dataset_key=primary.dataset_key)


async def stage_ahead(services: Services, job_id: str) -> SSError | None:
    """Stage the job's current primary ahead of its first run, whatever its size (the
    conversion streams in bounded chunks, and the service's inspector runs it in a child
    process so the API does not grow with the file); a failure is returned, never raised:
    the worker stages again and reports it then. An upload still being inspected is waited
    for first: its manifest names what to stage."""
    try:
        await settle_inputs(services, job_id, until_done=True)
        job = await services.jobs.get(job_id)
        if job.inputs is None:
            return None
        if await services.store.exists(staged_key(job)):
            return None
        await _recorded_content(services, job)
        await stage_primary(services, job)
    except SSError as exc:
        return exc
    return None
