"""Contract: RunQueue (memory double, SQLite, PostgreSQL): FIFO, leases, fencing, expiry."""

from __future__ import annotations

import asyncio

import pytest

from ss_core.domain.run import RunFailed, RunStatus
from ss_core.errors import ErrorReport, SSError
from tests.adapters import storage_samples as s
from tests.adapters.storage_backends import Backend, backend, postgres_url, sqlite_template

__all__ = ["backend", "postgres_url", "sqlite_template"]

LEASE = 30.0


async def _with_job(backend: Backend) -> None:
    await backend.repos.jobs.add(s.job())


async def _lease_lost(call: object) -> SSError:
    with pytest.raises(SSError) as caught:
        await call  # type: ignore[misc]
    assert caught.value.error_code == "RUN_LEASE_LOST"
    return caught.value


async def test_claim_takes_the_oldest_queued_run_first(backend: Backend) -> None:
    await _with_job(backend)
    runs = backend.repos.runs
    await runs.enqueue(s.run("run_c", enqueued=2))
    await runs.enqueue(s.run("run_b", enqueued=1))
    await runs.enqueue(s.run("run_a2", enqueued=1))
    order = [(await runs.claim("w1", LEASE, s.at(10))) for _ in range(3)]
    assert [c.run.run_id for c in order if c] == ["run_a2", "run_b", "run_c"]
    assert await runs.claim("w1", LEASE, s.at(10)) is None


async def test_claim_marks_the_run_running_under_a_lease(backend: Backend) -> None:
    await _with_job(backend)
    runs = backend.repos.runs
    assert await runs.claim("w1", LEASE, s.at(0)) is None
    await runs.enqueue(s.run())
    claim = await runs.claim("w1", LEASE, s.at(5))
    assert claim is not None
    assert (claim.worker_id, claim.claim_count, claim.lease_expires_at) == ("w1", 1, s.at(35))
    stored = await runs.get("run_1")
    assert stored == claim.run
    assert stored.status == RunStatus.RUNNING
    assert (stored.worker_id, stored.claim_count, stored.started_at) == ("w1", 1, s.at(5))
    assert stored.lease_expires_at == s.at(35)


async def test_a_live_lease_is_not_claimable(backend: Backend) -> None:
    await _with_job(backend)
    await backend.repos.runs.enqueue(s.run())
    assert await backend.repos.runs.claim("w1", LEASE, s.at(0)) is not None
    assert await backend.repos.runs.claim("w2", LEASE, s.at(29.9)) is None


async def test_two_workers_racing_for_one_run_only_one_gets_it(backend: Backend) -> None:
    await _with_job(backend)
    a, b = backend.another_process(), backend.another_process()
    for round_ in range(5):
        await backend.repos.runs.enqueue(s.run(f"run_{round_}", enqueued=round_))
        got = await asyncio.gather(a.runs.claim("wa", LEASE, s.at(round_)),
                                   b.runs.claim("wb", LEASE, s.at(round_)))
        winners = [c for c in got if c is not None]
        assert len(winners) == 1
        assert winners[0].run.run_id == f"run_{round_}"


async def test_many_workers_draining_the_queue_claim_each_run_once(backend: Backend) -> None:
    await _with_job(backend)
    for i in range(12):
        await backend.repos.runs.enqueue(s.run(f"run_{i:02d}", enqueued=i))
    workers = [backend.another_process() for _ in range(3)]

    async def drain(n: int) -> list[str]:
        taken = []
        while (claim := await workers[n].runs.claim(f"w{n}", LEASE, s.at(100))) is not None:
            taken.append(claim.run.run_id)
        return taken

    taken = [rid for batch in await asyncio.gather(*(drain(n) for n in range(3)))
             for rid in batch]
    assert sorted(taken) == [f"run_{i:02d}" for i in range(12)]


async def test_heartbeat_extends_the_lease_of_the_current_claim(backend: Backend) -> None:
    await _with_job(backend)
    runs = backend.repos.runs
    await runs.enqueue(s.run())
    claim = await runs.claim("w1", LEASE, s.at(0))
    assert claim is not None
    renewed = await runs.heartbeat(claim, LEASE, s.at(25))
    assert renewed.lease_expires_at == s.at(55)
    assert renewed.claim_count == 1
    assert (await runs.get("run_1")).lease_expires_at == s.at(55)
    assert await runs.claim("w2", LEASE, s.at(40)) is None


async def test_a_dead_workers_run_is_reclaimed_and_its_claim_is_fenced(backend: Backend) -> None:
    await _with_job(backend)
    runs = backend.repos.runs
    await runs.enqueue(s.run())
    dead = await runs.claim("w_dead", LEASE, s.at(0))
    assert dead is not None
    other = backend.another_process()
    second = await other.runs.claim("w_alive", LEASE, s.at(31))
    assert second is not None
    assert (second.run.run_id, second.claim_count, second.worker_id) == ("run_1", 2, "w_alive")
    lost = await _lease_lost(runs.heartbeat(dead, LEASE, s.at(32)))
    assert lost.context["current_claim_count"] == 2
    await _lease_lost(runs.finish(dead, s.succeeded(), now=s.at(33)))
    await _lease_lost(runs.release(dead, s.at(33)))
    done = await other.runs.finish(second, s.succeeded(exit_code=0), now=s.at(40))
    assert (done.status, done.claim_count, done.worker_id) == (RunStatus.SUCCEEDED, 2, "w_alive")
    assert done.meta == s.succeeded(exit_code=0).meta
    assert done.ended_at == s.at(40)


async def test_a_run_out_of_claims_is_failed_as_abandoned(backend: Backend) -> None:
    await _with_job(backend)
    runs = backend.repos.runs
    await runs.enqueue(s.run(max_claims=2))
    first = await runs.claim("w1", LEASE, s.at(0))
    second = await runs.claim("w2", LEASE, s.at(31))
    assert first is not None and second is not None and second.claim_count == 2
    assert await runs.claim("w3", LEASE, s.at(62)) is None
    assert await runs.expire_exhausted(s.at(60)) == []
    failed = await runs.expire_exhausted(s.at(62))
    assert [r.run_id for r in failed] == ["run_1"]
    assert failed[0].status == RunStatus.FAILED
    assert failed[0].error_code == "RUN_ABANDONED"
    assert failed[0].error is not None and failed[0].error.details["claims"] == 2
    assert failed[0].ended_at == s.at(62)
    assert await runs.get("run_1") == failed[0]
    assert await runs.expire_exhausted(s.at(90)) == []
    await _lease_lost(runs.finish(second, s.succeeded(), now=s.at(63)))


async def test_expiry_leaves_live_leases_and_runs_with_claims_left(backend: Backend) -> None:
    await _with_job(backend)
    runs = backend.repos.runs
    await runs.enqueue(s.run("run_live", max_claims=1))
    await runs.enqueue(s.run("run_spare", enqueued=1, max_claims=2))
    await runs.claim("w1", 100.0, s.at(0))
    await runs.claim("w2", LEASE, s.at(0))
    assert await runs.expire_exhausted(s.at(31)) == []
    assert {r.status for r in await runs.list_for_job("job_1")} == {RunStatus.RUNNING}


async def test_finish_records_the_outcome_once(backend: Backend) -> None:
    await _with_job(backend)
    runs = backend.repos.runs
    await runs.enqueue(s.run())
    claim = await runs.claim("w1", LEASE, s.at(0))
    assert claim is not None
    error = ErrorReport(error_code="STATA_DATA_ERROR", message="no observations",
                        retryable=False, details={"line": 12})
    failed = await runs.finish(claim, RunFailed(error=error), now=s.at(9))
    assert (failed.status, failed.error_code, failed.error) == (
        RunStatus.FAILED, "STATA_DATA_ERROR", error)
    assert failed.lease_expires_at is None
    assert await runs.get("run_1") == failed
    await _lease_lost(runs.finish(claim, s.succeeded(), now=s.at(10)))
    await _lease_lost(runs.heartbeat(claim, LEASE, s.at(10)))
    assert await runs.claim("w2", LEASE, s.at(100)) is None


async def test_release_requeues_without_spending_a_claim(backend: Backend) -> None:
    await _with_job(backend)
    runs = backend.repos.runs
    await runs.enqueue(s.run(max_claims=1))
    claim = await runs.claim("w1", LEASE, s.at(0))
    assert claim is not None
    released = await runs.release(claim, s.at(5))
    assert (released.status, released.worker_id, released.lease_expires_at) == (
        RunStatus.QUEUED, None, None)
    assert (released.claim_count, released.max_claims) == (1, 2)
    await _lease_lost(runs.finish(claim, s.succeeded(), now=s.at(6)))
    again = await runs.claim("w2", LEASE, s.at(7))
    assert again is not None and again.claim_count == 2
    await _lease_lost(runs.heartbeat(claim, LEASE, s.at(8)))


async def test_get_enqueue_and_listing_errors_and_order(backend: Backend) -> None:
    runs = backend.repos.runs
    with pytest.raises(SSError) as caught:
        await runs.enqueue(s.run())
    assert caught.value.error_code == "JOB_NOT_FOUND"
    await _with_job(backend)
    await runs.enqueue(s.run("run_2", enqueued=5))
    await runs.enqueue(s.run("run_1", enqueued=1))
    with pytest.raises(SSError) as caught:
        await runs.enqueue(s.run("run_1"))
    assert caught.value.error_code == "STORAGE_DUPLICATE"
    with pytest.raises(SSError) as caught:
        await runs.get("run_9")
    assert caught.value.error_code == "RUN_NOT_FOUND"
    assert [r.run_id for r in await runs.list_for_job("job_1")] == ["run_1", "run_2"]
    assert await runs.list_for_job("job_other") == []
    assert await runs.get("run_2") == s.run("run_2", enqueued=5)


async def test_stats_report_depth_running_and_leases_by_worker(backend: Backend) -> None:
    await _with_job(backend)
    runs = backend.repos.runs
    empty = await runs.stats(s.at(0))
    assert empty == {"queued": 0, "running": 0, "oldest_queued_at": None, "leases": {}}
    for i in range(4):
        await runs.enqueue(s.run(f"run_{i}", enqueued=i))
    await runs.claim("w1", 10.0, s.at(10))
    await runs.claim("w2", 60.0, s.at(10))
    stats = await runs.stats(s.at(30))
    assert stats == {
        "queued": 2, "running": 2, "oldest_queued_at": s.at(2),
        "leases": {
            "w1": [{"run_id": "run_0", "claim_count": 1, "lease_expires_at": s.at(20),
                    "expired": True}],
            "w2": [{"run_id": "run_1", "claim_count": 1, "lease_expires_at": s.at(70),
                    "expired": False}],
        },
    }
