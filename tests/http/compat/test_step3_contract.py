"""Step 3 (draft, questions, unknowns, corrections, confirm) with the web client's exact
requests and the answer fields it reads, over real HTTP."""

from __future__ import annotations

from typing import Any

import pytest

from tests.http.compat.client_shapes import (
    DRAFT_DECISIONS,
    DraftPatchResponse,
    DraftPreviewResponse,
    DraftStage1Option,
    FreezePlanResponse,
    check,
)
from tests.http.compat.conftest import Stack
from tests.http.compat.data import CSV, PANEL, WAGES
from tests.http.compat.journey_steps import column_named, previewed, start, until_done
from tests.http.compat.web_client import (
    PLACEHOLDER_PARAMS,
    WebClient,
    blocking_missing,
    can_retry_recovery,
    freeze_missing_details,
    recovery_pickers,
)

pytestmark = pytest.mark.slow


def drafted(web: WebClient, stack: Stack, data: bytes, prefer: str,
            roles: dict[str, Any],
            requirement: str = "panel fixed effects: the effect of x on y") -> dict[str, Any]:
    start(web, stack, requirement)
    assert web.upload(("data.csv", data, CSV)).ok
    preview = previewed(web)
    stack.analyst.prefer = prefer
    stack.analyst.roles = {k: (column_named(preview, v[1:]) if isinstance(v, str)
                               and v.startswith("@") else v) for k, v in roles.items()}
    r = web.wait_draft()
    assert r.ok, r.body
    check(r.body, DraftPreviewResponse)
    assert r.body["selected_template"]["template_id"] == prefer, r.body["template_candidates"]
    return dict(r.body)


def plan_bound(web: WebClient) -> dict[str, Any]:
    r = web._request("GET", f"/jobs/{web.job_id}/plan")  # client.ts:168-170
    assert r.ok, r.body
    check(r.body, FreezePlanResponse)
    return dict(r.body["plan"]["params_contract"]["bound_values"])


PANEL_ROLES = {"outcome": "y", "regressors": ["x"]}  # no panel id, no time


def test_stage1_question_answered_by_option_id(web: WebClient, stack: Stack) -> None:
    """C3/C4. panelsConfirm.tsx:103-139 renders ``options[].label`` and stores
    ``[option_id]`` per ``question_id`` (types.ts:126-137); Step3.tsx:149-155 sends
    ``answers`` (our own question ids as keys) only when the draft has questions."""
    draft = drafted(web, stack, PANEL, "panel_fixed_effects", PANEL_ROLES)
    questions = draft["stage1_questions"]
    assert questions, draft["open_unknowns"]
    answers: dict[str, list[str]] = {}
    for q in questions:
        options = [check(o, DraftStage1Option) for o in q["options"]]
        assert options and len({o.option_id for o in options}) == len(options)
        assert all(o.label for o in options)
        wanted = {"field:id_var": "id", "field:time_var": "year"}.get(q["question_id"])
        chosen = next((o for o in options if o.value == wanted), options[0])
        answers[q["question_id"]] = [chosen.option_id]
    unknown_values = {u["field"]: {"id_var": "id", "time_var": "year"}.get(u["field"], "")
                      or (u["candidates"] or [""])[0] for u in draft["open_unknowns"]}
    assert blocking_missing(draft, answers, unknown_values) is None
    r = web.confirm(draft, {}, answers)
    assert r.ok, r.body
    bound = plan_bound(web)
    assert bound["unit_id"] == "id" and bound["time"] == "year"
    assert until_done(web)["status"] == "succeeded"


def test_blocking_unknowns_fixed_by_the_open_unknowns_panel_and_patch(web: WebClient,
                                                                     stack: Stack) -> None:
    """C5/C6 (candidates leave out the columns the parameter may not share: the outcome and
    those declared ``distinct_from``). model.ts:8-11 and 26-48 (a blocking unknown needs a
    value before confirm), panelsConfirm.tsx:170-194 (its ``candidates`` become a picker),
    Step3.tsx:122-141 (``{field_updates: unknownValues}`` then the draft is loaded again),
    types.ts:65-85."""
    draft = drafted(web, stack, PANEL, "panel_fixed_effects", PANEL_ROLES)
    assert draft["decision"] != "auto_freeze"
    blocking = [u for u in draft["open_unknowns"] if u.get("blocking") is True]
    assert {u["field"] for u in blocking} >= {"id_var", "time_var"}
    for u in blocking:  # never the outcome (the parameters are declared distinct from it)
        assert u["candidates"] and draft["outcome_var"] not in u["candidates"], u
    assert blocking_missing(draft, {}, {}) is not None  # the client refuses to confirm
    values = {"id_var": "id", "time_var": "year"}
    r = web.patch_draft(values)
    assert r.ok, r.body
    check(r.body, DraftPatchResponse)
    draft = web.wait_draft().body
    assert not [u for u in draft["open_unknowns"] if u.get("blocking") is True]
    assert blocking_missing(draft, {}, values) is None
    r = web.confirm(draft, {}, {})
    assert r.ok, r.body
    assert until_done(web)["status"] == "succeeded"


def test_freeze_refusal_recovered_with_the_placeholder_pickers(web: WebClient,
                                                               stack: Stack) -> None:
    """C5/C2. When confirm meets PLAN_FREEZE_MISSING_REQUIRED (here: a confirm sent from a
    stale draft view, without the answers its current draft asks for), Step3.tsx:88-97 and
    230-240 parse the error with planFreezeMissingRequired.ts:50-68 and show
    PlanFreezeMissingRequiredPanel.tsx:13-89: one picker per placeholder param
    (``missing_params_detail[].param`` in the set of planFreezeMissingRequired.ts:13) filled
    from its ``candidates``; the retry resends confirm (Step3.tsx:151-158) with
    ``variable_corrections[placeholder] = column`` (PlanFreezeMissingRequiredPanel.tsx:66).
    The panel (line 39) and the error panel (components/ErrorPanel.tsx:41) show ``action`` as
    the hint, so it is words."""
    draft = drafted(web, stack, PANEL, "panel_fixed_effects", PANEL_ROLES)
    r = web.confirm({**draft, "stage1_questions": []}, {}, {})
    assert r.status == 400 and r.internal_code == "PLAN_FREEZE_MISSING_REQUIRED", r.body
    details = freeze_missing_details(r.body)
    assert details is not None and details["action"]
    assert " " in details["action"] and "time_var" in details["action"]  # shown as the hint
    pickers = {p["param"]: p for p in recovery_pickers(details)}
    assert set(pickers) == {"__ID_VAR__", "__TIME_VAR__"}
    assert "id" in pickers["__ID_VAR__"]["candidates"]
    assert "year" in pickers["__TIME_VAR__"]["candidates"]
    corrections = {"__ID_VAR__": "id", "__TIME_VAR__": "year"}
    assert can_retry_recovery(details, corrections)
    r = web.confirm({**draft, "stage1_questions": []}, corrections, {})
    assert r.ok, r.body
    bound = plan_bound(web)
    assert bound["unit_id"] == "id" and bound["time"] == "year"
    assert until_done(web)["status"] == "succeeded"


@pytest.mark.parametrize("placeholder,role_param,column", [
    ("__ID_VAR__", "unit_id", "id"),
    ("__PANELVAR__", "unit_id", "id"),
    ("__TIME_VAR__", "time", "year"),
    ("__CLUSTER_VAR__", "clustvar", "region"),
])
def test_each_placeholder_correction_sets_its_role(web: WebClient, stack: Stack,
                                                   placeholder: str, role_param: str,
                                                   column: str) -> None:
    """C2. The four placeholders of planFreezeMissingRequired.ts:13, sent as
    ``variable_corrections`` keys on confirm (PlanFreezeMissingRequiredPanel.tsx:66,
    Step3.tsx:154): each sets the parameter bound from its role."""
    roles: dict[str, Any] = {"outcome": "y", "regressors": ["x"], "unit_id": "id",
                             "time": "year"}
    roles.pop({"unit_id": "unit_id", "time": "time"}.get(role_param, ""), None)
    draft = drafted(web, stack, PANEL, "panel_fixed_effects", roles,
                    requirement=f"panel fixed effects ({placeholder})")
    r = web.confirm({**draft, "stage1_questions": []}, {placeholder: column}, {})
    assert r.ok, r.body
    assert plan_bound(web)[role_param] == column
    assert placeholder in PLACEHOLDER_PARAMS


def test_mapping_panel_correction_renames_a_column_in_every_role(web: WebClient,
                                                                 stack: Stack) -> None:
    """C2. MappingPanel (panelsConfirm.tsx:44-101) offers a replacement for the outcome, the
    treatment and each control by the column shown; Step3.tsx:75-82 keys the correction by
    that column and confirm sends it as ``variable_corrections`` (Step3.tsx:154)."""
    draft = drafted(web, stack, WAGES, "ols_robust",
                    {"outcome": "@工资", "treatment": "educ", "controls": ["exper", "firm"],
                     "cluster": "firm"},
                    requirement="OLS regression of wage on education (mapping)")
    assert draft["controls"] == ["exper", "firm"]
    r = web.confirm(draft, {"firm": "exper"}, {})  # the two controls become one
    assert r.ok, r.body
    again = web.confirm(draft, {"firm": "exper"}, {})  # the retry button (Step3.tsx:160)
    assert again.ok and again.body["plan_id"] == r.body["plan_id"], again.body
    bound = plan_bound(web)
    assert bound["controls"] == ["exper"] and bound["clustvar"] == "exper"
    assert bound["treatvar"] == "educ"
    assert until_done(web)["status"] == "succeeded"


def test_corrections_keyed_by_draft_fields_still_work_and_bad_keys_are_named(
        web: WebClient, stack: Stack) -> None:
    """C2. Our own meaning stays: a draft field as key sets that role. A key that is no
    field, role, placeholder or column is refused with the key named (error body read by
    client.ts:249-262)."""
    draft = drafted(web, stack, WAGES, "ols_robust",
                    {"outcome": "@工资", "treatment": "educ", "controls": ["exper"]},
                    requirement="OLS regression of wage on education (keys)")
    r = web.confirm(draft, {"nonsense_key": "educ"}, {})
    assert r.status == 400 and r.internal_code == "INPUT_VALIDATION_FAILED"
    assert any(p["field"] == "nonsense_key" for p in r.body["problems"])
    r = web.confirm(draft, {"cluster_var": "firm"}, {})
    assert r.ok, r.body
    assert plan_bound(web)["clustvar"] == "firm"


def test_draft_decision_uses_the_client_words(web: WebClient, stack: Stack) -> None:
    """C7. types.ts:105 ``decision`` is one of three words; Step3.tsx:182-185 shows the
    downgrade modal for ``require_confirm_with_downgrade``."""
    ready = drafted(web, stack, WAGES, "ols_robust",
                    {"outcome": "@工资", "treatment": "educ", "cluster": "firm"},
                    requirement="OLS regression of wage on education by firm")
    assert ready["decision"] in DRAFT_DECISIONS
    blocked = drafted(web, stack, PANEL, "panel_fixed_effects", PANEL_ROLES,
                      requirement="panel fixed effects model")
    assert blocked["decision"] in DRAFT_DECISIONS and blocked["decision"] != "auto_freeze"


def test_draft_fields_the_client_types(web: WebClient, stack: Stack) -> None:
    """C8. types.ts:98-125 and 48-64: ``risk_score`` (number), ``variable_types[]`` as
    ``{name, inferred_type}`` (model.ts:16 reads ``name``), ``column_name_normalizations[]``
    with ``dataset_key`` and ``role``, ``data_quality_warnings``, ``default_overrides``
    (echoed back on confirm, Step3.tsx:156), ``required_variables``,
    ``column_candidates_v2``."""
    draft = drafted(web, stack, WAGES, "ols_robust",
                    {"outcome": "@工资", "treatment": "educ", "controls": ["exper"],
                     "cluster": "firm"}, requirement="OLS regression of wage on schooling")
    shaped = check(draft, DraftPreviewResponse)
    assert 0 <= shaped.risk_score <= 1
    assert {v.name for v in shaped.variable_types} >= {"educ", "firm"}
    assert all(v.inferred_type for v in shaped.variable_types)
    assert any(n.original_name == "工资" and n.dataset_key for n in
               shaped.column_name_normalizations)
    assert {r.field for r in shaped.required_variables} >= {"outcome_var", "treatment_var"}
    assert {c.name for c in shaped.column_candidates_v2} == set(shaped.column_candidates)
    assert any(w.type == "small_sample" for w in shaped.data_quality_warnings)
    assert shaped.default_overrides == {}


def test_free_text_questions_of_the_model_do_not_block_the_client(web: WebClient,
                                                                   stack: Stack) -> None:
    """C3. model.ts:31-37 refuses to confirm until every ``stage1_questions`` item has a
    selected option, and panelsConfirm.tsx:103-139 can only answer by option buttons: a
    question without options must not be listed there (it carries no binding anyway)."""
    stack.analyst.questions = [{"field": "controls", "question": "Control for experience?"}]
    draft = drafted(web, stack, WAGES, "ols_robust",
                    {"outcome": "@工资", "treatment": "educ", "controls": ["exper"],
                     "cluster": "firm"}, requirement="OLS regression of wage (model asks)")
    assert all(q["options"] for q in draft["stage1_questions"])
    assert any(q["question_text"] == "Control for experience?"
               for q in draft.get("open_questions", []))
    assert blocking_missing(draft, {}, {}) is None
    r = web.confirm(draft, {}, {})
    assert r.ok, r.body


def test_candidates_for_a_blocked_treatment_leave_out_the_outcome(web: WebClient,
                                                                  stack: Stack) -> None:
    """C6. panelsConfirm.tsx:170-194 offers ``candidates`` as the picker of a blocking
    unknown; picking the outcome for the treatment would only fail again at freeze."""
    draft = drafted(web, stack, WAGES, "ols_robust",
                    {"outcome": "@工资", "treatment": "@工资", "controls": ["exper"],
                     "cluster": "firm"}, requirement="OLS regression of wage on itself")
    [treatment] = [u for u in draft["open_unknowns"]
                   if u.get("blocking") is True and u["field"] == "treatment_var"]
    assert treatment["candidates"] and draft["outcome_var"] not in treatment["candidates"]
    r = web.patch_draft({"treatment_var": treatment["candidates"][0]})
    assert r.ok, r.body
    assert web.confirm(web.wait_draft().body, {}, {}).ok
