"""PostgreSQL keyed reads are answered from memory exactly while the server's snapshot is the
one they were read in: any commit, by this process or another, in progress when the read ran
or begun after it, makes the next read run again; reads asked together share one snapshot
query sent after all of them asked; a broken probe connection only costs full reads."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import asyncpg
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import Connection, text
from sqlalchemy.engine import make_url

from ss_adapters.sql.repositories import SqlRepositories
from ss_adapters.sql.schema import OLDEST_POSTGRES, unsupported_server
from ss_adapters.sql.settings import DatabaseSettings
from ss_adapters.sql.snapshot_reads import SnapshotReadPath
from ss_core.domain.artifact import ArtifactKind
from ss_core.errors import SSError
from tests.adapters import storage_samples as s
from tests.adapters.storage_backends import Backend, postgres_url

__all__ = ["postgres_url"]
pytestmark = pytest.mark.postgres


@pytest.fixture
async def pg(postgres_url: str) -> AsyncIterator[Backend]:
    chosen = Backend("postgres", SqlRepositories.from_settings(DatabaseSettings(url=postgres_url)),
                     postgres_url)
    await chosen.reset()
    try:
        yield chosen
    finally:
        await chosen.close()


async def raw(url: str) -> asyncpg.Connection:
    u = make_url(url)
    return await asyncpg.connect(host=u.host, port=u.port or 5432, user=u.username,
                                 password=u.password, database=u.database, timeout=5)


def path_of(pg: Backend) -> SnapshotReadPath:
    reads = pg.repos.reads
    assert isinstance(reads, SnapshotReadPath)
    return reads


async def test_a_keyed_read_is_remembered_while_nothing_is_committed(pg: Backend) -> None:
    reads = path_of(pg)
    ran: list[int] = []

    def counted(conn: Connection) -> int:
        ran.append(1)
        return int(conn.scalar(text("SELECT count(*) FROM jobs")) or 0)

    await pg.repos.jobs.add(s.job())
    answers = [await reads.run("count", counted, key=("count",)) for _ in range(5)]
    assert answers == [1] * 5 and len(ran) == 1 and reads.remembered == 4
    assert await reads.run("count", counted) == 1 and len(ran) == 2  # unkeyed: always read


async def test_a_commit_by_this_or_another_process_is_seen_by_the_next_read(
        pg: Backend) -> None:
    await pg.repos.jobs.add(s.job())
    assert (await pg.repos.jobs.overview("job_1")).artifact_counts == {}
    await pg.repos.artifacts.add(s.artifact("outputs/a.csv"))  # this process
    assert (await pg.repos.jobs.overview("job_1")).artifact_counts == {
        ArtifactKind.OUTPUT_TABLE.value: 1}
    await pg.another_process().artifacts.add(s.artifact("outputs/b.csv", artifact_id="art_2"))
    assert (await pg.repos.jobs.overview("job_1")).artifact_counts == {
        ArtifactKind.OUTPUT_TABLE.value: 2}


async def test_a_write_in_progress_during_the_read_is_seen_once_it_commits(pg: Backend) -> None:
    await pg.repos.jobs.add(s.job())
    assert pg.url is not None
    writer = await raw(pg.url)
    try:
        transaction = writer.transaction()
        await transaction.start()
        await writer.execute("UPDATE jobs SET status = 'queued' WHERE job_id = 'job_1'")
        before = await pg.repos.reads.run(
            "status", lambda c: c.scalar(text("SELECT status FROM jobs")), key=("status",))
        assert before == "created"  # read while the writer's transaction is in progress
        await transaction.commit()
    finally:
        await writer.close()
    after = await pg.repos.reads.run(
        "status", lambda c: c.scalar(text("SELECT status FROM jobs")), key=("status",))
    assert after == "queued"


async def test_reads_asked_together_share_one_snapshot_query(pg: Backend) -> None:
    reads = path_of(pg)
    await pg.repos.jobs.add(s.job())
    await pg.repos.jobs.get("job_1")  # remembered, and the probe connected
    before = reads.probe.queries
    jobs = await asyncio.gather(*(pg.repos.jobs.get("job_1") for _ in range(50)))
    assert all(j == jobs[0] for j in jobs)
    assert reads.probe.queries - before <= 2  # the one in flight, if any, and the next


async def test_a_read_asked_while_a_probe_is_in_flight_waits_for_the_next_one(
        pg: Backend, monkeypatch: pytest.MonkeyPatch) -> None:
    """The in-flight probe's snapshot may predate a commit that ended before the later read
    began: sharing it would answer that read with what it remembered from before."""
    reads = path_of(pg)
    await pg.repos.jobs.add(s.job())

    def status(conn: Connection) -> Any:
        return conn.scalar(text("SELECT status FROM jobs"))

    assert await reads.run("status", status, key=("status",)) == "created"
    real, gate, held = reads.probe._query, asyncio.Event(), []

    async def slow_answer() -> str | None:
        snapshot = await real()  # taken by the server now, answered late
        if not held:
            held.append(snapshot)
            await gate.wait()
        return snapshot

    monkeypatch.setattr(reads.probe, "_query", slow_answer)
    first = asyncio.create_task(reads.run("status", status, key=("status",)))
    while not held:
        await asyncio.sleep(0.005)
    async with pg.another_process().engine.begin() as conn:
        await conn.execute(text("UPDATE jobs SET status = 'queued'"))
    later = asyncio.create_task(reads.run("status", status, key=("status",)))
    await asyncio.sleep(0.05)
    gate.set()
    assert await first == "created"  # its snapshot was taken before the commit
    assert await later == "queued"


async def test_a_broken_probe_connection_costs_full_reads_only(pg: Backend) -> None:
    reads = path_of(pg)
    await pg.repos.jobs.add(s.job())

    def status(conn: Connection) -> Any:
        return conn.scalar(text("SELECT status FROM jobs"))

    assert await reads.run("status", status, key=("status",)) == "created"
    assert pg.url is not None
    admin = await raw(pg.url)
    try:
        killed = await admin.fetchval(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid() "
            "AND query LIKE '%pg_current_snapshot%'")
        assert killed >= 1
        await admin.execute("UPDATE jobs SET status = 'queued'")
    finally:
        await admin.close()
    remembered = reads.remembered
    assert await reads.run("status", status, key=("status",)) == "queued"  # read in full
    assert reads.probe.failures == 1 and reads.remembered == remembered
    assert await reads.run("status", status, key=("status",)) == "queued"  # reconnected
    assert reads.remembered == remembered + 1 and reads.probe.failures == 1


Step = tuple[str, int]
steps = st.lists(st.one_of(st.tuples(st.just("write"), st.integers(0, 3)),
                           st.tuples(st.just("read"), st.integers(1, 4))),
                 min_size=1, max_size=12)


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(plan=steps)
async def test_every_read_answers_what_was_committed_before_it_began(
        pg: Backend, plan: list[Step]) -> None:
    """Writes from another process (some to the key's row, some elsewhere) interleaved with
    batches of concurrent keyed reads: each read equals the last committed value."""
    await pg.reset()
    other = pg.another_process()
    await pg.repos.jobs.add(s.job())
    committed = "created"
    states = ["created", "queued", "running", "failed"]

    def status(conn: Connection) -> Any:
        return conn.scalar(text("SELECT status FROM jobs WHERE job_id = 'job_1'"))

    for kind, n in plan:
        if kind == "write":
            committed = states[n]
            async with other.engine.begin() as conn:
                await conn.execute(text("UPDATE jobs SET status = :s"), {"s": committed})
        else:
            answers = await asyncio.gather(*(pg.repos.reads.run("status", status,
                                                                key=("status",))
                                             for _ in range(n)))
            assert answers == [committed] * n


async def test_a_server_older_than_13_is_refused_by_name(pg: Backend) -> None:
    too_old = unsupported_server((12, 19))
    assert too_old is not None and too_old.error_code == "CONFIG_INVALID"
    assert "PostgreSQL 12.19 is too old" in too_old.message and too_old.fix is not None
    assert too_old.context["server_version"] == "12.19"
    assert unsupported_server(OLDEST_POSTGRES) is None and unsupported_server((15, 2)) is None
    current, head = await pg.repos.schema_status()  # this server (>= 13) passes the check
    assert current == head
    version = pg.repos.engine.dialect.server_version_info
    assert version is not None and tuple(version) >= OLDEST_POSTGRES  # read at connect
    pg.repos.engine.dialect.server_version_info = (12, 19)
    try:
        with pytest.raises(SSError) as caught:
            await pg.repos.schema_status()
        assert caught.value.error_code == "CONFIG_INVALID"
    finally:
        pg.repos.engine.dialect.server_version_info = version


async def test_reads_that_miss_together_share_one_full_read(pg: Backend) -> None:
    reads = path_of(pg)
    await pg.repos.jobs.add(s.job())
    ran: list[int] = []

    def status(conn: Connection) -> Any:
        ran.append(1)
        return conn.scalar(text("SELECT status FROM jobs"))

    assert await reads.run("status", status, key=("status",)) == "created"
    async with pg.another_process().engine.begin() as conn:
        await conn.execute(text("UPDATE jobs SET status = 'queued'"))
    ran.clear()
    answers = await asyncio.gather(*(reads.run("status", status, key=("status",))
                                     for _ in range(40)))
    assert answers == ["queued"] * 40
    assert len(ran) <= 3  # not one per request


async def test_a_miss_does_not_take_a_full_read_that_began_before_a_commit(pg: Backend) -> None:
    reads = path_of(pg)
    await pg.repos.jobs.add(s.job())

    def slow_status(conn: Connection) -> Any:
        conn.execute(text("SELECT pg_sleep(0.3)"))  # its snapshot is fixed already
        return conn.scalar(text("SELECT status FROM jobs"))

    first = asyncio.create_task(reads.run("status", slow_status, key=("status",)))
    await asyncio.sleep(0.15)  # the first read is in flight, in its snapshot
    async with pg.another_process().engine.begin() as conn:
        await conn.execute(text("UPDATE jobs SET status = 'queued'"))
    later = asyncio.create_task(reads.run("status", slow_status, key=("status",)))
    assert await first == "created"
    assert await later == "queued"
