"""Client-side steps of the journey over real HTTP, shared by the fault, load and hostile
tests (each step asserts the answer it needs and returns what the next step uses)."""

from __future__ import annotations

import hashlib
import time
from typing import Any

import httpx

from tests.e2e.stack import ADMIN_TOKEN

ADMIN = {"Authorization": f"Bearer {ADMIN_TOKEN}"}
WAGES = "wage,educ,firm,exper\n10.5,12,1,3\n12.0,16,2,5\n9.0,10,1,1\n14.2,18,3,9\n11.1,14,2,4\n"
OLS_ROLES = {"outcome": "wage", "treatment": "educ", "controls": ["exper"], "cluster": "firm"}


def issue_codes(client: httpx.Client, count: int) -> list[str]:
    r = client.post("/api/admin/task-codes", json={"count": count}, headers=ADMIN)
    assert r.status_code == 201, r.text
    return [c["task_code"] for c in r.json()["task_codes"]]


def redeem(client: httpx.Client, code: str, requirement: str = "OLS regression") -> tuple[
    str, dict[str, str]
]:
    r = client.post("/v1/task-codes/redeem", json={"task_code": code, "requirement": requirement})
    assert r.status_code == 200, r.text
    return r.json()["job_id"], {"Authorization": f"Bearer {r.json()['token']}"}


def new_job(client: httpx.Client, requirement: str = "OLS regression") -> tuple[
    str, dict[str, str]
]:
    return redeem(client, issue_codes(client, 1)[0], requirement)


def upload(client: httpx.Client, job_id: str, auth: dict[str, str], data: bytes | str,
           name: str = "data.csv") -> httpx.Response:
    body = data.encode("utf-8") if isinstance(data, str) else data
    return client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth,
                       files={"file": (name, body, "application/octet-stream")})


def wait_status(client: httpx.Client, job_id: str, auth: dict[str, str], wanted: set[str],
                timeout: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    body: dict[str, Any] = {}
    while time.monotonic() < deadline:
        r = client.get(f"/v1/jobs/{job_id}", headers=auth)
        if r.status_code == 200:
            body = r.json()
            if body["status"] in wanted:
                return body
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} stayed {body.get('status')}: {body}")


def to_queued(client: httpx.Client, job_id: str, auth: dict[str, str],
              data: str = WAGES) -> None:
    """Upload, draft, freeze and queue (the LLM double must fill the OLS roles)."""
    r = upload(client, job_id, auth, data)
    assert r.status_code == 200, r.text
    r = client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
    assert r.status_code == 200, r.text
    r = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth, json={})
    assert r.status_code == 200, r.text
    r = client.post(f"/v1/jobs/{job_id}/run", headers=auth)
    assert r.status_code == 202, r.text


def artifacts(client: httpx.Client, job_id: str, auth: dict[str, str]) -> list[dict[str, Any]]:
    r = client.get(f"/v1/jobs/{job_id}/artifacts", headers=auth, params={"history": "true"})
    assert r.status_code == 200, r.text
    items: list[dict[str, Any]] = r.json()["artifacts"]
    return items


def verify_downloads(client: httpx.Client, job_id: str, auth: dict[str, str]) -> int:
    """Every indexed artifact downloads with its indexed size and sha256; returns the count."""
    items = artifacts(client, job_id, auth)
    for item in items:
        r = client.get(f"/v1/jobs/{job_id}/artifacts/{item['rel_path']}", headers=auth)
        assert r.status_code == 200, (item["rel_path"], r.text)
        assert hashlib.sha256(r.content).hexdigest() == item["sha256"], item["rel_path"]
        assert len(r.content) == item["size_bytes"], item["rel_path"]
    return len(items)


def download_text(client: httpx.Client, job_id: str, auth: dict[str, str], kind: str) -> str:
    item = next(a for a in artifacts(client, job_id, auth) if a["kind"] == kind)
    return client.get(f"/v1/jobs/{job_id}/artifacts/{item['rel_path']}", headers=auth).text
