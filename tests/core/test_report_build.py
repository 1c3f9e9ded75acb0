"""The worker builds the results report after a run succeeds; a report never changes the job."""

from __future__ import annotations

import io

import pytest
from docx import Document

from ss_core.domain.artifact import ArtifactKind
from ss_core.domain.job import JobStatus
from ss_core.errors import SSError
from ss_core.usecases.access import issue_task_codes, redeem
from ss_core.usecases.archive import list_artifacts
from ss_core.usecases.report import ReportBuilt, ReportFailed, ReportRequest, build_report
from tests.core.journey_kit import make_kit

ROLES = {"outcome": "v1_525353", "treatment": "educ", "cluster": "firm"}
RESULTS = (b"step,term,estimate,std_error,statistic,p_value,ci_lower,ci_upper,n_obs,r2\n"
           b"main,educ,0.812345,0.1012,8.03,0.0004,0.61,1.01,3,0.91\n")
GROUNDED = {"findings": [{"text": "Each year of education goes with 0.8123 more in wage "
                                  "(p = 0.0004).",
                          "citations": [{"table": "ss_results.csv", "row": 1,
                                         "column": "estimate", "value": "0.8123"},
                                        {"table": "ss_results.csv", "row": 1,
                                         "column": "p_value", "value": "0.0004"}]}],
            "caveats": ["Three observations only."], "next_steps": []}


def reports_of(artifacts):
    return {a.rel_path.rsplit("/", 1)[-1]: a for a in artifacts
            if a.kind in (ArtifactKind.REPORT, ArtifactKind.REPORT_ERROR)}


async def test_a_succeeded_run_gets_html_docx_and_xlsx_with_a_grounded_interpretation():
    kit = make_kit(roles=ROLES)
    kit.runner.outputs["ss_results.csv"] = RESULTS
    kit.llm.interpretations = [GROUNDED]
    job_id = (await kit.job(until="succeeded")).job_id
    artifacts = await list_artifacts(kit.services, job_id)
    reports = reports_of(artifacts)
    assert set(reports) == {"report.html", "report.docx", "tables.xlsx"}
    assert all(len(a.sha256) == 64 and a.size_bytes > 0 for a in reports.values())
    html = (await kit.store.get_bytes(reports["report.html"].object_key)).decode()
    assert "0.8123" in html and "ss_results.csv" in html and "OLS regression" in html
    assert "<script" not in html and "http://" not in html and "https://" not in html
    doc = Document(io.BytesIO(await kit.store.get_bytes(reports["report.docx"].object_key)))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Each year of education goes with 0.8123" in text
    assert any(a.kind is ArtifactKind.LLM_TRACE and "/llm/interpret-" in a.rel_path
               for a in artifacts)
    assert (await kit.services.jobs.get(job_id)).status is JobStatus.SUCCEEDED


async def test_a_report_that_cannot_be_written_is_an_error_artifact_and_the_job_stays_succeeded():
    kit = make_kit(roles=ROLES)

    class Broken:
        async def write(self, report):
            raise SSError("disk full", code="REPORT_BUILD_FAILED")
    import dataclasses
    kit.services = dataclasses.replace(kit.services, report_writer=Broken())
    job_id = (await kit.job(until="succeeded")).job_id
    reports = reports_of(await list_artifacts(kit.services, job_id))
    assert set(reports) == {"report_error.json"}
    body = await kit.store.get_bytes(reports["report_error.json"].object_key)
    assert b"REPORT_BUILD_FAILED" in body
    assert (await kit.services.jobs.get(job_id)).status is JobStatus.SUCCEEDED


async def test_a_report_on_demand_in_another_language_without_interpretation():
    kit = make_kit(roles=ROLES)
    job_id = (await kit.job(until="succeeded", requirement="OLS 稳健回归：工资对教育")).job_id
    default = [a for a in reports_of(await list_artifacts(kit.services, job_id)).values()]
    assert all(a.meta["language"] == "zh" for a in default)
    outcome = await build_report(kit.services, job_id,
                                 ReportRequest(language="en", interpretation=False))
    assert isinstance(outcome, ReportBuilt) and outcome.language == "en"
    assert outcome.interpretation == "not_requested"
    assert {a.rel_path.rsplit("/", 1)[-1] for a in outcome.artifacts} == {
        "report.html", "report.docx", "tables.xlsx"}
    html = await kit.store.get_bytes(outcome.artifacts[0].object_key)
    assert b"No interpretation was requested" in html


async def test_a_lying_interpretation_is_omitted_and_the_report_says_why():
    kit = make_kit(roles=ROLES)
    kit.runner.outputs["ss_results.csv"] = RESULTS
    lie = {"findings": [{"text": "Wages rise by 12.5 per year.", "citations": []}],
           "caveats": [], "next_steps": []}
    kit.llm.interpretations = [lie, lie]
    job_id = (await kit.job(until="succeeded")).job_id
    reports = reports_of(await list_artifacts(kit.services, job_id))
    html = (await kit.store.get_bytes(reports["report.html"].object_key)).decode()
    assert "Interpretation omitted" in html and "12.5" not in html


async def test_no_report_before_the_run_succeeds():
    kit = make_kit(roles=ROLES)
    [code] = await issue_task_codes(kit.services, count=1, expires_in_days=1)
    redeemed = await redeem(kit.services, code.task_code, "OLS")
    with pytest.raises(SSError) as err:
        await build_report(kit.services, redeemed.job_id)
    assert err.value.error_code == "JOB_STATE_CONFLICT"


async def test_failed_outcome_type_is_returned_not_raised():
    kit = make_kit(roles=ROLES)
    job_id = (await kit.job(until="succeeded")).job_id
    import dataclasses
    kit.services = dataclasses.replace(kit.services, report_writer=None)
    outcome = await build_report(kit.services, job_id)
    assert isinstance(outcome, ReportFailed) and outcome.error_code == "REPORT_BUILD_FAILED"
