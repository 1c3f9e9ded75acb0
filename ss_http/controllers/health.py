"""Liveness, readiness (the production gate) and Prometheus metrics."""

from __future__ import annotations

from typing import Any

import msgspec
from litestar import Controller, Request, Response, get
from prometheus_client import CONTENT_TYPE_LATEST

from ss_http.metrics import exposition, refresh_queue_gauges
from ss_http.wire import LiveAnswer, ReadinessAnswer, answer


class HealthController(Controller):
    path = ""
    tags = ["health"]
    include_in_schema = True

    @get("/health/live", summary="The process is up")
    async def live(self) -> LiveAnswer:
        return LiveAnswer(status="live")

    @get("/health/ready", summary="Every production requirement holds (503 naming violations)")
    async def ready(self, request: Request[Any, Any, Any]) -> Response[ReadinessAnswer]:
        readiness = await request.app.state.gate.evaluate()
        body = {
            "status": "ready" if readiness.ready else "not_ready",
            "ready": readiness.ready,
            "violations": [msgspec.to_builtins(c) for c in readiness.violations],
            "warnings": [msgspec.to_builtins(c) for c in readiness.warnings],
            "checks": [msgspec.to_builtins(c) for c in readiness.checks],
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
