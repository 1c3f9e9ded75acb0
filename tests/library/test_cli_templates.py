"""``ssctl templates list/show/render/check`` on the real library and on broken copies."""

from __future__ import annotations

import json
from pathlib import Path

from ss_http.cli import main
from tests.library.conftest import EXEMPLAR, LIBRARY


def _run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(["templates", "--library", str(LIBRARY), *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_list_filters_by_family_and_prints_json(capsys) -> None:
    code, out, _ = _run(capsys, "list", "--family", "ols", "--json")
    assert code == 0
    assert EXEMPLAR in [row["id"] for row in json.loads(out)]
    code, out, _ = _run(capsys, "list", "--family", "survival_of_the_fittest")
    assert code == 0 and out == ""


def test_show_prints_parameters_dependencies_outputs(capsys) -> None:
    code, out, _ = _run(capsys, "show", EXEMPLAR)
    assert code == 0
    for fragment in ("depvar", "role=outcome", "default=95", "Stata >= 14", "regression_table"):
        assert fragment in out


def test_show_unknown_template_fails_with_the_error_code(capsys) -> None:
    code, _, err = _run(capsys, "show", "no_such_template")
    assert code == 2 and "TEMPLATE_NOT_FOUND" in err


def test_render_from_a_csv_with_roles_and_params(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data.csv"
    data.write_text("收入,edu years,age,city\n1.5,12,30,1\n2.5,16,41,2\n3.0,9,25,1\n", "utf-8")
    code, out, err = _run(capsys, "render", EXEMPLAR, "--dataset", str(data),
                          "--role", "outcome=收入", "--role", "treatment=edu years",
                          "--role", "controls=age", "--param", "clustvar=city",
                          "--param", "level=90")
    assert code == 0, err
    lines = out.splitlines()
    assert "local treatvar edu_years" in lines and "local controls age" in lines
    assert "local level 90" in lines and "local clustvar city" in lines
    assert any(line.startswith("local depvar v1_") for line in lines)
    assert "quietly egen long `ss_cl1' = group(`clustvar')" in out
    assert "local ss_vce vce(cluster `ss_vce')" in out
    assert lines[-2] == 'display as text "SS_TEMPLATE_DONE"'


def test_render_from_a_dta_fixture(capsys) -> None:
    fixture = LIBRARY / "fixtures" / "cross_section.dta"
    code, out, err = _run(capsys, "render", EXEMPLAR, "--dataset", str(fixture),
                          "--role", "outcome=y", "--role", "treatment=x1",
                          "--role", "controls=x2,treat")
    assert code == 0, err
    assert "local controls x2 treat" in out.splitlines() and "vce(robust)" in out


def test_render_reports_missing_and_invalid_bindings(tmp_path: Path, capsys) -> None:
    data = tmp_path / "data.csv"
    data.write_text("y,name\n1,a\n2,b\n", "utf-8")
    code, _, err = _run(capsys, "render", EXEMPLAR, "--dataset", str(data),
                        "--role", "outcome=y", "--role", "treatment=name")
    assert code == 2
    assert "PLAN_FREEZE_MISSING_REQUIRED" in err and "treatvar" in err and "string" in err
    code, _, err = _run(capsys, "render", EXEMPLAR, "--dataset", str(data), "--param", "oops")
    assert code == 2 and "NAME=VALUE" in err


def test_check_passes_on_the_library_and_fails_on_a_broken_copy(
        library_copy: Path, capsys) -> None:
    assert main(["templates", "--library", str(library_copy), "check"]) == 0
    assert "1 template(s) checked, 0 problem(s)" in capsys.readouterr().out
    body = library_copy / "templates" / EXEMPLAR / "template.do"
    body.write_text(body.read_text("utf-8") + "set more off\nfrobnicate\n", "utf-8")
    code = main(["templates", "--library", str(library_copy), "check"])
    out = capsys.readouterr().out
    assert code == 1
    assert "`set more`" in out and "frobnicate" in out and "2 problem(s)" in out
