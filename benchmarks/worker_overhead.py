"""Worker overhead per job, excluding Stata and the LLM.

Method: in-process, on the same backend as the server benchmarks (the server is stopped first
so its worker does not compete for the run). A job is prepared through the use cases (redeem,
upload, draft with the LLM double, freeze ``ols_robust``, enqueue), the run is claimed, and
``execute_claim`` is timed end to end. The Stata runner and the dataset inspector are wrapped
in timing proxies, so the total splits into:

- ``stage_dta``: reading the uploaded CSV and writing the staged ``.dta`` to the object store;
- ``preflight``: the dependency check before the run;
- ``runner``: the batch runner's own work around the Stata process (run directory, wrapper,
  fetching the staged input, collecting and storing outputs) = ``runner.run`` wall time minus
  the Stata process time it reports (``duration_seconds``, which ends up in ``run_meta.json``);
- ``render+archive+db``: everything else (render the do-file, archive it, index outputs and
  the log, write run_meta, close the run and the job).

``overhead`` = total - Stata process time. The LLM is not involved in ``execute_claim``.

The job is prepared as the served API prepares it: after the upload the ``.dta`` is staged
ahead (``stage_ahead``, every size, converted in a child process; its time is
``staged_ahead_ms``, spent before the claim, and ``stage_ahead_rss_growth_mib`` is how much
this process's RSS rose above its level before, sampled every 50 ms while it ran), so
``stage_dta`` is what the worker still stages itself (zero when staging ahead succeeded).
``to_runner`` is claim → the runner called (render, archive, preflight, saves); claim → Stata
start is at most ``to_runner`` + ``runner`` (the runner's own work before and after the
process, which the runner does not split).
"""

from __future__ import annotations

import asyncio
import dataclasses
import resource
import statistics
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

from benchmarks.datasets import write_bytes
from ss_adapters.runtime import Runtime
from ss_core.ports.stata_runner import PreflightResult, StataJob, StataRunResult
from ss_core.usecases.access import issue_task_codes, redeem
from ss_core.usecases.draft import draft_preview
from ss_core.usecases.execute import execute_claim
from ss_core.usecases.inputs import UploadSource, upload_inputs
from ss_core.usecases.plan import FreezeRequest, freeze
from ss_core.usecases.runs import enqueue_run
from ss_core.usecases.services import Services
from ss_core.usecases.staging import stage_ahead


class TimedInspector:
    """Delegates to the real inspector; adds up the time spent staging .dta files."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.stage_seconds = inner, 0.0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def stage_dta(self, *args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return await self.inner.stage_dta(*args, **kwargs)
        finally:
            self.stage_seconds += time.perf_counter() - started


class TimedRunner:
    """Delegates to the real Stata runner; records preflight and run wall times."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.preflight_seconds = self.run_seconds = self.stata_seconds = 0.0
        self.first_run_at: float | None = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def preflight(self, job: StataJob) -> PreflightResult:
        started = time.perf_counter()
        try:
            result: PreflightResult = await self.inner.preflight(job)
            return result
        finally:
            self.preflight_seconds += time.perf_counter() - started

    async def run(self, job: StataJob) -> StataRunResult:
        started = time.perf_counter()
        if self.first_run_at is None:
            self.first_run_at = started
        result: StataRunResult = await self.inner.run(job)
        self.run_seconds += time.perf_counter() - started
        self.stata_seconds += result.duration_seconds
        return result


def _chunks(path: Path) -> AsyncIterator[bytes]:
    async def gen() -> AsyncIterator[bytes]:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                yield chunk
    return gen()


def rss_mib() -> float:
    """This process's resident set now (``/proc/self/statm``), in MiB."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * resource.getpagesize() / 1024 / 1024


class RssSampler:
    """The highest RSS of this process seen while the ``with`` block runs, above its start."""

    def __init__(self, every: float = 0.05) -> None:
        self.every, self.start, self.peak = every, 0.0, 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    def _sample(self) -> None:
        while not self._stop.wait(self.every):
            self.peak = max(self.peak, rss_mib())

    def __enter__(self) -> RssSampler:
        self.start = self.peak = rss_mib()
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mib())

    @property
    def growth(self) -> float:
        return self.peak - self.start


async def _queued_claim(services: Services, dataset: Path) -> tuple[Any, float, float]:
    code = (await issue_task_codes(services, count=1, expires_in_days=1))[0].task_code
    job_id = (await redeem(services, code, "OLS regression of wage on educ")).job_id
    await upload_inputs(services, job_id, [UploadSource(filename="wages.csv", role=None,
                                                        chunks=lambda: _chunks(dataset))])
    started = time.perf_counter()
    with RssSampler() as sampler:
        problem = await stage_ahead(services, job_id)  # what the API does once it has answered
    staged_ahead_seconds = time.perf_counter() - started
    if problem is not None:
        raise RuntimeError(f"staging ahead failed: {problem.error_code}")
    await draft_preview(services, job_id)
    await freeze(services, job_id, FreezeRequest(template_id="ols_robust"))
    await enqueue_run(services, job_id)
    claim = await services.runs.claim("bench-worker", 600.0, services.clock.now())
    assert claim is not None and claim.run.job_id == job_id, "another worker took the run"
    return claim, staged_ahead_seconds, sampler.growth


async def _one(services: Services, dataset: Path) -> dict[str, float]:
    claim, staged_ahead_seconds, growth = await _queued_claim(services, dataset)
    inspector, runner = TimedInspector(services.inspector), TimedRunner(services.runner)
    timed = dataclasses.replace(services, inspector=inspector, runner=runner)
    started = time.perf_counter()
    status = await execute_claim(timed, claim)
    total = time.perf_counter() - started
    if status is None or status.value != "succeeded":
        raise RuntimeError(f"benchmark run ended {status}")
    rest = total - inspector.stage_seconds - runner.preflight_seconds - runner.run_seconds
    to_runner = (runner.first_run_at or started) - started
    return {"staged_ahead_ms": staged_ahead_seconds * 1000,
            "stage_ahead_rss_growth_mib": growth, "to_runner_ms": to_runner * 1000,
            "to_stata_start_max_ms": (to_runner + runner.run_seconds
                                      - runner.stata_seconds) * 1000,
            "total_ms": total * 1000, "stata_ms": runner.stata_seconds * 1000,
            "overhead_ms": (total - runner.stata_seconds) * 1000,
            "stage_dta_ms": inspector.stage_seconds * 1000,
            "preflight_ms": runner.preflight_seconds * 1000,
            "runner_ms": (runner.run_seconds - runner.stata_seconds) * 1000,
            "render_archive_db_ms": rest * 1000}


async def _run(env: dict[str, str], tmp: Path, sizes_mb: list[float], reps: int) -> list[
        dict[str, Any]]:
    runtime = Runtime(env)
    await runtime.start()
    rows = []
    try:
        for size in sizes_mb:
            dataset = tmp / f"worker-{size}mb.csv"
            actual = write_bytes(dataset, int(size * 1024 * 1024))
            samples = [await _one(runtime.services, dataset) for _ in range(reps)]
            dataset.unlink()
            medians = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
            rows.append({"size_mb": actual / 1024 / 1024, "reps": reps, **medians})
    finally:
        await runtime.close()
    return rows


def run(env: dict[str, str], tmp: Path, sizes_mb: list[float], reps: int) -> list[
        dict[str, Any]]:
    """Median per-phase times (ms) of ``reps`` runs per dataset size."""
    return asyncio.run(_run(env, tmp, sizes_mb, reps))
