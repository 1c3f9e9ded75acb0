"""The side-by-side command keeps working: against two running services (two `ssctl serve`
processes here) it takes both through the same journey, measures both in turns and writes a
report with a ratio column. A target whose journeys end `failed` (its Stata run fails) is
measured on that ended job when `--accept-end` allows it, and the report says so under
"Gaps". Timings are figures, not checked."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from benchmarks import compare
from benchmarks.session import analyst
from tests.e2e.stack import ADMIN_TOKEN, running_stack

pytestmark = pytest.mark.slow


def test_two_targets_are_measured_in_turns_with_ratios(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    with running_stack(tmp_path / "a", analyst()) as (a, _), \
            running_stack(tmp_path / "b", analyst(),
                          SS_STATA_DOUBLE_DIRECTIVES="fail 459") as (b, _):
        assert a.proc is not None and b.proc is not None
        out, raw = tmp_path / "compare.md", tmp_path / "compare.json"
        assert compare.main([
            "--target", f"first={a.base_url}", "--admin-token", f"first={ADMIN_TOKEN}",
            "--pid", f"first={a.proc.pid}", "--target", f"second={b.base_url}",
            "--admin-token", f"second={ADMIN_TOKEN}", "--also-pid", f"first={b.proc.pid}",
            "--confirm-json", 'second={"confirmed": true}',
            "--accept-end", "second=succeeded,failed", "--rounds", "2", "--clients", "1,2",
            "--seconds", "0.5", "--upload-mb", "0.2,0.3", "--journeys", "1", "--settle", "0",
            "--out", str(out), "--json", str(raw)]) == 0
    figures = json.loads(raw.read_text(encoding="utf-8"))
    assert [len(figures["rounds"][n]) for n in ("first", "second")] == [2, 2]
    first, second = figures["summary"]["first"], figures["summary"]["second"]
    assert first["job status"][0]["rps"] > 0 and first["artifact index"][1]["rps"] > 0
    assert first["job status"][0]["cpu_ms_per_request"] > 0  # its process id was given
    assert second["job status"][0]["cpu_ms_per_request"] is None
    assert second["job status"][0]["rps"] > 0  # measured on the failed job
    assert set(first["upload_s"]) == {"0.2", "0.3"} and first["upload_s"]["0.3"] > 0
    assert first["journey_s"] > 0 and first["rss_mib"] > 0
    assert first["journey_end"] == ["succeeded"] and second["journey_end"] == ["failed"]
    assert second["journey_s"] is None and second["artifacts"] >= 0
    idle = figures["idle"]
    # the service of "first" counts the other server too (--also-pid), its API alone does not
    assert idle["first"]["service_mib"] > idle["first"]["api_mib"] > 0
    assert idle["second"]["api_mib"] is None
    text = out.read_text(encoding="utf-8")
    assert "## job status GET" in text and "## artifact index GET" in text
    assert "| second | 1 |" in text and "**1.00**" in text
    assert "- second: no process id (--pid)" in text
    assert "- second: the journey ended failed (not succeeded) in 2 of 2 rounds" in text
    assert ADMIN_TOKEN not in text and "first=<admin token>" in text


def test_a_journey_that_fails_stops_the_run_unless_accepted(tmp_path: Path) -> None:
    failing = running_stack(tmp_path, analyst(), SS_STATA_DOUBLE_DIRECTIVES="fail 459")
    ended = "ended failed .*--accept-end b=succeeded,failed"
    with failing as (b, _), pytest.raises(RuntimeError, match=ended):
        compare.main(["--target", f"b={b.base_url}", "--admin-token", f"b={ADMIN_TOKEN}",
                      "--rounds", "1", "--clients", "1", "--seconds", "0.2",
                      "--upload-mb", "0", "--journeys", "1", "--settle", "0"])


def test_a_served_checkout_runs_under_the_interpreter_it_is_given(tmp_path: Path) -> None:
    root = Path(__file__).resolve().parents[2]
    python = tmp_path / "python"  # records that it was the one started, then is this Python
    python.write_text(f'#!/bin/sh\necho "$@" > {tmp_path / "started"}\n'
                      f'exec {sys.executable} "$@"\n')
    python.chmod(0o755)
    with compare.served_checkout("ours", root, tmp_path, [], python) as target:
        assert target.pid is not None
    assert (tmp_path / "started").read_text().split()[:3] == ["-m", "ss_http.cli", "serve"]
