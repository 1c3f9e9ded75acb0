"""New templates of library v2, read as Stata would run them: the rendered command lines that
carry the statistics the smoke plan compares with independently computed answers."""

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
        "firm": ColumnType.STRING, "year": ColumnType.INTEGER, "q1": ColumnType.INTEGER,
        "q2": ColumnType.INTEGER, "q3": ColumnType.INTEGER,
    }.items()), row_count=200)


@functools.cache
def _library() -> Library:
    return load_library(LIBRARY, check_index=False)


def _body(template_id: str, values: dict) -> str:
    template = _library().get(template_id)
    contract = bind(template.meta.parameters, {}, values, SCHEMA)
    assert contract.complete, (contract.missing_required, contract.invalid)
    text = render(template, contract.bound, SCHEMA, plan_id="v2").text
    return text.split("* ---- template body ----", 1)[1]


def test_wooldridge_serial_correlation_test() -> None:
    body = _body("panel_serial_correlation_test", {
        "depvar": "y", "regressors": ["x"], "controls": ["x2"], "unit_id": "firm",
        "time": "year"})
    assert re.search(r"^regress D\.`depvar' `ss_dx' if `touse', noconstant "
                     r"vce\(cluster `unit_id'\)$", body, re.MULTILINE)
    assert "    local ss_dx `ss_dx' D.`v'" in body
    assert "regress `ss_e' L.`ss_e', noconstant vce(cluster `unit_id')" in body
    assert "test L.`ss_e' = -0.5" in body
    assert "term(f_test_coef_eq_minus_half) statistic(`ss_f') p(`ss_p')" in body
    plan_case = _library().get("panel_serial_correlation_test").meta
    assert plan_case.data_shape == "panel"


def test_cronbach_alpha_uses_items_as_coded() -> None:
    body = _body("cronbach_alpha_reliability", {"items": ["q1", "q2", "q3"]})
    assert "alpha `items' if `touse', asis `ss_std'" in body
    assert "local ss_std\n" in body
    assert "local ss_rest : list items - v" in body
    assert "ss_res, step(alpha_if_dropped) term(`v') b(`ss_ad') statistic(`ss_r')" in body
    std = _body("cronbach_alpha_reliability", {"items": ["q1", "q2"], "scale": "standardized"})
    assert "local ss_std std" in std


def test_u_shape_test_reports_slopes_at_both_ends_and_lind_mehlum() -> None:
    body = _body("u_shape_test", {"depvar": "y", "xvar": "x", "controls": ["x2"]})
    assert ("regress `depvar' c.`xvar'##c.`xvar' `controls' `ss_fe' `ss_wt' if `touse', "
            "`vceopt'") in body
    assert "nlcom (turning_point: -_b[`xvar'] / (2 * _b[c.`xvar'#c.`xvar']))" in body
    assert "quietly lincom _b[`xvar'] + 2 * `ss_lo' * _b[c.`xvar'#c.`xvar']" in body
    assert "quietly lincom _b[`xvar'] + 2 * `ss_hi' * _b[c.`xvar'#c.`xvar']" in body
    assert "local ss_t0 = -`ss_sign' * `ss_s0' / `ss_se0'" in body
    assert "local ss_t1 = `ss_sign' * `ss_s1' / `ss_se1'" in body
    assert "local ss_plm = ttail(`ss_df', `ss_tlm')" in body
    assert "local vceopt vce(robust)" in body
