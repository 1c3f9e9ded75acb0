"""An in-memory ObjectStore for tests: the full port contract, nothing persisted.

Same key rules as the real stores (relative, ``/``-separated, no ``..``/empty/absolute
segments -> ``OBJECT_KEY_INVALID``), atomic writes (an object appears whole or not at all),
``PAYLOAD_TOO_LARGE`` over ``max_bytes`` with nothing stored, ``OBJECT_NOT_FOUND`` on reads
of absent keys. ``fail_writes`` makes every write raise ``STORAGE_UNAVAILABLE``.
"""

from __future__ import annotations

import hashlib
from collections.abc import AsyncIterator

from ss_core.errors import StorageError
from ss_core.ports.object_store import StoredObject


def check_key(key: str) -> str:
    segments = key.split("/") if isinstance(key, str) else [""]
    if (not key or key.startswith("/") or "\\" in key or "\x00" in key
            or any(seg in ("", ".", "..") for seg in segments)):
        raise StorageError(f"object key {key!r} is invalid", code="OBJECT_KEY_INVALID", key=key)
    return key


class MemoryObjectStore:
    def __init__(self) -> None:
        self.objects: dict[str, tuple[bytes, str]] = {}
        self.fail_writes = False

    def _stored(self, key: str) -> StoredObject:
        data, content_type = self.objects[key]
        return StoredObject(key=key, size_bytes=len(data),
                            sha256=hashlib.sha256(data).hexdigest(), content_type=content_type)

    def _guard_write(self, key: str) -> None:
        check_key(key)
        if self.fail_writes:
            raise StorageError("the object store is unavailable", code="STORAGE_UNAVAILABLE")

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> StoredObject:
        self._guard_write(key)
        self.objects[key] = (bytes(data), content_type)
        return self._stored(key)

    async def put_stream(self, key: str, chunks: AsyncIterator[bytes], content_type: str, *,
                         max_bytes: int | None = None) -> StoredObject:
        self._guard_write(key)
        parts: list[bytes] = []
        total = 0
        async for chunk in chunks:
            total += len(chunk)
            if max_bytes is not None and total > max_bytes:
                raise StorageError(f"object {key!r} exceeds {max_bytes} bytes",
                                   code="PAYLOAD_TOO_LARGE", key=key, max_bytes=max_bytes)
            parts.append(chunk)
        self.objects[key] = (b"".join(parts), content_type)
        return self._stored(key)

    def _get(self, key: str) -> bytes:
        check_key(key)
        if key not in self.objects:
            raise StorageError(f"no object {key!r}", code="OBJECT_NOT_FOUND", key=key)
        return self.objects[key][0]

    async def get_bytes(self, key: str) -> bytes:
        return self._get(key)

    async def iter_bytes(self, key: str, chunk_size: int = 1 << 20) -> AsyncIterator[bytes]:
        data = self._get(key)
        for start in range(0, len(data), chunk_size):
            yield data[start:start + chunk_size]

    async def exists(self, key: str) -> bool:
        check_key(key)
        return key in self.objects

    async def delete(self, key: str) -> None:
        check_key(key)
        self.objects.pop(key, None)

    async def probe(self) -> None:
        key = "_probe/memory-store"
        await self.put_bytes(key, b"probe", "text/plain")
        if await self.get_bytes(key) != b"probe":
            raise StorageError("probe object did not read back", code="STORAGE_UNAVAILABLE")
        await self.delete(key)
