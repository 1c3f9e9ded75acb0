"""Time and identity, injected so that the core stays deterministic under test."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    def now(self) -> datetime:
        """The current time, timezone-aware (UTC)."""
        ...


class IdGenerator(Protocol):
    def new_id(self, prefix: str) -> str:
        """A new unique id ``<prefix>_<opaque>``, safe as a URL path segment."""
        ...

    def new_secret(self, nbytes: int = 32) -> str:
        """A new unguessable secret (URL-safe text) for task codes and tokens."""
        ...
