"""The draft is a dry-run freeze: roles rank (never filter) templates, siblings fill the roles
a template asks for, every freeze problem is a blocking unknown the user can act on, and the
user can switch template through a draft patch."""

from __future__ import annotations

from pathlib import Path

import pytest

from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.domain.draft import UNSET
from ss_core.domain.roles import SIBLINGS, resolve_roles
from ss_core.dry_run import assess, bind_template
from ss_core.errors import SSError
from ss_core.library.loader import load_library
from ss_core.library.retrieval import Retriever
from ss_core.selection import shortlist
from ss_core.usecases.draft import DraftPatch, patch_draft
from ss_core.usecases.plan import FreezeRequest, freeze
from tests.core.journey_kit import make_kit

LIB = load_library(Path(__file__).resolve().parents[2] / "assets" / "stata_do_library")
RETRIEVER = Retriever(LIB)
PANEL = DatasetSchema(row_count=60, columns=tuple(
    Column(name=n, original_name=n, type=t) for n, t in (
        ("pid", ColumnType.INTEGER), ("year", ColumnType.INTEGER),
        ("wage", ColumnType.NUMERIC), ("educ", ColumnType.INTEGER),
        ("exper", ColumnType.INTEGER), ("female", ColumnType.BINARY))))
SCENARIO_1 = ("Panel fixed effects regression of wage on educ, exper and female, clustered by "
              "pid, with year fixed effects")
LLM_ROLES_1 = {"outcome": "wage", "treatment": "educ", "controls": ["exper", "female"],
               "unit_id": "pid", "time": "year", "cluster": "pid"}


def test_sibling_roles_are_declared_for_real_roles_only():
    from ss_core.domain.roles import ROLES
    assert set(SIBLINGS) <= set(ROLES)
    assert all(s in ROLES and s != r for r, sibs in SIBLINGS.items() for s in sibs)


def test_a_single_treatment_fills_regressors_and_regressors_fill_a_treatment():
    to_list = resolve_roles({"outcome", "regressors", "controls"}, {"treatment": "educ"})
    assert to_list.roles["regressors"] == ["educ"]
    assert to_list.derived_from == {"regressors": "treatment"}
    to_one = resolve_roles({"outcome", "treatment", "controls"},
                           {"regressors": ["educ", "exper"], "controls": ["female"]})
    assert to_one.roles["treatment"] == "educ"
    assert to_one.roles["controls"] == ["female", "exper"]
    kept = resolve_roles({"treatment", "regressors"}, {"treatment": "a", "regressors": ["b"]})
    assert kept.roles == {"treatment": "a", "regressors": ["b"]} and not kept.derived_from


def test_roles_rank_templates_but_never_remove_the_best_retrieved_ones():
    retrieved = [s.template_id for s in RETRIEVER.score(SCENARIO_1) if s.score > 0][:8]
    ranked = shortlist(LIB, RETRIEVER, SCENARIO_1, LLM_ROLES_1, 8, PANEL)
    assert {c.template_id for c in ranked} == set(retrieved)
    assert ranked[0].template_id == "panel_fixed_effects"
    assert ranked[0].role_fit == 1.0 and ranked[0].why.startswith("best")
    assert [c.rank for c in ranked] == list(range(1, len(ranked) + 1))
    did = next((c for c in ranked if c.template_id == "did_twfe"), None)
    if did is not None:
        assert did.rank > ranked[0].rank


def test_panel_fixed_effects_binds_a_treatment_as_its_regressor():
    dry = bind_template(LIB.get("panel_fixed_effects"), LLM_ROLES_1, {}, PANEL)
    assert dry.binding.complete, (dry.binding.missing_required, dry.binding.invalid)
    assert dry.binding.bound["regressors"] == ("educ",)
    assert dry.binding.sources["regressors"] == "draft:treatment"


@pytest.mark.parametrize(("template_id", "roles", "param", "field"), [
    ("anova_oneway", {"outcome": "wage", "group": "wage"}, "group", "group_var"),
    ("ols_robust", {"outcome": "wage", "treatment": "wage"}, "treatvar", "treatment_var"),
    ("did_twfe", {"outcome": "wage", "unit_id": "pid", "time": "year", "treated": "educ"},
     "treated", "treated_var"),
    ("ols_basic", {"outcome": "wage", "treatment": "educ", "cluster": "wage"}, None, None),
])
def test_every_freeze_problem_is_a_blocking_unknown_with_usable_candidates(
    template_id, roles, param, field
):
    template = LIB.get(template_id)
    verdict = assess(template, roles, PANEL, confidence=0.9)
    binding = bind_template(template, roles, {}, PANEL).binding
    problems = {m.param for m in binding.missing_required} | {i.param for i in binding.invalid}
    assert {u.param for u in verdict.blocking} == problems
    if param is None:
        assert verdict.readiness == "ready_to_freeze"
        return
    assert verdict.readiness == "needs_input" and verdict.decision == "require_confirm"
    item = next(u for u in verdict.blocking if u.param == param)
    assert item.field == field and item.blocking and item.problem == "invalid"
    assert "wage" not in item.candidates and item.candidates
    spec = template.meta.param(param)
    assert all(PANEL.column(c).type.satisfies(t) for c in item.candidates
               for t in spec.var_types[:1]) or len(spec.var_types) > 1 or not spec.var_types
    question = next(q for q in verdict.questions if q.question_id == f"field:{field}")
    columns = [o for o in question.options if o.option_id != UNSET]
    assert [o.option_id for o in columns] == list(item.candidates)
    assert all(o.option_id == o.value == o.label for o in columns)
    # leaving it unset is offered exactly when the parameter is optional
    assert (question.options[-1].option_id == UNSET) is (not spec.required)


def test_a_role_the_template_ignores_asks_for_confirmation_of_the_downgrade():
    verdict = assess(LIB.get("ols_basic"), {"outcome": "wage", "treatment": "educ",
                                            "cluster": "pid"}, PANEL, confidence=0.9)
    assert verdict.readiness == "ready_to_freeze"
    assert verdict.decision == "require_confirm_with_downgrade"
    assert any("cluster_var=pid" in r for r in verdict.reasons)
    fine = assess(LIB.get("ols_robust"), {"outcome": "wage", "treatment": "educ",
                                          "cluster": "pid"}, PANEL, confidence=0.9)
    assert fine.decision == "auto_freeze"
    unsure = assess(LIB.get("ols_robust"), {"outcome": "wage", "treatment": "educ"}, PANEL,
                    confidence=0.3)
    assert unsure.decision == "require_confirm" and unsure.readiness == "ready_to_freeze"


async def _drafted(kit, requirement="OLS regression of wage on education"):
    return await kit.job(until="draft_ready", requirement=requirement)


async def test_answers_keyed_by_our_question_ids_fix_the_blocking_item_and_freeze():
    kit = make_kit(roles={"outcome": "v1_525353", "treatment": "v1_525353"})
    job = await _drafted(kit)
    assert job.draft.readiness == "needs_input"
    [question] = [q for q in job.draft.questions if q.question_id.startswith("field:")]
    assert question.question_id == "field:treatment_var"
    assert [o.option_id for o in question.options] == ["educ", "firm"]
    with pytest.raises(SSError) as err:
        await freeze(kit.services, job.job_id, FreezeRequest())
    assert err.value.error_code == "PLAN_FREEZE_MISSING_REQUIRED"
    plan = await freeze(kit.services, job.job_id,
                        FreezeRequest(answers={"field:treatment_var": ["educ"], "q1": ["x"]}))
    assert plan.params_contract.bound_values["treatvar"] == "educ"


async def test_patch_switches_template_validates_it_and_binds_again():
    kit = make_kit(roles={"outcome": "v1_525353", "treatment": "educ"})
    job = await _drafted(kit)
    assert job.draft.readiness == "ready_to_freeze"
    with pytest.raises(SSError) as err:
        await patch_draft(kit.services, job.job_id,
                DraftPatch(field_updates={"template_id": "no_such_template"}))
    assert err.value.error_code == "DRAFT_TEMPLATE_UNKNOWN"
    job = await patch_draft(kit.services, job.job_id,
            DraftPatch(field_updates={"template_id": "anova_oneway"}))
    assert job.selection.template_id == "anova_oneway" and job.selection.method == "user"
    assert job.draft.template_id == "anova_oneway" and job.draft.readiness == "ready_to_freeze"
    assert job.draft.derived_roles == {"group": "treatment"}
    job = await patch_draft(kit.services, job.job_id,
            DraftPatch(field_updates={"template_id": "iv_2sls"}))
    assert job.draft.template_id == "iv_2sls" and job.draft.readiness == "needs_input"
    assert [u.param for u in job.draft.open_unknowns if u.blocking] == ["instruments"]
    job = await patch_draft(kit.services, job.job_id,
            DraftPatch(field_updates={"instrument_vars": ["firm"]}))
    assert job.draft.readiness == "ready_to_freeze"
    plan = await freeze(kit.services, job.job_id, FreezeRequest())
    assert plan.template.template_id == "iv_2sls"
    assert plan.params_contract.bound_values["endogenous"] == "educ"
    assert plan.params_contract.sources["endogenous"] == "draft:treatment"


def test_a_missing_number_is_a_free_text_question_its_answer_binds():
    from ss_core import drafting
    rdd = DatasetSchema(row_count=50, columns=tuple(
        Column(name=n, original_name=n, type=ColumnType.NUMERIC) for n in ("y", "score")))
    template = LIB.get("rdd_sharp_rdrobust")
    roles = {"outcome": "y", "running": "score"}
    verdict = assess(template, roles, rdd, confidence=0.9)
    [blocker] = verdict.blocking
    assert blocker.field == "cutoff" and blocker.problem == "missing"
    [question] = verdict.questions
    assert question.question_id == "field:cutoff" and question.question_type == "free_text"
    patched, fields, problems = drafting.apply_updates(roles, {"field:cutoff": ["60.5"]}, rdd)
    assert not problems and fields == ["cutoff"] and patched["cutoff"] == 60.5
    assert assess(template, patched, rdd, confidence=0.9).readiness == "ready_to_freeze"
    _, _, problems = drafting.apply_updates(roles, {"cutoff": ["sixty"]}, rdd)
    assert problems == [{"field": "cutoff", "reason": "expected a number"}]


def test_a_column_repeated_in_a_list_role_is_dropped_there_and_reported():
    from ss_core import drafting
    roles, dropped, _ = drafting.checked_roles(
        {"outcome": "wage", "treatment": "educ", "controls": ["educ", "wage", "exper"],
         "regressors": ["wage", "female"]}, PANEL)
    assert roles["controls"] == ["exper"] and roles["regressors"] == ["female"]
    assert {(d["role"], d["value"]) for d in dropped} == {
        ("controls", "educ"), ("controls", "wage"), ("regressors", "wage")}
    assert assess(LIB.get("ols_robust"), roles, PANEL, confidence=0.9).readiness == (
        "ready_to_freeze")


def test_candidates_leave_out_conflicting_columns_only():
    roles = {"outcome": "wage", "treatment": "educ", "cluster": "pid", "time": "year"}
    verdict = assess(LIB.get("panel_fixed_effects"), roles, PANEL, confidence=0.9)
    [missing] = verdict.blocking
    assert missing.param == "unit_id" and missing.problem == "missing"
    assert "pid" in missing.candidates  # clustering on the unit id is fine
    assert not {"wage", "year"} & set(missing.candidates)  # the outcome; time differs from it


def test_an_offered_column_really_fixes_the_parameter():
    """Found by the random property: a date column without a detected frequency was offered
    as the time of a template whose treatment period is a year, and rejected once chosen."""
    from ss_core import drafting
    schema = DatasetSchema(row_count=1, columns=(
        Column(name="wage", original_name="wage", type=ColumnType.NUMERIC),
        Column(name="educ", original_name="educ", type=ColumnType.DATE)))
    template = LIB.get("parallel_trends_check")
    roles = {"cluster": "wage", "outcome": "educ", "time": "wage", "treated": "educ",
             "treatment_period": 0, "unit_id": "wage"}
    for unknown in assess(template, roles, schema, confidence=0.9).blocking:
        for column in unknown.candidates if unknown.field == "time_var" else ():
            patched, _, _ = drafting.apply_updates(roles, {"time_var": column}, schema)
            again = assess(template, patched, schema, confidence=0.9)
            assert "time" not in {u.param for u in again.blocking}, column
