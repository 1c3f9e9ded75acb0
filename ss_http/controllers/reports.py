"""The results report on demand: ``POST /v1/jobs/{job_id}/report`` (re)builds it, e.g. in
another language or without the interpretation. The worker builds the default report after
every successful run; both answer with the archived artifacts."""

from __future__ import annotations

from typing import Annotated, Literal

import msgspec
from litestar import Controller, post
from litestar.di import Provide
from litestar.params import Body

from ss_core.domain.artifact import Artifact
from ss_core.usecases.report import ReportBuilt, ReportRequest, build_report
from ss_http.access import JobId, Req, provide_job_id, services_of
from ss_http.shapes import artifact_item
from ss_http.wire import ArtifactItem, answer


class ReportBody(msgspec.Struct, frozen=True, kw_only=True):
    language: Literal["en", "zh"] | None = None
    interpretation: bool | None = None


class ReportAnswer(msgspec.Struct, frozen=True, kw_only=True):
    job_id: str
    build_id: str
    status: Literal["built", "failed"]
    language: str | None
    interpretation: str | None
    omitted_reason: str | None
    error_code: str | None
    artifacts: list[ArtifactItem]  # the same item as the artifact index


class ReportController(Controller):
    path = "/v1/jobs/{job_id:str}/report"
    tags = ["jobs"]
    dependencies = {"job": Provide(provide_job_id)}

    @post("", status_code=200, summary="(Re)build the results report (html, docx, xlsx)")
    async def build(self, request: Req, job: JobId,
                    data: Annotated[ReportBody | None, Body()] = None) -> ReportAnswer:
        body = data or ReportBody()
        outcome = await build_report(services_of(request), job, ReportRequest(
            language=body.language,
            interpretation=True if body.interpretation is None else body.interpretation))
        if isinstance(outcome, ReportBuilt):
            return ReportAnswer(
                job_id=job, build_id=outcome.build_id, status="built",
                language=outcome.language, interpretation=outcome.interpretation,
                omitted_reason=outcome.omitted_reason, error_code=None,
                artifacts=[_item(a) for a in outcome.artifacts])
        return ReportAnswer(job_id=job, build_id=outcome.build_id, status="failed",
                            language=None, interpretation=None, omitted_reason=None,
                            error_code=outcome.error_code, artifacts=[_item(outcome.artifact)])


def _item(artifact: Artifact) -> ArtifactItem:
    return answer(ArtifactItem, artifact_item(artifact))
