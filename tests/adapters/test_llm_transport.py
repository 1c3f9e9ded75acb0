"""Retries, backoff, timeouts, auth failures and the concurrency limit, for both wire
formats, against a real HTTP server."""

from __future__ import annotations

import asyncio
import json
import socket
import time

import pytest

from ss_adapters.llm import LLMSettings, build_llm
from ss_core.errors import LLMError
from tests.adapters.llm_cases import SECRET, VALID, WIRES, adapter_for, selection_request
from tests.doubles.llm_server import ScriptedLLMServer

pytestmark = pytest.mark.parametrize("wire", WIRES)


@pytest.fixture
def server():
    with ScriptedLLMServer() as running:
        yield running


def gaps(server: ScriptedLLMServer) -> list[float]:
    times = [r.received_at for r in server.requests]
    return [later - earlier for earlier, later in zip(times, times[1:])]


async def test_429_waits_for_retry_after_then_succeeds(server, wire):
    server.enqueue(429, {"error": {"message": "slow down"}}, headers={"Retry-After": "1"})
    server.enqueue_answer(VALID)
    answer = await adapter_for(server, wire).complete_json(selection_request())

    assert answer.data == VALID
    assert [t.status for t in answer.traces] == ["error", "ok"]
    assert "HTTP 429" in answer.traces[0].error
    [gap] = gaps(server)
    assert 0.95 <= gap < 3.0  # the jittered backoff alone would be <= 0.05 s


async def test_retry_after_is_capped(server, wire):
    server.enqueue(503, "busy", headers={"Retry-After": "3600"})
    server.enqueue_answer(VALID)
    llm = adapter_for(server, wire, SS_LLM_RETRY_AFTER_MAX="0.2")
    started = time.monotonic()
    await llm.complete_json(selection_request())
    assert time.monotonic() - started < 2.0
    [gap] = gaps(server)
    assert gap >= 0.19


async def test_500_then_success_is_retried(server, wire):
    server.enqueue(500, {"error": {"message": "boom"}})
    server.enqueue_answer(VALID)
    answer = await adapter_for(server, wire).complete_json(selection_request())
    assert answer.data == VALID
    assert [t.attempt for t in answer.traces] == [1, 2]
    assert len(server.requests) == 2


async def test_persistent_503_is_bounded_and_reported(server, wire):
    for _ in range(10):
        server.enqueue(503, {"error": {"message": "overloaded"}})
    llm = adapter_for(server, wire, SS_LLM_MAX_RETRIES="2")
    with pytest.raises(LLMError) as caught:
        await llm.complete_json(selection_request())

    error = caught.value
    assert error.error_code == "LLM_CALL_FAILED" and error.retryable is True
    assert error.status == 502  # the HTTP hint of SS itself, not the upstream status
    assert len(server.requests) == 3
    assert error.context["upstream_status"] == 503 and error.context["attempts"] == 3
    assert error.context["provider"] == wire and error.context["model"] == "ss-test-model"
    assert [t["status"] for t in error.context["traces"]] == ["error"] * 3


async def test_401_is_not_retried_and_names_the_api_key_setting(server, wire):
    server.enqueue(401, {"error": {"message": f"invalid x-api-key {SECRET}"}})
    with pytest.raises(LLMError) as caught:
        await adapter_for(server, wire).complete_json(selection_request())

    error = caught.value
    assert len(server.requests) == 1
    assert error.error_code == "LLM_CALL_FAILED" and error.retryable is False
    assert error.context["upstream_status"] == 401
    assert "check SS_LLM_API_KEY" in error.message
    assert SECRET not in json.dumps(error.to_body())


async def test_400_is_not_retried_and_carries_the_provider_message(server, wire):
    server.enqueue(400, {"error": {"message": "response_format is not supported"}})
    with pytest.raises(LLMError) as caught:
        await adapter_for(server, wire).complete_json(selection_request())
    assert len(server.requests) == 1
    assert caught.value.context["provider_message"] == "response_format is not supported"
    assert "SS_LLM_JSON_MODE" in caught.value.message


async def test_slow_answer_beyond_read_timeout_is_llm_timeout_after_bounded_attempts(
        server, wire):
    for _ in range(3):
        server.enqueue_answer(VALID, delay=3.0)
    llm = adapter_for(server, wire, SS_LLM_TIMEOUT="0.3", SS_LLM_MAX_RETRIES="1")
    started = time.monotonic()
    with pytest.raises(LLMError) as caught:
        await llm.complete_json(selection_request())
    assert caught.value.error_code == "LLM_TIMEOUT"
    assert len(server.requests) == 2
    assert time.monotonic() - started < 2.5
    assert [t["status"] for t in caught.value.context["traces"]] == ["error", "error"]


async def test_hung_connection_is_llm_timeout(server, wire):
    server.enqueue_hang()
    llm = adapter_for(server, wire, SS_LLM_TIMEOUT="0.3", SS_LLM_MAX_RETRIES="0")
    with pytest.raises(LLMError) as caught:
        await llm.complete_json(selection_request())
    assert caught.value.error_code == "LLM_TIMEOUT"
    assert "SS_LLM_TIMEOUT" in caught.value.message


async def test_dropped_connection_is_retried(server, wire):
    server.enqueue_drop()
    server.enqueue_answer(VALID)
    answer = await adapter_for(server, wire).complete_json(selection_request())
    assert answer.data == VALID
    assert [t.status for t in answer.traces] == ["error", "ok"]
    assert "RemoteProtocolError" in answer.traces[0].error


async def test_non_json_success_body_is_call_failed_not_retried(server, wire):
    server.enqueue(200, "<html>proxy login</html>")
    with pytest.raises(LLMError) as caught:
        await adapter_for(server, wire).complete_json(selection_request())
    assert caught.value.error_code == "LLM_CALL_FAILED"
    assert "not a JSON object" in caught.value.message
    assert "SS_LLM_BASE_URL" in caught.value.message
    assert len(server.requests) == 1
    assert caught.value.context["traces"][0]["response"] == {"text": "<html>proxy login</html>"}


async def test_refused_connection_is_retried_then_call_failed(wire):
    with socket.socket() as probe_socket:
        probe_socket.bind(("127.0.0.1", 0))
        port = probe_socket.getsockname()[1]
    env = {"SS_LLM_PROVIDER": wire, "SS_LLM_MODEL": "m", "SS_LLM_API_KEY": SECRET,
           "SS_LLM_BASE_URL": f"http://127.0.0.1:{port}/v1", "SS_LLM_MAX_RETRIES": "2",
           "SS_LLM_BACKOFF_BASE": "0.01"}
    with pytest.raises(LLMError) as caught:
        await build_llm(LLMSettings.from_env(env)).complete_json(selection_request())
    error = caught.value
    assert error.error_code == "LLM_CALL_FAILED"
    assert error.context["attempts"] == 3 and error.context["upstream_status"] is None
    assert "SS_LLM_BASE_URL" in error.message


async def test_concurrency_limit_caps_requests_in_flight(server, wire):
    for _ in range(6):
        server.enqueue_answer(VALID, delay=0.2)
    llm = adapter_for(server, wire, SS_LLM_MAX_CONCURRENT="2")
    answers = await asyncio.gather(*(llm.complete_json(selection_request()) for _ in range(6)))
    assert all(answer.data == VALID for answer in answers)
    assert server.max_in_flight == 2


async def test_backoff_delays_are_full_jitter_within_exponential_ceilings(server, wire):
    for _ in range(4):
        server.enqueue(502, "bad gateway")
    slept: list[float] = []

    async def record(seconds: float) -> None:
        slept.append(seconds)

    env = server.env(wire, api_key=SECRET, SS_LLM_MAX_RETRIES="3", SS_LLM_BACKOFF_BASE="1",
                     SS_LLM_BACKOFF_MAX="3")
    settings = LLMSettings.from_env(env)
    from ss_adapters.llm import AnthropicLLM, OpenAICompatibleLLM

    kind = AnthropicLLM if wire == "anthropic" else OpenAICompatibleLLM
    with pytest.raises(LLMError):
        await kind(settings, sleep=record).complete_json(selection_request())
    assert len(slept) == 3
    for seconds, ceiling in zip(slept, [1, 2, 3]):
        assert 0 <= seconds <= ceiling
