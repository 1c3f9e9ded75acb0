"""The whole journey through ss_core alone, as an embedding service would drive it."""

from __future__ import annotations

import pytest

from ss_core.domain.job import JobStatus
from ss_core.errors import SSError
from ss_core.usecases.access import authorize, issue_task_codes, redeem
from ss_core.usecases.archive import list_artifacts
from ss_core.usecases.draft import DraftPending, draft_preview, patch_draft
from ss_core.usecases.inputs import upload_inputs
from ss_core.usecases.plan import FreezeRequest, freeze
from ss_core.usecases.runs import enqueue_run
from ss_core.usecases.worker import Worker
from tests.core.journey_kit import make_kit, upload


async def start(kit, requirement="OLS regression of wage on education, cluster by firm"):
    [code] = await issue_task_codes(kit.services, count=1, expires_in_days=1)
    redeemed = await redeem(kit.services, code.task_code, requirement)
    return code, redeemed


async def test_journey_to_succeeded_with_indexed_artifacts():
    kit = make_kit(roles={"outcome": "v1_525353", "treatment": "educ", "cluster": "firm"})
    code, redeemed = await start(kit)
    job_id = redeemed.job_id
    await authorize(kit.services, redeemed.token, job_id)
    assert isinstance(await draft_preview(kit.services, job_id), DraftPending)
    manifest = await upload_inputs(kit.services, job_id, upload())
    assert manifest.normalizations[0].original_name == "工资"
    job = await draft_preview(kit.services, job_id)
    assert job.selection.template_id == "ols_robust"
    calls = len(kit.llm.calls)
    await draft_preview(kit.services, job_id)
    assert len(kit.llm.calls) == calls  # cached: no second LLM call
    plan = await freeze(kit.services, job_id, FreezeRequest())
    contract = plan.params_contract
    from_draft = {k: v for k, v in contract.bound_values.items()
                  if contract.sources[k] != "default"}
    assert from_draft == {"clustvar": "firm", "depvar": "v1_525353", "treatvar": "educ"}
    defaults = {p.name: p.default for p in kit.services.library.get("ols_robust").meta.parameters
                if p.default is not None}
    assert {k: v for k, v in contract.bound_values.items() if k not in from_draft} == defaults
    assert (await freeze(kit.services, job_id, FreezeRequest())).plan_id == plan.plan_id
    job, run = await enqueue_run(kit.services, job_id)
    assert job.status is JobStatus.QUEUED
    assert await Worker(kit.services, "w1").run_once() is JobStatus.SUCCEEDED
    kinds = {a.kind.value for a in await list_artifacts(kit.services, job_id)}
    assert {"input", "inputs_manifest", "llm_trace", "draft", "selection_evidence", "plan",
            "do_file", "stata_log", "run_meta", "output_table"} <= kinds
    [job_do] = [s for s in kit.runner.jobs]
    assert "local clustvar firm" in job_do.do_file
    again = await redeem(kit.services, code.task_code, "ignored")
    assert again.job_id == job_id and again.is_idempotent


async def test_missing_parameter_is_named_then_supplied():
    kit = make_kit(roles={"treatment": "educ"})
    _, redeemed = await start(kit, "多元回归 OLS")
    await upload_inputs(kit.services, redeemed.job_id, upload())
    job = await draft_preview(kit.services, redeemed.job_id)
    assert any(u.blocking and u.field == "outcome_var" for u in job.draft.open_unknowns)
    with pytest.raises(SSError) as err:
        await freeze(kit.services, redeemed.job_id, FreezeRequest())
    assert err.value.error_code == "PLAN_FREEZE_MISSING_REQUIRED"
    assert err.value.context["missing_params"] == ["depvar"]
    job = await patch_draft(kit.services, redeemed.job_id, {"outcome_var": "工资"})
    assert job.draft.roles["outcome"] == "v1_525353"
    plan = await freeze(kit.services, redeemed.job_id, FreezeRequest())
    assert plan.params_contract.bound_values["depvar"] == "v1_525353"


async def test_failed_run_is_retried_to_success():
    kit = make_kit(roles={"outcome": "v1_525353", "treatment": "educ"})
    _, redeemed = await start(kit)
    await upload_inputs(kit.services, redeemed.job_id, upload())
    await draft_preview(kit.services, redeemed.job_id)
    await freeze(kit.services, redeemed.job_id, FreezeRequest())
    kit.runner.fail_rc = 2000
    await enqueue_run(kit.services, redeemed.job_id)
    assert await Worker(kit.services, "w1").run_once() is JobStatus.FAILED
    job = await kit.services.jobs.get(redeemed.job_id)
    assert job.error is not None and job.error.error_code == "STATA_DATA_EMPTY"
    kit.runner.fail_rc = None
    job, run = await enqueue_run(kit.services, redeemed.job_id)
    assert run.attempt == 2
    assert await Worker(kit.services, "w1").run_once() is JobStatus.SUCCEEDED


async def test_token_of_one_job_is_forbidden_on_another():
    kit = make_kit()
    _, first = await start(kit)
    _, second = await start(kit)
    with pytest.raises(SSError) as err:
        await authorize(kit.services, first.token, second.job_id)
    assert err.value.error_code == "AUTH_TOKEN_FORBIDDEN"
    with pytest.raises(SSError) as err:
        await authorize(kit.services, "nope", second.job_id)
    assert err.value.error_code == "AUTH_TOKEN_INVALID"


async def test_llm_not_configured_is_a_structured_error():
    kit = make_kit()
    _, redeemed = await start(kit)
    await upload_inputs(kit.services, redeemed.job_id, upload())
    object.__setattr__(kit.services, "llm", None)
    with pytest.raises(SSError) as err:
        await draft_preview(kit.services, redeemed.job_id)
    assert err.value.error_code == "LLM_NOT_CONFIGURED"


async def test_preview_is_computed_once_at_upload_not_per_request():
    from ss_core.usecases.inputs import preview_inputs

    kit = make_kit()
    _, redeemed = await start(kit)
    manifest = await upload_inputs(kit.services, redeemed.job_id, upload())
    calls = []
    original = kit.services.inspector.inspect

    async def counting(*args, **kwargs):
        calls.append(args)
        return await original(*args, **kwargs)

    kit.services.inspector.inspect = counting
    _, preview = await preview_inputs(kit.services, redeemed.job_id, rows=2)
    assert calls == [] and len(preview.sample_rows) == 2
    assert preview.schema == manifest.primary_schema
    kit.store.objects = {k: v for k, v in kit.store.objects.items() if "/previews/" not in k}
    _, again = await preview_inputs(kit.services, redeemed.job_id, rows=3)
    assert len(calls) == 1 and len(again.sample_rows) == 3


async def test_a_retry_reuses_the_staged_dataset():
    kit = make_kit(roles={"outcome": "v1_525353", "treatment": "educ"})
    _, redeemed = await start(kit)
    await upload_inputs(kit.services, redeemed.job_id, upload())
    await draft_preview(kit.services, redeemed.job_id)
    await freeze(kit.services, redeemed.job_id, FreezeRequest())
    kit.runner.fail_rc = 2000
    await enqueue_run(kit.services, redeemed.job_id)
    await Worker(kit.services, "w1").run_once()
    kit.runner.fail_rc = None
    await enqueue_run(kit.services, redeemed.job_id)
    assert await Worker(kit.services, "w1").run_once() is JobStatus.SUCCEEDED
    assert len(kit.services.inspector.staged) == 1
    assert len({job.inputs[0].object_key for job in kit.runner.jobs}) == 1
