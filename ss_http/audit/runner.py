"""Run every audit point in order against one deployment and assemble the report."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

import httpx

from ss_http.audit.client import AuditClient
from ss_http.audit.context import AuditOptions, AuditState, PointFailed, PointSkipped
from ss_http.audit.points import POINTS
from ss_http.audit.report import FAIL, PASS, SKIP, AuditReport, PointResult


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _evaluate(state: AuditState, point_id: str, title: str, fn: object) -> PointResult:
    first = len(state.client.exchanges)
    try:
        evidence = fn(state)  # type: ignore[operator]
        status, summary = PASS, "holds"
    except PointFailed as failed:
        status, summary, evidence = FAIL, failed.reason, failed.evidence
    except PointSkipped as skipped:
        status, summary, evidence = SKIP, skipped.reason, {}
    except httpx.HTTPError as exc:
        status, summary = FAIL, f"transport failure: {type(exc).__name__}: {exc}"
        evidence = {}
    requests = [e.as_dict() for e in state.client.exchanges[first:]]
    unechoed = [r["request_id"] for r in requests
                if r["echoed_request_id"] != r["request_id"]]
    if unechoed and status == PASS:
        status, summary = FAIL, "the service did not echo the request id"
        evidence = {**evidence, "unechoed": unechoed}
    return PointResult(id=point_id, title=title, status=status, summary=summary,
                       evidence=evidence, requests=requests)


def run_audit(options: AuditOptions,
              progress: Callable[[int, int, PointResult], None] | None = None) -> AuditReport:
    """Drive the journey over HTTP and judge every point; never raises for a failed point.
    ``progress(done, total, result)`` is called as each point is judged."""
    started = _now()
    client = AuditClient(options.base_url, timeout=min(max(options.timeout, 5.0), 120.0))
    state = AuditState(options=options, client=client)
    try:
        results = []
        for pid, title, fn in POINTS:
            results.append(_evaluate(state, pid, title, fn))
            if progress is not None:
                progress(len(results), len(POINTS), results[-1])
    finally:
        client.close()
    plan = state.plan or {}
    template = plan.get("template") or {}
    return AuditReport(
        base_url=options.base_url, started_at=started, finished_at=_now(), points=results,
        job_id=state.job_id, plan_id=plan.get("plan_id"),
        template={k: template.get(k) for k in ("template_id", "version", "content_sha256",
                                               "rationale")},
        llm_models=sorted(state.models))


__all__ = ["FAIL", "PASS", "SKIP", "AuditOptions", "run_audit"]
