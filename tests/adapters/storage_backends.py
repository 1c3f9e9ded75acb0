"""The storage backends the persistence contract tests run against: the in-memory doubles,
SQLite (a file per test) and PostgreSQL (one throwaway database per session, emptied between
tests). Import ``backend`` (and ``postgres_url`` if needed) into a test module to use them.

PostgreSQL comes from ``SS_TEST_POSTGRES_URL`` (default: the local trust-auth server,
``postgresql://postgres@127.0.0.1:5432/test``); when it cannot be reached the PostgreSQL
parametrisation is skipped with the reason.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Coroutine, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from sqlalchemy import delete
from sqlalchemy.engine import make_url

from ss_adapters.sql.repositories import SqlRepositories
from ss_adapters.sql.schema import migrate
from ss_adapters.sql.settings import DatabaseSettings
from ss_adapters.sql.tables import metadata
from tests.doubles.memory_repositories import MemoryDatabase, MemoryRepositories

ADMIN_URL = os.environ.get("SS_TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/test")


def run_apart(coro: Coroutine[Any, Any, Any]) -> Any:
    """Run ``coro`` on its own loop in its own thread (session fixtures may be set up from
    inside a test's running loop)."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coro).result()


async def admin_execute(statement: str) -> None:
    url = make_url(ADMIN_URL)
    conn = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, password=url.password,
        database=url.database, timeout=5,
    )
    try:
        await conn.execute(statement)
    finally:
        await conn.close()


def create_postgres_database() -> str:
    """A new empty database on the test server; its URL. Skips when the server is down."""
    name = f"ss_test_{uuid.uuid4().hex[:12]}"
    try:
        run_apart(admin_execute(f'CREATE DATABASE "{name}"'))
    except (OSError, asyncpg.PostgresError, TimeoutError) as exc:
        pytest.skip(f"PostgreSQL at {make_url(ADMIN_URL).render_as_string()} is not "
                    f"reachable ({type(exc).__name__}: {exc}); set SS_TEST_POSTGRES_URL")
    return make_url(ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_postgres_database(url: str) -> None:
    name = make_url(url).database
    run_apart(admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A migrated throwaway PostgreSQL database for the whole session, dropped at the end."""
    url = create_postgres_database()
    try:
        run_apart(migrate(url))
        yield url
    finally:
        drop_postgres_database(url)


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, copied for each test (migrating once is faster)."""
    path = tmp_path_factory.mktemp("sqlite-template") / "ss.db"
    run_apart(migrate(f"sqlite:///{path}"))
    return path


@dataclass
class Backend:
    """One storage backend under test: ``repos`` plus a way to open the same database as
    another process would (a separate engine and pool), and to empty it."""

    kind: str
    repos: Any
    url: str | None = None
    _opened: list[SqlRepositories] = field(default_factory=list)

    def another_process(self) -> Any:
        if self.url is None:
            return self.repos
        repos = SqlRepositories.from_settings(DatabaseSettings(url=self.url))
        self._opened.append(repos)
        return repos

    async def reset(self) -> None:
        if self.url is None:
            fresh = MemoryDatabase()
            for name in vars(fresh):
                setattr(self.repos.db, name, getattr(fresh, name))
            return
        async with self.repos.engine.begin() as conn:
            for table in reversed(metadata.sorted_tables):
                await conn.execute(delete(table))

    async def close(self) -> None:
        for repos in [*self._opened, self.repos]:
            if isinstance(repos, SqlRepositories):
                await repos.close()


@pytest.fixture(params=["memory", "sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def backend(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Backend]:
    if request.param == "memory":
        yield Backend("memory", MemoryRepositories())
        return
    if request.param == "sqlite":
        path = tmp_path / "ss.db"
        shutil.copyfile(request.getfixturevalue("sqlite_template"), path)
        url = f"sqlite:///{path}"
    else:
        url = request.getfixturevalue("postgres_url")
    chosen = Backend(request.param, SqlRepositories.from_settings(DatabaseSettings(url=url)), url)
    if request.param == "postgres":
        await chosen.reset()
    try:
        yield chosen
    finally:
        await chosen.close()
