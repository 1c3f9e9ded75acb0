"""An LLM double for core tests: answers any structured request from its JSON Schema.

Roles are filled from a scripted mapping (only if the column is in the schema's enum), enum
fields take the scripted or first value, strings get a short text. Every call is recorded.
"""

from __future__ import annotations

from typing import Any

import jsonschema

from ss_core.errors import LLMError
from ss_core.ports.llm import LLMTrace, StructuredAnswer, StructuredRequest


class SchemaLLM:
    provider = "test-double"
    model = "schema-llm-1"

    def __init__(self, roles: dict[str, Any] | None = None,
                 choose: str | None = None, fail_with: str | None = None) -> None:
        self.roles = roles or {}
        self.choose = choose
        self.fail_with = fail_with
        self.goal = "estimate the effect"
        self.calls: list[StructuredRequest] = []
        self.interpretations: list[dict[str, Any]] = []  # answers to "interpret", in order

    async def probe(self) -> None:
        return None

    def _answer(self, request: StructuredRequest) -> dict[str, Any]:
        props = request.schema["properties"]
        if "findings" in props:
            if self.interpretations:
                return self.interpretations.pop(0)
            return {"findings": [{"text": "The results are in the tables above.",
                                  "citations": []}], "caveats": [], "next_steps": []}
        if "template_id" in props:
            ids = props["template_id"]["enum"]
            return {"template_id": self.choose if self.choose in ids else ids[0],
                    "confidence": 0.8, "rationale": "best fit for the request"}
        roles = {}
        for name, spec in props["roles"]["properties"].items():
            value = self.roles.get(name)
            roles[name] = value if value is not None else (
                [] if spec.get("type") == "array" else None)
        return {"goal": self.goal, "analysis_type": "other",
                "draft_text": "A regression as requested.", "roles": roles, "questions": []}

    async def complete_json(self, request: StructuredRequest) -> StructuredAnswer:
        self.calls.append(request)
        trace = LLMTrace(operation=request.operation, provider=self.provider, model=self.model,
                         attempt=1, request={"prompt": request.prompt[:200]}, response=None,
                         status="ok", latency_ms=1.0)
        if self.fail_with:
            raise LLMError("scripted failure", code=self.fail_with, traces=[])
        data = self._answer(request)
        jsonschema.validate(data, request.schema)
        return StructuredAnswer(data=data, model=self.model, provider=self.provider,
                                traces=(trace,))
