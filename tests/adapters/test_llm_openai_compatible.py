"""OpenAICompatibleLLM against a real HTTP server speaking /chat/completions."""

from __future__ import annotations

import json

import msgspec
import pytest

from ss_adapters.llm import LLMSettings, OpenAICompatibleLLM, build_llm
from ss_adapters.llm.openai_compatible import fits_strict_mode
from ss_core.errors import LLMError
from tests.adapters.llm_cases import SECRET, VALID, adapter_for, selection_request
from tests.doubles.llm_server import ScriptedLLMServer, chat_completion


@pytest.fixture
def server():
    with ScriptedLLMServer() as running:
        yield running


async def test_valid_answer_is_returned_with_schema_sent_as_strict_response_format(server):
    server.enqueue_answer(VALID)
    llm = adapter_for(server)
    assert isinstance(llm, OpenAICompatibleLLM)
    answer = await llm.complete_json(selection_request())
    await llm.aclose()

    assert answer.data == VALID
    assert (answer.provider, answer.model) == ("openai_compatible", "ss-test-model")
    [sent] = server.requests
    assert (sent.method, sent.path) == ("POST", "/v1/chat/completions")
    assert sent.headers["authorization"] == f"Bearer {SECRET}"
    body = sent.body
    assert body["model"] == "ss-test-model"
    assert body["temperature"] == 0.0 and body["max_tokens"] == 1024
    fmt = body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "template_selection"
    assert fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"] == selection_request().schema
    assert fmt["json_schema"]["schema"]["properties"]["template_id"]["enum"] == [
        "ols_robust", "logit_basic"]
    system, user = body["messages"]
    assert system["role"] == "system" and '"ols_robust"' in system["content"]
    assert user == {"role": "user", "content": "Explain wage by education."}


async def test_fenced_json_answer_is_accepted(server):
    server.enqueue_answer("Here you go:\n```json\n" + json.dumps(VALID) + "\n```\n")
    llm = adapter_for(server)
    answer = await llm.complete_json(selection_request())
    assert answer.data == VALID
    assert [t.status for t in answer.traces] == ["ok"]


@pytest.mark.parametrize(("mode", "expected"), [
    ("json_object", {"type": "json_object"}),
    ("none", None),
])
async def test_json_mode_switch_changes_response_format_but_prompt_keeps_schema(
        server, mode, expected):
    server.enqueue_answer(VALID)
    llm = adapter_for(server, SS_LLM_JSON_MODE=mode)
    await llm.complete_json(selection_request())
    body = server.requests[0].body
    assert body.get("response_format") == expected
    assert '"logit_basic"' in body["messages"][0]["content"]


async def test_schema_violation_is_repaired_with_the_validation_error_fed_back(server):
    server.enqueue_answer({**VALID, "template_id": "bogus"})
    server.enqueue_answer(VALID)
    llm = adapter_for(server)
    answer = await llm.complete_json(selection_request())

    assert answer.data == VALID
    assert [t.status for t in answer.traces] == ["invalid", "ok"]
    assert "'bogus' is not one of" in answer.traces[0].error
    first, second = (r.body["messages"] for r in server.requests)
    assert second[: len(first)] == first
    assistant, feedback = second[len(first):]
    assert assistant["role"] == "assistant" and "bogus" in assistant["content"]
    assert feedback["role"] == "user"
    assert "$.template_id" in feedback["content"]
    assert "'bogus' is not one of ['ols_robust', 'logit_basic']" in feedback["content"]


async def test_malformed_json_fails_after_bounded_repairs_with_errors_and_traces(server):
    for _ in range(5):
        server.enqueue_answer('{"template_id": "ols_robust", ')
    llm = adapter_for(server, SS_LLM_MAX_REPAIRS="2")
    with pytest.raises(LLMError) as caught:
        await llm.complete_json(selection_request())

    error = caught.value
    assert error.error_code == "LLM_RESPONSE_INVALID"
    assert len(server.requests) == 3
    assert [round_["attempt"] for round_ in error.context["errors"]] == [1, 2, 3]
    assert "not valid JSON" in error.context["errors"][0]["errors"][0]
    assert [t["status"] for t in error.context["traces"]] == ["invalid"] * 3
    assert SECRET not in json.dumps(error.to_body())


async def test_truncated_answer_counts_as_invalid(server):
    server.enqueue(200, chat_completion('{"template_id": "ols', finish_reason="length"))
    server.enqueue_answer(VALID)
    answer = await adapter_for(server).complete_json(selection_request())
    assert answer.traces[0].status == "invalid"
    assert "max_tokens" in answer.traces[0].error


async def test_non_object_json_is_invalid(server):
    server.enqueue_answer("[1, 2]")
    server.enqueue_answer(VALID)
    answer = await adapter_for(server).complete_json(selection_request())
    assert "not an object" in answer.traces[0].error


async def test_traces_record_usage_model_latency_and_operation(server):
    server.enqueue_answer(VALID)
    answer = await adapter_for(server).complete_json(selection_request())
    [trace] = answer.traces
    assert trace.operation == "select" and trace.attempt == 1
    assert trace.usage == {"prompt_tokens": 11, "completion_tokens": 7, "total_tokens": 18}
    assert trace.latency_ms > 0
    assert trace.request["body"]["response_format"]["type"] == "json_schema"
    assert trace.request["headers"]["authorization"] == "[REDACTED]"
    assert SECRET not in json.dumps(msgspec.to_builtins(answer.traces))
    assert trace.response["choices"][0]["message"]["content"] == json.dumps(VALID)


async def test_probe_lists_models_with_the_key(server):
    llm = adapter_for(server)
    await llm.probe()
    [sent] = server.requests
    assert (sent.method, sent.path) == ("GET", "/v1/models")
    assert sent.headers["authorization"] == f"Bearer {SECRET}"


async def test_probe_reports_a_model_the_server_does_not_serve(server):
    env = server.env("vllm", model="missing-model")
    llm = build_llm(LLMSettings.from_env(env))
    with pytest.raises(LLMError) as caught:
        await llm.probe()
    assert caught.value.error_code == "LLM_NOT_CONFIGURED"
    assert caught.value.context["available_models"] == ["ss-test-model"]
    assert "SS_LLM_MODEL" in caught.value.message


async def test_probe_failure_is_call_failed(server):
    server.enqueue(401, {"error": {"message": "bad key"}})
    with pytest.raises(LLMError) as caught:
        await adapter_for(server).probe()
    assert caught.value.error_code == "LLM_CALL_FAILED"
    assert "SS_LLM_API_KEY" in caught.value.message


async def test_grammar_servers_get_the_schema_inside_json_object_mode(server):
    server.enqueue_answer(VALID)
    env = server.env("llamacpp", SS_LLM_BACKOFF_BASE="0.01")
    settings = LLMSettings.from_env(env)
    assert settings.json_mode == "json_object"
    await build_llm(settings).complete_json(selection_request())
    assert server.requests[0].body["response_format"] == {
        "type": "json_object", "schema": selection_request().schema}


async def test_strict_flag_is_dropped_for_schemas_strict_mode_cannot_express(server):
    open_schema = {"type": "object", "required": ["a"],
                   "properties": {"a": {"type": "string"}, "b": {"type": "string"}}}
    server.enqueue_answer({"a": "x"})
    server.enqueue_answer(VALID)
    llm = adapter_for(server)
    await llm.complete_json(selection_request(schema=open_schema))
    await llm.complete_json(selection_request())
    loose, strict = (r.body["response_format"]["json_schema"]["strict"] for r in server.requests)
    assert (loose, strict) == (False, True)


async def test_strict_can_be_switched_off(server):
    server.enqueue_answer(VALID)
    await adapter_for(server, SS_LLM_JSON_STRICT="false").complete_json(selection_request())
    assert server.requests[0].body["response_format"]["json_schema"]["strict"] is False


@pytest.mark.parametrize(("schema", "fits"), [
    ({"type": "object", "additionalProperties": False, "required": ["a"],
      "properties": {"a": {"type": "array", "items": {"$ref": "#/$defs/x"}}},
      "$defs": {"x": {"type": "object", "additionalProperties": False, "required": [],
                      "properties": {}}}}, True),
    ({"type": "object", "additionalProperties": False, "required": ["a"],
      "properties": {"a": {"anyOf": [{"type": "object", "properties": {}}]}}}, False),
    ({"type": "object", "additionalProperties": False, "required": [],
      "properties": {"a": {"type": "string"}}}, False),
    ({"type": "string", "enum": ["a"]}, True),
])
def test_strict_mode_fit_is_judged_on_every_nested_object(schema, fits):
    assert fits_strict_mode(schema) is fits
