"""The LLM server double's own promises: smart default answers are schema-valid for both wire
formats, custom default responders, and schema instances for common schema shapes."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jsonschema import Draft202012Validator

from ss_adapters.llm import LLMSettings, build_llm
from tests.adapters.llm_cases import WIRES, selection_request
from tests.doubles.llm_contract import assert_honours_llm_contract
from tests.doubles.llm_schema_instance import instance_for
from tests.doubles.llm_server import Reply, ScriptedLLMServer, answer_reply

DRAFT_SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["outcome", "controls", "method", "clusters", "notes", "spec"],
    "properties": {
        "outcome": {"$ref": "#/$defs/column"},
        "controls": {"type": "array", "items": {"$ref": "#/$defs/column"}, "minItems": 2,
                     "uniqueItems": True},
        "method": {"anyOf": [{"type": "string", "enum": ["ols", "logit"]}, {"type": "null"}]},
        "clusters": {"type": "integer", "minimum": 2, "maximum": 50},
        "notes": {"type": "string", "minLength": 12, "maxLength": 40},
        "spec": {"allOf": [{"type": "object", "required": ["robust"],
                            "properties": {"robust": {"type": "boolean"}}},
                           {"required": ["level"],
                            "properties": {"level": {"type": "number", "exclusiveMinimum": 0}}}]},
        "optional": {"type": "string"},
    },
    "$defs": {"column": {"type": "string", "enum": ["wage", "educ", "age"]}},
}


def test_instances_validate_for_refs_arrays_bounds_and_combinators():
    instance = instance_for(DRAFT_SCHEMA)
    Draft202012Validator(DRAFT_SCHEMA).validate(instance)
    assert instance["outcome"] == "wage"
    assert instance["controls"] == ["wage", "educ"]
    assert "optional" not in instance


SIMPLE_PROPERTY = st.one_of(
    st.lists(st.text(min_size=1, max_size=5), min_size=1, max_size=4, unique=True).map(
        lambda values: {"type": "string", "enum": values}),
    st.integers(-5, 5).map(lambda low: {"type": "integer", "minimum": low}),
    st.integers(0, 8).map(lambda n: {"type": "string", "minLength": n}),
    st.just({"type": "boolean"}),
    st.integers(0, 3).map(lambda n: {"type": "array", "items": {"type": "number"},
                                     "minItems": n}),
)


@given(st.dictionaries(st.text(min_size=1, max_size=6), SIMPLE_PROPERTY, max_size=6))
def test_instances_of_flat_object_schemas_validate(properties):
    schema = {"type": "object", "properties": properties, "required": sorted(properties),
              "additionalProperties": False}
    Draft202012Validator(schema).validate(instance_for(schema))


@pytest.mark.parametrize("wire", WIRES)
@pytest.mark.parametrize("mode", ["json_schema", "json_object", "none"])
async def test_smart_default_answers_any_structured_request_validly(wire, mode):
    with ScriptedLLMServer() as server:
        settings = LLMSettings.from_env(server.env(wire, SS_LLM_JSON_MODE=mode))
        llm = build_llm(settings)
        answer = await llm.complete_json(selection_request(schema=DRAFT_SCHEMA))
        await llm.probe()
        await llm.aclose()
    Draft202012Validator(DRAFT_SCHEMA).validate(answer.data)
    assert [r.method for r in server.requests] == ["POST", "GET"]


async def test_a_custom_default_responder_answers_when_the_queue_is_empty():
    seen = []

    def responder(request):
        seen.append(request.path)
        if len(seen) == 1:
            return Reply(status=503, body="busy")
        return answer_reply(request, {"template_id": "logit_basic", "outcome": "hours",
                                      "reason": "binary"})

    with ScriptedLLMServer(default=responder) as server:
        settings = LLMSettings.from_env(server.env(SS_LLM_BACKOFF_BASE="0.01"))
        answer = await build_llm(settings).complete_json(selection_request())
    assert answer.data["template_id"] == "logit_basic"
    assert seen == ["/v1/chat/completions"] * 2
    assert server.requests[0].body["model"] == "ss-test-model"


@pytest.mark.parametrize("wire", WIRES)
async def test_both_adapters_honour_the_port_contract(wire):
    with ScriptedLLMServer() as server:
        llm = build_llm(LLMSettings.from_env(server.env(wire)))
        await assert_honours_llm_contract(llm)
        await llm.aclose()
