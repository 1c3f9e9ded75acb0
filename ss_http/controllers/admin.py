"""Operators' API under /api/admin (admin bearer token from configuration)."""

from __future__ import annotations

from typing import Annotated

import msgspec
from litestar import Controller, get, post
from litestar.di import Provide
from litestar.params import Body, FromPath, FromQuery, Parameter
from litestar.response import Stream

from ss_core.usecases.access import issue_task_codes
from ss_core.usecases.archive import open_artifact
from ss_core.usecases.runs import enqueue_run, job_overview
from ss_http.access import AdminOk, Req, require_admin, services_of
from ss_http.controllers.artifacts import artifact_stream
from ss_http.readiness_view import full_check
from ss_http.shapes import artifact_item, iso, job_status, run_summary
from ss_http.wire import (
    AdminJobDetail,
    AdminJobList,
    IssueAnswer,
    QueuedAnswer,
    RevokeAnswer,
    SystemAnswer,
    TaskCodeList,
    answer,
)

MAX_OFFSET = 1_000_000_000  # list offsets must fit every database's integer type


class IssueBody(msgspec.Struct, frozen=True, kw_only=True):
    count: Annotated[int, msgspec.Meta(ge=1, le=1000)] = 1
    expires_in_days: Annotated[float, msgspec.Meta(gt=0, le=3650)] = 30
    tenant: Annotated[str, msgspec.Meta(min_length=1, max_length=64)] = "default"
    label: Annotated[str, msgspec.Meta(max_length=200)] = ""


async def _admin(request: Req) -> bool:
    require_admin(request)
    return True


class AdminController(Controller):
    path = "/api/admin"
    tags = ["admin"]
    dependencies = {"admin": Provide(_admin)}

    @post("/task-codes", status_code=201, summary="Issue task codes")
    async def issue(self, request: Req, admin: AdminOk,
                    data: Annotated[IssueBody, Body()]) -> IssueAnswer:
        issued = await issue_task_codes(services_of(request), count=data.count,
                                        expires_in_days=data.expires_in_days,
                                        tenant=data.tenant, label=data.label)
        return answer(IssueAnswer, {"task_codes": [
            {"task_code_id": c.task_code_id, "task_code": c.task_code,
             "expires_at": iso(c.expires_at), "tenant": c.tenant} for c in issued]})

    @get("/task-codes", summary="List task codes (hashes are never shown)")
    async def list_codes(self, request: Req, admin: AdminOk,
                         limit: Annotated[int, Parameter(ge=1, le=1000)] = 100,
                         offset: Annotated[int, Parameter(ge=0, le=MAX_OFFSET)] = 0,
                         ) -> TaskCodeList:
        codes = await services_of(request).task_codes.list(limit=limit, offset=offset)
        return answer(TaskCodeList, {"task_codes": [
            {"task_code_id": c.task_code_id, "tenant": c.tenant, "label": c.label,
             "created_at": iso(c.created_at), "expires_at": iso(c.expires_at),
             "revoked_at": iso(c.revoked_at), "redeemed_at": iso(c.redeemed_at),
             "job_id": c.job_id} for c in codes]})

    @post("/task-codes/{task_code_id:str}/revoke", status_code=200, summary="Revoke a code")
    async def revoke(self, request: Req, admin: AdminOk,
                     task_code_id: FromPath[str]) -> RevokeAnswer:
        services = services_of(request)
        now = services.clock.now()
        code = await services.task_codes.revoke(task_code_id, now)
        revoked_tokens = 0
        if code.job_id:
            revoked_tokens = await services.tokens.revoke_for_job(code.job_id, now)
        return RevokeAnswer(task_code_id=code.task_code_id, revoked_at=iso(code.revoked_at),
                            job_id=code.job_id, revoked_tokens=revoked_tokens)

    @get("/jobs", summary="List jobs")
    async def jobs(self, request: Req, admin: AdminOk,
                   status: FromQuery[str | None] = None,
                   limit: Annotated[int, Parameter(ge=1, le=1000)] = 100,
                   offset: Annotated[int, Parameter(ge=0, le=MAX_OFFSET)] = 0,
                   ) -> AdminJobList:
        jobs = await services_of(request).jobs.list(status=status, limit=limit, offset=offset)
        return answer(AdminJobList, {"jobs": [
            {"job_id": j.job_id, "status": j.status.value, "tenant": j.tenant,
             "created_at": iso(j.created_at), "updated_at": iso(j.updated_at),
             "template_id": j.plan.template.template_id if j.plan else None} for j in jobs]})

    @get("/jobs/{job_id:str}", summary="One job with its runs and artifacts")
    async def job(self, request: Req, admin: AdminOk,
                  job_id: FromPath[str]) -> AdminJobDetail:
        services = services_of(request)
        seen = await job_overview(services, job_id)
        artifacts = await services.artifacts.list_for_job(job_id)
        runs = await services.runs.list_for_job(job_id)
        return answer(AdminJobDetail, {
            **job_status(seen.job, seen.artifact_counts, seen.latest_run),
            "runs": [run_summary(r) for r in runs],
            "artifact_index": [artifact_item(a) for a in artifacts],
            "audit": list(await services.audit.list_for_job(job_id))})

    @get("/jobs/{job_id:str}/artifacts/{rel_path:path}",
         summary="Download one of a job's indexed artifacts (logs, error reports, outputs)")
    async def artifact(self, request: Req, admin: AdminOk, job_id: FromPath[str],
                       rel_path: FromPath[str]) -> Stream:
        artifact, chunks = await open_artifact(services_of(request), job_id,
                                               rel_path.lstrip("/"))
        return artifact_stream(artifact, chunks)

    @post("/jobs/{job_id:str}/retry", status_code=202, summary="Retry a failed job")
    async def retry(self, request: Req, admin: AdminOk,
                    job_id: FromPath[str]) -> QueuedAnswer:
        record, run = await enqueue_run(services_of(request), job_id)
        return answer(QueuedAnswer, {"job_id": job_id, "status": record.status.value,
                                     "latest_run": run_summary(run)})

    @get("/system", summary="Queue depth, workers and leases, readiness")
    async def system(self, request: Req, admin: AdminOk) -> SystemAnswer:
        services = services_of(request)
        readiness = await request.app.state.gate.evaluate()
        return answer(SystemAnswer, {
            "queue": await services.runs.stats(services.clock.now()),
            "ready": readiness.ready,
            "violations": [full_check(c) for c in readiness.violations],
            "checks": [full_check(c) for c in readiness.checks],
            "templates": len(services.library)})
