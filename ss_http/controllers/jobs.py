"""Job status, draft preview and patch, plan freeze/read, confirm and run."""

from __future__ import annotations

from typing import Annotated, Any

import msgspec
from litestar import Controller, Response, get, post
from litestar.di import Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Body

from ss_core.domain.job import Job
from ss_core.domain.user_values import UserValue
from ss_core.usecases.draft import DraftPatch, DraftPending, draft_preview, patch_draft
from ss_core.usecases.plan import FreezeRequest, freeze, get_plan, preview_plan
from ss_core.usecases.runs import ConfirmRequest, confirm, enqueue_run, job_overview
from ss_core.usecases.services import Services
from ss_http.access import JobId, Req, provide_job_id, services_of
from ss_http.draft_fields import draft_extras
from ss_http.pending import pending
from ss_http.shapes import draft_preview as draft_shape
from ss_http.shapes import iso, job_status, plan_body, run_summary
from ss_http.wire import (
    ConfirmAnswer,
    DraftPendingAnswer,
    DraftPreviewAnswer,
    JobStatusAnswer,
    PatchAnswer,
    PlanAnswer,
    QueuedAnswer,
    answer,
)


class PatchBody(msgspec.Struct, frozen=True):
    field_updates: dict[str, UserValue] | None = None


class FreezeBody(msgspec.Struct, frozen=True, kw_only=True):
    """Every field is optional and every optional field accepts ``null`` (= absent)."""

    answers: dict[str, UserValue] | None = None
    variable_corrections: dict[str, UserValue] | None = None
    params: dict[str, UserValue] | None = None
    template_id: str | None = None
    notes: str | None = None


class ConfirmBody(msgspec.Struct, frozen=True, kw_only=True):
    """Every field is optional and every optional field accepts ``null`` (= absent);
    ``confirmed: null`` means the default, ``true``. Fields the service does not use
    (``expert_suggestions_feedback``, ``output_formats``) are accepted and ignored."""

    confirmed: bool | None = None
    notes: str | None = None
    answers: dict[str, UserValue] | None = None
    variable_corrections: dict[str, UserValue] | None = None
    default_overrides: dict[str, UserValue] | None = None
    template_id: str | None = None

    def to_request(self) -> ConfirmRequest:
        """The core's request: ``default_overrides`` are the parameter values."""
        return ConfirmRequest(
            answers=self.answers or {}, variable_corrections=self.variable_corrections or {},
            params=self.default_overrides or {}, template_id=self.template_id,
            notes=self.notes or "", confirmed=self.confirmed is not False)


def _draft_body(services: Services, job: Job) -> dict[str, Any]:
    assert job.selection is not None
    template = (services.library.get(job.selection.template_id)
                if job.selection.template_id else None)
    return {**draft_shape(job), **draft_extras(job, template)}


class JobController(Controller):
    path = "/v1/jobs/{job_id:str}"
    tags = ["jobs"]
    dependencies = {"job": Provide(provide_job_id)}

    @get("", summary="Job status")
    async def status(self, request: Req, job: JobId) -> JobStatusAnswer:
        seen = await job_overview(services_of(request), job)
        return answer(JobStatusAnswer,
                      job_status(seen.job, seen.artifact_counts, seen.latest_run))

    @get("/draft/preview", summary="What SS understood (LLM draft + template selection)",
         responses={202: ResponseSpec(DraftPendingAnswer, generate_examples=False,
                                      description="the draft is being made: "
                                      "poll again after Retry-After seconds")})
    async def draft(self, request: Req, job: JobId) -> Response[DraftPreviewAnswer]:
        result = await draft_preview(services_of(request), job)
        if isinstance(result, DraftPending):
            waiting = pending(DraftPendingAnswer, services_of(request), job, result.message,
                              result.retry_after_seconds)
            return waiting  # type: ignore[return-value]
        return Response(answer(DraftPreviewAnswer, _draft_body(services_of(request), result)),
                        status_code=200)

    @post("/draft/patch", status_code=200, summary="Correct the draft's variable roles")
    async def patch(
        self, request: Req, job: JobId, data: Annotated[PatchBody, Body()]
    ) -> PatchAnswer:
        updated = await patch_draft(services_of(request), job,
                                    DraftPatch(field_updates=data.field_updates or {}))
        assert updated.draft is not None
        return answer(PatchAnswer, {
            "status": "patched", "patched_fields": list(updated.draft.patched_fields),
            "remaining_unknowns_count": len(updated.draft.open_unknowns),
            "open_unknowns": [msgspec.to_builtins(u) for u in updated.draft.open_unknowns],
            "draft_preview": _draft_body(services_of(request), updated)})

    @post("/plan/freeze", status_code=200, summary="Freeze the plan")
    async def freeze(
        self, request: Req, job: JobId,
        data: Annotated[FreezeBody | None, Body()] = None,
    ) -> PlanAnswer:
        plan = await freeze(services_of(request), job, _freeze_request(data))
        return PlanAnswer(job_id=job, plan=plan_body(plan))

    @post("/plan/preview", status_code=200,
          summary="The plan a freeze would produce, without freezing it (the job is unchanged)")
    async def preview(
        self, request: Req, job: JobId,
        data: Annotated[FreezeBody | None, Body()] = None,
    ) -> PlanAnswer:
        plan = await preview_plan(services_of(request), job, _freeze_request(data))
        return PlanAnswer(job_id=job, plan=plan_body(plan))

    @get("/plan", summary="The frozen plan")
    async def plan(self, request: Req, job: JobId) -> PlanAnswer:
        return PlanAnswer(job_id=job, plan=plan_body(await get_plan(services_of(request), job)))

    @post("/confirm", status_code=200, summary="Freeze (if needed) and queue in one step")
    async def confirm(
        self, request: Req, job: JobId,
        data: Annotated[ConfirmBody | None, Body()] = None,
    ) -> ConfirmAnswer:
        record, run = await confirm(services_of(request), job,
                                    (data or ConfirmBody()).to_request())
        return answer(ConfirmAnswer, {
            "job_id": job, "status": record.status.value,
            "message": ("queued: the plan is frozen and will run"
                        if record.status.value == "queued" else
                        f"the plan is frozen; the job is {record.status.value}"),
            "plan_id": record.plan.plan_id if record.plan else None,
            "scheduled_at": iso(record.timestamps.get("queued_at")),
            "latest_run": run_summary(run)})

    @post("/run", status_code=202, summary="Queue the frozen plan (retry when failed)")
    async def run(self, request: Req, job: JobId) -> QueuedAnswer:
        record, run = await enqueue_run(services_of(request), job)
        return answer(QueuedAnswer, {"job_id": job, "status": record.status.value,
                                     "scheduled_at": iso(record.timestamps.get("queued_at")),
                                     "latest_run": run_summary(run)})


def _freeze_request(data: FreezeBody | None) -> FreezeRequest:
    """The freeze body (every optional field may be null) as the core's request."""
    body = data or FreezeBody()
    return FreezeRequest(
        answers=body.answers or {}, variable_corrections=body.variable_corrections or {},
        params=body.params or {}, template_id=body.template_id, notes=body.notes or "")
