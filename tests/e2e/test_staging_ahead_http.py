"""Over real HTTP: an upload's answer is followed by the primary's .dta staged in the object
store, before any run, and the run uses that file as it is."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.stack import Analyst, running_stack
from tests.faults.journey import OLS_ROLES, new_job, to_queued, upload, wait_status

pytestmark = pytest.mark.slow


def staged_files(tmp: Path, job_id: str) -> list[Path]:
    return sorted((tmp / "data" / "objects" / "jobs" / job_id / "staged").glob("*/*.dta"))


def test_the_upload_stages_the_dta_that_the_run_then_uses(tmp_path: Path) -> None:
    analyst = Analyst(prefer="ols_robust", roles=OLS_ROLES)
    with running_stack(tmp_path, analyst) as (server, _), server.client() as client:
        job_id, auth = new_job(client)
        assert upload(client, job_id, auth, "wage,educ,firm,exper\n1,2,3,4\n5,6,7,8\n"
                      "2,3,1,1\n4,4,2,2\n").status_code == 200
        deadline = time.monotonic() + 30
        while not staged_files(tmp_path, job_id) and time.monotonic() < deadline:
            time.sleep(0.05)
        [staged] = staged_files(tmp_path, job_id)
        assert staged.read_bytes()[:1] in (b"\x72", b"\x71", b"\x76", b"<")  # a .dta
        before = staged.stat()
        to_queued(client, job_id, auth)
        assert wait_status(client, job_id, auth, {"succeeded", "failed"})["status"] == \
            "succeeded"
    after = staged.stat()
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
