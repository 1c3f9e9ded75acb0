"""SQLite reads run inline on the event loop's thread, and never make the loop wait for a lock.

A read that would wait (another connection holds a lock readers cannot pass) is answered
through the waiting path on a thread, with the same result, while the loop keeps running.
A keyed read is answered from memory exactly while nothing was committed since it was read,
by any connection (this process's writer, or another process).
"""

from __future__ import annotations

import asyncio
import shutil
import sqlite3
import threading
import time
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import text

from ss_adapters.sql.inline_reads import InlineReadPath
from ss_adapters.sql.repositories import SqlRepositories
from ss_adapters.sql.settings import DatabaseSettings
from ss_core.domain.artifact import ArtifactKind
from ss_core.errors import SSError
from tests.adapters import storage_samples as s
from tests.adapters.storage_backends import sqlite_template

__all__ = ["sqlite_template"]


@pytest.fixture
async def repos(tmp_path: Path, sqlite_template: Path) -> AsyncIterator[SqlRepositories]:
    path = tmp_path / "ss.db"
    shutil.copyfile(sqlite_template, path)
    opened = SqlRepositories.from_settings(DatabaseSettings(url=f"sqlite:///{path}"))
    try:
        yield opened
    finally:
        await opened.close()


async def test_a_sqlite_read_runs_on_the_calling_thread(repos: SqlRepositories) -> None:
    assert isinstance(repos.reads, InlineReadPath)
    await repos.jobs.add(s.job())
    assert (await repos.jobs.get("job_1")) == s.job()
    ran_on = await repos.reads.run("thread probe", lambda conn: threading.get_ident())
    assert ran_on == threading.get_ident()
    assert repos.reads.handed_off == 0


async def test_an_inline_read_sees_what_was_committed_since_its_last_read(
    repos: SqlRepositories,
) -> None:
    await repos.jobs.add(s.job())
    assert (await repos.jobs.overview("job_1")).artifact_counts == {}
    await repos.artifacts.add(s.artifact("outputs/a.csv"))
    counts = (await repos.jobs.overview("job_1")).artifact_counts
    assert counts == {ArtifactKind.OUTPUT_TABLE.value: 1}


async def test_a_read_that_meets_a_lock_waits_off_the_loop_and_answers_the_same(
    tmp_path: Path, sqlite_template: Path,
) -> None:
    path = tmp_path / "ss.db"
    shutil.copyfile(sqlite_template, path)
    settings = DatabaseSettings(url=f"sqlite:///{path}")
    first = SqlRepositories.from_settings(settings)
    await first.jobs.add(s.job())
    await first.close()
    # a connection that keeps every other one out (readers included) until it closes
    locker = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    locker.execute("PRAGMA locking_mode=EXCLUSIVE")
    locker.execute("BEGIN EXCLUSIVE")
    locker.execute("UPDATE jobs SET status = status")
    held_for = 0.4
    threading.Timer(held_for, lambda: (locker.execute("COMMIT"), locker.close())).start()
    repos = SqlRepositories.from_settings(settings)
    assert isinstance(repos.reads, InlineReadPath)
    ticks: list[float] = []

    async def ticker() -> None:
        while True:
            ticks.append(time.monotonic())
            await asyncio.sleep(0.02)

    beat = asyncio.create_task(ticker())
    await asyncio.sleep(0)
    started = time.monotonic()
    try:
        job = await repos.jobs.get("job_1")
    finally:
        beat.cancel()
    try:
        assert job == s.job()
        assert time.monotonic() - started >= held_for * 0.5  # it did wait for the lock...
        assert repos.reads.handed_off == 1
        assert len(ticks) >= 5  # ...while the loop kept running
        assert max(b - a for a, b in zip(ticks, ticks[1:], strict=False)) < held_for / 2
        assert (await repos.reads.run("after", lambda c: c.scalar(text("SELECT 1")))) == 1
        assert repos.reads.handed_off == 1  # the lock is gone: inline again
    finally:
        await repos.close()


async def test_the_inline_connection_is_read_only(repos: SqlRepositories) -> None:
    with pytest.raises(SSError) as caught:
        await repos.reads.run("write attempt",
                              lambda conn: conn.execute(text("DELETE FROM jobs")))
    assert caught.value.error_code == "STORAGE_UNAVAILABLE"
    assert "readonly" in caught.value.context["reason"]


async def test_a_keyed_read_is_remembered_until_anything_is_committed(
    repos: SqlRepositories,
) -> None:
    assert isinstance(repos.reads, InlineReadPath)
    await repos.jobs.add(s.job())
    first = await repos.jobs.overview("job_1")
    assert await repos.jobs.overview("job_1") == first
    assert repos.reads.remembered == 1
    await repos.artifacts.add(s.artifact("outputs/a.csv"))  # a commit by this process
    counts = (await repos.jobs.overview("job_1")).artifact_counts
    assert counts == {ArtifactKind.OUTPUT_TABLE.value: 1}
    assert repos.reads.remembered == 1
    assert (await repos.artifacts.index("job_1"))[0].rel_path == "outputs/a.csv"


async def test_a_commit_by_another_process_is_seen_at_once(
    repos: SqlRepositories, tmp_path: Path,
) -> None:
    await repos.jobs.add(s.job())
    assert await repos.artifacts.index("job_1") == []
    other = SqlRepositories.from_settings(DatabaseSettings(url=str(repos.engine.url)))
    try:
        await other.artifacts.add(s.artifact("outputs/b.csv"))
    finally:
        await other.close()
    assert [a.rel_path for a in await repos.artifacts.index("job_1")] == ["outputs/b.csv"]
    raw = sqlite3.connect(repos.engine.url.database or "", isolation_level=None)
    raw.execute("DELETE FROM artifacts")  # a plain sqlite3 writer, no SS code at all
    raw.close()
    assert await repos.artifacts.index("job_1") == []


async def test_remembered_answers_are_bounded(tmp_path: Path, sqlite_template: Path) -> None:
    path = tmp_path / "ss.db"
    shutil.copyfile(sqlite_template, path)
    repos = SqlRepositories.from_settings(DatabaseSettings(url=f"sqlite:///{path}"))
    try:
        assert isinstance(repos.reads, InlineReadPath)
        for n in range(3):
            await repos.jobs.add(s.job(f"job_{n}"))
        small = InlineReadPath(repos.reads._engine, repos.reads._waiting, memory_entries=2)
        for n in (0, 1, 2, 0):
            await small.run("job", lambda conn, n=n: n, key=("job", n))
        assert small.remembered == 0  # job 0 was dropped when job 2 came in
        await small.run("job", lambda conn: 2, key=("job", 2))
        assert small.remembered == 1
    finally:
        await repos.close()
