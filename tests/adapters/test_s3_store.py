"""What only the S3 store can show: multipart use and clean-up, error mapping, redaction."""

from __future__ import annotations

import hashlib
import os
import socket
import threading
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest

from ss_adapters.blob import s3_store
from ss_adapters.blob.s3_store import S3ObjectStore, redact_endpoint
from ss_core.errors import SSError
from tests.adapters.hashing_threads import ThreadsOfHashing
from tests.adapters.s3_server import create_bucket, running_s3_server, s3_settings, sync_client

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def endpoint() -> Iterator[str]:
    with running_s3_server() as url:
        yield url


@pytest.fixture
def bucket(endpoint: str) -> str:
    name = f"b-{uuid.uuid4().hex[:12]}"
    create_bucket(endpoint, name)
    return name


async def chunked(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


async def test_large_stream_is_sent_as_multipart_under_the_prefix(
    endpoint: str, bucket: str
) -> None:
    async with S3ObjectStore(s3_settings(endpoint, bucket, prefix="tenant/ss")) as store:
        await store.put_stream("k/big.bin", chunked(b"q" * (12 * MIB), MIB), "x/y")
        head = sync_client(endpoint).head_object(Bucket=bucket, Key="tenant/ss/k/big.bin")
        assert head["ContentLength"] == 12 * MIB
        assert head["ETag"].strip('"').endswith("-3")  # three parts of 5, 5 and 2 MiB


async def test_small_object_is_a_single_put_with_its_digest(endpoint: str, bucket: str) -> None:
    async with S3ObjectStore(s3_settings(endpoint, bucket)) as store:
        stored = await store.put_bytes("k/small.txt", b"hello", "text/plain")
        head = sync_client(endpoint).head_object(Bucket=bucket, Key="ss/k/small.txt")
        assert head["Metadata"]["sha256"] == stored.sha256
        assert head["ContentType"] == "text/plain"


async def test_oversize_stream_aborts_its_multipart_upload(endpoint: str, bucket: str) -> None:
    async with S3ObjectStore(s3_settings(endpoint, bucket)) as store:
        with pytest.raises(SSError) as excinfo:
            await store.put_stream(
                "k/x.bin", chunked(b"z" * (12 * MIB), MIB), "x/y", max_bytes=8 * MIB
            )
        assert excinfo.value.error_code == "PAYLOAD_TOO_LARGE"
        uploads = sync_client(endpoint).list_multipart_uploads(Bucket=bucket)
        assert uploads.get("Uploads", []) == []


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def test_unreachable_endpoint_is_storage_unavailable_without_secrets() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    async with S3ObjectStore(
        s3_settings(url, "bucket", max_attempts=2, connect_timeout_s=0.5)
    ) as store:
        with pytest.raises(SSError) as excinfo:
            await store.probe()
        error = excinfo.value
        assert error.error_code == "STORAGE_UNAVAILABLE"
        assert error.retryable
        body = repr(error.to_body())
        assert "test-secret-do-not-leak" not in body
        assert error.context["endpoint"].startswith("http://127.0.0.1:")
        assert error.context["reason"] == "EndpointConnectionError"


async def test_missing_bucket_is_storage_unavailable(endpoint: str) -> None:
    async with S3ObjectStore(s3_settings(endpoint, "no-such-bucket-here")) as store:
        with pytest.raises(SSError) as excinfo:
            await store.probe()
        assert excinfo.value.error_code == "STORAGE_UNAVAILABLE"
        assert "NoSuchBucket" in excinfo.value.context["reason"]


def test_redacted_endpoint_drops_user_info_and_path() -> None:
    assert redact_endpoint("https://ak:sk@s3.example.org:9000/x?y=1") == "https://s3.example.org:9000"
    assert redact_endpoint(None) == "(regional default)"


async def test_one_pooled_client_serves_many_operations(endpoint: str, bucket: str) -> None:
    store = S3ObjectStore(s3_settings(endpoint, bucket))
    first = await store._s3()
    await store.put_bytes("k/a", b"1", "x/y")
    assert await store.get_bytes("k/a") == b"1"
    assert await store._s3() is first
    await store.aclose()
    assert await store._s3() is not first  # a closed store opens a fresh client on demand
    await store.aclose()


async def test_a_stream_is_hashed_off_the_event_loop(
    endpoint: str, bucket: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashing = ThreadsOfHashing()
    monkeypatch.setattr(s3_store, "hashlib", hashing.module())
    data = os.urandom(12 * MIB)
    async with S3ObjectStore(s3_settings(endpoint, bucket)) as store:
        stored = await store.put_stream("k/big.bin", chunked(data, MIB), "x/y")
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert hashing.threads and threading.current_thread() not in hashing.threads
