"""``OpenAICompatibleLLM``: the chat-completions wire format (hosted services, local
inference servers and gateways that speak ``POST {base_url}/chat/completions``).

The structured-output mode follows ``SS_LLM_JSON_MODE``: ``json_schema`` sends the schema as
a ``response_format``, strict when ``SS_LLM_JSON_STRICT`` allows and the schema fits strict
mode (every object closed and listing all its properties as required); ``json_object`` asks
only for a JSON object (with the schema too, for grammar-constrained servers); ``none`` sends
no ``response_format``. The system prompt always states the schema too.
"""

from __future__ import annotations

import random
from typing import Any

import httpx

from ss_adapters.llm.http_llm import HttpStructuredLLM
from ss_adapters.llm.settings import LLMSettings
from ss_adapters.llm.structured import (
    Candidate,
    schema_name,
    schema_text,
)
from ss_adapters.llm.transport import Sleep
from ss_core.errors import LLMNotConfigured
from ss_core.ports.llm import StructuredRequest

# Single-model servers that answer to any model name: a missing name in /models is fine there.
ANY_MODEL_NAME_PROVIDERS = frozenset({"llamacpp", "openai_compatible"})


class ChatCompletionsWire:
    """Request and response shapes of ``/chat/completions``."""

    usage_keys: tuple[str, ...] = ("prompt_tokens", "completion_tokens", "total_tokens")

    def __init__(self, settings: LLMSettings) -> None:
        self._settings = settings

    def url(self) -> str:
        return f"{self._settings.base_url}/chat/completions"

    def headers(self) -> dict[str, str]:
        headers = {"content-type": "application/json", "accept": "application/json"}
        if self._settings.api_key:
            headers["authorization"] = f"Bearer {self._settings.api_key}"
        return headers

    def first_messages(self, request: StructuredRequest) -> list[dict[str, Any]]:
        instruction = (
            "Answer with one JSON object only (no prose, no code fences) that validates "
            f"against this JSON Schema named {schema_name(request)}:\n"
            f"```json\n{schema_text(request)}\n```"
        )
        system = f"{request.system.rstrip()}\n\n{instruction}" if request.system else instruction
        return [
            {"role": "system", "content": system},
            {"role": "user", "content": request.prompt},
        ]

    def body(self, request: StructuredRequest, messages: list[dict[str, Any]]) -> dict[str, Any]:
        body: dict[str, Any] = {
            "model": self._settings.model,
            "messages": messages,
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
        }
        mode = self._settings.json_mode
        if mode == "json_schema":
            body["response_format"] = {
                "type": "json_schema",
                "json_schema": {
                    "name": schema_name(request),
                    "schema": request.schema,
                    "strict": self._settings.json_strict and fits_strict_mode(request.schema),
                },
            }
        elif mode == "json_object":
            body["response_format"] = {"type": "json_object"}
            if self._settings.schema_in_json_object:
                body["response_format"]["schema"] = request.schema
        return body

    def candidate(self, request: StructuredRequest, body: dict[str, Any]) -> Candidate:
        choices = body.get("choices")
        if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
            return Candidate(None, "the response has no choices")
        choice = choices[0]
        message = choice.get("message")
        if not isinstance(message, dict):
            message = {}
        if choice.get("finish_reason") == "length":
            return Candidate(None, "the answer was cut off at max_tokens before it was complete")
        content = message.get("content")
        if isinstance(content, str) and content.strip():
            return Candidate(content)
        refusal = message.get("refusal")
        if isinstance(refusal, str) and refusal:
            return Candidate(None, f"the model refused: {refusal}")
        return Candidate(None, "the answer has no content")

    def repair_messages(
        self, messages: list[dict[str, Any]], body: dict[str, Any], feedback: str
    ) -> list[dict[str, Any]]:
        previous = ""
        choices = body.get("choices")
        if isinstance(choices, list) and choices and isinstance(choices[0], dict):
            message = choices[0].get("message")
            if isinstance(message, dict) and isinstance(message.get("content"), str):
                previous = message["content"]
        return [
            *messages,
            {"role": "assistant", "content": previous},
            {"role": "user", "content": feedback},
        ]


class OpenAICompatibleLLM(HttpStructuredLLM):
    """The ``LLM`` port over ``/chat/completions`` (see module docstring)."""

    def __init__(
        self,
        settings: LLMSettings,
        *,
        http_client: httpx.AsyncClient | None = None,
        sleep: Sleep | None = None,
        rng: random.Random | None = None,
    ) -> None:
        super().__init__(settings, ChatCompletionsWire(settings), http_client=http_client,
                         sleep=sleep, rng=rng)

    async def probe(self) -> None:
        """GET ``/models``: proves the endpoint answers and accepts the key; where the server
        lists the models it serves, the configured model must be one of them."""
        log = self._log("probe")
        body = await self._exchange.send(
            "GET", f"{self._settings.base_url}/models", headers=self._wire.headers(),
            body=None, log=log,
        )
        served = _model_ids(body)
        model = self._settings.model
        if (
            served
            and self.provider not in ANY_MODEL_NAME_PROVIDERS
            and model not in served
            and f"{model}:latest" not in served
        ):
            raise LLMNotConfigured(
                f"The LLM provider {self.provider!r} does not serve the model {model!r}; "
                "set SS_LLM_MODEL to one of the available models.",
                provider=self.provider,
                model=model,
                available_models=sorted(served)[:50],
                traces=log.as_builtins(),
            )




def fits_strict_mode(schema: Any) -> bool:
    """Whether every object in ``schema`` is closed (``additionalProperties: false``) and
    requires all its properties: what strict structured-output servers insist on."""
    if isinstance(schema, list):
        return all(fits_strict_mode(item) for item in schema)
    if not isinstance(schema, dict):
        return True
    kind = schema.get("type")
    is_object = kind == "object" or (isinstance(kind, list) and "object" in kind)
    properties = schema.get("properties")
    if is_object or isinstance(properties, dict):
        names = set(properties) if isinstance(properties, dict) else set()
        if schema.get("additionalProperties") is not False:
            return False
        if set(schema.get("required") or []) != names:
            return False
    nested = [schema.get(key) for key in ("items", "anyOf", "oneOf", "allOf", "prefixItems")]
    nested += list(properties.values()) if isinstance(properties, dict) else []
    for key in ("$defs", "definitions"):
        if isinstance(schema.get(key), dict):
            nested += list(schema[key].values())
    return all(fits_strict_mode(item) for item in nested if item is not None)


def _model_ids(body: dict[str, Any]) -> set[str]:
    data = body.get("data")
    if not isinstance(data, list):
        return set()
    return {str(item["id"]) for item in data if isinstance(item, dict) and "id" in item}
