"""Turning database driver failures into SS errors (no secrets in the messages)."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from ss_core.errors import StorageError

_UNAVAILABLE = (OperationalError, InterfaceError, OSError, TimeoutError)


def _reason(exc: BaseException, password: str | None) -> str:
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = f"{type(cause).__name__}: {cause}".splitlines()[0]
    if password:
        text = text.replace(password, "***")
    return text[:300]


@asynccontextmanager
async def storage_guard(engine: AsyncEngine, operation: str) -> AsyncIterator[None]:
    """Map "database unreachable / locked / gone" to ``STORAGE_UNAVAILABLE`` (retryable)."""
    try:
        yield
    except _UNAVAILABLE as exc:
        if isinstance(exc, DBAPIError) and not _is_unavailability(exc):
            raise
        url = engine.url
        raise StorageError(
            f"the database is unavailable during {operation}",
            code="STORAGE_UNAVAILABLE",
            operation=operation,
            database=url.render_as_string(hide_password=True),
            reason=_reason(exc, url.password if isinstance(url.password, str) else None),
            fix="check that the database in SS_DATABASE_URL is running and reachable, then retry",
        ) from None


def _is_unavailability(exc: DBAPIError) -> bool:
    """Operational/interface errors and dropped connections; not constraint violations."""
    return isinstance(exc, OperationalError | InterfaceError) or exc.connection_invalidated
