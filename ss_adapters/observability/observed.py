"""Port decorators that make run, Stata, LLM and lifecycle activity observable.

The composition root wraps the real adapters with these: each call is passed through
unchanged and, on the way, produces one structured log event (job_id, run_id, template_id,
duration, error_code) and the matching metrics. The core stays free of logging concerns.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import structlog

from ss_adapters.observability import metrics
from ss_core.domain.run import Claim, Run, RunFailed, RunOutcome, RunSucceeded
from ss_core.errors import SSError
from ss_core.ports import LLM, StataRunner
from ss_core.ports.llm import StructuredAnswer, StructuredRequest
from ss_core.ports.repositories import AuditLog, JobRepository, RunQueue
from ss_core.ports.stata_runner import StataJob, StataRunResult

log = structlog.get_logger("ss.lifecycle")
TOKEN_KINDS = {"prompt_tokens": "prompt", "input_tokens": "prompt",
               "completion_tokens": "completion", "output_tokens": "completion"}


class ObservedAuditLog:
    """Every audit event (redeem, upload, draft, freeze, queue, end of run) is also a log
    event of the same name."""

    def __init__(self, inner: AuditLog) -> None:
        self.inner = inner

    async def record(self, *, job_id: str | None, event: str, at: datetime,
                     data: dict[str, Any]) -> None:
        await self.inner.record(job_id=job_id, event=event, at=at, data=data)
        log.info(event, job_id=job_id, **{k: v for k, v in data.items()
                                          if k not in ("event", "job_id")})

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)


class ObservedRunQueue:
    """Run claims and ends: ``run.claimed`` (queue wait), ``run.finished`` (template, outcome,
    duration, error_code), ``run.released``, ``run.abandoned``; run counters and histograms."""

    def __init__(self, inner: RunQueue, jobs: JobRepository) -> None:
        self.inner = inner
        self._jobs = jobs
        self._templates: dict[str, str] = {}

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def _template_of(self, job_id: str) -> str:
        try:
            job = await self._jobs.get(job_id)
        except SSError:
            return "unknown"
        plan = job.plan
        return plan.template.template_id if plan is not None else "unknown"

    async def claim(self, worker_id: str, lease_seconds: float, now: datetime) -> Claim | None:
        claim = await self.inner.claim(worker_id, lease_seconds, now)
        if claim is None:
            return None
        run = claim.run
        template = await self._template_of(run.job_id)
        self._templates[run.run_id] = template
        wait = max(0.0, (now - run.enqueued_at).total_seconds())
        if claim.claim_count == 1:
            metrics.QUEUE_WAIT.observe(wait)
        log.info("run.claimed", job_id=run.job_id, run_id=run.run_id, template_id=template,
                 worker_id=worker_id, claim=claim.claim_count, attempt=run.attempt,
                 queue_wait_seconds=round(wait, 3))
        return claim

    async def finish(self, claim: Claim, outcome: RunOutcome, *, now: datetime) -> Run:
        run = await self.inner.finish(claim, outcome, now=now)
        ran = outcome.meta.template_id if isinstance(outcome, RunSucceeded) else None
        template = ran or self._templates.pop(
            claim.run.run_id, None) or await self._template_of(claim.run.job_id)
        self._templates.pop(claim.run.run_id, None)
        started = claim.run.started_at or claim.run.enqueued_at
        duration = max(0.0, (now - started).total_seconds())
        label = "succeeded" if isinstance(outcome, RunSucceeded) else "failed"
        error_code = outcome.error.error_code if isinstance(outcome, RunFailed) else None
        metrics.RUNS.labels(template, label).inc()
        metrics.RUN_SECONDS.labels(template, label).observe(duration)
        log.info("run.finished", job_id=run.job_id, run_id=run.run_id, template_id=template,
                 outcome=label, duration_seconds=round(duration, 3), error_code=error_code,
                 claim=claim.claim_count, attempt=run.attempt)
        return run

    async def release(self, claim: Claim, now: datetime) -> Run:
        run = await self.inner.release(claim, now)
        template = self._templates.pop(claim.run.run_id, "unknown")
        metrics.RUNS.labels(template, "released").inc()
        log.info("run.released", job_id=run.job_id, run_id=run.run_id, template_id=template,
                 claim=claim.claim_count)
        return run

    async def expire_exhausted(self, now: datetime) -> Sequence[Run]:
        expired = await self.inner.expire_exhausted(now)
        for run in expired:
            template = await self._template_of(run.job_id)
            metrics.RUNS.labels(template, "abandoned").inc()
            log.warning("run.abandoned", job_id=run.job_id, run_id=run.run_id,
                        template_id=template, error_code=run.error_code,
                        claims=run.claim_count)
        return expired


class ObservedStataRunner:
    """Each batch run: ``stata.run`` (run_id, duration, exit code, outcome) and its time."""

    def __init__(self, inner: StataRunner) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def run(self, job: StataJob) -> StataRunResult:
        started = time.perf_counter()
        try:
            result = await self.inner.run(job)
        except SSError as exc:
            seconds = time.perf_counter() - started
            metrics.STATA_SECONDS.labels("error").observe(seconds)
            log.warning("stata.run", run_id=job.run_id, outcome="error",
                        duration_seconds=round(seconds, 3), error_code=exc.error_code)
            raise
        outcome = "ok" if result.ok else "failed"
        metrics.STATA_SECONDS.labels(outcome).observe(result.duration_seconds)
        log.info("stata.run", run_id=job.run_id, outcome=outcome,
                 duration_seconds=round(result.duration_seconds, 3),
                 exit_code=result.exit_code,
                 error_code=None if result.ok else result.diagnosis.error_code)
        return result


class ObservedLLM:
    """Each structured call: ``llm.call`` (operation, outcome, latency, tokens) and metrics."""

    def __init__(self, inner: LLM) -> None:
        self.inner = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    @property
    def provider(self) -> str:
        return self.inner.provider

    @property
    def model(self) -> str:
        return self.inner.model

    async def probe(self) -> None:
        await self.inner.probe()

    async def complete_json(self, request: StructuredRequest) -> StructuredAnswer:
        started = time.perf_counter()
        operation = request.operation
        try:
            answer = await self.inner.complete_json(request)
        except SSError as exc:
            seconds = time.perf_counter() - started
            metrics.LLM_CALLS.labels(operation, exc.error_code).inc()
            metrics.LLM_SECONDS.labels(operation, "error").observe(seconds)
            log.warning("llm.call", operation=operation, outcome="error",
                        error_code=exc.error_code, duration_seconds=round(seconds, 3),
                        provider=self.inner.provider, model=self.inner.model)
            raise
        seconds = time.perf_counter() - started
        tokens: dict[str, int] = {}
        for trace in answer.traces:
            for key, count in trace.usage.items():
                kind = TOKEN_KINDS.get(key)
                if kind is not None:
                    tokens[kind] = tokens.get(kind, 0) + int(count)
        for kind, count in tokens.items():
            metrics.LLM_TOKENS.labels(operation, kind).inc(count)
        metrics.LLM_CALLS.labels(operation, "ok").inc()
        metrics.LLM_SECONDS.labels(operation, "ok").observe(seconds)
        log.info("llm.call", operation=operation, outcome="ok", attempts=len(answer.traces),
                 duration_seconds=round(seconds, 3), provider=answer.provider,
                 model=answer.model, **{f"{k}_tokens": v for k, v in tokens.items()})
        return answer
