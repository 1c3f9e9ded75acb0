"""Contract: TaskCodeRepository and TokenRepository (memory double, SQLite, PostgreSQL)."""

from __future__ import annotations

import asyncio

import pytest

from ss_core.domain.task_code import secret_hash
from ss_core.errors import SSError
from tests.adapters import storage_samples as s
from tests.adapters.storage_backends import Backend, backend, postgres_url, sqlite_template

__all__ = ["backend", "postgres_url", "sqlite_template"]


async def test_codes_are_found_by_hash_only(backend: Backend) -> None:
    codes = backend.repos.task_codes
    await codes.add_many([s.task_code(1), s.task_code(2)])
    found = await codes.get_by_hash(secret_hash("code-secret-2"))
    assert found == s.task_code(2)
    assert await codes.get_by_hash(secret_hash("not issued")) is None


async def test_add_many_is_all_or_nothing_on_a_duplicate(backend: Backend) -> None:
    codes = backend.repos.task_codes
    await codes.add_many([s.task_code(1)])
    with pytest.raises(SSError) as caught:
        await codes.add_many([s.task_code(2), s.task_code(1)])
    assert caught.value.error_code == "STORAGE_DUPLICATE"
    assert await codes.get_by_hash(secret_hash("code-secret-2")) is None


async def test_redeem_binds_the_code_and_stores_job_and_token(backend: Backend) -> None:
    repos = backend.repos
    await repos.task_codes.add_many([s.task_code(1)])
    bound, created = await repos.task_codes.redeem(s.task_code(1), s.job(), s.token(), s.at(10))
    assert created is True
    assert bound.job_id == "job_1"
    assert bound.redeemed_at == s.at(10)
    assert (await repos.task_codes.get_by_hash(secret_hash("code-secret-1"))) == bound
    assert (await repos.jobs.get("job_1")) == s.job()
    assert (await repos.tokens.get_by_hash(secret_hash("token-secret-1"))) == s.token()


async def test_redeeming_again_returns_the_first_job_and_stores_nothing(backend: Backend) -> None:
    repos = backend.repos
    await repos.task_codes.add_many([s.task_code(1)])
    await repos.task_codes.redeem(s.task_code(1), s.job(), s.token(), s.at(10))
    again, created = await repos.task_codes.redeem(
        s.task_code(1), s.job("job_2"), s.token("job_2", "token-secret-2"), s.at(20))
    assert created is False
    assert again.job_id == "job_1"
    assert again.redeemed_at == s.at(10)
    with pytest.raises(SSError):
        await repos.jobs.get("job_2")
    assert await repos.tokens.get_by_hash(secret_hash("token-secret-2")) is None


async def test_concurrent_redeems_of_one_code_create_exactly_one_job(backend: Backend) -> None:
    await backend.repos.task_codes.add_many([s.task_code(1)])
    processes = [backend.repos, backend.another_process()]
    outcomes = await asyncio.gather(*(
        processes[i % 2].task_codes.redeem(
            s.task_code(1), s.job(f"job_{i}"), s.token(f"job_{i}", f"secret-{i}"), s.at(i))
        for i in range(10)
    ))
    assert sum(created for _, created in outcomes) == 1
    winners = {code.job_id for code, _ in outcomes}
    assert len(winners) == 1
    assert [j.job_id for j in await backend.repos.jobs.list()] == list(winners)


async def test_redeem_of_an_unknown_code_is_task_code_invalid(backend: Backend) -> None:
    with pytest.raises(SSError) as caught:
        await backend.repos.task_codes.redeem(s.task_code(9), s.job(), s.token(), s.T0)
    assert caught.value.error_code == "TASK_CODE_INVALID"
    with pytest.raises(SSError):
        await backend.repos.jobs.get("job_1")


async def test_revoke_stamps_the_code_once(backend: Backend) -> None:
    codes = backend.repos.task_codes
    await codes.add_many([s.task_code(1)])
    revoked = await codes.revoke("tc_1", s.at(30))
    assert revoked.revoked_at == s.at(30)
    assert (await codes.revoke("tc_1", s.at(60))).revoked_at == s.at(30)
    assert (await codes.get_by_hash(secret_hash("code-secret-1"))) == revoked
    with pytest.raises(SSError) as caught:
        await codes.revoke("tc_nope", s.at(30))
    assert caught.value.error_code == "TASK_CODE_INVALID"


async def test_expiry_is_judged_by_the_domain_from_the_stored_instant(backend: Backend) -> None:
    await backend.repos.task_codes.add_many([s.task_code(1, expires=100)])
    stored = await backend.repos.task_codes.get_by_hash(secret_hash("code-secret-1"))
    assert stored is not None
    assert stored.expires_at == s.at(100)
    assert not stored.is_expired(s.at(99.999999))
    assert stored.is_expired(s.at(100))


async def test_list_codes_newest_first_and_paged(backend: Backend) -> None:
    codes = backend.repos.task_codes
    await codes.add_many([s.task_code(i, created=i) for i in range(1, 5)])
    assert [c.task_code_id for c in await codes.list()] == ["tc_4", "tc_3", "tc_2", "tc_1"]
    assert [c.task_code_id for c in await codes.list(limit=2, offset=1)] == ["tc_3", "tc_2"]


async def test_tokens_are_found_by_hash_and_need_their_job(backend: Backend) -> None:
    repos = backend.repos
    with pytest.raises(SSError) as caught:
        await repos.tokens.add(s.token())
    assert caught.value.error_code == "JOB_NOT_FOUND"
    await repos.jobs.add(s.job())
    await repos.tokens.add(s.token())
    assert await repos.tokens.get_by_hash(secret_hash("token-secret-1")) == s.token()
    assert await repos.tokens.get_by_hash(secret_hash("token-secret-x")) is None
    with pytest.raises(SSError) as caught:
        await repos.tokens.add(s.token())
    assert caught.value.error_code == "STORAGE_DUPLICATE"


async def test_revoke_for_job_counts_newly_revoked_tokens_of_that_job(backend: Backend) -> None:
    repos = backend.repos
    await repos.jobs.add(s.job())
    await repos.jobs.add(s.job("job_2"))
    await repos.tokens.add(s.token("job_1", "a"))
    await repos.tokens.add(s.token("job_1", "b"))
    await repos.tokens.add(s.token("job_2", "c"))
    assert await repos.tokens.revoke_for_job("job_1", s.at(5)) == 2
    assert await repos.tokens.revoke_for_job("job_1", s.at(6)) == 0
    revoked = await repos.tokens.get_by_hash(secret_hash("a"))
    assert revoked is not None and revoked.revoked_at == s.at(5)
    other = await repos.tokens.get_by_hash(secret_hash("c"))
    assert other is not None and other.revoked_at is None
