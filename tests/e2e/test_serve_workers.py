"""``ssctl serve --workers N``: N API processes on one port and a worker process, supervised.

Real processes throughout: the journey runs to ``succeeded`` through the API processes with
the run executed by the separate worker process; a token revoked through one API process is
refused by every one of them within the token cache's bound; a killed API process and a killed
worker process are each replaced; SIGINT stops the whole tree.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import time
from pathlib import Path

import httpx
import pytest

from ss_adapters.sql.token_cache import TOKEN_CACHE_SECONDS
from tests.doubles.llm_server import ScriptedLLMServer
from tests.e2e.stack import Analyst, Server, free_port, stack_env
from tests.faults.journey import (
    ADMIN,
    OLS_ROLES,
    download_text,
    new_job,
    to_queued,
    wait_status,
)

pytestmark = pytest.mark.slow


def tree(pid: int) -> dict[int, str]:
    """Every process below ``pid``, with its command line."""
    found: dict[int, str] = {}
    todo = [pid]
    while todo:
        current = todo.pop()
        for task in Path(f"/proc/{current}/task").glob("*"):
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            for child in children:
                try:
                    found[child] = (Path(f"/proc/{child}/cmdline").read_bytes()
                                    .replace(b"\0", b" ").decode())
                except OSError:
                    continue
                todo.append(child)
    return found


def api_processes(pid: int) -> list[int]:
    return sorted(p for p, cmd in tree(pid).items() if "multiprocessing" in cmd
                  and "resource_tracker" not in cmd)


def worker_processes(pid: int) -> list[int]:
    return sorted(p for p, cmd in tree(pid).items() if cmd.rstrip().endswith("ss_http.cli worker"))


def eventually(check, timeout: float = 60.0):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError("the condition did not hold in time")


@pytest.fixture
def served(tmp_path: Path):  # type: ignore[no-untyped-def]
    (tmp_path / "ado").mkdir()
    llm = ScriptedLLMServer(default=Analyst(prefer="ols_robust", roles=OLS_ROLES).reply).start()
    server = Server(stack_env(tmp_path, llm), free_port(), tmp_path / "server.log",
                    ("--workers", "2"))
    try:
        yield server.start()
    finally:
        server.stop()
        llm.stop()


def test_two_api_processes_and_a_worker_process_serve_the_journey(served: Server) -> None:
    assert served.proc is not None
    pid = served.proc.pid
    assert len(eventually(lambda: len(api_processes(pid)) == 2 and api_processes(pid))) == 2
    assert len(eventually(lambda: worker_processes(pid))) == 1
    worker = worker_processes(pid)[0]
    with served.client() as client:
        job_id, auth = new_job(client)
        to_queued(client, job_id, auth)
        assert wait_status(client, job_id, auth, {"succeeded", "failed"})["status"] == \
            "succeeded"
        meta = json.loads(download_text(client, job_id, auth, "run_meta"))
    ran_by = hashlib.sha256(f"{socket.gethostname()}:{worker}".encode()).hexdigest()[:12]
    assert meta["worker"] == f"worker-{ran_by}"  # the worker process ran it (named opaquely)


def test_a_revoked_token_is_refused_by_every_api_process_within_the_bound(
    served: Server,
) -> None:
    with served.client() as client:
        job_id, auth = new_job(client)
        limits = httpx.Limits(max_keepalive_connections=0)  # new connection each request
        with httpx.Client(base_url=served.base_url, limits=limits, timeout=30) as fresh:
            for _ in range(20):  # warm both processes' caches
                assert fresh.get(f"/v1/jobs/{job_id}", headers=auth).status_code == 200
            codes = client.get("/api/admin/task-codes", headers=ADMIN).json()["task_codes"]
            code_id = next(c["task_code_id"] for c in codes if c.get("job_id") == job_id)
            r = client.post(f"/api/admin/task-codes/{code_id}/revoke", headers=ADMIN)
            assert r.status_code == 200, r.text
            time.sleep(TOKEN_CACHE_SECONDS + 0.5)
            answers = {fresh.get(f"/v1/jobs/{job_id}", headers=auth).status_code
                       for _ in range(20)}
    assert answers == {403}


def test_dead_processes_are_replaced_and_sigint_stops_the_tree(served: Server) -> None:
    assert served.proc is not None
    pid = served.proc.pid
    apis = eventually(lambda: len(api_processes(pid)) == 2 and api_processes(pid))
    worker = eventually(lambda: worker_processes(pid))[0]
    os.kill(apis[0], signal.SIGKILL)
    os.kill(worker, signal.SIGKILL)
    eventually(lambda: len(api_processes(pid)) == 2 and apis[0] not in api_processes(pid))
    eventually(lambda: worker_processes(pid) and worker not in worker_processes(pid))
    with served.client() as client:
        job_id, auth = new_job(client)
        to_queued(client, job_id, auth)
        assert wait_status(client, job_id, auth, {"succeeded", "failed"})["status"] == \
            "succeeded"
    everyone = list(tree(pid))
    served.proc.send_signal(signal.SIGINT)
    served.proc.wait(60)
    eventually(lambda: not [p for p in everyone if Path(f"/proc/{p}").exists()
                            and "zombie" not in Path(f"/proc/{p}/status").read_text()], 60)
