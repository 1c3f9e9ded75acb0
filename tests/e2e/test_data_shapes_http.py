"""Scenario 3 of the draft promise over real HTTP (real `ssctl serve`, doubles only behind
the LLM endpoint and the Stata executable): data shaped as real data is.

An unbalanced firm-quarter panel whose firms are named (text ids), whose time column is
Chinese quarter text ("2018年第1季度"), whose revenue is stored as text ("¥12,345") and whose
industry code changes within a firm (a cluster not nested in the unit):

- the upload preview shows the date column with its frequency and the numbers stored as text;
- with the fixed-effects template the draft is ready, says in ``data_notes`` what the
  generated code will do, and the run succeeds; the do-file converts by generated code only;
- with random effects (xtreg re cannot cluster on a variable that varies within the unit) the
  draft blocks with the reason and offers the nested columns, and the offered fix runs;
- a Stata file with text province ids and a ``%tm`` month previews the month as Stata shows it
  and runs two-way fixed effects.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pandas as pd
import pyreadstat
import pytest

from tests.e2e.stack import Analyst, running_stack
from tests.e2e.test_draft_promise_http import drafted, run_to_success
from tests.e2e.test_journey_real_http import new_job

pytestmark = pytest.mark.slow

FIRMS = [f"公司{chr(65 + i)}" for i in range(10)]


def _panel() -> str:
    rows = ["firm,quarter,profit,revenue,industry,region"]
    for i, firm in enumerate(FIRMS):
        for q in range(8):
            if (i + q) % 7 == 3:  # unbalanced: some firm-quarters are absent
                continue
            year, quarter = 2018 + q // 4, q % 4 + 1
            revenue = 1000 * (i + 1) + 37 * q
            industry = 10 + i % 3 + (1 if q >= 4 and i % 2 else 0)  # moves within the firm
            rows.append(f"{firm},{year}年第{quarter}季度,{0.1 * revenue + 5 * (i % 4) + q:.1f},"
                        f"\"¥{revenue:,}\",{industry},{i % 3 + 1}")
    return "\n".join(rows) + "\n"


PANEL = _panel()
REQUEST = "面板固定效应回归：利润对营业收入回归，按行业聚类标准误"
ROLES = {"outcome": "profit", "regressors": ["revenue"], "unit_id": "firm",
         "time": "quarter", "cluster": "industry"}


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, Analyst]]:
    analyst = Analyst()
    tmp: Path = tmp_path_factory.mktemp("shapes")
    with running_stack(tmp, analyst) as (server, _llm), server.client() as client:
        yield client, analyst


def _do_file(client: httpx.Client, job_id: str, auth: dict) -> str:
    r = client.get(f"/v1/jobs/{job_id}/artifacts", headers=auth)
    assert r.status_code == 200, r.text
    items = r.json()["artifacts"]
    do = next(a for a in items if a["kind"] == "do_file")
    r = client.get(f"/v1/jobs/{job_id}/artifacts/{do['rel_path']}", headers=auth)
    assert r.status_code == 200, r.text
    return r.text


def test_scenario_3_real_data_shapes_run_with_fixed_effects(
    stack: tuple[httpx.Client, Analyst],
) -> None:
    client, analyst = stack
    job_id, auth, draft = drafted(client, analyst, REQUEST, PANEL, ROLES, "panel_fixed_effects")
    r = client.get(f"/v1/jobs/{job_id}/inputs/preview", headers=auth)
    columns = {c["name"]: c for c in r.json()["columns"]}
    assert columns["quarter"]["inferred_type"] == "date"
    assert columns["quarter"]["date_frequency"] == "quarterly"
    assert columns["revenue"]["numbers_as_text"] == ["currency", "thousands"]
    assert "date_frequency" not in columns["profit"]

    assert draft["selected_template"]["template_id"] == "panel_fixed_effects"
    assert draft["readiness"] == "ready_to_freeze", draft["open_unknowns"]
    notes = " | ".join(draft["data_notes"])
    assert "quarterly dates" in notes and "converted to quarters" in notes
    assert "firm is text; encoded" in notes
    assert "revenue holds numbers stored as text" in notes
    assert "industry varies within firm" in notes and "nonest" in notes
    types = {v["name"]: v for v in draft["variable_types"]}
    assert types["quarter"]["date_frequency"] == "quarterly"

    plan = run_to_success(client, job_id, auth, {})
    contract = plan["params_contract"]
    assert contract["bound_values"]["unit_id"] == "firm"
    assert contract["bound_values"]["time"] == "quarter"
    assert contract["bound_values"]["cluster_nonest"] is True
    assert contract["sources"]["cluster_nonest"] == "data"
    do_file = _do_file(client, job_id, auth)
    assert "quietly replace quarter = qofd(quarter)" in do_file
    assert "capture encode firm, generate(`ss_enc')" in do_file
    assert "rename `ss_num' revenue" in do_file
    assert "nonest dfadj" in do_file
    assert "公司" not in do_file and "¥" not in do_file.split("* ---- data shapes")[0]


def test_scenario_3_random_effects_blocks_on_the_unnested_cluster_and_the_fix_runs(
    stack: tuple[httpx.Client, Analyst],
) -> None:
    client, analyst = stack
    job_id, auth, draft = drafted(client, analyst, REQUEST.replace("固定", "随机"), PANEL, ROLES,
                                  "panel_random_effects")
    assert draft["selected_template"]["template_id"] == "panel_random_effects"
    assert draft["readiness"] == "needs_input"
    [blocker] = [u for u in draft["open_unknowns"] if u["blocking"]]
    assert blocker["field"] == "cluster_var" and blocker["param"] == "clustvar"
    assert "industry varies within firm" in blocker["description"]
    assert "region" in blocker["candidates"] and "industry" not in blocker["candidates"]
    r = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth, json={})
    assert r.status_code == 400 and r.json()["error_code"] == "PLAN_FREEZE_MISSING_REQUIRED"
    r = client.post(f"/v1/jobs/{job_id}/draft/patch", headers=auth,
                    json={"field_updates": {"cluster_var": "region"}})
    assert r.status_code == 200, r.text
    assert r.json()["draft_preview"]["readiness"] == "ready_to_freeze"
    plan = run_to_success(client, job_id, auth, {})
    assert plan["params_contract"]["bound_values"]["clustvar"] == "region"


def _stata_panel(path: Path) -> bytes:
    """A Stata file: province names (text), a %tm month, an industry code that moves."""
    rows = []
    for i, province in enumerate(["北京", "上海", "广东", "浙江", "四川", "湖北"]):
        for m in range(12):
            if (i + m) % 5 == 2:
                continue  # unbalanced
            rows.append({"province": province, "month": 720 + m,  # 2020m1 ...
                         "industry": 1 + i % 3 + (1 if m >= 6 and i % 2 else 0),
                         "x": float(i + m), "y": 2.0 * (i + m) + (i % 3) + 0.1 * m})
    frame = pd.DataFrame(rows)
    pyreadstat.write_dta(frame, str(path), version=14, variable_format={"month": "%tm"})
    return path.read_bytes()


def test_scenario_3_a_stata_file_with_text_ids_and_a_monthly_period_runs(
    stack: tuple[httpx.Client, Analyst], tmp_path: Path,
) -> None:
    client, analyst = stack
    analyst.prefer = "panel_twoway_fe"
    analyst.roles = {"outcome": "y", "regressors": ["x"], "unit_id": "province",
                     "time": "month", "cluster": "industry"}
    job_id, auth = new_job(client, "two-way fixed effects of y on x by province and month")
    r = client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth,
                    files={"file": ("panel.dta", _stata_panel(tmp_path / "p.dta"),
                                    "application/x-stata-dta")})
    assert r.status_code == 200, r.text
    preview = client.get(f"/v1/jobs/{job_id}/inputs/preview", headers=auth).json()
    month = next(c for c in preview["columns"] if c["name"] == "month")
    assert (month["inferred_type"], month["date_frequency"], month["date_unit"]) == (
        "date", "monthly", "tm")
    assert preview["sample_rows"][0]["month"] == "2020m1"
    deadline = time.monotonic() + 30
    while (r := client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)).status_code != 200:
        assert time.monotonic() < deadline, r.text
        time.sleep(0.2)
    draft = r.json()
    assert draft["readiness"] == "ready_to_freeze", draft["open_unknowns"]
    assert any("province is text; encoded" in n for n in draft["data_notes"])
    assert any("monthly dates; used as it is" in n for n in draft["data_notes"])
    plan = run_to_success(client, job_id, auth, {})
    assert plan["params_contract"]["bound_values"]["cluster_nonest"] is True
    do_file = _do_file(client, job_id, auth)
    assert "format month %tm" in do_file and "capture encode province" in do_file
