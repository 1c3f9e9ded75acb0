"""Limited-dependent, survival, decomposition, quantile and multilevel templates, read as Stata
would run them: the rendered command lines follow each option (model choice, metric, absorbed
effects, random slopes...) and estimate what the template promises."""

from __future__ import annotations

import functools

import pytest

from ss_core.binding import bind
from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.library.catalog import Library
from ss_core.library.loader import load_library
from ss_core.rendering.renderer import render
from tests.library.conftest import LIBRARY

SCHEMA = DatasetSchema(columns=tuple(
    Column(name=n, original_name=n, type=t) for n, t in {
        "y": ColumnType.NUMERIC, "yb": ColumnType.BINARY, "yb2": ColumnType.BINARY,
        "x": ColumnType.NUMERIC, "x2": ColumnType.NUMERIC, "z": ColumnType.NUMERIC,
        "n": ColumnType.INTEGER, "sel": ColumnType.BINARY, "firm": ColumnType.INTEGER,
        "year": ColumnType.INTEGER, "exporter": ColumnType.INTEGER,
        "importer": ColumnType.INTEGER, "school": ColumnType.INTEGER,
        "t": ColumnType.NUMERIC, "d": ColumnType.BINARY, "code": ColumnType.INTEGER,
    }.items()), row_count=500)


@functools.cache
def _library() -> Library:
    return load_library(LIBRARY, check_index=False)


def _body(template_id: str, values: dict) -> str:
    template = _library().get(template_id)
    contract = bind(template.meta.parameters, {}, values, SCHEMA)
    assert contract.complete, (contract.missing_required, contract.invalid)
    text = render(template, contract.bound, SCHEMA, plan_id="ldv").text
    return text.split("* ---- template body ----", 1)[1]


PANEL = {"depvar": "yb", "regressors": ["x"], "unit_id": "firm", "time": "year"}


def test_panel_logit_fe_is_conditional_logit_by_unit_with_clustered_errors() -> None:
    both = _body("panel_logit_fe_re", PANEL)
    assert ("clogit `depvar' `regressors' `controls' `ss_fe' `ss_if', group(`unit_id') "
            "vce(cluster `ss_cl') level(`level')") in both
    assert ("xtlogit `depvar' `regressors' `controls' `ss_fe' `ss_if', re "
            "vce(cluster `ss_cl')") in both
    assert "hausman ss_h_fe ss_h_re" in both
    assert "p(`=0.5 * chi2tail(1, `ss_chic')')" in both  # rho = 0 is a boundary test
    fe = _body("panel_logit_fe_re", {**PANEL, "model": "fe"})
    assert "clogit" in fe and ", re vce(" not in fe and "hausman" not in fe
    assert "ss_pubtable `ss_models', fe(`unit_id' `ss_fe_names')" in fe
    re_only = _body("panel_logit_fe_re", {**PANEL, "model": "re"})
    assert "clogit" not in re_only and "fe(`unit_id'" not in re_only


def test_panel_probit_margins_integrate_over_the_unit_effect_and_mundlak_adds_means() -> None:
    body = _body("panel_probit_re", PANEL)
    assert "margins, dydx(`regressors' `controls') predict(pr) level(`level')" in body
    assert "ss_means" in body and "egen double `ss_mv' = mean(`v')" not in body
    cre = _body("panel_probit_re", {**PANEL, "mundlak": True})
    assert "quietly bysort `unit_id': egen double `ss_mv' = mean(`v') `ss_if'" in cre
    assert "test `ss_means'" in cre


def test_ppml_absorbs_structural_gravity_effects_and_clusters_by_pair() -> None:
    base = {"depvar": "y", "regressors": ["x"]}
    gravity = _body("ppml_gravity_ppmlhdfe", {**base, "origin": "exporter",
                                              "destination": "importer", "time": "year"})
    assert "local ss_abs `ss_abs' `origin'#`time' `destination'#`time'" in gravity
    assert "quietly egen long `ss_pair' = group(`origin' `destination')" in gravity
    assert "local ss_vceopt vce(cluster `ss_pair')" in gravity
    assert ("ppmlhdfe `depvar' `regressors' `controls' `ss_if', absorb(`ss_abs') "
            "`ss_vceopt'") in gravity
    plain = _body("ppml_gravity_ppmlhdfe", base)
    assert "`origin'" not in plain and "local ss_vceopt vce(robust)" in plain
    assert "error 459" in plain  # negative outcomes are refused, not fitted


@pytest.mark.parametrize(("distribution", "metric", "line"), [
    ("weibull", "ph", "local ss_met nohr"),
    ("weibull", "aft", "local ss_met time"),
    ("gompertz", "aft", "local ss_met nohr"),
    ("lognormal", "ph", "local ss_met\n"),
    ("loglogistic", "aft", "local ss_met\n"),
])
def test_streg_metric_follows_the_distribution(distribution: str, metric: str, line: str) -> None:
    body = _body("survival_parametric_streg", {
        "duration": "t", "failure": "d", "treatment": "x", "distribution": distribution,
        "metric": metric})
    assert line in body
    assert ("streg `treatment' `controls' `ss_fe' `ss_if', distribution(`distribution') "
            "`ss_met' `ss_vce' level(`level')") in body


def test_competing_risks_sets_the_event_and_the_competing_code() -> None:
    body = _body("competing_risks_stcrreg", {"duration": "t", "failure": "code", "treatment": "x"})
    assert "stset `duration', failure(`failure' == `event_code')" in body
    assert "compete(`failure' == `competing_code')" in body
    assert "quietly count `ss_if' & `failure' == `competing_code'" in body


@pytest.mark.parametrize(("reference", "option"), [
    ("pooled", "local ss_dec pooled"), ("threefold", "local ss_dec threefold"),
    ("group1", "local ss_dec weight(1)"), ("group2", "local ss_dec weight(0)"),
])
def test_oaxaca_reference_coefficients(reference: str, option: str) -> None:
    body = _body("oaxaca_blinder_decomposition", {
        "depvar": "y", "regressors": ["x", "x2"], "group": "d", "reference": reference})
    assert option in body
    assert "oaxaca `depvar' `regressors' `ss_wt' `ss_if', by(`group') `ss_dec' `ss_vce'" in body


def test_selection_and_two_equation_models() -> None:
    heck = _body("heckprobit_selection", {"depvar": "yb", "regressors": ["x"],
                                          "exclusion": ["z"], "selvar": "sel"})
    assert "local ss_seleq select(`selvar' = `exclusion' `regressors' `controls' `ss_fe')" in heck
    assert "foreach ss_pr in pcond pmargin {" in heck
    bip = _body("bivariate_probit", {"outcomes": ["yb", "yb2"], "regressors": ["x"]})
    assert "biprobit `ss_y1' `ss_y2' `regressors' `controls' `ss_fe' `ss_wt' `ss_if'" in bip
    assert "predict(p11)" in bip
    hurdle = _body("two_part_hurdle", {"depvar": "y", "regressors": ["x"], "exclusion": ["z"]})
    assert ("select(`regressors' `controls' `exclusion' `ss_fe') ll(0)") in hurdle


def test_fractional_response_refuses_shares_outside_the_unit_interval() -> None:
    body = _body("fractional_response_fracreg", {"depvar": "y", "regressors": ["x"],
                                                 "link": "probit"})
    assert "quietly count if (`depvar' < 0 | `depvar' > 1) & !missing(`depvar')" in body
    assert "fracreg `link' `depvar' `regressors'" in body


def test_gologit2_model_choice_and_parallel_lines_tests() -> None:
    base = {"depvar": "n", "regressors": ["x"]}
    assert "autofit `ss_vce'" in _body("generalized_ologit_gologit2", base)
    assert ", pl `ss_vce'" in _body("generalized_ologit_gologit2", {**base, "model": "pl"})
    npl = _body("generalized_ologit_gologit2", {**base, "model": "npl"})
    assert "gologit2 `depvar' `regressors' `controls' `ss_if', `ss_vce' level(`level')" in npl
    assert "oparallel" in npl and "r(chi2_b)" in npl


def test_quantile_templates_loop_over_the_chosen_quantiles() -> None:
    rif = _body("rif_unconditional_quantile", {"depvar": "y", "regressors": ["x"],
                                               "quantiles": "q25_50_75"})
    assert "local ss_qs 25 50 75" in rif
    assert "rif(mean) `ss_absopt'" in rif and "rif(q(`q')) `ss_absopt'" in rif
    assert 'if "`ss_absorb\'" != "" {\n    local ss_absopt abs(`ss_absorb\')' in rif
    xtq = _body("panel_quantile_xtqreg", {"depvar": "y", "regressors": ["x"], "unit_id": "firm",
                                          "quantiles": "deciles"})
    assert "local ss_qs 10 20 30 40 50 60 70 80 90" in xtq
    assert "i(`unit_id') quantile(`=`q' / 100') ls" in xtq


def test_multilevel_random_part_and_optional_random_slope() -> None:
    base = {"depvar": "y", "regressors": ["x"], "group": "school"}
    mixed = _body("multilevel_mixed_random_intercept_slope", base)
    assert 'local ss_lvl "`group\':"' in mixed
    assert "|| `ss_lvl' `ss_re' `ss_est' level(`level')" in mixed
    assert "local ss_re ,\n" in mixed
    assert "exp(2 * _b[lns1_1_1:_cons])" in mixed  # ICC of the empty model
    slope = _body("multilevel_mixed_random_intercept_slope", {**base, "random_slope": True,
                                                              "robust": True})
    assert "local ss_re `ss_s1', covariance(`covariance')" in slope
    assert "local ss_est mle vce(robust)" in slope
    melogit = _body("multilevel_melogit", {**base, "depvar": "yb"})
    assert "melogit `depvar' `regressors' `controls' `ss_fe' `ss_if' || `ss_lvl' `ss_re'" in melogit
    growth = _body("growth_curve_mixed", {"depvar": "y", "unit_id": "firm", "time": "year",
                                          "shape": "quadratic"})
    assert "local ss_tt c.`ss_t' c.`ss_t'#c.`ss_t'" in growth
    assert "local ss_re `ss_t', covariance(unstructured)" in growth
    assert "margins, at(`ss_t' = (0(`ss_step')`ss_tmax'))" in growth
