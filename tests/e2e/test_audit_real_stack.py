"""`ssctl audit` against a real local stack (real server and worker, real adapters, doubles
only behind the LLM endpoint and the Stata executable). The READY report is kept under
reports/audit/ as a build artifact."""

from __future__ import annotations

import json
import os
import shlex
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.e2e.stack import ADMIN_TOKEN, ROOT, Analyst, running_stack

pytestmark = pytest.mark.slow

WAGES = "wage,educ,firm,exper\n10.5,12,1,3\n12.0,16,2,5\n9.0,10,1,1\n14.2,18,3,9\n11.1,14,2,4\n"
PANEL = "id,year,y,x\n" + "".join(f"{i},{t},{1.5 * i + 0.3 * t},{i * t % 7}\n"
                                  for i in range(1, 7) for t in range(2000, 2006))


def issue_code(server) -> str:
    with server.client() as client:
        r = client.post("/api/admin/task-codes", json={"count": 1},
                        headers={"Authorization": f"Bearer {ADMIN_TOKEN}"})
        return r.json()["task_codes"][0]["task_code"]


def audit(server, tmp: Path, dataset: str, requirement: str, report_dir: Path,
          *extra: str) -> tuple[int, dict]:
    data = tmp / "dataset.csv"
    data.write_text(dataset, encoding="utf-8")
    cmd = [sys.executable, "-m", "ss_http.cli", "audit", "--base-url", server.base_url,
           "--task-code", issue_code(server), "--dataset", str(data),
           "--requirement", requirement, "--admin-token", ADMIN_TOKEN,
           "--report-dir", str(report_dir), "--timeout", "60", *extra]
    done = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True, timeout=300)
    report = json.loads((report_dir / "audit_report.json").read_text(encoding="utf-8"))
    return done.returncode, report


RESTART = """
import json, os, signal, subprocess, sys, time
spec = json.load(open(sys.argv[1]))
os.killpg(spec["pid"], signal.SIGKILL)
time.sleep(0.5)
log = open(spec["log"], "ab")
proc = subprocess.Popen([sys.executable, "-m", "ss_http.cli", "serve", "--port", spec["port"]],
                        cwd=spec["root"], env=spec["env"], stdout=log, stderr=subprocess.STDOUT,
                        start_new_session=True)
open(spec["pidfile"], "w").write(str(proc.pid))
"""


def test_audit_of_the_local_stack_is_ready_and_survives_a_restart(tmp_path: Path) -> None:
    analyst = Analyst(prefer="ols_robust", roles={
        "outcome": "wage", "treatment": "educ", "controls": ["exper"], "cluster": "firm"})
    report_dir = ROOT / "reports" / "audit"
    pidfile = tmp_path / "restarted.pid"
    with running_stack(tmp_path, analyst) as (server, _):
        script, spec = tmp_path / "restart.py", tmp_path / "restart.json"
        script.write_text(RESTART, encoding="utf-8")
        spec.write_text(json.dumps({
            "pid": server.proc.pid, "port": str(server.port), "env": server.env,
            "root": str(ROOT), "log": str(tmp_path / "server.log"),
            "pidfile": str(pidfile)}), encoding="utf-8")
        try:
            code, report = audit(server, tmp_path, WAGES, "OLS of wage on education",
                                 report_dir, "--restart-cmd",
                                 shlex.join([sys.executable, str(script), str(spec)]))
        finally:
            if pidfile.exists():
                os.killpg(int(pidfile.read_text()), signal.SIGKILL)
    failed = [p for p in report["points"] if p["status"] == "FAIL"]
    assert code == 0, json.dumps(failed, indent=1)[:3000]
    assert report["verdict"] == "READY"
    points = {p["id"]: p for p in report["points"]}
    restart_points = [p for p in points if "restart" in p]
    assert restart_points and all(points[p]["status"] == "PASS" for p in restart_points)
    assert pidfile.exists()


def test_audit_reports_a_missing_stata_package_as_a_failed_point(tmp_path: Path) -> None:
    analyst = Analyst(prefer="panel_hdfe_reghdfe", roles={
        "outcome": "y", "regressors": ["x"], "unit_id": "id", "time": "year"})
    with running_stack(tmp_path, analyst) as (server, _):
        code, report = audit(server, tmp_path, PANEL, "reghdfe 高维固定效应",
                             tmp_path / "report")
    assert code == 1 and report["verdict"] == "NOT READY"
    failed = {p["id"]: p for p in report["points"] if p["status"] == "FAIL"}
    assert "run" in failed
    assert "STATA_DEPENDENCY_MISSING" in json.dumps(failed["run"]["evidence"])
