"""The results report over real HTTP: a journey ends with report.html, report.docx and
tables.xlsx downloadable (built by the worker), and ``POST /v1/jobs/{id}/report`` rebuilds it."""

from __future__ import annotations

import hashlib
import io
import time
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.e2e.stack import Analyst, running_stack
from tests.e2e.test_journey_real_http import WAGES, column, new_job, upload, wait_status

pytestmark = pytest.mark.slow
REPORT_FILES = {"report.html", "report.docx", "tables.xlsx"}


def report_items(client, job_id, auth, timeout: float = 30) -> list[dict]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        items = client.get(f"/v1/jobs/{job_id}/artifacts", headers=auth).json()["artifacts"]
        reports = [a for a in items if a["kind"] in ("report", "report_error")]
        if {a["rel_path"].rsplit("/", 1)[-1] for a in reports} >= REPORT_FILES:
            return reports
        time.sleep(0.2)
    raise AssertionError(f"no report artifacts: {reports}")


def test_a_journey_ends_with_the_three_report_artifacts_downloadable(tmp_path: Path) -> None:
    analyst = Analyst(prefer="ols_robust")
    with running_stack(tmp_path, analyst) as (server, _), server.client() as client:
        job_id, auth = new_job(client, "OLS 稳健回归：工资对教育，按企业聚类")
        upload(client, job_id, auth, WAGES, "工资数据.csv")
        wage = column(client, job_id, auth, "工资")
        analyst.roles = {"outcome": wage, "treatment": "educ", "cluster": "firm"}
        client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
        r = client.post(f"/v1/jobs/{job_id}/report", headers=auth, json={})
        assert r.status_code == 409 and r.json()["error_code"] == "JOB_STATE_CONFLICT"
        r = client.post(f"/v1/jobs/{job_id}/plan/preview", headers=auth, json={"notes": None})
        assert r.status_code == 200, r.text
        previewed = r.json()["plan"]["plan_id"]
        assert client.get(f"/v1/jobs/{job_id}", headers=auth).json()["status"] == "draft_ready"
        r = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth, json={})
        assert r.status_code == 200 and r.json()["plan"]["plan_id"] == previewed
        assert client.post(f"/v1/jobs/{job_id}/run", headers=auth).status_code == 202
        assert wait_status(client, job_id, auth, {"succeeded", "failed"})["status"] == \
            "succeeded"
        for item in report_items(client, job_id, auth):
            r = client.get(f"/v1/jobs/{job_id}/artifacts/{item['rel_path']}", headers=auth)
            assert r.status_code == 200
            assert hashlib.sha256(r.content).hexdigest() == item["sha256"]
            name = item["rel_path"].rsplit("/", 1)[-1]
            if name == "report.docx":
                text = "\n".join(p.text for p in Document(io.BytesIO(r.content)).paragraphs)
                assert "分析报告" in text  # the request's language
            if name == "tables.xlsx":
                assert "ss_results" in load_workbook(io.BytesIO(r.content)).sheetnames
        r = client.post(f"/v1/jobs/{job_id}/report", headers=auth,
                        json={"language": "en", "interpretation": False})
        assert r.status_code == 200, r.text
        body = r.json()
        assert body["status"] == "built" and body["language"] == "en"
        assert body["interpretation"] == "not_requested"
        assert {a["rel_path"].rsplit("/", 1)[-1] for a in body["artifacts"]} == REPORT_FILES
        html = next(a for a in body["artifacts"] if a["rel_path"].endswith(".html"))
        r = client.get(f"/v1/jobs/{job_id}/artifacts/{html['rel_path']}", headers=auth)
        assert b"Analysis report" in r.content
        r = client.post(f"/v1/jobs/{job_id}/report", headers=auth, json={"language": "fr"})
        assert r.status_code == 400
