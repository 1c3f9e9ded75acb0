"""Over real HTTP, with the inspection off the answer path (every upload is larger than the
inline limit, here 0 bytes): the upload answers 202 with the stored datasets, the preview
answers 202 with Retry-After until the inspection ends and then the whole preview, and the
journey goes on to a succeeded run on the staged .dta."""

from __future__ import annotations

import time
from pathlib import Path

import httpx
import pytest

from tests.e2e.stack import Analyst, running_stack
from tests.e2e.test_staging_ahead_http import staged_files
from tests.faults.journey import OLS_ROLES, new_job, upload, wait_status

pytestmark = pytest.mark.slow

ROWS = 40_000


def wages(rows: int) -> str:
    lines = ["wage,educ,firm,exper"]
    lines += [f"{8 + (i % 97) / 10:.1f},{10 + i % 9},{1 + i % 40},{i % 30}" for i in range(rows)]
    return "\n".join(lines) + "\n"


def settled(client: httpx.Client, method: str, path: str, auth: dict[str, str],
            seen: list[int]) -> httpx.Response:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        r = client.request(method, path, headers=auth)
        seen.append(r.status_code)
        if r.status_code != 202:
            return r
        body = r.json()
        assert body["status"] == "pending" and body["message"] == "inputs_inspecting"
        assert float(r.headers["Retry-After"]) == body["retry_after_seconds"] > 0
        time.sleep(0.05)
    raise AssertionError(f"{path} still pending after 60 s")


def test_an_upload_answered_before_its_inspection_goes_on_to_a_run(tmp_path: Path) -> None:
    analyst = Analyst(prefer="ols_robust", roles=OLS_ROLES)
    with running_stack(tmp_path, analyst, SS_UPLOAD_INSPECT_INLINE_BYTES="0",
                       SS_INPUTS_WAIT_SECONDS="0.001") as (server, _), \
            server.client() as client:
        job_id, auth = new_job(client)
        r = upload(client, job_id, auth, wages(ROWS), name="wages.csv")
        assert r.status_code == 202, r.text
        body = r.json()
        assert body["status"] == "pending" and body["message"] == "inputs_inspecting"
        assert [d["original_name"] for d in body["datasets"]] == ["wages.csv"]
        assert body["datasets"][0]["size_bytes"] == len(wages(ROWS).encode())
        seen: list[int] = []
        preview = settled(client, "GET", f"/v1/jobs/{job_id}/inputs/preview", auth, seen)
        assert preview.status_code == 200, preview.text
        assert preview.json()["row_count"] == ROWS
        assert [c["name"] for c in preview.json()["columns"]] == ["wage", "educ", "firm", "exper"]
        assert client.get(f"/v1/jobs/{job_id}", headers=auth).json()["status"] == \
            "inputs_uploaded"
        draft = settled(client, "GET", f"/v1/jobs/{job_id}/draft/preview", auth, seen)
        assert draft.status_code == 200, draft.text
        assert seen[0] == 202  # the preview did wait for the inspection
        deadline = time.monotonic() + 30  # staged once inspected, before any run
        while not staged_files(tmp_path, job_id) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert staged_files(tmp_path, job_id)
        assert client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth,
                           json={}).status_code == 200
        assert client.post(f"/v1/jobs/{job_id}/run", headers=auth).status_code == 202
        assert wait_status(client, job_id, auth, {"succeeded", "failed"})["status"] == \
            "succeeded"


def test_a_file_that_fails_its_inspection_is_reported_by_the_preview(tmp_path: Path) -> None:
    analyst = Analyst(prefer="ols_robust", roles=OLS_ROLES)
    with running_stack(tmp_path, analyst, SS_UPLOAD_INSPECT_INLINE_BYTES="0") as (server, _), \
            server.client() as client:
        job_id, auth = new_job(client)
        broken = b"wage,educ\n" + b"\xff\xfe\x00garbage\x00" * 50_000
        r = upload(client, job_id, auth, broken, name="broken.csv")
        assert r.status_code == 202, r.text  # stored; the inspection tells the preview
        r = settled(client, "GET", f"/v1/jobs/{job_id}/inputs/preview", auth, [])
        assert r.status_code == 400, r.text
        assert r.json()["error_code"].startswith("INPUT_")
        again = client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
        assert again.status_code == 400 and again.json()["error_code"] == r.json()["error_code"]
