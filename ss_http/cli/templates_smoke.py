"""``ssctl templates smoke``: run templates in real Stata on fixtures with known answers.

For each template: a fresh run directory, the fixture staged as ``primary.dta``, the do-file
rendered by the real renderer as ``main.do``, ``<stata-cmd> -b -q do main.do`` (argv list, no
shell, cwd = run directory, process group killed on timeout), success judged from the batch log,
``ss_results.csv`` compared with the plan's expectations and required outputs checked.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from ss_core.authoring.smoke_plan import (
    EXPECTED_FILE,
    PLAN_FILE,
    ExpectedFile,
    SmokeCase,
    SmokePlan,
    compare,
    decode_expected,
    decode_plan,
    judge_log,
    plan_problems,
    read_results,
)
from ss_core.errors import SSError, ValidationFailed
from ss_core.library.loader import load_library
from ss_core.library.meta import Template
from ss_core.rendering.house import ANALYSIS_LOG, HOUSE_OUTPUTS, PRIMARY_DTA, RESULTS_FILE
from ss_http.cli.templates_render import bind_and_render
from ss_http.cli.templates_smoke_report import Outcome, write_reports

DO_FILE = "main.do"
BATCH_LOG = "main.log"


def _run_stata(stata_cmd: str, run_dir: Path, timeout: float) -> tuple[int | None, str]:
    """Run the batch job; (exit status or None on timeout, stderr tail)."""
    with subprocess.Popen(
        [stata_cmd, "-b", "-q", "do", DO_FILE], cwd=run_dir, stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
    ) as proc:
        try:
            _out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            return None, ""
    return proc.returncode, err.decode("utf-8", "replace")[-500:]


def _log_text(run_dir: Path) -> str:
    for name in (BATCH_LOG, ANALYSIS_LOG):
        path = run_dir / name
        if path.is_file():
            return path.read_text(encoding="utf-8", errors="replace")
    return ""


def run_one(
    template: Template, case: SmokeCase, expected: ExpectedFile, fixtures: Path,
    run_dir: Path, stata_cmd: str, timeout: float,
) -> Outcome:
    from ss_http.cli.dataset_schema import schema_of  # pandas: only for this command

    started = time.monotonic()
    fixture = expected.fixtures[case.fixture]
    if run_dir.exists():
        shutil.rmtree(run_dir)  # never judge files left by an earlier run
    run_dir.mkdir(parents=True)
    staged = run_dir / PRIMARY_DTA
    shutil.copyfile(fixtures / fixture.file, staged)
    outcome = Outcome(template_id=template.id, fixture=case.fixture, run_dir=str(run_dir))
    try:
        rendered = bind_and_render(template, schema_of(staged), dict(case.roles),
                                   dict(case.params), plan_id=f"smoke-{template.id}")
    except SSError as exc:
        return outcome.failed(f"binding/rendering failed: {exc.message} {exc.context}")
    (run_dir / DO_FILE).write_bytes(rendered.data)
    try:
        status, stderr = _run_stata(stata_cmd, run_dir, timeout)
    except OSError as exc:
        return outcome.failed(f"cannot start {stata_cmd!r}: {exc}")
    outcome.seconds = round(time.monotonic() - started, 2)
    if status is None:
        return outcome.failed(f"timed out after {timeout:g}s")
    verdict = judge_log(_log_text(run_dir))
    outcome.rc = verdict.rc
    if not verdict.ok:
        return outcome.failed(verdict.reason + (f"; stderr: {stderr.strip()}" if stderr else ""))
    results = run_dir / RESULTS_FILE
    rows = read_results(results.read_text(encoding="utf-8")) if results.is_file() else []
    outcome.comparisons = compare(rows, case, fixture)
    outcome.missing_outputs = [
        o.file for o in (*template.meta.outputs, *HOUSE_OUTPUTS)
        if o.required and not (run_dir / o.file).is_file()
    ]
    wrong = [c for c in outcome.comparisons if not c.ok]
    if wrong:
        return outcome.failed("; ".join(
            f"{c.step}/{c.term} {c.column}: expected {c.expected:g} +- {c.tolerance:g}, "
            f"got {c.actual}" for c in wrong))
    if outcome.missing_outputs:
        return outcome.failed(f"required outputs missing: {', '.join(outcome.missing_outputs)}")
    outcome.status = "PASS"
    return outcome


def _load_plan(fixtures: Path) -> tuple[SmokePlan, ExpectedFile]:
    plan = decode_plan((fixtures / PLAN_FILE).read_bytes())
    expected = decode_expected((fixtures / EXPECTED_FILE).read_bytes())
    problems = plan_problems(plan, expected)
    if problems:
        raise ValidationFailed(f"{PLAN_FILE} has {len(problems)} problem(s)", problems=problems)
    return plan, expected


def run(args: argparse.Namespace) -> int:
    library = load_library(args.library, check_index=False)
    fixtures = args.fixtures or args.library / "fixtures"
    plan, expected = _load_plan(fixtures)
    wanted = [t.strip() for t in args.templates.split(",") if t.strip()]
    # A path is resolved now: the child starts in the run directory.
    stata_cmd = str(Path(args.stata_cmd).resolve()) if os.sep in args.stata_cmd else args.stata_cmd
    report_dir = args.report_dir or Path(tempfile.mkdtemp(prefix="ss-smoke-"))
    report_dir.mkdir(parents=True, exist_ok=True)
    outcomes: list[Outcome] = []
    ids = wanted or [t.id for t in library]
    for position, template_id in enumerate(ids, start=1):
        progress = f"[{position}/{len(ids)}]"
        if template_id not in library:
            outcomes.append(Outcome(template_id=template_id).failed("not in the library"))
            continue
        template = library.get(template_id)
        case, source = plan.case_for(template_id, template.meta.data_shape)
        if case is None:
            outcomes.append(Outcome(template_id=template_id).failed(
                f"no smoke case and no default for data_shape {template.meta.data_shape!r}"))
            continue
        outcome = run_one(template, case, expected, fixtures, report_dir / "runs" / template_id,
                          stata_cmd, args.timeout)
        outcome.case_source = source
        outcomes.append(outcome)
        print(f"{progress} {outcome.status:4} {template_id} {outcome.reason}", flush=True)
        for extra in plan.data_cases_for(template_id):
            label = f"{template_id}@{extra.name}"
            outcome = run_one(template, extra, expected, fixtures, report_dir / "runs" / label,
                              stata_cmd, args.timeout)
            outcome.template_id, outcome.case_source = label, "data_case"
            outcomes.append(outcome)
            print(f"{progress} {outcome.status:4} {label} {outcome.reason}", flush=True)
    json_path, md_path = write_reports(report_dir, outcomes)
    passed = sum(o.status == "PASS" for o in outcomes)
    print(f"{passed}/{len(outcomes)} passed; reports: {json_path} {md_path}")
    return 0 if outcomes and passed == len(outcomes) else 1
