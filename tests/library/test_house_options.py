"""House regression options: fixed-effect sets, a typed sample restriction, weights and a
second clustering dimension, declared once in a meta (``house_options``), typed and checked
against the data by the binding, rendered by one generated block."""

from __future__ import annotations

import functools
import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ss_core.authoring.checks import library_problems
from ss_core.binding import bind
from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.errors import RenderError
from ss_core.library import house_options as opts
from ss_core.library.catalog import Library
from ss_core.library.loader import load_library, load_templates
from ss_core.rendering.house_options import HEADER
from ss_core.rendering.renderer import render
from tests.library.conftest import LIBRARY

N, INT, S = ColumnType.NUMERIC, ColumnType.INTEGER, ColumnType.STRING
SCHEMA = DatasetSchema(columns=tuple(
    Column(name=n, original_name=n, type=t) for n, t in {
        "y": N, "x": N, "x2": N, "count": INT, "industry": INT, "year": INT, "province": S,
        "firm": INT, "w": N, "name": S, "size": N,
    }.items()), row_count=300)
DECLARING = ("ols_robust", "logit_marginal_effects", "probit_marginal_effects",
             "poisson_count", "negbin_count", "panel_hdfe_reghdfe")


@functools.cache
def _library() -> Library:
    return load_library(LIBRARY, check_index=False)


def _bound(template_id: str, values: dict[str, Any]) -> dict[str, Any]:
    template = _library().get(template_id)
    contract = bind(template.meta.parameters, {}, values, SCHEMA)
    assert contract.complete, (contract.missing_required, contract.invalid)
    return dict(contract.bound)


def _render(template_id: str, values: dict[str, Any]) -> str:
    template = _library().get(template_id)
    return render(template, _bound(template_id, values), SCHEMA, plan_id="plan-opts").text


def _block(text: str) -> str:
    return text.split(HEADER, 1)[1].split("* ---- template body ----", 1)[0]


OLS = {"depvar": "y", "treatvar": "x"}


@pytest.mark.parametrize("template_id", DECLARING)
def test_declared_options_add_typed_parameters(template_id: str) -> None:
    meta = _library().get(template_id).meta
    names = [p.name for p in meta.parameters]
    for option in meta.house_options:
        for spec in opts.PARAMS[option]:
            assert names.count(spec.name) == 1, spec.name
    assert {"fe_vars", "fe_interact", "sample_var", "sample_op", "sample_value",
            "weight_var", "weight_kind"} <= set(names)


def test_a_template_without_options_gets_no_block() -> None:
    text = _render("ttest_two_sample", {"outcome": "y", "group": "firm"})
    assert HEADER not in text and "ss_in" not in text


def test_nothing_bound_means_whole_sample_robust_no_weights_no_effects() -> None:
    block = _block(_render("ols_robust", OLS))
    assert "local ss_if if `ss_in'" in block and "local ss_wt" in block.splitlines()
    assert "local ss_vce vce(robust)" in block
    assert "egen" not in block and "replace `ss_in' = 0" not in block


def test_fixed_effect_sets_and_their_interaction() -> None:
    text = _render("ols_robust", {**OLS, "fe_vars": ["industry", "province"],
                                  "fe_interact": ["industry", "year"]})
    block = _block(text)
    assert "local fe_vars industry province" in text.splitlines()
    for k, cols in ((1, "`: word 1 of `fe_vars''"), (2, "`: word 2 of `fe_vars''"),
                    (3, "`fe_interact'")):
        assert f"quietly egen long `ss_fe{k}' = group({cols})" in block
        assert f"local ss_fe `ss_fe' i.`ss_fe{k}'" in block
    assert re.search(r"^regress `depvar' `rhs' `ss_fe' `ss_wt' `ss_if', `ss_vce'", text,
                     re.MULTILINE)
    assert 'quietly drop if strpos(term, "`f\'") > 0' in text


@pytest.mark.parametrize(("op", "stata"), sorted(opts.OPERATORS.items()))
def test_the_sample_operator_comes_from_a_closed_table(op: str, stata: str) -> None:
    text = _render("ols_robust", {**OLS, "sample_var": "year", "sample_op": op,
                                  "sample_value": 2010})
    assert "local sample_value 2010" in text.splitlines()
    assert (f"quietly replace `ss_in' = 0 if !(`sample_var' {stata} `sample_value') "
            "| missing(`sample_var')") in _block(text)


@settings(max_examples=40, deadline=None)
@given(op=st.sampled_from(sorted(opts.OPERATORS)),
       value=st.one_of(st.integers(-10**9, 10**9),
                       st.floats(allow_nan=False, allow_infinity=False, width=32)))
def test_a_sample_value_only_ever_reaches_the_preamble(op: str, value: float) -> None:
    """The generated block depends on which options are bound, never on the values."""
    def block(v: float) -> str:
        return _block(_render("ols_robust", {**OLS, "sample_var": "size", "sample_op": op,
                                             "sample_value": v, "weight_var": "w"}))
    assert block(value) == block(12345)
    assert "`sample_value'" in block(value)


def test_a_restriction_without_a_value_is_incomplete_and_never_renders() -> None:
    template = _library().get("ols_robust")
    contract = bind(template.meta.parameters, {}, {**OLS, "sample_var": "year"}, SCHEMA)
    assert not contract.complete
    assert [m.param for m in contract.missing_required] == ["sample_value"]
    values = {**_bound("ols_robust", OLS), "sample_var": "year"}
    with pytest.raises(RenderError) as err:  # the renderer refuses it too
        render(template, values, SCHEMA, plan_id="p")
    assert err.value.context["param"] == "sample_value"


def test_the_binding_checks_each_option_against_the_data() -> None:
    params = _library().get("ols_robust").meta.parameters
    bad = bind(params, {}, {**OLS, "sample_var": "name", "weight_var": "province",
                            "fe_vars": ["size"]}, SCHEMA)
    assert {i.param for i in bad.invalid} == {"sample_var", "weight_var", "fe_vars"}
    unknown = bind(params, {}, {**OLS, "fe_vars": ["nope"]}, SCHEMA)
    assert [i.param for i in unknown.invalid] == ["fe_vars"]
    bad_op = bind(params, {}, {**OLS, "sample_var": "year", "sample_op": "like"}, SCHEMA)
    assert [i.param for i in bad_op.invalid] == ["sample_op"]


def test_weights_are_checked_non_negative_and_kind_is_typed() -> None:
    text = _render("poisson_count", {"depvar": "count", "regressors": ["x"],
                                     "weight_var": "w", "weight_kind": "fweight"})
    block = _block(text)
    assert "local weight_kind fweight" in text.splitlines()
    assert "capture assert `weight_var' >= 0 if !missing(`weight_var')" in block
    assert "local ss_wt [`weight_kind'=`weight_var']" in block
    assert "poisson `depvar' `regressors' `controls' `ss_fe' `ss_wt' `ss_if', `ss_vce'" in text


def test_two_way_clustering_on_reghdfe() -> None:
    base = {"depvar": "y", "regressors": ["x"], "unit_id": "firm", "time": "year"}
    text = _render("panel_hdfe_reghdfe", {**base, "clustvar": "industry",
                                          "cluster2": "province", "fe_vars": ["industry"]})
    block = _block(text)
    assert "quietly egen long `ss_cl1' = group(`clustvar')" in block
    assert "quietly egen long `ss_cl2' = group(`cluster2')" in block
    assert "local ss_vce vce(cluster `ss_vce')" in block
    assert "absorb(`absorbvars' `ss_absorb') `vceopt'" in text
    assert "local vceopt `ss_vce'" in text
    one = _block(_render("panel_hdfe_reghdfe", {**base, "clustvar": "industry"}))
    assert "ss_cl2" not in one
    default = _render("panel_hdfe_reghdfe", base)
    assert "local vceopt vce(cluster `unit_id')" in default


def _copy_with(tmp_path: Path, template_id: str) -> Path:
    root = tmp_path / "library"
    shutil.copytree(LIBRARY / "schemas", root / "schemas")
    shutil.copytree(LIBRARY / "templates" / template_id, root / "templates" / template_id)
    return root


def test_an_option_the_body_never_uses_is_a_problem(tmp_path: Path) -> None:
    root = _copy_with(tmp_path, "ols_robust")
    body = root / "templates" / "ols_robust" / "template.do"
    body.write_text(body.read_text().replace(" `ss_wt'", ""))
    problems = [p.problem for found in library_problems(root).values() for p in found]
    assert any("house option 'weights'" in m and "`ss_wt'" in m for m in problems), problems


def test_declaring_an_injected_parameter_yourself_is_a_problem(tmp_path: Path) -> None:
    root = _copy_with(tmp_path, "ols_robust")
    meta_path = root / "templates" / "ols_robust" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["parameters"].append({"name": "weight_var", "type": "var", "required": False,
                               "description": {"en": "w", "zh": "w"}})
    meta_path.write_text(json.dumps(meta))
    _templates, problems = load_templates(root)
    assert any("added by a house option" in p.problem for p in problems)


def test_an_unknown_option_is_rejected_by_the_schema(tmp_path: Path) -> None:
    root = _copy_with(tmp_path, "ols_robust")
    meta_path = root / "templates" / "ols_robust" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["house_options"] = ["fixed_effects", "anything"]
    meta_path.write_text(json.dumps(meta))
    templates, problems = load_templates(root)
    assert templates == [] and problems
