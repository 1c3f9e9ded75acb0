"""Wire details the web client depends on: null optional fields, sheet previews, the plan
shape, error codes, CORS, artifact names and validation errors, over real HTTP."""

from __future__ import annotations

import httpx
import pytest

from ss_core.errors import ERROR_CODES
from ss_http.public_codes import PUBLIC_CODES, public_fields
from tests.http.compat import client_error_table
from tests.http.compat.client_shapes import FreezePlanResponse, InputsPreviewResponse, check
from tests.http.compat.conftest import BROWSER_ORIGIN, Stack
from tests.http.compat.data import CSV, WAGES, XLSX, two_sheet_book
from tests.http.compat.journey_steps import column_named, downloads, previewed, start
from tests.http.compat.web_client import WebClient

pytestmark = pytest.mark.slow


def ols_draft(web: WebClient, stack: Stack, requirement: str) -> dict:
    start(web, stack, requirement)
    assert web.upload(("工资.csv", WAGES, CSV)).ok
    wage = column_named(previewed(web), "工资")
    stack.analyst.prefer = "ols_robust"
    stack.analyst.roles = {"outcome": wage, "treatment": "educ", "controls": ["exper"],
                           "cluster": "firm"}
    draft = web.wait_draft().body
    assert draft["selected_template"]["template_id"] == "ols_robust", draft
    return dict(draft)


def test_confirm_and_freeze_accept_the_client_nulls(web: WebClient, stack: Stack) -> None:
    """C1. Step3.tsx:151-158 sends ``notes: null`` (types.ts:25-41 ConfirmJobRequest);
    client.ts:164-166 freezes with FreezePlanRequest (types.ts:142-150, ``notes?: string |
    null``)."""
    draft = ols_draft(web, stack, "OLS regression of wage on education (nulls)")
    r = web._request("POST", f"/jobs/{web.job_id}/plan/freeze",
                     json_body={"answers": {}, "notes": None, "variable_corrections": {}})
    assert r.ok, r.body
    check(r.body, FreezePlanResponse)
    r = web.confirm(draft, {}, {})
    assert r.ok and r.body["status"] == "queued", r.body


def test_plan_version_is_an_integer_and_steps_have_the_client_shape(web: WebClient,
                                                                    stack: Stack) -> None:
    """C12. LLMPlanResponse and PlanStepResponse (types.ts:207-221), answered by freeze and
    by GET /plan (client.ts:164-170)."""
    ols_draft(web, stack, "OLS regression of wage on education (plan shape)")
    r = web._request("POST", f"/jobs/{web.job_id}/plan/freeze", json_body={})
    assert r.ok, r.body
    plan = check(r.body, FreezePlanResponse).plan
    assert isinstance(r.body["plan"]["plan_version"], int)
    ids = [s.step_id for s in plan.steps]
    assert len(ids) == len(set(ids)) >= 2
    for before, step in zip(plan.steps, plan.steps[1:], strict=False):
        assert step.depends_on == [before.step_id]
    assert any("regression_table.csv" in s.produces for s in plan.steps)
    again = web._request("GET", f"/jobs/{web.job_id}/plan")
    assert check(again.body, FreezePlanResponse).plan == plan


def test_sheet_selection_honours_rows_and_columns(web: WebClient, stack: Stack) -> None:
    """C9/C10. client.ts:114-128 sends ``rows`` and ``columns`` with the sheet choice;
    Step2Panels.tsx:86-118 shows ``header_row`` as yes/no (types.ts:176, 186)."""
    start(web, stack, "describe the workbook")
    assert web.upload(("book.xlsx", two_sheet_book(), XLSX)).ok
    r = web.select_sheet("数据", rows=2, columns=3)
    assert r.ok, r.body
    body = check(r.body, InputsPreviewResponse)
    assert len(body.columns) == 3 and len(body.sample_rows) == 2
    assert body.column_count == 4 and body.header_row is True
    r = web.select_sheet("不存在", rows=2, columns=3)
    assert r.status == 400 and r.internal_code == "INPUT_SHEET_NOT_FOUND"
    assert r.body["public_code"] == client_error_table.shown(r.body["legacy_error_code"], 400)


def test_reselecting_the_same_sheet_keeps_the_draft(web: WebClient, stack: Stack) -> None:
    """C11. Step2.tsx:73-92 re-sends the remembered sheet on every preview refresh and
    Step2.tsx:142-147 after every upload: that must neither renew the draft (another LLM
    call) nor fail once the job has moved on."""
    start(web, stack, "OLS regression of wage on education from the workbook")
    assert web.upload(("book.xlsx", two_sheet_book(), XLSX)).ok
    r = web.select_sheet("数据")
    assert r.ok
    wage = column_named(r.body, "工资")
    stack.analyst.prefer = "ols_robust"
    stack.analyst.roles = {"outcome": wage, "treatment": "educ", "cluster": "firm"}
    draft = web.wait_draft().body
    calls = len(stack.llm.requests)
    for _ in range(2):
        r = web.select_sheet("数据")
        assert r.ok and r.body["selected_sheet"] == "数据"
    assert web.wait_draft().body["draft_id"] == draft["draft_id"]
    assert len(stack.llm.requests) == calls
    assert web.confirm(draft, {}, {}).ok
    r = web.select_sheet("数据")
    assert r.ok, r.body
    r = web.select_sheet("说明")  # a real change after confirm is still refused
    assert r.status == 409, r.body


def test_error_bodies_carry_our_code_and_the_public_number(web: WebClient,
                                                           stack: Stack) -> None:
    """C13. client.ts:249-262 reads ``error_code`` and maps it (errorCodes.ts:183-198); our
    codes stay, ``public_code`` is what the client shows for the equivalent
    ``legacy_error_code``; every registered code gets a public number the client knows
    (from the table, else from its HTTP status)."""
    for code, spec in ERROR_CODES.items():
        public = public_fields(code, spec.status)["public_code"]
        assert public in client_error_table.PUBLIC_NUMBERS, code
    for code, (public, legacy) in PUBLIC_CODES.items():
        if legacy is not None:
            assert client_error_table.KNOWN[legacy] == public, code
        elif code in client_error_table.KNOWN:
            assert client_error_table.KNOWN[code] == public, code
    r = web.redeem("no-such-code", "anything")
    assert r.internal_code == "TASK_CODE_INVALID" and r.body["public_code"] == "E1003"
    start(web, stack, "confirm too early")
    r = web.confirm({}, {}, {})
    assert r.status == 409 and r.internal_code == "INPUTS_MISSING"
    assert r.body["legacy_error_code"] == "INPUTS_MANIFEST_MISSING"
    assert r.body["public_code"] == client_error_table.shown("INPUTS_MANIFEST_MISSING", 409)


def test_cross_origin_client_can_read_the_headers_it_uses(stack: Stack) -> None:
    """C14. client.ts:244-245 reads ``X-SS-Request-Id`` from every answer; a browser lets a
    cross-origin page read it (and ``Content-Disposition``, ``Retry-After``) only when they
    are exposed."""
    base = stack.server.base_url
    pre = httpx.options(base + "/v1/task-codes/redeem", headers={
        "Origin": BROWSER_ORIGIN, "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type,x-ss-request-id,authorization"})
    assert pre.status_code in (200, 204), pre.text
    assert pre.headers["access-control-allow-origin"] == BROWSER_ORIGIN
    r = httpx.post(base + "/v1/task-codes/redeem", json={"task_code": "x", "requirement": "y"},
                   headers={"Origin": BROWSER_ORIGIN, "X-SS-Request-Id": "abc123"})
    exposed = {h.strip().lower() for h in
               r.headers.get("access-control-expose-headers", "").split(",")}
    assert {"x-ss-request-id", "content-disposition", "retry-after"} <= exposed
    assert r.headers["x-ss-request-id"] == "abc123"


def test_every_artifact_has_its_own_display_name(web: WebClient, stack: Stack) -> None:
    """C15. Status.tsx:13-17 and 81-83 show, and 161 save, each artifact under the last
    segment of its ``rel_path``: no two rows of the index may share it."""
    draft = ols_draft(web, stack, "OLS regression of wage on education (names)")
    assert web.confirm(draft, {}, {}).ok
    from tests.http.compat.journey_steps import until_done

    assert until_done(web)["status"] == "succeeded"
    saved = downloads(web)
    assert {"regression_table.csv", "plan.json"} <= set(saved)
    full = web._request("GET", f"/jobs/{web.job_id}/artifacts?history=true")
    assert len(full.body["artifacts"]) >= len(saved)


def test_validation_errors_name_the_field(web: WebClient) -> None:
    """C16. components/ErrorPanel.tsx:41 shows the answer's ``action`` or else its
    ``message`` (read by client.ts:249-262): it must name the body field at fault, not the
    handler's ``data``."""
    r = web._request("POST", "/task-codes/redeem", json_body={"task_code": "abc"})
    assert r.status == 400 and r.body["fields"] == ["requirement"]
    assert "requirement" in r.body["message"] and "data" not in r.body["fields"]
    assert "action" not in r.body
    r = web._request("POST", "/task-codes/redeem", json_body=["not", "an", "object"])
    assert r.status == 400 and r.body["fields"] == ["body"]


def test_upload_with_an_auxiliary_file_and_role_parts(web: WebClient, stack: Stack) -> None:
    """Step2.tsx:124-130 with client.ts:71-96: files ``[primary, ...auxiliary]`` as ``file``
    parts and roles ``['primary_dataset', 'auxiliary_data', ...]`` as ``role`` parts; the
    preview that follows (Step2.tsx:159) is of the primary."""
    start(web, stack, "OLS regression of wage on education with a lookup table")
    r = web.upload(("工资.csv", WAGES, CSV), (("firms.csv", b"firm,size\n1,10\n2,20\n", CSV),))
    assert r.ok, r.body
    roles = {d["original_name"]: d["role"] for d in r.body["datasets"]}
    assert roles == {"工资.csv": "primary_dataset", "firms.csv": "auxiliary_data"}
    preview = previewed(web)
    assert {c["name"] for c in preview["columns"]} >= {"educ", "firm", "exper"}
