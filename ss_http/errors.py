"""One exception handler: every failure becomes ``{"error_code", "message", ...context}``
(an ``SSError`` through ``ss_http.error_body``).

No traceback, exception text of unexpected errors or host path ever reaches a client; the
unexpected ones are logged with the request id.
"""

from __future__ import annotations

import re
from typing import Any

import structlog
from litestar import Request, Response
from litestar.exceptions import (
    HTTPException,
    MethodNotAllowedException,
    NotFoundException,
    ValidationException,
)

from ss_core.errors import SSError
from ss_http.disclosure import public_body
from ss_http.error_body import body_of
from ss_http.overload import out_of_descriptors
from ss_http.public_codes import public_fields
from ss_http.request_id import ensure_request_id

log = structlog.get_logger("ss.http")


def _response(request: Request[Any, Any, Any], status: int, body: dict[str, Any],
              headers: dict[str, str] | None = None) -> Response[dict[str, Any]]:
    body.setdefault("request_id", ensure_request_id(request.scope))
    if isinstance(body.get("error_code"), str):
        body.update(public_fields(body["error_code"], status))
    return Response(content=body, status_code=status, headers=headers,
                    media_type="application/json")


def ss_error(request: Request[Any, Any, Any], exc: SSError) -> Response[dict[str, Any]]:
    wait = exc.context.get("retry_after_seconds", 5)
    headers = {"Retry-After": str(wait)} if exc.status in (429, 503) else None
    if exc.status >= 500:
        log.warning("ss_error", error_code=exc.error_code, path=request.url.path,
                    message=exc.message[:500],
                    request_id=request.scope.get("state", {}).get("request_id"))
    job_id = (request.scope.get("path_params") or {}).get("job_id")
    body = body_of(exc, job_id=job_id if isinstance(job_id, str) else None)
    return _response(request, exc.status, public_body(body), headers)


_MISSING_FIELD = re.compile(r"missing required field `([^`]+)`")
_MISSING_PARAM = re.compile(r"Missing required \w+ parameter '([^']+)'")
_AT_PATH = re.compile(r" - at `\$\.?([^`]*)`$")


def _field_error(item: dict[str, Any]) -> dict[str, str]:
    """One problem, named by the body field it is about (never the handler's ``data``)."""
    key, message = str(item.get("key", "")), str(item.get("message", ""))
    if key != "data":
        return {"field": key, "message": message}
    missing = _MISSING_FIELD.search(message)
    if missing:
        return {"field": missing.group(1), "message": f"{missing.group(1)} is required"}
    at = _AT_PATH.search(message)
    if at and at.group(1):
        return {"field": at.group(1), "message": message[:at.start()]}
    if message.strip("'") == "data":  # no body at all, or JSON null
        return {"field": "body", "message": "a JSON object body is required"}
    return {"field": "body", "message": message}


def validation(request: Request[Any, Any, Any], exc: ValidationException) -> Response[Any]:
    extra = exc.extra if isinstance(exc.extra, list) else []
    errors = [_field_error(e) for e in extra if isinstance(e, dict)]
    param = _MISSING_PARAM.search(exc.detail or "")
    if not errors and param:
        errors = [{"field": param.group(1), "message": f"{param.group(1)} is required"}]
    summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
    return _response(request, 400, {
        "error_code": "INPUT_VALIDATION_FAILED",
        "message": "the request is invalid: " + (summary or exc.detail or "validation failed"),
        "fields": [e["field"] for e in errors], "errors": errors,
        "retryable": False})


def http_error(request: Request[Any, Any, Any], exc: HTTPException) -> Response[Any]:
    extra: dict[str, Any] = {}
    if isinstance(exc, NotFoundException):
        code, message = "API_NOT_FOUND", "no such route"
    elif isinstance(exc, MethodNotAllowedException):
        code, message = "API_METHOD_NOT_ALLOWED", "method not allowed on this route"
    elif exc.status_code == 413:
        code, message = "PAYLOAD_TOO_LARGE", "the request body is too large"
    elif exc.status_code == 400:
        code, message = "INPUT_VALIDATION_FAILED", str(exc.detail)[:300]
        extra = {"fields": ["body"], "errors": [{"field": "body", "message": message}]}
    elif exc.status_code == 429:
        code, message = "RATE_LIMITED", "too many requests"
    else:
        code, message = "SERVICE_INTERNAL_ERROR", "unexpected failure"
    return _response(request, exc.status_code, {"error_code": code, "message": message,
                                                "retryable": exc.status_code in (429, 503),
                                                **extra},
                     dict(exc.headers or {}) or None)


def unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    log.exception("unexpected_error", path=request.url.path,
                  request_id=request.scope.get("state", {}).get("request_id"))
    return _response(request, 500, {"error_code": "SERVICE_INTERNAL_ERROR",
                                     "message": "unexpected failure; see the server log with "
                                                "this request id", "retryable": True})


def os_error(request: Request[Any, Any, Any], exc: OSError) -> Response[Any]:
    """Descriptor exhaustion is an overload (503, retry); any other OS error is unexpected."""
    overloaded = out_of_descriptors(exc)
    return ss_error(request, overloaded) if overloaded else unexpected(request, exc)


def too_deep(request: Request[Any, Any, Any], exc: RecursionError) -> Response[Any]:
    """A JSON body nested past the decoder's depth limit is the client's error, not ours."""
    if "deserializing" not in str(exc):
        return unexpected(request, exc)
    return _response(request, 400, {
        "error_code": "INPUT_VALIDATION_FAILED",
        "message": "the JSON body is nested too deeply", "fields": ["body"],
        "retryable": False})


HANDLERS: dict[Any, Any] = {
    SSError: ss_error,
    ValidationException: validation,
    HTTPException: http_error,
    RecursionError: too_deep,
    OSError: os_error,
    Exception: unexpected,
}
