"""HTTP client for the audit: one request id per call, every exchange kept as evidence."""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

REQUEST_ID_HEADER = "X-SS-Request-Id"


@dataclass(frozen=True)
class Exchange:
    """One request and the facts of its answer (never a token or a body with secrets)."""

    method: str
    path: str
    status: int
    request_id: str
    echoed_request_id: str | None
    error_code: str | None
    elapsed_ms: float

    def as_dict(self) -> dict[str, Any]:
        return {"method": self.method, "path": self.path, "status": self.status,
                "request_id": self.request_id, "echoed_request_id": self.echoed_request_id,
                "error_code": self.error_code, "elapsed_ms": round(self.elapsed_ms, 1)}


@dataclass
class Answer:
    """A response with its exchange record; ``json()`` is ``{}`` for a body that is not JSON."""

    response: httpx.Response
    exchange: Exchange

    @property
    def status(self) -> int:
        return self.response.status_code

    def json(self) -> dict[str, Any]:
        try:
            body = self.response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            return {}
        return body if isinstance(body, dict) else {"items": body}


@dataclass
class AuditClient:
    """Sends every request with a fresh ``X-SS-Request-Id`` and records the exchange."""

    base_url: str
    timeout: float = 30.0
    run_tag: str = field(default_factory=lambda: f"{int(time.time()):x}")
    exchanges: list[Exchange] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._http = httpx.Client(base_url=self.base_url.rstrip("/"), timeout=self.timeout,
                                  follow_redirects=False)
        self._counter = 0

    def close(self) -> None:
        self._http.close()

    def _next_id(self) -> str:
        self._counter += 1
        return f"audit-{self.run_tag}-{self._counter:04d}"

    def call(self, method: str, path: str, *, token: str | None = None,
             headers: dict[str, str] | None = None, **kwargs: Any) -> Answer:
        """Send one request; ``token`` becomes ``Authorization: Bearer <token>``."""
        request_id = self._next_id()
        sent = {REQUEST_ID_HEADER: request_id, **(headers or {})}
        if token is not None:
            sent["Authorization"] = f"Bearer {token}"
        started = time.perf_counter()
        response = self._http.request(method, path, headers=sent, **kwargs)
        elapsed = (time.perf_counter() - started) * 1000
        error_code = None
        if response.status_code >= 400 and "json" in response.headers.get("content-type", ""):
            try:
                body = response.json()
            except (json.JSONDecodeError, UnicodeDecodeError):
                body = {}
            error_code = body.get("error_code") if isinstance(body, dict) else None
        exchange = Exchange(method=method, path=path, status=response.status_code,
                            request_id=request_id,
                            echoed_request_id=response.headers.get(REQUEST_ID_HEADER),
                            error_code=error_code, elapsed_ms=elapsed)
        self.exchanges.append(exchange)
        return Answer(response, exchange)
