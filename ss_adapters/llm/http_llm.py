"""What both LLM adapters share: the HTTP client, redaction, the exchange (timeouts,
retries, concurrency), the structured answer loop and per-call trace logs. Each wire format
adds its request/response shapes and its own ``probe``."""

from __future__ import annotations

import random
from typing import Any

import httpx

from ss_adapters.llm.redaction import Redactor
from ss_adapters.llm.settings import LLMSettings
from ss_adapters.llm.structured import WireFormat, complete_structured
from ss_adapters.llm.traces import TraceLog
from ss_adapters.llm.transport import HttpExchange, Sleep
from ss_core.ports.llm import StructuredAnswer, StructuredRequest


class HttpStructuredLLM:
    """The ``LLM`` port over one HTTP wire format (subclasses choose the wire)."""

    def __init__(
        self,
        settings: LLMSettings,
        wire: WireFormat,
        *,
        http_client: httpx.AsyncClient | None = None,
        sleep: Sleep | None = None,
        rng: random.Random | None = None,
    ) -> None:
        self._settings = settings
        self._owns_client = http_client is None
        self._client = http_client or httpx.AsyncClient()
        self._redactor = Redactor([settings.api_key])
        self._wire = wire
        extra: dict[str, Any] = {"sleep": sleep} if sleep is not None else {}
        self._exchange = HttpExchange(
            settings=settings, client=self._client, redactor=self._redactor, rng=rng, **extra
        )

    @property
    def provider(self) -> str:
        return self._settings.provider

    @property
    def model(self) -> str:
        return self._settings.model

    async def complete_json(self, request: StructuredRequest) -> StructuredAnswer:
        return await complete_structured(
            wire=self._wire,
            exchange=self._exchange,
            request=request,
            log=self._log(request.operation),
            max_repairs=self._settings.max_repairs,
        )

    async def aclose(self) -> None:
        if self._owns_client:
            await self._client.aclose()

    def _log(self, operation: str) -> TraceLog:
        return TraceLog(
            operation=operation, provider=self.provider, model=self.model,
            redactor=self._redactor,
        )
