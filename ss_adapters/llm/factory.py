"""``build_llm``: the one place that turns ``LLMSettings`` into an ``LLM`` adapter."""

from __future__ import annotations

import httpx

from ss_adapters.llm.anthropic import AnthropicLLM
from ss_adapters.llm.openai_compatible import OpenAICompatibleLLM
from ss_adapters.llm.settings import LLMSettings


def build_llm(
    settings: LLMSettings, http_client: httpx.AsyncClient | None = None
) -> OpenAICompatibleLLM | AnthropicLLM:
    """The adapter for the settings' wire format. Without ``http_client`` the adapter owns
    its own client; close it with ``aclose()``."""
    if settings.wire == "anthropic":
        return AnthropicLLM(settings, http_client=http_client)
    return OpenAICompatibleLLM(settings, http_client=http_client)
