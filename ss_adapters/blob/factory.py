"""Build the configured object store."""

from __future__ import annotations

from ss_adapters.blob.local_store import LocalDirectoryStore
from ss_adapters.blob.settings import ObjectStoreSettings
from ss_core.errors import ConfigError
from ss_core.ports.object_store import ObjectStore


def build_object_store(settings: ObjectStoreSettings) -> ObjectStore:
    """The store ``settings`` names: S3 when configured, else the local directory. The S3
    client (aioboto3, ~40 MiB) is imported only when S3 is configured."""
    if settings.s3 is not None:
        from ss_adapters.blob.s3_store import S3ObjectStore

        return S3ObjectStore(settings.s3)
    if settings.local_root is not None:
        return LocalDirectoryStore(settings.local_root)
    raise ConfigError("No object store is configured.", missing=["SS_OBJECT_STORE"])
