"""Upload inputs (streamed multipart), preview them, choose the Excel sheet."""

from __future__ import annotations

from typing import Annotated, TypeVar

import structlog
from litestar import Controller, Response, get, post
from litestar.background_tasks import BackgroundTask
from litestar.di import Provide
from litestar.openapi.datastructures import ResponseSpec
from litestar.params import Parameter

from ss_core.errors import ValidationFailed
from ss_core.usecases.inputs import (
    UploadSource,
    preview_inputs,
    select_sheet,
    upload_inputs,
)
from ss_core.usecases.inspection import InspectionPending
from ss_core.usecases.services import Services
from ss_core.usecases.staging import stage_ahead
from ss_http.access import JobId, Req, provide_job_id, services_of
from ss_http.metrics import timed_upload
from ss_http.pending import pending
from ss_http.shapes import dataset_items, inputs_preview, upload_result
from ss_http.upload import UploadLimits, parse_multipart
from ss_http.wire import (
    InputsPendingAnswer,
    InputsPreviewAnswer,
    UploadAnswer,
    UploadPendingAnswer,
    answer,
)

log = structlog.get_logger("ss.inputs")
INSPECTING = "the latest upload is still being inspected: ask again after Retry-After seconds"
T = TypeVar("T")


async def _stage_ahead(services: Services, job_id: str) -> None:
    problem = await stage_ahead(services, job_id)
    if problem is not None:
        log.info("staging_ahead_failed", job_id=job_id, error_code=problem.error_code)


def staged_after(body: T, services: Services, job_id: str) -> Response[T]:
    """``body``, with the primary's ``.dta`` staged once it is sent (see ``stage_ahead``)."""
    return Response(body, status_code=200,
                    background=BackgroundTask(_stage_ahead, services, job_id))


def inspecting(services: Services, job_id: str, result: InspectionPending) -> Response[
    InputsPendingAnswer
]:
    return pending(InputsPendingAnswer, services, job_id, "inputs_inspecting",
                   result.retry_after_seconds)


def _declared_length(request: Req) -> int | None:
    raw = request.headers.get("content-length", "")
    return int(raw) if raw.isdigit() and len(raw) < 20 else None


class InputsController(Controller):
    path = "/v1/jobs/{job_id:str}/inputs"
    tags = ["inputs"]
    dependencies = {"job": Provide(provide_job_id)}

    @post("/upload", status_code=200, request_max_body_size=None,
          summary="Upload datasets (multipart: file, role, filename)",
          responses={202: ResponseSpec(UploadPendingAnswer, generate_examples=False,
                                       description="stored; the inspection goes on: the "
                                       "preview and the draft answer once it ends")})
    async def upload(self, request: Req, job: JobId) -> Response[UploadAnswer]:
        services = services_of(request)
        limits = UploadLimits(max_body_bytes=services.policies.max_upload_bytes,
                              max_files=services.policies.max_files_per_upload,
                              idle_seconds=services.policies.upload_idle_seconds)
        with timed_upload() as observed:
            parsed = await parse_multipart(request.headers.get("content-type", ""),
                                           request.stream(), limits, _declared_length(request))
            try:
                if not parsed.files:
                    raise ValidationFailed("at least one 'file' part is required", field="file")
                roles = parsed.fields.get("role", [])
                names = parsed.fields.get("filename", [])
                sources = [
                    UploadSource(filename=(names[i] if i < len(names) and names[i] else
                                           part.filename or ""),
                                 role=roles[i] if i < len(roles) and roles[i] else None,
                                 chunks=parsed.reader(part), sha256=part.sha256,
                                 size_bytes=part.size, spooled=parsed.spooled(part))
                    for i, part in enumerate(parsed.files)]
                manifest = await upload_inputs(services, job, sources)
                observed.size_bytes = sum(part.size for part in parsed.files)
            finally:
                parsed.close()
        if isinstance(manifest, InspectionPending):
            answered = pending(UploadPendingAnswer, services, job, "inputs_inspecting",
                               manifest.retry_after_seconds,
                               datasets=dataset_items(manifest.upload.datasets))
            answered.background = BackgroundTask(_stage_ahead, services, job)
            return answered  # type: ignore[return-value]
        return staged_after(answer(UploadAnswer, upload_result(job, manifest)), services, job)

    @get("/preview", summary="Columns, types and sample rows of the primary dataset",
         responses={202: ResponseSpec(InputsPendingAnswer, generate_examples=False,
                                      description=INSPECTING)})
    async def preview(
        self, request: Req, job: JobId,
        rows: Annotated[int, Parameter(ge=1, le=200)] = 20,
        columns: Annotated[int, Parameter(ge=1, le=5000)] = 50,
    ) -> Response[InputsPreviewAnswer]:
        services = services_of(request)
        result = await preview_inputs(services, job, rows)
        if isinstance(result, InspectionPending):
            return inspecting(services, job, result)  # type: ignore[return-value]
        manifest, preview = result
        return Response(answer(InputsPreviewAnswer,
                               inputs_preview(job, manifest, preview, rows, columns)))

    @post("/primary/sheet", status_code=200, summary="Choose the Excel sheet of the primary",
          responses={202: ResponseSpec(InputsPendingAnswer, generate_examples=False,
                                       description=INSPECTING)})
    async def sheet(
        self, request: Req, job: JobId,
        sheet_name: Annotated[str, Parameter(min_length=1, max_length=100)],
        rows: Annotated[int, Parameter(ge=1, le=200)] = 20,
        columns: Annotated[int, Parameter(ge=1, le=5000)] = 50,
    ) -> Response[InputsPreviewAnswer]:
        services = services_of(request)
        result = await select_sheet(services, job, sheet_name, rows)
        if isinstance(result, InspectionPending):
            return inspecting(services, job, result)  # type: ignore[return-value]
        manifest, preview = result
        return staged_after(answer(InputsPreviewAnswer,
                                   inputs_preview(job, manifest, preview, rows, columns)),
                            services, job)
