from pathlib import Path

import msgspec
from hypothesis import given, settings
from hypothesis import strategies as st

from ss_core.binding import bind
from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.domain.plan import plan_id_for
from ss_core.freezing import build_plan, missing_required_error
from ss_core.library.loader import load_library

LIB = load_library(Path(__file__).resolve().parents[2] / "assets" / "stata_do_library")
SCHEMA = DatasetSchema(row_count=5, columns=(
    Column(name="wage", original_name="工资", type=ColumnType.NUMERIC),
    Column(name="educ", original_name="educ", type=ColumnType.INTEGER),
    Column(name="firm", original_name="firm", type=ColumnType.INTEGER),
    Column(name="city", original_name="城市", type=ColumnType.STRING)))


def plan_for(roles, params=None, fingerprint="sha256:abc"):
    tpl = LIB.get("ols_robust")
    contract = bind(tpl.meta.parameters, roles, params or {}, SCHEMA)
    return build_plan(job_id="job_1", inputs_fingerprint=fingerprint, requirement="r",
                      template=tpl, binding=contract, selection=None, rationale="user")


ROLES = {"outcome": "wage", "treatment": "educ"}


def test_plan_id_is_the_hash_of_its_content():
    plan = plan_for(ROLES)
    assert plan.plan_id == plan_id_for(msgspec.to_builtins(plan))


def test_freezing_twice_gives_the_same_plan_and_bytes():
    assert plan_for(ROLES).to_json() == plan_for(ROLES).to_json()


@settings(max_examples=40)
@given(st.sampled_from(["firm", None]), st.none() | st.integers(50, 99), st.text(max_size=5))
def test_any_change_of_content_changes_the_plan_id(cluster, level, fp):
    """An explicit ``level`` (even 95, the default) is recorded as the user's choice
    (``sources.level = override``), so only the absence of every change gives the same plan."""
    base = plan_for(ROLES)
    roles = {**ROLES, **({"cluster": cluster} if cluster else {})}
    params = {} if level is None else {"level": level}
    other = plan_for(roles, params, fingerprint="sha256:abc" + fp)
    same = cluster is None and level is None and fp == ""
    assert (other.plan_id == base.plan_id) == same


def test_an_explicit_default_is_a_different_plan_from_the_default():
    explicit = plan_for(ROLES, {"level": 95})
    assert explicit.params_contract.sources["level"] == "override"
    assert explicit.plan_id != plan_for(ROLES).plan_id


def test_plan_declares_template_binding_dependencies_and_outputs():
    plan = plan_for({**ROLES, "cluster": "firm"})
    assert plan.template.template_id == "ols_robust"
    assert plan.template.content_sha256 == LIB.get("ols_robust").content_sha256
    assert plan.params_contract.bound_values["clustvar"] == "firm"
    assert plan.params_contract.sources["depvar"] == "draft"
    assert plan.dependencies[0].kind == "stata" and plan.dependencies[0].min_version == 14
    files = {o.file for o in plan.outputs_contract.declared}
    assert {"regression_table.csv", "ss_results.csv", "analysis.log"} <= files


def test_missing_required_error_names_every_item_and_next_actions():
    tpl = LIB.get("ols_robust")
    contract = bind(tpl.meta.parameters, {"treatment": "city"}, {}, SCHEMA)
    err = missing_required_error("job_1", tpl, contract)
    body = err.to_body()
    assert body["error_code"] == "PLAN_FREEZE_MISSING_REQUIRED"
    assert body["missing_params"] == ["depvar"]
    assert body["missing_fields"] == ["outcome_var"]
    assert set(body["missing_params_detail"][0]["candidates"]) == {"wage", "educ", "firm"}
    assert body["invalid_params"][0]["param"] == "treatvar"
    actions = {a.name: a.fields for a in err.report().actions}
    assert actions == {"patch_draft": ("outcome_var",),
                       "freeze_with_params": ("params.depvar", "params.treatvar")}
