"""A database that goes away in the middle of a statement is STORAGE_UNAVAILABLE (retryable),
whatever exception class the driver surfaces it as; real statement errors are not masked."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.ext.asyncio import create_async_engine

from ss_adapters.sql.failures import connection
from ss_core.errors import SSError


class DriverError(Exception):
    """Stands for a driver exception class SQLAlchemy does not classify further."""


def dropped(invalidated: bool) -> DBAPIError:
    orig = DriverError("connection was closed in the middle of operation")
    if not invalidated:
        orig.__cause__ = ConnectionResetError(104, "Connection reset by peer")
    return DBAPIError("SELECT 1", {}, orig, connection_invalidated=invalidated)


@pytest.mark.parametrize("invalidated", [True, False])
async def test_dropped_connection_mid_statement_is_unavailable(tmp_path: Path,
                                                               invalidated: bool) -> None:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    try:
        with pytest.raises(SSError) as caught:
            async with connection(engine, "claim"):
                raise dropped(invalidated)
        assert caught.value.error_code == "STORAGE_UNAVAILABLE" and caught.value.retryable
        assert "closed in the middle" in caught.value.context["reason"]
    finally:
        await engine.dispose()


async def test_statement_errors_are_not_masked(tmp_path: Path) -> None:
    engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'x.db'}")
    try:
        with pytest.raises(IntegrityError):
            async with connection(engine, "insert"):
                raise IntegrityError("INSERT", {}, DriverError("duplicate key"))
    finally:
        await engine.dispose()
