"""Finding 7 (and the 409 of finding 11): a failed upload never changes what the kept manifest
names; the run analyses exactly the frozen plan's data; identical bytes under another name are
accepted; and an input object changed behind SS's back stops the run before Stata starts."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyreadstat

from tests.faults.journey import WAGES, artifacts, new_job, upload, wait_status
from tests.hostile.conftest import Stack

OTHER = WAGES.replace("10.5", "1000").replace("12.0", "2000").replace("9.0", "3000")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def staged_wages(stack: Stack, job_id: str) -> list[float]:
    (staged,) = (stack.data_dir / "objects" / "jobs" / job_id / "staged").rglob("*.dta")
    frame, _ = pyreadstat.read_dta(str(staged))
    return [float(v) for v in frame["wage"]]


def test_a_failed_upload_leaves_the_manifest_and_its_bytes_alone(stack: Stack) -> None:
    with stack.client() as client:
        job_id, auth = new_job(client)
        first = upload(client, job_id, auth, WAGES)
        assert first.status_code == 200
        r = client.post(f"/v1/jobs/{job_id}/inputs/upload", headers=auth, files=[
            ("file", ("b.csv", OTHER.encode(), "text/csv")),
            ("file", ("notes.txt", b"x", "text/plain"))])
        assert r.status_code == 400, r.text
        (item,) = [a for a in artifacts(client, job_id, auth) if a["kind"] == "input"]
        body = client.get(f"/v1/jobs/{job_id}/artifacts/{item['rel_path']}", headers=auth)
        assert hashlib.sha256(body.content).hexdigest() == item["sha256"] == sha(WAGES)
        r = client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
        assert r.status_code == 200, r.text
        assert client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth,
                           json={}).status_code == 200
        assert client.post(f"/v1/jobs/{job_id}/run", headers=auth).status_code == 202
        wait_status(client, job_id, auth, {"succeeded"})
    assert staged_wages(stack, job_id)[:3] == [10.5, 12.0, 9.0]


def test_identical_bytes_under_another_name_are_accepted(stack: Stack) -> None:
    with stack.client() as client:
        job_id, auth = new_job(client)
        assert upload(client, job_id, auth, WAGES, "a.csv").status_code == 200
        r = upload(client, job_id, auth, WAGES, "renamed.csv")
        assert r.status_code == 200, r.text
        assert r.json()["datasets"][0]["original_name"] == "renamed.csv"


def test_input_bytes_changed_after_the_freeze_stop_the_run_before_stata(stack: Stack) -> None:
    with stack.client() as client:
        job_id, auth = new_job(client)
        assert upload(client, job_id, auth, WAGES).status_code == 200
        assert client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth).status_code == 200
        assert client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth,
                           json={}).status_code == 200
        inputs: Path = stack.data_dir / "objects" / "jobs" / job_id / "inputs"
        (stored,) = [p for p in inputs.iterdir() if p.suffix == ".csv"]
        assert stored.name == f"{sha(WAGES)}.csv"  # content-addressed
        stored.write_text(OTHER)  # what an operator error or a second writer could do
        assert client.post(f"/v1/jobs/{job_id}/run", headers=auth).status_code == 202
        job = wait_status(client, job_id, auth, {"failed", "succeeded"})
        assert job["status"] == "failed", job
        run_error = job.get("error") or job.get("last_error") or {}
        assert "INPUT_INTEGRITY_FAILED" in str(job), job
    # The changed bytes were never converted: a .dta staged at upload holds the frozen data.
    for staged in (stack.data_dir / "objects" / "jobs" / job_id).rglob("*.dta"):
        frame, _ = pyreadstat.read_dta(str(staged))
        assert [float(v) for v in frame["wage"]][:3] == [10.5, 12.0, 9.0], run_error
