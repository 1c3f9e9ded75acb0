"""Contract: ArtifactRepository and AuditLog (memory double, SQLite, PostgreSQL)."""

from __future__ import annotations

import pytest

from ss_core.errors import SSError
from tests.adapters import storage_samples as s
from tests.adapters.storage_backends import Backend, backend, postgres_url, sqlite_template

__all__ = ["backend", "postgres_url", "sqlite_template"]


async def test_an_indexed_artifact_reads_back_equal(backend: Backend) -> None:
    await backend.repos.jobs.add(s.job())
    added = await backend.repos.artifacts.add(s.artifact())
    assert added == s.artifact()
    assert await backend.repos.artifacts.get("job_1", "outputs/table1.csv") == s.artifact()


async def test_re_adding_the_same_content_is_a_no_op(backend: Backend) -> None:
    arts = backend.repos.artifacts
    await backend.repos.jobs.add(s.job())
    await arts.add(s.artifact())
    again = await arts.add(s.artifact(artifact_id="art_2"))
    assert again == s.artifact()
    assert await arts.list_for_job("job_1") == [s.artifact()]


async def test_other_content_at_an_indexed_path_is_a_conflict(backend: Backend) -> None:
    arts = backend.repos.artifacts
    await backend.repos.jobs.add(s.job())
    await arts.add(s.artifact())
    with pytest.raises(SSError) as caught:
        await arts.add(s.artifact(artifact_id="art_2", sha="b" * 64, run_id="run_2"))
    assert caught.value.error_code == "ARTIFACT_CONFLICT"
    assert caught.value.status == 409
    assert caught.value.context["rel_path"] == "outputs/table1.csv"
    assert (await arts.get("job_1", "outputs/table1.csv")).sha256 == "a" * 64


async def test_paths_are_per_job_and_listed_in_path_order(backend: Backend) -> None:
    arts = backend.repos.artifacts
    await backend.repos.jobs.add(s.job())
    await backend.repos.jobs.add(s.job("job_2"))
    await arts.add(s.artifact("outputs/z.log", artifact_id="a1"))
    await arts.add(s.artifact("outputs/a.csv", artifact_id="a2"))
    await arts.add(s.artifact("outputs/a.csv", artifact_id="a3", job_id="job_2", sha="c" * 64))
    assert [a.rel_path for a in await arts.list_for_job("job_1")] == [
        "outputs/a.csv", "outputs/z.log"]
    assert [a.artifact_id for a in await arts.list_for_job("job_2")] == ["a3"]
    assert await arts.list_for_job("job_none") == []


async def test_missing_artifacts_and_jobs_are_reported(backend: Backend) -> None:
    arts = backend.repos.artifacts
    with pytest.raises(SSError) as caught:
        await arts.add(s.artifact())
    assert caught.value.error_code == "JOB_NOT_FOUND"
    await backend.repos.jobs.add(s.job())
    with pytest.raises(SSError) as caught:
        await arts.get("job_1", "outputs/nothing.csv")
    assert caught.value.error_code == "ARTIFACT_NOT_FOUND"
    assert caught.value.context["rel_path"] == "outputs/nothing.csv"


async def test_audit_events_are_appended_and_read_in_order(backend: Backend) -> None:
    audit = backend.repos.audit
    await audit.record(job_id="job_1", event="job.created", at=s.at(1),
                       data={"tenant": "default", "codes": ["tc_1"]})
    await audit.record(job_id=None, event="codes.issued", at=s.at(2), data={"count": 3})
    await audit.record(job_id="job_2", event="job.created", at=s.at(3), data={})
    await audit.record(job_id="job_1", event="plan.frozen", at=s.at(4),
                       data={"plan_id": "plan_1", "nested": {"k": 1.5}})
    events = await audit.list_for_job("job_1")
    assert [(e["event"], e["at"], e["data"]) for e in events] == [
        ("job.created", s.at(1), {"tenant": "default", "codes": ["tc_1"]}),
        ("plan.frozen", s.at(4), {"plan_id": "plan_1", "nested": {"k": 1.5}}),
    ]
    assert all(e["job_id"] == "job_1" for e in events)
    assert events[0]["id"] < events[1]["id"]
    assert events[0]["at"].tzinfo is not None
    assert await audit.list_for_job("job_3") == []


async def test_recorded_audit_data_is_a_copy(backend: Backend) -> None:
    data = {"changed": ["a"]}
    await backend.repos.audit.record(job_id="job_1", event="e", at=s.T0, data=data)
    data["changed"].append("b")
    assert (await backend.repos.audit.list_for_job("job_1"))[0]["data"] == {"changed": ["a"]}
