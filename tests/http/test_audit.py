"""``ssctl audit`` against a real server: READY over a sound stack, NOT READY naming the point
that breaks (missing Stata package, violated production requirement)."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path

from ss_adapters.gate import ProductionGate, Requirement
from ss_core.errors import SSError
from ss_http.audit.context import AuditOptions
from ss_http.audit.points import POINTS
from ss_http.audit.report import FAIL, PASS, SKIP
from ss_http.audit.runner import run_audit
from ss_http.cli import main as ssctl
from tests.core.journey_kit import make_kit
from tests.http.live_server import ADMIN, issue_code, serve

WAGES = "工资,educ,firm\n10.5,12,1\n12.0,16,2\n9.0,10,1\n8.5,9,2\n".encode()
PANEL = b"firm,year,y,x\n1,2020,1.0,2.0\n1,2021,1.5,2.5\n2,2020,0.5,1.0\n2,2021,0.7,1.4\n"
NOOP_RESTART = shlex.join([sys.executable, "-c", "pass"])


def _dataset(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def test_sound_stack_is_ready_with_every_point_passing(tmp_path):
    kit = make_kit(roles={"outcome": "v1_525353", "treatment": "educ", "cluster": "firm"})
    kit.llm.choose = "ols_robust"
    dataset = _dataset(tmp_path, "wages.csv", WAGES)
    with serve(kit) as base_url:
        code = issue_code(base_url)
        exit_code = ssctl([
            "audit", "--base-url", base_url, "--task-code", code, "--dataset", str(dataset),
            "--requirement", "OLS of wage on education, cluster by firm",
            "--admin-token", ADMIN, "--restart-cmd", NOOP_RESTART,
            "--report-dir", str(tmp_path), "--timeout", "20", "--poll-seconds", "0.05"])
    report = json.loads((tmp_path / "audit_report.json").read_text(encoding="utf-8"))
    statuses = {p["id"]: p["status"] for p in report["points"]}
    assert statuses == {pid: PASS for pid, _, _ in POINTS}, [
        (p["id"], p["summary"], p["evidence"]) for p in report["points"] if p["status"] != PASS]
    assert exit_code == 0 and report["verdict"] == "READY"
    assert report["template"]["template_id"] == "ols_robust"
    assert report["template"]["rationale"] and report["llm_models"] == ["schema-llm-1"]
    points = {p["id"]: p for p in report["points"]}
    assert points["run_meta"]["evidence"]["exit_code"] == 0
    assert points["run_meta"]["evidence"]["command_line"][0] == "stata"
    assert points["freeze_missing_required"]["evidence"]["missing_params"] == ["depvar", "treatvar"]
    assert all(r["request_id"] == r["echoed_request_id"]
               for p in report["points"] for r in p["requests"])
    markdown = (tmp_path / "audit_report.md").read_text(encoding="utf-8")
    assert markdown.startswith("# SS production audit: READY")
    assert report["plan_id"] in markdown and "regression_table.csv" in markdown


def test_missing_stata_package_fails_the_run_point(tmp_path):
    kit = make_kit(roles={"outcome": "y", "regressors": ["x"], "unit_id": "firm",
                          "time": "year"})
    kit.llm.choose = "panel_hdfe_reghdfe"
    dataset = _dataset(tmp_path, "panel.csv", PANEL)
    with serve(kit) as base_url:
        options = AuditOptions(
            base_url=base_url, task_code=issue_code(base_url), dataset=dataset,
            requirement="reghdfe regression of y on x with firm and year fixed effects",
            report_dir=tmp_path, timeout=20, poll_seconds=0.05)
        report = run_audit(options)
    run = report.point("run")
    assert report.template["template_id"] == "panel_hdfe_reghdfe"
    assert run.status == FAIL and run.evidence["error_code"] == "STATA_DEPENDENCY_MISSING"
    assert "reghdfe" in run.evidence["missing_packages"]
    assert report.point("artifacts").status == SKIP
    assert report.point("restart").status == SKIP
    assert report.verdict == "NOT READY" and report.exit_code == 1


async def _database_down() -> dict:
    raise SSError("the database does not answer", code="SERVICE_NOT_READY")


def test_violated_requirement_fails_the_readiness_point(tmp_path):
    kit = make_kit(roles={"outcome": "v1_525353", "treatment": "educ"})
    gate = ProductionGate([Requirement("database", "start the database", _database_down)])
    dataset = _dataset(tmp_path, "wages.csv", WAGES)
    with serve(kit, gate) as base_url:
        exit_code = ssctl([
            "audit", "--base-url", base_url, "--task-code", issue_code(base_url),
            "--dataset", str(dataset), "--requirement", "OLS of wage on education",
            "--report-dir", str(tmp_path), "--timeout", "20", "--poll-seconds", "0.05"])
    report = json.loads((tmp_path / "audit_report.json").read_text(encoding="utf-8"))
    points = {p["id"]: p for p in report["points"]}
    assert exit_code == 1 and report["verdict"] == "NOT READY"
    assert points["readiness"]["status"] == FAIL
    assert points["readiness"]["evidence"]["violations"][0]["name"] == "database"
    assert points["readiness"]["evidence"]["ready_status"] == 503
    assert points["run"]["status"] == PASS


def test_audit_command_does_not_import_the_adapters():
    import subprocess

    probe = ("import sys\n"
             "from ss_http.cli import build_parser\n"
             "import ss_http.audit.runner\n"
             "build_parser().parse_args(['audit', '--base-url', 'u', '--task-code', 'c',\n"
             "                           '--dataset', 'd', '--requirement', 'r'])\n"
             "print(sorted(m for m in sys.modules if m.startswith('ss_adapters')))")
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True,
                         cwd=Path(__file__).resolve().parents[2], check=True)
    assert out.stdout.strip().splitlines()[-1] == "[]"
