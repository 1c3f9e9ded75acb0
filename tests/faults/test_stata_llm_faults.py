"""A hanging Stata run and a misbehaving LLM provider, against a real `ssctl serve` stack."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.e2e.stack import STATA_DOUBLE, Analyst, running_stack
from tests.faults.journey import (
    OLS_ROLES,
    WAGES,
    artifacts,
    new_job,
    to_queued,
    upload,
    wait_status,
)

pytestmark = pytest.mark.slow


def hanging_stata(tmp: Path, marker: str) -> Path:
    """The Stata double, made to sleep 30 s when the run's do-files mention ``marker``."""
    script = tmp / "stata-hang"
    script.write_text(
        "#!/bin/sh\n"
        f"if grep -qs '{marker}' ./*.do; then\n"
        "  SS_STATA_DOUBLE_DIRECTIVES='sleep 30'; export SS_STATA_DOUBLE_DIRECTIVES\n"
        "fi\n"
        f"exec '{STATA_DOUBLE}' \"$@\"\n", encoding="utf-8")
    os.chmod(script, 0o755)
    return script


def test_stata_hang_times_out_and_releases_the_seat(tmp_path: Path) -> None:
    analyst = Analyst(prefer="ols_robust", roles=OLS_ROLES)
    env = {"SS_STATA_CMD": str(hanging_stata(tmp_path, "hangme")),
           "SS_STATA_TIMEOUT_SECONDS": "2", "SS_STATA_MAX_CONCURRENT": "1",
           "SS_STATA_TIMEOUT_MULTIPLIERS": "short=1,standard=1,long=1",
           "SS_STATA_KILL_GRACE_SECONDS": "0.5", "SS_LEASE_SECONDS": "5"}
    with running_stack(tmp_path, analyst, **env) as (server, _), server.client() as client:
        hung_id, hung_auth = new_job(client)
        analyst.roles = {**OLS_ROLES, "outcome": "hangme"}
        to_queued(client, hung_id, hung_auth, WAGES.replace("wage,", "hangme,", 1))
        analyst.roles = OLS_ROLES
        next_id, next_auth = new_job(client)
        to_queued(client, next_id, next_auth)
        hung = wait_status(client, hung_id, hung_auth, {"succeeded", "failed"}, timeout=40)
        assert hung["status"] == "failed"
        assert hung["error"]["error_code"] == "STATA_TIMEOUT"
        assert hung["error"]["retryable"] is True
        after = wait_status(client, next_id, next_auth, {"succeeded", "failed"}, timeout=40)
        assert after["status"] == "succeeded", after
        kinds = {a["kind"] for a in artifacts(client, hung_id, hung_auth)}
        assert "error_report" in kinds


def test_llm_429_storm_and_hang_are_structured_and_retryable(tmp_path: Path) -> None:
    analyst = Analyst(prefer="ols_robust", roles=OLS_ROLES)
    with running_stack(tmp_path, analyst, SS_LLM_TIMEOUT="1.5", SS_LLM_MAX_RETRIES="1",
                       SS_LLM_BACKOFF_BASE="0.05", SS_LLM_RETRY_AFTER_MAX="0.3") as (
            server, llm), server.client() as client:
        job_id, auth = new_job(client)
        assert upload(client, job_id, auth, WAGES).status_code == 200
        before = {a["rel_path"] for a in artifacts(client, job_id, auth)}
        outcomes = []
        for _ in range(3):  # a storm: every attempt (and its one retry) is refused
            llm.enqueue(429, {"error": {"message": "rate limited"}}, {"Retry-After": "1"})
            llm.enqueue(429, {"error": {"message": "rate limited"}}, {"Retry-After": "1"})
            r = client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
            outcomes.append((r.status_code, r.json()))
        llm.enqueue_hang()
        llm.enqueue_hang()
        r = client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
        outcomes.append((r.status_code, r.json()))
        for status, body in outcomes:
            assert status >= 500 and status != 500, body
            assert body["error_code"].startswith("LLM_") and body["retryable"] is True, body
            assert "Traceback" not in str(body)
        assert outcomes[-1][1]["error_code"] == "LLM_TIMEOUT"
        assert {b["error_code"] for _, b in outcomes[:3]} <= {"LLM_CALL_FAILED",
                                                              "LLM_RATE_LIMITED"}
        status = client.get(f"/v1/jobs/{job_id}", headers=auth).json()
        assert status["status"] == "inputs_uploaded"
        kinds = {a["kind"] for a in artifacts(client, job_id, auth)
                 if a["rel_path"] not in before}
        assert kinds <= {"llm_trace"}  # failed calls leave traces only, never a draft
        r = client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth)
        assert r.status_code == 200, r.text
        assert r.json()["outcome_var"] == "wage"
        assert client.get(f"/v1/jobs/{job_id}", headers=auth).json()["status"] == "draft_ready"
