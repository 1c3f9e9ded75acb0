"""Every loop is bounded: the exact number of HTTP requests for sequences of invalid answers
and of failing statuses, for both wire formats."""

from __future__ import annotations

import itertools

import pytest

from ss_core.errors import LLMError
from tests.adapters.llm_cases import VALID, WIRES, adapter_for, selection_request
from tests.doubles.llm_server import ScriptedLLMServer

INVALID = {"template_id": "unknown"}


@pytest.fixture(scope="module")
def server():
    with ScriptedLLMServer() as running:
        yield running


@pytest.fixture(autouse=True)
def fresh(server):
    server.reset()


@pytest.mark.parametrize("wire", WIRES)
@pytest.mark.parametrize(("invalid", "repairs"), list(itertools.product(range(4), range(3))))
async def test_repairs_stop_at_the_bound(server, wire, invalid, repairs):
    for _ in range(invalid):
        server.enqueue_answer(INVALID)
    server.enqueue_answer(VALID)
    llm = adapter_for(server, wire, SS_LLM_MAX_REPAIRS=str(repairs))
    if invalid <= repairs:
        answer = await llm.complete_json(selection_request())
        assert answer.data == VALID
        assert len(answer.traces) == invalid + 1
    else:
        with pytest.raises(LLMError) as caught:
            await llm.complete_json(selection_request())
        assert caught.value.error_code == "LLM_RESPONSE_INVALID"
        assert len(caught.value.context["traces"]) == repairs + 1
    assert len(server.requests) == min(invalid, repairs) + 1


@pytest.mark.parametrize("wire", WIRES)
@pytest.mark.parametrize(("statuses", "retries", "expected_requests", "outcome"), [
    ([200], 0, 1, "ok"),
    ([503, 200], 0, 1, "LLM_CALL_FAILED"),
    ([503, 429, 502, 200], 3, 4, "ok"),
    ([503, 429, 502, 504, 200], 3, 4, "LLM_CALL_FAILED"),
    ([500, 404, 200], 5, 2, "LLM_CALL_FAILED"),
    ([529, 408, 200], 2, 3, "ok"),
    ([403, 200], 3, 1, "LLM_CALL_FAILED"),
    ([422, 200], 3, 1, "LLM_CALL_FAILED"),
])
async def test_http_retries_stop_at_the_bound_or_a_final_status(
        server, wire, statuses, retries, expected_requests, outcome):
    for status in statuses:
        if status == 200:
            server.enqueue_answer(VALID)
        else:
            server.enqueue(status, {"error": {"message": f"status {status}"}})
    llm = adapter_for(server, wire, SS_LLM_MAX_RETRIES=str(retries))
    if outcome == "ok":
        assert (await llm.complete_json(selection_request())).data == VALID
    else:
        with pytest.raises(LLMError) as caught:
            await llm.complete_json(selection_request())
        assert caught.value.error_code == outcome
    assert len(server.requests) == expected_requests
