"""An in-memory ObjectStore that honours the same contract as the real stores (tests only).

``fail_writes`` makes every write raise ``STORAGE_UNAVAILABLE`` (for failure-path tests)."""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator
from pathlib import Path

from ss_adapters.blob.errors import not_found, too_large
from ss_adapters.blob.keys import validate_key
from ss_core.errors import StorageError
from ss_core.ports.object_store import StoredObject


class MemoryObjectStore:
    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}
        self.fail_writes = False

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> StoredObject:
        validate_key(key)
        if self.fail_writes:
            raise StorageError("the object store refused the write", key=key)
        self.objects[key] = (bytes(data), content_type)
        return StoredObject(
            key=key,
            size_bytes=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            content_type=content_type,
        )

    async def put_file(
        self, key: str, path: Path, content_type: str, *, sha256: str
    ) -> StoredObject:
        stored = await self.put_bytes(key, Path(path).read_bytes(), content_type)
        Path(path).unlink()
        return stored

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterator[bytes],
        content_type: str,
        *,
        max_bytes: int | None = None,
    ) -> StoredObject:
        validate_key(key)
        buffer = bytearray()
        async for chunk in chunks:
            buffer += chunk
            if max_bytes is not None and len(buffer) > max_bytes:
                raise too_large(key, max_bytes)
        return await self.put_bytes(key, bytes(buffer), content_type)

    async def get_bytes(self, key: str) -> bytes:
        validate_key(key)
        if key not in self.objects:
            raise not_found(key)
        return self.objects[key][0]

    async def iter_bytes(self, key: str, chunk_size: int = 1 << 20) -> AsyncIterator[bytes]:
        data = await self.get_bytes(key)
        for start in range(0, len(data), chunk_size):
            yield data[start : start + chunk_size]

    async def exists(self, key: str) -> bool:
        validate_key(key)
        return key in self.objects

    async def delete(self, key: str) -> None:
        validate_key(key)
        self.objects.pop(key, None)

    async def probe(self) -> None:
        await self.put_bytes(".ss-probe/check", b"probe", "text/plain")
        await self.delete(".ss-probe/check")

    async def content_sha256(self, key: str) -> str:
        return hashlib.sha256(await self.get_bytes(key)).hexdigest()
