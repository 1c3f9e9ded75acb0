"""``ssctl check`` tells the truth for every role, on a configured and an unconfigured host.

The command runs in-process with the real adapters; the LLM endpoint is the protocol double
and Stata the executable double. Checking never launches Stata unless the role runs Stata.
"""

from __future__ import annotations

import asyncio
import json
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest

from ss_adapters.settings import load_settings
from ss_adapters.sql.repositories import SqlRepositories
from ss_http.cli import main
from tests.doubles.llm_server import ScriptedLLMServer
from tests.e2e.stack import Analyst, stack_env

MISSING_ON_A_BARE_HOST = {
    "all": {"llm", "stata", "admin_secret"},
    "api": {"llm", "admin_secret"},
    "worker": {"stata"},
}


@pytest.fixture(scope="module")
def llm():
    server = ScriptedLLMServer(default=Analyst().reply).start()
    yield server
    server.stop()


def run_check(monkeypatch, capsys, env: dict[str, str], *args: str) -> tuple[int, dict]:
    for key in [k for k in os.environ if k.startswith("SS_")]:
        monkeypatch.delenv(key)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    code = main(["check", "--json", *args])
    out = capsys.readouterr().out
    return code, json.loads(out)


@pytest.mark.parametrize("role", ["all", "api", "worker"])
def test_configured_host_is_ready_for_every_role(role, tmp_path: Path, llm, monkeypatch,
                                                 capsys) -> None:
    code, report = run_check(monkeypatch, capsys, stack_env(tmp_path, llm), "--role", role)
    assert report["ready"] is True and code == 0, report
    names = {c["name"] for c in report["checks"]}
    assert ("stata" in names) is (role != "api")
    assert ("worker" in names) is (role != "api")
    assert ("admin_secret" in names) is (role != "worker")
    warnings = {c["name"] for c in report["checks"] if c["warning"]}
    assert warnings == ({"workers"} if role == "api" else set())


def test_api_host_stops_warning_once_a_worker_heartbeats(tmp_path: Path, llm, monkeypatch,
                                                         capsys) -> None:
    env = stack_env(tmp_path, llm, SS_WORKER_HEARTBEAT_SECONDS="30")
    run_check(monkeypatch, capsys, env, "--role", "api")  # creates the schema

    async def beat() -> None:
        repos = SqlRepositories.from_settings(load_settings(env).database)
        now = datetime.now(UTC)
        await repos.workers.beat("stata-host:1", "worker", now, now)
        await repos.close()

    asyncio.run(beat())
    code, report = run_check(monkeypatch, capsys, env, "--role", "api")
    workers = next(c for c in report["checks"] if c["name"] == "workers")
    assert code == 0 and workers["ok"] and workers["details"]["workers_alive"] == 1


@pytest.mark.parametrize("role", ["all", "api", "worker"])
def test_unconfigured_host_names_exactly_what_is_missing(role, tmp_path: Path, monkeypatch,
                                                         capsys) -> None:
    env = {"SS_DATA_DIR": str(tmp_path / "data"), "HOME": str(tmp_path)}
    code, report = run_check(monkeypatch, capsys, env, "--role", role)
    assert code == 1 and report["ready"] is False
    failed = {c["name"] for c in report["checks"] if not c["ok"] and not c["warning"]}
    assert failed == MISSING_ON_A_BARE_HOST[role]
    assert all(c["how_to_fix"] for c in report["checks"] if not c["ok"])


def test_unwritable_run_directory_fails_the_worker_requirement(tmp_path: Path, llm, monkeypatch,
                                                               capsys) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("a file where the run directories should be")
    env = stack_env(tmp_path, llm, SS_STATA_WORK_DIR=str(blocker / "runs"))
    code, report = run_check(monkeypatch, capsys, env, "--role", "worker")
    worker = next(c for c in report["checks"] if c["name"] == "worker")
    assert code == 1 and not worker["ok"] and worker["details"]["missing"] == [
        "SS_STATA_WORK_DIR"]


def test_issuing_task_codes_never_launches_stata(tmp_path: Path, monkeypatch, capsys) -> None:
    launches = tmp_path / "launched"
    stata = tmp_path / "stata"
    stata.write_text(f"#!/bin/sh\necho launched >> {launches}\nexit 1\n")
    stata.chmod(0o755)
    env = {"SS_DATA_DIR": str(tmp_path / "data"), "SS_STATA_CMD": str(stata)}
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    assert main(["task-codes", "issue", "--count", "2"]) == 0
    issued = json.loads(capsys.readouterr().out)
    assert len(issued) == 2
    assert not launches.exists()
