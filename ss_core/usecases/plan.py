"""Freeze the plan, read it back, confirm (freeze + queue)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import msgspec

from ss_core import corrections, drafting
from ss_core.domain.artifact import ArtifactKind
from ss_core.domain.job import Job
from ss_core.domain.plan import Plan
from ss_core.domain.user_values import UserValue
from ss_core.dry_run import bind_template
from ss_core.errors import DraftError, PlanError, StateConflict, ValidationFailed
from ss_core.freezing import build_plan, missing_required_error
from ss_core.usecases.archive import archive_bytes
from ss_core.usecases.draft import DraftPending, draft_preview
from ss_core.usecases.services import Services


class FreezeRequest(msgspec.Struct, frozen=True, kw_only=True):
    """What a freeze may ask on top of the draft: stage-1 ``answers`` (``{question_id:
    [option_id, ...]}``), ``variable_corrections``, parameter values by name, another
    template, notes kept in the plan."""

    answers: dict[str, UserValue] = msgspec.field(default_factory=dict)
    variable_corrections: dict[str, UserValue] = msgspec.field(default_factory=dict)
    params: dict[str, UserValue] = msgspec.field(default_factory=dict)
    template_id: str | None = None
    notes: str = ""


def answer_updates(answers: Mapping[str, UserValue]) -> dict[str, UserValue]:
    """Draft-field updates from stage-1 answers ``{question_id: [option_id, ...]}``.

    Our own question ids (``field:<draft field>``) and bare draft fields are accepted; the
    LLM's free-text questions (``q1``...) carry no binding and are ignored."""
    updates: dict[str, UserValue] = {}
    for key, value in answers.items():
        if key.startswith("q") and key[1:].isdigit():
            continue
        updates[key.removeprefix("field:")] = value
    return updates


def _roles_with_corrections(job: Job, request: FreezeRequest) -> dict[str, Any]:
    assert job.draft is not None and job.inputs is not None
    updates = {**answer_updates(request.answers),
               **corrections.as_role_updates(job.draft.roles, request.variable_corrections,
                                             job.inputs.primary_schema)}
    roles, _patched, problems = drafting.apply_updates(job.draft.roles, updates,
                                                       job.inputs.primary_schema)
    if problems:
        raise ValidationFailed("some variable corrections name unknown fields or columns",
                               field="variable_corrections", problems=problems)
    return roles


async def freeze(services: Services, job_id: str, request: FreezeRequest) -> Plan:
    """Freeze the job's plan (idempotent for identical inputs; PLAN_CONFLICT otherwise)."""
    job, plan = await _plan_for(services, job_id, request)
    return await _store_plan(services, job, plan)


async def preview_plan(services: Services, job_id: str, request: FreezeRequest) -> Plan:
    """The plan ``freeze`` would freeze for the same request, built by the same code and
    stored nowhere: the job does not change, so the researcher can still correct the draft.
    Refuses exactly as ``freeze`` does (missing or invalid parameters, no inputs)."""
    _, plan = await _plan_for(services, job_id, request)
    return plan


async def _plan_for(services: Services, job_id: str, request: FreezeRequest) -> tuple[Job, Plan]:
    if len(request.notes) > 2000:
        raise ValidationFailed("notes are limited to 2000 characters", field="notes")
    job = await services.jobs.get(job_id)
    if job.inputs is None:
        raise StateConflict("upload a dataset first", code="INPUTS_MISSING", job_id=job_id)
    if job.draft is None:
        result = await draft_preview(services, job_id)
        if isinstance(result, DraftPending):  # pragma: no cover - inputs exist here
            raise DraftError("the draft is not ready", job_id=job_id)
        job = result
    assert job.draft is not None and job.inputs is not None
    template_id = request.template_id or (job.selection.template_id if job.selection else None)
    if template_id is None:
        raise PlanError("no template was selected; pass template_id",
                        code="PLAN_FREEZE_MISSING_REQUIRED", job_id=job_id,
                        missing_fields=["template_id"])
    template = services.library.get(template_id)
    roles = _roles_with_corrections(job, request)
    binding = bind_template(template, roles, request.params, job.inputs.primary_schema).binding
    if not binding.complete:
        raise missing_required_error(job_id, template, binding, job.inputs.primary_schema)
    user_choice = request.template_id is not None and (
        job.selection is None or request.template_id != job.selection.template_id)
    rationale = ("chosen explicitly by the user" if user_choice or job.selection is None
                 else job.selection.rationale)
    plan = build_plan(job_id=job_id, inputs_fingerprint=job.inputs.fingerprint,
                      requirement=job.requirement, template=template, binding=binding,
                      selection=None if user_choice else job.selection, rationale=rationale,
                      notes=request.notes)
    return job, plan


async def _store_plan(services: Services, job: Job, plan: Plan) -> Plan:
    now = services.clock.now()
    frozen = job.frozen(plan, at=now)
    if frozen is job:  # this very plan is already frozen
        assert job.plan is not None
        return job.plan
    await archive_bytes(services, job.job_id, ArtifactKind.PLAN, plan.rel_path, plan.to_json(),
                        meta={"plan_id": plan.plan_id})
    await services.jobs.save(frozen, expected_version=job.version)
    await services.audit.record(job_id=job.job_id, event="plan.frozen", at=now, data={
        "plan_id": plan.plan_id, "template_id": plan.template.template_id})
    return plan


async def get_plan(services: Services, job_id: str) -> Plan:
    job = await services.jobs.get(job_id)
    if job.plan is None:
        raise StateConflict("the job has no frozen plan yet", code="PLAN_MISSING",
                            job_id=job_id)
    return job.plan

