"""Token buckets for failed task-code redemptions (brute-force protection).

A bucket holds ``per_minute`` tokens and refills continuously at ``per_minute`` tokens per
minute; a failed redemption (unknown, expired or revoked code, malformed body) takes one
token, a successful one takes none. Two kinds of bucket are kept (``RedeemLimits``): one per
client address (the address uvicorn reports, which believes forwarded headers only from
``SS_TRUSTED_PROXIES``) and one per task-code prefix (the first characters of the submitted
code, across all addresses: guessing the rest of a code someone glimpsed is limited however
many addresses the guesser has). An empty prefix bucket refuses the attempt without a lookup.
An empty address bucket does not refuse a valid code: many people share one address (a campus
NAT, a proxy), so the code is still looked up, and only an invalid one gets ``429
RATE_LIMITED`` with ``Retry-After`` (the seconds until one token is back). The tables are
bounded: full buckets carry no information and are dropped first.

State is per process (several API processes each allow ``per_minute``); 144-bit codes stay
unguessable either way.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from ss_core.errors import SSError


class RedeemLimiter:
    """Failed-attempt budget per client: ``check`` before redeeming, ``charge`` on failure."""

    def __init__(self, per_minute: int, *, max_clients: int = 10_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        if per_minute < 1:
            raise ValueError("per_minute must be >= 1")
        self.capacity = float(per_minute)
        self.rate = per_minute / 60.0
        self.max_clients = max_clients
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}

    def _level(self, client: str, now: float) -> float:
        tokens, at = self._buckets.get(client, (self.capacity, now))
        return min(self.capacity, tokens + (now - at) * self.rate)

    def check(self, client: str) -> None:
        """Raise ``RATE_LIMITED`` (with ``retry_after_seconds``) when the bucket is empty."""
        now = self._clock()
        level = self._level(client, now)
        if level < 1.0:
            wait = max(1, math.ceil((1.0 - level) / self.rate))
            raise SSError(
                "too many failed task-code redemptions from this client; wait before trying "
                "again", code="RATE_LIMITED", retry_after_seconds=wait,
                limit_per_minute=int(self.capacity))

    def charge(self, client: str) -> None:
        """Take one token for a failed attempt."""
        now = self._clock()
        level = self._level(client, now)
        self._buckets[client] = (max(0.0, level - 1.0), now)
        if len(self._buckets) > self.max_clients:
            self._evict(now)

    def _evict(self, now: float) -> None:
        for client in [c for c in self._buckets if self._level(c, now) >= self.capacity]:
            del self._buckets[client]
        if len(self._buckets) > self.max_clients:
            by_age = sorted(self._buckets, key=lambda c: self._buckets[c][1])
            for client in by_age[: len(by_age) - self.max_clients * 9 // 10]:
                del self._buckets[client]


PREFIX_CHARS = 8  # of the secret part, after ``tc_``


def code_prefix(task_code: str) -> str:
    text = task_code.strip()
    return text.removeprefix("tc_")[:PREFIX_CHARS]


class RedeemLimits:
    """The address and prefix budgets of one API process (see the module doc)."""

    def __init__(self, per_minute: int, *, clock: Callable[[], float] = time.monotonic) -> None:
        self.by_address = RedeemLimiter(per_minute, clock=clock)
        self.by_prefix = RedeemLimiter(per_minute, clock=clock)

    def before(self, address: str, task_code: str) -> bool:
        """Refuse when the code's prefix is exhausted; ``True`` when the address is (the code
        is still looked up, and only a failure is refused)."""
        self.by_prefix.check(code_prefix(task_code))
        try:
            self.by_address.check(address)
        except SSError:
            return True
        return False

    def failed(self, address: str, task_code: str) -> None:
        self.by_address.charge(address)
        self.by_prefix.charge(code_prefix(task_code))
