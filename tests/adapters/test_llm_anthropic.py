"""AnthropicLLM against a real HTTP server speaking /v1/messages with a forced tool."""

from __future__ import annotations

import json

import pytest

from ss_adapters.llm import AnthropicLLM
from ss_core.errors import LLMError
from tests.adapters.llm_cases import SECRET, VALID, adapter_for, selection_request
from tests.doubles.llm_server import ScriptedLLMServer, anthropic_message


@pytest.fixture
def server():
    with ScriptedLLMServer() as running:
        yield running


async def test_tool_input_is_the_answer_and_the_schema_is_the_forced_tool(server):
    server.enqueue_answer(VALID)
    llm = adapter_for(server, "anthropic")
    assert isinstance(llm, AnthropicLLM)
    answer = await llm.complete_json(selection_request())
    await llm.aclose()

    assert answer.data == VALID
    assert answer.provider == "anthropic"
    [sent] = server.requests
    assert (sent.method, sent.path) == ("POST", "/v1/messages")
    assert sent.headers["x-api-key"] == SECRET
    assert sent.headers["anthropic-version"] == "2023-06-01"
    assert "authorization" not in sent.headers
    body = sent.body
    assert body["model"] == "ss-test-model" and body["max_tokens"] == 1024
    [tool] = body["tools"]
    assert tool["name"] == "template_selection"
    assert tool["input_schema"] == selection_request().schema
    assert tool["input_schema"]["properties"]["outcome"]["enum"] == ["wage", "hours"]
    assert body["tool_choice"] == {"type": "tool", "name": "template_selection"}
    assert body["system"].startswith("You choose a statistical template.")
    assert body["messages"] == [{"role": "user", "content": "Explain wage by education."}]


async def test_text_answer_with_fenced_json_is_accepted(server):
    server.enqueue_answer("```json\n" + json.dumps(VALID) + "\n```")
    answer = await adapter_for(server, "anthropic").complete_json(selection_request())
    assert answer.data == VALID


async def test_invalid_tool_input_is_answered_with_an_error_tool_result(server):
    server.enqueue_answer({"template_id": "ols_robust", "outcome": "salary"})
    server.enqueue_answer(VALID)
    answer = await adapter_for(server, "anthropic").complete_json(selection_request())

    assert answer.data == VALID
    assert [t.status for t in answer.traces] == ["invalid", "ok"]
    first_reply = server.requests[0]
    second = server.requests[1].body
    assistant, user = second["messages"][1:]
    assert assistant["role"] == "assistant"
    [tool_use] = assistant["content"]
    assert tool_use["type"] == "tool_use"
    [result] = user["content"]
    assert result["type"] == "tool_result" and result["is_error"] is True
    assert result["tool_use_id"] == tool_use["id"]
    assert "'salary' is not one of ['wage', 'hours']" in result["content"]
    assert "'reason' is a required property" in result["content"]
    assert second["tool_choice"] == first_reply.body["tool_choice"]


async def test_answer_without_the_tool_call_is_invalid_then_fails_bounded(server):
    for _ in range(4):
        server.enqueue(200, anthropic_message([], stop_reason="end_turn"))
    llm = adapter_for(server, "anthropic", SS_LLM_MAX_REPAIRS="1")
    with pytest.raises(LLMError) as caught:
        await llm.complete_json(selection_request())
    assert caught.value.error_code == "LLM_RESPONSE_INVALID"
    assert len(server.requests) == 2
    assert "did not call the tool" in caught.value.context["errors"][0]["errors"][0]


async def test_truncated_tool_call_is_invalid(server):
    blocks = [{"type": "tool_use", "id": "t1", "name": "template_selection", "input": {}}]
    server.enqueue(200, anthropic_message(blocks, stop_reason="max_tokens"))
    server.enqueue_answer(VALID)
    answer = await adapter_for(server, "anthropic").complete_json(selection_request())
    assert "max_tokens" in answer.traces[0].error


async def test_traces_carry_anthropic_usage_and_redacted_key(server):
    server.enqueue_answer(VALID)
    answer = await adapter_for(server, "anthropic").complete_json(selection_request())
    [trace] = answer.traces
    assert trace.usage == {"input_tokens": 13, "output_tokens": 9}
    assert trace.request["headers"]["x-api-key"] == "[REDACTED]"
    assert SECRET not in json.dumps([t.request for t in answer.traces])


async def test_probe_lists_models_with_key_and_version(server):
    await adapter_for(server, "anthropic").probe()
    [sent] = server.requests
    assert (sent.method, sent.path) == ("GET", "/v1/models")
    assert sent.headers["x-api-key"] == SECRET
    assert "anthropic-version" in sent.headers
