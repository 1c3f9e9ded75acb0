"""Shared inputs for the LLM adapter tests: a request with enums, and adapters wired to the
scripted server double with fast retry settings."""

from __future__ import annotations

from ss_adapters.llm import LLMSettings, build_llm
from ss_core.ports.llm import StructuredRequest
from tests.doubles.llm_server import ScriptedLLMServer

SECRET = "sk-test-0123456789abcdefSECRET"
WIRES = ("openai_compatible", "anthropic")

SELECTION_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["template_id", "outcome", "reason"],
    "properties": {
        "template_id": {"type": "string", "enum": ["ols_robust", "logit_basic"]},
        "outcome": {"type": "string", "enum": ["wage", "hours"]},
        "reason": {"type": "string", "minLength": 1},
    },
}

VALID = {"template_id": "ols_robust", "outcome": "wage", "reason": "continuous outcome"}


def selection_request(**overrides: object) -> StructuredRequest:
    values: dict = {
        "operation": "select",
        "system": "You choose a statistical template.",
        "prompt": "Explain wage by education.",
        "schema": SELECTION_SCHEMA,
        "schema_name": "template selection",
    }
    values.update(overrides)
    return StructuredRequest(**values)


def settings_for(server: ScriptedLLMServer, provider: str = "openai_compatible",
                 **extra: str) -> LLMSettings:
    env = server.env(provider, api_key=SECRET, SS_LLM_BACKOFF_BASE="0.01",
                     SS_LLM_BACKOFF_MAX="0.05", SS_LLM_TIMEOUT="5")
    env.update(extra)
    return LLMSettings.from_env(env)


def adapter_for(server: ScriptedLLMServer, provider: str = "openai_compatible", **extra: str):
    return build_llm(settings_for(server, provider, **extra))
