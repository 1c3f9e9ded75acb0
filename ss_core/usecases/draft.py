"""Draft preview (LLM understanding + template selection) and draft patches.

The draft is cached per inputs fingerprint + requirement + library version: asking again
returns the stored draft without calling the LLM. Every LLM call is archived as a trace.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import msgspec

from ss_core import drafting, dry_run
from ss_core.domain.artifact import ArtifactKind
from ss_core.domain.draft import Draft, OpenUnknown, Question
from ss_core.domain.job import Job
from ss_core.domain.plan import canonical_json
from ss_core.domain.roles import ROLES
from ss_core.domain.selection import Candidate, SelectionEvidence
from ss_core.domain.user_values import UserValue
from ss_core.errors import DraftError, SSError
from ss_core.library.loader import LIBRARY_VERSION
from ss_core.ports.llm import LLMTrace
from ss_core.selection import select_template
from ss_core.usecases.archive import archive_bytes
from ss_core.usecases.inputs import settle_inputs
from ss_core.usecases.services import Services


class DraftPending(msgspec.Struct, frozen=True):
    message: str
    retry_after_seconds: int


def library_version(services: Services) -> str:
    return LIBRARY_VERSION + ":" + ",".join(
        f"{t.id}@{t.content_sha256[:8]}" for t in services.library)


async def _archive_traces(
    services: Services, job_id: str, draft_id: str, traces: Sequence[LLMTrace]
) -> None:
    for i, trace in enumerate(traces, start=1):
        await archive_bytes(services, job_id, ArtifactKind.LLM_TRACE,
                            f"llm/{draft_id}/{trace.operation}-{i}.json",
                            canonical_json(msgspec.to_builtins(trace)))


INTERNAL_LLM_CONTEXT = ("traces", "url", "base_url")


async def _archive_failure(services: Services, job_id: str, draft_id: str, exc: SSError) -> None:
    """Archive an LLM failure's traces and keep only references to them in the error: the
    prompts, raw answers and the provider's URL stay in the archive, never in an answer."""
    traces = exc.context.get("traces") or []
    refs = []
    for i, trace in enumerate(traces, start=1):
        artifact = await archive_bytes(services, job_id, ArtifactKind.LLM_TRACE,
                                       f"llm/{draft_id}/failed-{i}.json", canonical_json(trace))
        refs.append({"artifact_id": artifact.artifact_id, "rel_path": artifact.rel_path})
    for key in INTERNAL_LLM_CONTEXT:
        exc.context.pop(key, None)
    if refs:
        exc.context["trace_artifacts"] = refs


def _llm_questions(answer: Mapping[str, Any]) -> tuple[Question, ...]:
    return tuple(Question(question_id=f"q{i}", question_text=str(q["question"])[:300],
                          question_type="free_text", priority=2,
                          field=str(q.get("field", ""))[:60] or None)
                 for i, q in enumerate(answer.get("questions", []), start=1))


def assessed(
    services: Services, job: Job, draft: Draft, selection: SelectionEvidence,
    advisory: Sequence[OpenUnknown],
) -> Draft:
    """``draft`` with the dry-run freeze of the selected template applied."""
    assert job.inputs is not None
    template = services.library.get(selection.template_id)
    verdict = dry_run.assess(template, draft.roles, job.inputs.primary_schema,
                             confidence=selection.confidence, advisory=advisory)
    llm_questions = tuple(q for q in draft.questions if q.question_id.startswith("q"))
    ready_alternatives = tuple(
        c.template_id for c in runner_ups(selection)
        if dry_run.bind_template(services.library.get(c.template_id), draft.roles, {},
                                 job.inputs.primary_schema).binding.complete)
    reasons = verdict.reasons
    if verdict.blocking and ready_alternatives:
        reasons = (*reasons, "ready as drafted with " + ", ".join(ready_alternatives)
                   + " (switch with a draft patch of template_id)")
    return msgspec.structs.replace(
        draft, open_unknowns=(*verdict.blocking, *advisory),
        questions=(*verdict.questions, *llm_questions), template_id=template.id,
        readiness=verdict.readiness, decision=verdict.decision,
        decision_reasons=reasons, derived_roles=verdict.derived_from,
        data_notes=verdict.data_notes, ready_alternatives=ready_alternatives)


def runner_ups(selection: SelectionEvidence, limit: int = 3) -> tuple[Candidate, ...]:
    """The best-ranked candidates other than the selected template."""
    return tuple(c for c in selection.candidates if c.template_id != selection.template_id)[
        :limit]


async def draft_preview(services: Services, job_id: str) -> Job | DraftPending:
    """The job with its draft and selection, or ``DraftPending`` until inputs exist (and
    while the latest upload is being inspected)."""
    inspecting = await settle_inputs(services, job_id)
    if inspecting is not None:
        return DraftPending("inputs_inspecting", inspecting.retry_after_seconds)
    job = await services.jobs.get(job_id)
    if job.inputs is None:
        return DraftPending("pending_inputs_upload", 5)
    key = drafting.cache_key(job.inputs.fingerprint, job.requirement, library_version(services))
    if job.draft is not None and (job.draft.cache_key == key or job.draft_closed):
        return job
    job.require_draftable()  # before the LLM is asked
    llm = services.require_llm()
    draft_id = services.ids.new_id("draft")
    schema = job.inputs.primary_schema
    analysis_types = {a for t in services.library for a in t.meta.analysis_types}
    try:
        answer = await llm.complete_json(
            drafting.request_for(job.requirement, schema, analysis_types))
    except SSError as exc:
        await _archive_failure(services, job_id, draft_id, exc)
        raise
    await _archive_traces(services, job_id, draft_id, answer.traces)
    roles, dropped, unknowns = drafting.checked_roles(answer.data.get("roles", {}), schema)
    query = drafting.selection_query(job.requirement, answer.data)
    try:
        selection, traces = await select_template(
            services.library, services.retriever, llm, requirement=job.requirement,
            query=query, roles=roles, limit=services.policies.selection_candidates,
            schema=schema)
    except SSError as exc:
        await _archive_failure(services, job_id, draft_id, exc)
        raise
    await _archive_traces(services, job_id, draft_id, traces)
    draft = Draft(
        draft_id=draft_id, cache_key=key, goal=str(answer.data.get("goal", ""))[:400],
        analysis_type=str(answer.data.get("analysis_type", "other")),
        draft_text=str(answer.data.get("draft_text", ""))[:1500], roles=roles,
        questions=_llm_questions(answer.data), dropped=tuple(dropped), model=answer.model)
    draft = assessed(services, job, draft, selection, unknowns)
    return await _store_draft(services, job, draft, selection)


async def _store_draft(
    services: Services, job: Job, draft: Draft, selection: SelectionEvidence
) -> Job:
    now = services.clock.now()
    await archive_bytes(services, job.job_id, ArtifactKind.DRAFT,
                        f"draft/{draft.draft_id}.json", canonical_json(msgspec.to_builtins(draft)))
    await archive_bytes(services, job.job_id, ArtifactKind.SELECTION,
                        f"selection/selection_{draft.draft_id}.json",
                        canonical_json(msgspec.to_builtins(selection)))
    stored = await services.jobs.save(job.drafted(draft, selection, at=now),
                                      expected_version=job.version)
    await services.audit.record(job_id=job.job_id, event="draft.ready", at=now, data={
        "draft_id": draft.draft_id, "template_id": selection.template_id,
        "model": draft.model})
    return stored


def _switched(
    services: Services, job: Job, template_id: Any
) -> SelectionEvidence:
    """The selection after the user chose ``template_id`` in a draft patch."""
    assert job.selection is not None
    if not isinstance(template_id, str) or template_id not in services.library:
        raise DraftError("template_id is not a template of the library",
                         code="DRAFT_TEMPLATE_UNKNOWN", job_id=job.job_id,
                         template_id=str(template_id)[:80],
                         alternatives=[c.template_id for c in job.selection.candidates])
    if template_id == job.selection.template_id:
        return job.selection
    template = services.library.get(template_id)
    return msgspec.structs.replace(
        job.selection, template_id=template_id, title=template.meta.title.en,
        confidence=1.0, rationale="chosen by the user in a draft patch", method="user")


class DraftPatch(msgspec.Struct, frozen=True, kw_only=True):
    """User corrections by draft field (or role) name; ``template_id`` switches the
    template."""

    field_updates: dict[str, UserValue] = msgspec.field(default_factory=dict)


async def patch_draft(services: Services, job_id: str, patch: DraftPatch) -> Job:
    """Apply user corrections to the draft's roles (real columns only) or switch the
    template (``template_id``); the dry-run freeze runs again on the result."""
    job = await services.jobs.get(job_id)
    if job.draft is None or job.selection is None or job.inputs is None:
        raise DraftError("request the draft preview before patching it", code="DRAFT_MISSING",
                         job_id=job_id)
    job.require_draft_open()
    updates = dict(patch.field_updates)
    selection = job.selection
    if "template_id" in updates:
        selection = _switched(services, job, updates.pop("template_id"))
    roles, patched, problems = drafting.apply_updates(job.draft.roles, updates,
                                                      job.inputs.primary_schema)
    if problems:
        unknown = [p for p in problems if p["reason"] == "unknown draft field"]
        raise DraftError(
            "some draft fields could not be applied", job_id=job_id, problems=problems,
            code="DRAFT_FIELD_UNKNOWN" if unknown else "DRAFT_VARIABLE_UNKNOWN",
            allowed_fields=sorted(["template_id", *(r.draft_field for r in ROLES.values())]),
            columns=list(job.inputs.primary_schema.names[:200]))
    if selection is not job.selection:
        patched.append("template_id")
    advisory = [u for u in job.draft.open_unknowns if not u.blocking and u.field not in patched]
    draft = msgspec.structs.replace(
        job.draft, roles=roles,
        patched_fields=tuple(sorted({*job.draft.patched_fields, *patched})))
    draft = assessed(services, job, draft, selection, advisory)
    now = services.clock.now()
    stored = await services.jobs.save(job.draft_patched(draft, selection, at=now),
                                      expected_version=job.version)
    await services.audit.record(job_id=job_id, event="draft.patched", at=now,
                                data={"fields": patched, "template_id": selection.template_id})
    return stored
