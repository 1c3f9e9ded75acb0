"""Findings 8, 11 (deep JSON) and 12 (readiness): nothing internal reaches a user. An LLM that
fails, floods or nests its answer yields a small error body that refers to the archived
traces by artifact id, never with the traces, the prompt or the provider's URL; anonymous
readiness names checks and reasons only, the admin token sees the details."""

from __future__ import annotations

import json
import socket
from collections.abc import Iterator

import httpx
import pytest

from tests.doubles.llm_server import Reply
from tests.e2e.stack import ADMIN_TOKEN
from tests.faults.journey import (
    WAGES,
    artifacts,
    download_text,
    new_job,
    to_queued,
    upload,
    wait_status,
)
from tests.hostile.conftest import Stack

pytestmark = pytest.mark.slow
INTERNAL = ("traces", "127.0.0.1", "You are", "system", "/tmp/", "messages")


@pytest.fixture
def job(stack: Stack) -> Iterator[tuple[httpx.Client, str, dict[str, str]]]:
    with stack.client() as client:
        job_id, auth = new_job(client)
        assert upload(client, job_id, auth, WAGES).status_code == 200
        yield client, job_id, auth
    stack.llm.reset()


def assert_public(r: httpx.Response) -> dict:
    assert 400 <= r.status_code < 600 and r.status_code != 500, r.text[:500]
    assert len(r.content) < 8_000, f"{len(r.content)} bytes"
    for marker in INTERNAL:
        assert marker not in r.text, (marker, r.text[:800])
    return r.json()


def test_a_failing_llm_gives_a_reference_not_the_traces(stack: Stack, job: tuple) -> None:
    client, job_id, auth = job
    stack.llm.enqueue_responder(lambda request: Reply(status=503, body={"error": "busy"}))
    body = assert_public(client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth))
    assert body["error_code"] == "LLM_CALL_FAILED"
    (ref,) = body["trace_artifacts"]
    trace = client.get(f"/v1/jobs/{job_id}/artifacts/{ref['rel_path']}", headers=auth)
    assert trace.status_code == 200 and "messages" in trace.text  # kept in the archive


def test_an_oversized_llm_answer_is_refused_while_it_streams(stack: Stack, job: tuple) -> None:
    client, job_id, auth = job
    stack.llm.enqueue_responder(lambda request: Reply(body="x" * (30 << 20)))
    body = assert_public(client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth))
    assert body["error_code"] == "LLM_CALL_FAILED"
    assert "SS_LLM_MAX_RESPONSE_BYTES" in body["message"]


def test_a_deeply_nested_llm_answer_is_an_llm_error_not_a_crash(stack: Stack,
                                                                job: tuple) -> None:
    client, job_id, auth = job
    deep = '{"choices": ' + "[" * 100_000 + "]" * 100_000 + "}"
    stack.llm.enqueue_responder(lambda request: Reply(body=deep.encode()))
    body = assert_public(client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth))
    assert body["error_code"].startswith("LLM_")


def test_anonymous_readiness_shows_names_and_reasons_only(stack: Stack) -> None:
    with stack.client() as client:
        anonymous = client.get("/health/ready").json()
        admin = client.get("/health/ready",
                           headers={"Authorization": f"Bearer {ADMIN_TOKEN}"}).json()
    text = json.dumps(anonymous)
    assert str(stack.data_dir) not in text and "sqlite" not in text and "details" not in text
    assert {c["name"] for c in anonymous["checks"]} == {c["name"] for c in admin["checks"]}
    assert any(c.get("details") for c in admin["checks"])


def test_run_meta_names_no_host_path_host_or_process(stack: Stack) -> None:
    with stack.client() as client:
        job_id, auth = new_job(client)
        to_queued(client, job_id, auth)
        assert wait_status(client, job_id, auth, {"succeeded", "failed"})["status"] == \
            "succeeded"
        text = download_text(client, job_id, auth, "run_meta")
    meta = json.loads(text)
    assert meta["command_line"][1:3] == ["-b", "-q"]
    assert not any(arg.startswith("/") for arg in meta["command_line"]), meta["command_line"]
    assert socket.gethostname() not in text and str(stack.data_dir) not in text
    assert meta["worker"].startswith("worker-") and "worker_id" not in meta


def test_archived_llm_traces_name_no_internal_host(stack: Stack, job: tuple) -> None:
    client, job_id, auth = job
    assert client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth).status_code == 200
    traces = [a for a in artifacts(client, job_id, auth) if a["kind"] == "llm_trace"]
    assert traces
    for item in traces:
        text = client.get(f"/v1/jobs/{job_id}/artifacts/{item['rel_path']}", headers=auth).text
        assert "127.0.0.1" not in text and "http://" not in text, text[:300]
