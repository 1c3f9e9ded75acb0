"""Running out of file descriptors is an overload, not a bug: it becomes a retryable 503.

A flood of connections or upload parts can exhaust the process's descriptor limit; every
place that opens a file on a request's behalf maps ``EMFILE``/``ENFILE`` through here, so
the client gets ``SERVICE_OVERLOADED`` with ``Retry-After`` instead of a 500.
"""

from __future__ import annotations

import errno

from ss_core.errors import SSError

RETRY_AFTER_SECONDS = 5


def out_of_descriptors(exc: BaseException) -> SSError | None:
    """``SERVICE_OVERLOADED`` when ``exc`` is descriptor exhaustion, else ``None``."""
    if isinstance(exc, OSError) and exc.errno in (errno.EMFILE, errno.ENFILE):
        return SSError("the service is handling too many connections or files right now; "
                       "retry shortly", code="SERVICE_OVERLOADED",
                       retry_after_seconds=RETRY_AFTER_SECONDS)
    return None
