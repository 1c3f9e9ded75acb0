"""Audit points about the service's surface: routes, legacy paths, readiness, bearer tokens."""

from __future__ import annotations

import re
from typing import Any

from ss_http.audit.context import AuditState, expect

JOURNEY_ROUTES = (
    ("post", "/v1/task-codes/redeem"), ("get", "/v1/jobs/{}"),
    ("post", "/v1/jobs/{}/inputs/upload"), ("get", "/v1/jobs/{}/inputs/preview"),
    ("get", "/v1/jobs/{}/draft/preview"), ("post", "/v1/jobs/{}/draft/patch"),
    ("post", "/v1/jobs/{}/plan/freeze"), ("get", "/v1/jobs/{}/plan"),
    ("post", "/v1/jobs/{}/confirm"), ("post", "/v1/jobs/{}/run"),
    ("get", "/v1/jobs/{}/artifacts"), ("get", "/v1/jobs/{}/artifacts/{}"),
    ("get", "/health/live"), ("get", "/health/ready"), ("get", "/metrics"),
)
LEGACY_PROBES = (("POST", "/v1/jobs"), ("GET", "/jobs/x"), ("POST", "/jobs"))
LEGACY_CODES = {404: "API_NOT_FOUND", 405: "API_METHOD_NOT_ALLOWED"}


def _group(path: str) -> str:
    if path.startswith("/v1/"):
        return "business"
    if path == "/api/admin" or path.startswith("/api/admin/"):
        return "admin"
    if path.startswith("/health/"):
        return "health"
    if path == "/metrics":
        return "metrics"
    if path.startswith("/openapi"):
        return "schema"
    return "outside"


def routes_inventory(state: AuditState) -> dict[str, Any]:
    answer = state.client.call("GET", "/openapi/openapi.json")
    expect(answer.status == 200, "the OpenAPI schema is not served at /openapi/openapi.json",
           status=answer.status)
    paths: dict[str, dict[str, Any]] = answer.json().get("paths", {})
    groups: dict[str, list[str]] = {}
    for path in sorted(paths):
        groups.setdefault(_group(path), []).append(path)
    served = {(m.lower(), re.sub(r"\{[^}]*\}", "{}", p)) for p, ops in paths.items()
              for m in ops if m.lower() in ("get", "post", "put", "patch", "delete")}
    absent = [f"{m.upper()} {p}" for m, p in JOURNEY_ROUTES if (m, p) not in served]
    metrics = state.client.call("GET", "/metrics")
    evidence = {"route_count": len(paths), "by_group": {k: len(v) for k, v in groups.items()},
                "business_routes": groups.get("business", []),
                "admin_routes": groups.get("admin", []), "metrics_status": metrics.status}
    expect(not groups.get("outside"), "routes exist outside /v1, /api/admin, /health, /metrics",
           outside=groups.get("outside"), **evidence)
    expect(not absent, "journey routes of the contract are missing", missing=absent, **evidence)
    expect(("post", "/v1/jobs") not in served, "POST /v1/jobs is published", **evidence)
    expect(metrics.status == 200 and "text/plain" in metrics.response.headers.get(
        "content-type", ""), "GET /metrics is not Prometheus text", **evidence)
    return evidence


def legacy_absent(state: AuditState) -> dict[str, Any]:
    seen: list[dict[str, Any]] = []
    for method, path in LEGACY_PROBES:
        answer = state.client.call(method, path, json={} if method == "POST" else None)
        seen.append({"probe": f"{method} {path}", "status": answer.status,
                     "error_code": answer.exchange.error_code})
    bad = [s for s in seen if LEGACY_CODES.get(s["status"]) != s["error_code"]]
    expect(not bad, "a legacy job route answered (expected 404/405 with API_NOT_FOUND or "
           "API_METHOD_NOT_ALLOWED)", probes=seen, unexpected=bad)
    return {"probes": seen}


def readiness(state: AuditState) -> dict[str, Any]:
    live = state.client.call("GET", "/health/live")
    ready = state.client.call("GET", "/health/ready")
    body = ready.json()
    violations = [{k: v.get(k) for k in ("name", "error_code", "reason", "how_to_fix")}
                  for v in body.get("violations", [])]
    evidence = {"live_status": live.status, "ready_status": ready.status,
                "checks": [c.get("name") for c in body.get("checks", [])],
                "violations": violations}
    expect(live.status == 200, "GET /health/live is not 200", **evidence)
    expect(ready.status == 200 and body.get("ready") is True,
           "GET /health/ready reports violated production requirements", **evidence)
    return evidence


def auth(state: AuditState) -> dict[str, Any]:
    job_id, token = state.require_job()
    path = f"/v1/jobs/{job_id}"
    none = state.client.call("GET", path)
    wrong = state.client.call("GET", path, token="audit-wrong-token-" + "0" * 24)
    right = state.client.call("GET", path, token=token)
    admin = state.client.call("GET", "/api/admin/system")
    evidence: dict[str, Any] = {
        "no_token": [none.status, none.exchange.error_code],
        "wrong_token": [wrong.status, wrong.exchange.error_code],
        "right_token": right.status, "admin_without_token": admin.status}
    if state.options.admin_token:
        admin_ok = state.client.call("GET", "/api/admin/system", token=state.options.admin_token)
        evidence["admin_with_token"] = admin_ok.status
        evidence["queue"] = admin_ok.json().get("queue")
        expect(admin_ok.status == 200, "the admin token is refused", **evidence)
    expect(none.status == 401 and none.exchange.error_code == "AUTH_BEARER_TOKEN_MISSING",
           "a job route without a token is not 401 AUTH_BEARER_TOKEN_MISSING", **evidence)
    expect(wrong.status == 403 and wrong.exchange.error_code == "AUTH_TOKEN_INVALID",
           "a job route with a wrong token is not 403 AUTH_TOKEN_INVALID", **evidence)
    expect(right.status == 200, "the job's own token is refused", **evidence)
    expect(admin.status == 401, "an admin route answers without a token", **evidence)
    return evidence
