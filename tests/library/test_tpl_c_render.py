"""Render every template of the causal / time-series / survival / index set and scan it.

Each template is rendered against a concrete dataset schema (one column of a fitting type per
variable parameter) twice: with only the required parameters and option defaults bound, and
with every optional parameter bound too (once per declared choice value). Rendering runs the
house safety scan, so a template that renders here also passes it. The body rules that can be
read off the source (parameter use, declared outputs exported, step markers, result rows) are
checked as well.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.library.house_options import injected_names
from ss_core.library.loader import load_templates
from ss_core.library.meta import ParamSpec, ParamType, Template
from ss_core.rendering.house import PUBLICATION_OUTPUTS
from ss_core.rendering.renderer import render
from ss_core.rendering.safety import scan

LIBRARY = Path(__file__).resolve().parents[2] / "assets" / "stata_do_library"

def _own_outputs(template: Template) -> list[Any]:
    """Declared outputs the body writes itself (the house ss_pubtable writes the others)."""
    house = set(PUBLICATION_OUTPUTS) if "ss_pubtable" in template.source else set()
    return [o for o in template.meta.outputs if o.file not in house]


TEMPLATE_IDS = (
    "did_2x2", "did_twfe", "event_study_leads_lags", "parallel_trends_check",
    "psm_nearest_neighbor", "psm_balance_check", "psm_did", "teffects_psmatch",
    "iv_2sls", "iv_ivreg2_weak_iv",
    "rdd_sharp_rdrobust", "rdd_fuzzy_rdrobust", "rdd_local_linear_official",
    "synthetic_control_synth",
    "mediation_bootstrap", "moderation_interaction", "heterogeneity_by_group",
    "unit_root_tests", "arima_model", "var_irf", "cointegration_johansen",
    "kaplan_meier_logrank", "cox_proportional_hazards",
    "entropy_weight_index", "pca_index", "factor_analysis_index",
)

_COMMUNITY = {"psmatch2", "pstest", "psgraph", "ivreg2", "ranktest", "rdrobust", "rdplot",
              "rdbwselect", "synth"}


@pytest.fixture(scope="module")
def templates() -> dict[str, Template]:
    loaded, problems = load_templates(LIBRARY)
    assert problems == []
    return {t.id: t for t in loaded}


def _var_type(spec: ParamSpec) -> ColumnType:
    return spec.var_types[0] if spec.var_types else ColumnType.NUMERIC


def _columns(spec: ParamSpec) -> list[str]:
    if spec.type is ParamType.VAR:
        return [f"c_{spec.name}"]
    count = max(spec.min_count or 0, 2)
    if spec.max_count is not None:
        count = min(count, spec.max_count)
    return [f"c_{spec.name}_{i}" for i in range(1, count + 1)]


def _schema(template: Template) -> DatasetSchema:
    cols = [
        Column(name=name, original_name=name, type=_var_type(spec))
        for spec in template.meta.parameters if spec.is_variable
        for name in _columns(spec)
    ]
    return DatasetSchema(columns=tuple(cols), row_count=500)


def _option_value(spec: ParamSpec) -> Any:
    if spec.default is not None:
        return spec.default
    if spec.type is ParamType.INTEGER:
        return int(spec.minimum) if spec.minimum is not None else 1
    if spec.type is ParamType.NUMBER:
        return spec.minimum if spec.minimum is not None else 0.5
    if spec.type is ParamType.BOOL:
        return True
    if spec.type is ParamType.CHOICE:
        return spec.choices[0]
    return "label"


def _values(template: Template, *, bind_optional: bool,
            choices: dict[str, Any] | None = None) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for spec in template.meta.parameters:
        wanted = spec.required or bind_optional or (
            not spec.is_variable and spec.default is not None)
        if not wanted:
            continue
        if spec.type is ParamType.VAR:
            values[spec.name] = _columns(spec)[0]
        elif spec.type is ParamType.VARLIST:
            values[spec.name] = _columns(spec)
        else:
            values[spec.name] = _option_value(spec)
    values.update(choices or {})
    return values


def _variants(template: Template) -> list[dict[str, Any]]:
    variants = [_values(template, bind_optional=False), _values(template, bind_optional=True)]
    for spec in template.meta.parameters:
        if spec.type is ParamType.CHOICE:
            variants += [_values(template, bind_optional=True, choices={spec.name: c})
                         for c in spec.choices]
        if spec.type is ParamType.BOOL:
            variants += [_values(template, bind_optional=True, choices={spec.name: b})
                         for b in (True, False)]
    return variants


def test_the_set_is_complete(templates: dict[str, Template]) -> None:
    missing = [tid for tid in TEMPLATE_IDS if tid not in templates]
    assert missing == []
    assert len(TEMPLATE_IDS) >= 24


@pytest.mark.parametrize("tid", TEMPLATE_IDS)
def test_renders_and_passes_the_safety_scan(templates: dict[str, Template], tid: str) -> None:
    template = templates[tid]
    schema = _schema(template)
    for values in _variants(template):
        rendered = render(template, values, schema, plan_id="plan-test")
        assert scan(rendered.text) == []
        assert "SS_STEP 1:" in rendered.text
        for name, value in values.items():
            spec = template.meta.param(name)
            assert spec is not None
            if spec.type is ParamType.VAR:
                assert f"local {name} {value}\n" in rendered.text


@pytest.mark.parametrize("tid", TEMPLATE_IDS)
def test_body_follows_the_house_rules(templates: dict[str, Template], tid: str) -> None:
    template = templates[tid]
    source = template.source
    names = {p.name for p in template.meta.parameters}
    house = injected_names(template.meta.house_options)  # used by the generated house block
    for spec in template.meta.parameters:
        if spec.name in house:
            continue
        used = (f"`{spec.name}'" in source or f"has.{spec.name}" in source
                or f"opt.{spec.name}" in source)
        assert used, f"{tid}: parameter {spec.name} is not used"
    assert set(re.findall(r"\b(?:has|opt)\.(\w+)", source)) <= names
    assert "{{" not in source
    for output in _own_outputs(template):
        assert f'"{output.file}"' in source, f"{tid}: {output.file} is never written"
        if output.kind == "figure":
            assert output.required is False
    assert re.search(r"^\s*(?:capture noisily )?ss_(?:res|coef)\b", source, re.MULTILINE)
    assert re.search(r'^display as text "SS_STEP 1: ', source, re.MULTILINE)
    for line in source.splitlines():
        stripped = line.strip()
        assert not re.match(r"(?:log|use|sysuse|webuse|exit|cd|ssc|net|version|#d)\b", stripped)
        assert not stripped.startswith(("clear all", "set more"))
        for name in names:
            assert not re.match(rf"local {name}\b", stripped), f"{tid}: redefines {name}"
    declared = {c for p in template.meta.dependencies.packages for c in p.provides}
    used_community = {w for w in _COMMUNITY
                      if re.search(rf"^\s*(?:capture noisily |quietly )?{w}\b", source,
                                   re.MULTILINE)}
    assert used_community <= declared, f"{tid}: undeclared community commands"
    assert source.endswith("\n") and "\r" not in source
