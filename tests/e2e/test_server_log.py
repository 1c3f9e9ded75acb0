"""The server log (one JSON object a line on stderr, secrets never in it) and the metrics of
the same journey (runs by template and outcome, LLM calls and tokens, Stata, uploads).

A real ``ssctl serve`` process (stdout and stderr in one file) is driven through a journey
that touches the secrets (task code, bearer token, admin token), plus requests that fail
(wrong token, unknown route, an unexpected server error when the server has one). Afterwards
every log line parses as JSON and none contains a secret; lifecycle steps and access lines
are structured events.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.e2e.stack import ADMIN_TOKEN, Analyst, running_stack
from tests.e2e.test_journey_real_http import WAGES, column, upload, wait_status

pytestmark = pytest.mark.slow


def test_server_log_is_json_and_never_holds_a_secret(tmp_path: Path) -> None:
    analyst = Analyst(prefer="ols_robust")
    admin = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
    with running_stack(tmp_path, analyst, SS_LOG_FORMAT="json") as (server, _), \
            server.client() as client:
        r = client.post("/api/admin/task-codes", json={"count": 1}, headers=admin)
        code = r.json()["task_codes"][0]["task_code"]
        r = client.post("/v1/task-codes/redeem", json={"task_code": code, "requirement": "OLS"})
        job_id, token = r.json()["job_id"], r.json()["token"]
        auth = {"Authorization": f"Bearer {token}"}
        upload(client, job_id, auth, WAGES)
        analyst.roles = {"outcome": column(client, job_id, auth, "工资"), "treatment": "educ"}
        client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
        assert client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth,
                           json={}).status_code == 200
        client.post(f"/v1/jobs/{job_id}/run", headers=auth)
        wait_status(client, job_id, auth, {"succeeded", "failed"})
        client.get(f"/v1/jobs/{job_id}", headers={"Authorization": f"Bearer {token}x"})
        client.get("/v1/no-such-route", headers=auth)
        client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth,
                    json={"template_id": "ols_basic", "params": {"level": int("9" * 401)}})
        client.post("/v1/task-codes/redeem", json={"task_code": code + "x", "requirement": "x"})
        metrics = client.get("/metrics").text
    for line in (
        'ss_runs_finished_total{outcome="succeeded",template="ols_robust"} 1.0',
        'ss_llm_calls_total{operation="draft",outcome="ok"} 1.0',
        'ss_llm_calls_total{operation="select_template",outcome="ok"} 1.0',
        'ss_llm_tokens_total{kind="prompt",operation="draft"}',
        'ss_stata_run_seconds_count{outcome="ok"} 1.0',
        "ss_run_queue_wait_seconds_count 1.0",
        'ss_upload_seconds_count{outcome="ok"} 1.0',
        "ss_upload_bytes_count 1.0",
        'ss_runs{state="queued"} 0.0',
        'ss_http_requests_total{app_name="ss",method="POST",'
        'path="/v1/jobs/{job_id}/inputs/upload",status_code="200"} 1.0',
    ):
        assert line in metrics, line
    text = (tmp_path / "server.log").read_text(encoding="utf-8")
    for secret in (token, code, ADMIN_TOKEN):
        assert secret not in text
    announcement = ("SS is ", "  ")  # `ssctl serve` prints the page addresses on stdout
    events = [json.loads(line) for line in text.splitlines()
              if line.strip() and not line.startswith(announcement)]
    assert events and all({"event", "level", "timestamp"} <= e.keys() for e in events)
    names = {e["event"] for e in events}
    assert {"task_code.redeemed", "inputs.uploaded", "plan.frozen", "run.queued",
            "run.claimed", "run.finished", "http_request"} <= names
    finished = next(e for e in events if e["event"] == "run.finished")
    assert finished["job_id"] == job_id and finished["template_id"] == "ols_robust"
    assert finished["outcome"] == "succeeded" and finished["duration_seconds"] >= 0
    assert "error_code" in finished
    requests = [e for e in events if e["event"] == "http_request"]
    assert any(e["status"] == 404 for e in requests)
    assert not any("locals" in json.dumps(e) for e in events)
