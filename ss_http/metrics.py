"""HTTP metrics through Litestar's Prometheus integration, plus what it cannot see.

Litestar's middleware counts and times every routed request labelled by the route template
(``path="/v1/jobs/{job_id}"``, never the concrete path). Requests the router rejects before
any handler runs (unknown path 404, method 405) never reach route middleware, so a
``before_send`` hook counts them. ``/metrics`` exports prometheus_client's default registry,
where SS's own run, queue, Stata, LLM and upload metrics live
(``ss_adapters.observability.metrics``); queue depth is refreshed at each scrape.
"""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from litestar.plugins.prometheus import PrometheusConfig
from litestar.types import Message, Scope
from prometheus_client import REGISTRY, CollectorRegistry, Counter, generate_latest, multiprocess

from ss_adapters.observability.metrics import QUEUE_DEPTH, UPLOAD_BYTES, UPLOAD_SECONDS
from ss_core.errors import SSError
from ss_core.usecases.services import Services

PROMETHEUS = PrometheusConfig(app_name="ss", prefix="ss_http", group_path=True,
                              buckets=[0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5,
                                       5, 10, 30, 60])
UNROUTED = Counter("ss_http_unrouted_requests_total",
                   "Requests rejected by the router before any handler (unknown path, method)",
                   ["method", "status_code"])


async def count_unrouted(message: Message, scope: Scope) -> None:
    """``before_send`` hook: count responses of requests that matched no route."""
    if message["type"] == "http.response.start" and scope.get("route_handler") is None:
        UNROUTED.labels(str(scope.get("method", "")), str(message["status"])).inc()


MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"


def exposition() -> bytes:
    """The text exposition: this process's registry, or, under ``serve --workers N`` (which
    sets ``PROMETHEUS_MULTIPROC_DIR`` for its processes), every process's metrics merged."""
    if os.environ.get(MULTIPROCESS_DIR):
        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)  # type: ignore[no-untyped-call]
        return generate_latest(registry)
    return generate_latest(REGISTRY)


async def refresh_queue_gauges(services: Services) -> None:
    try:
        stats = await services.runs.stats(services.clock.now())
    except SSError:
        return
    QUEUE_DEPTH.labels("queued").set(float(stats.queued))
    QUEUE_DEPTH.labels("running").set(float(stats.running))


@dataclass
class ObservedUpload:
    size_bytes: int | None = None  # set once the upload is stored


@contextmanager
def timed_upload() -> Iterator[ObservedUpload]:
    """Time an upload request; stored bytes are recorded when the block set them."""
    started = time.perf_counter()
    observed = ObservedUpload()
    try:
        yield observed
    finally:
        outcome = "ok" if observed.size_bytes is not None else "error"
        UPLOAD_SECONDS.labels(outcome).observe(time.perf_counter() - started)
        if observed.size_bytes is not None:
            UPLOAD_BYTES.observe(observed.size_bytes)
