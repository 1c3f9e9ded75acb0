"""Compose the report value from the frozen plan, the run and its outputs (pure).

Everything shown comes from the plan (question, template, binding, dependencies), the inputs
manifest (file, rows), the run (Stata version) and the archived outputs (tables, figures, the
log's notes and warnings). Nothing is estimated or recomputed here.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import datetime

from ss_core.domain.job import Job
from ss_core.library.meta import TemplateMeta
from ss_core.reporting.interpretation import InterpretationOutcome
from ss_core.reporting.language import WORDS
from ss_core.reporting.model import DataSection, Figure, MethodSection, Report, VariableUse
from ss_core.reporting.tables import ResultTable

MAX_DIAGNOSTICS = 20
_DIAGNOSTIC = re.compile(
    r"^(?:note:|warning:|Warning:)|observations? (?:deleted|dropped)|omitted because of "
    r"collinearity|convergence not achieved|not concave|backed up", re.IGNORECASE)
_FE_PARAMS = re.compile(r"absorb|fixed_effects|^fe_|_fe$")


def compose_report(*, job: Job, template: TemplateMeta, run_id: str, stata_version: str,
                   tables: Sequence[ResultTable], figures: Sequence[Figure], log_text: str,
                   interpretation: InterpretationOutcome | None, language: str,
                   now: datetime) -> Report:
    assert job.plan is not None and job.inputs is not None
    plan, inputs = job.plan, job.inputs
    bound = plan.params_contract.bound_values
    words = WORDS[language]
    variables, settings = [], []
    for spec in template.parameters:
        value = bound.get(spec.name)
        if value in (None, "", [], ()):
            continue
        description = getattr(spec.description, language)
        if spec.is_variable:
            columns = tuple(value) if isinstance(value, list | tuple) else (str(value),)
            variables.append(VariableUse(parameter=spec.name, description=description,
                                         columns=columns))
        else:
            settings.append((spec.name, _setting(value)))
    primary = inputs.primary
    return Report(
        language=language, job_id=job.job_id, plan_id=plan.plan_id, run_id=run_id,
        generated_at=now, question=job.requirement,
        data=DataSection(
            file_name=primary.original_name, format=primary.format.value,
            sheet=primary.sheet_name or inputs.selected_sheet,
            row_count=inputs.primary_schema.row_count,
            column_count=len(inputs.primary_schema.columns), variables=tuple(variables),
            settings=tuple(settings), missing_values=words["missing_text"]),
        method=MethodSection(
            template_id=template.id, title=getattr(template.title, language),
            family=template.family, description=getattr(template.description, language),
            rationale=plan.template.rationale,
            standard_errors=_standard_errors(template, bound, words),
            fixed_effects=_fixed_effects(template, bound, words),
            packages=tuple(sorted(d.name for d in plan.dependencies
                                  if d.kind in ("ssc", "net"))),
            stata_version=stata_version or "?"),
        tables=tuple(tables), figures=tuple(figures), diagnostics=log_diagnostics(log_text),
        interpretation=interpretation)


def log_diagnostics(log_text: str) -> tuple[str, ...]:
    """Stata's notes and warnings, in order, each once, at most ``MAX_DIAGNOSTICS``."""
    seen: list[str] = []
    for line in log_text.splitlines():
        text = line.strip()
        if text and _DIAGNOSTIC.search(text) and text[:200] not in seen:
            seen.append(text[:200])
            if len(seen) == MAX_DIAGNOSTICS:
                break
    return tuple(seen)


def _setting(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)
    return str(value)


def _standard_errors(template: TemplateMeta, bound: dict[str, object],
                     words: dict[str, str]) -> str:
    clusters = [str(bound[p.name]) for p in template.parameters
                if (p.role == "cluster" or p.name in ("cluster", "clustvar"))
                and bound.get(p.name)]
    if clusters:
        return words["se_cluster"].format(columns=", ".join(clusters))
    if "robust" in template.id or any(str(v) == "robust" for v in bound.values()):
        return words["se_robust"]
    return words["se_default"]


def _fixed_effects(template: TemplateMeta, bound: dict[str, object],
                   words: dict[str, str]) -> str:
    named = [_setting(bound[p.name]) for p in template.parameters
             if _FE_PARAMS.search(p.name) and bound.get(p.name)]
    if template.family in ("panel", "did", "dynamic_panel", "threshold"):
        named += [_setting(bound[p.name]) for p in template.parameters
                  if p.role in ("unit_id",) and bound.get(p.name)]
    return ", ".join(dict.fromkeys(named)) or words["none"]
