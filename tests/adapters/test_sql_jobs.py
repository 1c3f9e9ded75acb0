"""Contract: JobRepository (memory double, SQLite, PostgreSQL)."""

from __future__ import annotations

import asyncio
from datetime import timedelta, timezone

import msgspec
import pytest

from ss_core.domain.job import JobStatus
from ss_core.errors import ErrorReport, SSError
from tests.adapters import storage_samples as s
from tests.adapters.storage_backends import Backend, backend, postgres_url, sqlite_template

__all__ = ["backend", "postgres_url", "sqlite_template"]


async def test_added_job_reads_back_equal_with_aware_utc_timestamps(backend: Backend) -> None:
    job = s.job(error=ErrorReport(error_code="X", message="m", retryable=False,
                                  details={"context": [1, 2]}))
    await backend.repos.jobs.add(job)
    stored = await backend.repos.jobs.get("job_1")
    assert stored == job
    assert stored.created_at.tzinfo is not None
    assert stored.created_at.utcoffset() == timedelta(0)
    assert stored.timestamps["created_at"] == s.T0


async def test_timestamps_in_another_zone_are_kept_as_the_same_instant(backend: Backend) -> None:
    zoned = s.T0.astimezone(timezone(timedelta(hours=-5)))
    await backend.repos.jobs.add(s.job(created_at=zoned, updated_at=zoned))
    stored = await backend.repos.jobs.get("job_1")
    assert stored.created_at == s.T0
    assert stored.created_at.tzinfo is not None


async def test_get_of_an_unknown_job_is_job_not_found(backend: Backend) -> None:
    with pytest.raises(SSError) as caught:
        await backend.repos.jobs.get("job_missing")
    assert caught.value.error_code == "JOB_NOT_FOUND"
    assert caught.value.context["job_id"] == "job_missing"


async def test_adding_a_job_id_twice_is_a_duplicate(backend: Backend) -> None:
    await backend.repos.jobs.add(s.job())
    with pytest.raises(SSError) as caught:
        await backend.repos.jobs.add(s.job(requirement="other"))
    assert caught.value.error_code == "STORAGE_DUPLICATE"
    assert (await backend.repos.jobs.get("job_1")).requirement == "effect of x on y"


async def test_save_stores_the_next_version(backend: Backend) -> None:
    jobs = backend.repos.jobs
    await jobs.add(s.job())
    changed = (await jobs.get("job_1")).cancelled(at=s.at(5))
    saved = await jobs.save(changed, expected_version=1)
    assert saved.version == 2
    assert saved == msgspec.structs.replace(changed, version=2)
    stored = await jobs.get("job_1")
    assert stored == saved
    assert stored.status == JobStatus.CANCELLED
    assert stored.timestamps["cancelled_at"] == s.at(5)


async def test_save_from_a_stale_version_is_a_version_conflict(backend: Backend) -> None:
    jobs = backend.repos.jobs
    await jobs.add(s.job())
    first = await jobs.get("job_1")
    await jobs.save(first.evolve(s.at(1), requirement="first writer"), expected_version=1)
    with pytest.raises(SSError) as caught:
        await jobs.save(first.evolve(s.at(2), requirement="second writer"), expected_version=1)
    assert caught.value.error_code == "JOB_VERSION_CONFLICT"
    assert caught.value.retryable is True
    assert caught.value.context["stored_version"] == 2
    assert (await jobs.get("job_1")).requirement == "first writer"


async def test_save_of_an_unknown_job_is_job_not_found(backend: Backend) -> None:
    with pytest.raises(SSError) as caught:
        await backend.repos.jobs.save(s.job("job_ghost"), expected_version=1)
    assert caught.value.error_code == "JOB_NOT_FOUND"


async def test_concurrent_saves_from_one_version_let_exactly_one_win(backend: Backend) -> None:
    await backend.repos.jobs.add(s.job())
    base = await backend.repos.jobs.get("job_1")
    writers = [backend.repos, backend.another_process()]

    async def save(i: int) -> str:
        try:
            await writers[i % 2].jobs.save(
                base.evolve(s.at(i), requirement=f"writer {i}"), expected_version=1)
            return "won"
        except SSError as exc:
            return exc.error_code

    outcomes = await asyncio.gather(*(save(i) for i in range(6)))
    assert sorted(outcomes) == ["JOB_VERSION_CONFLICT"] * 5 + ["won"]
    assert (await backend.repos.jobs.get("job_1")).version == 2


async def test_list_is_newest_first_filtered_and_paged(backend: Backend) -> None:
    jobs = backend.repos.jobs
    for i in range(5):
        status = JobStatus.CREATED if i % 2 == 0 else JobStatus.QUEUED
        await jobs.add(s.job(f"job_{i}", created=i, status=status))
    assert [j.job_id for j in await jobs.list()] == [f"job_{i}" for i in (4, 3, 2, 1, 0)]
    assert [j.job_id for j in await jobs.list(status="queued")] == ["job_3", "job_1"]
    assert [j.job_id for j in await jobs.list(limit=2, offset=1)] == ["job_3", "job_2"]
    assert await jobs.list(status="succeeded") == []
