"""SQLite reads run inline on the event loop's thread, and never make the loop wait for a lock.

A read that would wait (another connection holds a lock readers cannot pass) is answered
through the waiting path on a thread, with the same result, while the loop keeps running.
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

from ss_adapters.sql.reads import InlineReadPath
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
