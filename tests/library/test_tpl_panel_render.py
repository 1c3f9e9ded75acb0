"""Panel diagnostics, time-series, volatility and spatial templates of library v2, read as Stata
would run them: which command lines carry the statistics, which are allowed to fail without
costing the main result, and in what order the data are prepared."""

from __future__ import annotations

import functools
import re

from ss_core.binding import bind
from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.library.catalog import Library
from ss_core.library.loader import load_library
from ss_core.rendering.renderer import render
from tests.library.conftest import LIBRARY

SCHEMA = DatasetSchema(columns=tuple(
    Column(name=n, original_name=n, type=t) for n, t in {
        "y": ColumnType.NUMERIC, "x": ColumnType.NUMERIC, "x2": ColumnType.NUMERIC,
        "unit": ColumnType.INTEGER, "year": ColumnType.INTEGER, "lon": ColumnType.NUMERIC,
        "lat": ColumnType.NUMERIC, "t": ColumnType.INTEGER,
    }.items()), row_count=400)
PANEL = {"depvar": "y", "regressors": ["x"], "unit_id": "unit", "time": "year"}
SPACE = {"coord_x": "lon", "coord_y": "lat"}


@functools.cache
def _library() -> Library:
    return load_library(LIBRARY, check_index=False)


def _body(template_id: str, values: dict) -> str:
    template = _library().get(template_id)
    contract = bind(template.meta.parameters, {}, values, SCHEMA)
    assert contract.complete, (contract.missing_required, contract.invalid)
    text = render(template, contract.bound, SCHEMA, plan_id="tpl-panel").text
    return text.split("* ---- template body ----", 1)[1]


def _line(body: str, text: str) -> bool:
    """``text`` is a whole command line of its own, not inside a capture block."""
    return re.search(rf"^{re.escape(text)}$", body, re.MULTILINE) is not None


def test_pesaran_cd_is_never_captured_and_the_balanced_panel_tests_are_when_all_run() -> None:
    every = _body("panel_cross_sectional_dependence", {**PANEL, "test": "all"})
    assert _line(every, "xtcsd, pesaran abs")
    assert _line(every, "    xtcsd, friedman") and _line(every, "    xtcsd, frees")
    assert "local ss_pfr = chi2tail(`ss_ng' - 1, `ss_fr')" in every
    one = _body("panel_cross_sectional_dependence", {**PANEL, "test": "friedman"})
    assert _line(one, "xtcsd, friedman") and "xtcsd, pesaran" not in one


def test_a_single_panel_unit_root_test_fails_the_run_and_all_four_do_not() -> None:
    every = _body("panel_unit_root_xtunitroot", {"variables": ["y"], "unit_id": "unit",
                                                 "time": "year"})
    assert "local ss_tests llc ips fisher hadri\nlocal ss_strict = 0" in every
    one = _body("panel_unit_root_xtunitroot", {"variables": ["y"], "unit_id": "unit",
                                               "time": "year", "test": "llc"})
    assert "local ss_tests `test'\nlocal ss_strict = 1" in one
    assert "    if `ss_strict' {\n                    display as error" in one
    assert _line(one, "                    error `ss_rc'")
    assert "local ss_stat = r(tds)" in one and "local ss_p = r(p_tds)" in one


def test_driscoll_kraay_lag_only_when_given_and_cluster_comparison_matches_the_model() -> None:
    default = _body("panel_driscoll_kraay", PANEL)
    assert _line(default, "xtscc `depvar' `regressors' `controls' `ss_fe' `ss_if', `model' "
                          "level(`level')")
    lagged = _body("panel_driscoll_kraay", {**PANEL, "lags": 3, "model": "pooled"})
    assert "`model' lag(`lags') level(`level')" in lagged
    assert "    regress `depvar' `regressors' `controls' `ss_fe' if `insample', vce(cluster" \
        in lagged


def test_mundlak_adds_unit_means_of_varying_regressors_and_tests_them_with_clustered_se() -> None:
    body = _body("panel_robust_hausman_mundlak", {**PANEL, "controls": ["x2"]})
    assert "quietly bysort `unit_id': egen double `ss_mean`j'' = mean(`v') if `touse'" in body
    assert _line(body, "local vceopt vce(cluster `unit_id')")
    assert _line(body, "xtreg `depvar' `regressors' `controls' `ss_means' `ss_fe' if `touse', "
                       "re `vceopt' level(`level')")
    assert _line(body, "test `ss_means'")
    assert body.index("test `ss_means'") < body.index("hausman ss_fe_h ss_re_h, sigmamore")


def test_spatial_weights_are_built_on_the_estimation_sample_only() -> None:
    body = _body("spatial_regression_sar_sem_sdm", {"depvar": "y", "regressors": ["x"],
                                                    **SPACE, "band": 50, "latlong": True})
    drop = body.index("quietly drop if !`touse'")
    assert drop < body.index("spset `ss_sid'") < body.index("spmatrix create idistance ss_W")
    assert "spset, modify coordsys(latlong, kilometers)" in body
    assert "normalize(row) vtruncate(`=1 / `band'')" in body
    assert _line(body, "local ss_sp dvarlag(ss_W) ivarlag(ss_W: `regressors')")  # SDM default
    sem = _body("spatial_regression_sar_sem_sdm", {"depvar": "y", "regressors": ["x"],
                                                   **SPACE, "model": "sem"})
    assert _line(sem, "local ss_sp errorlag(ss_W)") and "ivarlag" not in sem.split("SS_STEP 5")[0]


def test_spatial_effects_copy_every_impact_matrix_before_writing_rows() -> None:
    for template_id, values in (
            ("spatial_regression_sar_sem_sdm", {"depvar": "y", "regressors": ["x"], **SPACE}),
            ("spatial_panel_model", {**PANEL, **SPACE})):
        body = _body(template_id, values)
        copy = body.index("    matrix `ss_b`e'' = r(b_`e')")
        assert copy < body.index("postfile `ph' str32 regressor"), template_id


def test_spatial_panel_weights_come_from_one_period_with_fixed_coordinates() -> None:
    body = _body("spatial_panel_model", {**PANEL, **SPACE})
    assert "changes over time within units" in body
    assert _line(body, "spmatrix create idistance ss_W if `time' == `ss_t0', normalize(row)")
    assert _line(body, "spxtregress `depvar' `regressors' `controls' `ss_tfe', `effects' "
                       "`ss_sp' level(`level')")
    assert _line(body, "local ss_tfe i.`ss_tid'")


def test_moran_i_uses_the_weights_sums_and_the_normality_variance() -> None:
    body = _body("spatial_moran_test", {"variables": ["y", "x"], **SPACE})
    assert "spgenerate double `ss_wz' = ss_W*`ss_z'" in body
    assert "local ss_i = (`ss_n' / `ss_s0') * `ss_num' / `ss_den'" in body
    assert ("local ss_vi = (`ss_n'^2 * `ss_s1' - `ss_n' * `ss_s2' + 3 * `ss_s0'^2) / "
            "((`ss_n'^2 - 1) * `ss_s0'^2) - `ss_ei'^2") in body


def test_variance_decomposition_reads_series_names_as_values_of_the_irf_file() -> None:
    body = _body("var_fevd_granger", {"variables": ["y", "x"], "time": "t"})
    fevd = body.split('quietly append using "var_fevd_results.irf"', 1)[1]
    assert "foreach y of local variables {" in fevd and "of varlist" not in fevd
    assert 'response == "`y\'" & impulse == "`x\'" & step == `steps\'' in fevd


def test_garch_persistence_sums_every_arch_and_garch_lag() -> None:
    body = _body("garch_volatility", {"depvar": "y", "time": "t", "arch_order": 2})
    assert 'local ss_nm = cond(`i\' == 1, "L.arch", "L`i\'.arch")' in body
    assert _line(body, "lincom `ss_sum', level(`level')")
    assert "b(`=ln(0.5) / ln(`ss_pers')')" in body
    assert _line(body, "local ss_vceopt vce(robust)")
