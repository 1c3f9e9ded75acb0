"""The journey over real HTTP against a real `ssctl serve` process (real adapters, doubles
only behind the LLM endpoint and the Stata executable)."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.stack import (
    ADMIN_TOKEN,
    Analyst,
    Server,
    SSProcess,
    free_port,
    install_ado,
    running_stack,
    stack_env,
)

pytestmark = pytest.mark.slow

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
WAGES = "工资,educ,firm,exper\n10.5,12,1,3\n12.0,16,2,5\n9.0,10,1,1\n14.2,18,3,9\n11.1,14,2,4\n"
PANEL = "id,year,y,x,treat\n" + "".join(
    f"{i},{t},{1.5 * i + 0.3 * t},{i * t % 7},{int(i % 2 == 0 and t > 2002)}\n"
    for i in range(1, 7) for t in range(2000, 2006))


def new_job(client: httpx.Client, requirement: str) -> tuple[str, dict[str, str]]:
    r = client.post("/api/admin/task-codes", json={"count": 1}, headers=ADMIN)
    assert r.status_code == 201, r.text
    code = r.json()["task_codes"][0]["task_code"]
    r = client.post("/v1/task-codes/redeem", json={"task_code": code, "requirement": requirement})
    assert r.status_code == 200, r.text
    return r.json()["job_id"], {"Authorization": f"Bearer {r.json()['token']}"}


def upload(client, job_id, auth, text: str, name: str = "data.csv") -> dict:
    r = client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth,
                    files={"file": (name, text.encode("utf-8"), "text/csv")})
    assert r.status_code == 200, r.text
    return r.json()


def wait_status(client, job_id, auth, wanted: set[str], timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        body = client.get(f"/v1/jobs/{job_id}", headers=auth).json()
        if body["status"] in wanted:
            return body
        time.sleep(0.2)
    raise AssertionError(f"job stayed {body['status']}")


def column(client, job_id, auth, original: str) -> str:
    preview = client.get(f"/v1/jobs/{job_id}/inputs/preview", headers=auth).json()
    return next(c["name"] for c in preview["columns"] if c["original_name"] == original)


def test_journey_to_succeeded_with_verified_downloads(tmp_path: Path) -> None:
    analyst = Analyst(prefer="ols_robust")
    with running_stack(tmp_path, analyst) as (server, llm), server.client() as client:
        assert client.get("/health/ready").status_code == 200
        job_id, auth = new_job(client, "OLS regression of wage on education, cluster by firm")
        up = upload(client, job_id, auth, WAGES, "工资数据.csv")
        assert up["column_name_normalizations"][0]["original_name"] == "工资"
        wage = column(client, job_id, auth, "工资")
        analyst.roles = {"outcome": wage, "treatment": "educ", "controls": ["exper"],
                         "cluster": "firm"}
        draft = client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth).json()
        assert draft["selected_template"]["template_id"] == "ols_robust"
        assert draft["outcome_var"] == wage and draft["model"] == "ss-test-model"
        calls = len(llm.requests)
        client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
        assert len(llm.requests) == calls
        r = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth, json={})
        assert r.status_code == 200, r.text
        plan = r.json()["plan"]
        assert plan["template"]["rationale"] and plan["template"]["content_sha256"]
        assert plan["params_contract"]["bound_values"]["depvar"] == wage
        assert {d["kind"] for d in plan["dependencies"]} >= {"stata"}
        assert any(o["file"] == "regression_table.csv" for o in
                   plan["outputs_contract"]["declared"])
        r = client.post(f"/v1/jobs/{job_id}/run", headers=auth)
        assert r.status_code == 202
        status = wait_status(client, job_id, auth, {"succeeded", "failed"})
        assert status["status"] == "succeeded", status
        items = client.get(f"/v1/jobs/{job_id}/artifacts", headers=auth).json()["artifacts"]
        kinds = {a["kind"] for a in items}
        assert {"plan", "do_file", "stata_log", "run_meta", "output_table", "output_results",
                "llm_trace", "selection_evidence", "input"} <= kinds
        for item in items:
            r = client.get(f"/v1/jobs/{job_id}/artifacts/{item['rel_path']}", headers=auth)
            assert r.status_code == 200, item["rel_path"]
            assert hashlib.sha256(r.content).hexdigest() == item["sha256"], item["rel_path"]
            assert len(r.content) == item["size_bytes"]
        plan_item = next(a for a in items if a["kind"] == "plan")
        archived = client.get(f"/v1/jobs/{job_id}/artifacts/{plan_item['rel_path']}",
                              headers=auth).json()
        assert archived["plan_id"] == plan["plan_id"]
        do_file = next(a for a in items if a["kind"] == "do_file")
        text = client.get(f"/v1/jobs/{job_id}/artifacts/{do_file['rel_path']}",
                          headers=auth).text
        assert "* template ols_robust" in text and f"local depvar {wage}" in text
        meta = next(a for a in items if a["kind"] == "run_meta")
        run_meta = client.get(f"/v1/jobs/{job_id}/artifacts/{meta['rel_path']}",
                              headers=auth).json()
        assert run_meta["command_line"][1:3] == ["-b", "-q"] and run_meta["exit_code"] == 0
        assert run_meta["stata_version"]


def test_missing_parameter_then_supplied(tmp_path: Path) -> None:
    analyst = Analyst(prefer="ols_robust", roles={"treatment": "educ"})
    with running_stack(tmp_path, analyst) as (server, _), server.client() as client:
        job_id, auth = new_job(client, "多元回归 OLS")
        upload(client, job_id, auth, WAGES)
        draft = client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth).json()
        assert draft["readiness"] == "needs_input" and draft["decision"] == "require_confirm"
        assert draft["open_unknowns"][0]["param"] == "depvar"
        r = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth, json={})
        body = r.json()
        assert r.status_code == 400 and body["error_code"] == "PLAN_FREEZE_MISSING_REQUIRED"
        assert body["missing_params"] == ["depvar"]
        assert client.get(f"/v1/jobs/{job_id}/plan", headers=auth).status_code == 409
        r = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth,
                        json={"params": {"depvar": "工资"}})
        assert r.status_code == 200, r.text


def test_missing_ssc_dependency_then_install_and_retry(tmp_path: Path) -> None:
    analyst = Analyst(prefer="panel_hdfe_reghdfe",
                      roles={"outcome": "y", "regressors": ["x"], "unit_id": "id", "time": "year"})
    with running_stack(tmp_path, analyst) as (server, _), server.client() as client:
        job_id, auth = new_job(client, "high-dimensional fixed effects reghdfe 高维固定效应")
        upload(client, job_id, auth, PANEL)
        client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
        r = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth,
                        json={"template_id": "panel_hdfe_reghdfe"})
        assert r.status_code == 200, r.text
        deps = {d["name"] for d in r.json()["plan"]["dependencies"]}
        assert {"reghdfe", "ftools"} <= deps
        client.post(f"/v1/jobs/{job_id}/run", headers=auth)
        status = wait_status(client, job_id, auth, {"succeeded", "failed"})
        assert status["status"] == "failed"
        assert status["error"]["error_code"] == "STATA_DEPENDENCY_MISSING"
        assert set(status["error"]["missing_packages"]) == {"reghdfe", "ftools"}
        install_ado(tmp_path, "reghdfe", "ftools")
        r = client.post(f"/v1/jobs/{job_id}/run", headers=auth)
        assert r.status_code == 202 and r.json()["latest_run"]["attempt"] == 2
        status = wait_status(client, job_id, auth, {"succeeded", "failed"})
        assert status["status"] == "succeeded", status


def test_kill9_mid_run_then_restart_reclaims_and_keeps_everything(tmp_path: Path) -> None:
    analyst = Analyst(prefer="ols_robust", roles={"outcome": "exper", "treatment": "educ"})
    with running_stack(tmp_path, analyst,
                       SS_STATA_DOUBLE_DIRECTIVES="sleep 4") as (server, _):
        with server.client() as client:
            job_id, auth = new_job(client, "OLS regression")
            upload(client, job_id, auth, WAGES)
            client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
            client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth, json={})
            client.post(f"/v1/jobs/{job_id}/run", headers=auth)
            wait_status(client, job_id, auth, {"running"})
            before = client.get(f"/v1/jobs/{job_id}/artifacts", headers=auth).json()
        server.kill9()
        server.start(SS_STATA_DOUBLE_DIRECTIVES="")
        with server.client() as client:
            status = wait_status(client, job_id, auth, {"succeeded", "failed"}, timeout=90)
            assert status["status"] == "succeeded", status
            assert status["latest_run"]["claim_count"] == 2
            after = client.get(f"/v1/jobs/{job_id}/artifacts", headers=auth,
                               params={"history": "true"}).json()
            old = {a["rel_path"]: a["sha256"] for a in before["artifacts"]}
            new = {a["rel_path"]: a["sha256"] for a in after["artifacts"]}
            assert all(new.get(path) == sha for path, sha in old.items())
            assert any("/c2/outputs/" in path for path in new)
            assert not any("/c1/outputs/" in path for path in new)


def test_readiness_names_every_missing_dependency(tmp_path: Path) -> None:
    env = stack_env(tmp_path, None, SS_STATA_CMD="", SS_ADMIN_TOKEN="")
    server = Server(env, free_port(),
                    tmp_path / "server.log").start()
    try:
        with server.client() as client:
            r = client.get("/health/ready")
            assert r.status_code == 503
            names = {v["name"] for v in r.json()["violations"]}
            assert names == {"llm", "stata", "admin_secret"}
            codes = {v["error_code"] for v in r.json()["violations"]}
            assert {"LLM_NOT_CONFIGURED", "STATA_NOT_CONFIGURED"} <= codes
    finally:
        server.stop()
    bad = stack_env(tmp_path, None, SS_STATA_CMD="/nonexistent/stata-mp",
                    SS_LLM_PROVIDER="openai_compatible", SS_LLM_MODEL="m",
                    SS_LLM_BASE_URL="http://127.0.0.1:9/v1", SS_LLM_CONNECT_TIMEOUT="0.5")
    server = Server(bad, free_port(),
                    tmp_path / "server2.log").start()
    try:
        with server.client() as client:
            body = client.get("/health/ready").json()
            failing = {v["name"]: v for v in body["violations"]}
            assert set(failing) == {"llm", "stata"}
            assert failing["llm"]["error_code"] in ("LLM_CALL_FAILED", "LLM_TIMEOUT")
            assert failing["stata"]["error_code"] in ("STATA_LAUNCH_FAILED",
                                                      "STATA_NOT_CONFIGURED")
            assert json.dumps(body).find("/nonexistent") == -1
    finally:
        server.stop()


def test_auth_and_legacy_paths_over_http(tmp_path: Path) -> None:
    with running_stack(tmp_path, Analyst(), SS_TOKEN_TTL_HOURS="0.0005") as (server, _), \
            server.client() as client:
        job_id, auth = new_job(client, "describe the data")
        other_id, _ = new_job(client, "describe the data")
        assert client.get(f"/v1/jobs/{job_id}").json()["error_code"] == \
            "AUTH_BEARER_TOKEN_MISSING"
        assert client.get(f"/v1/jobs/{other_id}", headers=auth).json()["error_code"] == \
            "AUTH_TOKEN_FORBIDDEN"
        for method, path in [("POST", "/v1/jobs"), ("GET", "/jobs/x"), ("POST", "/jobs")]:
            r = client.request(method, path)
            assert r.status_code in (404, 405)
            assert r.json()["error_code"] in ("API_NOT_FOUND", "API_METHOD_NOT_ALLOWED")
        time.sleep(2.0)
        r = client.get(f"/v1/jobs/{job_id}", headers=auth)
        assert r.status_code == 403 and r.json()["error_code"] == "AUTH_TOKEN_INVALID"


def test_excel_sheet_selection_renews_the_preview(tmp_path: Path) -> None:
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "notes"
    book.active.append(["说明"])
    book.active.append(["readme"])
    data = book.create_sheet("数据")
    data.append(["工资", "educ"])
    for row in ((10.5, 12), (12.0, 16), (9.0, 10)):
        data.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    with running_stack(tmp_path, Analyst()) as (server, _), server.client() as client:
        job_id, auth = new_job(client, "descriptive statistics")
        r = client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth, files={"file": (
            "book.xlsx", buffer.getvalue(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")})
        assert r.status_code == 200, r.text
        first = client.get(f"/v1/jobs/{job_id}/inputs/preview", headers=auth).json()
        assert first["sheet_names"] == ["notes", "数据"] and first["selected_sheet"] == "notes"
        r = client.post(f"/v1/jobs/{job_id}/inputs/primary/sheet",
                        params={"sheet_name": "数据"}, headers=auth)
        assert r.status_code == 200, r.text
        assert r.json()["selected_sheet"] == "数据" and r.json()["row_count"] == 3
        again = client.get(f"/v1/jobs/{job_id}/inputs/preview", headers=auth).json()
        assert [c["original_name"] for c in again["columns"]] == ["工资", "educ"]
        r = client.post(f"/v1/jobs/{job_id}/inputs/primary/sheet",
                        params={"sheet_name": "missing"}, headers=auth)
        assert r.status_code == 400 and r.json()["error_code"] == "INPUT_SHEET_NOT_FOUND"


def test_api_only_readiness_warns_until_a_worker_heartbeats(tmp_path: Path) -> None:
    env = stack_env(tmp_path, None, SS_WORKER_HEARTBEAT_SECONDS="2", SS_STATA_CMD="",
                    SS_LLM_PROVIDER="openai_compatible", SS_LLM_MODEL="m",
                    SS_LLM_BASE_URL="http://127.0.0.1:9/v1")
    api = Server(env, free_port(), tmp_path / "api.log", args=("--no-worker",)).start()
    worker = SSProcess(("worker",), stack_env(tmp_path, None, SS_WORKER_HEARTBEAT_SECONDS="2"),
                       tmp_path / "worker.log")
    try:
        with api.client() as client:
            body = client.get("/health/ready").json()
            assert [w["name"] for w in body["warnings"]] == ["workers"]
            assert "workers" not in {v["name"] for v in body["violations"]}
            worker.launch()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and body["warnings"]:
                time.sleep(0.3)
                body = client.get("/health/ready").json()
            assert body["warnings"] == []
            worker.stop()
            time.sleep(2.5)
            body = client.get("/health/ready").json()
            assert [w["name"] for w in body["warnings"]] == ["workers"]
    finally:
        worker.stop()
        api.stop()
