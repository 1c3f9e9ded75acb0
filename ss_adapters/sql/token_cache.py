"""Job-token lookups, remembered briefly by the process that made them.

Every /v1 job request proves its bearer token with a lookup by the token's sha256. A found
record is kept for at most ``TOKEN_CACHE_SECONDS`` in a bounded LRU map keyed by that hash
(the secret itself is never held). The bounds, which ``docs/decisions.md`` records:

- expiry is exact: the caller judges ``expires_at`` of the record on every request;
- a revocation made through this process (``revoke_for_job``) is exact: the job's entries are
  dropped before it returns, and a lookup that was in flight meanwhile does not store its
  (older) answer;
- a revocation made by another process sharing the database (another API process under
  ``ssctl serve --workers N``, an admin command) is honoured within ``TOKEN_CACHE_SECONDS``;
- a miss is never remembered, so a token issued a moment ago is found at once.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime

from ss_core.domain.task_code import JobToken
from ss_core.ports import TokenRepository

TOKEN_CACHE_SECONDS = 5.0
TOKEN_CACHE_ENTRIES = 10_000


class CachedTokenRepository:
    """A ``TokenRepository`` that remembers found tokens for ``ttl_seconds``."""

    def __init__(self, inner: TokenRepository, *, ttl_seconds: float = TOKEN_CACHE_SECONDS,
                 max_entries: int = TOKEN_CACHE_ENTRIES,
                 monotonic: Callable[[], float] = time.monotonic) -> None:
        self._inner, self._ttl, self._max = inner, ttl_seconds, max_entries
        self._monotonic = monotonic
        self._entries: OrderedDict[str, tuple[float, JobToken]] = OrderedDict()
        self._generation = 0  # bumped by every local revocation

    @property
    def ttl_seconds(self) -> float:
        return self._ttl

    def __len__(self) -> int:
        return len(self._entries)

    async def add(self, token: JobToken) -> None:
        await self._inner.add(token)

    async def get_by_hash(self, token_hash: str) -> JobToken | None:
        now = self._monotonic()
        hit = self._entries.get(token_hash)
        if hit is not None and now - hit[0] < self._ttl:
            self._entries.move_to_end(token_hash)
            return hit[1]
        generation = self._generation
        record = await self._inner.get_by_hash(token_hash)
        if record is None or generation != self._generation:
            self._entries.pop(token_hash, None)
            return record
        self._entries[token_hash] = (now, record)
        self._entries.move_to_end(token_hash)
        while len(self._entries) > self._max:
            self._entries.popitem(last=False)
        return record

    async def revoke_for_job(self, job_id: str, at: datetime) -> int:
        self._generation += 1
        try:
            return await self._inner.revoke_for_job(job_id, at)
        finally:
            self._generation += 1
            for key in [k for k, (_, t) in self._entries.items() if t.job_id == job_id]:
                del self._entries[key]
