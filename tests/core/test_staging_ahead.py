"""Staging the primary's .dta ahead of the first run: once per content and sheet, reused by
the worker, for files of any size, and never an error for the caller."""

from __future__ import annotations

from ss_core.domain.job import JobStatus
from ss_core.errors import SSError
from ss_core.usecases import staging
from ss_core.usecases.draft import draft_preview
from ss_core.usecases.inputs import upload_inputs
from ss_core.usecases.plan import FreezeRequest, freeze
from ss_core.usecases.runs import enqueue_run
from ss_core.usecases.worker import Worker
from tests.core.journey_kit import make_kit
from tests.core.test_embedding_journey import start, upload

ROLES = {"outcome": "v1_525353", "treatment": "educ"}


async def test_a_dataset_staged_ahead_is_the_one_the_run_uses():
    kit = make_kit(roles=ROLES)
    _, redeemed = await start(kit)
    await upload_inputs(kit.services, redeemed.job_id, upload())
    assert await staging.stage_ahead(kit.services, redeemed.job_id) is None
    assert await staging.stage_ahead(kit.services, redeemed.job_id) is None  # already there
    assert len(kit.services.inspector.staged) == 1
    job = await kit.services.jobs.get(redeemed.job_id)
    assert await kit.services.store.exists(staging.staged_key(job))
    await draft_preview(kit.services, redeemed.job_id)
    await freeze(kit.services, redeemed.job_id, FreezeRequest())
    await enqueue_run(kit.services, redeemed.job_id)
    assert await Worker(kit.services, "w1").run_once() is JobStatus.SUCCEEDED
    assert len(kit.services.inspector.staged) == 1  # the worker converted nothing
    assert [j.inputs[0].object_key for j in kit.runner.jobs] == [staging.staged_key(job)]


async def test_files_of_any_size_are_staged_ahead():
    kit = make_kit(roles=ROLES)
    _, redeemed = await start(kit)
    await upload_inputs(kit.services, redeemed.job_id, upload())
    assert not hasattr(staging, "STAGE_AHEAD_MAX_BYTES")  # no size is left to the worker
    assert await staging.stage_ahead(kit.services, redeemed.job_id) is None
    assert len(kit.services.inspector.staged) == 1


async def test_a_failure_is_returned_not_raised():
    kit = make_kit(roles=ROLES)
    _, redeemed = await start(kit)
    await upload_inputs(kit.services, redeemed.job_id, upload())

    async def broken(*args, **kwargs):
        raise SSError("cannot convert", code="INPUT_PARSE_FAILED")

    kit.services.inspector.stage_dta = broken
    problem = await staging.stage_ahead(kit.services, redeemed.job_id)
    assert problem is not None and problem.error_code == "INPUT_PARSE_FAILED"
    assert await staging.stage_ahead(kit.services, "job_unknown") is not None
