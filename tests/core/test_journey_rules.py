"""Journey rules that had no test of their own: task-code states, plan conflicts, locked
inputs, draft patch errors, no-candidate selection, graceful release of a run."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from ss_core.domain.job import JobStatus
from ss_core.domain.run import RunStatus
from ss_core.errors import SSError
from ss_core.usecases.access import issue_task_codes, redeem
from ss_core.usecases.draft import DraftPatch, draft_preview, patch_draft
from ss_core.usecases.execute import execute_claim
from ss_core.usecases.inputs import upload_inputs
from ss_core.usecases.plan import FreezeRequest, freeze
from ss_core.usecases.runs import ConfirmRequest, confirm, enqueue_run
from tests.core.journey_kit import make_kit, upload

ROLES = {"outcome": "v1_525353", "treatment": "educ", "cluster": "firm"}


async def error_of(awaitable) -> SSError:
    with pytest.raises(SSError) as err:
        await awaitable
    return err.value


async def test_expired_and_revoked_codes_cannot_be_redeemed():
    kit = make_kit()
    [expired, revoked] = await issue_task_codes(kit.services, count=2, expires_in_days=1)
    kit.clock.advance(timedelta(days=2).total_seconds())
    assert (await error_of(redeem(kit.services, expired.task_code, "x"))).error_code == \
        "TASK_CODE_EXPIRED"
    await kit.services.task_codes.revoke(revoked.task_code_id, kit.clock.now())
    assert (await error_of(redeem(kit.services, revoked.task_code, "x"))).error_code == \
        "TASK_CODE_REVOKED"


async def test_a_different_freeze_after_one_exists_is_a_conflict():
    kit = make_kit(roles=ROLES)
    job_id = (await kit.job(until="plan_frozen")).job_id
    err = await error_of(freeze(kit.services, job_id, FreezeRequest(params={"level": 90})))
    assert err.error_code == "PLAN_CONFLICT" and err.context["frozen_plan_id"]


async def test_inputs_and_draft_are_locked_once_the_plan_is_frozen():
    kit = make_kit(roles=ROLES)
    job_id = (await kit.job(until="plan_frozen")).job_id
    assert (await error_of(upload_inputs(kit.services, job_id, upload()))).error_code == \
        "JOB_STATE_CONFLICT"
    assert (await error_of(patch_draft(kit.services, job_id,
            DraftPatch(field_updates={"outcome_var": "educ"})))
            ).error_code == "JOB_STATE_CONFLICT"


async def test_draft_patch_names_unknown_fields_and_columns():
    kit = make_kit(roles=ROLES)
    [code] = await issue_task_codes(kit.services, count=1, expires_in_days=1)
    job_id = (await redeem(kit.services, code.task_code, "OLS regression")).job_id
    await upload_inputs(kit.services, job_id, upload())
    await draft_preview(kit.services, job_id)
    err = await error_of(patch_draft(kit.services, job_id,
            DraftPatch(field_updates={"favourite_colour": "blue"})))
    assert err.error_code == "DRAFT_FIELD_UNKNOWN" and "outcome_var" in err.context[
        "allowed_fields"]
    err = await error_of(patch_draft(kit.services, job_id,
            DraftPatch(field_updates={"outcome_var": "no_such_column"})))
    assert err.error_code == "DRAFT_VARIABLE_UNKNOWN"


async def test_a_request_no_template_matches_is_a_structured_error():
    kit = make_kit()
    [code] = await issue_task_codes(kit.services, count=1, expires_in_days=1)
    job_id = (await redeem(kit.services, code.task_code, "zzzz qqqq")).job_id
    await upload_inputs(kit.services, job_id, upload())
    kit.llm.goal = "zzzz"
    err = await error_of(draft_preview(kit.services, job_id))
    assert err.error_code == "TEMPLATE_SELECTION_NO_CANDIDATES"
    job = await kit.services.jobs.get(job_id)
    assert job.status is JobStatus.INPUTS_UPLOADED and job.draft is None


async def test_confirm_false_freezes_without_queueing_and_true_queues():
    kit = make_kit(roles=ROLES)
    [code] = await issue_task_codes(kit.services, count=1, expires_in_days=1)
    job_id = (await redeem(kit.services, code.task_code, "OLS regression")).job_id
    await upload_inputs(kit.services, job_id, upload())
    await draft_preview(kit.services, job_id)
    job, run = await confirm(kit.services, job_id, ConfirmRequest(confirmed=False))
    assert job.status is JobStatus.PLAN_FROZEN and run is None
    job, run = await confirm(kit.services, job_id, ConfirmRequest(confirmed=True))
    assert job.status is JobStatus.QUEUED and run is not None


async def test_a_cancelled_attempt_releases_its_lease_for_another_worker():
    kit = make_kit(roles=ROLES)
    job_id = (await kit.job(until="plan_frozen")).job_id
    await enqueue_run(kit.services, job_id)
    started = asyncio.Event()

    async def hanging_run(job):
        started.set()
        await asyncio.sleep(3600)

    kit.runner.run = hanging_run
    claim = await kit.services.runs.claim("w1", 30, kit.clock.now())
    task = asyncio.create_task(execute_claim(kit.services, claim))
    await started.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    run = await kit.services.runs.get(claim.run.run_id)
    assert run.status is RunStatus.QUEUED
    again = await kit.services.runs.claim("w2", 30, kit.clock.now())
    assert again is not None and again.claim_count == 2


async def test_the_worker_sweeps_abandoned_runs_once_per_half_lease_not_every_poll():
    from ss_core.usecases.worker import Worker

    kit = make_kit()
    sweeps = []
    original = kit.services.runs.expire_exhausted

    async def counting(now):
        sweeps.append(now)
        return await original(now)

    kit.services.runs.expire_exhausted = counting
    worker = Worker(kit.services, "w")
    for _ in range(5):
        assert await worker.run_once() is False
    assert len(sweeps) == 1
    kit.clock.advance(kit.services.policies.lease_seconds / 2 + 1)
    await worker.run_once()
    assert len(sweeps) == 2
