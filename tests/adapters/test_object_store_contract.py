"""One contract, every ObjectStore: the local directory, S3 (against a local S3 server) and
the in-memory double used by other tests."""

from __future__ import annotations

import asyncio
import hashlib
import os
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ss_adapters.blob.keys import validate_key
from ss_adapters.blob.local_store import LocalDirectoryStore
from ss_adapters.blob.s3_store import S3ObjectStore
from ss_core.errors import SSError
from ss_core.ports.object_store import ObjectStore
from tests.adapters.s3_server import create_bucket, running_s3_server, s3_settings
from tests.doubles.memory_object_store import MemoryObjectStore

MIB = 1024 * 1024


@pytest.fixture(scope="module")
def s3_endpoint() -> Iterator[str]:
    with running_s3_server() as endpoint:
        yield endpoint


@pytest.fixture(params=["local", "s3", "memory"])
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[ObjectStore]:
    if request.param == "local":
        yield LocalDirectoryStore(tmp_path / "objects")
    elif request.param == "s3":
        endpoint = request.getfixturevalue("s3_endpoint")
        bucket = f"b-{uuid.uuid4().hex[:12]}"
        create_bucket(endpoint, bucket)
        async with S3ObjectStore(s3_settings(endpoint, bucket)) as s3_store:
            yield s3_store
    else:
        yield MemoryObjectStore()


async def chunked(data: bytes, size: int) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start : start + size]


def error_code(excinfo: pytest.ExceptionInfo[SSError]) -> str:
    return excinfo.value.error_code


async def test_round_trip_reports_size_digest_and_type(store: ObjectStore) -> None:
    data = b"id,income\n1,2.5\n"
    stored = await store.put_bytes("jobs/j1/inputs/data.csv", data, "text/csv")
    assert stored.size_bytes == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    assert stored.content_type == "text/csv"
    assert await store.get_bytes("jobs/j1/inputs/data.csv") == data
    assert await store.exists("jobs/j1/inputs/data.csv")
    await store.delete("jobs/j1/inputs/data.csv")
    assert not await store.exists("jobs/j1/inputs/data.csv")


async def test_empty_object_round_trips(store: ObjectStore) -> None:
    stored = await store.put_bytes("empty.bin", b"", "application/octet-stream")
    assert stored.size_bytes == 0
    assert await store.get_bytes("empty.bin") == b""


async def test_streams_a_large_object_in_and_out(store: ObjectStore) -> None:
    data = bytes(range(256)) * (12 * MIB // 256) + b"tail"
    stored = await store.put_stream("big/blob.bin", chunked(data, 700_000), "x/y")
    assert stored.size_bytes == len(data)
    assert stored.sha256 == hashlib.sha256(data).hexdigest()
    received = [chunk async for chunk in store.iter_bytes("big/blob.bin", chunk_size=MIB)]
    assert b"".join(received) == data
    assert all(len(chunk) <= MIB for chunk in received)


async def test_iter_bytes_yields_chunks_of_the_requested_size(store: ObjectStore) -> None:
    data = b"x" * 10_000
    await store.put_bytes("c.bin", data, "x/y")
    sizes = [len(chunk) async for chunk in store.iter_bytes("c.bin", chunk_size=4096)]
    assert sizes == [4096, 4096, 1808]


async def test_stream_over_max_bytes_is_rejected_and_stores_nothing(
    store: ObjectStore,
) -> None:
    with pytest.raises(SSError) as excinfo:
        await store.put_stream("up/too-big.bin", chunked(b"a" * 5000, 1000), "x/y", max_bytes=4096)
    assert error_code(excinfo) == "PAYLOAD_TOO_LARGE"
    assert excinfo.value.context["max_bytes"] == 4096
    assert not await store.exists("up/too-big.bin")


async def test_oversize_multipart_stream_keeps_the_previous_object(store: ObjectStore) -> None:
    await store.put_bytes("up/data.bin", b"previous", "x/y")
    with pytest.raises(SSError) as excinfo:
        await store.put_stream(
            "up/data.bin", chunked(b"z" * (13 * MIB), MIB), "x/y", max_bytes=11 * MIB
        )
    assert error_code(excinfo) == "PAYLOAD_TOO_LARGE"
    assert await store.get_bytes("up/data.bin") == b"previous"


async def test_a_failing_source_stream_stores_nothing(store: ObjectStore) -> None:
    async def broken() -> AsyncIterator[bytes]:
        yield b"a" * (6 * MIB)
        raise ConnectionResetError("client went away")

    with pytest.raises(ConnectionResetError):
        await store.put_stream("up/broken.bin", broken(), "x/y")
    assert not await store.exists("up/broken.bin")


async def test_a_local_file_is_taken_over_whole(store: ObjectStore, tmp_path: Path) -> None:
    data = bytes(range(256)) * (6 * MIB // 256 + 3)  # more than one S3 part
    spool = tmp_path / "spool" / "upload.part"
    spool.parent.mkdir()
    spool.write_bytes(data)
    digest = hashlib.sha256(data).hexdigest()
    stored = await store.put_file("jobs/j1/inputs/big.csv", spool, "text/csv", sha256=digest)
    assert (stored.size_bytes, stored.sha256, stored.content_type) == (len(data), digest,
                                                                      "text/csv")
    assert await store.get_bytes("jobs/j1/inputs/big.csv") == data
    assert not spool.exists()


async def test_missing_key_is_object_not_found(store: ObjectStore) -> None:
    with pytest.raises(SSError) as excinfo:
        await store.get_bytes("nope/missing.csv")
    assert error_code(excinfo) == "OBJECT_NOT_FOUND"
    with pytest.raises(SSError) as excinfo:
        async for _ in store.iter_bytes("nope/missing.csv"):
            pass
    assert error_code(excinfo) == "OBJECT_NOT_FOUND"
    assert not await store.exists("nope/missing.csv")
    await store.delete("nope/missing.csv")


async def test_overwrite_replaces_whole_object(store: ObjectStore) -> None:
    await store.put_bytes("k.txt", b"first version, longer", "text/plain")
    await store.put_bytes("k.txt", b"second", "text/plain")
    assert await store.get_bytes("k.txt") == b"second"


async def test_readers_never_see_a_partial_overwrite(store: ObjectStore) -> None:
    versions = [bytes([65 + n]) * (3 * MIB) for n in range(3)]
    await store.put_bytes("hot/object.bin", versions[0], "x/y")
    seen: set[bytes] = set()

    async def writer() -> None:
        for round_ in range(6):
            data = versions[round_ % 3]
            await store.put_stream("hot/object.bin", chunked(data, 256 * 1024), "x/y")

    async def reader() -> None:
        for _ in range(12):
            data = await store.get_bytes("hot/object.bin")
            assert data in versions, f"partial read of {len(data)} bytes"
            seen.add(data[:1])
            await asyncio.sleep(0)

    await asyncio.gather(writer(), reader())
    assert seen


async def test_probe_proves_the_store_writable(store: ObjectStore) -> None:
    await store.probe()


HOSTILE_KEYS = [
    "", "/etc/passwd", "../escape", "a/../../escape", "a/./b", "a//b", "a/", ".", "..",
    "a\\b", "..\\..\\win", "a\x00b", "line\nbreak", "x" * 1100, "s/" + "y" * 300,
    "C:\\Windows", "tab\there",
]


@pytest.mark.parametrize("key", HOSTILE_KEYS)
async def test_hostile_keys_are_rejected_by_every_operation(
    store: ObjectStore, key: str, tmp_path: Path
) -> None:
    operations = [
        store.put_bytes(key, b"x", "x/y"),
        store.put_stream(key, chunked(b"x", 1), "x/y"),
        store.get_bytes(key),
        store.exists(key),
        store.delete(key),
    ]
    for operation in operations:
        with pytest.raises(SSError) as excinfo:
            await operation
        assert error_code(excinfo) == "OBJECT_KEY_INVALID"
    with pytest.raises(SSError) as excinfo:
        async for _ in store.iter_bytes(key):
            pass
    assert error_code(excinfo) == "OBJECT_KEY_INVALID"
    spool = tmp_path / "refused.part"
    spool.write_bytes(b"kept")
    with pytest.raises(SSError) as excinfo:
        await store.put_file(key, spool, "x/y", sha256=hashlib.sha256(b"kept").hexdigest())
    assert error_code(excinfo) == "OBJECT_KEY_INVALID"
    assert spool.read_bytes() == b"kept"  # a refused file stays the caller's


key_text = st.text(
    alphabet=st.sampled_from(list("ab/.\\\x00\x01 -_é中文🙂")), min_size=0, max_size=24
)


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=key_text)
def test_any_key_is_either_rejected_or_round_trips(store: ObjectStore, key: str) -> None:
    async def attempt() -> None:
        try:
            validate_key(key)
        except SSError as exc:
            assert exc.error_code == "OBJECT_KEY_INVALID"
            with pytest.raises(SSError) as excinfo:
                await store.put_bytes(key, b"v", "x/y")
            assert excinfo.value.error_code == "OBJECT_KEY_INVALID"
            return
        try:
            await store.put_bytes(key, key.encode(), "x/y")
        except SSError as exc:
            # a key may pass through an existing object (a file) on a directory store
            assert exc.error_code == "OBJECT_KEY_INVALID"
            return
        assert await store.get_bytes(key) == key.encode()

    async def attempt_then_release() -> None:
        try:
            await attempt()
        finally:
            if isinstance(store, S3ObjectStore):
                await store.aclose()

    asyncio.run(attempt_then_release())


async def test_content_sha256_is_the_stored_bytes_digest(store: ObjectStore) -> None:
    data = os.urandom(2 * MIB + 3)
    await store.put_stream("jobs/j1/inputs/big.csv", chunked(data, MIB), "text/csv")
    for _ in range(2):  # a second answer (maybe from a record) is the same
        assert await store.content_sha256("jobs/j1/inputs/big.csv") == hashlib.sha256(
            data).hexdigest()
    await store.put_bytes("jobs/j1/inputs/big.csv", b"other", "text/csv")
    assert await store.content_sha256("jobs/j1/inputs/big.csv") == hashlib.sha256(
        b"other").hexdigest()
    with pytest.raises(SSError) as excinfo:
        await store.content_sha256("jobs/j1/inputs/missing.csv")
    assert error_code(excinfo) == "OBJECT_NOT_FOUND"
