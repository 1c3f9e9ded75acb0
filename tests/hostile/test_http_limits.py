"""Oversized and malformed requests at the socket level against a real server (never a 5xx),
the redeem limit behind real client addresses, and no plaintext secret in the database."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from tests.e2e.stack import Analyst, running_stack
from tests.faults.journey import WAGES, issue_codes, new_job, redeem, upload
from tests.hostile.conftest import Stack

pytestmark = pytest.mark.slow


def raw(port: int, request: bytes, *, close_write: bool = False) -> int | None:
    """Send raw bytes; the status code of the answer, or None if the server just closed."""
    with socket.create_connection(("127.0.0.1", port), timeout=15) as sock:
        try:
            sock.sendall(request)
            if close_write:
                sock.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server may refuse the rest of an oversized request
        try:
            head = sock.recv(4096)
        except OSError:
            return None
    if not head:
        return None
    return int(head.split(b" ", 2)[1])


def request(path: str, headers: dict[str, str], body: bytes = b"", method: str = "POST") -> bytes:
    lines = [f"{method} {path} HTTP/1.1", "Host: 127.0.0.1", "Connection: close",
             *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1") + body


@pytest.mark.parametrize("name,build", [
    ("huge header", lambda: request("/v1/jobs/x", {"X-Big": "a" * 200_000}, method="GET")),
    ("huge bearer", lambda: request("/v1/jobs/x", {"Authorization": "Bearer " + "t" * 100_000},
                                    method="GET")),
    ("many headers", lambda: request("/health/live", {f"X-H{i}": "v" for i in range(5000)},
                                     method="GET")),
    ("huge url", lambda: request("/v1/jobs/" + "j" * 200_000, {}, method="GET")),
    ("json over 1 MiB", lambda: request(
        "/v1/task-codes/redeem", {"Content-Type": "application/json",
                                  "Content-Length": str(3 << 20)},
        b'{"task_code": "' + b"a" * (3 << 20) + b'"}')),
    ("content-length lies high", lambda: request(
        "/v1/task-codes/redeem", {"Content-Type": "application/json",
                                  "Content-Length": str(1 << 40)}, b"{}")),
    ("content-length negative", lambda: request(
        "/v1/task-codes/redeem", {"Content-Type": "application/json",
                                  "Content-Length": "-5"}, b"{}")),
    ("chunked garbage", lambda: request(
        "/v1/task-codes/redeem", {"Content-Type": "application/json",
                                  "Transfer-Encoding": "chunked"}, b"zz\r\n{}\r\n0\r\n\r\n")),
    ("binary json", lambda: request(
        "/v1/task-codes/redeem", {"Content-Type": "application/json", "Content-Length": "6"},
        b"\xff\xfe\x00{\x00}")),
    ("deep json", lambda: request(
        "/v1/task-codes/redeem", {"Content-Type": "application/json",
                                  "Content-Length": str(200_000)},
        b"[" * 100_000 + b"]" * 100_000)),
])
def test_oversized_or_malformed_requests_are_never_a_server_error(stack: Stack, name: str,
                                                                  build) -> None:
    status = raw(stack.server.port, build(), close_write=name == "content-length lies high")
    assert status is None or status < 500, (name, status)
    if name != "many headers":
        assert status is None or status >= 400, (name, status)
    with stack.client() as client:  # and the server is still serving
        assert client.get("/health/live").status_code == 200


def test_deeply_nested_json_is_a_400(stack: Stack) -> None:
    with stack.client() as client:
        job_id, auth = new_job(client)
        for path, headers in (("/v1/task-codes/redeem", {}),
                              (f"/v1/jobs/{job_id}/plan/freeze", auth)):
            r = client.post(path, content=b'{"params": ' + b"[" * 50_000 + b"]" * 50_000 + b"}",
                            headers={**headers, "Content-Type": "application/json"})
            assert r.status_code == 400, r.text[:300]
            assert r.json()["error_code"] == "INPUT_VALIDATION_FAILED"


def test_oversized_json_bodies_are_413(stack: Stack) -> None:
    with stack.client() as client:
        job_id, auth = new_job(client)
        r = client.post("/v1/task-codes/redeem", content=b'{"task_code":"' + b"a" * (2 << 20)
                        + b'","requirement":"x"}', headers={"Content-Type": "application/json"})
        assert r.status_code == 413 and r.json()["error_code"] == "PAYLOAD_TOO_LARGE"
        r = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth,
                        json={"notes": "n" * (2 << 20)})
        assert r.status_code == 413 and r.json()["error_code"] == "PAYLOAD_TOO_LARGE"


def test_database_holds_no_plaintext_code_or_token(stack: Stack) -> None:
    with stack.client() as client:
        (code,) = issue_codes(client, 1)
        job_id, auth = redeem(client, code)
        assert upload(client, job_id, auth, WAGES).status_code == 200
    token = auth["Authorization"][7:]
    for path in stack.data_dir.glob("ss.db*"):
        data = path.read_bytes()
        assert code.encode() not in data and token.encode() not in data, path


def test_redeem_limit_per_client_over_real_http(tmp_path: Path) -> None:
    with running_stack(tmp_path, Analyst(), SS_REDEEM_RATE_PER_MINUTE="2") as (server, _), \
            server.client() as client:
        (valid,) = issue_codes(client, 1)
        statuses = [client.post("/v1/task-codes/redeem",
                                json={"task_code": f"tc_guess{i}", "requirement": "x"}).status_code
                    for i in range(4)]
        assert statuses == [403, 403, 429, 429]
        r = client.post("/v1/task-codes/redeem", json={"task_code": valid, "requirement": "x"})
        assert r.status_code == 200  # a valid code is never refused for the address's failures
        r = client.post("/v1/task-codes/redeem",
                        json={"task_code": "tc_guess9", "requirement": "x"})
        assert r.status_code == 429 and int(r.headers["retry-after"]) >= 1
        assert r.json()["error_code"] == "RATE_LIMITED" and r.json()["limit_per_minute"] == 2
