"""The house publication table: one program (``ss_pubtable`` in the prologue) writes a
multi-column regression table (stars, standard errors in parentheses, fixed-effect and cluster
rows, N, R-squared or pseudo R-squared) as .xlsx, .tex and, on Stata 15+, .docx; estimation
templates call it on their stored models and declare the three files."""

from __future__ import annotations

import functools
import json
import re
import shutil
from pathlib import Path

import pytest

from ss_core.authoring.checks import library_problems
from ss_core.library.catalog import Library
from ss_core.library.loader import load_library
from ss_core.rendering.house import PUBLICATION_OUTPUTS, Header, prologue
from tests.library.conftest import LIBRARY

CALLERS = ("ols_robust", "logit_marginal_effects", "probit_marginal_effects", "poisson_count",
           "negbin_count", "panel_hdfe_reghdfe", "did_2x2", "panel_fixed_effects",
           "panel_twoway_fe", "did_twfe", "u_shape_test")


@functools.cache
def _library() -> Library:
    return load_library(LIBRARY, check_index=False)


def _program() -> str:
    text = "\n".join(prologue(Header(template_id="t", template_version="1.0.0",
                                     content_sha256="0" * 64, plan_id="p",
                                     stata_min_version=14)))
    start = text.index("program define ss_pubtable")
    return text[start:text.index("\nend", start)]


def test_the_program_writes_the_three_declared_files() -> None:
    program = _program()
    assert 'export excel using "publication_table.xlsx", replace' in program
    assert 'file open `fh\' using "publication_table.tex", write replace text' in program
    assert 'version 15: putdocx save "publication_table.docx", replace' in program
    assert "if c(stata_version) >= 15 {" in program  # putdocx is 15+
    assert set(PUBLICATION_OUTPUTS) == {f"publication_table.{x}" for x in ("xlsx", "tex", "docx")}


def test_the_table_layout() -> None:
    program = _program()
    assert "syntax namelist(name=models) [, FE(string) CLuster(string)]" in program
    assert "quietly estimates restore `m'" in program
    # stars at 10/5/1 %, standard errors in parentheses on the row below the coefficient
    assert 'cond(`p\' < 0.01, "***", cond(`p\' < 0.05, "**", cond(`p\' < 0.1, "*", "")))' in program
    assert '"(" + strtrim(string(`se\', "%12.3f")) + ")" in `=2 + 2 * `k\'\'' in program
    assert 'strtrim(string(`b\', "%12.3f")) + "`star\'" in `=1 + 2 * `k\'\'' in program
    # t or z by the model's residual degrees of freedom
    assert "2 * ttail(e(df_r), abs(`b' / `se'))" in program
    assert "2 * normal(-abs(`b' / `se'))" in program
    for row in ('"`f\' FE"', '"Clustered SE"', '"N"',
                '"R-squared (pseudo for ML, within for panel FE)"'):
        assert row in program
    assert "e(r2_p)" in program and "e(r2_w)" in program and "e(N)" in program
    # fixed-effect dummies (house group ids) and omitted terms are not rows
    assert 'strpos("`t\'", "__") == 0 & strpos("`t\'", "o.") == 0' in program
    assert "preserve" in program and program.rstrip().endswith("restore")


@pytest.mark.parametrize("template_id", CALLERS)
def test_estimation_templates_call_it_and_declare_the_outputs(template_id: str) -> None:
    template = _library().get(template_id)
    body = template.source
    store = body.index("estimates store ss_m1")
    call = re.search(r"^capture noisily ss_pubtable ss_m1\b.*$", body, re.MULTILINE)
    assert call and store < call.start()
    declared = {o.file: o for o in template.meta.outputs}
    for name in PUBLICATION_OUTPUTS:
        assert name in declared and declared[name].kind == "table"
    assert declared["publication_table.docx"].format == "docx"


def test_fixed_effects_and_clustering_reach_the_indicator_rows() -> None:
    body = _library().get("panel_hdfe_reghdfe").source
    assert "ss_pubtable ss_m1, fe(`absorbvars' `ss_fe_names') cluster(`ss_clname')" in body
    assert "ss_pubtable ss_m1, fe(`ss_fe_names') cluster(`clustvar')" in (
        _library().get("ols_robust").source)


def test_calling_it_without_declaring_the_files_is_a_problem(tmp_path: Path) -> None:
    root = tmp_path / "library"
    shutil.copytree(LIBRARY / "schemas", root / "schemas")
    shutil.copytree(LIBRARY / "templates" / "ols_robust", root / "templates" / "ols_robust")
    meta_path = root / "templates" / "ols_robust" / "meta.json"
    meta = json.loads(meta_path.read_text())
    meta["outputs"] = [o for o in meta["outputs"] if not o["file"].startswith("publication")]
    meta_path.write_text(json.dumps(meta))
    problems = [p.problem for found in library_problems(root).values() for p in found]
    assert any("calls ss_pubtable but does not declare" in p for p in problems), problems


def test_nested_models_become_columns() -> None:
    body = _library().get("ols_basic").source
    assert body.index("estimates store ss_m1") < body.index("estimates store ss_m2")
    assert "local ss_models ss_m1 ss_m2" in body
    assert "capture noisily ss_pubtable `ss_models'" in body
