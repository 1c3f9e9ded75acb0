"""Connection-level limits for the uvicorn server: the answer to slow and flooding clients.

uvicorn has no deadline for a request's headers: a client that sends half a request line and
then nothing holds a socket (and a file descriptor) for ever, and ~1,000 such clients exhaust
the default descriptor limit. Here every connection must complete a request's headers within
``SS_HEADER_TIMEOUT_SECONDS`` of opening (or of its previous answer), else it is closed; the
number of concurrent connections is capped (``SS_MAX_CONNECTIONS``: beyond it uvicorn answers
503); idle keep-alive connections close after ``SS_KEEP_ALIVE_SECONDS``; the descriptor soft
limit is raised to the hard limit at start; and the accept loop's "too many open files"
errors, which asyncio logs on every retry, are limited to a few lines a minute
(``RepeatLimiter``). Upload bodies have their own idle deadline (``ss_http.upload``).
"""

from __future__ import annotations

import asyncio
import logging
import resource
import time
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

try:  # uvicorn's faster parser when installed (it is what "auto" would choose)
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Base
except ImportError:  # pragma: no cover - httptools is a dependency
    _Base = H11Protocol  # type: ignore[assignment,misc]

from ss_adapters.settings import ServiceSettings

FLOOD_LOGGERS = ("asyncio", "uvicorn.error")


class HeaderDeadlineProtocol(_Base):
    """uvicorn's HTTP protocol, closing a connection that has not completed a request's
    headers within ``header_timeout`` seconds of opening or of its last answer."""

    header_timeout = 10.0
    _header_deadline: asyncio.TimerHandle | None = None

    def connection_made(self, transport: Any) -> None:
        super().connection_made(transport)
        self._arm()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._arm()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm()
        super().connection_lost(exc)

    def _arm(self) -> None:
        """One pending deadline per connection: re-arming cancels the previous one, so a
        keep-alive connection does not hold every answered request (its scope, headers and
        state) in a timer for ``header_timeout`` seconds (at a few hundred answers a second,
        thousands of them, which made every full garbage collection longer)."""
        self._disarm()
        self._header_deadline = self.loop.call_later(self.header_timeout, self._deadline,
                                                     self.cycle)

    def _disarm(self) -> None:
        if self._header_deadline is not None:
            self._header_deadline.cancel()
            self._header_deadline = None

    def _deadline(self, waiting_on: object) -> None:
        if self.cycle is waiting_on and not self.transport.is_closing():
            self.transport.close()


def uvicorn_options(settings: ServiceSettings) -> dict[str, Any]:
    """The keyword arguments every ``uvicorn.Config`` of SS gets (the protocol class is
    importable, so ``--workers N`` children receive it; each sets its deadline from its own
    settings in ``harden_process``)."""
    HeaderDeadlineProtocol.header_timeout = settings.header_timeout_seconds
    return {
        "http": HeaderDeadlineProtocol,
        # The standard library's loop, not uvloop: under a saturating closed loop of 64
        # keep-alive clients uvloop served some connections ~1 s late (p99 0.8-1.1 s, the same
        # with a bare ASGI app) while the standard loop keeps them in turn (p99 60-110 ms), at
        # the same throughput (benchmarks/README.md, "Event loop").
        "loop": "asyncio",
        "limit_concurrency": settings.max_connections,
        "timeout_keep_alive": settings.keep_alive_seconds,
        "h11_max_incomplete_event_size": 64 * 1024,
        "backlog": min(2048, settings.max_connections * 2),
        # forwarded headers are believed only from the configured proxies (none by default)
        "proxy_headers": bool(settings.trusted_proxies),
        "forwarded_allow_ips": ",".join(settings.trusted_proxies) or "",
    }


def raise_descriptor_limit() -> int:
    """Raise the soft RLIMIT_NOFILE to the hard limit; returns the soft limit now in force."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or hard > soft:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 65536)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):
            pass
    return soft


class RepeatLimiter(logging.Filter):
    """At most ``burst`` records per ``window`` seconds for each message of a logger; the
    next record after a quiet window says how many were dropped."""

    def __init__(self, burst: int = 5, window: float = 60.0) -> None:
        super().__init__()
        self.burst, self.window = burst, window
        self._seen: dict[tuple[str, str], tuple[float, int, int]] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg).split("\n", 1)[0][:200])
        now = time.monotonic()
        start, count, dropped = self._seen.get(key, (now, 0, 0))
        if now - start > self.window:
            if dropped:
                record.msg = f"{record.msg} (and {dropped} similar lines suppressed)"
            start, count, dropped = now, 0, 0
        if count >= self.burst:
            self._seen[key] = (start, count, dropped + 1)
            return False
        self._seen[key] = (start, count + 1, dropped)
        if len(self._seen) > 1000:
            self._seen.clear()
        return True


def harden_process(settings: ServiceSettings) -> None:
    """Process-wide: the header deadline, more descriptors, bounded repeats of the overload
    log lines."""
    HeaderDeadlineProtocol.header_timeout = settings.header_timeout_seconds
    raise_descriptor_limit()
    for name in FLOOD_LOGGERS:
        target = logging.getLogger(name)
        if not any(isinstance(f, RepeatLimiter) for f in target.filters):
            target.addFilter(RepeatLimiter())

