"""Request ids: honour X-SS-Request-Id / X-Request-Id (if sane), else generate; echo back.

The middleware assigns the id for routed requests; the ``echo_request_id`` before-send hook
runs for every response, including those of unknown routes and wrong methods that never reach
a route's middleware, so every answer carries the header.
"""

from __future__ import annotations

import re
import secrets
from typing import Any

from litestar.datastructures import MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.types import ASGIApp, Message, Receive, Scope, Send

_SANE = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
HEADER = "X-SS-Request-Id"


def ensure_request_id(scope: Any) -> str:
    """The request's id, assigned once per request (from its headers or freshly generated)."""
    state: dict[str, Any] = scope.setdefault("state", {})
    current = state.get("request_id")
    if isinstance(current, str):
        return current
    headers = {k.decode("latin-1").lower(): v.decode("latin-1")
               for k, v in scope.get("headers", [])}
    given = headers.get("x-ss-request-id") or headers.get("x-request-id") or ""
    request_id = given if _SANE.fullmatch(given) else "req_" + secrets.token_hex(8)
    state["request_id"] = request_id
    return request_id


async def echo_request_id(message: Message, scope: Scope) -> None:
    if message["type"] == "http.response.start":
        headers = MutableScopeHeaders.from_message(message)
        if HEADER not in headers:
            headers[HEADER] = ensure_request_id(scope)


def request_id_middleware(app: ASGIApp) -> ASGIApp:
    async def middleware(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP:
            await app(scope, receive, send)
            return
        request_id = ensure_request_id(scope)

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableScopeHeaders.from_message(message)[HEADER] = request_id
            await send(message)

        await app(scope, receive, send_with_id)

    return middleware
