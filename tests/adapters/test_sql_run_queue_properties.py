"""Properties of every RunQueue (memory double, SQLite, PostgreSQL), checked against a small
model: any interleaving of enqueue/claim/heartbeat/finish/release/expire and time passing
never yields two live claims of one run, stale claims are always fenced off with
RUN_LEASE_LOST, and claims come out in FIFO order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ss_core.domain.run import Claim, RunStatus
from ss_core.errors import SSError
from tests.adapters import storage_samples as s
from tests.adapters.storage_backends import Backend, backend, postgres_url, sqlite_template

__all__ = ["backend", "postgres_url", "sqlite_template"]

LEASE = 30.0
PROPERTY_SETTINGS = settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)

operations = st.lists(
    st.one_of(
        st.tuples(st.just("enqueue")),
        st.tuples(st.just("claim"), st.sampled_from(["w0", "w1", "w2"])),
        st.tuples(st.sampled_from(["heartbeat", "finish", "release"]), st.integers(0, 30)),
        st.tuples(st.just("advance"), st.sampled_from([1.0, 10.0, 31.0])),
        st.tuples(st.just("expire")),
    ),
    min_size=1, max_size=25,
)


@dataclass
class ModelRun:
    run_id: str
    enqueued: float
    status: str = "queued"
    claim_count: int = 0
    max_claims: int = 2
    worker: str | None = None
    expires: float | None = None


class QueueModel:
    """What the queue must do, written independently of every implementation."""

    def __init__(self) -> None:
        self.runs: dict[str, ModelRun] = {}

    def claimable(self, now: float) -> ModelRun | None:
        ready = [r for r in self.runs.values() if r.status == "queued" or (
            r.status == "running" and r.expires is not None and r.expires <= now
            and r.claim_count < r.max_claims)]
        return min(ready, key=lambda r: (r.enqueued, r.run_id), default=None)

    def is_current(self, claim: Claim) -> bool:
        run = self.runs[claim.run.run_id]
        return (run.status == "running" and run.claim_count == claim.claim_count
                and run.worker == claim.worker_id)


async def _expect_lost(call: Any) -> None:
    try:
        await call
    except SSError as exc:
        assert exc.error_code == "RUN_LEASE_LOST"
    else:
        raise AssertionError("a stale claim was accepted")


async def _apply(op: tuple[Any, ...], repos: Any, model: QueueModel, issued: list[Claim],
                 now: float) -> float:
    name = op[0]
    if name == "advance":
        return now + float(op[1])
    if name == "enqueue" and len(model.runs) < 4:
        run_id = f"run_{len(model.runs)}"
        await repos.runs.enqueue(s.run(run_id, enqueued=now, max_claims=2))
        model.runs[run_id] = ModelRun(run_id, now)
    elif name == "claim":
        expected = model.claimable(now)
        claim = await repos.runs.claim(op[1], LEASE, s.at(now))
        if expected is None:
            assert claim is None
            return now
        assert claim is not None and claim.run.run_id == expected.run_id
        assert claim.claim_count == expected.claim_count + 1
        expected.status, expected.worker, expected.expires = "running", op[1], now + LEASE
        expected.claim_count += 1
        issued.append(claim)
    elif name in ("heartbeat", "finish", "release") and issued:
        index = op[1] % len(issued)
        claim = issued[index]
        current = model.is_current(claim)
        run = model.runs[claim.run.run_id]
        if name == "heartbeat":
            call = repos.runs.heartbeat(claim, LEASE, s.at(now))
        elif name == "finish":
            call = repos.runs.finish(claim, s.succeeded(), now=s.at(now))
        else:
            call = repos.runs.release(claim, s.at(now))
        if not current:
            await _expect_lost(call)
            return now
        result = await call
        if name == "heartbeat":
            issued[index] = result
            run.expires = now + LEASE
        elif name == "finish":
            run.status, run.expires = "succeeded", None
        else:
            run.status, run.worker, run.expires = "queued", None, None
            run.max_claims += 1
    elif name == "expire":
        failed = await repos.runs.expire_exhausted(s.at(now))
        expected_ids = sorted(r.run_id for r in model.runs.values() if r.status == "running"
                              and r.expires is not None and r.expires <= now
                              and r.claim_count >= r.max_claims)
        assert sorted(r.run_id for r in failed) == expected_ids
        for run_id in expected_ids:
            model.runs[run_id].status, model.runs[run_id].expires = "failed", None
    return now


async def _check(repos: Any, model: QueueModel, issued: list[Claim], now: float) -> None:
    stored = {r.run_id: r for r in await repos.runs.list_for_job("job_1")}
    assert sorted(stored) == sorted(model.runs)
    for run_id, run in stored.items():
        expected = model.runs[run_id]
        assert (run.status.value, run.claim_count, run.max_claims, run.worker_id) == (
            expected.status, expected.claim_count, expected.max_claims, expected.worker)
        live = [c for c in issued if c.run.run_id == run_id and run.status == RunStatus.RUNNING
                and c.claim_count == run.claim_count and c.worker_id == run.worker_id
                and run.lease_expires_at is not None and run.lease_expires_at > s.at(now)]
        assert len(live) <= 1, f"two live claims of {run_id}"
        counts = [c.claim_count for c in issued if c.run.run_id == run_id]
        assert len(counts) == len(set(counts)), "a fencing token was issued twice"


@PROPERTY_SETTINGS
@given(ops=operations)
async def test_no_interleaving_yields_two_live_claims(backend: Backend, ops: list[Any]) -> None:
    await backend.reset()
    repos = backend.repos
    await repos.jobs.add(s.job())
    model, issued, now = QueueModel(), list[Claim](), 0.0
    for op in ops:
        now = await _apply(op, repos, model, issued, now)
        await _check(repos, model, issued, now)


@PROPERTY_SETTINGS
@given(entries=st.lists(
    st.tuples(st.integers(0, 3), st.text("abcxyz", min_size=1, max_size=3)),
    min_size=1, max_size=8, unique_by=lambda e: e[1]))
async def test_claims_come_out_in_enqueue_order_ties_by_run_id(
    backend: Backend, entries: list[tuple[int, str]]
) -> None:
    await backend.reset()
    await backend.repos.jobs.add(s.job())
    for offset, name in entries:
        await backend.repos.runs.enqueue(s.run(f"run_{name}", enqueued=offset))
    claimed = []
    while (claim := await backend.repos.runs.claim("w", LEASE, s.at(100))) is not None:
        claimed.append(claim.run.run_id)
    assert claimed == [f"run_{n}" for _, n in sorted(entries, key=lambda e: (e[0], e[1]))]
