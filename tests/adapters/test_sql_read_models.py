"""Contract: the status read (``JobRepository.overview``) and the artifact index read
(``ArtifactRepository.index``), on the memory double, SQLite and PostgreSQL.

Both answer from one read: the overview counts artifacts by kind without listing them, and
takes the run the job names as its latest; the index reads the job's existence and its rows
together and orders them by creation, then path.
"""

from __future__ import annotations

import msgspec
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ss_core.domain.artifact import ArtifactKind
from ss_core.errors import SSError
from tests.adapters import storage_samples as s
from tests.adapters.storage_backends import Backend, backend, postgres_url, sqlite_template

__all__ = ["backend", "postgres_url", "sqlite_template"]

replace = msgspec.structs.replace


async def test_overview_of_an_unknown_job_is_job_not_found(backend: Backend) -> None:
    with pytest.raises(SSError) as caught:
        await backend.repos.jobs.overview("job_none")
    assert caught.value.error_code == "JOB_NOT_FOUND"


async def test_overview_of_a_new_job_has_no_run_and_no_artifacts(backend: Backend) -> None:
    await backend.repos.jobs.add(s.job())
    seen = await backend.repos.jobs.overview("job_1")
    assert seen.job == s.job()
    assert seen.latest_run is None
    assert seen.artifact_counts == {}


async def test_overview_names_the_jobs_latest_run_not_another(backend: Backend) -> None:
    repos = backend.repos
    await repos.jobs.add(s.job())
    await repos.runs.enqueue(s.run("run_1"))
    await repos.runs.enqueue(replace(s.run("run_2", enqueued=5), attempt=2))
    stored = await repos.jobs.get("job_1")
    await repos.jobs.save(replace(stored, latest_run_id="run_1"), expected_version=1)
    assert (await repos.jobs.overview("job_1")).latest_run == s.run("run_1")
    stored = await repos.jobs.get("job_1")
    await repos.jobs.save(replace(stored, latest_run_id="run_9"), expected_version=2)
    assert (await repos.jobs.overview("job_1")).latest_run is None  # row never written


@settings(max_examples=8, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(kinds=st.lists(st.sampled_from(list(ArtifactKind)), max_size=12))
async def test_overview_counts_equal_the_listed_artifacts_by_kind(
    backend: Backend, kinds: list[ArtifactKind]
) -> None:
    await backend.reset()
    repos = backend.repos
    await repos.jobs.add(s.job())
    await repos.jobs.add(s.job("job_2"))
    await repos.artifacts.add(s.artifact("other/x.csv", job_id="job_2", artifact_id="other"))
    for n, kind in enumerate(kinds):
        await repos.artifacts.add(replace(s.artifact(f"outputs/f{n}.txt", artifact_id=f"a{n}"),
                                          kind=kind))
    expected: dict[str, int] = {}
    for a in await repos.artifacts.list_for_job("job_1"):
        expected[a.kind.value] = expected.get(a.kind.value, 0) + 1
    assert (await repos.jobs.overview("job_1")).artifact_counts == expected


async def test_index_of_an_unknown_job_is_job_not_found(backend: Backend) -> None:
    with pytest.raises(SSError) as caught:
        await backend.repos.artifacts.index("job_none")
    assert caught.value.error_code == "JOB_NOT_FOUND"


async def test_index_of_a_job_without_artifacts_is_empty(backend: Backend) -> None:
    await backend.repos.jobs.add(s.job())
    assert await backend.repos.artifacts.index("job_1") == []


async def test_index_is_the_jobs_artifacts_oldest_first_then_by_path(backend: Backend) -> None:
    repos = backend.repos
    await repos.jobs.add(s.job())
    await repos.jobs.add(s.job("job_2"))
    later = replace(s.artifact("outputs/a.csv", artifact_id="a1"), created_at=s.at(60))
    await repos.artifacts.add(later)
    await repos.artifacts.add(s.artifact("outputs/z.log", artifact_id="a2"))
    await repos.artifacts.add(s.artifact("outputs/b.csv", artifact_id="a3"))
    await repos.artifacts.add(s.artifact("outputs/a.csv", artifact_id="a4", job_id="job_2"))
    index = await repos.artifacts.index("job_1")
    assert [a.artifact_id for a in index] == ["a3", "a2", "a1"]
    assert index[2] == later
