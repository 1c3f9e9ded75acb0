"""Wire shapes of the /v1 answers (field names fixed by the published contract)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

import msgspec

from ss_core.domain.artifact import Artifact, ArtifactKind
from ss_core.domain.dataset import (
    Column,
    DatasetFormat,
    DatasetPreview,
    DatasetRef,
    InputsManifest,
)
from ss_core.domain.draft import Question
from ss_core.domain.job import Job
from ss_core.domain.plan import Plan
from ss_core.domain.roles import ROLES, RoleKind
from ss_core.domain.run import Run


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


# Artifact kinds a run makes (the status answer's ``latest_run.artifacts_count`` counts them
# over every attempt of the job: the overview read counts by kind, not by run).
RUN_KINDS = frozenset(k.value for k in ArtifactKind if k.value.startswith("output_")) | {
    ArtifactKind.DO_FILE.value, ArtifactKind.STATA_LOG.value, ArtifactKind.RUN_META.value,
    ArtifactKind.ERROR_REPORT.value}


def run_summary(run: Run | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {"run_id": run.run_id, "attempt": run.attempt, "status": run.status.value,
            "claim_count": run.claim_count, "started_at": iso(run.started_at),
            "ended_at": iso(run.ended_at), "error_code": run.error_code}


def job_status(job: Job, artifact_counts: Mapping[str, int], run: Run | None) -> dict[str, Any]:
    stamps = {k: iso(v) for k, v in sorted(job.timestamps.items())}
    stamps.setdefault("created_at", iso(job.created_at))
    stamps["updated_at"] = iso(job.updated_at)
    if "queued_at" in stamps:
        stamps["scheduled_at"] = stamps["queued_at"]
    return {
        "job_id": job.job_id,
        "status": job.status.value,
        "version": job.version,
        "requirement": job.requirement,
        "selected_template_id": job.plan.template.template_id if job.plan else (
            job.selection.template_id if job.selection else None),
        "plan_id": job.plan.plan_id if job.plan else None,
        "timestamps": stamps,
        "draft": draft_summary(job),
        "artifacts": {"total": sum(artifact_counts.values()),
                      "by_kind": dict(sorted(artifact_counts.items()))},
        "latest_run": None if run is None else {
            **(run_summary(run) or {}),
            "artifacts_count": sum(n for k, n in artifact_counts.items() if k in RUN_KINDS)},
        "error": job.error.as_json() if job.error else None,
    }


def draft_summary(job: Job) -> dict[str, Any] | None:
    if job.draft is None:
        return None
    made = job.timestamps.get("draft_ready_at") or job.updated_at
    return {"draft_id": job.draft.draft_id, "goal": job.draft.goal,
            "analysis_type": job.draft.analysis_type,
            "open_unknowns_count": len(job.draft.open_unknowns),
            "created_at": iso(made), "text_chars": len(job.draft.draft_text)}


def _role_fields(roles: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name, role in ROLES.items():
        value = roles.get(name)
        if role.kind is RoleKind.VARIABLES:
            fields[role.draft_field] = list(value or [])
        else:
            fields[role.draft_field] = value
    return fields


def role_list(roles: dict[str, Any]) -> list[dict[str, Any]]:
    """Every role the draft filled, in vocabulary order: a client can show each role with its
    column(s) without knowing the vocabulary."""
    fields = _role_fields(roles)
    return [{"role": name, "field": role.draft_field, "kind": role.kind.value,
             "description": role.description, "value": fields[role.draft_field]}
            for name, role in ROLES.items() if roles.get(name) not in (None, [], ())]


def normalizations(manifest: InputsManifest) -> list[dict[str, str]]:
    """Renamed headers of the primary dataset (the only one whose columns are read)."""
    primary = manifest.primary
    return [{"original_name": n.original_name, "normalized_name": n.normalized_name,
             "dataset_key": primary.dataset_key, "role": primary.role.value}
            for n in manifest.normalizations]


def _question(question: Question) -> dict[str, Any]:
    body: dict[str, Any] = msgspec.to_builtins(question)
    body["options"] = [{"option_id": o, "label": o, "value": o} if isinstance(o, str)
                       else msgspec.to_builtins(o) for o in question.options]
    return body


def draft_preview(job: Job) -> dict[str, Any]:
    assert job.draft is not None and job.inputs is not None and job.selection is not None
    draft, schema, sel = job.draft, job.inputs.primary_schema, job.selection
    blocking = [u for u in draft.open_unknowns if u.blocking]
    return {
        "job_id": job.job_id,
        "draft_id": draft.draft_id,
        "status": "ready",
        "draft_text": draft.draft_text,
        "goal": draft.goal,
        "analysis_type": draft.analysis_type,
        **_role_fields(draft.roles),
        "roles": role_list(draft.roles),
        "variable_types": [{"name": c.name, "inferred_type": c.type.value,
                            "type": c.type.value, **column_shape(c)} for c in schema.columns],
        "column_candidates": list(schema.names),
        "open_unknowns": [msgspec.to_builtins(u) for u in draft.open_unknowns],
        # Questions answerable by choosing options; the others (free text, no options) are
        # listed apart: a client must answer every stage-1 question before confirming.
        "stage1_questions": [_question(q) for q in draft.questions if q.options],
        "open_questions": [_question(q) for q in draft.questions if not q.options],
        "data_sources": [{"dataset_key": d.dataset_key, "role": d.role.value,
                          "original_name": d.original_name, "format": d.format.value}
                         for d in job.inputs.datasets],
        "column_name_normalizations": normalizations(job.inputs),
        "dropped_mentions": [dict(d) for d in draft.dropped],
        "patched_fields": list(draft.patched_fields),
        "selected_template": {"template_id": sel.template_id, "title": sel.title,
                              "confidence": sel.confidence, "rationale": sel.rationale,
                              "method": sel.method},
        "template_candidates": [{"template_id": c.template_id, "title": c.title,
                                 "score": c.score, "fits_roles": c.fits_roles,
                                 "role_fit": c.role_fit, "rank": c.rank, "why": c.why}
                                for c in sel.candidates],
        "alternatives": [{"template_id": c.template_id, "title": c.title, "why": c.why,
                          "ready_as_drafted": c.template_id in draft.ready_alternatives}
                         for c in sel.candidates if c.template_id != sel.template_id][:3],
        "derived_roles": dict(draft.derived_roles),
        "decision": draft.decision or ("require_confirm" if blocking else "auto_freeze"),
        "readiness": draft.readiness or ("needs_input" if blocking else "ready_to_freeze"),
        "decision_reasons": list(draft.decision_reasons),
        "data_notes": list(draft.data_notes),
        "model": draft.model,
    }


def column_shape(column: Column) -> dict[str, Any]:
    """The data-shape facts of a column for the wire: a date's frequency and Stata unit,
    the marks of numbers stored as text (absent keys when they do not apply)."""
    shape: dict[str, Any] = {}
    if column.date is not None:
        shape["date_frequency"] = column.date.frequency.value
        shape["date_unit"] = column.date.unit.value
    if column.numeric_text is not None:
        shape["numbers_as_text"] = list(column.numeric_text.marks)
    return shape


def header_flags(manifest: InputsManifest, preview: DatasetPreview) -> dict[str, Any]:
    """``header_row``: whether the first row held the column names (``null`` for Stata files,
    whose names are not a row); ``header_row_index``: that row's 1-based position."""
    if manifest.primary.format is DatasetFormat.DTA:
        return {"header_row": None, "header_row_index": None}
    found = preview.header_row > 0
    return {"header_row": found, "header_row_index": preview.header_row if found else None}


def inputs_preview(
    job_id: str, manifest: InputsManifest, preview: DatasetPreview, rows: int, columns: int
) -> dict[str, Any]:
    cols = preview.schema.columns[:columns]
    names = [c.name for c in cols]
    header = header_flags(manifest, preview)
    primary_key = manifest.primary.dataset_key
    return {
        "job_id": job_id,
        "row_count": preview.schema.row_count,
        "row_count_exact": preview.row_count_exact,
        "column_count": len(preview.schema.columns),
        "columns": [{"name": c.name, "original_name": c.original_name,
                     "inferred_type": c.type.value, "label": c.label,
                     "missing_count": c.missing_count, **column_shape(c)} for c in cols],
        "sample_rows": [{k: row.get(k) for k in names} for row in preview.sample_rows[:rows]],
        "sheet_names": list(preview.sheet_names),
        "selected_sheet": preview.selected_sheet,
        **header,
        "encoding": preview.encoding,
        "delimiter": preview.delimiter,
        "datasets": [{"dataset_key": d.dataset_key, "role": d.role.value,
                      "original_name": d.original_name, "format": d.format.value,
                      "size_bytes": d.size_bytes, "sha256": d.sha256,
                      "sheet_name": d.sheet_name,
                      **({"selected_sheet": preview.selected_sheet,
                          "sheet_names": list(preview.sheet_names), **header}
                         if d.dataset_key == primary_key else {})}
                     for d in manifest.datasets],
        "column_name_normalizations": normalizations(manifest),
    }


def dataset_items(datasets: Sequence[DatasetRef]) -> list[dict[str, Any]]:
    return [{"dataset_key": d.dataset_key, "role": d.role.value,
             "original_name": d.original_name, "format": d.format.value,
             "size_bytes": d.size_bytes, "sha256": d.sha256} for d in datasets]


def upload_result(job_id: str, manifest: InputsManifest) -> dict[str, Any]:
    return {
        "job_id": job_id,
        "manifest_rel_path": manifest.manifest_rel_path,
        "fingerprint": manifest.fingerprint,
        "datasets": dataset_items(manifest.datasets),
        "column_name_normalizations": normalizations(manifest),
    }


def plan_steps(plan: Plan) -> list[dict[str, Any]]:
    """The plan's steps as a chain: each depends on the one before; ``render`` carries the
    bound parameters and ``collect_outputs`` produces the declared output files."""
    steps: list[dict[str, Any]] = []
    for i, step in enumerate(plan.steps):
        params: dict[str, Any] = {}
        produces: list[str] = []
        if step.step == "render":
            params = dict(plan.params_contract.bound_values)
        elif step.step == "collect_outputs":
            produces = [o.file for o in plan.outputs_contract.declared]
        steps.append({"step_id": step.step, "type": step.step, "step": step.step,
                      "description": step.description, "params": params,
                      "depends_on": [plan.steps[i - 1].step] if i else [],
                      "produces": produces})
    return steps


def plan_body(plan: Plan) -> dict[str, Any]:
    """The frozen plan; ``plan_version`` is an integer on the wire."""
    body: dict[str, Any] = msgspec.to_builtins(plan)
    body["plan_version"] = int(plan.plan_version)
    body["steps"] = plan_steps(plan)
    return body


def artifact_item(artifact: Artifact) -> dict[str, Any]:
    return {"artifact_id": artifact.artifact_id, "kind": artifact.kind.value,
            "rel_path": artifact.rel_path, "size_bytes": artifact.size_bytes,
            "sha256": artifact.sha256, "content_type": artifact.content_type,
            "created_at": iso(artifact.created_at), "run_id": artifact.run_id,
            "meta": artifact.meta}
