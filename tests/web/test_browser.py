"""The page in a real browser (Debian's headless Chromium through Playwright) against a real
`ssctl serve` process with the LLM server double and the Stata executable double.

Each scenario keeps screenshots of its steps under reports/ui/."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.stack import ADMIN_TOKEN, Analyst, running_stack
from tests.web.browser import Shots, launch, new_page

pytestmark = pytest.mark.slow

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
WAGES = ("工资,educ,firm,exper\n10.5,12,1,3\n12.0,16,2,5\n9.0,10,1,1\n14.2,18,3,9\n"
         "11.1,14,2,4\n13.0,,3,6\n")
PANEL = "id,year,y,x\n" + "".join(f"{i},{t},{1.5 * i + 0.3 * t},{i * t % 7}\n"
                                  for i in range(1, 7) for t in range(2000, 2006))


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from launch()


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Analyst, Path]]:
    tmp = tmp_path_factory.mktemp("web")
    analyst = Analyst(prefer="ols_robust")
    with running_stack(tmp, analyst) as (server, _llm):
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
    path = tmp / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    page.get_by_label("Data file (.csv, .xlsx, .xls, .dta)").set_input_files(str(path))
    page.get_by_role("button", name="Upload", exact=True).click()


def admin_job(server: Any, job_id: str) -> dict[str, Any]:
    return httpx.get(f"{server.base_url}/api/admin/jobs/{job_id}", headers=ADMIN).json()


def test_researcher_journey_from_task_code_to_downloaded_results(browser, stack) -> None:
    server, analyst, tmp = stack
    analyst.roles = {"outcome": "v1_525353", "treatment": "educ", "controls": ["exper"],
                     "cluster": "firm"}
    shot = Shots("journey")
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
    shot(page, "preview")

    draft = page.locator("#draft")
    expect(draft.get_by_text("Ready to plan")).to_be_visible()
    expect(draft).to_contain_text("v1_525353 (工资)")
    expect(draft).to_contain_text("Multiple linear regression (OLS)")
    shot(page, "draft")

    page.get_by_role("button", name="Prepare the plan").click()
    plan = page.locator("#plan")
    expect(plan).to_contain_text("The plan is frozen")
    expect(plan.locator("tr", has_text="depvar")).to_contain_text("v1_525353")
    expect(plan).to_contain_text("regression_table.csv")
    shot(page, "plan")

    page.get_by_role("button", name="Run the analysis").click()
    expect(page.locator("#job-status")).to_have_attribute("data-status", "succeeded",
                                                          timeout=60_000)
    expect(page.locator("#elapsed")).not_to_be_empty()
    results = page.locator("#results")
    expect(results.locator("table.result").first).to_be_visible()
    expect(results.get_by_text("The analysis finished.")).to_be_visible()
    shot(page, "results")

    job_id = page.locator("#job-id").inner_text()
    index = {a["rel_path"]: a for a in admin_job(server, job_id)["artifact_index"]}
    buttons = results.locator("table.artifacts button[data-rel-path]")
    assert buttons.count() == len(index)
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
