"""The /v1 wire contract over the Litestar app (in-process client, core doubles behind)."""

from __future__ import annotations

from tests.http.conftest import ADMIN

CSV = "工资,educ,firm\n10.5,12,1\n12.0,16,2\n9.0,10,1\n".encode()
ADMIN_H = {"Authorization": f"Bearer {ADMIN}"}


async def new_job(client, requirement="OLS of wage on education clustered by firm"):
    r = await client.post("/api/admin/task-codes", json={"count": 1}, headers=ADMIN_H)
    assert r.status_code == 201, r.text
    code = r.json()["task_codes"][0]["task_code"]
    r = await client.post("/v1/task-codes/redeem",
                          json={"task_code": code, "requirement": requirement})
    assert r.status_code == 200, r.text
    body = r.json()
    return code, body["job_id"], {"Authorization": f"Bearer {body['token']}"}


async def test_journey_over_http_to_artifacts(client, kit):
    code, job_id, auth = await new_job(client)
    r = await client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
    assert r.status_code == 202 and r.json()["message"] == "pending_inputs_upload"
    r = await client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth,
                          files={"file": ("wages.csv", CSV, "text/csv")})
    assert r.status_code == 200, r.text
    assert r.json()["column_name_normalizations"][0]["original_name"] == "工资"
    r = await client.get(f"/v1/jobs/{job_id}/inputs/preview?rows=2", headers=auth)
    assert r.status_code == 200 and r.json()["row_count"] == 3
    assert len(r.json()["sample_rows"]) == 2
    r = await client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
    draft = r.json()
    assert r.status_code == 200 and draft["selected_template"]["template_id"] == "ols_robust"
    assert draft["outcome_var"] == "v1_525353" and draft["readiness"] == "ready_to_freeze"
    assert draft["decision"] == "auto_freeze"
    r = await client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth, json={})
    assert r.status_code == 200, r.text
    plan = r.json()["plan"]
    assert plan["template"]["template_id"] == "ols_robust"
    assert plan["params_contract"]["bound_values"]["clustvar"] == "firm"
    r2 = await client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth, json={})
    assert r2.json()["plan"]["plan_id"] == plan["plan_id"]
    r = await client.post(f"/v1/jobs/{job_id}/run", headers=auth)
    assert r.status_code == 202 and r.json()["status"] == "queued"
    from ss_core.usecases.worker import Worker

    await Worker(kit.services, "w").run_once()
    r = await client.get(f"/v1/jobs/{job_id}", headers=auth)
    status = r.json()
    assert status["status"] == "succeeded" and status["latest_run"]["attempt"] == 1
    assert status["selected_template_id"] == "ols_robust"
    r = await client.get(f"/v1/jobs/{job_id}/artifacts", headers=auth)
    items = r.json()["artifacts"]
    table = next(a for a in items if a["rel_path"].endswith("regression_table.csv"))
    r = await client.get(f"/v1/jobs/{job_id}/artifacts/{table['rel_path']}", headers=auth)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
    assert "attachment" in r.headers["content-disposition"]
    r = await client.get(f"/v1/jobs/{job_id}/artifacts/runs/nope.csv", headers=auth)
    assert r.status_code == 404 and r.json()["error_code"] == "ARTIFACT_NOT_FOUND"


async def test_missing_parameter_freeze_error_shape(client, kit):
    kit.llm.roles = {"treatment": "educ"}
    _, job_id, auth = await new_job(client, "多元回归")
    await client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth,
                      files={"file": ("wages.csv", CSV, "text/csv")})
    await client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
    r = await client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth, json={})
    body = r.json()
    assert r.status_code == 400 and body["error_code"] == "PLAN_FREEZE_MISSING_REQUIRED"
    assert body["missing_params"] == ["depvar"] and body["missing_fields"] == ["outcome_var"]
    assert body["missing_params_detail"][0]["candidates"]
    assert {a["action"] for a in body["next_actions"]} >= {"patch_draft"}
    r = await client.get(f"/v1/jobs/{job_id}/plan", headers=auth)
    assert r.status_code == 409 and r.json()["error_code"] == "PLAN_MISSING"
    r = await client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth,
                          json={"params": {"depvar": "工资"}})
    assert r.status_code == 200, r.text


async def test_auth_failures(client):
    _, job_id, auth = await new_job(client)
    _, other_id, _ = await new_job(client)
    r = await client.get(f"/v1/jobs/{job_id}")
    assert r.status_code == 401 and r.json()["error_code"] == "AUTH_BEARER_TOKEN_MISSING"
    r = await client.get(f"/v1/jobs/{job_id}", headers={"Authorization": "Token x"})
    assert r.status_code == 401 and r.json()["error_code"] == "AUTH_BEARER_TOKEN_INVALID"
    r = await client.get(f"/v1/jobs/{job_id}", headers={"Authorization": "Bearer wrong"})
    assert r.status_code == 403 and r.json()["error_code"] == "AUTH_TOKEN_INVALID"
    r = await client.get(f"/v1/jobs/{other_id}", headers=auth)
    assert r.status_code == 403 and r.json()["error_code"] == "AUTH_TOKEN_FORBIDDEN"


async def test_revoked_code_revokes_its_tokens(client):
    _, job_id, auth = await new_job(client)
    r = await client.get("/api/admin/task-codes", headers=ADMIN_H)
    code_id = next(c["task_code_id"] for c in r.json()["task_codes"] if c["job_id"] == job_id)
    r = await client.post(f"/api/admin/task-codes/{code_id}/revoke", headers=ADMIN_H)
    assert r.status_code == 200 and r.json()["revoked_tokens"] >= 1
    r = await client.get(f"/v1/jobs/{job_id}", headers=auth)
    assert r.status_code == 403 and r.json()["error_code"] == "AUTH_TOKEN_INVALID"


async def test_redeem_errors(client):
    r = await client.post("/v1/task-codes/redeem", json={"task_code": "nope", "requirement": "x"})
    assert r.status_code == 403 and r.json()["error_code"] == "TASK_CODE_INVALID"
    r = await client.post("/v1/task-codes/redeem", json={"task_code": "x"})
    assert r.status_code == 400 and r.json()["error_code"] == "INPUT_VALIDATION_FAILED"
    r = await client.post("/v1/task-codes/redeem", content=b"{not json",
                          headers={"content-type": "application/json"})
    assert r.status_code == 400 and r.json()["error_code"] == "INPUT_VALIDATION_FAILED"


async def test_legacy_and_unknown_routes(client):
    for method, path in [("POST", "/v1/jobs"), ("GET", "/jobs/x"), ("POST", "/jobs"),
                         ("GET", "/v1/nothing"), ("GET", "/api/jobs")]:
        r = await client.request(method, path)
        assert r.status_code in (404, 405), (method, path)
        assert r.json()["error_code"] in ("API_NOT_FOUND", "API_METHOD_NOT_ALLOWED")
    r = await client.delete("/v1/task-codes/redeem")
    assert r.status_code == 405 and r.json()["error_code"] == "API_METHOD_NOT_ALLOWED"


async def test_request_id_is_honoured_or_generated(client):
    r = await client.get("/health/live", headers={"X-SS-Request-Id": "abc-123"})
    assert r.headers["x-ss-request-id"] == "abc-123"
    r = await client.get("/health/live", headers={"X-Request-Id": "bad id with spaces"})
    assert r.headers["x-ss-request-id"].startswith("req_")


async def test_admin_requires_its_token(client):
    r = await client.get("/api/admin/jobs", headers={"Authorization": "Bearer nope"})
    assert r.status_code == 403 and r.json()["error_code"] == "AUTH_ADMIN_TOKEN_INVALID"
    r = await client.get("/api/admin/system", headers=ADMIN_H)
    assert r.status_code == 200 and "queue" in r.json()


async def test_upload_rejects_bad_files_without_losing_state(client):
    _, job_id, auth = await new_job(client)
    r = await client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth,
                          files={"file": ("../../etc/passwd.exe", b"x", "text/plain")})
    assert r.status_code == 400 and r.json()["error_code"] == "INPUT_UNSUPPORTED_FORMAT"
    r = await client.get(f"/v1/jobs/{job_id}", headers=auth)
    assert r.json()["status"] == "created"


async def test_openapi_lists_only_v1_admin_and_health(client):
    r = await client.get("/openapi/openapi.json")
    paths = r.json()["paths"]
    assert all(p.startswith(("/v1/", "/api/admin", "/health", "/metrics")) for p in paths)
    assert "/v1/task-codes/redeem" in paths


async def test_metrics_and_readiness(client):
    r = await client.get("/metrics")
    assert r.status_code == 200 and "ss_http_requests_total" in r.text
    r = await client.get("/health/ready")
    assert r.status_code == 200 and r.json()["ready"] is True


async def test_request_id_is_echoed_on_unknown_routes_and_wrong_methods(client):
    for method, path in (("POST", "/v1/jobs"), ("GET", "/jobs/x"), ("DELETE", "/health/live")):
        r = await client.request(method, path, headers={"X-SS-Request-Id": "probe-1"})
        assert r.status_code in (404, 405)
        assert r.headers["X-SS-Request-Id"] == "probe-1"
        assert r.json()["request_id"] == "probe-1"
    r = await client.get("/jobs/x")
    assert r.headers["X-SS-Request-Id"].startswith("req_")
    assert r.json()["request_id"] == r.headers["X-SS-Request-Id"]


async def test_endpoint_needing_a_missing_dependency_answers_503_with_the_reason(client, kit):
    _, job_id, auth = await new_job(client)
    await client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth,
                      files={"file": ("wages.csv", CSV, "text/csv")})
    object.__setattr__(kit.services, "llm", None)
    r = await client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
    assert r.status_code == 503 and r.json()["error_code"] == "LLM_NOT_CONFIGURED"
    assert r.headers["retry-after"]


async def test_confirm_reviews_then_queues_and_admin_retries_a_failed_job(client, kit):
    _, job_id, auth = await new_job(client)
    await client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth,
                      files={"file": ("wages.csv", CSV, "text/csv")})
    await client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
    r = await client.post(f"/v1/jobs/{job_id}/confirm", headers=auth, json={"confirmed": False})
    assert r.status_code == 200 and r.json()["status"] == "plan_frozen"
    assert r.json()["latest_run"] is None and r.json()["plan_id"]
    r = await client.post(f"/v1/jobs/{job_id}/confirm", headers=auth, json={})
    assert r.json()["status"] == "queued" and r.json()["latest_run"]["attempt"] == 1
    from ss_core.usecases.worker import Worker

    kit.runner.fail_rc = 2000
    await Worker(kit.services, "w").run_once()
    status = (await client.get(f"/v1/jobs/{job_id}", headers=auth)).json()
    assert status["status"] == "failed" and status["error"]["error_code"] == "STATA_DATA_EMPTY"
    r = await client.post(f"/api/admin/jobs/{job_id}/retry", headers=ADMIN_H)
    assert r.status_code == 202 and r.json()["latest_run"]["attempt"] == 2
    detail = (await client.get(f"/api/admin/jobs/{job_id}", headers=ADMIN_H)).json()
    assert sorted(run["attempt"] for run in detail["runs"]) == [1, 2]


async def test_sheet_selection_on_a_csv_is_refused(client):
    _, job_id, auth = await new_job(client)
    await client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth,
                      files={"file": ("wages.csv", CSV, "text/csv")})
    r = await client.post(f"/v1/jobs/{job_id}/inputs/primary/sheet?sheet_name=Sheet2",
                          headers=auth)
    assert r.status_code == 400 and r.json()["field"] == "sheet_name"
