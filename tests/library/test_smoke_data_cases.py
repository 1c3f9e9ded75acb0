"""The smoke plan's data cases: fixtures shaped as real data is (text province ids, a %td
date as the time variable, an unbalanced panel, an industry code not nested in the unit,
trading days with weekend gaps) bind, render the generated conversions and run in the suite."""

from __future__ import annotations

import functools
import json
import shutil
from pathlib import Path

import pytest

from ss_core.authoring.smoke_plan import (
    EXPECTED_FILE,
    PLAN_FILE,
    DataCase,
    decode_expected,
    decode_plan,
    plan_problems,
)
from ss_core.binding import bind
from ss_core.library.loader import load_library
from ss_core.rendering.safety import scan
from ss_http.cli.dataset_schema import schema_of
from ss_http.cli.templates_render import bind_and_render
from tests.library.conftest import LIBRARY
from tests.library.test_smoke_suite import _report, _smoke, stata_cmd  # noqa: F401

PLAN = decode_plan((LIBRARY / "fixtures" / PLAN_FILE).read_bytes())
EXPECTED = decode_expected((LIBRARY / "fixtures" / EXPECTED_FILE).read_bytes())


@functools.cache
def _library():  # type: ignore[no-untyped-def]
    return load_library(LIBRARY, check_index=False)


def test_the_plan_covers_the_data_cases_of_the_review() -> None:
    assert plan_problems(PLAN, EXPECTED) == []
    shapes = {c.template for c in PLAN.data_cases if c.fixture == "panel_shapes"}
    assert {"panel_fixed_effects", "panel_twoway_fe", "did_twfe", "panel_random_effects",
            "dynamic_panel_diff_gmm"} <= shapes
    assert any(c.fixture == "time_series" and c.roles.get("time") == "day"
               for c in PLAN.data_cases)


@pytest.mark.parametrize("case", PLAN.data_cases, ids=lambda c: f"{c.template}@{c.name}")
def test_every_data_case_binds_and_renders_its_conversions(case: DataCase) -> None:
    template = _library().get(case.template)
    schema = schema_of(LIBRARY / "fixtures" / EXPECTED.fixtures[case.fixture].file)
    rendered = bind_and_render(template, schema, dict(case.roles), dict(case.params),
                               plan_id="smoke-data-case").text
    assert scan(rendered) == []
    if case.fixture != "panel_shapes" and case.roles.get("time") != "day":
        return  # a data case about the template's own logic (caliper, level, gaps, ...)
    shapes = rendered.split("* ---- data shapes", 1)[1].split("* ---- template body ----")[0]
    if case.fixture == "panel_shapes":
        assert "capture encode province, generate(`ss_enc')" in shapes
        if "time" in case.roles:
            assert "quietly replace date = yofd(date)\nformat date %ty" in shapes
        nonest = "nonest dfadj" in rendered
        flagged = template.meta.param("cluster_nonest") is not None
        assert nonest == (flagged and case.roles.get("cluster") == "industry")
    else:
        assert "quietly egen long `ss_seq' = group(day)" in shapes


def test_a_cluster_not_nested_blocks_random_effects_on_the_fixture() -> None:
    template = _library().get("panel_random_effects")
    schema = schema_of(LIBRARY / "fixtures" / "panel_shapes.dta")
    roles = {"outcome": "y_fe", "regressors": ["x"], "unit_id": "province", "time": "date",
             "cluster": "industry"}
    contract = bind(template.meta.parameters, roles, {}, schema)
    assert [i.param for i in contract.invalid] == ["clustvar"]
    assert "industry" not in contract.invalid[0].candidates
    assert "region" in contract.invalid[0].candidates


def test_data_cases_run_in_the_suite_and_are_judged(
    tmp_path: Path, stata_cmd: str, monkeypatch: pytest.MonkeyPatch  # noqa: F811
) -> None:
    root = tmp_path / "library"
    shutil.copytree(LIBRARY / "schemas", root / "schemas")
    shutil.copytree(LIBRARY / "fixtures", root / "fixtures")
    shutil.copytree(LIBRARY / "templates" / "panel_fixed_effects",
                    root / "templates" / "panel_fixed_effects")
    fe = EXPECTED.fixtures
    results = tmp_path / "results.json"
    results.write_text(json.dumps({"panel_fixed_effects": [
        {"step": "fixed_effects", "term": "x", "estimate": fe["panel_shapes"].estimates["fe_x"]}]}))
    monkeypatch.setenv("SMOKE_STATA_RESULTS", str(results))
    report = tmp_path / "report"
    _smoke(root, stata_cmd, report, "--templates", "panel_fixed_effects")
    rows = _report(report)
    case = rows["panel_fixed_effects@shapes"]
    assert case["status"] == "PASS" and case["case_source"] == "data_case", case
    assert case["fixture"] == "panel_shapes"
    main_do = (report / "runs" / "panel_fixed_effects@shapes" / "main.do").read_text()
    assert "capture encode province" in main_do
    # the template's own case on the balanced fixture expects another estimate: judged apart
    assert rows["panel_fixed_effects"]["status"] == "FAIL"
