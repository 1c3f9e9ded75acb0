"""Render checks for the data overview, descriptive, correlation, hypothesis-test and OLS
templates: each renders with a concrete dataset schema (all options bound, only the required
parameters bound, and every optional parameter alone), passes the safety scan, and keeps the
house contract for its preamble, body and declared outputs."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from ss_core.binding import bind
from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.library.house_options import injected_names
from ss_core.library.loader import load_templates
from ss_core.library.meta import ParamType, Template
from ss_core.rendering.house import PUBLICATION_OUTPUTS
from ss_core.rendering.preamble import format_value
from ss_core.rendering.renderer import render
from ss_core.rendering.safety import scan

LIBRARY = Path(__file__).resolve().parents[2] / "assets" / "stata_do_library"

_COLUMNS = {
    "y": ColumnType.NUMERIC, "x1": ColumnType.NUMERIC, "x2": ColumnType.NUMERIC,
    "x3": ColumnType.NUMERIC, "a": ColumnType.NUMERIC, "b": ColumnType.NUMERIC,
    "w": ColumnType.NUMERIC, "d": ColumnType.BINARY, "g": ColumnType.INTEGER,
    "c": ColumnType.INTEGER, "s": ColumnType.STRING,
}
SCHEMA = DatasetSchema(
    columns=tuple(Column(name=n, original_name=n.upper(), type=t) for n, t in _COLUMNS.items()),
    row_count=500,
)

# Every optional parameter bound (non-default values where there is a choice).
FULL: dict[str, dict[str, Any]] = {
    "data_describe_overview": {"variables": ["y", "x1", "s"]},
    "missing_value_report": {"variables": ["y", "x1", "s"], "max_patterns": 20},
    "winsorize_variables": {"variables": ["y", "x1"], "lower": 5, "upper": 95.5},
    "outlier_report": {"variables": ["y", "x1"], "iqr_k": 3, "z_cut": 2.5},
    "summary_statistics_table": {"variables": ["y", "x1", "x2", "d"]},
    "grouped_summary_table": {"variables": ["y", "x1"], "group": "s", "test": True},
    "frequency_tables": {"variables": ["g", "s"], "include_missing": True, "exact": True,
                         "max_categories": 50},
    "balance_table_by_treatment": {"variables": ["x1", "x2"], "treatment": "d",
                                   "unequal": True},
    "correlation_pearson_stars": {"variables": ["y", "x1", "x2"], "listwise": True},
    "correlation_spearman": {"variables": ["y", "x1", "x2"], "listwise": True},
    "partial_correlation": {"outcome": "y", "regressors": ["x1", "x2"], "controls": ["x3"]},
    "ttest_two_sample": {"outcome": "y", "group": "d", "variance": "welch", "level": 90},
    "ttest_paired": {"variables": ["a", "b"], "level": 99, "signrank": True},
    "ttest_one_sample": {"outcome": "y", "mu0": -2.5, "level": 90, "signrank": True},
    "chi_square_independence": {"variables": ["g", "s"], "exact": True},
    "anova_oneway": {"outcome": "y", "group": "s", "bonferroni": True},
    "ranksum_mann_whitney": {"outcome": "y", "group": "d"},
    "kruskal_wallis": {"outcome": "y", "group": "g", "pairwise": True},
    "normality_tests": {"variables": ["y", "x1"]},
    "ols_basic": {"outcome": "y", "treatment": "x1", "controls": ["x2", "x3"],
                  "robust": True, "level": 90},
    "ols_diagnostics": {"outcome": "y", "regressors": ["x1"], "controls": ["x2", "x3"]},
    "weighted_least_squares": {"outcome": "y", "treatment": "x1", "controls": ["x2"],
                               "weight": "w", "weight_type": "pweight", "cluster": "c",
                               "level": 90},
}
MINE = sorted(FULL)
_EXPORT = re.compile(
    r"^\s*(?:capture\s+noisily\s+)?(?:export\s+(?:delimited|excel)|graph\s+export|save|file\s+open)\b"
)


@pytest.fixture(scope="module")
def templates() -> dict[str, Template]:
    found, problems = load_templates(LIBRARY)
    mine = [p for p in problems if any(f"/{tid}/" in p.file for tid in MINE)]
    assert not mine, mine
    return {t.id: t for t in found if t.id in FULL}


def _required_only(tpl: Template) -> dict[str, Any]:
    return {p.name: FULL[tpl.id][p.name] for p in tpl.meta.parameters if p.required}


def _bound(tpl: Template, overrides: Mapping[str, Any]) -> dict[str, Any]:
    contract = bind(tpl.meta.parameters, {}, overrides, SCHEMA)
    assert contract.complete, (contract.missing_required, contract.invalid)
    return dict(contract.bound)


def _preamble(text: str) -> list[str]:
    lines = text.splitlines()
    start = lines.index("* ---- parameters (generated from the frozen plan; do not edit) ----")
    end = next(i for i in range(start + 1, len(lines)) if lines[i].startswith("* ---- "))
    return lines[start + 1:end]


def _expand(body: str, tpl: Template, values: Mapping[str, Any]) -> str:
    """The body with every parameter local replaced by its preamble value."""
    for spec in tpl.meta.parameters:
        body = body.replace(f"`{spec.name}'",
                            format_value(spec, values.get(spec.name), SCHEMA))
    return body


def _render_and_check(tpl: Template, overrides: Mapping[str, Any]) -> str:
    values = _bound(tpl, overrides)
    text = render(tpl, values, SCHEMA, plan_id="plan-test").text
    preamble = _preamble(text)
    assert len(preamble) == len(tpl.meta.parameters)
    for spec in tpl.meta.parameters:
        expected = f"local {spec.name} {format_value(spec, values.get(spec.name), SCHEMA)}"
        assert expected.rstrip() in preamble, (spec.name, preamble)
    assert scan(text) == []
    body = text.split("* ---- template body ----", 1)[1]
    assert "{%" not in body and "{{" not in body
    expanded = _expand(body, tpl, values)
    assert not re.search(r"\[\s*[apfi]weight\s*=\s*\]", expanded), "empty weight"
    assert not re.search(r"\((?:cluster|by)\s*\)", expanded), "empty option"
    assert re.search(r"^\s*(?:capture noisily )?ss_(?:res|coef)\b", body, re.MULTILINE)
    return text


def test_all_templates_present(templates: dict[str, Template]) -> None:
    assert sorted(templates) == MINE
    assert len(MINE) >= 22


@pytest.mark.parametrize("tid", MINE)
def test_renders_with_everything_bound(templates: dict[str, Template], tid: str) -> None:
    tpl = templates[tid]
    text = _render_and_check(tpl, FULL[tid])
    for out in tpl.meta.outputs:
        assert out.file in text, out.file


@pytest.mark.parametrize("tid", MINE)
def test_renders_with_required_only(templates: dict[str, Template], tid: str) -> None:
    tpl = templates[tid]
    text = _render_and_check(tpl, _required_only(tpl))
    for spec in tpl.meta.parameters:
        if not spec.required and spec.default is None:
            assert f"local {spec.name}" in _preamble(text)
    for out in tpl.meta.outputs:
        if out.required:
            assert out.file in text, out.file


@pytest.mark.parametrize("tid", MINE)
def test_each_optional_parameter_alone(templates: dict[str, Template], tid: str) -> None:
    tpl = templates[tid]
    base = _required_only(tpl)
    house = injected_names(tpl.meta.house_options)  # test_house_option_rendering covers these
    for spec in tpl.meta.parameters:
        if spec.required or spec.name in house:
            continue
        choices: list[Any]
        if spec.type is ParamType.BOOL:
            choices = [True, False]
        elif spec.type is ParamType.CHOICE:
            choices = list(spec.choices)
        else:
            choices = [FULL[tid][spec.name]]
        for value in choices:
            _render_and_check(tpl, {**base, spec.name: value})


@pytest.mark.parametrize("tid", MINE)
def test_body_follows_the_house_rules(templates: dict[str, Template], tid: str) -> None:
    tpl = templates[tid]
    source = tpl.source
    names = {p.name for p in tpl.meta.parameters}
    house = injected_names(tpl.meta.house_options)  # used by the generated house block
    optional_kinds = {p.name for p in tpl.meta.parameters
                      if p.type in (ParamType.CHOICE, ParamType.BOOL)}
    for name in names - house:
        assert (f"`{name}'" in source or f"has.{name}" in source
                or f"opt.{name}" in source), f"parameter {name} unused"
        assert not re.search(rf"^\s*local\s+{name}\b", source, re.MULTILINE), name
    for kind, name in re.findall(r"\b(has|opt)\.([a-z][a-z0-9_]*)", source):
        assert name in names, name
        if kind == "opt":
            assert name in optional_kinds, name
    assert "SS_STEP 1:" in source
    house = set(PUBLICATION_OUTPUTS) if "ss_pubtable" in source else set()
    for out in tpl.meta.outputs:
        if out.file in house:  # written by the house publication-table program
            continue
        lines = [ln for ln in source.splitlines() if f'"{out.file}"' in ln]
        assert lines and all(_EXPORT.search(ln) for ln in lines), out.file
        if out.kind == "figure":
            assert all("capture noisily" in ln for ln in lines) and not out.required
    assert tpl.meta.dependencies.packages == ()
    assert tpl.meta.dependencies.stata_min_version == 14
