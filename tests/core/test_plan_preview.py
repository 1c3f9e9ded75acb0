"""The plan preview is the freeze's own plan, built by the same code and stored nowhere."""

from __future__ import annotations

import pytest

from ss_core.domain.job import JobStatus
from ss_core.errors import SSError
from ss_core.usecases.access import issue_task_codes, redeem
from ss_core.usecases.archive import list_artifacts
from ss_core.usecases.draft import DraftPatch, draft_preview, patch_draft
from ss_core.usecases.inputs import upload_inputs
from ss_core.usecases.plan import FreezeRequest, freeze, preview_plan
from tests.core.journey_kit import make_kit
from tests.core.test_embedding_journey import upload


async def drafted(kit, requirement="OLS regression of wage on education"):
    [code] = await issue_task_codes(kit.services, count=1, expires_in_days=1)
    redeemed = await redeem(kit.services, code.task_code, requirement)
    await upload_inputs(kit.services, redeemed.job_id, upload())
    await draft_preview(kit.services, redeemed.job_id)
    return redeemed.job_id


async def test_the_preview_is_the_plan_freeze_then_freezes_and_changes_nothing():
    kit = make_kit(roles={"outcome": "v1_525353", "treatment": "educ", "cluster": "firm"})
    job_id = await drafted(kit)
    before = await kit.services.jobs.get(job_id)
    artifacts = len(await list_artifacts(kit.services, job_id))
    preview = await preview_plan(kit.services, job_id, FreezeRequest())
    after = await kit.services.jobs.get(job_id)
    assert after.status is JobStatus.DRAFT_READY and after.version == before.version
    assert after.plan is None and len(await list_artifacts(kit.services, job_id)) == artifacts
    assert (await freeze(kit.services, job_id, FreezeRequest())).plan_id == preview.plan_id


async def test_the_preview_follows_the_draft_and_refuses_as_freeze_does():
    kit = make_kit(roles={"treatment": "educ"})
    job_id = await drafted(kit, "多元回归 OLS")
    with pytest.raises(SSError) as err:
        await preview_plan(kit.services, job_id, FreezeRequest())
    assert err.value.error_code == "PLAN_FREEZE_MISSING_REQUIRED"
    await patch_draft(kit.services, job_id, DraftPatch(field_updates={"outcome_var": "工资"}))
    plan = await preview_plan(kit.services, job_id, FreezeRequest())
    assert plan.params_contract.bound_values["depvar"] == "v1_525353"
    assert (await kit.services.jobs.get(job_id)).plan is None
