"""The LLM port: one structured JSON answer to a prompt, validated against a JSON Schema."""

from __future__ import annotations

from typing import Any, Protocol

import msgspec


class StructuredRequest(msgspec.Struct, frozen=True, kw_only=True):
    """``operation`` names the use (draft, select) for traces; ``schema`` is a JSON Schema
    (closed sets such as candidate ids or column names are enums in it)."""

    operation: str
    system: str
    prompt: str
    schema: dict[str, Any]
    schema_name: str
    max_tokens: int = 1024
    temperature: float = 0.0


class LLMTrace(msgspec.Struct, frozen=True, kw_only=True):
    """One call, for archiving as a job artifact (secrets already redacted)."""

    operation: str
    provider: str
    model: str
    attempt: int
    request: dict[str, Any]
    response: dict[str, Any] | None
    status: str  # ok | invalid | error
    latency_ms: float
    usage: dict[str, int] = msgspec.field(default_factory=dict)
    error: str | None = None


class StructuredAnswer(msgspec.Struct, frozen=True, kw_only=True):
    data: dict[str, Any]
    model: str
    provider: str
    traces: tuple[LLMTrace, ...]


class LLM(Protocol):
    """A real language model provider.

    ``complete_json`` returns data that validates against ``request.schema``; after a bounded
    number of invalid answers it raises ``LLM_RESPONSE_INVALID``; transport failures raise
    ``LLM_CALL_FAILED`` / ``LLM_TIMEOUT``. Raised errors carry ``traces`` in their context.
    """

    @property
    def provider(self) -> str: ...

    @property
    def model(self) -> str: ...

    async def complete_json(self, request: StructuredRequest) -> StructuredAnswer: ...

    async def probe(self) -> None:
        """Prove the endpoint answers; raise ``LLM_CALL_FAILED``/``LLM_NOT_CONFIGURED``."""
        ...
