"""Finding 10: the redeem limiter behind proxies. Forwarded headers are believed only from
``SS_TRUSTED_PROXIES``; failures are limited per address and per code prefix; a valid code
is never refused because others failed from the same (shared) address."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from ss_core.errors import SSError
from ss_http.rate_limit import RedeemLimits
from tests.e2e.stack import Server, free_port, stack_env
from tests.faults.journey import issue_codes

pytestmark = pytest.mark.slow


class Clock:
    now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_prefix_under_attack_is_limited_across_addresses() -> None:
    limits = RedeemLimits(3, clock=Clock())
    for i in range(3):
        assert limits.before(f"10.0.0.{i}", "tc_AbCdEfGh_guess") is False
        limits.failed(f"10.0.0.{i}", f"tc_AbCdEfGh_guess{i}")
    with pytest.raises(SSError) as caught:
        limits.before("10.0.0.99", "tc_AbCdEfGh_other")
    assert caught.value.error_code == "RATE_LIMITED"
    assert limits.before("10.0.0.99", "tc_Zzzzzzzz_other") is False


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Server]]:
    started: dict[str, Server] = {}
    try:
        for name, extra in (("direct", {}), ("proxied", {"SS_TRUSTED_PROXIES": "127.0.0.1"})):
            tmp: Path = tmp_path_factory.mktemp(name)
            env = stack_env(tmp, None, SS_REDEEM_RATE_PER_MINUTE="20", **extra)
            started[name] = Server(env, free_port(), tmp / "server.log").start()
        yield started
    finally:
        for server in started.values():
            server.stop()


def redeem(client: httpx.Client, code: str, forwarded: str | None = None) -> int:
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    r = client.post("/v1/task-codes/redeem", headers=headers,
                    json={"task_code": code, "requirement": "OLS regression"})
    return r.status_code


def test_forwarded_headers_are_ignored_without_a_trusted_proxy(servers: dict) -> None:
    with servers["direct"].client() as client:
        statuses = [redeem(client, f"tc_{i:04d}guess", f"10.9.0.{i}") for i in range(30)]
    assert statuses[:20] == [403] * 20 and set(statuses[20:]) == {429}


def test_a_valid_code_from_a_shared_address_is_redeemed(servers: dict) -> None:
    with servers["proxied"].client() as client:
        (valid,) = issue_codes(client, 1)
        shared = "203.0.113.7"
        failures = [redeem(client, f"tc_{i:04d}wrong", shared) for i in range(25)]
        assert set(failures[20:]) == {429}
        assert redeem(client, valid, shared) == 200
        assert redeem(client, f"tc_{99:04d}wrong", "198.51.100.1") == 403  # another client
