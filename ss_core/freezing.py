"""Plan freeze: from a complete binding to an immutable, content-addressed plan.

``build_plan`` is pure: the same job inputs, requirement, template and binding always give the
same plan and the same ``plan_id``. An incomplete binding never becomes a plan: it becomes a
``PLAN_FREEZE_MISSING_REQUIRED`` error that names every missing or invalid item, the
candidates for each, and the requests that supply them.
"""

from __future__ import annotations

import hashlib
from typing import Any

import msgspec

from ss_core.binding import BindingContract
from ss_core.corrections import PLACEHOLDER_OF_ROLE
from ss_core.domain.dataset import DatasetSchema
from ss_core.domain.plan import (
    PLAN_REL_PATH,
    PLAN_VERSION,
    DeclaredOutput,
    DependencyDecl,
    OutputsContract,
    ParamsContract,
    Plan,
    PlanStep,
    TemplateRef,
    plan_id_for,
)
from ss_core.domain.roles import ROLES
from ss_core.domain.selection import SelectionEvidence
from ss_core.dry_run import blockers
from ss_core.errors import Action, PlanError
from ss_core.library.meta import Template
from ss_core.rendering.house import HOUSE_OUTPUTS

STEPS = (
    PlanStep(step="stage_inputs", description="convert the primary dataset to primary.dta"),
    PlanStep(step="render", description="render the template with the bound parameters"),
    PlanStep(step="preflight", description="check every declared Stata command is installed"),
    PlanStep(step="run_stata", description="run the do-file in Stata batch mode"),
    PlanStep(step="collect_outputs", description="verify and archive the declared outputs"),
)


def dependencies_of(template: Template) -> tuple[DependencyDecl, ...]:
    deps = template.meta.dependencies
    decls = [DependencyDecl(name="stata", kind="stata", min_version=deps.stata_min_version)]
    if deps.builtin_commands:
        decls.append(DependencyDecl(name="stata-builtin", kind="builtin",
                                    provides_commands=tuple(deps.builtin_commands)))
    decls += [DependencyDecl(name=p.name, kind=p.source, provides_commands=p.provides, url=p.url)
              for p in deps.packages]
    return tuple(decls)


def outputs_of(template: Template) -> OutputsContract:
    declared = tuple(
        DeclaredOutput(file=o.file, kind=o.kind, format=o.format, required=o.required,
                       description=o.description)
        for o in (*template.meta.outputs, *HOUSE_OUTPUTS))
    return OutputsContract(declared=declared, archive_prefix="outputs/")


def _bound_json(binding: BindingContract) -> dict[str, Any]:
    return {k: list(v) if isinstance(v, tuple) else v for k, v in sorted(binding.bound.items())}


def build_plan(
    *,
    job_id: str,
    inputs_fingerprint: str,
    requirement: str,
    template: Template,
    binding: BindingContract,
    selection: SelectionEvidence | None,
    rationale: str,
    notes: str = "",
) -> Plan:
    """The frozen plan for a complete binding (callers check ``binding.complete`` first)."""
    selection_doc: dict[str, Any] = {"method": "user", "candidates": [], "confidence": None,
                                     "model": None}
    if selection is not None:
        selection_doc = {
            "method": selection.method, "confidence": selection.confidence,
            "model": selection.model,
            "candidates": [msgspec.to_builtins(c) for c in selection.candidates],
        }
    content: dict[str, Any] = msgspec.to_builtins({
        "plan_version": PLAN_VERSION,
        "rel_path": PLAN_REL_PATH,
        "job_id": job_id,
        "inputs_fingerprint": inputs_fingerprint,
        "requirement_sha256": hashlib.sha256(requirement.encode("utf-8")).hexdigest(),
        "template": TemplateRef(
            template_id=template.id, version=template.meta.version,
            content_sha256=template.content_sha256, title=template.meta.title.en,
            rationale=rationale, selection=selection_doc),
        "params_contract": ParamsContract(
            required=binding.required, optional=binding.optional,
            bound_values=_bound_json(binding), sources=dict(sorted(binding.sources.items()))),
        "dependencies": dependencies_of(template),
        "outputs_contract": outputs_of(template),
        "steps": STEPS,
        "notes": notes,
    })
    content["plan_id"] = plan_id_for(content)
    return msgspec.convert(content, Plan)


def missing_required_error(
    job_id: str, template: Template, binding: BindingContract,
    schema: DatasetSchema | None = None,
) -> PlanError:
    """The structured refusal to freeze an incomplete binding. With the dataset schema it
    also carries the draft's own blocking ``open_unknowns`` for the same problems (field,
    reason, typed candidates not used elsewhere), so a client can act on either."""
    missing_fields, fields_detail = [], []
    for item in binding.missing_required:
        if item.role:
            field = ROLES[item.role].draft_field
            missing_fields.append(field)
            fields_detail.append({"field": field, "param": item.param,
                                  "description": item.description,
                                  "candidates": list(item.candidates)})
    params_detail = [
        {"param": m.param, "type": m.type, "role": m.role, "description": m.description,
         "candidates": list(m.candidates)} for m in binding.missing_required]
    invalid = [{"param": i.param, "value": i.value, "reason": i.reason, "source": i.source,
                "candidates": list(i.candidates)} for i in binding.invalid]
    names = [m.param for m in binding.missing_required] + [i.param for i in binding.invalid]
    structural = _structural_items(template, binding)
    fields = sorted({*missing_fields, *(s["field"] for s in structural)})
    return PlanError(
        f"cannot freeze the plan: {len(binding.missing_required)} required parameter(s) "
        f"missing and {len(binding.invalid)} invalid ({', '.join(names)})",
        code="PLAN_FREEZE_MISSING_REQUIRED", job_id=job_id, template_id=template.id,
        missing_fields=missing_fields, missing_fields_detail=fields_detail,
        missing_params=[m.param for m in binding.missing_required],
        missing_params_detail=params_detail + structural, invalid_params=invalid,
        fix=("choose a column for each listed parameter, then confirm again: set the draft "
             "fields (" + ", ".join(fields) + ") with a draft patch, or send "
             "variable_corrections keyed by the draft field or the listed placeholder"
             if fields else "supply the listed parameters as params on freeze"),
        actions=(Action("patch_draft", tuple(missing_fields)),
                 Action("freeze_with_params", tuple("params." + n for n in names))),
        open_unknowns=[] if schema is None else [
            msgspec.to_builtins(u) for u in blockers(template, binding, schema)],
    )


def _structural_items(template: Template, binding: BindingContract) -> list[dict[str, Any]]:
    """The missing or invalid parameters that play a structural role (panel unit id, time,
    cluster), once more under the placeholder a ``variable_corrections`` key can name
    (``ss_core.corrections.PLACEHOLDERS``), so a client can offer a column picker for them."""
    roles = {p.name: p.role for p in template.meta.parameters}
    items: list[dict[str, Any]] = []
    problems = [(m.param, m.description, m.candidates) for m in binding.missing_required]
    problems += [(i.param, i.reason, i.candidates) for i in binding.invalid]
    for param, description, candidates in problems:
        role = roles.get(param)
        placeholder = PLACEHOLDER_OF_ROLE.get(role or "")
        if placeholder is None or role is None or any(i["param"] == placeholder for i in items):
            continue
        items.append({"param": placeholder, "placeholder": True, "template_param": param,
                      "role": role, "field": ROLES[role].draft_field,
                      "description": description, "candidates": list(candidates)})
    return items
