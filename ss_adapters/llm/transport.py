"""One HTTP exchange with an LLM provider: timeouts, bounded retries, a concurrency limit,
and a trace for every attempt.

Retried: connection errors, timeouts and HTTP 408/429/500/502/503/504/529 (honouring
``Retry-After``). Not retried: every other 4xx, and an answer larger than
``SS_LLM_MAX_RESPONSE_BYTES`` (read while it streams in, never buffered whole). An answer
nested too deeply to decode is an invalid answer, not a crash. Failures become ``LLMError``
with code ``LLM_CALL_FAILED`` or ``LLM_TIMEOUT`` and context naming provider, model, status
and attempts.
"""

from __future__ import annotations

import asyncio
import json
import random
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import msgspec

from ss_adapters.llm.backoff import Backoff, parse_retry_after
from ss_adapters.llm.redaction import Redactor
from ss_adapters.llm.settings import LLMSettings
from ss_adapters.llm.traces import TraceLog, usage_of
from ss_core.errors import LLMError

RETRYABLE_STATUS = frozenset({408, 429, 500, 502, 503, 504, 529})
MAX_ERROR_TEXT = 500

Sleep = Callable[[float], Awaitable[None]]


class Failure(msgspec.Struct, frozen=True, kw_only=True):
    """What went wrong on one attempt, kept to build the final error."""

    kind: str  # http | timeout | connection
    detail: str
    status: int | None = None
    provider_message: str | None = None
    retry_after_s: float | None = None


class HttpExchange:
    """Sends one request (retrying as allowed) and returns the provider's JSON body."""

    def __init__(
        self,
        *,
        settings: LLMSettings,
        client: httpx.AsyncClient,
        redactor: Redactor,
        sleep: Sleep = asyncio.sleep,
        rng: random.Random | None = None,
    ) -> None:
        self._settings = settings
        self._client = client
        self._redactor = redactor
        self._sleep = sleep
        self._rng = rng or random.Random()  # jitter only; not security relevant
        self._limit = asyncio.Semaphore(settings.max_concurrent)
        self._timeout = httpx.Timeout(settings.timeout_s, connect=settings.connect_timeout_s)
        self._backoff = Backoff(
            base_s=settings.backoff_base_s,
            max_s=settings.backoff_max_s,
            retry_after_max_s=settings.retry_after_max_s,
        )

    async def send(
        self,
        method: str,
        url: str,
        *,
        headers: dict[str, str],
        body: dict[str, Any] | None,
        log: TraceLog,
        usage_keys: tuple[str, ...] = (),
    ) -> dict[str, Any]:
        traced_request = {  # archived for the job's owner: the path only, not the host
            "method": method,
            "url": httpx.URL(url).path,
            "headers": self._redactor.headers(headers.items()),
            "body": body,
        }
        failure: Failure | None = None
        for retry_index in range(self._settings.max_retries + 1):
            if failure is not None:
                delay = self._backoff.delay(retry_index - 1, failure.retry_after_s, self._rng)
                await self._sleep(delay)
            outcome = await self._attempt(
                method, url, headers, body, log, traced_request, usage_keys
            )
            if isinstance(outcome, dict):
                return outcome
            failure = outcome
            if failure.kind == "http" and failure.status not in RETRYABLE_STATUS:
                break
        assert failure is not None
        raise self._error(failure, url, log)

    async def _attempt(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: dict[str, Any] | None,
        log: TraceLog,
        traced_request: dict[str, Any],
        usage_keys: tuple[str, ...],
    ) -> dict[str, Any] | Failure:
        started = time.perf_counter()
        try:
            async with self._limit:
                started = time.perf_counter()
                request = self._client.build_request(
                    method, url, headers=headers, json=body, timeout=self._timeout)
                response = await self._client.send(request, stream=True)
                try:
                    content = await _bounded_body(response, self._settings.max_response_bytes)
                finally:
                    await response.aclose()
        except httpx.TimeoutException as exc:
            return self._transport_failure("timeout", exc, log, traced_request, started)
        except httpx.RequestError as exc:  # connect/read/write/protocol errors
            return self._transport_failure("connection", exc, log, traced_request, started)
        latency_ms = (time.perf_counter() - started) * 1000
        if content is None:
            detail = (f"the answer is larger than {self._settings.max_response_bytes} bytes "
                      "(SS_LLM_MAX_RESPONSE_BYTES)")
            log.record(request=traced_request, response=None, status="error",
                       latency_ms=latency_ms, error=detail)
            return Failure(kind="http", detail=detail, status=response.status_code,
                           provider_message=detail)
        parsed = _json_or_text(content)
        usage = usage_of(parsed, *usage_keys)
        if response.is_success and isinstance(parsed, dict):
            log.record(request=traced_request, response=parsed, status="ok",
                       latency_ms=latency_ms, usage=usage)
            return parsed
        message = _provider_message(parsed)
        if response.is_success:
            message = "the response body is not a JSON object"
        detail = f"HTTP {response.status_code}: {message}"
        log.record(request=traced_request, response=parsed, status="error",
                   latency_ms=latency_ms, usage=usage, error=detail)
        return Failure(
            kind="http",
            detail=self._redactor.text(detail),
            status=response.status_code,
            provider_message=self._redactor.text(message),
            retry_after_s=parse_retry_after(response.headers.get("retry-after")),
        )

    def _transport_failure(
        self,
        kind: str,
        exc: httpx.RequestError,
        log: TraceLog,
        traced_request: dict[str, Any],
        started: float,
    ) -> Failure:
        detail = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        log.record(request=traced_request, response=None, status="error",
                   latency_ms=(time.perf_counter() - started) * 1000, error=detail)
        return Failure(kind=kind, detail=self._redactor.text(detail))

    def _error(self, failure: Failure, url: str, log: TraceLog) -> LLMError:
        settings = self._settings
        context: dict[str, Any] = {
            "provider": settings.provider,
            "model": settings.model,
            "upstream_status": failure.status,
            "attempts": log.attempts,
            "url": self._redactor.text(url),
            "operation": log.operation,
            "traces": log.as_builtins(),
        }
        who = f"The LLM provider {settings.provider!r} ({settings.base_url})"
        if failure.kind == "timeout":
            return LLMError(
                f"{who} did not answer within {settings.timeout_s:g} s "
                f"({log.attempts} attempts); raise SS_LLM_TIMEOUT or check the server load.",
                code="LLM_TIMEOUT", **context,
            )
        if failure.kind == "connection":
            return LLMError(
                f"{who} could not be reached after {log.attempts} attempts ({failure.detail}); "
                "check SS_LLM_BASE_URL and that the server is running.",
                code="LLM_CALL_FAILED", **context,
            )
        status = failure.status or 0
        if status in RETRYABLE_STATUS:
            return LLMError(
                f"{who} kept failing: HTTP {status} after {log.attempts} attempts; "
                "retry later or raise SS_LLM_MAX_RETRIES.",
                code="LLM_CALL_FAILED", **context,
            )
        context["provider_message"] = (failure.provider_message or "")[:MAX_ERROR_TEXT]
        if status in (401, 403):
            hint = "check SS_LLM_API_KEY (and that SS_LLM_BASE_URL is the intended service)"
            return LLMError(
                f"{who} rejected the credentials (HTTP {status}); {hint}.",
                code="LLM_CALL_FAILED", retryable=False, **context,
            )
        if 200 <= status < 300:
            return LLMError(
                f"{who} answered {failure.detail[:MAX_ERROR_TEXT]}; check that "
                "SS_LLM_BASE_URL points at the API itself (not a proxy or web page).",
                code="LLM_CALL_FAILED", retryable=False, **context,
            )
        hint = "check SS_LLM_BASE_URL and SS_LLM_MODEL" if status == 404 else (
            "check SS_LLM_MODEL and SS_LLM_JSON_MODE (the server may not support the "
            "requested structured-output mode)"
        )
        return LLMError(
            f"{who} rejected the request ({failure.detail[:MAX_ERROR_TEXT]}); {hint}.",
            code="LLM_CALL_FAILED", retryable=False, **context,
        )


async def _bounded_body(response: httpx.Response, limit: int) -> bytes | None:
    """The body, or ``None`` as soon as it passes ``limit`` bytes."""
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


def _json_or_text(content: bytes) -> Any:
    try:
        return json.loads(content)
    except (ValueError, RecursionError):  # not JSON, or nested past the decoder's depth
        return content.decode("utf-8", errors="replace")


def _provider_message(parsed: Any) -> str:
    if isinstance(parsed, dict):
        error = parsed.get("error")
        if isinstance(error, dict) and isinstance(error.get("message"), str):
            return str(error["message"])
        if isinstance(error, str):
            return error
        if isinstance(parsed.get("message"), str):
            return str(parsed["message"])
    text = parsed if isinstance(parsed, str) else repr(parsed)
    return text[:MAX_ERROR_TEXT] or "(empty body)"
