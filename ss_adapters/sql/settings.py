"""Database settings, read once by the composition root from the environment mapping."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import msgspec

from ss_adapters.sql.engine import normalise_url, redact
from ss_core.errors import ConfigError


class DatabaseSettings(msgspec.Struct, frozen=True, kw_only=True):
    """``url``: ``SS_DATABASE_URL`` (default ``sqlite:///<data_dir>/ss.db``);
    ``pool_size``: ``SS_DATABASE_POOL_SIZE`` (PostgreSQL connections per process, default 5);
    ``connect_timeout_seconds``: ``SS_DATABASE_CONNECT_TIMEOUT`` (default 10)."""

    url: str
    pool_size: int = 5
    connect_timeout_seconds: float = 10.0

    @classmethod
    def from_env(cls, env: Mapping[str, str], data_dir: Path) -> DatabaseSettings:
        url = env.get("SS_DATABASE_URL", "").strip() or f"sqlite:///{data_dir / 'ss.db'}"
        normalise_url(url)  # fail at start-up, not at first query
        return cls(
            url=url,
            pool_size=int(_number(env, "SS_DATABASE_POOL_SIZE", 5, int)),
            connect_timeout_seconds=_number(env, "SS_DATABASE_CONNECT_TIMEOUT", 10.0, float),
        )

    @property
    def is_sqlite(self) -> bool:
        return normalise_url(self.url).get_backend_name() == "sqlite"

    @property
    def redacted_url(self) -> str:
        """The URL without its password (for logs and the readiness report)."""
        return redact(normalise_url(self.url))


def _number(env: Mapping[str, str], name: str, default: float, kind: type[float]) -> float:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        value = kind(raw)
    except ValueError:
        value = 0
    if value <= 0:
        raise ConfigError(f"{name} must be a positive number", setting=name, value=raw,
                          fix=f"set {name} to a positive number or leave it unset")
    return value
