"""The page in a real browser (Debian's headless Chromium through Playwright) against a real
`ssctl serve` process with the LLM server double and the Stata executable double.

Each scenario keeps screenshots of its steps under reports/ui/."""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.stack import ADMIN_TOKEN, Analyst, install_ado, running_stack
from tests.web.browser import Shots, launch, new_page, unlabelled_controls

pytestmark = pytest.mark.slow

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
WAGES = ("工资,educ,firm,exper,入职日期\n10.5,12,1,3,2020-01-06\n12.0,16,2,5,2020-02-03\n"
         "9.0,10,1,1,2020-03-02\n14.2,18,3,9,2020-04-06\n11.1,14,2,4,2020-05-04\n"
         "13.0,,3,6,2020-06-01\n")
PANEL = "id,year,y,x\n" + "".join(f"{i},{t},{1.5 * i + 0.3 * t},{i * t % 7}\n"
                                  for i in range(1, 7) for t in range(2000, 2006))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Analyst, Path]]:
    tmp = tmp_path_factory.mktemp("web")
    analyst = Analyst(prefer="ols_robust")
    with running_stack(tmp, analyst) as (server, llm):
        server.llm = llm
        yield server, analyst, tmp


def issue_code(server: Any) -> str:
    r = httpx.post(server.base_url + "/api/admin/task-codes", json={"count": 1}, headers=ADMIN)
    assert r.status_code == 201, r.text
    return r.json()["task_codes"][0]["task_code"]


def redeem(page: Page, code: str, requirement: str) -> None:
    page.get_by_role("textbox", name="Task code").fill(code)
    page.get_by_label("What should the analysis do?").fill(requirement)
    page.get_by_role("button", name="Start").click()
    expect(page.locator("#job-id")).not_to_be_empty()


def upload(page: Page, tmp: Path, name: str, content: str | bytes) -> None:
    path = _write(tmp, name, content)
    page.get_by_label("Data file (.csv, .xlsx, .xls, .dta)").set_input_files(str(path))
    page.get_by_role("button", name="Upload", exact=True).click()


def admin_job(server: Any, job_id: str) -> dict[str, Any]:
    return httpx.get(f"{server.base_url}/api/admin/jobs/{job_id}", headers=ADMIN).json()


def test_researcher_journey_from_task_code_to_downloaded_results(browser, stack) -> None:
    server, analyst, tmp = stack
    analyst.roles = {"outcome": "v1_525353", "treatment": "educ", "controls": ["exper"],
                     "cluster": "firm"}
    shot = Shots("journey")
    printed = (tmp / "server.log").read_text(encoding="utf-8", errors="replace")
    assert f"Workspace (researchers): {server.base_url}/\n" in printed
    page = new_page(browser, server.base_url)
    page.goto("/")
    expect(page.get_by_role("heading", name="Research workspace")).to_be_visible()
    shot(page, "start")
    redeem(page, issue_code(server), "OLS regression of wage on education, cluster by firm")
    shot(page, "redeemed")

    upload(page, tmp, "工资数据.csv", WAGES)
    expect(page.locator("#upload-text")).to_contain_text("Uploaded 工资数据.csv")
    assert page.locator("#upload-bar").get_attribute("value") == "100"
    columns = page.locator("table.columns")
    expect(columns).to_contain_text("工资")
    expect(columns).to_contain_text("v1_525353")
    expect(columns.locator("tr", has_text="educ")).to_contain_text("17%")  # 1 of 6 missing
    expect(columns.locator("tr", has_text="入职日期").locator(".tag.ok")).not_to_be_empty()
    shot(page, "preview")

    draft = page.locator("#draft")
    expect(draft.get_by_text("Ready to plan")).to_be_visible()
    expect(draft).to_contain_text("v1_525353 (工资)")
    expect(draft).to_contain_text("Multiple linear regression (OLS)")
    shot(page, "draft")

    page.get_by_role("button", name="Prepare the plan").click()
    plan = page.locator("#plan")
    expect(plan).to_contain_text("Nothing is frozen yet")  # shown before it is frozen
    expect(plan.locator("tr", has_text="depvar")).to_contain_text("v1_525353 (工资)")
    expect(plan).to_contain_text("regression_table.csv")
    expect(plan.locator("details.more")).to_contain_text("inputs_fingerprint")  # shown as-is
    shot(page, "plan")

    page.get_by_role("button", name="Run the analysis").click()
    expect(page.locator("#job-status")).to_have_attribute("data-status", "succeeded",
                                                          timeout=60_000)
    expect(plan).to_contain_text("The plan is frozen")
    expect(page.locator("#elapsed")).not_to_be_empty()
    results = page.locator("#results")
    expect(results.locator("table.result").first).to_be_visible()
    expect(results.get_by_text("The analysis finished.")).to_be_visible()
    shot(page, "results")
    assert unlabelled_controls(page) == []

    page.get_by_role("button", name="Build the report in English").click()
    report = page.locator("#report")
    expect(report.get_by_role("button", name="Download report.html")).to_be_visible()
    expect(report.get_by_role("button", name="Download report.docx")).to_be_visible()
    with page.expect_download() as info:
        report.get_by_role("button", name="Download report.html").click()
    html = Path(info.value.path()).read_text(encoding="utf-8")
    assert "<html" in html and "regression" in html.lower()
    shot(page, "report")

    job_id = page.locator("#job-id").inner_text()
    index = {a["rel_path"]: a for a in admin_job(server, job_id)["artifact_index"]}
    listed = httpx.get(f"{server.base_url}/v1/jobs/{job_id}/artifacts", headers={
        "Authorization": "Bearer " + page.evaluate("JSON.parse(sessionStorage['ss.job']).token")
    }).json()["artifacts"]
    buttons = results.locator("table.artifacts button[data-rel-path]")
    assert buttons.count() == len(listed)
    for rel_path in [p for p in index if p.endswith((".csv", ".do", ".log"))][:3]:
        with page.expect_download() as info:
            results.locator(f'button[data-rel-path="{rel_path}"]').click()
        body = Path(info.value.path()).read_bytes()
        assert hashlib.sha256(body).hexdigest() == index[rel_path]["sha256"], rel_path
        assert info.value.suggested_filename == rel_path.rsplit("/", 1)[-1]

    page.reload()
    expect(page.locator("#job-status")).to_have_attribute("data-status", "succeeded")
    page.locator("#lang-select").select_option("zh")
    expect(page.get_by_role("heading", name="研究工作区")).to_be_visible()
    expect(page.locator("#job-status")).to_have_text("成功")
    shot(page, "results-zh")
    assert page.js_errors == []


def wait_job(server: Any, job_id: str, wanted: set[str], timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        body = admin_job(server, job_id)
        if body["status"] in wanted:
            return body
        time.sleep(0.2)
    raise AssertionError(f"job stayed {body.get('status')}")


def test_blocking_unknown_answered_and_template_switched_in_chinese(browser, stack) -> None:
    server, analyst, tmp = stack
    analyst.roles = {"treatment": "educ"}
    shot = Shots("unknown")
    page = new_page(browser, server.base_url, lang="zh")
    page.goto("/")
    expect(page.get_by_role("heading", name="研究工作区")).to_be_visible()
    page.locator("#task-code").fill(issue_code(server))
    page.locator("#requirement").fill("工资对受教育年限的多元回归")
    page.locator("#redeem-form button[type=submit]").click()
    page.locator("#file").set_input_files(str(_write(tmp, "工资.csv", WAGES)))
    page.locator("#upload-button").click()
    draft = page.locator("#draft")
    question = draft.locator("fieldset.question.blocking").first
    expect(question).to_be_visible()
    expect(page.locator("#draft-state")).to_have_attribute("data-decision", "needs_input")
    shot(page, "blocking-question")
    assert unlabelled_controls(page) == []

    question.get_by_label("v1_525353 (工资)").check()
    question.get_by_role("button", name="确认").click()
    expect(page.locator("#draft-state")).to_have_attribute("data-decision", "ready_to_freeze")
    expect(draft.locator("fieldset.question.blocking")).to_have_count(0)
    expect(draft.locator("tr", has_text="outcome_var")).to_contain_text("v1_525353")
    expect(draft.locator("tr", has_text="outcome_var")).to_contain_text("因变量")
    shot(page, "answered")

    treatment = draft.locator("tr", has_text="treatment_var")
    treatment.get_by_text("修改").click()
    treatment.locator("select").select_option("exper")
    treatment.get_by_role("button", name="保存").click()
    expect(draft.locator("tr", has_text="treatment_var")).to_contain_text("exper")
    shot(page, "role-changed")

    alternative = draft.locator("ul.alternatives li").first
    switched_to = alternative.locator("code").first.inner_text()
    alternative.get_by_role("button").click()
    expect(draft.locator(".template-card code").first).to_have_text(switched_to)
    shot(page, "template-switched")

    page.locator("#prepare-plan").click()
    expect(page.locator("#sec-plan")).to_be_visible()
    shot(page, "plan")
    plan = page.locator("#plan")
    expect(plan).to_contain_text("尚未冻结")
    expect(plan).to_contain_text(switched_to)
    expect(plan.locator("table")).to_contain_text("v1_525353")
    expect(draft.get_by_role("button", name="改用此模板").first).to_be_visible()  # still editable
    draft.locator("tr", has_text="treatment_var").get_by_text("修改").click()
    draft.locator("tr", has_text="treatment_var").locator("select").select_option("educ")
    draft.locator("tr", has_text="treatment_var").get_by_role("button", name="保存").click()
    expect(page.locator("#sec-plan")).to_be_hidden()  # a corrected draft clears the stale plan
    assert page.js_errors == []


def _write(tmp: Path, name: str, content: str | bytes) -> Path:
    path = tmp / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return path


@pytest.mark.parametrize(("name", "content", "code"), [
    ("notes.txt", "just some words\n", "INPUT_UNSUPPORTED_FORMAT"),
    ("empty.csv", "", "INPUT_EMPTY"),
    ("broken.xlsx", b"PK\x03\x04 this is not a workbook", "INPUT_PARSE_FAILED"),
])
def test_upload_errors_are_explained(browser, stack, name, content, code) -> None:
    from ss_http.web.pages import catalogue

    server, analyst, tmp = stack
    shot = Shots(f"upload-error-{code.lower()}")
    page = new_page(browser, server.base_url)
    page.goto("/")
    redeem(page, issue_code(server), "describe the data")
    upload(page, tmp, name, content)
    box = page.locator("#upload-error")
    expect(box).to_contain_text(catalogue()["en"][f"error.{code}"])
    expect(box).to_contain_text(code)
    assert page.locator("#sec-draft").is_hidden()
    shot(page, "error")
    analyst.roles = {"outcome": "y", "treatment": "x"}
    upload(page, tmp, "panel.csv", PANEL)
    expect(page.locator("table.columns")).to_contain_text("year")
    expect(box).to_be_empty()
    shot(page, "recovered")


def test_failed_run_shows_diagnosis_and_failing_line_then_retry_succeeds(browser, tmp_path) -> None:
    analyst = Analyst(prefer="ols_robust", roles={"outcome": "v1_525353", "treatment": "educ"})
    shot = Shots("failure")
    with running_stack(tmp_path, analyst,
                       SS_STATA_DOUBLE_DIRECTIVES="sleep 3;fail 430") as (server, _):
        page = new_page(browser, server.base_url)
        page.goto("/")
        redeem(page, issue_code(server), "OLS of wage on education")
        upload(page, tmp_path, "wages.csv", WAGES)
        page.get_by_role("button", name="Prepare the plan").click()
        page.get_by_role("button", name="Run the analysis").click()
        expect(page.locator("#job-status")).to_have_attribute("data-status", "running",
                                                              timeout=30_000)
        expect(page.locator("#elapsed")).to_have_text(re.compile(r"^[1-9]\d* s$"))
        shot(page, "running")
        expect(page.locator("#job-status")).to_have_attribute("data-status", "failed",
                                                              timeout=60_000)
        failure = page.locator("#results .failure")
        expect(failure).to_contain_text("STATA_STATISTICAL_FAILURE")
        expect(page.locator("#diagnosis")).to_contain_text("r(430)")
        failing = page.locator("#failing-line")
        expect(failing).to_be_visible()
        assert failing.inner_text().strip().startswith(".")
        expect(page.locator("pre.log .log-line.failing")).not_to_have_count(0)
        expect(page.get_by_role("button", name="Retry the run")).to_be_visible()
        shot(page, "failed")

        # The operator fixes the installation; the researcher comes back and retries.
        server.stop()
        server.start(SS_STATA_DOUBLE_DIRECTIVES="")
        page.reload()
        expect(page.locator("#job-status")).to_have_attribute("data-status", "failed")
        page.get_by_role("button", name="Retry the run").click()
        expect(page.locator("#job-status")).to_have_attribute("data-status", "succeeded",
                                                              timeout=60_000)
        expect(page.locator("#run-status")).to_contain_text("Attempt 2")
        expect(page.locator("#results .failure")).to_have_count(0)
        expect(page.locator("#results table.result").first).to_be_visible()
        shot(page, "retried")
        assert page.js_errors == []


def _failed_job(server: Any, analyst: Analyst) -> str:
    """A job whose run failed because community packages are missing (retryable)."""
    analyst.prefer = "panel_hdfe_reghdfe"
    analyst.roles = {"outcome": "y", "regressors": ["x"], "unit_id": "id", "time": "year"}
    try:
        with httpx.Client(base_url=server.base_url, timeout=30) as client:
            code = issue_code(server)
            r = client.post("/v1/task-codes/redeem",
                            json={"task_code": code, "requirement": "reghdfe 高维固定效应"})
            job_id, auth = r.json()["job_id"], {"Authorization": f"Bearer {r.json()['token']}"}
            r = client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth,
                            files={"file": ("panel.csv", PANEL.encode(), "text/csv")})
            assert r.status_code == 200, r.text
            assert client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth).status_code == 200
            r = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth,
                            json={"template_id": "panel_hdfe_reghdfe"})
            assert r.status_code == 200, r.text
            assert client.post(f"/v1/jobs/{job_id}/run", headers=auth).status_code == 202
    finally:
        analyst.prefer = "ols_robust"
    assert wait_job(server, job_id, {"failed", "succeeded"})["status"] == "failed"
    return job_id


def test_operator_issues_and_revokes_codes_and_retries_a_failed_job(browser, stack) -> None:
    server, analyst, tmp = stack
    failed = _failed_job(server, analyst)
    shot = Shots("console")
    page = new_page(browser, server.base_url)
    page.on("dialog", lambda dialog: dialog.accept())
    page.goto("/console")
    page.get_by_label("Admin token").fill("not-the-token")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#login-error")).to_contain_text("The admin token is wrong")
    page.get_by_label("Admin token").fill(ADMIN_TOKEN)
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator("#readiness")).to_have_text("Ready")
    expect(page.locator("#stata-version")).to_have_text("Stata 18 MP")
    expect(page.locator("#llm-model")).to_contain_text("ss-test-model")
    expect(page.locator("#queue-depth")).to_contain_text("0 queued")
    shot(page, "system")

    page.get_by_label("How many").fill("2")
    page.get_by_label("Label (optional)").fill("workshop A")
    page.get_by_role("button", name="Issue", exact=True).click()
    issued = page.locator("#issued .task-code")
    expect(issued).to_have_count(2)
    codes = issued.all_inner_texts()
    first_copy = page.locator("#issued ul.codes button").first
    first_copy.click()
    expect(first_copy).to_have_text("Copied")
    rows = page.locator("table.codes-table tbody tr", has_text="workshop A")
    expect(rows).to_have_count(2)
    assert not any(code in page.locator("#codes").inner_text() for code in codes)
    shot(page, "issued")

    rows.first.get_by_role("button", name=re.compile("^Revoke")).click()
    expect(page.locator("table.codes-table tbody tr", has_text="revoked")).to_have_count(1)
    shot(page, "revoked")
    revoked_id = page.locator("table.codes-table tbody tr", has_text="revoked").locator(
        "code").first.inner_text()
    listing = httpx.get(server.base_url + "/api/admin/task-codes", headers=ADMIN).json()
    assert next(c for c in listing["task_codes"]
                if c["task_code_id"] == revoked_id)["revoked_at"]
    researcher = new_page(browser, server.base_url)
    researcher.goto("/")
    outcomes = set()
    for code in codes:
        researcher.get_by_role("textbox", name="Task code").fill(code)
        researcher.get_by_label("What should the analysis do?").fill("describe")
        researcher.get_by_role("button", name="Start").click()
        error = researcher.locator("#redeem-error")
        expect(researcher.locator("#redeem-error:not(:empty), #job-id:not(:empty)")
               ).to_have_count(1)
        if researcher.locator("#job-line").is_visible():
            outcomes.add("redeemed")
            researcher.get_by_role("button", name="Use another task code").click()
        else:
            expect(error).to_contain_text("This task code has been revoked")
            outcomes.add("revoked")
            shot(researcher, "revoked-code-refused")
    assert outcomes == {"redeemed", "revoked"}

    page.get_by_label("Status").select_option("failed")
    page.get_by_role("button", name="Show").click()
    job_row = page.locator("table.jobs-table tbody tr", has_text=failed)
    expect(job_row).to_have_count(1)
    page.get_by_label("Find (id, tenant, template)").fill("no-such-job")
    expect(page.locator("#jobs")).to_contain_text("No jobs match.")
    page.get_by_label("Find (id, tenant, template)").fill("reghdfe")
    expect(job_row).to_have_count(1)
    job_row.get_by_role("button", name=re.compile("^Open")).click()
    detail = page.locator("#job-detail")
    expect(detail.locator("#detail-status")).to_have_text("failed")
    expect(detail).to_contain_text("STATA_DEPENDENCY_MISSING")
    expect(detail).to_contain_text("run.failed")
    shot(page, "failed-job")
    report = next(a for a in admin_job(server, failed)["artifact_index"]
                  if a["kind"] == "error_report")
    with page.expect_download() as info:
        detail.locator(f'button[data-rel-path="{report["rel_path"]}"]').click()
    body = Path(info.value.path()).read_bytes()
    assert hashlib.sha256(body).hexdigest() == report["sha256"]
    assert b"STATA_DEPENDENCY_MISSING" in body
    url = f"{server.base_url}/api/admin/jobs/{failed}/artifacts/{report['rel_path']}"
    assert httpx.get(url, headers=ADMIN).content == body
    denied = httpx.get(url, headers={"Authorization": "Bearer nope"})
    assert denied.status_code == 403 and denied.json()["error_code"] == "AUTH_ADMIN_TOKEN_INVALID"
    missing = httpx.get(url + ".nope", headers=ADMIN)
    assert missing.status_code == 404, missing.text

    install_ado(tmp, "reghdfe", "ftools")
    detail.get_by_role("button", name="Retry this job").click()
    expect(detail).to_contain_text("Queued again as attempt 2")
    assert wait_job(server, failed, {"succeeded", "failed"})["status"] == "succeeded"
    page.get_by_label("Status").select_option("")
    page.get_by_role("button", name="Show").click()
    page.locator("table.jobs-table tbody tr", has_text=failed).get_by_role(
        "button", name=re.compile("^Open")).click()
    expect(detail.locator("#detail-status")).to_have_text("succeeded")
    runs = detail.locator("table.runs-table tbody tr")
    expect(runs).to_have_count(2)
    expect(runs.first).to_contain_text("STATA_DEPENDENCY_MISSING")
    expect(runs.last).to_contain_text("succeeded")
    expect(detail.locator("table.audit-table")).to_contain_text("run.succeeded")
    assert unlabelled_controls(page) == []
    shot(page, "retried-job")
    assert page.js_errors == [] and researcher.js_errors == []


def test_excel_sheet_is_chosen_in_the_page(browser, stack) -> None:
    import io

    from openpyxl import Workbook

    server, analyst, tmp = stack
    analyst.roles = {"outcome": "v1_525353", "treatment": "educ"}
    book = Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["note"])
    notes.append(["wages survey 2026"])
    data = book.create_sheet("data")
    for line in WAGES.strip().splitlines():
        data.append([float(v) if v.replace(".", "").isdigit() else (v or None)
                     for v in line.split(",")])
    buffer = io.BytesIO()
    book.save(buffer)
    shot = Shots("excel")
    page = new_page(browser, server.base_url)
    page.goto("/")
    redeem(page, issue_code(server), "OLS of wage on education")
    upload(page, tmp, "survey.xlsx", buffer.getvalue())
    sheet = page.get_by_label("Excel sheet")
    expect(sheet).to_be_visible()
    expect(page.locator("#draft")).not_to_be_empty()
    shot(page, "first-sheet")
    sheet.select_option("data")
    page.get_by_role("button", name="Use this sheet").click()
    expect(page.locator("table.columns")).to_contain_text("工资")
    expect(page.get_by_label("Excel sheet")).to_have_value("data")
    expect(page.locator("#draft-state")).to_be_visible()
    shot(page, "data-sheet")
    assert page.js_errors == []


def test_language_model_failure_is_explained_and_the_draft_retried(browser, stack) -> None:
    server, analyst, tmp = stack
    analyst.roles = {"outcome": "v1_525353", "treatment": "educ"}
    shot = Shots("llm-failure")
    page = new_page(browser, server.base_url)
    page.goto("/")
    redeem(page, issue_code(server), "OLS of wage on education")
    server.llm.enqueue(500, {"error": {"message": "model overloaded"}})
    upload(page, tmp, "wages.csv", WAGES)
    box = page.locator("#draft-error")
    expect(box).to_contain_text("The language model did not answer")
    shot(page, "draft-failed")
    box.get_by_role("button", name="Try again").click()
    expect(page.locator("#draft-state")).to_have_attribute("data-decision", "ready_to_freeze")
    expect(box).to_be_empty()
    shot(page, "draft-retried")
    assert page.js_errors == []


def _tab_to(page: Page, selector: str, limit: int = 40) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    target = page.locator(selector)
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    raise AssertionError(f"{selector} is not reachable with the keyboard")


def test_keyboard_only_redeem_upload_and_answer(browser, stack) -> None:
    server, analyst, tmp = stack
    analyst.roles = {"treatment": "educ"}
    shot = Shots("keyboard")
    page = new_page(browser, server.base_url)
    page.goto("/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    assert skip.evaluate("el => el === document.activeElement")
    expect(skip).to_be_in_viewport()
    _tab_to(page, "#task-code")
    page.keyboard.type(issue_code(server))
    page.keyboard.press("Tab")
    page.keyboard.type("OLS regression")
    _tab_to(page, "#redeem-form button[type=submit]")
    page.keyboard.press("Enter")
    expect(page.locator("#job-id")).not_to_be_empty()
    page.locator("#file").set_input_files(str(_write(tmp, "wages.csv", WAGES)))
    _tab_to(page, "#upload-button")
    page.keyboard.press("Enter")
    question = page.locator("#draft fieldset.question.blocking").first
    expect(question).to_be_visible()
    _tab_to(page, "#draft fieldset.question.blocking input[type=radio] >> nth=0")
    page.keyboard.press("Space")
    _tab_to(page, "#draft fieldset.question.blocking button")
    shot(page, "answer-focused")
    page.keyboard.press("Enter")
    expect(page.locator("#draft-state")).to_have_attribute("data-decision", "ready_to_freeze")
    _tab_to(page, "#prepare-plan", limit=80)
    page.keyboard.press("Enter")
    expect(page.locator("#plan")).to_contain_text("Nothing is frozen yet")
    _tab_to(page, "#run-button", limit=80)
    shot(page, "run-focused")
    assert page.js_errors == []


def test_a_large_upload_inspected_after_its_answer_shows_its_preview_and_draft(
    browser, tmp_path
) -> None:
    """The upload answers before the whole file is inspected (larger than the inline limit,
    here 0 bytes): the page waits for the preview and the draft, with no error shown."""
    analyst = Analyst(prefer="ols_robust", roles={"outcome": "v1_525353", "treatment": "educ"})
    rows = "".join(f"{8 + (i % 97) / 10:.1f},{10 + i % 9},{1 + i % 40},{i % 30},2020-01-06\n"
                   for i in range(40_000))
    with running_stack(tmp_path, analyst, SS_UPLOAD_INSPECT_INLINE_BYTES="0",
                       SS_INPUTS_WAIT_SECONDS="0.001") as (server, _):
        page = new_page(browser, server.base_url)
        page.goto("/")
        redeem(page, issue_code(server), "OLS of wage on education")
        upload(page, tmp_path, "wages.csv", WAGES.splitlines(keepends=True)[0] + rows)
        expect(page.locator("table.columns")).to_contain_text("工资", timeout=60_000)
        expect(page.locator("#preview")).to_contain_text("40000 rows", timeout=5_000)
        expect(page.locator("#draft-state")).to_be_visible(timeout=60_000)
        expect(page.locator("#upload-error")).to_be_empty()
        Shots("inspected-later")(page, "preview-and-draft")
        assert page.js_errors == []
