"""A fresh API process stays small: after start-up and a job status GET it has imported none
of the heavy libraries (dataset readers, the S3 client, the report writers, Alembic). They load on
first use (an upload, a run's staging, a report, an ``s3://`` store).

Each case runs in its own interpreter: ``ssctl``'s command line imported, then the API
application built by the same factories as ``ssctl serve`` (the single process with its worker
loop, and an API process of ``--workers N``), served by uvicorn on a free port, with the local
object store; the child
redeems a task code, asks for the job's status over HTTP and prints ``sys.modules``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.stack import ADMIN_TOKEN, free_port

pytestmark = pytest.mark.slow

HEAVY = ("pandas", "numpy", "pyreadstat", "openpyxl", "xlrd", "aioboto3", "aiobotocore",
         "botocore", "boto3", "docx", "lxml", "polars", "pyarrow",
         # schema migrations run in a child process (ss_adapters.sql.migration_child)
         "alembic", "mako",
         # the do-file renderer, the page and the HTML report load it on first use
         "jinja2",
         # the template library loads without its schema check when the index proves it
         # was done; LLM answers load the validator with the first one checked
         "jsonschema")

CHILD = r"""
import json, sys, threading, time, urllib.request
import os
import uvicorn
import ss_http.cli  # what `ssctl` imports before any command runs
from ss_adapters.runtime import Runtime
from ss_http import serving

port, shape = int(sys.argv[1]), sys.argv[2]
if shape == "single":
    app = serving.build_app(Runtime(os.environ, "all", with_worker=True), with_worker=True)
else:
    app = serving.app_beside_worker()
server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, lifespan="on",
                                       log_level="warning"))
thread = threading.Thread(target=server.run, daemon=True)
thread.start()
base = f"http://127.0.0.1:{port}"

def call(method, path, body=None, token=None):
    request = urllib.request.Request(base + path, method=method,
                                     data=json.dumps(body).encode() if body else None)
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", "Bearer " + token)
    with urllib.request.urlopen(request, timeout=30) as answer:
        return json.loads(answer.read())

for _ in range(300):
    try:
        call("GET", "/health/live")
        break
    except OSError:
        time.sleep(0.1)
code = call("POST", "/api/admin/task-codes", {"count": 1}, sys.argv[3])["task_codes"][0]
job = call("POST", "/v1/task-codes/redeem", {"task_code": code["task_code"],
                                             "requirement": "OLS of wage on educ"})
status = call("GET", "/v1/jobs/" + job["job_id"], token=job["token"])
print(json.dumps({"status": status["status"], "modules": sorted(sys.modules)}))
server.should_exit = True
thread.join(30)
"""


@pytest.mark.parametrize("shape", ["single", "api-process"])
def test_start_and_a_status_get_import_no_heavy_library(tmp_path: Path, shape: str) -> None:
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "SS_DATA_DIR": str(tmp_path / "d"),
           "SS_ADMIN_TOKEN": ADMIN_TOKEN, "SS_WORKER_POLL_SECONDS": "0.2"}
    done = subprocess.run([sys.executable, "-c", CHILD, str(free_port()), shape, ADMIN_TOKEN],
                          env=env, capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer["status"] == "created"
    loaded = {name.split(".")[0] for name in answer["modules"]}
    assert "ss_http" in loaded and "litestar" in loaded  # the child did serve the API
    assert sorted(loaded & set(HEAVY)) == []
    # nor the template authoring tools (`ssctl templates check/index/render/smoke`)
    assert [m for m in answer["modules"] if m.startswith("ss_core.authoring")] == []
