"""``ssctl templates smoke`` against a Stata batch double: PASS, wrong estimate, failing rc."""

from __future__ import annotations

import functools
import json
import os
import stat
import sys
from pathlib import Path

import pytest

from ss_core.authoring.smoke_plan import (
    EXPECTED_FILE,
    PLAN_FILE,
    decode_expected,
    decode_plan,
    judge_log,
    plan_problems,
)
from ss_core.domain.dataset import DatasetSchema
from ss_core.library.catalog import Library
from ss_core.library.loader import load_library
from ss_http.cli import main
from ss_http.cli.dataset_schema import schema_of
from ss_http.cli.templates_render import bind_and_render
from tests.library.conftest import EXEMPLAR, LIBRARY, REPO, template_ids

DOUBLE = REPO / "tests" / "doubles" / "smoke_stata.py"
EXPECTED = decode_expected((LIBRARY / "fixtures" / EXPECTED_FILE).read_bytes())
CROSS = EXPECTED.fixtures["cross_section"].estimates
RESULTS = "ss_results.csv"


@pytest.fixture
def stata_cmd(tmp_path: Path) -> str:
    """An executable that runs the double with this interpreter (no PATH lookup)."""
    launcher = tmp_path / "stata-double"
    launcher.write_text(f'#!/bin/sh\nexec "{sys.executable}" "{DOUBLE}" "$@"\n')
    launcher.chmod(launcher.stat().st_mode | stat.S_IEXEC)
    return str(launcher)


def _results(tmp_path: Path, x1: float, se: float) -> Path:
    path = tmp_path / "results.json"
    path.write_text(json.dumps({EXEMPLAR: [
        {"step": "main", "term": "x1", "estimate": x1, "std_error": se, "n_obs": 300,
         "r2": CROSS["ols_r2"], "ci_lower": CROSS["ols_x1_robust_ci90_lower"],
         "ci_upper": CROSS["ols_x1_robust_ci90_upper"]}]}))
    return path


def _smoke(library: Path, stata_cmd: str, report: Path, *extra: str) -> int:
    return main(["templates", "--library", str(library), "smoke", "--stata-cmd", stata_cmd,
                 "--report-dir", str(report), "--timeout", "20", *extra])


def _report(report: Path) -> dict:
    return {t["template_id"]: t for t in
            json.loads((report / "smoke_report.json").read_text())["templates"]}


def test_pass_when_estimates_match(library_copy, stata_cmd, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SMOKE_STATA_RESULTS", str(_results(
        tmp_path, CROSS["ols_x1"] + 0.00005, CROSS["ols_x1_robust_se"])))
    report = tmp_path / "report"
    assert _smoke(library_copy, stata_cmd, report) == 0
    row = _report(report)[EXEMPLAR]
    assert row["status"] == "PASS" and row["rc"] == 0 and row["case_source"] == "plan"
    assert [c["ok"] for c in row["comparisons"]] == [True] * 4
    run = report / "runs" / EXEMPLAR
    assert (run / "primary.dta").is_file() and (run / "regression_table.csv").is_file()
    assert (run / "main.do").read_text().startswith("* ==== SS rendered do-file")
    assert "| `ols_robust` | PASS |" in (report / "smoke_report.md").read_text()
    variant = _report(report)[f"{EXEMPLAR}@level90"]
    assert variant["status"] == "PASS" and variant["case_source"] == "data_case"
    assert [c["column"] for c in variant["comparisons"]] == ["ci_lower", "ci_upper"]
    assert (report / "runs" / f"{EXEMPLAR}@level90" / "main.do").is_file()


def test_a_data_case_is_judged_on_its_own(library_copy, stata_cmd, tmp_path, monkeypatch) -> None:
    path = tmp_path / "results.json"
    path.write_text(json.dumps({EXEMPLAR: [
        {"step": "main", "term": "x1", "estimate": CROSS["ols_x1"],
         "std_error": CROSS["ols_x1_robust_se"], "n_obs": 300, "r2": CROSS["ols_r2"],
         "ci_lower": -1, "ci_upper": -1}]}))
    monkeypatch.setenv("SMOKE_STATA_RESULTS", str(path))
    report = tmp_path / "report"
    assert _smoke(library_copy, stata_cmd, report) == 1
    rows = _report(report)
    assert rows[EXEMPLAR]["status"] == "PASS"
    assert rows[f"{EXEMPLAR}@level90"]["status"] == "FAIL"
    assert "main/x1 ci_lower" in rows[f"{EXEMPLAR}@level90"]["reason"]


def test_fail_on_a_wrong_estimate(library_copy, stata_cmd, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SMOKE_STATA_RESULTS", str(_results(tmp_path, 1.5, 0.06)))
    report = tmp_path / "report"
    assert _smoke(library_copy, stata_cmd, report) == 1
    row = _report(report)[EXEMPLAR]
    assert row["status"] == "FAIL" and "main/x1 estimate" in row["reason"]
    assert "| x1 | estimate |" in (report / "smoke_report.md").read_text()


def test_fail_on_a_stata_error_code(library_copy, stata_cmd, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SMOKE_STATA_RC", "111")
    report = tmp_path / "report"
    assert _smoke(library_copy, stata_cmd, report) == 1
    row = _report(report)[EXEMPLAR]
    assert row["status"] == "FAIL" and row["rc"] == 111 and "r(111)" in row["reason"]


def test_fail_on_an_error_directive_in_the_do_file(library_copy, stata_cmd, tmp_path) -> None:
    body = library_copy / "templates" / EXEMPLAR / "template.do"
    body.write_text("* SMOKE_STATA_RC 198\n" + body.read_text())
    report = tmp_path / "report"
    assert _smoke(library_copy, stata_cmd, report) == 1
    assert _report(report)[EXEMPLAR]["rc"] == 198


def test_fail_on_missing_required_output(library_copy, stata_cmd, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SMOKE_STATA_RESULTS", str(_results(
        tmp_path, CROSS["ols_x1"], CROSS["ols_x1_robust_se"])))
    body = library_copy / "templates" / EXEMPLAR / "template.do"
    body.write_text(body.read_text().replace(
        'export delimited using "regression_table.csv"', 'export delimited using "other.csv"'))
    report = tmp_path / "report"
    assert _smoke(library_copy, stata_cmd, report) == 1
    assert _report(report)[EXEMPLAR]["missing_outputs"] == ["regression_table.csv"]


def test_timeout_and_unknown_ids(library_copy, stata_cmd, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SMOKE_STATA_SLEEP", "5")
    report = tmp_path / "report"
    code = main(["templates", "--library", str(library_copy), "smoke", "--stata-cmd", stata_cmd,
                 "--report-dir", str(report), "--timeout", "0.5",
                 "--templates", f"{EXEMPLAR},not_a_template"])
    assert code == 1
    rows = _report(report)
    assert "timed out" in rows[EXEMPLAR]["reason"]
    assert rows["not_a_template"]["reason"] == "not in the library"


def test_templates_without_a_plan_entry_use_their_data_shape_default(
        library_copy, stata_cmd, tmp_path) -> None:
    plan_path = library_copy / "fixtures" / PLAN_FILE
    plan = json.loads(plan_path.read_text())
    del plan["templates"][EXEMPLAR]
    plan["data_cases"] = []
    plan_path.write_text(json.dumps(plan))
    report = tmp_path / "report"
    assert _smoke(library_copy, stata_cmd, report) == 0
    row = _report(report)[EXEMPLAR]
    assert row["case_source"] == "default" and row["comparisons"] == []


def test_the_committed_plan_is_consistent() -> None:
    plan = decode_plan((LIBRARY / "fixtures" / PLAN_FILE).read_bytes())
    assert plan_problems(plan, EXPECTED) == []
    assert EXEMPLAR in plan.templates


STATA_OK = """\
. display as text "SS_TEMPLATE_DONE"
SS_TEMPLATE_DONE

. capture log close ss_analysis

.
end of do-file
"""
STATA_ERR = """\
. regress y x
variable y not found
r(111);

end of do-file
r(111);
"""


def test_judge_log_reads_batch_logs() -> None:
    assert judge_log(STATA_OK).ok
    bad = judge_log(STATA_ERR)
    assert not bad.ok and bad.rc == 111
    captured = "r(198);\n" + STATA_OK  # a captured diagnostic error earlier is fine
    assert judge_log(captured).ok
    echo_only = '. display as text "SS_TEMPLATE_DONE"\n\nend of do-file\n'
    assert not judge_log(echo_only).ok


def test_the_double_lives_only_in_tests() -> None:
    assert os.access(DOUBLE, os.X_OK)


@functools.cache
def _library() -> Library:
    return load_library(LIBRARY, check_index=False)


@functools.cache
def _fixture_schema(name: str) -> DatasetSchema:
    return schema_of(LIBRARY / "fixtures" / EXPECTED.fixtures[name].file)


def test_the_plan_covers_the_review_data_cases() -> None:
    """Caliper, unbalanced panels, adoption-row coding, level(90), two thresholds."""
    plan = decode_plan((LIBRARY / "fixtures" / PLAN_FILE).read_bytes())
    cases = {f"{c.template}@{c.name}": c for c in plan.data_cases}
    assert cases["teffects_psmatch@caliper"].params["caliper"] == 0.001
    assert cases["ols_robust@level90"].params["level"] == 90
    assert cases["threshold_regression@two"].params["n_thresholds"] == "2"
    for tid in ("panel_threshold_xthreg", "synthetic_control_synth"):
        assert cases[f"{tid}@unbalanced"].roles["outcome"] == "y_gaps"
        assert cases[f"{tid}@unbalanced"].expect[0].estimate == "incomplete_units"
    adoption = cases["event_study_leads_lags@adoption_row"]
    assert adoption.roles["treat_time"] == "treat_time_adopt"
    assert [e.estimate for e in adoption.expect] == ["event_lag0", "event_lead2"]
    assert plan.templates["threshold_regression"].expect[0].estimate == "threshold_q"
    assert EXPECTED.fixtures["panel"].estimates["incomplete_units"] == 4


@pytest.mark.parametrize("template_id", template_ids())
def test_every_template_binds_and_renders_on_its_smoke_case(template_id: str) -> None:
    """Without Stata: the smoke case (plan entry or data-shape default) binds and renders."""
    plan = decode_plan((LIBRARY / "fixtures" / PLAN_FILE).read_bytes())
    template = _library().get(template_id)
    case, _source = plan.case_for(template_id, template.meta.data_shape)
    assert case is not None
    rendered = bind_and_render(template, _fixture_schema(case.fixture), dict(case.roles),
                               dict(case.params), plan_id="smoke-plan")
    assert rendered.text.endswith("capture log close ss_analysis\n")


RUNNER_DOUBLE = REPO / "tests" / "doubles" / "stata" / "stata"


@pytest.mark.skipif(not RUNNER_DOUBLE.exists(), reason="the shared Stata double is not merged")
def test_the_shared_stata_double_passes_and_fails_like_stata(
        library_copy, tmp_path, monkeypatch) -> None:
    """The shared protocol double interprets the rendered do-file; its made-up estimates are
    not compared (success only), and its rc directive fails the run."""
    plan_path = library_copy / "fixtures" / PLAN_FILE
    plan = json.loads(plan_path.read_text())
    plan["templates"][EXEMPLAR]["expect"] = []
    plan["data_cases"] = []
    plan_path.write_text(json.dumps(plan))
    assert _smoke(library_copy, str(RUNNER_DOUBLE), tmp_path / "ok") == 0
    monkeypatch.setenv("SS_STATA_DOUBLE_DIRECTIVES", "fail 111")
    assert _smoke(library_copy, str(RUNNER_DOUBLE), tmp_path / "bad") == 1
    assert _report(tmp_path / "bad")[EXEMPLAR]["rc"] == 111


def test_a_rerun_never_judges_files_left_by_an_earlier_run(
        library_copy, stata_cmd, tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("SMOKE_STATA_RESULTS", str(_results(
        tmp_path, CROSS["ols_x1"], CROSS["ols_x1_robust_se"])))
    report = tmp_path / "report"
    assert _smoke(library_copy, stata_cmd, report) == 0
    monkeypatch.setenv("SMOKE_STATA_RC", "198")
    assert _smoke(library_copy, stata_cmd, report) == 1
    run = report / "runs" / EXEMPLAR
    assert not (run / "regression_table.csv").exists() and not (run / RESULTS).exists()


def test_a_relative_stata_command_is_resolved_before_the_run(
        library_copy, stata_cmd, tmp_path, monkeypatch) -> None:
    monkeypatch.chdir(Path(stata_cmd).parent)
    report = tmp_path / "report"
    relative = os.path.join(".", Path(stata_cmd).name)
    assert _smoke(library_copy, relative, report, "--templates", EXEMPLAR) in (0, 1)
    assert "cannot start" not in _report(report)[EXEMPLAR]["reason"]
