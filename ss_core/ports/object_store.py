"""The object store port: blobs (datasets, logs, outputs, traces) under opaque keys.

Keys are relative, ``/``-separated, without ``..`` or empty segments; an adapter rejects any
other key with ``OBJECT_KEY_INVALID``. Writes are atomic: a reader sees the old object or the
whole new one, never a part.

Its errors are declared here, one class per code, so a use case can catch exactly the one it
means (``except ObjectNotFound``): ``ObjectKeyInvalid``, ``ObjectNotFound``,
``StorageUnavailable`` and ``PayloadTooLarge`` (from ``ss_core.errors``: uploads raise it too).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Protocol

import msgspec

from ss_core.errors import NotFound, SSError, StorageError


class ObjectKeyInvalid(SSError):
    code = "OBJECT_KEY_INVALID"


class ObjectNotFound(NotFound):
    code = "OBJECT_NOT_FOUND"


class StorageUnavailable(StorageError):
    """The store cannot be reached or refused the operation; retrying may help."""

    code = "STORAGE_UNAVAILABLE"


class StoredObject(msgspec.Struct, frozen=True, kw_only=True):
    key: str
    size_bytes: int
    sha256: str
    content_type: str = "application/octet-stream"


class ObjectStore(Protocol):
    async def put_bytes(self, key: str, data: bytes, content_type: str) -> StoredObject: ...

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterator[bytes],
        content_type: str,
        *,
        max_bytes: int | None = None,
    ) -> StoredObject:
        """Store a stream; over ``max_bytes`` raise ``PAYLOAD_TOO_LARGE`` and store nothing."""
        ...

    async def put_file(
        self, key: str, path: Path, content_type: str, *, sha256: str
    ) -> StoredObject:
        """Store the local file at ``path``, whose sha256 the caller computed while writing
        it, and take it over: moved into place where the store can (no second copy), else
        copied; once stored it is no longer at ``path``."""
        ...

    async def get_bytes(self, key: str) -> bytes:
        """The whole object; ``OBJECT_NOT_FOUND`` when absent."""
        ...

    def iter_bytes(self, key: str, chunk_size: int = 1 << 20) -> AsyncIterator[bytes]:
        """Stream the object in chunks; ``OBJECT_NOT_FOUND`` when absent."""
        ...

    async def exists(self, key: str) -> bool: ...

    async def delete(self, key: str) -> None: ...

    async def probe(self) -> None:
        """Prove the store is writable (write, read back, delete a probe object)."""
        ...

    async def content_sha256(self, key: str) -> str:
        """The object's sha256 as it is stored now; ``OBJECT_NOT_FOUND`` when absent. A store
        may answer without reading the object when it can prove the object unchanged since it
        last hashed it (the local store: docs/decisions.md, "Inputs are not re-hashed on
        every claim")."""
        ...
