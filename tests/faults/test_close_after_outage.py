"""A storage outage right after a run is finished: closing the job is retried (bounded), so
the job never stays `running` behind a finished run, and the final audit event is recorded
exactly once. A heartbeat that meets an outage keeps beating instead of giving up."""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
from typing import Any

import pytest

from ss_core.domain.job import JobStatus
from ss_core.errors import StorageError
from ss_core.usecases import execute
from ss_core.usecases.runs import enqueue_run
from ss_core.usecases.worker import Worker
from tests.core.journey_kit import Kit, make_kit
from tests.core.test_run_contracts import WAGES, _frozen


def outage() -> StorageError:
    return StorageError("the database is unavailable", reason="test outage")


class Flaky:
    """Wraps one repository method: after ``arm(n)``, its next n calls raise an outage."""

    def __init__(self, owner: Any, name: str) -> None:
        self.original = getattr(owner, name)
        self.remaining = 0
        self.calls = 0
        object.__setattr__(owner, name, self)

    def arm(self, failures: int) -> None:
        self.remaining = failures

    async def __call__(self, *args: Any, **kwargs: Any) -> Any:
        self.calls += 1
        if self.remaining > 0:
            self.remaining -= 1
            raise outage()
        return await self.original(*args, **kwargs)


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(execute, "CLOSE_FIRST_DELAY_SECONDS", 0.001)


async def _queued() -> tuple[Kit, str]:
    kit = make_kit(roles={"outcome": "wage", "treatment": "educ"})
    kit.llm.choose = "ols_robust"
    job_id, _ = await _frozen(kit, WAGES, "OLS of wage on education")
    await enqueue_run(kit.services, job_id)
    return kit, job_id


def _finished_events(kit: Kit, job_id: str) -> list[str]:
    return [e["event"] for e in kit.repos.audit._db.audit
            if e["job_id"] == job_id and e["event"] in ("run.succeeded", "run.failed")]


async def test_job_is_closed_through_an_outage_after_the_run_finished() -> None:
    kit, job_id = await _queued()
    finish = kit.services.runs.finish
    jobs_get = Flaky(kit.repos.jobs, "get")

    async def finish_then_outage(*args: Any, **kwargs: Any) -> Any:
        result = await finish(*args, **kwargs)
        jobs_get.arm(3)
        return result
    object.__setattr__(kit.services.runs, "finish", finish_then_outage)
    assert await Worker(kit.services, "w").run_once() is JobStatus.SUCCEEDED
    assert (await kit.services.jobs.get(job_id)).status is JobStatus.SUCCEEDED
    assert _finished_events(kit, job_id) == ["run.succeeded"]


async def test_audit_lost_to_an_outage_is_recorded_on_the_retry() -> None:
    kit, job_id = await _queued()
    record = Flaky(kit.repos.audit, "record")
    save = kit.services.jobs.save

    async def save_then_outage(job: Any, **kwargs: Any) -> Any:
        stored = await save(job, **kwargs)
        if job.status is JobStatus.SUCCEEDED:
            record.arm(1)
        return stored
    object.__setattr__(kit.services.jobs, "save", save_then_outage)
    assert await Worker(kit.services, "w").run_once() is JobStatus.SUCCEEDED
    assert _finished_events(kit, job_id) == ["run.succeeded"]


async def test_a_longer_outage_is_reported_not_swallowed() -> None:
    kit, job_id = await _queued()
    finish = kit.services.runs.finish
    jobs_get = Flaky(kit.repos.jobs, "get")

    async def finish_then_outage(*args: Any, **kwargs: Any) -> Any:
        result = await finish(*args, **kwargs)
        jobs_get.arm(execute.CLOSE_ATTEMPTS)
        return result
    object.__setattr__(kit.services.runs, "finish", finish_then_outage)
    with pytest.raises(StorageError):
        await Worker(kit.services, "w").run_once()
    assert jobs_get.calls >= execute.CLOSE_ATTEMPTS


async def test_heartbeat_keeps_beating_through_an_outage() -> None:
    kit, _ = await _queued()
    kit.services = dataclasses.replace(
        kit.services, policies=dataclasses.replace(kit.services.policies, lease_seconds=0.15))
    claim = await kit.services.runs.claim("w", 30, kit.services.clock.now())
    assert claim is not None
    beats = Flaky(kit.services.runs, "heartbeat")
    beats.arm(2)
    lost = asyncio.Event()
    task = asyncio.create_task(execute._heartbeat(kit.services, claim, lost))
    await asyncio.sleep(0.4)
    assert not task.done() and not lost.is_set()
    assert beats.calls >= 4  # two failed beats, then it carried on
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
