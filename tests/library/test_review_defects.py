"""Each defect found by reading the rendered templates as Stata would run them, pinned on the
rendered do-file: the text that made Stata stop, report a wrong number or skip a case is gone,
and the text that handles the case is there. (Stata itself runs these cases in the operator
smoke suite: see the ``variants`` of ``fixtures/smoke_plan.json``.)"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import Any

import pytest

from ss_core.binding import bind
from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.library.catalog import Library
from ss_core.library.loader import load_library
from ss_core.rendering.house import settings
from ss_core.rendering.renderer import render
from tests.library.conftest import LIBRARY

N, INT, B, S = ColumnType.NUMERIC, ColumnType.INTEGER, ColumnType.BINARY, ColumnType.STRING
SCHEMA = DatasetSchema(columns=tuple(
    Column(name=n, original_name=n, type=t) for n, t in {
        "y": N, "x": N, "x2": N, "x3": N, "q": N, "count": INT, "unit": INT, "year": INT,
        "treated": B, "post": B, "treat": B, "tt": INT, "industry": INT, "prov": S, "w": N,
    }.items()), row_count=400)


@functools.cache
def _library() -> Library:
    return load_library(LIBRARY, check_index=False)


def _render(template_id: str, values: Mapping[str, Any]) -> str:
    template = _library().get(template_id)
    contract = bind(template.meta.parameters, {}, dict(values), SCHEMA)
    assert contract.complete, (contract.missing_required, contract.invalid)
    return render(template, contract.bound, SCHEMA, plan_id="plan-defects").text


def _body(text: str) -> str:
    return text.split("* ---- template body ----", 1)[1]


def _param(template_id: str, name: str) -> Any:
    return next(p for p in _library().get(template_id).meta.parameters if p.name == name)


# D1: threshold reports a boundary sentinel of e(thresholds) as the threshold.
def test_threshold_regression_skips_the_boundary_sentinels() -> None:
    body = _body(_render("threshold_regression", {
        "depvar": "y", "regressors": ["x"], "threshvar": "q", "time": "year"}))
    assert "local ss_first = 1 + (colsof(`thr') == `ss_nth' + 2)" in body
    assert "local ss_th`k' = `thr'[1, `ss_first' + `k' - 1]" in body
    assert "`thr'[`i', 1]" not in body and "`thr'[1, `i']" not in body
    assert "rowsof(`thr') == `ss_nth' | colsof(`thr') != `ss_nth'" not in body
    assert "quietly generate int threshold_k = _n" in body
    out = next(o for o in _library().get("threshold_regression").meta.outputs
               if o.file == "threshold_estimates.csv")
    assert out.required


# D2: teffects psmatch stops with r(459) with a caliper or extreme scores.
@pytest.mark.parametrize("caliper", [None, 0.01])
def test_teffects_psmatch_excludes_unmatched_observations_and_re_estimates(
        caliper: float | None) -> None:
    values: dict[str, Any] = {"outcome": "y", "treatment": "treat", "covariates": ["x", "x2"]}
    if caliper is not None:
        values["caliper"] = caliper
    body = _body(_render("teffects_psmatch", values))
    first = re.search(r"^capture noisily teffects psmatch .*osample\(`ss_viol'\).*$", body,
                      re.MULTILINE)
    assert first and "pstolerance(`pstolerance')" in first.group(0)
    assert "while `ss_rc' == 459 & `ss_round' <= 5 {" in body
    assert "quietly replace `touse' = 0 if `ss_viol' == 1" in body
    assert "error `ss_rc'" in body  # any other failure still stops the run
    assert "ss_res, step(sample) term(excluded_no_match_or_overlap)" in body
    assert ("caliper(`caliper')" in body) is (caliper is not None)
    assert _param("teffects_psmatch", "pstolerance").default == 1e-05


# D3: the results-file confidence interval was always 95 %.
def test_results_ci_follows_the_confidence_level() -> None:
    text = _render("ols_robust", {"depvar": "y", "treatvar": "x", "level": 90})
    program = text[text.index("program define ss_coef"):]
    program = program[:program.index("\nend")]
    assert "0.025" not in program and "0.975" not in program
    assert "scalar `alpha2' = (100 - c(level)) / 200" in program
    assert "invttail(e(df_r), `alpha2')" in program
    assert "invnormal(1 - `alpha2')" in program
    lines = text.splitlines()
    assert lines.index("local level 90") < lines.index("    set level `level'") < lines.index(
        "* ---- template body ----")
    assert settings({"depvar"}) == []
    no_level = _render("data_describe_overview", {"variables": ["y"]})
    assert "set level" not in no_level


# D7: GMM without period dummies; difference GMM with every regressor strictly exogenous.
def test_difference_gmm_has_period_dummies_and_regressor_types() -> None:
    base = {"depvar": "y", "regressors": ["x"], "unit_id": "unit", "time": "year"}
    body = _body(_render("dynamic_panel_diff_gmm", base))
    assert re.search(r"^xtabond `depvar' `ss_xrhs' `controls' `ss_td' `ss_if', .*`ss_xopt'", body,
                     re.MULTILINE)
    assert "forvalues k = `=`lags' + 3'/`ss_tmax' {" in body
    assert "local ss_xopt endogenous(`regressors')" in body  # the default
    pre = _body(_render("dynamic_panel_diff_gmm", {**base, "regressor_type": "predetermined"}))
    assert "local ss_xopt pre(`regressors')" in pre and "endogenous(" not in pre
    exo = _body(_render("dynamic_panel_diff_gmm", {**base, "regressor_type": "exogenous"}))
    assert "local ss_xrhs `regressors'" in exo
    off = _body(_render("dynamic_panel_diff_gmm", {**base, "time_dummies": False}))
    assert "ss_td_" not in off and "local ss_td\n" in off


def test_system_gmm_instruments_period_dummies_in_the_level_equation() -> None:
    body = _body(_render("dynamic_panel_system_gmm", {
        "depvar": "y", "regressors": ["x"], "unit_id": "unit", "time": "year"}))
    assert "local ss_tdinst iv(`ss_td', equation(level))" in body
    assert re.search(r"^xtabond2 `depvar' L\.`depvar' `regressors' `controls' `ss_td' `ss_if', "
                     r".*`ss_tdinst'", body, re.MULTILINE)


# D8: DID templates did not cluster by unit.
@pytest.mark.parametrize("template_id,extra", [
    ("did_2x2", {}),
    ("parallel_trends_check", {"time": "year", "treatment_period": 2015}),
])
def test_did_templates_cluster_by_the_unit(template_id: str, extra: dict[str, Any]) -> None:
    base = {"outcome": "y", "treated": "treated", "post": "post", **extra}
    if template_id == "parallel_trends_check":
        base.pop("post")
    unit = _body(_render(template_id, {**base, "unit_id": "prov"}))
    assert "quietly egen long `ss_cl' = group(`unit_id') if `touse'" in unit
    assert "local vceopt vce(cluster `ss_cl')" in unit and "vce(robust)" not in unit
    cluster = _body(_render(template_id, {**base, "unit_id": "unit", "cluster": "industry"}))
    assert "group(`cluster')" in cluster and "group(`unit_id')" not in cluster
    robust = _body(_render(template_id, base))
    assert "local vceopt vce(robust)" in robust


# D9: PSM-DID matched pooled unit-years only; covariates and controls shared a role.
def test_psm_did_offers_period_and_baseline_matching() -> None:
    base = {"outcome": "y", "treated": "treated", "post": "post", "covariates": ["x", "x2"]}
    pooled = _body(_render("psm_did", base))
    assert pooled.count("psmatch2 `treated'") == 1
    by_period = _body(_render("psm_did", {**base, "match_period": "by_period", "time": "year"}))
    assert "foreach t of local ss_periods {" in by_period
    assert "if `touse' & `time' == `t', logit" in by_period
    baseline = _body(_render("psm_did", {
        **base, "match_period": "baseline", "time": "year", "unit_id": "unit"}))
    assert "generate byte `ss_base' = `ss_pre' & _n == 1" in baseline
    assert "psmatch2 `treated' `covariates' if `ss_base'" in baseline
    missing = _body(_render("psm_did", {**base, "match_period": "baseline"}))
    assert "needs the unit identifier and the time variable" in missing
    assert _param("psm_did", "controls").role is None
    assert _param("psm_did", "covariates").role == "controls"


# D10: the alternative-clustering row bound from role group, or repeated the baseline.
def test_robustness_alternative_clustering_only_when_bound() -> None:
    base = {"depvar": "y", "treatvar": "x", "controls": ["x2"]}
    unbound = _body(_render("robustness_bundle", base))
    assert "alternative_se" not in unbound and "`vcealt'" not in unbound
    bound = _body(_render("robustness_bundle", {**base, "alt_clustvar": "industry"}))
    assert "ss_coef \"alternative_se\" \"`treatvar'\"" in bound
    assert "quietly egen long `ss_altc' = group(`alt_clustvar')" in bound
    assert _param("robustness_bundle", "alt_clustvar").role is None


# D11: IRR computed for inflate-equation and dispersion rows.
@pytest.mark.parametrize("template_id", [
    "poisson_count", "negbin_count", "zip_zero_inflated", "zinb_zero_inflated"])
def test_irr_only_for_the_count_equation(template_id: str) -> None:
    values: dict[str, Any] = {"depvar": "count", "regressors": ["x"]}
    if template_id.startswith("zi"):
        values["inflvars"] = ["x2"]
    body = _body(_render(template_id, values))
    assert 'quietly generate byte ss_count_eq = inlist(equation, "`depvar\'", "_", "")' in body
    assert "quietly generate double irr = exp(b) if ss_count_eq" in body
    assert "quietly generate double irr = exp(b)\n" not in body


# D12: classical Hausman only.
def test_hausman_adds_a_cluster_robust_mundlak_test() -> None:
    base = {"depvar": "y", "regressors": ["x"], "unit_id": "unit", "time": "year"}
    body = _body(_render("panel_hausman_test", base))
    assert re.search(r"^    xtreg `depvar' `rhs' `ss_means' if `ss_mtouse', re "
                     r"vce\(cluster `unit_id'\)", body, re.MULTILINE)
    assert "    test `ss_means'" in body
    assert "ss_res, step(mundlak_robust) term(unit_means_joint)" in body
    assert "hausman `fe_est' `re_est', sigmamore" in body  # the classical test stays
    off = _body(_render("panel_hausman_test", {**base, "robust_test": False}))
    assert "mundlak" not in off


# D13: xthreg needs a balanced panel and overwrites _cat.
def test_xthreg_balances_the_panel_and_keeps_a_users_cat() -> None:
    base = {"depvar": "y", "regressors": ["x"], "threshvar": "q", "unit_id": "unit",
            "time": "year"}
    body = _body(_render("panel_threshold_xthreg", base))
    assert "quietly drop if `ss_nt' < `ss_periods'" in body
    assert "ss_res, step(balance) term(units_dropped)" in body
    assert body.index("rename _cat `ss_cat_saved'") < body.index("xthreg `depvar'")
    assert body.index("xthreg `depvar'") < body.index("rename `ss_cat_saved' _cat")
    strict = _body(_render("panel_threshold_xthreg", {**base, "balance": False}))
    assert "quietly drop if `ss_nt'" not in strict
    assert "set balance=true" in strict


# D14: synth without lagged outcomes, placebo inference or donor cleaning.
def test_synth_uses_lagged_outcomes_cleans_donors_and_runs_placebos() -> None:
    base = {"outcome": "y", "unit": "unit", "time": "year", "treated_unit": 1,
            "treatment_period": 2015}
    body = _body(_render("synthetic_control_synth", base))
    assert "synth `outcome' `outcome' `ss_lagged' `predictors', trunit(`treated_unit')" in body
    assert "quietly drop if `ss_bad' == 1" in body
    assert "ss_res, step(donor_pool) term(donors_dropped_incomplete)" in body
    assert "matrix `W' = e(W_weights)" in body and "J(1, 2, .)" not in body
    assert "counit(`ss_others')" in body
    assert "term(permutation_p_value)" in body
    assert 'export delimited using "synth_placebo.csv", replace' in body
    off = _body(_render("synthetic_control_synth", {**base, "placebo": False}))
    assert "counit(" not in off


# D15: adoption year coded on some rows only; df written into n_obs.
def test_event_study_takes_each_units_earliest_adoption_year() -> None:
    body = _body(_render("event_study_leads_lags", {
        "outcome": "y", "unit": "unit", "time": "year", "treat_time": "tt"}))
    assert "quietly bysort `uid': egen double `ss_tt' = min(`treat_time')" in body
    assert "quietly generate double `rel' = `time' - `ss_tt'" in body
    assert "`time' - `treat_time'" not in body
    assert "n(`=`pre_df'')" not in body
    assert "term(leads_joint_df) b(`=`pre_df'')" in body


# D16: a continuous variable in a frequency table.
def test_frequency_tables_refuse_too_many_categories() -> None:
    body = _body(_render("frequency_tables", {"variables": ["unit"]}))
    assert "if `ss_nd' > `max_categories' {" in body
    assert body.index("`max_categories'") < body.index("tabulate `ss_row'")
    assert _param("frequency_tables", "max_categories").default == 200


# D17: one direction for every indicator.
def test_entropy_index_mixes_positive_and_negative_indicators() -> None:
    text = _render("entropy_weight_index", {
        "variables": ["x", "x2", "x3"], "negative_indicators": ["x3"]})
    body = _body(text)
    assert "local negative_indicators x3" in text.splitlines()
    assert "local ss_negs `negative_indicators'" in body
    assert "local ss_isneg : list v in ss_negs" in body
    assert "local ss_notin : list ss_negs - ss_vars" in body


# D18: factor variables reject negative time codes.
@pytest.mark.parametrize("template_id,values", [
    ("panel_twoway_fe", {"depvar": "y", "regressors": ["x"], "unit_id": "unit",
                         "time": "year"}),
    ("did_twfe", {"outcome": "y", "unit": "unit", "time": "year", "treated": "treated",
                  "post": "post"}),
])
def test_negative_time_codes_enter_through_a_group_index(
        template_id: str, values: dict[str, Any]) -> None:
    body = _body(_render(template_id, values))
    assert "if `ss_tmin' < 0 | _rc {" in body
    assert "    local ss_tfe i.`ss_tid'" in body
    assert "i.`time' " not in body.split("local ss_tfe i.`time'", 1)[1]


def test_parallel_trends_interacts_with_a_period_index() -> None:
    body = _body(_render("parallel_trends_check", {
        "outcome": "y", "treated": "treated", "time": "year", "treatment_period": 2015}))
    assert "testparm i.`treated'#i.`ss_tid'" in body and "i.`time'" not in body


# D20: winsorising overwrote the originals.
def test_winsorize_keeps_the_originals_by_default() -> None:
    body = _body(_render("winsorize_variables", {"variables": ["x"]}))
    assert 'local ss_t = substr("`v\'", 1, 30) + "_w"' in body
    assert "quietly replace `ss_t' = `lo' if `ss_t' < `lo'" in body
    assert "quietly replace `v' = `lo'" not in body
    in_place = _body(_render("winsorize_variables", {"variables": ["x"], "in_place": True}))
    assert "local ss_t `v'" in in_place and "_w\"" not in in_place
