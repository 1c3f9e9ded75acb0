"""The job-token cache: a revoked or expired token is refused within the documented bound.

``authorize`` (the check every /v1 job request makes) runs against repositories on SQLite and
PostgreSQL, whose token lookups are cached for ``TOKEN_CACHE_SECONDS``; a second set of
repositories on the same database plays another API process. The cache's clock is driven by
the test, so the bound is checked exactly, without sleeping.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

import pytest

from ss_adapters.sql.repositories import SqlRepositories
from ss_adapters.sql.settings import DatabaseSettings
from ss_adapters.sql.token_cache import TOKEN_CACHE_SECONDS, CachedTokenRepository
from ss_adapters.sql.tokens import SqlTokenRepository
from ss_core.errors import AuthError
from ss_core.usecases.access import authorize
from tests.adapters import storage_samples as s
from tests.adapters.storage_backends import Backend, backend, postgres_url, sqlite_template

__all__ = ["backend", "postgres_url", "sqlite_template"]

SECRET = "token-secret-1"


class Ticking:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Counting:
    """A token repository that counts the lookups reaching the database."""

    def __init__(self, inner: Any) -> None:
        self.inner, self.lookups = inner, 0

    async def add(self, token: Any) -> None:
        await self.inner.add(token)

    async def get_by_hash(self, token_hash: str) -> Any:
        self.lookups += 1
        return await self.inner.get_by_hash(token_hash)

    async def revoke_for_job(self, job_id: str, at: Any) -> int:
        return await self.inner.revoke_for_job(job_id, at)


def services(tokens: Any, at: Any = s.T0) -> Any:
    return SimpleNamespace(tokens=tokens, clock=SimpleNamespace(now=lambda: at))


@pytest.fixture
async def sql(backend: Backend) -> Any:
    """The backend, with ``uncached`` token lookups on its database."""
    if backend.url is None:
        pytest.skip("the cache sits in front of the SQL repositories")
    await backend.repos.jobs.add(s.job())
    await backend.repos.tokens.add(s.token())
    backend.uncached = SqlTokenRepository(backend.repos.engine, backend.repos.reads)
    return backend


async def refused(tokens: Any, at: Any = s.T0) -> str:
    with pytest.raises(AuthError) as caught:
        await authorize(services(tokens, at), SECRET, "job_1")
    return caught.value.error_code


async def test_the_service_wires_the_cache_with_the_documented_bound() -> None:
    repos = SqlRepositories.from_settings(DatabaseSettings(url="sqlite:////tmp/unused.db"))
    assert isinstance(repos.tokens, CachedTokenRepository)
    assert repos.tokens.ttl_seconds == TOKEN_CACHE_SECONDS <= 5.0
    await repos.close()


async def test_a_token_checked_again_within_the_bound_costs_no_lookup(sql: Backend) -> None:
    clock = Ticking()
    counting = Counting(sql.uncached)
    tokens = CachedTokenRepository(counting, monotonic=clock)
    for _ in range(5):
        await authorize(services(tokens), SECRET, "job_1")
    assert counting.lookups == 1
    clock.now += TOKEN_CACHE_SECONDS
    await authorize(services(tokens), SECRET, "job_1")
    assert counting.lookups == 2


async def test_revocation_by_another_process_is_honoured_within_the_bound(sql: Backend) -> None:
    clock = Ticking()
    here = CachedTokenRepository(sql.uncached, monotonic=clock)
    await authorize(services(here), SECRET, "job_1")
    assert await sql.another_process().tokens.revoke_for_job("job_1", s.at(1)) == 1
    clock.now += TOKEN_CACHE_SECONDS - 0.001
    await authorize(services(here), SECRET, "job_1")  # still remembered: inside the bound
    clock.now += 0.001
    assert await refused(here) == "AUTH_TOKEN_INVALID"


async def test_revocation_through_this_process_is_honoured_at_once(sql: Backend) -> None:
    here = CachedTokenRepository(sql.uncached, monotonic=Ticking())
    await authorize(services(here), SECRET, "job_1")
    assert await here.revoke_for_job("job_1", s.at(1)) == 1
    assert await refused(here) == "AUTH_TOKEN_INVALID"


async def test_a_lookup_racing_a_local_revocation_does_not_keep_the_old_answer(
    sql: Backend,
) -> None:
    gate = asyncio.Event()

    class Slow(Counting):
        async def get_by_hash(self, token_hash: str) -> Any:
            found = await self.inner.get_by_hash(token_hash)
            await gate.wait()  # the answer arrives after the revocation
            return found

    here = CachedTokenRepository(Slow(sql.uncached), monotonic=Ticking())
    lookup = asyncio.create_task(here.get_by_hash(s.token().token_hash))
    await asyncio.sleep(0.05)
    await here.revoke_for_job("job_1", s.at(1))
    gate.set()
    assert (await lookup).revoked_at is None  # that request was already under way
    assert await refused(here) == "AUTH_TOKEN_INVALID"


async def test_an_expired_token_is_refused_at_once_even_when_remembered(sql: Backend) -> None:
    here = CachedTokenRepository(sql.uncached, monotonic=Ticking())
    await authorize(services(here), SECRET, "job_1")
    expiry = s.token().expires_at
    await authorize(services(here, expiry - timedelta(microseconds=1)), SECRET, "job_1")
    assert await refused(here, expiry) == "AUTH_TOKEN_INVALID"


async def test_the_cache_stays_within_its_entry_bound(sql: Backend) -> None:
    here = CachedTokenRepository(sql.uncached, monotonic=Ticking(), max_entries=3)
    for n in range(6):
        secret = f"token-secret-{n + 10}"
        await sql.repos.tokens.add(s.token(secret=secret))
        await here.get_by_hash(s.token(secret=secret).token_hash)
    assert len(here) == 3
    assert await here.get_by_hash("0" * 64) is None
    assert len(here) == 3
