"""What every implementation of the ``LLM`` port promises on a well-behaved provider, as one
reusable check (run against the real adapters here; an in-process double can run it too)."""

from __future__ import annotations

from jsonschema import Draft202012Validator

from ss_core.ports.llm import LLM, LLMTrace, StructuredAnswer, StructuredRequest

CONTRACT_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["method", "outcome", "controls"],
    "properties": {
        "method": {"type": "string", "enum": ["ols", "logit"]},
        "outcome": {"type": "string", "enum": ["wage", "hours"]},
        "controls": {"type": "array", "items": {"type": "string", "enum": ["educ", "age"]},
                     "maxItems": 2},
    },
}

CONTRACT_REQUEST = StructuredRequest(
    operation="contract", system="You choose a regression for a dataset.",
    prompt="Explain wage with education and age.", schema=CONTRACT_SCHEMA,
    schema_name="contract_answer", max_tokens=128,
)


async def assert_honours_llm_contract(llm: LLM) -> StructuredAnswer:
    assert isinstance(llm.provider, str) and llm.provider
    assert isinstance(llm.model, str) and llm.model
    await llm.probe()
    answer = await llm.complete_json(CONTRACT_REQUEST)
    assert isinstance(answer, StructuredAnswer)
    Draft202012Validator(CONTRACT_SCHEMA).validate(answer.data)
    assert answer.provider == llm.provider
    assert isinstance(answer.model, str) and answer.model
    assert answer.traces, "every call leaves at least one trace"
    assert all(isinstance(trace, LLMTrace) for trace in answer.traces)
    assert [trace.attempt for trace in answer.traces] == list(range(1, len(answer.traces) + 1))
    assert {trace.operation for trace in answer.traces} == {"contract"}
    assert answer.traces[-1].status == "ok"
    return answer
