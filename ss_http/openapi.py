"""The published OpenAPI document and its documentation page, served offline.

Success schemas come from the typed answers the controllers return (``ss_http.wire``). What
the generator cannot know is completed here, each time the framework builds the document (on
the first request for it, not at start-up: the document is ~1.5 MiB of objects an API process
answering status requests has no use for): the error answer
every route really sends (``ErrorBody`` for 4XX/5XX, replacing the framework's default
validation shape, which SS never sends), the two bearer schemes (a job's token on
``/v1/jobs/**``, the admin token on ``/api/admin/**``), the multipart upload body and binary
downloads. The page at ``/openapi`` is Swagger UI loaded from files shipped inside the
package (``openapi_ui/swagger-ui``, vendored from the ``swagger-ui-dist`` npm package, licence
alongside), so it renders with no network.
"""

from __future__ import annotations

import functools
import importlib.resources
from pathlib import Path
from typing import Any

from litestar import Litestar, Router
from litestar.openapi import OpenAPIConfig
from litestar.openapi.plugins import SwaggerRenderPlugin
from litestar.openapi.spec import (
    Components,
    OpenAPI,
    OpenAPIMediaType,
    OpenAPIResponse,
    OpenAPIType,
    Operation,
    Reference,
    RequestBody,
    Schema,
    SecurityScheme,
)
from litestar.static_files import create_static_files_router

ASSETS_PATH = "/openapi/assets"
ERROR_REF = Reference(ref="#/components/schemas/ErrorBody")
JOB_TOKEN, ADMIN_TOKEN = "jobToken", "adminToken"
METHODS = ("get", "put", "post", "delete", "patch")


def ui_dir() -> Path:
    root = importlib.resources.files("ss_http") / "openapi_ui" / "swagger-ui"
    return Path(str(root))


API_VERSION = "1.0.0"  # the /v1 wire contract's version (the package has its own)


def openapi_config() -> OpenAPIConfig:
    page = SwaggerRenderPlugin(
        js_url=f"{ASSETS_PATH}/swagger-ui-bundle.js",
        standalone_preset_js_url=f"{ASSETS_PATH}/swagger-ui-standalone-preset.js",
        css_url=f"{ASSETS_PATH}/swagger-ui.css", path="/swagger",
        favicon="<link rel='icon' href='data:,'>")
    return OpenAPIConfig(
        title="SS API", version=API_VERSION, path="/openapi", render_plugins=[page],
        description="From a dataset and a plain-words request to a real, audited Stata "
                    "analysis. Every error answer is an ErrorBody; `error_code` values are "
                    "listed in docs/error-codes.md.",
        components=Components(security_schemes={
            JOB_TOKEN: SecurityScheme(
                type="http", scheme="bearer",
                description="the job token returned by POST /v1/task-codes/redeem"),
            ADMIN_TOKEN: SecurityScheme(
                type="http", scheme="bearer", description="SS_ADMIN_TOKEN"),
        }))


def assets_router() -> Router:
    static = create_static_files_router(
        path=ASSETS_PATH, directories=[ui_dir()], include_in_schema=False,
        name="openapi-assets", send_as_attachment=False)
    return Router(path="/", route_handlers=[static], include_in_schema=False)


def _error_schema() -> Schema:
    text = Schema(type=OpenAPIType.STRING)
    return Schema(
        type=OpenAPIType.OBJECT, required=["error_code", "message", "retryable"],
        properties={
            "error_code": Schema(type=OpenAPIType.STRING,
                                 description="stable machine code (docs/error-codes.md)"),
            "message": text, "retryable": Schema(type=OpenAPIType.BOOLEAN),
            "request_id": Schema(type=OpenAPIType.STRING,
                                 description="also in the X-SS-Request-Id header"),
            "public_code": Schema(type=OpenAPIType.STRING,
                                  description="short number for end users, E1001..."),
            "legacy_error_code": Schema(
                type=OpenAPIType.STRING,
                description="the code an earlier version of this API used, when different"),
        },
        additional_properties=True,
        description="An error answer. Further keys give the context: what is missing or "
                    "invalid and how to fix it.")


def _errors() -> dict[str, OpenAPIResponse]:
    body = {"application/json": OpenAPIMediaType(schema=ERROR_REF)}
    return {"4XX": OpenAPIResponse(description="the request cannot be served as sent",
                                   content=body),
            "5XX": OpenAPIResponse(description="the service or a dependency failed",
                                   content=body)}


def _upload_body() -> RequestBody:
    files = Schema(type=OpenAPIType.ARRAY,
                   items=Schema(type=OpenAPIType.STRING, content_media_type=(
                       "application/octet-stream")),
                   description="one part per dataset (.csv, .xlsx, .xls, .dta)")
    texts = Schema(type=OpenAPIType.ARRAY, items=Schema(type=OpenAPIType.STRING))
    return RequestBody(required=True, description=(
        "multipart/form-data, streamed: `file` parts (the first is the primary dataset), "
        "optional `role` and `filename` parts in the same order. The request body is "
        "limited by SS_MAX_UPLOAD_BYTES in total."),
        content={"multipart/form-data": OpenAPIMediaType(schema=Schema(
            type=OpenAPIType.OBJECT, required=["file"],
            properties={"file": files, "role": texts, "filename": texts}))})


def _untyped(media: OpenAPIMediaType) -> bool:
    return media.schema is None or media.schema == Schema()


def _describe_bytes(response: OpenAPIResponse) -> None:
    """Streams (downloads) and text answers get a byte or text schema, not an empty one."""
    content = dict(response.content or {})
    if not content or all(_untyped(m) for m in content.values()):
        if not content or "application/json" in content:  # a stream: the artifact's bytes
            content = {"application/octet-stream": OpenAPIMediaType(schema=Schema(
                type=OpenAPIType.STRING, content_media_type="application/octet-stream",
                description="the file's bytes (Content-Type is the file's own)"))}
        else:
            content = {media: OpenAPIMediaType(schema=Schema(type=OpenAPIType.STRING))
                       for media in content}
    response.content = content


def _complete(path: str, operation: Operation) -> None:
    responses: dict[str, Any] = dict(operation.responses or {})
    success = {code: r for code, r in responses.items() if str(code)[0] in "123"}
    for response in success.values():
        if isinstance(response, OpenAPIResponse):
            _describe_bytes(response)
    if path == "/health/ready":  # not ready: the same body, 503
        success["503"] = OpenAPIResponse(description="not ready: the violations are named",
                                         content=success["200"].content)
    operation.responses = {**success, **_errors()}
    if path.startswith("/v1/jobs/"):
        operation.security = [{JOB_TOKEN: []}]
    elif path.startswith("/api/admin"):
        operation.security = [{ADMIN_TOKEN: []}]
    if path.endswith("/inputs/upload"):
        operation.request_body = _upload_body()


def openapi_plugin(app: Litestar) -> Any:
    """The plugin through which Litestar builds the app's OpenAPI document (not public API:
    found by what it does)."""
    return next(p for p in app.plugins.init if hasattr(p, "provide_openapi"))


@functools.cache
def _completing(base: type) -> type:
    """``base`` (Litestar's OpenAPI plugin class), completing each document it builds."""

    class Completing(base):  # type: ignore[valid-type,misc]
        __slots__ = ()

        def _build_openapi(self) -> OpenAPI:
            openapi: OpenAPI = super()._build_openapi()
            _complete_document(openapi)
            return openapi

    return Completing


def complete_openapi(app: Litestar) -> None:
    """Have the app's OpenAPI document completed whenever the framework builds it (lazily, on
    first use; again if routes are added later). Litestar offers no hook after the build and
    creates its plugin itself, so the plugin's class is swapped for a subclass that adds no
    state (the same slots; what it already received is kept)."""
    plugin = openapi_plugin(app)
    plugin.__class__ = _completing(type(plugin))


def _complete_document(openapi: OpenAPI) -> None:
    components = openapi.components
    schemas = dict(components.schemas or {}) if components else {}
    schemas["ErrorBody"] = _error_schema()
    if components is not None:
        components.schemas = schemas
    for path, item in (openapi.paths or {}).items():
        for method in METHODS:
            operation = getattr(item, method, None)
            if operation is not None:
                _complete(path, operation)
