"""Object store configuration, read once from the environment mapping at the composition root.

``SS_OBJECT_STORE`` is ``file:///absolute/path`` (default ``<data_dir>/objects``) or
``s3://bucket[/prefix]``. The S3 form needs ``SS_S3_REGION``, ``SS_S3_ACCESS_KEY_ID`` and
``SS_S3_SECRET_ACCESS_KEY``; ``SS_S3_ENDPOINT_URL`` names an S3-compatible server (left unset,
the region's public endpoint is used).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from urllib.parse import unquote, urlsplit

import msgspec

from ss_core.errors import ConfigError

S3_REQUIRED_KEYS = ("SS_S3_REGION", "SS_S3_ACCESS_KEY_ID", "SS_S3_SECRET_ACCESS_KEY")


class S3Settings(msgspec.Struct, frozen=True, kw_only=True):
    bucket: str
    prefix: str = ""
    region: str
    access_key_id: str
    secret_access_key: str
    endpoint_url: str | None = None
    max_attempts: int = 4
    connect_timeout_s: float = 5.0
    read_timeout_s: float = 60.0
    part_size_bytes: int = 8 * 1024 * 1024

    def __repr__(self) -> str:
        return (
            f"S3Settings(bucket={self.bucket!r}, prefix={self.prefix!r}, "
            f"region={self.region!r}, endpoint_url={self.endpoint_url!r}, secret=<redacted>)"
        )


class ObjectStoreSettings(msgspec.Struct, frozen=True, kw_only=True):
    """Which store to build: ``local_root`` for a directory, ``s3`` for an S3 bucket."""

    local_root: Path | None = None
    s3: S3Settings | None = None

    @classmethod
    def from_env(cls, env: Mapping[str, str], data_dir: Path) -> ObjectStoreSettings:
        raw = env.get("SS_OBJECT_STORE", "").strip()
        if not raw:
            return cls(local_root=Path(data_dir) / "objects")
        parts = urlsplit(raw)
        if parts.scheme == "file":
            return cls(local_root=_file_root(raw, parts.netloc, parts.path))
        if parts.scheme == "s3":
            return cls(s3=_s3_settings(env, parts.netloc, parts.path))
        raise ConfigError(
            "SS_OBJECT_STORE must be a file:/// or s3:// URL.",
            invalid=["SS_OBJECT_STORE"],
            value_scheme=parts.scheme or "(none)",
            examples=["file:///var/lib/ss/objects", "s3://my-bucket/ss"],
        )


def _file_root(raw: str, netloc: str, path: str) -> Path:
    root = Path(unquote(path))
    if netloc not in ("", "localhost") or not root.is_absolute() or path in ("", "/"):
        raise ConfigError(
            "SS_OBJECT_STORE file URL must name an absolute directory (file:///abs/path).",
            invalid=["SS_OBJECT_STORE"],
            value=raw,
        )
    return root


def _s3_settings(env: Mapping[str, str], bucket: str, path: str) -> S3Settings:
    missing = [key for key in S3_REQUIRED_KEYS if not env.get(key, "").strip()]
    if not bucket:
        missing.insert(0, "SS_OBJECT_STORE (bucket)")
    if missing:
        raise ConfigError(
            "The S3 object store is missing required settings: " + ", ".join(missing) + ".",
            missing=missing,
            fix="set each missing environment variable",
        )
    endpoint = env.get("SS_S3_ENDPOINT_URL", "").strip() or None
    if endpoint is not None and urlsplit(endpoint).scheme not in ("http", "https"):
        raise ConfigError(
            "SS_S3_ENDPOINT_URL must be an http:// or https:// URL.",
            invalid=["SS_S3_ENDPOINT_URL"],
        )
    return S3Settings(
        bucket=bucket,
        prefix=path.strip("/"),
        region=env["SS_S3_REGION"].strip(),
        access_key_id=env["SS_S3_ACCESS_KEY_ID"].strip(),
        secret_access_key=env["SS_S3_SECRET_ACCESS_KEY"].strip(),
        endpoint_url=endpoint,
    )
