"""Audit points of the journey up to the plan: redeem, upload, preview, draft, freeze."""

from __future__ import annotations

import hashlib
import re
import time
from typing import Any

from ss_core.domain.roles import ROLES
from ss_http.audit.context import AuditState, PointSkipped, expect

SHA256 = re.compile(r"^[0-9a-f]{64}$")
DEPENDENCY_KINDS = ("stata", "builtin", "ssc", "net")
ROLE_FIELDS = tuple(r.draft_field for r in ROLES.values())
FREEZE_ERROR_KEYS = ("job_id", "template_id", "missing_fields", "missing_fields_detail",
                     "missing_params", "missing_params_detail", "invalid_params", "next_actions")


def redeem(state: AuditState) -> dict[str, Any]:
    body = {"task_code": state.options.task_code, "requirement": state.options.requirement}
    first = state.client.call("POST", "/v1/task-codes/redeem", json=body)
    data = first.json()
    expect(first.status == 200 and data.get("job_id") and data.get("token"),
           "the task code could not be redeemed", status=first.status,
           error_code=first.exchange.error_code, message=data.get("message"))
    again = state.client.call("POST", "/v1/task-codes/redeem", json=body).json()
    state.job_id, state.token = data["job_id"], data["token"]
    evidence = {"job_id": data["job_id"], "expires_at": data.get("expires_at"),
                "first_is_idempotent": data.get("is_idempotent"),
                "second_is_idempotent": again.get("is_idempotent")}
    expect(data.get("is_idempotent") is False, "the task code was already redeemed by an "
           "earlier run: issue a fresh code for every audit", **evidence)
    expect(again.get("job_id") == data["job_id"] and again.get("is_idempotent") is True,
           "redeeming the same code again did not return the same job", **evidence)
    return evidence


def upload(state: AuditState) -> dict[str, Any]:
    job_id, token = state.require_job()
    data = state.options.dataset.read_bytes()
    local = hashlib.sha256(data).hexdigest()
    answer = state.client.call("POST", f"/v1/jobs/{job_id}/inputs/upload", token=token,
                               files={"file": (state.options.dataset.name, data)})
    body = answer.json()
    datasets = body.get("datasets") or [{}]
    evidence = {"status": answer.status, "fingerprint": body.get("fingerprint"),
                "manifest_rel_path": body.get("manifest_rel_path"),
                "local_sha256": local, "stored_sha256": datasets[0].get("sha256"),
                "size_bytes": datasets[0].get("size_bytes"),
                "normalizations": body.get("column_name_normalizations")}
    expect(answer.status == 200, "the upload was refused", error_code=answer.exchange.error_code,
           message=body.get("message"), **evidence)
    expect(datasets[0].get("sha256") == local and datasets[0].get("size_bytes") == len(data),
           "the stored dataset's sha256/size differ from the local file", **evidence)
    expect(body.get("fingerprint"), "the inputs have no fingerprint", **evidence)
    return evidence


def preview(state: AuditState) -> dict[str, Any]:
    job_id, token = state.require_job()
    answer = state.client.call("GET", f"/v1/jobs/{job_id}/inputs/preview?rows=5", token=token)
    body = answer.json()
    columns = body.get("columns", [])
    evidence = {"status": answer.status, "row_count": body.get("row_count"),
                "column_count": body.get("column_count"),
                "columns": [[c.get("name"), c.get("inferred_type")] for c in columns][:30],
                "sample_rows": len(body.get("sample_rows", []))}
    expect(answer.status == 200 and columns and body.get("column_count"),
           "the inputs preview is empty or refused", **evidence)
    return evidence


def draft(state: AuditState) -> dict[str, Any]:
    job_id, token = state.require_job()
    path = f"/v1/jobs/{job_id}/draft/preview"
    deadline = time.monotonic() + state.options.timeout
    answer = state.client.call("GET", path, token=token)
    while answer.status == 202 and time.monotonic() < deadline:
        time.sleep(min(float(answer.json().get("retry_after_seconds") or 1),
                       state.options.poll_seconds))
        answer = state.client.call("GET", path, token=token)
    body = answer.json()
    expect(answer.status == 200, "no draft", status=answer.status,
           error_code=answer.exchange.error_code, message=body.get("message"))
    selected = body.get("selected_template") or {}
    candidates = [c.get("template_id") for c in body.get("template_candidates", [])]
    state.draft = body
    if body.get("model"):
        state.models.add(str(body["model"]))
    again = state.client.call("GET", path, token=token).json()
    evidence = {"draft_id": body.get("draft_id"), "decision": body.get("decision"),
                "selected_template_id": selected.get("template_id"),
                "confidence": selected.get("confidence"), "rationale": selected.get("rationale"),
                "candidates": [[c.get("template_id"), c.get("score")]
                               for c in body.get("template_candidates", [])][:8],
                "model": body.get("model"),
                "open_unknowns": [u.get("field") for u in body.get("open_unknowns", [])],
                "repeat_draft_id": again.get("draft_id")}
    expect(selected.get("template_id") in candidates,
           "the selected template is not one of the library candidates", **evidence)
    expect(str(selected.get("rationale") or "").strip(), "the selection has no rationale",
           **evidence)
    expect(body.get("model"), "the draft does not record the LLM model", **evidence)
    expect(again.get("draft_id") == body.get("draft_id"),
           "repeating the draft preview produced a different draft", **evidence)
    return evidence


def freeze_missing_required(state: AuditState) -> dict[str, Any]:
    job_id, token = state.require_job()
    if state.draft is None:
        raise PointSkipped("no draft: the draft point did not pass")
    selected = (state.draft.get("selected_template") or {}).get("template_id")
    if state.draft.get("readiness") == "needs_input":
        request: dict[str, Any] = {}
        how = "the draft is incomplete: plain freeze"
    else:
        cleared = {f: None for f in ROLE_FIELDS if state.draft.get(f) not in (None, [], "")}
        request = {"template_id": selected, "variable_corrections": cleared}
        how = "freeze with every draft role cleared: " + ", ".join(sorted(cleared))
    answer = state.client.call("POST", f"/v1/jobs/{job_id}/plan/freeze", token=token,
                               json=request)
    body = answer.json()
    if answer.status == 200:
        raise PointSkipped(f"the selected template {selected} has no required role-bound "
                           "parameter, so nothing could be omitted")
    plan = state.client.call("GET", f"/v1/jobs/{job_id}/plan", token=token)
    evidence = {"attempt": how, "status": answer.status, "error_code": body.get("error_code"),
                "missing_params": body.get("missing_params"),
                "missing_fields": body.get("missing_fields"),
                "next_actions": [[a.get("action"), a.get("method"), a.get("path")]
                                 for a in body.get("next_actions", [])],
                "plan_after": [plan.status, plan.exchange.error_code]}
    expect(answer.status == 400 and body.get("error_code") == "PLAN_FREEZE_MISSING_REQUIRED",
           "an incomplete freeze is not 400 PLAN_FREEZE_MISSING_REQUIRED", **evidence)
    absent = [k for k in FREEZE_ERROR_KEYS if k not in body]
    expect(not absent, "the freeze error lacks contract fields", absent=absent, **evidence)
    expect(body["missing_params"] and all(
        d.get("param") and "candidates" in d for d in body["missing_params_detail"]),
        "missing_params/missing_params_detail do not name the missing items", **evidence)
    expect(body["next_actions"] and all(
        {"action", "method", "path", "fields"} <= set(a) for a in body["next_actions"]),
        "next_actions do not say how to supply the items", **evidence)
    expect(plan.status == 409 and plan.exchange.error_code == "PLAN_MISSING",
           "something was frozen by the refused freeze", **evidence)
    return evidence


def freeze(state: AuditState) -> dict[str, Any]:
    job_id, token = state.require_job()
    if state.draft is None:
        raise PointSkipped("no draft: the draft point did not pass")
    path = f"/v1/jobs/{job_id}/plan/freeze"
    request = {"params": state.options.params} if state.options.params else {}
    answer = state.client.call("POST", path, token=token, json=request)
    body = answer.json()
    expect(answer.status == 200 and body.get("plan"), "the plan could not be frozen",
           status=answer.status, error_code=answer.exchange.error_code,
           missing_params=body.get("missing_params"), invalid_params=body.get("invalid_params"),
           hint="supply the missing parameters with --param name=value")
    plan = body["plan"]
    state.plan = plan
    model = (plan.get("template", {}).get("selection") or {}).get("model")
    if model:
        state.models.add(str(model))
    again = state.client.call("POST", path, token=token, json=request).json()
    read = state.client.call("GET", f"/v1/jobs/{job_id}/plan", token=token).json()
    evidence = {"plan_id": plan.get("plan_id"), "params": sorted(state.options.params),
                "refreeze_plan_id": (again.get("plan") or {}).get("plan_id"),
                "read_plan_id": (read.get("plan") or {}).get("plan_id")}
    expect(evidence["refreeze_plan_id"] == plan.get("plan_id"),
           "freezing the same inputs twice gave a different plan", **evidence)
    expect(evidence["read_plan_id"] == plan.get("plan_id"),
           "GET /plan does not return the frozen plan", **evidence)
    return evidence


def plan_contract(state: AuditState) -> dict[str, Any]:
    if state.plan is None:
        raise PointSkipped("no plan: the freeze point did not pass")
    plan, draft = state.plan, state.draft or {}
    template = plan.get("template") or {}
    params = plan.get("params_contract") or {}
    deps = plan.get("dependencies")
    outputs = (plan.get("outputs_contract") or {}).get("declared")
    selection = template.get("selection") or {}
    evidence = {
        "plan_id": plan.get("plan_id"), "template_id": template.get("template_id"),
        "template_version": template.get("version"),
        "content_sha256": template.get("content_sha256"),
        "rationale": template.get("rationale"), "selection_model": selection.get("model"),
        "required_params": params.get("required"), "bound_values": params.get("bound_values"),
        "dependencies": [[d.get("name"), d.get("kind")] for d in deps or []],
        "declared_outputs": [[o.get("file"), o.get("required")] for o in outputs or []]}
    expect(template.get("template_id") ==
           (draft.get("selected_template") or {}).get("template_id"),
           "the plan's template is not the draft's selected template", **evidence)
    expect(template.get("version") and SHA256.fullmatch(str(template.get("content_sha256"))),
           "the plan does not pin the template version and content sha256", **evidence)
    expect(str(template.get("rationale") or "").strip(), "the plan has no rationale", **evidence)
    expect(all(k in params for k in ("required", "optional", "bound_values",
                                     "missing_required")) and not params["missing_required"],
           "the params contract is incomplete", **evidence)
    expect(all(n in params["bound_values"] for n in params["required"]),
           "a required parameter has no bound value", **evidence)
    expect(isinstance(deps, list) and any(d.get("kind") == "stata" for d in deps) and all(
        d.get("kind") in DEPENDENCY_KINDS and d.get("name") for d in deps),
        "the dependency declarations are missing or malformed", **evidence)
    expect(outputs and any(o.get("required") for o in outputs) and all(
        {"file", "kind", "format", "required"} <= set(o) for o in outputs),
        "the outputs contract declares no required output", **evidence)
    return evidence
