"""The object store and the database become unavailable, then come back: requests fail with a
structured, retryable 503 STORAGE_UNAVAILABLE while they are down, succeed afterwards, and
nothing stored before the outage is lost."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from tests.adapters.s3_server import REGION, create_bucket, running_s3_server
from tests.e2e.stack import Analyst, running_stack
from tests.faults.journey import (
    ADMIN,
    OLS_ROLES,
    WAGES,
    artifacts,
    new_job,
    to_queued,
    upload,
    verify_downloads,
    wait_status,
)
from tests.faults.procs import PostgresCluster, Relay, postgres_bin

pytestmark = pytest.mark.slow


def assert_unavailable(r: httpx.Response) -> dict:
    body = r.json()
    assert r.status_code == 503, (r.status_code, body)
    assert body["error_code"] == "STORAGE_UNAVAILABLE" and body["retryable"] is True, body
    assert body.get("reason"), body
    assert r.headers.get("retry-after"), r.headers
    return body


def input_item(client: httpx.Client, job_id: str, auth: dict[str, str]) -> dict:
    return next(a for a in artifacts(client, job_id, auth) if a["kind"] == "input")


def test_s3_store_unreachable_then_back(tmp_path: Path) -> None:
    with running_s3_server() as endpoint:
        create_bucket(endpoint, "ss-faults")
        host, port = endpoint.removeprefix("http://").split(":")
        relay = Relay(host, int(port)).start()
        s3_env = {"SS_OBJECT_STORE": "s3://ss-faults/ss", "SS_S3_ENDPOINT_URL": relay.url,
                  "SS_S3_REGION": REGION, "SS_S3_ACCESS_KEY_ID": "test-key",
                  "SS_S3_SECRET_ACCESS_KEY": "test-secret-never-shown"}
        try:
            with running_stack(tmp_path, Analyst(), **s3_env) as (server, _), \
                    server.client() as client:
                kept_id, kept_auth = new_job(client)
                assert upload(client, kept_id, kept_auth, WAGES).status_code == 200
                kept = input_item(client, kept_id, kept_auth)
                job_id, auth = new_job(client)
                relay.cut()
                body = assert_unavailable(upload(client, job_id, auth, WAGES))
                assert "test-secret" not in str(body)
                assert client.get(f"/v1/jobs/{job_id}", headers=auth).json()["status"] == \
                    "created"
                assert artifacts(client, job_id, auth) == []
                assert_unavailable(client.get(
                    f"/v1/jobs/{kept_id}/artifacts/{kept['rel_path']}", headers=kept_auth))
                relay.restore()
                r = client.get(f"/v1/jobs/{kept_id}/artifacts/{kept['rel_path']}",
                               headers=kept_auth)
                assert r.status_code == 200
                assert hashlib.sha256(r.content).hexdigest() == kept["sha256"]
                assert upload(client, job_id, auth, WAGES).status_code == 200
                assert verify_downloads(client, job_id, auth) >= 2
                assert verify_downloads(client, kept_id, kept_auth) >= 2
        finally:
            relay.stop()


@contextmanager
def immutable(path: Path) -> Iterator[None]:
    """The directory refuses every change, even to root (ext4 immutable attribute)."""
    subprocess.run(["chattr", "+i", str(path)], check=True, capture_output=True)
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True, capture_output=True)


@pytest.mark.skipif(shutil.which("chattr") is None, reason="needs chattr")
def test_local_store_unwritable_then_writable(tmp_path: Path) -> None:
    with running_stack(tmp_path, Analyst()) as (server, _), server.client() as client:
        kept_id, kept_auth = new_job(client)
        assert upload(client, kept_id, kept_auth, WAGES).status_code == 200
        job_id, auth = new_job(client)
        jobs_dir = tmp_path / "data" / "objects" / "jobs"
        try:
            with immutable(jobs_dir):
                assert_unavailable(upload(client, job_id, auth, WAGES))
                assert client.get(f"/v1/jobs/{job_id}", headers=auth).json()["status"] == \
                    "created"
                assert verify_downloads(client, kept_id, kept_auth) >= 2  # reads still work
        except subprocess.CalledProcessError:
            pytest.skip("this file system does not support the immutable attribute")
        assert upload(client, job_id, auth, WAGES).status_code == 200
        assert verify_downloads(client, job_id, auth) >= 2


@pytest.mark.skipif(postgres_bin() is None, reason="needs the PostgreSQL server binaries")
def test_database_down_then_back(tmp_path: Path) -> None:
    cluster = PostgresCluster().init()
    cluster.start()
    try:
        analyst = Analyst(prefer="ols_robust", roles=OLS_ROLES)
        with running_stack(tmp_path, analyst, SS_DATABASE_URL=cluster.url,
                           SS_DATABASE_CONNECT_TIMEOUT="2") as (server, _), \
                server.client() as client:
            job_id, auth = new_job(client)
            assert upload(client, job_id, auth, WAGES).status_code == 200
            assert client.get("/health/ready").status_code == 200
            cluster.stop()
            body = assert_unavailable(client.get(f"/v1/jobs/{job_id}", headers=auth))
            assert "postgres@127.0.0.1" in body["database"] and body["fix"]
            assert_unavailable(client.post("/v1/task-codes/redeem",
                                           json={"task_code": "tc_x", "requirement": "x"}))
            ready = client.get("/health/ready")
            assert ready.status_code == 503
            assert "database" in {v["name"] for v in ready.json()["violations"]}
            cluster.start()
            deadline, status = time.monotonic() + 15, 0
            while time.monotonic() < deadline and status != 200:
                r = client.get(f"/v1/jobs/{job_id}", headers=auth)
                status = r.status_code
                assert status in (200, 503), r.text
            assert status == 200
            assert r.json()["status"] == "inputs_uploaded"
            # readiness also reports the worker loop, which clears on its next good poll
            deadline = time.monotonic() + 15
            while client.get("/health/ready").status_code != 200:
                assert time.monotonic() < deadline, client.get("/health/ready").text
                time.sleep(0.2)
            assert verify_downloads(client, job_id, auth) >= 2
            # the in-process worker lived through the outage: a new journey runs to the end
            other_id, other_auth = new_job(client)
            to_queued(client, other_id, other_auth)
            done = wait_status(client, other_id, other_auth, {"succeeded", "failed"})
            assert done["status"] == "succeeded", done
            # an outage in the middle of a queued/running run: the run still ends, once
            run_id, run_auth = new_job(client)
            to_queued(client, run_id, run_auth)
            time.sleep(0.3)
            cluster.stop()
            time.sleep(2)
            cluster.start()
            done = wait_status(client, run_id, run_auth, {"succeeded", "failed"}, timeout=60)
            assert done["status"] == "succeeded", done
            detail = client.get(f"/api/admin/jobs/{run_id}", headers=ADMIN).json()
            assert len(detail["runs"]) == 1
            assert [e["event"] for e in detail["audit"] if e["event"] == "run.succeeded"] == \
                ["run.succeeded"], (detail["audit"], detail["runs"])
            assert verify_downloads(client, run_id, run_auth) >= 5
    finally:
        with contextlib.suppress(subprocess.CalledProcessError):
            cluster.stop()
        cluster.remove()
