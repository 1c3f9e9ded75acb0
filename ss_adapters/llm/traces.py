"""The trace log of one LLM operation: one ``LLMTrace`` per HTTP attempt, secrets redacted.

The transport appends a trace for every attempt; the structured loop later marks an attempt
whose answer failed validation as ``invalid``. Errors carry the log as builtins.
"""

from __future__ import annotations

from typing import Any

import msgspec

from ss_adapters.llm.redaction import Redactor
from ss_core.ports.llm import LLMTrace

MAX_TEXT_CHARS = 200_000


class TraceLog:
    """Collects the traces of one operation (a ``complete_json`` call or a probe)."""

    def __init__(self, *, operation: str, provider: str, model: str, redactor: Redactor) -> None:
        self.operation = operation
        self.provider = provider
        self.model = model
        self._redactor = redactor
        self._traces: list[LLMTrace] = []

    @property
    def attempts(self) -> int:
        return len(self._traces)

    def record(
        self,
        *,
        request: dict[str, Any],
        response: Any,
        status: str,
        latency_ms: float,
        usage: dict[str, int] | None = None,
        error: str | None = None,
    ) -> None:
        self._traces.append(
            LLMTrace(
                operation=self.operation,
                provider=self.provider,
                model=self.model,
                attempt=len(self._traces) + 1,
                request=self._redactor.value(request),
                response=_as_mapping(self._redactor.value(response)),
                status=status,
                latency_ms=round(latency_ms, 3),
                usage=usage or {},
                error=self._redactor.text(error) if error else None,
            )
        )

    def mark_last_invalid(self, error: str) -> None:
        """The last attempt answered, but its answer failed parsing or validation."""
        if self._traces:
            last = self._traces[-1]
            self._traces[-1] = msgspec.structs.replace(
                last, status="invalid", error=self._redactor.text(error)
            )

    def traces(self) -> tuple[LLMTrace, ...]:
        return tuple(self._traces)

    def as_builtins(self) -> list[dict[str, Any]]:
        built: list[dict[str, Any]] = msgspec.to_builtins(self._traces)
        return built


def _as_mapping(response: Any) -> dict[str, Any] | None:
    if response is None:
        return None
    if isinstance(response, dict):
        return response
    text = response if isinstance(response, str) else repr(response)
    return {"text": text[:MAX_TEXT_CHARS]}


def usage_of(body: Any, *keys: str) -> dict[str, int]:
    """Token counts under ``body["usage"]`` for the given keys (absent keys are skipped)."""
    usage = body.get("usage") if isinstance(body, dict) else None
    if not isinstance(usage, dict):
        return {}
    return {key: usage[key] for key in keys if isinstance(usage.get(key), int)}
