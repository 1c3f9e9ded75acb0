"""Load: many complete journeys from concurrent clients against a local stack (a real
`ssctl serve` with its in-process worker plus standalone workers; the LLM server double and
the Stata executable double). Nothing may be lost or duplicated, and every artifact index
must agree with storage.

Defaults (200 journeys, 32 clients, 1 extra worker) finish in about two minutes here. Bigger,
by hand:

    SS_LOAD_JOURNEYS=2000 SS_LOAD_CLIENTS=64 SS_LOAD_EXTRA_WORKERS=3 \\
        .venv/bin/python -m pytest -q -s -m slow tests/load

The run's wall time is printed, never asserted: a loaded machine stretches it; a journey
waiting longer than `SS_LOAD_STUCK_SECONDS` (900) for its run fails as stuck.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.doubles.llm_server import ScriptedLLMServer
from tests.e2e.stack import Analyst, Server, free_port, stack_env
from tests.faults.journey import (
    ADMIN,
    OLS_ROLES,
    WAGES,
    issue_codes,
    redeem,
    to_queued,
    verify_downloads,
    wait_status,
)
from tests.faults.procs import WorkerProcess

pytestmark = pytest.mark.slow

JOURNEYS = int(os.environ.get("SS_LOAD_JOURNEYS", "200"))
CLIENTS = int(os.environ.get("SS_LOAD_CLIENTS", "32"))
EXTRA_WORKERS = int(os.environ.get("SS_LOAD_EXTRA_WORKERS", "1"))
# How long one journey may wait for its run before it counts as stuck (not a speed target:
# throughput is printed and measured by the benchmarks, whatever else the machine runs).
STUCK_SECONDS = float(os.environ.get("SS_LOAD_STUCK_SECONDS", "900"))


def journey(base_url: str, code: str, index: int) -> dict[str, Any]:
    started = time.monotonic()
    with httpx.Client(base_url=base_url, timeout=60) as client:
        job_id, auth = redeem(client, code, f"OLS regression number {index}")
        data = WAGES + f"{10 + index % 7}.5,{12 + index % 5},{1 + index % 3},{index % 9}\n"
        to_queued(client, job_id, auth, data)
        status = wait_status(client, job_id, auth, {"succeeded", "failed"},
                             timeout=STUCK_SECONDS)
        downloads = verify_downloads(client, job_id, auth)
    return {"job_id": job_id, "status": status["status"], "error": status.get("error"),
            "downloads": downloads, "seconds": time.monotonic() - started}


def test_concurrent_journeys_lose_and_duplicate_nothing(tmp_path: Path) -> None:
    (tmp_path / "ado").mkdir()
    llm = ScriptedLLMServer(default=Analyst(prefer="ols_robust", roles=OLS_ROLES).reply).start()
    env = stack_env(tmp_path, llm, SS_LEASE_SECONDS="30", SS_WORKER_POLL_SECONDS="0.1",
                    SS_LLM_MAX_CONCURRENT="16")
    server = Server(env, free_port(), tmp_path / "server.log").start()
    workers = [WorkerProcess(env, tmp_path / f"worker{i}.log").start()
               for i in range(EXTRA_WORKERS)]
    started = time.monotonic()
    try:
        with server.client() as admin:
            codes = []
            while len(codes) < JOURNEYS:
                codes += issue_codes(admin, min(1000, JOURNEYS - len(codes)))
            with ThreadPoolExecutor(max_workers=CLIENTS) as pool:
                results = list(pool.map(lambda a: journey(server.base_url, *a),
                                        [(code, i) for i, code in enumerate(codes)]))
            elapsed = time.monotonic() - started
            failed = [r for r in results if r["status"] != "succeeded"]
            assert not failed, failed[:3]
            job_ids = [r["job_id"] for r in results]
            assert len(set(job_ids)) == JOURNEYS
            listed = admin.get("/api/admin/jobs", params={"limit": 1000},
                               headers=ADMIN).json()["jobs"]
            offset = 1000
            while len(listed) == offset:
                listed += admin.get("/api/admin/jobs", params={"limit": 1000, "offset": offset},
                                    headers=ADMIN).json()["jobs"]
                offset += 1000
            assert sorted(j["job_id"] for j in listed) == sorted(job_ids)
            redeemed = [c for c in admin.get("/api/admin/task-codes", params={"limit": 1000},
                                             headers=ADMIN).json()["task_codes"]
                        if c["redeemed_at"]]
            assert len(redeemed) == min(JOURNEYS, 1000) and all(c["job_id"] for c in redeemed)
            for job_id in job_ids[:: max(1, JOURNEYS // 50)]:
                detail = admin.get(f"/api/admin/jobs/{job_id}", headers=ADMIN).json()
                assert len(detail["runs"]) == 1 and detail["runs"][0]["claim_count"] == 1
                events = Counter(e["event"] for e in detail["audit"])
                assert events["run.succeeded"] == 1 and events["run.queued"] == 1
                paths = [a["rel_path"] for a in detail["artifact_index"]]
                assert len(paths) == len(set(paths))
            latencies = sorted(r["seconds"] for r in results)
            print(f"\nload: {JOURNEYS} journeys, {CLIENTS} clients, {1 + EXTRA_WORKERS} workers "
                  f"in {elapsed:.1f}s ({JOURNEYS / elapsed:.2f} journeys/s); journey p50 "
                  f"{latencies[len(latencies) // 2]:.1f}s p95 "
                  f"{latencies[int(len(latencies) * 0.95)]:.1f}s; "
                  f"{sum(r['downloads'] for r in results)} downloads verified")
    finally:
        for worker in workers:
            worker.stop()
        server.stop()
        llm.stop()
