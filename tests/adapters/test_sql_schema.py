"""The SQL adapters' own promises: migrations, SQLite settings, URLs, configuration, and
"database unavailable" reported as STORAGE_UNAVAILABLE without secrets."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import IntegrityError

from ss_adapters.sql.alembic_upgrade import scripts_head
from ss_adapters.sql.engine import create_engine, normalise_url
from ss_adapters.sql.migration_child import MigrationChildFailed
from ss_adapters.sql.repositories import SqlRepositories
from ss_adapters.sql.schema import HEAD_REVISION, head_revision, migrate, schema_status
from ss_adapters.sql.settings import DatabaseSettings
from ss_adapters.sql.tables import metadata, runs
from ss_core.errors import SSError
from tests.adapters import storage_samples as s
from tests.adapters.storage_backends import (
    ADMIN_URL,
    admin_execute,
    create_postgres_database,
    drop_postgres_database,
    postgres_url,
)

__all__ = ["postgres_url"]


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
async def empty_database(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    url = create_postgres_database()
    try:
        yield url
    finally:
        drop_postgres_database(url)


def _alembic_current(sync_conn: Any) -> str | None:
    return MigrationContext.configure(sync_conn).get_current_revision()


def _schema_differences(sync_conn: Any) -> list[Any]:
    context = MigrationContext.configure(sync_conn, opts={"compare_type": True})
    return list(compare_metadata(context, metadata))


async def test_migrate_creates_the_schema_from_empty(empty_database: str) -> None:
    head = head_revision()
    assert await schema_status(empty_database) == (None, head)
    await migrate(empty_database)
    assert await schema_status(empty_database) == (head, head)
    await migrate(empty_database)
    assert await schema_status(empty_database) == (head, head)
    engine = create_engine(empty_database)
    repos = SqlRepositories.on(engine)
    try:
        async with engine.connect() as conn:
            assert await conn.run_sync(_schema_differences) == []
            assert await conn.run_sync(_alembic_current) == head  # the plain-SQL read agrees
        await repos.jobs.add(s.job())
        assert await repos.jobs.get("job_1") == s.job()
    finally:
        await repos.close()  # its read path holds a connection; disposes of the engine


def test_the_head_revision_constant_is_the_head_of_the_migration_scripts() -> None:
    # A new migration script must move HEAD_REVISION with it, or an up-to-date check would
    # skip the upgrade.
    assert scripts_head() == HEAD_REVISION


FRESH_START = r"""
import asyncio, json, sys
from ss_adapters.sql.repositories import SqlRepositories
from ss_adapters.sql.settings import DatabaseSettings

async def main():
    repos = SqlRepositories.from_settings(DatabaseSettings(url=sys.argv[1]))
    try:
        before = await repos.schema_status()
        await repos.migrate()
        after = await repos.schema_status()
        await repos.migrate()
    finally:
        await repos.close()
    loaded = sorted({m.split(".")[0] for m in sys.modules} & {"alembic", "mako"})
    print(json.dumps({"before": before, "after": after, "loaded": loaded}))

asyncio.run(main())
"""


def test_a_fresh_database_is_migrated_without_loading_alembic_into_the_process(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    done = subprocess.run([sys.executable, "-c", FRESH_START, url], capture_output=True,
                          text=True, timeout=120, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 0, done.stderr[-3000:]
    answer = json.loads(done.stdout.strip().splitlines()[-1])
    assert answer == {"before": [None, HEAD_REVISION], "after": [HEAD_REVISION, HEAD_REVISION],
                      "loaded": []}


async def test_a_database_at_an_unknown_revision_stops_the_migration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ahead.db'}"
    await migrate(url)
    engine = create_engine(url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
        repos = SqlRepositories.on(engine)
        with pytest.raises(MigrationChildFailed):
            await repos.migrate()
        assert await repos.schema_status() == ("9999", HEAD_REVISION)
    finally:
        await engine.dispose()


async def test_sqlite_runs_in_wal_with_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'ss.db'}"
    await migrate(url)
    engine = create_engine(url)
    try:
        async with engine.connect() as conn:
            assert (await conn.scalar(text("PRAGMA journal_mode"))) == "wal"
            assert (await conn.scalar(text("PRAGMA foreign_keys"))) == 1
            assert (await conn.scalar(text("PRAGMA busy_timeout"))) >= 5000
        with pytest.raises(IntegrityError):
            async with engine.begin() as conn:
                await conn.execute(insert(runs).values(
                    run_id="r", job_id="no_such_job", plan_id="p", attempt=1, status="queued",
                    enqueued_at=s.T0, claim_count=0, max_claims=3, meta={}))
    finally:
        await engine.dispose()


async def test_an_unreachable_postgres_is_storage_unavailable_without_the_password() -> None:
    repos = SqlRepositories.from_settings(DatabaseSettings(
        url="postgresql://ss:s3cret-pw@127.0.0.1:1/ss", connect_timeout_seconds=2))
    try:
        with pytest.raises(SSError) as caught:
            await repos.jobs.get("job_1")
    finally:
        await repos.close()
    error = caught.value
    assert error.error_code == "STORAGE_UNAVAILABLE"
    assert error.retryable is True
    assert error.context["operation"] == "job get"
    assert "127.0.0.1:1" in error.context["database"]
    assert error.context["reason"]
    assert "s3cret-pw" not in repr(error.to_body())


@pytest.mark.postgres
@pytest.mark.parametrize(("change", "reason"), [
    ({"database": "ss_no_such_database"}, "does not exist"),
    ({"username": "ss_no_such_role", "password": "pw-secret-9"}, "does not exist"),
])
async def test_a_wrong_database_or_role_is_storage_unavailable_with_the_reason(
    change: dict[str, Any], reason: str
) -> None:
    url = make_url(ADMIN_URL).set(**change).render_as_string(hide_password=False)
    with pytest.raises(SSError) as caught:
        await schema_status(url)
    assert caught.value.error_code == "STORAGE_UNAVAILABLE"
    assert reason in caught.value.context["reason"]
    assert "pw-secret-9" not in repr(caught.value.to_body())


async def test_an_unopenable_sqlite_file_is_storage_unavailable(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'no' / 'such' / 'dir' / 'ss.db'}"
    with pytest.raises(SSError) as caught:
        await schema_status(url)
    assert caught.value.error_code == "STORAGE_UNAVAILABLE"
    assert "unable to open" in caught.value.context["reason"]
    # The driver's worker thread answers its stop request asynchronously; let it do so
    # before this test's event loop closes.
    await asyncio.sleep(0.1)


@pytest.mark.parametrize(("given", "driver"), [
    ("sqlite:///var/ss/ss.db", "sqlite+aiosqlite"),
    ("sqlite+aiosqlite:///var/ss/ss.db", "sqlite+aiosqlite"),
    ("postgresql://u:p@db:5432/ss", "postgresql+asyncpg"),
    ("postgres://u:p@db/ss", "postgresql+asyncpg"),
    ("postgresql+psycopg://u:p@db/ss", "postgresql+asyncpg"),
])
def test_urls_are_normalised_to_the_async_drivers(given: str, driver: str) -> None:
    assert normalise_url(given).drivername == driver


@pytest.mark.parametrize("given", ["mysql://u@h/db", "sqlite://", "sqlite:///:memory:", "::"])
def test_unusable_urls_are_configuration_errors(given: str) -> None:
    with pytest.raises(SSError) as caught:
        normalise_url(given)
    assert caught.value.error_code == "CONFIG_INVALID"
    assert caught.value.context["setting"] == "SS_DATABASE_URL"


def test_settings_default_to_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    settings = DatabaseSettings.from_env({}, tmp_path)
    assert settings.url == f"sqlite:///{tmp_path / 'ss.db'}"
    assert settings.is_sqlite
    assert (settings.pool_size, settings.connect_timeout_seconds) == (5, 10.0)


def test_settings_read_the_url_and_pool_and_hide_the_password(tmp_path: Path) -> None:
    settings = DatabaseSettings.from_env({
        "SS_DATABASE_URL": "postgresql://ss:pw-123@db.internal:5432/ss",
        "SS_DATABASE_POOL_SIZE": "12", "SS_DATABASE_CONNECT_TIMEOUT": "2.5",
    }, tmp_path)
    assert not settings.is_sqlite
    assert (settings.pool_size, settings.connect_timeout_seconds) == (12, 2.5)
    assert "pw-123" not in settings.redacted_url
    assert "db.internal:5432/ss" in settings.redacted_url


@pytest.mark.parametrize(("name", "value"), [
    ("SS_DATABASE_POOL_SIZE", "zero"), ("SS_DATABASE_POOL_SIZE", "-1"),
    ("SS_DATABASE_CONNECT_TIMEOUT", "0"), ("SS_DATABASE_URL", "oracle://x@y/z"),
])
def test_bad_settings_fail_at_start_up(tmp_path: Path, name: str, value: str) -> None:
    with pytest.raises(SSError) as caught:
        DatabaseSettings.from_env({name: value}, tmp_path)
    assert caught.value.error_code == "CONFIG_INVALID"



@pytest.mark.postgres
async def test_postgres_connections_killed_by_a_server_restart_are_replaced(
    postgres_url: str,
) -> None:
    repos = SqlRepositories.from_settings(DatabaseSettings(url=postgres_url))
    try:
        await repos.audit.record(job_id="job_r", event="before", at=s.T0, data={})
        database = make_url(postgres_url).database
        await admin_execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{database}' AND pid <> pg_backend_pid()"
        )
        await repos.audit.record(job_id="job_r", event="after", at=s.T0, data={})
        assert [e["event"] for e in await repos.audit.list_for_job("job_r")] == [
            "before", "after"]
    finally:
        await repos.close()
