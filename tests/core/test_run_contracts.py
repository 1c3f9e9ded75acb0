"""Run-side contracts through ss_core: the library reaches the run, a missing Stata package is
a named, retryable failure, and required declared outputs are enforced."""

from __future__ import annotations

from ss_core.domain.job import JobStatus
from ss_core.usecases.archive import list_artifacts
from ss_core.usecases.runs import enqueue_run
from ss_core.usecases.worker import Worker
from tests.core.journey_kit import make_kit
from tests.doubles.inprocess_stata import InProcessStata

PANEL = b"firm,year,y,x\n1,2020,1.0,2.0\n1,2021,1.5,2.5\n2,2020,0.5,1.0\n2,2021,0.7,1.4\n"
WAGES = b"wage,educ,firm\n10.5,12,1\n12.0,16,2\n9.0,10,1\n"


async def _frozen(kit, data: bytes, requirement: str):
    job = await kit.job(until="plan_frozen", requirement=requirement, data=data, name="data.csv")
    return job.job_id, job.plan


async def test_missing_package_is_named_and_the_run_retries_after_install():
    kit = make_kit(roles={"outcome": "y", "regressors": ["x"], "unit_id": "firm",
                          "time": "year"})
    kit.llm.choose = "panel_hdfe_reghdfe"
    job_id, plan = await _frozen(kit, PANEL, "reghdfe of y on x, firm and year effects")
    ssc = {d.name: d.provides_commands for d in plan.dependencies if d.kind == "ssc"}
    assert "reghdfe" in ssc
    await enqueue_run(kit.services, job_id)
    assert await Worker(kit.services, "w").run_once() is JobStatus.FAILED
    job = await kit.services.jobs.get(job_id)
    assert job.error is not None and job.error.error_code == "STATA_DEPENDENCY_MISSING"
    assert "reghdfe" in job.error.details["missing_packages"]
    assert kit.runner.jobs == []  # refused before Stata ran
    kit.runner.installed = {cmd for cmds in ssc.values() for cmd in cmds}
    _, run = await enqueue_run(kit.services, job_id)
    assert run.attempt == 2
    assert await Worker(kit.services, "w").run_once() is JobStatus.SUCCEEDED
    runs = {a.run_id for a in await list_artifacts(kit.services, job_id) if a.run_id}
    assert len(runs) == 2  # each attempt archived under its own run id


async def test_rendered_do_file_starts_with_the_frozen_template_header():
    kit = make_kit(roles={"outcome": "wage", "treatment": "educ"})
    kit.llm.choose = "ols_robust"
    job_id, plan = await _frozen(kit, WAGES, "OLS of wage on education")
    assert plan.template.template_id == "ols_robust" and plan.template.rationale
    template = kit.services.library.get("ols_robust")
    assert plan.template.content_sha256 == template.content_sha256
    await enqueue_run(kit.services, job_id)
    assert await Worker(kit.services, "w").run_once() is JobStatus.SUCCEEDED
    lines = kit.runner.jobs[0].do_file.splitlines()
    assert lines[1] == (f"* template ols_robust {template.meta.version} "
                        f"sha256:{template.content_sha256}")
    assert lines[2] == f"* plan {plan.plan_id}"


class SilentStata(InProcessStata):
    """Runs 'successfully' but never writes the results table."""

    async def run(self, job):
        result = await super().run(job)
        files = tuple(f for f in result.files if f.name != "ss_results.csv")
        return type(result)(**{**{f: getattr(result, f) for f in result.__struct_fields__},
                               "files": files})


async def test_a_required_declared_output_that_is_missing_fails_the_run():
    kit = make_kit(roles={"outcome": "wage", "treatment": "educ"})
    kit.llm.choose = "ols_robust"
    silent = SilentStata(kit.store)
    object.__setattr__(kit.services, "runner", silent)
    job_id, plan = await _frozen(kit, WAGES, "OLS of wage on education")
    assert any(o.file == "ss_results.csv" and o.required
               for o in plan.outputs_contract.declared)
    await enqueue_run(kit.services, job_id)
    assert await Worker(kit.services, "w").run_once() is JobStatus.FAILED
    job = await kit.services.jobs.get(job_id)
    assert job.error is not None and job.error.error_code == "OUTPUT_CONTRACT_VIOLATION"
    assert job.error.details["missing_outputs"] == ["ss_results.csv"]
    indexed = {a.rel_path.rsplit("/", 1)[-1]: a for a in await list_artifacts(kit.services,
                                                                              job_id)}
    assert all(len(a.sha256) == 64 for a in indexed.values())
