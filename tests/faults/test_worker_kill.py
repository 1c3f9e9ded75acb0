"""kill -9 of a standalone worker in the middle of a Stata run, with the API staying up: the
lease expires, another worker reclaims the run and finishes it exactly once, and nothing of
the dead attempt is indexed or shadows the new one."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.doubles.llm_server import ScriptedLLMServer
from tests.e2e.stack import Analyst, Server, free_port, stack_env
from tests.faults.journey import ADMIN, OLS_ROLES, new_job, to_queued, verify_downloads, wait_status
from tests.faults.procs import WorkerProcess

pytestmark = pytest.mark.slow


def test_worker_killed_mid_run_is_reclaimed_and_finishes_once(tmp_path: Path) -> None:
    (tmp_path / "ado").mkdir()
    llm = ScriptedLLMServer(default=Analyst(prefer="ols_robust", roles=OLS_ROLES).reply).start()
    env = stack_env(tmp_path, llm, SS_LEASE_SECONDS="2")
    api = Server(env, free_port(), tmp_path / "api.log", args=("--no-worker",)).start()
    first = WorkerProcess(env, tmp_path / "worker1.log")
    second = WorkerProcess(env, tmp_path / "worker2.log")
    try:
        with api.client() as client:
            job_id, auth = new_job(client)
            to_queued(client, job_id, auth)
            first.start(SS_STATA_DOUBLE_DIRECTIVES="sleep 3")
            wait_status(client, job_id, auth, {"running"}, timeout=30)
            time.sleep(0.5)  # the Stata double is sleeping inside the first claim
            first.kill9()
            assert client.get(f"/v1/jobs/{job_id}", headers=auth).json()["status"] == "running"
            second.start(SS_STATA_DOUBLE_DIRECTIVES="")
            status = wait_status(client, job_id, auth, {"succeeded", "failed"}, timeout=60)
            assert status["status"] == "succeeded", status
            assert status["latest_run"]["claim_count"] == 2
            time.sleep(4)  # the orphaned first Stata process has ended by now
            detail = client.get(f"/api/admin/jobs/{job_id}", headers=ADMIN).json()
            assert len(detail["runs"]) == 1 and detail["runs"][0]["status"] == "succeeded"
            finishes = [e for e in detail["audit"] if e["event"].startswith("run.")
                        and e["event"] != "run.queued"]
            assert [e["event"] for e in finishes] == ["run.succeeded"]
            paths = [a["rel_path"] for a in detail["artifact_index"]]
            run_paths = [p for p in paths if p.startswith("runs/")]
            dead = {p.split("/c1/", 1)[1] for p in run_paths if "/c1/" in p}
            # the dead claim archived only what exists before Stata starts (its own do-file,
            # under its own prefix); nothing Stata produced in it is ever indexed
            assert dead <= {"job.do", "preflight.log"}, dead
            live = {p.split("/c2/", 1)[1] for p in run_paths if "/c2/" in p}
            assert {"job.do", "stata.log", "run_meta.json"} <= live
            assert any(p.startswith("outputs/") for p in live)
            assert len(paths) == len(set(paths))
            assert verify_downloads(client, job_id, auth) == len(paths)
            # the job stays finished: a later claim attempt finds nothing to do
            assert client.get(f"/v1/jobs/{job_id}", headers=auth).json()["status"] == "succeeded"
    finally:
        first.stop()
        second.stop()
        api.stop()
        llm.stop()
