"""How long to wait before retrying an LLM call: full-jitter exponential backoff, or the
server's ``Retry-After`` (seconds or an HTTP date), always capped."""

from __future__ import annotations

import random
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

import msgspec


class Backoff(msgspec.Struct, frozen=True, kw_only=True):
    """``delay(n)`` for the n-th retry (0-based) is uniform in ``[0, min(max_s, base_s * 2**n)]``
    unless the server said when to come back, in which case that (capped) wins."""

    base_s: float
    max_s: float
    retry_after_max_s: float

    def delay(
        self, retry_index: int, retry_after_s: float | None, rng: random.Random
    ) -> float:
        if retry_after_s is not None:
            return min(max(retry_after_s, 0.0), self.retry_after_max_s)
        ceiling = min(self.max_s, self.base_s * (2 ** min(retry_index, 32)))
        return rng.uniform(0.0, ceiling)


def parse_retry_after(value: str | None, now: datetime | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header value; ``None`` if absent or unreadable."""
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        return _seconds_until_date(text, now)
    return seconds if seconds >= 0 and seconds == seconds else None  # NaN check


def _seconds_until_date(text: str, now: datetime | None) -> float | None:
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    current = now or datetime.now(UTC)
    return max((when - current).total_seconds(), 0.0)
