"""The side-by-side command keeps working: against two running services (two `ssctl serve`
processes here) it takes both through the same journey, measures both in turns and writes a
report with a ratio column. Timings are figures, not checked."""

from __future__ import annotations

import json
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
            running_stack(tmp_path / "b", analyst()) as (b, _):
        assert a.proc is not None and b.proc is not None
        out, raw = tmp_path / "compare.md", tmp_path / "compare.json"
        assert compare.main([
            "--target", f"first={a.base_url}", "--admin-token", f"first={ADMIN_TOKEN}",
            "--pid", f"first={a.proc.pid}", "--target", f"second={b.base_url}",
            "--admin-token", f"second={ADMIN_TOKEN}", "--rounds", "2", "--clients", "1,2",
            "--seconds", "0.5", "--upload-mb", "0.2", "--journeys", "1",
            "--out", str(out), "--json", str(raw)]) == 0
    figures = json.loads(raw.read_text(encoding="utf-8"))
    assert [len(figures["rounds"][n]) for n in ("first", "second")] == [2, 2]
    first = figures["summary"]["first"]
    assert first["job status"][0]["rps"] > 0 and first["artifact index"][1]["rps"] > 0
    assert first["job status"][0]["cpu_ms_per_request"] > 0  # its process id was given
    assert figures["summary"]["second"]["job status"][0]["cpu_ms_per_request"] is None
    assert first["upload_s"] > 0 and first["journey_s"] > 0 and first["rss_mib"] > 0
    text = out.read_text(encoding="utf-8")
    assert "## job status GET" in text and "## artifact index GET" in text
    assert "| second | 1 |" in text and "**1.00**" in text
