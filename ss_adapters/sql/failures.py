"""Turning database driver failures into SS errors (no secrets in the messages)."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack, ExitStack, asynccontextmanager, contextmanager

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from ss_core.errors import StorageError

_UNAVAILABLE = (OperationalError, InterfaceError, OSError, TimeoutError)


def _reason(exc: BaseException, password: str | None) -> str:
    cause = exc.orig if isinstance(exc, DBAPIError) and exc.orig is not None else exc
    text = f"{type(cause).__name__}: {cause}".splitlines()[0]
    if password:
        text = text.replace(password, "***")
    return text[:300]


def unavailable(engine: AsyncEngine | Engine, operation: str, exc: BaseException) -> StorageError:
    """``STORAGE_UNAVAILABLE`` naming the database (password hidden) and the driver's reason."""
    url = engine.url
    return StorageError(
        f"the database is unavailable during {operation}",
        operation=operation,
        database=url.render_as_string(hide_password=True),
        reason=_reason(exc, url.password if isinstance(url.password, str) else None),
        fix="check that the database in SS_DATABASE_URL is running, reachable and accepts "
            "these credentials, then retry",
    )


@asynccontextmanager
async def connection(engine: AsyncEngine, operation: str) -> AsyncIterator[AsyncConnection]:
    """A pooled connection. Any failure to connect (refused, timeout, unknown database or
    role, bad password) and any unavailability while using it is ``STORAGE_UNAVAILABLE``."""
    async with AsyncExitStack() as stack:
        try:
            conn = await stack.enter_async_context(engine.connect())
        except (DBAPIError, *_UNAVAILABLE) as exc:
            raise unavailable(engine, operation, exc) from None
        try:
            yield conn
        except (DBAPIError, *_UNAVAILABLE) as exc:
            if isinstance(exc, DBAPIError) and not _is_unavailability(exc):
                raise
            raise unavailable(engine, operation, exc) from None


@contextmanager
def sync_connection(engine: Engine, operation: str) -> Iterator[Connection]:
    """``connection`` for a synchronous engine (the SQLite thread read path)."""
    with ExitStack() as stack:
        try:
            conn = stack.enter_context(engine.connect())
        except (DBAPIError, *_UNAVAILABLE) as exc:
            raise unavailable(engine, operation, exc) from None
        try:
            yield conn
        except (DBAPIError, *_UNAVAILABLE) as exc:
            if isinstance(exc, DBAPIError) and not _is_unavailability(exc):
                raise
            raise unavailable(engine, operation, exc) from None


def unavailability(engine: Engine, operation: str, exc: BaseException) -> StorageError | None:
    """``STORAGE_UNAVAILABLE`` when ``exc`` means the database could not be used; ``None``
    for any other failure (a constraint, a programming error), which the caller re-raises."""
    if isinstance(exc, DBAPIError) and not _is_unavailability(exc):
        return None
    if isinstance(exc, DBAPIError | OSError | TimeoutError):
        return unavailable(engine, operation, exc)
    return None


def _is_unavailability(exc: DBAPIError) -> bool:
    """Operational/interface errors and dropped connections (a server that went away in the
    middle of a statement surfaces as a plain ``DBAPIError`` with the connection invalidated,
    or caused by a socket error); not constraint violations."""
    if isinstance(exc, OperationalError | InterfaceError) or exc.connection_invalidated:
        return True
    cause: BaseException | None = exc.orig
    for _ in range(5):  # a bounded walk down the cause chain
        if cause is None:
            return False
        if isinstance(cause, OSError | TimeoutError):
            return True
        cause = cause.__cause__
    return False
