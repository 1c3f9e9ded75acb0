"""Render every tpl-b template with a concrete dataset, optional parameters bound and unbound.

Each case binds through the real binding contract (so meta defaults fill the options), renders
through the real renderer (which runs the safety scan) and checks the house contract on the
result: every declared output is written, steps are marked, results rows are written, no
template syntax is left over and an unbound optional parameter leaves an empty local.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ss_core.binding import bind
from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.library.catalog import Library
from ss_core.library.house_options import injected_names
from ss_core.library.loader import load_library
from ss_core.library.meta import Template
from ss_core.rendering.house import PUBLICATION_OUTPUTS
from ss_core.rendering.renderer import render

LIBRARY_ROOT = Path(__file__).resolve().parents[2] / "assets" / "stata_do_library"

def _own_outputs(template: Template) -> list[Any]:
    """Declared outputs the body writes itself (the house ss_pubtable writes the others)."""
    house = set(PUBLICATION_OUTPUTS) if "ss_pubtable" in template.source else set()
    return [o for o in template.meta.outputs if o.file not in house]


_T = ColumnType
SCHEMA = DatasetSchema(
    columns=tuple(
        Column(name=name, original_name=name, type=kind)
        for name, kind in (
            ("wage", _T.NUMERIC), ("employed", _T.BINARY), ("rating", _T.INTEGER),
            ("visits", _T.INTEGER), ("educ", _T.NUMERIC), ("exper", _T.NUMERIC),
            ("age", _T.NUMERIC), ("female", _T.BINARY), ("firm", _T.INTEGER),
            ("year", _T.INTEGER), ("industry", _T.INTEGER), ("region", _T.INTEGER),
            ("observed", _T.BINARY), ("kids", _T.NUMERIC), ("married", _T.BINARY),
            ("size", _T.NUMERIC),
        )
    ),
    row_count=2000,
)

# Required bindings per template, then the optional ones added in the "full" variant.
BASE_REGRESSION = {"regressors": ["educ", "exper"]}
HOUSE_OPTIONS = {"fe_vars": ["industry", "year"], "fe_interact": ["industry", "year"],
                 "sample_var": "year", "sample_op": "ge", "sample_value": 2010,
                 "weight_var": "size", "weight_kind": "fweight"}
CASES: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    "logit_marginal_effects": (
        {"depvar": "employed", **BASE_REGRESSION},
        {"controls": ["age", "female"], "clustvar": "region", "margins_at": "means", "level": 90,
         **HOUSE_OPTIONS},
    ),
    "probit_marginal_effects": (
        {"depvar": "employed", **BASE_REGRESSION},
        {"controls": ["age"], "clustvar": "region", "margins_at": "means", **HOUSE_OPTIONS},
    ),
    "ologit_ordered": (
        {"depvar": "rating", **BASE_REGRESSION},
        {"controls": ["age"], "clustvar": "region", "level": 99},
    ),
    "oprobit_ordered": (
        {"depvar": "rating", **BASE_REGRESSION},
        {"controls": ["age"], "clustvar": "region"},
    ),
    "mlogit_multinomial": (
        {"depvar": "rating", **BASE_REGRESSION},
        {"controls": ["age"], "clustvar": "region", "base_outcome": 1},
    ),
    "poisson_count": (
        {"depvar": "visits", **BASE_REGRESSION},
        {"controls": ["age"], "clustvar": "region", **HOUSE_OPTIONS},
    ),
    "negbin_count": (
        {"depvar": "visits", **BASE_REGRESSION},
        {"controls": ["age"], "clustvar": "region", **HOUSE_OPTIONS},
    ),
    "zip_zero_inflated": (
        {"depvar": "visits", **BASE_REGRESSION},
        {"controls": ["age"], "inflate_vars": ["kids", "married"], "clustvar": "region"},
    ),
    "zinb_zero_inflated": (
        {"depvar": "visits", **BASE_REGRESSION},
        {"controls": ["age"], "inflate_vars": ["kids"], "clustvar": "region"},
    ),
    "tobit_censored": (
        {"depvar": "wage", **BASE_REGRESSION},
        {"controls": ["age"], "censoring": "both", "lower_limit": 0, "upper_limit": 250.5,
         "clustvar": "region"},
    ),
    "truncated_regression": (
        {"depvar": "wage", **BASE_REGRESSION},
        {"controls": ["age"], "truncation": "both", "lower_limit": 1, "upper_limit": 99,
         "clustvar": "region"},
    ),
    "heckman_selection": (
        {"depvar": "wage", **BASE_REGRESSION, "exclusion": ["kids", "married"]},
        {"controls": ["age"], "selvar": "observed", "method": "ml", "clustvar": "region"},
    ),
    "panel_fixed_effects": (
        {"depvar": "wage", **BASE_REGRESSION, "unit_id": "firm", "time": "year"},
        {"controls": ["age"], "clustvar": "industry", "level": 90},
    ),
    "panel_random_effects": (
        {"depvar": "wage", **BASE_REGRESSION, "unit_id": "firm", "time": "year"},
        {"controls": ["age"], "clustvar": "industry"},
    ),
    "panel_hausman_test": (
        {"depvar": "wage", **BASE_REGRESSION, "unit_id": "firm", "time": "year"},
        {"controls": ["age", "size"]},
    ),
    "panel_twoway_fe": (
        {"depvar": "wage", **BASE_REGRESSION, "unit_id": "firm", "time": "year"},
        {"controls": ["age"], "clustvar": "industry"},
    ),
    "panel_hdfe_reghdfe": (
        {"depvar": "wage", **BASE_REGRESSION, "unit_id": "firm", "time": "year"},
        {"controls": ["age"], "clustvar": "industry", "absorb": "unit", **HOUSE_OPTIONS,
         "cluster2": "region"},
    ),
    "dynamic_panel_diff_gmm": (
        {"depvar": "wage", **BASE_REGRESSION, "unit_id": "firm", "time": "year"},
        {"controls": ["age"], "lags": 2, "maxldep": 3, "gmm_step": "onestep"},
    ),
    "dynamic_panel_system_gmm": (
        {"depvar": "wage", **BASE_REGRESSION, "unit_id": "firm", "time": "year"},
        {"controls": ["age"], "regressor_type": "predetermined", "max_lag": 3,
         "collapse_iv": False, "gmm_step": "onestep"},
    ),
    "quantile_regression": (
        {"depvar": "wage", **BASE_REGRESSION},
        {"controls": ["age"], "quantiles": "deciles", "level": 90},
    ),
    "bootstrap_quantile_regression": (
        {"depvar": "wage", **BASE_REGRESSION},
        {"controls": ["age"], "quantile": 0.25, "reps": 100, "seed": 7},
    ),
    "panel_threshold_xthreg": (
        {"depvar": "wage", "regressors": ["educ"], "threshvar": "size", "unit_id": "firm",
         "time": "year"},
        {"controls": ["age", "exper"], "n_thresholds": "2", "trim": 0.05, "grid": 100,
         "reps": 200, "seed": 11, "clustvar": "industry"},
    ),
    "threshold_regression": (
        {"depvar": "wage", "regressors": ["educ"], "threshvar": "size", "time": "year"},
        {"controls": ["age"], "n_thresholds": "optimal", "trim": 15, "robust_se": False,
         "level": 90},
    ),
    "robustness_bundle": (
        {"depvar": "wage", "treatvar": "educ"},
        {"controls": ["age", "exper"], "unit_id": "firm", "clustvar": "region",
         "alt_clustvar": "industry", "trim_pct": 2.5},
    ),
}

# Further branches of choice parameters: (template, values on top of the required ones,
# a line the body must contain, a text the body must not contain).
BRANCHES: list[tuple[str, dict[str, Any], str, str]] = [
    ("tobit_censored", {"censoring": "upper"}, "local ss_hi = r(max)", "local ss_lo `lower_limit'"),
    ("tobit_censored", {"censoring": "upper", "upper_limit": 10}, "local ss_hi `upper_limit'",
     "r(max)"),
    ("truncated_regression", {"truncation": "upper", "upper_limit": 10},
     "local ss_hi `upper_limit'", "error 198"),
    ("truncated_regression", {"truncation": "upper"}, "error 198", "local ss_lo `lower_limit'"),
    ("heckman_selection", {"method": "twostep", "clustvar": "region"}, "local methodopt twostep",
     "vce(cluster"),
    ("heckman_selection", {"method": "ml"}, "local methodopt vce(robust)", "twostep"),
    ("logit_marginal_effects", {}, "local atopt", "atmeans"),
    ("mlogit_multinomial", {}, "local baseopt", "baseoutcome("),
    ("dynamic_panel_diff_gmm", {}, "local stepopt twostep", "maxldep("),
    ("dynamic_panel_system_gmm", {}, "local xinst gmm(`regressors', `ss_lags')", "iv(`controls')"),
    ("dynamic_panel_system_gmm", {"regressor_type": "exogenous", "controls": ["age"]},
     "local xinst iv(`regressors')", "gmm(`regressors'"),
    ("quantile_regression", {}, "local ss_qs 10 25 50 75 90", "local ss_qs 50"),
    ("panel_threshold_xthreg", {}, "local ss_bs `reps'", "local ss_bs `reps' `reps'"),
    ("panel_threshold_xthreg", {"n_thresholds": "3"}, "local ss_trim `trim' `trim' `trim'",
     "local ss_trim `trim'\n"),
    ("threshold_regression", {}, "local thropt nthresholds(`n_thresholds')", "optthresh("),
    ("robustness_bundle", {},
     'display as text "SS_STEP 5: alternative clustering skipped '
     '(no alternative cluster variable bound)"',
     "`vcealt'"),
    ("robustness_bundle", {"unit_id": "firm"}, "local vcebase vce(cluster `unit_id')",
     "regress `depvar' `treatvar'"),
    ("panel_fixed_effects", {}, "local vceopt vce(cluster `unit_id')", "`clustvar'"),
    ("panel_hdfe_reghdfe", {}, "local absorbvars `unit_id' `time'", "local absorbvars `unit_id'\n"),
]


# A command that writes a declared output file (export, graph export, file open).
_WRITES = (r"^\s*(?:capture noisily )?(?:export delimited using|export excel using|graph export"
           r"|file open \S+ using) ")


@pytest.fixture(scope="module")
def library() -> Library:
    return load_library(LIBRARY_ROOT, check_index=False)


def _params_used(template: Template) -> set[str]:
    src = template.source
    return {
        p.name for p in template.meta.parameters
        if f"`{p.name}'" in src or f"has.{p.name}" in src or f"opt.{p.name}" in src
    }


def _render(template: Template, values: dict[str, Any]) -> str:
    contract = bind(template.meta.parameters, {}, values, SCHEMA)
    assert contract.complete, (contract.missing_required, contract.invalid)
    return render(template, contract.bound, SCHEMA, plan_id="plan-test").text


def test_every_case_names_a_template_of_the_library(library: Library) -> None:
    for template_id in CASES:
        assert template_id in library


@pytest.mark.parametrize("variant", ["minimal", "full"])
@pytest.mark.parametrize("template_id", sorted(CASES))
def test_template_renders_safely_and_keeps_the_house_contract(
    library: Library, template_id: str, variant: str
) -> None:
    template = library.get(template_id)
    required, optional = CASES[template_id]
    values = dict(required) if variant == "minimal" else {**required, **optional}
    text = _render(template, values)
    body = text.split("* ---- template body ----", 1)[1]
    assert "{%" not in body and "{{" not in body
    assert re.search(r'^display as text "SS_STEP 1: ', body, re.MULTILINE)
    assert re.search(r"^\s*(ss_res|ss_coef)\b", body, re.MULTILINE)
    for output in _own_outputs(template):
        assert re.search(_WRITES + re.escape(f'"{output.file}"'), body, re.MULTILINE), output.file
    for spec in template.meta.parameters:
        if spec.name not in values and spec.default is None:
            assert re.search(rf"^local {spec.name}$", text, re.MULTILINE), spec.name
        else:
            assert re.search(rf"^local {spec.name} \S", text, re.MULTILINE), spec.name


@pytest.mark.parametrize(("template_id", "extra", "present", "absent"), BRANCHES)
def test_choice_branches_render_the_chosen_piece_only(
    library: Library, template_id: str, extra: dict[str, Any], present: str, absent: str
) -> None:
    template = library.get(template_id)
    text = _render(template, {**CASES[template_id][0], **extra})
    body = text.split("* ---- template body ----", 1)[1]
    assert "{%" not in body
    assert re.search(rf"^\s*{re.escape(present)}$", body, re.MULTILINE), present
    assert absent not in body
    for output in _own_outputs(template):
        assert f'"{output.file}"' in text, output.file


@pytest.mark.parametrize("template_id", sorted(CASES))
def test_full_variant_binds_every_parameter(library: Library, template_id: str) -> None:
    template = library.get(template_id)
    required, optional = CASES[template_id]
    declared = {p.name for p in template.meta.parameters}
    with_default = {p.name for p in template.meta.parameters if p.default is not None}
    house = injected_names(template.meta.house_options)  # test_house_option_rendering
    assert declared - with_default - house <= set(required) | set(optional)
    # house-option parameters are used by the generated house block, not by the body
    used = _params_used(template)
    assert declared - injected_names(template.meta.house_options) <= used <= declared


@pytest.mark.parametrize("template_id", sorted(CASES))
def test_community_commands_are_declared(library: Library, template_id: str) -> None:
    template = library.get(template_id)
    provided = {c for pkg in template.meta.dependencies.packages for c in pkg.provides}
    for command in ("reghdfe", "xtabond2", "xthreg", "winsor2", "estout", "esttab"):
        used = re.search(rf"^\s*(?:capture\s+)?(?:noisily\s+)?(?:quietly\s+)?{command}\b",
                         template.source, re.MULTILINE)
        assert not used or command in provided, command
