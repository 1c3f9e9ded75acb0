"""A served API process does not make its event loop wait on garbage collection.

Each case runs in its own interpreter: the application built by ``ssctl serve``'s factory,
served by uvicorn with SS's connection options on a free port, answers 300 job status GETs
on one keep-alive connection. Then:

- what start-up built is frozen, so a full collection traverses a fraction of the heap
  (before: every full collection walked 150-250k objects, 150-250 ms of CPU on the 2-core
  benchmark machine, stalling every request in flight);
- an answered request is not kept alive by its connection's header deadline (before: one
  timer per answer held the request's scope, headers and state for 10 s, thousands of
  objects per second promoted to the oldest generation).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.stack import ADMIN_TOKEN, free_port

pytestmark = pytest.mark.slow
ANSWERS = 300

CHILD = r"""
import gc, http.client, json, os, sys, threading, time
import uvicorn
from uvicorn.protocols.http.httptools_impl import RequestResponseCycle
from ss_adapters.runtime import Runtime
from ss_http import serving
from ss_http.connection_limits import uvicorn_options

port, token, answers = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
runtime = Runtime(os.environ, "all", with_worker=True)
app = serving.build_app(runtime, with_worker=True)
server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on",
                                       log_level="warning",
                                       **uvicorn_options(runtime.settings.service)))
thread = threading.Thread(target=server.run, daemon=True)
thread.start()
for _ in range(300):
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.request("GET", "/health/live")
        conn.getresponse().read()
        break
    except OSError:
        time.sleep(0.1)

def call(method, path, body=None, bearer=None):
    headers = {"Content-Type": "application/json"}
    if bearer:
        headers["Authorization"] = "Bearer " + bearer
    conn.request(method, path, body=json.dumps(body) if body else None, headers=headers)
    answer = conn.getresponse()
    data = answer.read()
    assert answer.status < 300, (answer.status, data)
    return json.loads(data)

code = call("POST", "/api/admin/task-codes", {"count": 1}, token)["task_codes"][0]
job = call("POST", "/v1/task-codes/redeem", {"task_code": code["task_code"],
                                             "requirement": "OLS of wage on educ"})
for _ in range(answers):
    call("GET", "/v1/jobs/" + job["job_id"], bearer=job["token"])
gc.collect()
cycles = sum(1 for o in gc.get_objects() if isinstance(o, RequestResponseCycle))
print(json.dumps({"frozen": gc.get_freeze_count(), "collected_over": len(gc.get_objects()),
                  "cycles_alive": cycles}))
server.should_exit = True
thread.join(30)
"""


def test_full_collections_skip_start_up_and_answered_requests_are_released(
        tmp_path: Path) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SS_DATA_DIR": str(tmp_path / "d"),
           "SS_ADMIN_TOKEN": ADMIN_TOKEN, "SS_WORKER_POLL_SECONDS": "0.2"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(free_port()), ADMIN_TOKEN,
                           str(ANSWERS)], env=env, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-3000:]
    heap = json.loads(done.stdout.strip().splitlines()[-1])
    assert heap["frozen"] > 50_000, heap  # start-up's objects are out of every collection
    assert heap["collected_over"] < heap["frozen"] / 4, heap
    assert heap["cycles_alive"] <= 3, heap  # not one per answer
