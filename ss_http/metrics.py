"""Prometheus metrics: request counts and latency by route template, queue gauges."""

from __future__ import annotations

import time
from typing import Any

from litestar.types import ASGIApp, Message, Receive, Scope, Send
from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram

from ss_core.errors import SSError
from ss_core.usecases.services import Services

REGISTRY = CollectorRegistry(auto_describe=True)
REQUESTS = Counter("ss_http_requests_total", "HTTP requests", ["method", "route", "status"],
                   registry=REGISTRY)
LATENCY = Histogram("ss_http_request_seconds", "HTTP request latency", ["method", "route"],
                    registry=REGISTRY,
                    buckets=(0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
QUEUE = Gauge("ss_runs", "Runs by state", ["state"], registry=REGISTRY)


def _route(scope: Scope) -> str:
    handler = scope.get("route_handler")
    paths = getattr(handler, "paths", None)
    return sorted(paths)[0] if paths else "unmatched"


def metrics_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await app(scope, receive, send)
            return
        started = time.perf_counter()
        status: dict[str, Any] = {"code": 500}

        async def record(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
            await send(message)

        try:
            await app(scope, receive, record)
        finally:
            route = _route(scope)
            REQUESTS.labels(scope["method"], route, str(status["code"])).inc()
            LATENCY.labels(scope["method"], route).observe(time.perf_counter() - started)

    return middleware


async def refresh_queue_gauges(services: Services) -> None:
    try:
        stats = await services.runs.stats(services.clock.now())
    except SSError:
        return
    for state in ("queued", "running"):
        QUEUE.labels(state).set(float(stats.get(state, 0)))
