"""The Litestar application factory: /v1 business routes, /api/admin, /health, /metrics."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextlib import AbstractAsyncContextManager
from typing import Any

import msgspec
from litestar import Litestar
from litestar.config.cors import CORSConfig
from litestar.datastructures import State

from ss_adapters.gate import ProductionGate
from ss_core.domain.task_code import secret_hash
from ss_core.usecases.services import Services
from ss_http.controllers.admin import AdminController
from ss_http.controllers.artifacts import ArtifactController
from ss_http.controllers.health import HealthController
from ss_http.controllers.inputs import InputsController
from ss_http.controllers.jobs import JobController
from ss_http.controllers.reports import ReportController
from ss_http.controllers.task_codes import TaskCodeController
from ss_http.errors import HANDLERS
from ss_http.metrics import PROMETHEUS, count_unrouted
from ss_http.openapi import assets_router, complete_openapi, openapi_config
from ss_http.rate_limit import RedeemLimits
from ss_http.request_id import echo_request_id, request_id_middleware
from ss_http.web.pages import web_router

MAX_JSON_BODY = 1 << 20
# Answer headers a cross-origin browser client may read: the request id it quotes in support
# requests, the download file name, and how long to wait before polling again.
EXPOSED_HEADERS = ["X-SS-Request-Id", "Content-Disposition", "Retry-After",
                   "X-SS-Artifact-Sha256"]


def route_handlers() -> list[Any]:
    """Every route the service serves (the OpenAPI document is built from the same list)."""
    return [TaskCodeController, JobController, InputsController, ArtifactController,
            ReportController, AdminController, HealthController, web_router(),
            assets_router()]


def openapi_document() -> dict[str, Any]:
    """The OpenAPI document the service serves at /openapi.json, without assembling services
    (``ssctl docs generate`` renders docs/api.md from it)."""
    app = Litestar(route_handlers=route_handlers(), openapi_config=openapi_config())
    complete_openapi(app)
    document: dict[str, Any] = msgspec.json.decode(  # as served: JSON types (no tuples)
        msgspec.json.encode(app.openapi_schema.to_schema()))
    return document


def create_app(
    services: Services,
    gate: ProductionGate,
    *,
    admin_token: str | None,
    cors_origins: list[str] | None = None,
    lifespan: Sequence[Callable[[Litestar], AbstractAsyncContextManager[None]]] = (),
    debug: bool = False,
) -> Litestar:
    """Build the app around an assembled ``Services`` bundle and its production gate."""
    state = State({
        "services": services,
        "gate": gate,
        "admin_token_hash": secret_hash(admin_token) if admin_token else None,
        "redeem_limiter": RedeemLimits(services.policies.redeem_rate_per_minute),
    })
    app = Litestar(
        route_handlers=route_handlers(),
        exception_handlers=HANDLERS,
        middleware=[request_id_middleware, PROMETHEUS.middleware],
        before_send=[echo_request_id, count_unrouted],
        state=state,
        request_max_body_size=MAX_JSON_BODY,
        cors_config=CORSConfig(allow_origins=cors_origins, expose_headers=EXPOSED_HEADERS)
        if cors_origins else None,
        openapi_config=openapi_config(),
        lifespan=list(lifespan),
        logging_config=None,  # the process configures logging once (ss_adapters.observability)
        debug=debug,
    )
    complete_openapi(app)
    return app
