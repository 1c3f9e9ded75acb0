"""The real clock and id generator."""

from __future__ import annotations

import secrets
from datetime import UTC, datetime


class SystemClock:
    """Wall-clock time in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class SecretIdGenerator:
    """Ids and secrets from the operating system's CSPRNG."""

    def new_id(self, prefix: str) -> str:
        return f"{prefix}_{secrets.token_hex(10)}"

    def new_secret(self, nbytes: int = 32) -> str:
        return secrets.token_urlsafe(nbytes)
