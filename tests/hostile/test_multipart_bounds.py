"""Finding 3 (unbounded multipart) and the EMFILE part of finding 11: one budget per upload
request, enforced while the body streams in. Each test counts how much of the body the parser
consumed, so a bound that is only checked after the whole body was read fails here."""

from __future__ import annotations

import asyncio
import errno
import os
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from ss_core.errors import SSError
from ss_http.upload import (
    TEXT_FIELD_LIMIT,
    WRITEBACK_BYTES,
    UploadLimits,
    _idle_bounded,
    parse_multipart,
)

BOUNDARY = "xXxBOUNDARYxXx"
CONTENT_TYPE = f"multipart/form-data; boundary={BOUNDARY}"
LIMITS = UploadLimits(max_body_bytes=1 << 20, max_files=8)


def part(name: str, data: bytes, filename: str | None = None) -> bytes:
    disposition = f'form-data; name="{name}"' + (f'; filename="{filename}"' if filename else "")
    return (f"--{BOUNDARY}\r\nContent-Disposition: {disposition}\r\n\r\n").encode() + data + b"\r\n"


def end() -> bytes:
    return f"--{BOUNDARY}--\r\n".encode()


class Body:
    """An async request body that records how many of its chunks were pulled."""

    def __init__(self, chunks: Iterator[bytes]) -> None:
        self.chunks = chunks
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            self.pulled += 1
            yield chunk


def flood(one_part: bytes, count: int, tail: bytes = b"") -> Iterator[bytes]:
    for _ in range(count):
        yield one_part
    yield tail + end()


async def refused(body: Body, limits: UploadLimits = LIMITS,
                  declared: int | None = None) -> SSError:
    with pytest.raises(SSError) as caught:
        await parse_multipart(CONTENT_TYPE, body.__aiter__(), limits, declared)
    return caught.value


async def test_a_flood_of_text_parts_is_refused_after_the_allowed_count() -> None:
    body = Body(flood(part("role", b"r"), 2_000_000))
    error = await refused(body)
    assert error.error_code == "INPUT_VALIDATION_FAILED" and error.context["max_fields"] == 16
    assert body.pulled <= LIMITS.max_text_parts + 1


async def test_unknown_field_names_are_refused_at_the_first_one() -> None:
    body = Body(flood(part("x", b"r"), 1000))
    error = await refused(body)
    assert error.error_code == "INPUT_VALIDATION_FAILED" and "unknown upload field" in error.message
    assert body.pulled == 1


async def test_file_parts_beyond_the_cap_are_never_spooled() -> None:
    spooled: list[int] = []
    original = tempfile.mkstemp

    def counting(*args: object, **kwargs: object) -> tuple[int, str]:
        spooled.append(1)
        return original(*args, **kwargs)  # type: ignore[call-overload,no-any-return]

    body = Body(flood(part("file", b"y,x\n1,2\n", "d.csv"), 40))
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tempfile, "mkstemp", counting)
        error = await refused(body)
    assert error.context["max_files"] == 8 and len(spooled) == 8
    assert body.pulled == 9


async def test_the_total_body_limit_covers_all_parts_together() -> None:
    chunk = part("file", b"1" * 200_000, "d.csv")
    body = Body(flood(chunk, 8))  # 8 files of 200 kB: each under, the sum over 1 MiB
    error = await refused(body)
    assert error.error_code == "PAYLOAD_TOO_LARGE" and error.status == 413
    assert body.pulled == 6


async def test_a_declared_length_over_the_limit_is_refused_before_reading() -> None:
    body = Body(flood(part("file", b"1", "d.csv"), 1))
    error = await refused(body, declared=LIMITS.max_body_bytes + 1)
    assert error.error_code == "PAYLOAD_TOO_LARGE" and body.pulled == 0


async def test_an_oversized_text_field_is_refused_not_truncated() -> None:
    body = Body(flood(part("filename", b"n" * (TEXT_FIELD_LIMIT + 1)), 1))
    error = await refused(body)
    assert error.context["max_bytes"] == TEXT_FIELD_LIMIT


async def test_endless_part_headers_are_refused() -> None:
    header = f"--{BOUNDARY}\r\n".encode()
    body = Body(iter([header, *([b"X-Pad: " + b"a" * 1000 + b"\r\n"] * 10_000)]))
    error = await refused(body)
    assert error.error_code == "INPUT_VALIDATION_FAILED" and body.pulled < 12


async def test_descriptor_exhaustion_while_spooling_is_a_retryable_503(
        monkeypatch: pytest.MonkeyPatch) -> None:
    def exhausted(*args: object, **kwargs: object) -> tuple[int, str]:
        raise OSError(errno.EMFILE, "Too many open files")

    monkeypatch.setattr(tempfile, "mkstemp", exhausted)
    error = await refused(Body(flood(part("file", b"y\n1\n", "d.csv"), 1)))
    assert error.error_code == "SERVICE_OVERLOADED" and error.status == 503 and error.retryable


async def test_a_refused_upload_leaves_no_spool_directory(tmp_path: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    await refused(Body(flood(part("file", b"y\n1\n", "d.csv"), 20)))
    assert list(tmp_path.iterdir()) == []


async def test_a_well_formed_upload_within_the_budget_is_parsed() -> None:
    parts = [part("file", b"y,x\n1,2\n", "a.csv"), part("role", b"primary_dataset"),
             part("filename", b"b.csv")]
    parsed = await parse_multipart(CONTENT_TYPE, Body(iter([*parts, end()])).__aiter__(), LIMITS)
    try:
        assert [p.filename for p in parsed.files] == ["a.csv"]
        assert parsed.fields == {"role": ["primary_dataset"], "filename": ["b.csv"]}
    finally:
        parsed.close()


class Stalling:
    """A body that sends ``chunks`` ``gap`` seconds apart, then nothing more, ever."""

    def __init__(self, chunks: list[bytes], gap: float = 0.0, then_stall: bool = True) -> None:
        self.chunks, self.gap, self.then_stall = chunks, gap, then_stall

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            await asyncio.sleep(self.gap)
            yield chunk
        if self.then_stall:
            await asyncio.Event().wait()


async def test_a_stalled_upload_times_out_and_leaves_no_spool(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    head = part("file", b"y,x\n" * 1000, "d.csv")[:-2]  # the part never ends
    limits = UploadLimits(max_body_bytes=1 << 20, max_files=8, idle_seconds=0.05)
    with pytest.raises(SSError) as caught:
        await parse_multipart(CONTENT_TYPE, Stalling([head]).__aiter__(), limits)
    assert caught.value.error_code == "REQUEST_TIMEOUT"
    assert caught.value.context["idle_seconds"] == 0.05
    assert list(tmp_path.iterdir()) == []


async def test_the_idle_bound_is_per_chunk_not_for_the_whole_body() -> None:
    pieces = [part("file", b"y,x\n1,2\n", "d.csv"), *([b""] * 8), end()]
    limits = UploadLimits(max_body_bytes=1 << 20, max_files=8, idle_seconds=0.5)
    body = Stalling(pieces, gap=0.1, then_stall=False)  # 1 s in all, 0.1 s between chunks
    parsed = await parse_multipart(CONTENT_TYPE, body.__aiter__(), limits)
    try:
        assert [p.size for p in parsed.files] == [8]
    finally:
        parsed.close()


async def test_time_spent_on_a_chunk_is_not_counted_as_the_client_idling() -> None:
    async def quick() -> AsyncIterator[bytes]:
        for chunk in (b"a", b"b", b"c"):
            yield chunk

    received = []
    async for chunk in _idle_bounded(quick(), 0.05):
        await asyncio.sleep(0.15)  # the server is slow with this chunk, the client is not
        received.append(chunk)
    assert received == [b"a", b"b", b"c"]


# --- write-back while the body arrives ----------------------------------------------------

class Paced(Body):
    """A body whose chunks arrive ``gap`` seconds apart (the event loop runs in between)."""

    def __init__(self, chunks: Iterator[bytes], gap: float) -> None:
        super().__init__(chunks)
        self.gap = gap

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self.chunks:
            await asyncio.sleep(self.gap)
            self.pulled += 1
            yield chunk


def big_file_body(mib: int, tail: bytes = b"", gap: float | None = None) -> Body:
    """A file part of ``mib`` MiB sent in 256 KiB chunks, then ``tail`` and the end."""
    head = part("file", b"", "big.csv")[:-2]
    block = b"1,2\n" * (1 << 16)  # 256 KiB
    chunks = iter([head, *([block] * (4 * mib)), b"\r\n" + tail + end()])
    return Body(chunks) if gap is None else Paced(chunks, gap)


async def test_a_large_spool_is_written_back_while_it_arrives(
        monkeypatch: pytest.MonkeyPatch) -> None:
    synced: list[int] = []
    real = os.fdatasync

    def recording(fd: int) -> None:
        synced.append(os.fstat(fd).st_size)
        real(fd)

    monkeypatch.setattr(os, "fdatasync", recording)
    parsed = await parse_multipart(CONTENT_TYPE, big_file_body(10).__aiter__(),
                                   UploadLimits(max_body_bytes=64 << 20, max_files=1))
    try:
        [spooled] = parsed.files
        assert spooled.size == 10 << 20
        assert parsed.spooled(spooled).stat().st_size == 10 << 20
        # started during receipt (at most one per WRITEBACK_BYTES), none for the tail
        assert 1 <= len(synced) <= (10 << 20) // WRITEBACK_BYTES
        assert all(size < 10 << 20 for size in synced)
    finally:
        parsed.close()


@pytest.mark.parametrize("gap", [None, 0.005], ids=["found-at-the-end", "found-on-arrival"])
async def test_a_failed_write_back_is_a_storage_error_and_leaves_no_spool(
        gap: float | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def failing(fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(os, "fdatasync", failing)
    body = big_file_body(9, gap=gap)
    error = await refused(body, UploadLimits(max_body_bytes=64 << 20, max_files=1))
    assert error.error_code == "STORAGE_UNAVAILABLE"
    assert list(tmp_path.iterdir()) == []
    # with the loop running between chunks, the failure stops the read at the next write-back
    assert (body.pulled < 38) == (gap is not None)


async def test_a_refused_upload_waits_for_its_write_back_before_closing_the_spool(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[str] = []

    def slow(fd: int) -> None:
        time.sleep(0.2)  # the refusal below happens meanwhile
        seen.append(os.readlink(f"/proc/self/fd/{fd}"))

    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    monkeypatch.setattr(os, "fdatasync", slow)
    error = await refused(big_file_body(5, tail=part("x", b"unknown")),
                          UploadLimits(max_body_bytes=64 << 20, max_files=1))
    assert error.error_code == "INPUT_VALIDATION_FAILED"
    assert len(seen) == 1 and seen[0].startswith(str(tmp_path))  # still the spool when synced
    assert list(tmp_path.iterdir()) == []
