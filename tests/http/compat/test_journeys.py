"""Complete journeys with the web client's exact requests over real HTTP: the straight one and
the Excel workbook whose data is on its second sheet."""

from __future__ import annotations

import pytest

from tests.http.compat.client_shapes import (
    ConfirmJobResponse,
    DraftPreviewPendingResponse,
    DraftPreviewResponse,
    InputsPreviewResponse,
    InputsUploadResponse,
    RedeemTaskCodeResponse,
    check,
)
from tests.http.compat.conftest import Stack
from tests.http.compat.data import CSV, WAGES, XLSX, two_sheet_book
from tests.http.compat.journey_steps import (
    column_named,
    downloads,
    previewed,
    start,
    until_done,
)
from tests.http.compat.web_client import WebClient, blocking_missing

pytestmark = pytest.mark.slow


def test_straight_journey_redeem_upload_preview_confirm_download(web: WebClient,
                                                                 stack: Stack) -> None:
    """Step1.tsx:40-50 (redeem), Step2.tsx:124-165 (upload with roles, then preview 20x10),
    Step3.tsx:99-120 (draft, polling while pending), Step3.tsx:143-172 (confirm with
    ``notes: null``), Status.tsx:123-167 (status, artifact index, downloads by rel_path);
    answer shapes from api/types.ts."""
    r = web.redeem(stack.task_code(), "  OLS of wage on education, clustered by firm  ")
    assert r.ok, r.body
    check(r.body, RedeemTaskCodeResponse)
    r = web.preview_draft()
    assert r.status == 202
    check(r.body, DraftPreviewPendingResponse)
    assert r.headers.get("Retry-After")
    r = web.upload(("工资数据.csv", WAGES, CSV))
    assert r.ok, r.body
    check(r.body, InputsUploadResponse)
    preview = previewed(web)
    assert len(preview["columns"]) <= 10 and len(preview["sample_rows"]) <= 20
    assert preview["header_row"] is True
    wage = column_named(preview, "工资")
    stack.analyst.prefer = "ols_robust"
    stack.analyst.roles = {"outcome": wage, "treatment": "educ", "controls": ["exper"],
                           "cluster": "firm"}
    r = web.wait_draft()
    assert r.ok, r.body
    draft = r.body
    check(draft, DraftPreviewResponse)
    assert draft["outcome_var"] == wage
    assert blocking_missing(draft, {}, {}) is None
    r = web.confirm(draft, {}, {})
    assert r.ok, r.body
    check(r.body, ConfirmJobResponse)
    assert r.body["status"] == "queued"
    status = until_done(web)
    assert status["status"] == "succeeded", status
    assert status["latest_run"]["artifacts_count"] > 0
    saved = downloads(web)
    assert "regression_table.csv" in saved


def test_excel_with_two_sheets_journey(web: WebClient, stack: Stack) -> None:
    """Step2.tsx:106-122 (choose a sheet with rows=20&columns=10), Step2.tsx:73-92 and 142-147
    (every refresh or re-upload re-applies the remembered sheet), Step2Panels.tsx:86-118
    (sheet names, selected sheet, ``header_row`` as a yes/no), then confirm and status as in
    the straight journey."""
    start(web, stack, "OLS of wage on education, clustered by firm")
    r = web.upload(("工资.xlsx", two_sheet_book(), XLSX))
    assert r.ok, r.body
    first = previewed(web)
    assert first["sheet_names"] == ["说明", "数据"] and first["selected_sheet"] == "说明"
    r = web.select_sheet("数据")
    assert r.ok, r.body
    check(r.body, InputsPreviewResponse)
    assert r.body["selected_sheet"] == "数据" and r.body["row_count"] == 6
    assert r.body["header_row"] is True
    primary = r.body["datasets"][0]
    assert primary["selected_sheet"] == "数据" and primary["header_row"] is True
    wage = column_named(r.body, "工资")
    stack.analyst.prefer = "ols_robust"
    stack.analyst.roles = {"outcome": wage, "treatment": "educ", "cluster": "firm"}
    draft = web.wait_draft().body
    check(draft, DraftPreviewResponse)
    calls = len(stack.llm.requests)
    r = web.select_sheet("数据")  # "refresh preview" with the remembered sheet
    assert r.ok, r.body
    again = web.wait_draft().body
    assert again["draft_id"] == draft["draft_id"] and len(stack.llm.requests) == calls
    r = web.confirm(again, {}, {})
    assert r.ok, r.body
    assert until_done(web)["status"] == "succeeded"
    r = web.select_sheet("数据")  # back on step 2 after the run: still the same preview
    assert r.ok, r.body
    assert r.body["selected_sheet"] == "数据"
    assert web.get_job().body["status"] == "succeeded"
    assert "regression_table.csv" in downloads(web)
