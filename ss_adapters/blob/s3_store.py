"""``S3ObjectStore``: objects in an S3-compatible bucket through aioboto3.

One client (with its connection pool) is created on first use and reused on that event
loop; ``aclose()`` (or ``async with``) releases it at shutdown. Large streams are sent as
multipart uploads (parts of ``part_size_bytes``, at least 5 MiB), aborted on any failure or
when ``max_bytes`` is exceeded, so a failed upload stores nothing; completing an upload (or a
single put) replaces the object atomically. Retries are bounded by the botocore config.
Missing keys map to ``OBJECT_NOT_FOUND``; unreachable endpoints, denied access and server
errors map to ``STORAGE_UNAVAILABLE`` with a reason free of credentials.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import aioboto3
from aiobotocore.config import AioConfig
from botocore.exceptions import BotoCoreError, ClientError

from ss_adapters.blob.errors import not_found, too_large
from ss_adapters.blob.keys import single_chunk, validate_key
from ss_adapters.blob.settings import S3Settings
from ss_core.ports.object_store import ObjectNotFound, StorageUnavailable, StoredObject

MIN_PART_BYTES = 5 * 1024 * 1024
_Pooled = tuple[asyncio.AbstractEventLoop, contextlib.AsyncExitStack, Any]
_MISSING_CODES = frozenset({"NoSuchKey", "404", "NotFound"})


def redact_endpoint(endpoint_url: str | None) -> str:
    """The endpoint as scheme://host:port, without user info, path or query."""
    if not endpoint_url:
        return "(regional default)"
    parts = urlsplit(endpoint_url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}"


class S3ObjectStore:
    """An ``ObjectStore`` over one bucket and key prefix; see the module doc."""

    def __init__(self, settings: S3Settings) -> None:
        self._settings = settings
        self._part_size = max(settings.part_size_bytes, MIN_PART_BYTES)
        self._session = aioboto3.Session(
            aws_access_key_id=settings.access_key_id,
            aws_secret_access_key=settings.secret_access_key,
            region_name=settings.region,
        )
        self._config = AioConfig(
            retries={"max_attempts": settings.max_attempts, "mode": "standard"},
            connect_timeout=settings.connect_timeout_s,
            read_timeout=settings.read_timeout_s,
            s3={"addressing_style": "path" if settings.endpoint_url else "auto"},
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
        )
        self._client: _Pooled | None = None
        self._client_lock: tuple[asyncio.AbstractEventLoop, asyncio.Lock] | None = None

    async def _s3(self) -> Any:
        """The store's client, created on first use and reused on the same event loop."""
        loop = asyncio.get_running_loop()
        if self._client is not None and self._client[0] is loop:
            return self._client[2]
        if self._client_lock is None or self._client_lock[0] is not loop:
            self._client_lock = (loop, asyncio.Lock())
        async with self._client_lock[1]:
            if self._client is None or self._client[0] is not loop:
                stack = contextlib.AsyncExitStack()
                client = await stack.enter_async_context(
                    self._session.client(
                        "s3", endpoint_url=self._settings.endpoint_url, config=self._config
                    )
                )
                self._client = (loop, stack, client)
        return self._client[2]

    async def aclose(self) -> None:
        """Close the pooled client (call once at shutdown, on the loop that used it)."""
        held, self._client = self._client, None
        if held is not None and held[0] is asyncio.get_running_loop():
            await held[1].aclose()

    async def __aenter__(self) -> S3ObjectStore:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.aclose()

    def _full_key(self, key: str) -> str:
        validate_key(key)
        prefix = self._settings.prefix
        return f"{prefix}/{key}" if prefix else key

    @contextlib.contextmanager
    def _failures(self, key: str) -> Iterator[None]:
        try:
            yield
        except ClientError as exc:
            error = exc.response.get("Error", {})
            code = str(error.get("Code", "Unknown"))
            status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0))
            if code in _MISSING_CODES:
                raise not_found(key) from exc
            raise self._unavailable(key, f"{code} (HTTP {status})", status >= 500) from exc
        except (BotoCoreError, OSError) as exc:
            raise self._unavailable(key, type(exc).__name__, True) from exc

    def _unavailable(self, key: str, reason: str, retryable: bool) -> StorageUnavailable:
        return StorageUnavailable(
            "The S3 object store failed the request.",
            retryable=retryable,
            key=key,
            reason=reason,
            endpoint=redact_endpoint(self._settings.endpoint_url),
            bucket=self._settings.bucket,
        )

    async def put_bytes(self, key: str, data: bytes, content_type: str) -> StoredObject:
        return await self.put_stream(key, single_chunk(data), content_type)

    async def put_stream(
        self,
        key: str,
        chunks: AsyncIterator[bytes],
        content_type: str,
        *,
        max_bytes: int | None = None,
    ) -> StoredObject:
        upload = _Upload(self._settings.bucket, self._full_key(key), content_type)
        digest = hashlib.sha256()
        size = 0
        buffer = bytearray()
        s3 = await self._s3()
        try:
            async for chunk in chunks:
                size += len(chunk)
                if max_bytes is not None and size > max_bytes:
                    raise too_large(key, max_bytes)
                buffer += chunk
                while len(buffer) >= self._part_size:
                    part = bytes(buffer[: self._part_size])
                    # hashed in a worker thread (hashlib releases the GIL): not on the loop
                    await asyncio.to_thread(digest.update, part)
                    with self._failures(key):
                        await upload.send_part(s3, part)
                    del buffer[: self._part_size]
            tail = bytes(buffer)
            await asyncio.to_thread(digest.update, tail)
            with self._failures(key):
                await upload.finish(s3, tail, digest.hexdigest())
        except BaseException:
            await upload.abort(s3)
            raise
        return StoredObject(
            key=key, size_bytes=size, sha256=digest.hexdigest(), content_type=content_type
        )

    async def put_file(
        self, key: str, path: Path, content_type: str, *, sha256: str
    ) -> StoredObject:
        """Uploaded in parts from the file (read on a worker thread), then removed."""
        stored = await self.put_stream(key, _file_chunks(Path(path), self._part_size),
                                       content_type)
        await asyncio.to_thread(Path(path).unlink, missing_ok=True)
        return stored

    async def get_bytes(self, key: str) -> bytes:
        full = self._full_key(key)
        s3 = await self._s3()
        with self._failures(key):
            response = await s3.get_object(Bucket=self._settings.bucket, Key=full)
            body = response["Body"]
            async with body:
                data: bytes = await body.read()
                return data

    async def iter_bytes(self, key: str, chunk_size: int = 1 << 20) -> AsyncIterator[bytes]:
        full = self._full_key(key)
        s3 = await self._s3()
        with self._failures(key):
            response = await s3.get_object(Bucket=self._settings.bucket, Key=full)
            body = response["Body"]
            async with body:
                pending = bytearray()
                while True:
                    piece = await body.read(chunk_size)
                    if not piece:
                        break
                    pending += piece
                    while len(pending) >= chunk_size:
                        yield bytes(pending[:chunk_size])
                        del pending[:chunk_size]
                if pending:
                    yield bytes(pending)

    async def exists(self, key: str) -> bool:
        full = self._full_key(key)
        s3 = await self._s3()
        try:
            with self._failures(key):
                await s3.head_object(Bucket=self._settings.bucket, Key=full)
        except ObjectNotFound:
            return False
        return True

    async def delete(self, key: str) -> None:
        full = self._full_key(key)
        s3 = await self._s3()
        with self._failures(key):
            await s3.delete_object(Bucket=self._settings.bucket, Key=full)

    async def probe(self) -> None:
        key = f".ss-probe/{uuid.uuid4().hex}"
        payload = b"ss object store probe"
        await self.put_bytes(key, payload, "text/plain")
        try:
            if await self.get_bytes(key) != payload:
                raise self._unavailable(key, "read-back differs from the probe written", False)
        finally:
            await self.delete(key)


    async def content_sha256(self, key: str) -> str:
        """Read and hashed every time (S3 keeps no sha256 of a multipart object's whole body)."""
        digest = hashlib.sha256()
        async for chunk in self.iter_bytes(key):
            digest.update(chunk)
        return digest.hexdigest()


class _Upload:
    """One object being written: a single put, or a multipart upload once parts are sent."""

    def __init__(self, bucket: str, key: str, content_type: str) -> None:
        self.bucket = bucket
        self.key = key
        self.content_type = content_type
        self.upload_id: str | None = None
        self.parts: list[dict[str, Any]] = []

    async def send_part(self, s3: Any, data: bytes) -> None:
        if self.upload_id is None:
            created = await s3.create_multipart_upload(
                Bucket=self.bucket, Key=self.key, ContentType=self.content_type
            )
            self.upload_id = str(created["UploadId"])
        number = len(self.parts) + 1
        sent = await s3.upload_part(
            Bucket=self.bucket, Key=self.key, UploadId=self.upload_id,
            PartNumber=number, Body=data,
        )
        self.parts.append({"ETag": sent["ETag"], "PartNumber": number})

    async def finish(self, s3: Any, tail: bytes, sha256: str) -> None:
        if self.upload_id is None:
            await s3.put_object(
                Bucket=self.bucket, Key=self.key, Body=tail,
                ContentType=self.content_type, Metadata={"sha256": sha256},
            )
            return
        if tail:
            await self.send_part(s3, tail)
        await s3.complete_multipart_upload(
            Bucket=self.bucket, Key=self.key, UploadId=self.upload_id,
            MultipartUpload={"Parts": self.parts},
        )
        self.upload_id = None

    async def abort(self, s3: Any) -> None:
        if self.upload_id is None:
            return
        upload_id, self.upload_id = self.upload_id, None
        with contextlib.suppress(ClientError, BotoCoreError):
            await s3.abort_multipart_upload(
                Bucket=self.bucket, Key=self.key, UploadId=upload_id
            )


async def _file_chunks(path: Path, size: int) -> AsyncIterator[bytes]:
    with path.open("rb") as handle:
        while block := await asyncio.to_thread(handle.read, size):
            yield block
