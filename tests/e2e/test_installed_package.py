"""The built wheel, installed in a fresh virtualenv, works outside the source tree.

``nox -s wheel`` (run by .ci/run) builds the wheel, installs it with constraints.txt into a new
venv per supported interpreter, and runs this module with ``SS_INSTALLED_SSCTL`` naming that
venv's ``ssctl``. Every command runs with a working directory outside the checkout, so nothing
can be read from the source tree: the template library, schemas, fixtures and migrations must
come from the installed package. Without ``SS_INSTALLED_SSCTL`` the module is skipped.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from tests.doubles.llm_server import ScriptedLLMServer
from tests.e2e.stack import Analyst, Server, free_port, stack_env
from tests.e2e.test_journey_real_http import WAGES, column, new_job, upload, wait_status

INSTALLED = os.environ.get("SS_INSTALLED_SSCTL", "")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not INSTALLED, reason="set SS_INSTALLED_SSCTL (nox -s wheel does)"),
]


def ssctl(tmp: Path, *args: str, env: dict[str, str] | None = None
          ) -> subprocess.CompletedProcess[str]:
    return subprocess.run([INSTALLED, *args], cwd=tmp, env=env or stack_env(tmp, None),
                          capture_output=True, text=True, timeout=300)


def test_the_installed_package_is_not_the_checkout(tmp_path: Path) -> None:
    python = Path(INSTALLED).with_name("python")
    where = subprocess.run(
        [str(python), "-c", "import ss_core, ss_assets; print(ss_core.__file__); "
         "print(ss_assets.__file__)"], cwd=tmp_path, capture_output=True, text=True, check=True)
    assert all("site-packages" in line for line in where.stdout.split()), where.stdout
    version = ssctl(tmp_path, "--version")
    assert version.returncode == 0 and version.stdout.startswith("ssctl "), version


def test_templates_check_and_list_from_the_installed_library(tmp_path: Path) -> None:
    check = ssctl(tmp_path, "templates", "check")
    assert check.returncode == 0, check.stdout + check.stderr
    listed = ssctl(tmp_path, "templates", "list", "--json")
    assert listed.returncode == 0, listed.stderr
    templates = json.loads(listed.stdout)
    assert f"{len(templates)} template(s) checked, 0 problem(s)" in check.stdout
    assert len(templates) >= 70


def test_check_json_is_ready_and_one_journey_runs(tmp_path: Path) -> None:
    (tmp_path / "ado").mkdir()
    analyst = Analyst(prefer="ols_robust")
    llm = ScriptedLLMServer(default=analyst.reply).start()
    try:
        env = stack_env(tmp_path, llm)
        check = ssctl(tmp_path, "check", "--json", env=env)
        report = json.loads(check.stdout)  # stdout is pure JSON
        assert check.returncode == 0 and report["ready"] is True, check.stdout + check.stderr
        server = Server(env, free_port(), tmp_path / "server.log")
        server.program, server.cwd = (INSTALLED,), tmp_path
        server.start()
        try:
            with server.client() as client:
                assert client.get("/health/ready").status_code == 200
                page = client.get("/console")  # the page ships inside the installed package
                assert page.status_code == 200 and 'id="issue-form"' in page.text
                for asset in re.findall(r'(?:src|href)="(/static/[^"]+)"', page.text):
                    assert client.get(asset).status_code == 200, asset
                job_id, auth = new_job(client, "OLS regression of wage on education")
                upload(client, job_id, auth, WAGES, "工资数据.csv")
                wage = column(client, job_id, auth, "工资")
                analyst.roles = {"outcome": wage, "treatment": "educ", "controls": ["exper"]}
                draft = client.get(f"/v1/jobs/{job_id}/draft/preview", headers=auth).json()
                assert draft["selected_template"]["template_id"] == "ols_robust"
                r = client.post(f"/v1/jobs/{job_id}/plan/freeze", headers=auth, json={})
                assert r.status_code == 200, r.text
                assert client.post(f"/v1/jobs/{job_id}/run", headers=auth).status_code == 202
                status = wait_status(client, job_id, auth, {"succeeded", "failed"})
                assert status["status"] == "succeeded", status
        finally:
            server.stop()
    finally:
        llm.stop()
