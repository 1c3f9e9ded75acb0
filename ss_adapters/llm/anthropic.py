"""``AnthropicLLM``: the messages wire format (``POST {base_url}/v1/messages``).

The schema becomes the ``input_schema`` of one tool that the model is forced to call
(``tool_choice`` names it); the tool call's input is the answer. A rejected answer is sent
back as an ``is_error`` tool result carrying the validation errors.
"""

from __future__ import annotations

import random
from typing import Any

import httpx

from ss_adapters.llm.http_llm import HttpStructuredLLM
from ss_adapters.llm.settings import LLMSettings
from ss_adapters.llm.structured import Candidate, schema_name
from ss_adapters.llm.transport import Sleep
from ss_core.ports.llm import StructuredRequest


class MessagesWire:
    """Request and response shapes of ``/v1/messages`` with a forced tool call."""

    usage_keys: tuple[str, ...] = ("input_tokens", "output_tokens")

    def __init__(self, settings: LLMSettings) -> None:
        self._settings = settings

    def url(self) -> str:
        return f"{self._settings.base_url}/v1/messages"

    def headers(self) -> dict[str, str]:
        headers = {
            "content-type": "application/json",
            "accept": "application/json",
            "anthropic-version": self._settings.anthropic_version,
        }
        if self._settings.api_key:
            headers["x-api-key"] = self._settings.api_key
        return headers

    def first_messages(self, request: StructuredRequest) -> list[dict[str, Any]]:
        return [{"role": "user", "content": request.prompt}]

    def body(self, request: StructuredRequest, messages: list[dict[str, Any]]) -> dict[str, Any]:
        name = schema_name(request)
        instruction = (
            f"Give your answer by calling the tool {name} exactly once; its input must "
            "validate against the tool's input schema."
        )
        system = f"{request.system.rstrip()}\n\n{instruction}" if request.system else instruction
        return {
            "model": self._settings.model,
            "max_tokens": request.max_tokens,
            "temperature": request.temperature,
            "system": system,
            "messages": messages,
            "tools": [
                {
                    "name": name,
                    "description": f"Record the structured answer for {request.operation}.",
                    "input_schema": request.schema,
                }
            ],
            "tool_choice": {"type": "tool", "name": name},
        }

    def candidate(self, request: StructuredRequest, body: dict[str, Any]) -> Candidate:
        blocks = body.get("content")
        if not isinstance(blocks, list):
            return Candidate(None, "the response has no content blocks")
        if body.get("stop_reason") == "max_tokens":
            return Candidate(None, "the answer was cut off at max_tokens before it was complete")
        name = schema_name(request)
        texts: list[str] = []
        for block in blocks:
            if not isinstance(block, dict):
                continue
            if block.get("type") == "tool_use" and block.get("name") == name:
                tool_input = block.get("input")
                if isinstance(tool_input, dict):
                    return Candidate(tool_input)
                return Candidate(None, f"the {name} tool input is not an object")
            if block.get("type") == "text" and isinstance(block.get("text"), str):
                texts.append(block["text"])
        if texts:
            return Candidate("\n".join(texts))
        return Candidate(None, f"the answer did not call the tool {name}")

    def repair_messages(
        self, messages: list[dict[str, Any]], body: dict[str, Any], feedback: str
    ) -> list[dict[str, Any]]:
        content = body.get("content")
        blocks: list[Any] = content if isinstance(content, list) else []
        tool_ids = [
            block["id"] for block in blocks
            if isinstance(block, dict) and block.get("type") == "tool_use" and "id" in block
        ]
        assistant = {"role": "assistant", "content": blocks or [{"type": "text", "text": ""}]}
        if tool_ids:
            reply: list[dict[str, Any]] = [
                {"type": "tool_result", "tool_use_id": tool_id, "is_error": True,
                 "content": feedback}
                for tool_id in tool_ids
            ]
            return [*messages, assistant, {"role": "user", "content": reply}]
        return [*messages, assistant, {"role": "user", "content": feedback}]


class AnthropicLLM(HttpStructuredLLM):
    """The ``LLM`` port over the messages API (see module docstring)."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        http_client: httpx.AsyncClient | None = None,
        sleep: Sleep | None = None,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(settings, MessagesWire(settings), http_client=http_client, sleep=sleep,
                         rng=rng)

    async def probe(self) -> None:
        """GET ``/v1/models``: proves the endpoint answers and accepts the key."""
        await self._exchange.send(
            "GET", f"{self._settings.base_url}/v1/models", headers=self._wire.headers(),
            body=None, log=self._log("probe"),
        )


