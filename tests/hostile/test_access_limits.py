"""Brute force of task codes (the per-client redeem limit), secrets looked up by hash only,
tokens of one job used against another, and bounded list offsets - in process, fast."""

from __future__ import annotations

import dataclasses
import re
from collections.abc import AsyncIterator
from typing import Any

import pytest
from litestar import Litestar
from litestar.testing import AsyncTestClient

from ss_adapters.gate import ProductionGate, Requirement
from ss_core.domain.task_code import secret_hash
from ss_core.errors import SSError
from ss_core.usecases.services import Policies
from ss_http.app import create_app
from ss_http.rate_limit import RedeemLimiter, RedeemLimits
from tests.core.journey_kit import Kit, make_kit

ADMIN = "admin-token-for-tests-0123456789"


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def _ok() -> dict:
    return {}


def build(kit: Kit, per_minute: int = 20) -> Litestar:
    kit.services = dataclasses.replace(kit.services, policies=Policies(
        lease_seconds=30, redeem_rate_per_minute=per_minute))
    return create_app(kit.services, ProductionGate([Requirement("always", "nothing", _ok)]),
                      admin_token=ADMIN)


@pytest.fixture
def kit() -> Kit:
    return make_kit(roles={"outcome": "wage", "treatment": "educ"})


async def issue(client: AsyncTestClient, count: int = 1) -> list[str]:
    r = await client.post("/api/admin/task-codes", json={"count": count},
                          headers={"Authorization": f"Bearer {ADMIN}"})
    assert r.status_code == 201, r.text
    return [c["task_code"] for c in r.json()["task_codes"]]


async def redeem(client: AsyncTestClient, code: str) -> Any:
    return await client.post("/v1/task-codes/redeem",
                             json={"task_code": code, "requirement": "OLS regression"})


# the limiter alone -------------------------------------------------------------------------

def test_bucket_allows_per_minute_failures_then_refills() -> None:
    clock = ManualClock()
    limiter = RedeemLimiter(3, clock=clock)
    for _ in range(3):
        limiter.check("a")
        limiter.charge("a")
    with pytest.raises(SSError) as caught:
        limiter.check("a")
    error = caught.value
    assert getattr(error, "error_code", "") == "RATE_LIMITED"
    assert getattr(error, "context", {})["retry_after_seconds"] == 20
    limiter.check("b")  # other clients are not affected
    clock.now += 19
    with pytest.raises(SSError):
        limiter.check("a")
    clock.now += 1
    limiter.check("a")  # one token is back after 60/3 s
    limiter.charge("a")
    with pytest.raises(SSError):
        limiter.check("a")
    clock.now += 600
    for _ in range(3):  # never more than the capacity, however long the pause
        limiter.check("a")
        limiter.charge("a")
    with pytest.raises(SSError):
        limiter.check("a")


def test_bucket_table_stays_bounded() -> None:
    clock = ManualClock()
    limiter = RedeemLimiter(2, max_clients=100, clock=clock)
    for i in range(1000):
        clock.now += 0.001
        limiter.charge(f"10.0.{i // 256}.{i % 256}")
    assert len(limiter._buckets) <= 100
    limiter.charge("last")
    limiter.charge("last")
    with pytest.raises(SSError):
        limiter.check("last")  # the most recent clients are the ones kept


# over HTTP ---------------------------------------------------------------------------------

@pytest.fixture
async def limited(kit: Kit) -> AsyncIterator[tuple[AsyncTestClient, ManualClock]]:
    app = build(kit, per_minute=3)
    clock = ManualClock()
    app.state.redeem_limiter = RedeemLimits(3, clock=clock)
    async with AsyncTestClient(app=app) as client:
        yield client, clock


async def test_guessing_codes_is_rate_limited_with_retry_after(limited) -> None:
    client, clock = limited
    (valid,) = await issue(client)
    assert (await redeem(client, valid)).status_code == 200
    for i in range(3):
        r = await redeem(client, f"tc_guess_{i}")
        assert r.status_code == 403 and r.json()["error_code"] == "TASK_CODE_INVALID"
    r = await redeem(client, "tc_guess_again")
    assert r.status_code == 429, r.text
    body = r.json()
    assert body["error_code"] == "RATE_LIMITED" and body["retryable"] is True
    assert r.headers["retry-after"] == str(body["retry_after_seconds"]) == "20"
    r = await redeem(client, valid)  # a valid code is never refused for others' failures
    assert r.status_code == 200 and r.json()["is_idempotent"] is True
    assert (await redeem(client, "tc_other_guess")).status_code == 429
    clock.now += 20
    assert (await redeem(client, "tc_after_pause")).status_code == 403


async def test_successful_redemptions_cost_nothing(limited) -> None:
    client, _ = limited
    codes = await issue(client, 10)
    for code in codes:
        assert (await redeem(client, code)).status_code == 200
    for code in codes:
        assert (await redeem(client, code)).status_code == 200


# secrets are looked up by hash --------------------------------------------------------------

async def test_codes_and_tokens_are_looked_up_by_hash_only(kit: Kit) -> None:
    seen: list[tuple[str, str]] = []
    for name, repo in (("code", kit.repos.task_codes), ("token", kit.repos.tokens)):
        original = repo.get_by_hash

        async def spy(value: str, _orig=original, _name=name) -> Any:
            seen.append((_name, value))
            return await _orig(value)
        object.__setattr__(repo, "get_by_hash", spy)
    async with AsyncTestClient(app=build(kit)) as client:
        (code,) = await issue(client)
        r = await redeem(client, code)
        token, job_id = r.json()["token"], r.json()["job_id"]
        assert (await client.get(f"/v1/jobs/{job_id}",
                                 headers={"Authorization": f"Bearer {token}"})).status_code == 200
        await redeem(client, "tc_not_a_code")
    assert ("code", secret_hash(code)) in seen and ("token", secret_hash(token)) in seen
    assert all(re.fullmatch(r"[0-9a-f]{64}", value) for _, value in seen), seen
    assert not {code, token, "tc_not_a_code"} & {value for _, value in seen}
    stored = repr(kit.repos)
    assert code not in stored and token not in stored


# one job's token never opens another job -----------------------------------------------------

def job_routes(app: Litestar) -> list[tuple[str, str]]:
    found = []
    for route in app.routes:
        if not route.path.startswith("/v1/jobs/{job_id"):
            continue
        for method in sorted(getattr(route, "methods", ())):
            if method in ("HEAD", "OPTIONS"):
                continue
            path = re.sub(r"\{job_id:str\}", "{job_id}", route.path)
            path = re.sub(r"\{(?!job_id)[^}]+\}", "x.csv", path)
            found.append((method, path))
    return found


async def test_a_token_is_forbidden_on_every_route_of_another_job(kit: Kit) -> None:
    app = build(kit)
    routes = job_routes(app)
    assert len(routes) >= 12
    async with AsyncTestClient(app=app) as client:
        mine, other = await issue(client, 2)
        auth = {"Authorization": f"Bearer {(await redeem(client, mine)).json()['token']}"}
        other_id = (await redeem(client, other)).json()["job_id"]
        for method, path in routes:
            r = await client.request(method, path.format(job_id=other_id), headers=auth,
                                     json={} if method == "POST" else None,
                                     params={"sheet_name": "Sheet1"})
            assert r.status_code == 403, (method, path, r.status_code, r.text)
            assert r.json()["error_code"] == "AUTH_TOKEN_FORBIDDEN", (method, path)
            r = await client.request(method, path.format(job_id=other_id),
                                     params={"sheet_name": "Sheet1"})
            assert r.status_code == 401 and r.json()["error_code"] == \
                "AUTH_BEARER_TOKEN_MISSING", (method, path)


async def test_list_offsets_are_bounded(kit: Kit) -> None:
    async with AsyncTestClient(app=build(kit)) as client:
        admin = {"Authorization": f"Bearer {ADMIN}"}
        for path in ("/api/admin/jobs", "/api/admin/task-codes"):
            r = await client.get(path, params={"offset": 2**63}, headers=admin)
            assert r.status_code == 400 and r.json()["error_code"] == "INPUT_VALIDATION_FAILED"
            assert (await client.get(path, params={"offset": 10**9},
                                     headers=admin)).status_code == 200


async def test_deeply_nested_json_is_a_client_error(kit: Kit) -> None:
    async with AsyncTestClient(app=build(kit)) as client:
        r = await client.post("/v1/task-codes/redeem", content=b"[" * 50_000 + b"]" * 50_000,
                              headers={"Content-Type": "application/json"})
        assert r.status_code == 400 and r.json()["error_code"] == "INPUT_VALIDATION_FAILED"
