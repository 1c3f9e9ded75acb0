"""Liveness, readiness (the production gate) and Prometheus metrics."""

from __future__ import annotations

from typing import Any

from litestar import Controller, Request, Response, get
from prometheus_client import CONTENT_TYPE_LATEST

from ss_core.errors import AuthError
from ss_http.access import require_admin
from ss_http.metrics import exposition, refresh_queue_gauges
from ss_http.readiness_view import full_check, public_check
from ss_http.wire import LiveAnswer, ReadinessAnswer, answer


def _is_admin(request: Request[Any, Any, Any]) -> bool:
    if not request.headers.get("authorization"):
        return False
    try:
        require_admin(request)
    except AuthError:
        return False
    return True


class HealthController(Controller):
    path = ""
    tags = ["health"]
    include_in_schema = True

    @get("/health/live", summary="The process is up")
    async def live(self) -> LiveAnswer:
        return LiveAnswer(status="live")

    @get("/health/ready", summary="Every production requirement holds (503 naming violations); "
         "check details (paths, URLs, versions) only with the admin token")
    async def ready(self, request: Request[Any, Any, Any]) -> Response[ReadinessAnswer]:
        readiness = await request.app.state.gate.evaluate()
        shown = full_check if _is_admin(request) else public_check
        body = {
            "status": "ready" if readiness.ready else "not_ready",
            "ready": readiness.ready,
            "violations": [shown(c) for c in readiness.violations],
            "warnings": [shown(c) for c in readiness.warnings],
            "checks": [shown(c) for c in readiness.checks],
        }
        if not readiness.ready:
            body["error_code"] = "SERVICE_NOT_READY"
            body["message"] = "not ready: " + ", ".join(c.name for c in readiness.violations)
        return Response(answer(ReadinessAnswer, body),
                        status_code=200 if readiness.ready else 503)

    @get("/metrics", summary="Prometheus metrics", media_type=CONTENT_TYPE_LATEST)
    async def metrics(self, request: Request[Any, Any, Any]) -> Response[bytes]:
        await refresh_queue_gauges(request.app.state.services)
        return Response(exposition(), media_type=CONTENT_TYPE_LATEST)
