"""kill -9 of the API in the middle of an upload body: after a restart the job is as it was
(no half dataset listed, a previous manifest intact)."""

from __future__ import annotations

import hashlib
import os
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from ss_http.upload import sweep_orphaned_spools
from tests.e2e.stack import Analyst, running_stack
from tests.faults.journey import WAGES, artifacts, new_job, upload

BOUNDARY = "ssfaultboundary7d1f"


def start_slow_upload(port: int, job_id: str, token: str, total: int) -> socket.socket:
    """Open an upload of ``total`` file bytes and send only its first part."""
    head = (f"--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; "
            f"filename=\"big.csv\"\r\nContent-Type: text/csv\r\n\r\n").encode()
    tail = f"\r\n--{BOUNDARY}--\r\n".encode()
    length = len(head) + total + len(tail)
    request = (f"POST /v1/jobs/{job_id}/inputs/upload HTTP/1.1\r\nHost: 127.0.0.1\r\n"
               f"Authorization: Bearer {token}\r\n"
               f"Content-Type: multipart/form-data; boundary={BOUNDARY}\r\n"
               f"Content-Length: {length}\r\n\r\n").encode()
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(request + head + b"a,b\n" + b"1,2\n" * (2 << 20))  # about 8 MB of rows
    return sock


@pytest.mark.slow
def test_api_killed_mid_upload_leaves_no_half_dataset(tmp_path: Path) -> None:
    with running_stack(tmp_path, Analyst()) as (server, _):
        with server.client() as client:
            fresh_id, fresh_auth = new_job(client)
            kept_id, kept_auth = new_job(client)
            assert upload(client, kept_id, kept_auth, WAGES).status_code == 200
            kept_status = client.get(f"/v1/jobs/{kept_id}", headers=kept_auth).json()
            kept_items = artifacts(client, kept_id, kept_auth)
        socks = [start_slow_upload(server.port, job_id, auth["Authorization"][7:], 64 << 20)
                 for job_id, auth in ((fresh_id, fresh_auth), (kept_id, kept_auth))]
        time.sleep(0.5)
        assert server.proc is not None
        spools = list(Path(tempfile.gettempdir()).glob(f"ss-upload-{server.proc.pid}-*"))
        assert len(spools) == 2  # both bodies are being spooled when the API dies
        server.kill9()
        for sock in socks:
            sock.close()
        server.start()
        with server.client() as client:
            fresh = client.get(f"/v1/jobs/{fresh_id}", headers=fresh_auth).json()
            assert fresh["status"] == "created", fresh
            assert artifacts(client, fresh_id, fresh_auth) == []
            r = client.get(f"/v1/jobs/{fresh_id}/inputs/preview", headers=fresh_auth)
            assert r.status_code == 409 and r.json()["error_code"] == "INPUTS_MISSING"
            kept = client.get(f"/v1/jobs/{kept_id}", headers=kept_auth).json()
            assert kept["status"] == "inputs_uploaded"
            assert kept.get("inputs") == kept_status.get("inputs")
            assert artifacts(client, kept_id, kept_auth) == kept_items
            preview = client.get(f"/v1/jobs/{kept_id}/inputs/preview", headers=kept_auth)
            assert preview.status_code == 200
            assert [c["name"] for c in preview.json()["columns"]] == ["wage", "educ", "firm",
                                                                      "exper"]
            # the job is usable: the next complete upload is accepted
            assert upload(client, fresh_id, fresh_auth, WAGES).status_code == 200
        assert not any(p.exists() for p in spools)  # the dead process's spools are swept
        objects = tmp_path / "data" / "objects" / "jobs" / fresh_id / "inputs"
        assert [p.name for p in objects.iterdir()] == [
            hashlib.sha256(WAGES.encode()).hexdigest() + ".csv"]


def test_sweep_removes_only_spools_of_dead_processes(tmp_path: Path) -> None:
    dead = subprocess.Popen(["true"])
    dead.wait()
    orphan = tmp_path / f"ss-upload-{dead.pid}-abc"
    live = tmp_path / f"ss-upload-{os.getpid()}-def"
    foreign = tmp_path / "ss-upload-notapid"
    for path in (orphan, live, foreign):
        path.mkdir()
        (path / "part").write_bytes(b"x")
    assert sweep_orphaned_spools(tmp_path) == [orphan]
    assert live.exists() and foreign.exists() and not orphan.exists()
