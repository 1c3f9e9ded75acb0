"""``python -m benchmarks.selection`` keeps working: against the LLM protocol double (the
real adapter on the wire, answers generated from the request schemas) it runs the two stages
for a few requests and reports every figure; without an LLM it names what is missing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.doubles.llm_server import ScriptedLLMServer

ROOT = Path(__file__).resolve().parents[2]


def run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("SS_LLM_")}
    return subprocess.run([sys.executable, "-m", "benchmarks.selection", *args], cwd=ROOT,
                          env={**clean, **env}, capture_output=True, text=True, timeout=120,
                          check=False)


def test_two_stage_run_reports_accuracy_and_misses(tmp_path: Path) -> None:
    with ScriptedLLMServer() as server:
        done = run(server.env(), "--ids", "r001,r116,r140", "--json", str(tmp_path / "r.json"))
    assert done.returncode == 0, done.stderr[-3000:]
    assert "chosen template acceptable:" in done.stdout and "## Misses" in done.stdout
    rows = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    assert [r["id"] for r in rows] == ["r001", "r116", "r140"]
    assert all("chosen" in r and r["candidates"] for r in rows)


def test_without_an_llm_it_names_the_missing_settings() -> None:
    done = run({}, "--limit", "1")
    assert done.returncode == 2
    assert json.loads(done.stderr)["error_code"] == "LLM_NOT_CONFIGURED"
