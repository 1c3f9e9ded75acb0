"""Draft-preview fields derived from the job and its selected template rather than the LLM.

They complete the published draft shape: ``risk_score`` (how much the user should look before
confirming), ``required_variables`` (what the selected template cannot run without),
``data_quality_warnings`` (what in the data may hurt the analysis), ``column_candidates_v2``
(columns with the dataset they come from) and ``default_overrides`` (parameter values the
client may send back on confirm; SS proposes none, so the template defaults apply).
"""

from __future__ import annotations

from typing import Any

from ss_core.binding import candidates_for
from ss_core.domain.dataset import DatasetSchema, InputsManifest
from ss_core.domain.job import Job
from ss_core.domain.roles import ROLES
from ss_core.library.meta import Template

HIGH_MISSING_SHARE = 0.5
SMALL_SAMPLE_ROWS = 30


def risk_score(confidence: float, blocking: int) -> float:
    """0 (safe to run as drafted) .. 1 (must not run as drafted): 1 while anything blocks the
    freeze, otherwise the selection's uncertainty (1 - confidence)."""
    if blocking:
        return 1.0
    return round(min(1.0, max(0.0, 1.0 - confidence)), 3)


def required_variables(template: Template, schema: DatasetSchema) -> list[dict[str, Any]]:
    out = []
    for spec in template.meta.parameters:
        if not spec.required or spec.role is None or spec.role not in ROLES:
            continue
        out.append({"field": ROLES[spec.role].draft_field, "param": spec.name,
                    "description": spec.description.en,
                    "candidates": list(candidates_for(spec, schema))})
    return out


def data_quality_warnings(schema: DatasetSchema) -> list[dict[str, Any]]:
    warnings: list[dict[str, Any]] = []
    rows = schema.row_count
    if 0 < rows < SMALL_SAMPLE_ROWS:
        warnings.append({
            "type": "small_sample", "severity": "warning",
            "message": f"the dataset has only {rows} rows",
            "suggestion": "estimates from so few observations are imprecise"})
    for col in schema.columns:
        if rows and col.missing_count >= rows:
            warnings.append({
                "type": "all_missing", "severity": "warning", "column": col.name,
                "message": f"column {col.name} has no values",
                "suggestion": "do not use it in the analysis"})
        elif rows and col.missing_count / rows >= HIGH_MISSING_SHARE:
            warnings.append({
                "type": "high_missing", "severity": "info", "column": col.name,
                "message": f"column {col.name} is missing in {col.missing_count} of {rows} rows",
                "suggestion": "rows with a missing value are dropped by most estimators"})
    return warnings


def column_candidates_v2(manifest: InputsManifest) -> list[dict[str, str]]:
    primary = manifest.primary
    return [{"dataset_key": primary.dataset_key, "role": primary.role.value, "name": name}
            for name in manifest.primary_schema.names]


def draft_extras(job: Job, template: Template | None) -> dict[str, Any]:
    """The fields above for a job with a draft, inputs and a selection."""
    assert job.draft is not None and job.inputs is not None and job.selection is not None
    schema = job.inputs.primary_schema
    blocking = sum(1 for u in job.draft.open_unknowns if u.blocking)
    return {
        "risk_score": risk_score(job.selection.confidence, blocking),
        "required_variables": [] if template is None else required_variables(template, schema),
        "data_quality_warnings": data_quality_warnings(schema),
        "column_candidates_v2": column_candidates_v2(job.inputs),
        "default_overrides": {},
    }
