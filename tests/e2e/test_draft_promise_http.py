"""The draft is a promise, over real HTTP against a real `ssctl serve` (doubles only behind
the LLM endpoint and the Stata executable): the dead ends users hit now end in runs that
succeed, or in a draft that names what is missing and offers the fix.

1. A panel request whose draft put the regressor under `treatment`: the panel templates are
   still candidates, the sibling role binds, and when the LLM picks the wrong template the
   draft says what blocks and the user switches to a runner-up by draft patch.
2. The outcome reused as the group / the treatment: the draft blocks on it, offers only
   usable columns as `{option_id, label, value}` options, and the answer (keyed by our own
   question id) or a patch makes it run.
4. "Run a t-test" retrieves the t test first, and the group comes from the treatment the
   LLM filled.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.e2e.stack import Analyst, running_stack
from tests.e2e.test_journey_real_http import new_job, upload, wait_status

pytestmark = pytest.mark.slow

PANEL = "pid,year,wage,educ,exper,female\n" + "".join(
    f"{i},{t},{8 + 0.7 * (8 + i % 9) + 0.2 * (t - 2010) + (i % 3)},{8 + i % 9},"
    f"{t - 2005 + i % 5},{i % 2}\n"
    for i in range(1, 13) for t in range(2010, 2016))
SCENARIO_1 = ("Panel fixed effects regression of wage on educ, exper and female, clustered by "
              "pid, with year fixed effects (a two-way fixed effects model)")
LLM_ROLES_1 = {"outcome": "wage", "treatment": "educ", "controls": ["exper", "female"],
               "unit_id": "pid", "time": "year", "cluster": "pid"}
PEOPLE = "income,female,age,educ,region\n" + "".join(
    f"{2000 + 37 * i % 900 + 150 * (i % 2)},{i % 2},{20 + i % 40},{9 + i % 8},{i % 4 + 1}\n"
    for i in range(1, 41))


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[httpx.Client, Analyst]]:
    analyst = Analyst()
    tmp: Path = tmp_path_factory.mktemp("promise")
    with running_stack(tmp, analyst) as (server, _llm), server.client() as client:
        yield client, analyst


def drafted(client: httpx.Client, analyst: Analyst, requirement: str, data: str,
            roles: dict, prefer: str | None) -> tuple[str, dict, dict]:
    analyst.roles, analyst.prefer = roles, prefer
    job_id, auth = new_job(client, requirement)
    upload(client, job_id, auth, data)
    deadline = time.monotonic() + 30
    while True:
        r = client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
        if r.status_code == 200 or time.monotonic() > deadline:
            break
        time.sleep(0.2)
    assert r.status_code == 200, r.text
    return job_id, auth, r.json()


def run_to_success(client: httpx.Client, job_id: str, auth: dict, body: dict) -> dict:
    r = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth, json=body)
    assert r.status_code == 200, r.text
    plan = r.json()["plan"]
    r = client.post(f"/v1/jobs/{job_id}/run", headers=auth)
    assert r.status_code == 202, r.text
    status = wait_status(client, job_id, auth, {"succeeded", "failed"})
    assert status["status"] == "succeeded", status
    return plan


def test_scenario_1_panel_templates_stay_candidates_and_the_treatment_binds_as_regressor(
    stack: tuple[httpx.Client, Analyst],
) -> None:
    client, analyst = stack
    job_id, auth, draft = drafted(client, analyst, SCENARIO_1, PANEL, LLM_ROLES_1,
                                  "panel_fixed_effects")
    candidates = [c["template_id"] for c in draft["template_candidates"]]
    assert {"panel_fixed_effects", "panel_twoway_fe"} <= set(candidates)
    assert draft["selected_template"]["template_id"] == "panel_fixed_effects"
    assert draft["readiness"] == "ready_to_freeze" and draft["open_unknowns"] == []
    assert draft["decision"] == "auto_freeze"
    assert draft["derived_roles"] == {"regressors": "treatment"}
    assert len(draft["alternatives"]) == 3 and all(a["why"] for a in draft["alternatives"])
    plan = run_to_success(client, job_id, auth, {})
    bound = plan["params_contract"]["bound_values"]
    assert bound["regressors"] == ["educ"] and bound["controls"] == ["exper", "female"]
    assert bound["unit_id"] == "pid" and bound["clustvar"] == "pid"
    assert plan["params_contract"]["sources"]["regressors"] == "draft:treatment"


def test_scenario_1_a_wrong_pick_blocks_with_the_reason_and_a_runner_up_fixes_it(
    stack: tuple[httpx.Client, Analyst],
) -> None:
    client, analyst = stack
    roles = {**LLM_ROLES_1, "treated": "educ"}
    job_id, auth, draft = drafted(client, analyst, SCENARIO_1, PANEL, roles, "did_twfe")
    assert draft["selected_template"]["template_id"] == "did_twfe", draft["template_candidates"]
    assert draft["readiness"] == "needs_input" and draft["decision"] == "require_confirm"
    [blocker] = [u for u in draft["open_unknowns"] if u["blocking"]]
    assert blocker["field"] == "treated_var" and blocker["param"] == "treated"
    assert blocker["problem"] == "invalid" and "binary" in blocker["description"]
    r = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth, json={})
    body = r.json()
    assert r.status_code == 400 and body["error_code"] == "PLAN_FREEZE_MISSING_REQUIRED"
    assert [i["param"] for i in body["invalid_params"]] == ["treated"]
    assert body["open_unknowns"] == [blocker] and body["action"]
    assert body["next_actions"][0]["action"] == "patch_draft"
    ready = [a["template_id"] for a in draft["alternatives"] if a["ready_as_drafted"]]
    assert "panel_fixed_effects" in ready
    assert any("ready as drafted with" in r and "panel_fixed_effects" in r
               for r in draft["decision_reasons"])
    r = client.post(f"/v1/jobs/{job_id}/draft/patch", headers=auth,
                    json={"field_updates": {"template_id": "nope"}})
    assert r.status_code == 400 and r.json()["error_code"] == "DRAFT_TEMPLATE_UNKNOWN"
    r = client.post(f"/v1/jobs/{job_id}/draft/patch", headers=auth,
                    json={"field_updates": {"template_id": "panel_fixed_effects"}})
    assert r.status_code == 200, r.text
    patched = r.json()["draft_preview"]
    assert patched["selected_template"]["template_id"] == "panel_fixed_effects"
    assert patched["readiness"] == "ready_to_freeze"
    assert patched["decision"] == "auto_freeze"  # educ, the stray `treated`, is a regressor
    plan = run_to_success(client, job_id, auth, {})
    assert plan["template"]["template_id"] == "panel_fixed_effects"


def test_scenario_2_the_outcome_as_group_blocks_and_an_offered_option_runs(
    stack: tuple[httpx.Client, Analyst],
) -> None:
    client, analyst = stack
    job_id, auth, draft = drafted(
        client, analyst, "one-way ANOVA of income across regions", PEOPLE,
        {"outcome": "income", "group": "income"}, "anova_oneway")
    assert draft["selected_template"]["template_id"] == "anova_oneway"
    assert draft["readiness"] == "needs_input"
    [blocker] = [u for u in draft["open_unknowns"] if u["blocking"]]
    assert blocker["field"] == "group_var" and "income" not in blocker["candidates"]
    [question] = [q for q in draft["stage1_questions"]
                  if q["question_id"] == "field:group_var"]
    options = question["options"]
    assert options and all(set(o) == {"option_id", "label", "value"} for o in options)
    assert "income" not in {o["value"] for o in options}
    region = next(o for o in options if o["value"] == "region")
    plan = run_to_success(client, job_id, auth,
                          {"answers": {"field:group_var": [region["option_id"]]}, "notes": None})
    assert plan["params_contract"]["bound_values"]["group"] == "region"


def test_scenario_2_the_outcome_as_treatment_blocks_and_a_patch_runs(
    stack: tuple[httpx.Client, Analyst],
) -> None:
    client, analyst = stack
    job_id, auth, draft = drafted(
        client, analyst, "OLS regression of income with robust standard errors", PEOPLE,
        {"outcome": "income", "treatment": "income", "controls": ["age"]}, "ols_robust")
    assert draft["selected_template"]["template_id"] == "ols_robust"
    [blocker] = [u for u in draft["open_unknowns"] if u["blocking"]]
    assert blocker["field"] == "treatment_var" and blocker["param"] == "treatvar"
    assert "income" not in blocker["candidates"] and "age" not in blocker["candidates"]
    r = client.post(f"/v1/jobs/{job_id}/draft/patch", headers=auth,
                    json={"field_updates": {"treatment_var": "educ"}})
    assert r.status_code == 200, r.text
    assert r.json()["remaining_unknowns_count"] == 0
    assert r.json()["draft_preview"]["readiness"] == "ready_to_freeze"
    plan = run_to_success(client, job_id, auth, {})
    assert plan["params_contract"]["bound_values"]["treatvar"] == "educ"


def test_scenario_4_a_t_test_request_runs_the_t_test(
    stack: tuple[httpx.Client, Analyst],
) -> None:
    client, analyst = stack
    job_id, auth, draft = drafted(
        client, analyst, "Is average income different between men and women? Run a t-test",
        PEOPLE, {"outcome": "income", "treatment": "female"}, None)
    assert draft["template_candidates"][0]["template_id"] == "ttest_two_sample"
    assert draft["selected_template"]["template_id"] == "ttest_two_sample"
    assert draft["readiness"] == "ready_to_freeze"
    assert draft["derived_roles"] == {"group": "treatment"}
    plan = run_to_success(client, job_id, auth, {})
    assert plan["params_contract"]["bound_values"]["group"] == "female"
