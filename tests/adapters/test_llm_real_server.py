"""OpenAICompatibleLLM against a real inference server (llama.cpp's OpenAI-compatible server
running a tiny GGUF model). Run with ``nox -s llm_real``; skipped unless
``SS_TEST_LLAMA_MODEL`` names the model file and ``llama_cpp`` is importable.

The model is far too small for good answers: only structure is asserted (schema-valid data,
enum respected, traces recorded, model name reported).
"""

from __future__ import annotations

import importlib.util
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from jsonschema import Draft202012Validator

from ss_adapters.llm import LLMSettings, OpenAICompatibleLLM, build_llm
from ss_core.ports.llm import StructuredRequest
from tests.doubles.llm_contract import assert_honours_llm_contract

MODEL_PATH = os.environ.get("SS_TEST_LLAMA_MODEL", "")
STARTUP_SECONDS = 180

pytestmark = [
    pytest.mark.llm_server,
    pytest.mark.slow,
    pytest.mark.skipif(
        not (MODEL_PATH and Path(MODEL_PATH).is_file()
             and importlib.util.find_spec("llama_cpp") is not None),
        reason="needs SS_TEST_LLAMA_MODEL (a .gguf file) and llama-cpp-python[server]",
    ),
]

SCHEMA = {
    "type": "object",
    "additionalProperties": False,
    "required": ["method", "outcome"],
    "properties": {
        "method": {"type": "string", "enum": ["ols", "logit", "probit"]},
        "outcome": {"type": "string", "enum": ["wage", "hours", "union"]},
    },
}


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def llama_server(tmp_path_factory):
    port = _free_port()
    log_path = tmp_path_factory.mktemp("llama") / "server.log"
    with log_path.open("wb") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "llama_cpp.server", "--model", MODEL_PATH,
             "--host", "127.0.0.1", "--port", str(port), "--n_ctx", "2048"],
            stdout=log, stderr=subprocess.STDOUT,
        )
        base_url = f"http://127.0.0.1:{port}/v1"
        deadline = time.monotonic() + STARTUP_SECONDS
        while True:
            if process.poll() is not None:
                pytest.fail(f"llama.cpp server exited: {log_path.read_text()[-2000:]}")
            try:
                if httpx.get(f"{base_url}/models", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                process.terminate()
                pytest.fail(f"llama.cpp server did not start: {log_path.read_text()[-2000:]}")
            time.sleep(0.5)
        try:
            yield base_url
        finally:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=20)


def _llm(base_url: str) -> OpenAICompatibleLLM:
    settings = LLMSettings.from_env({
        "SS_LLM_PROVIDER": "llamacpp", "SS_LLM_BASE_URL": base_url,
        "SS_LLM_MODEL": "smollm2-135m", "SS_LLM_API_KEY": "sk-local-secret-0123456789",
        "SS_LLM_TIMEOUT": "120", "SS_LLM_MAX_REPAIRS": "2",
    })
    assert settings.json_mode == "json_object" and settings.schema_in_json_object
    llm = build_llm(settings)
    assert isinstance(llm, OpenAICompatibleLLM)
    return llm


async def test_the_port_contract_holds_on_a_real_server(llama_server):
    llm = _llm(llama_server)
    await assert_honours_llm_contract(llm)
    await llm.aclose()


async def test_structured_answer_is_schema_valid_with_traces(llama_server):
    llm = _llm(llama_server)
    request = StructuredRequest(
        operation="select", system="You pick a regression method for a dataset.",
        prompt="The outcome is wage, a continuous variable. Which method fits?",
        schema=SCHEMA, schema_name="method_choice", max_tokens=96,
    )
    answer = await llm.complete_json(request)
    await llm.aclose()

    Draft202012Validator(SCHEMA).validate(answer.data)
    assert answer.data["method"] in {"ols", "logit", "probit"}
    assert answer.provider == "llamacpp"
    assert isinstance(answer.model, str) and answer.model
    assert answer.traces and answer.traces[-1].status == "ok"
    last = answer.traces[-1]
    assert last.usage.get("completion_tokens", 0) > 0
    assert last.request["headers"]["authorization"] == "[REDACTED]"
    assert "sk-local-secret" not in str([t.request for t in answer.traces])
    assert last.request["body"]["response_format"] == {"type": "json_object", "schema": SCHEMA}
