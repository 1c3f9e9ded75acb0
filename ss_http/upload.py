"""Streaming multipart parsing for uploads: memory and disk stay bounded whatever the client sends.

The request body is fed chunk by chunk to python-multipart's push parser. One budget covers the
whole request (``UploadLimits``) and is enforced while the bytes arrive, before anything is
kept: total body bytes, number of file parts, number and bytes of text parts, and only the known
field names (``file``, ``role``, ``filename``). File parts are
spooled to temporary files on disk; text parts are kept in memory. Part headers are bounded
by the parser itself (8 headers of ~4 KiB per part). The use case then streams
each spooled file to the object store.

A spool is written back to disk while the body still arrives: every ``WRITEBACK_BYTES`` a
worker thread ``fdatasync``s what is spooled so far (one at a time per file), so the store's
durable fsync at the end, on the answer's path, has only the tail left to write. A write-back
that fails ends the upload with ``STORAGE_UNAVAILABLE``; on every failure the pending
write-backs are waited for before the spool is removed.

A process killed in the middle of an upload cannot clean its spool directory; spool
directories carry the owner's pid (``ss-upload-<pid>-...``), and the first upload of every
process removes those whose owner is gone.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from ss_core.errors import PayloadTooLarge, SSError, StorageError, ValidationFailed
from ss_http.overload import out_of_descriptors

TEXT_FIELD_LIMIT = 4096
FILE_FIELD = "file"
TEXT_FIELDS = frozenset({"role", "filename"})
CHUNK = 1 << 20
WRITEBACK_BYTES = 4 << 20
SCRATCH_PREFIX = "ss-upload-"
_orphans_swept: list[bool] = []


@dataclass(frozen=True)
class UploadLimits:
    """One budget for one upload request; every bound is checked while streaming."""

    max_body_bytes: int
    max_files: int
    idle_seconds: float = 60.0

    @property
    def max_text_parts(self) -> int:
        return len(TEXT_FIELDS) * self.max_files

    def too_large(self) -> SSError:
        return PayloadTooLarge(
            f"the upload is larger than the limit of {self.max_body_bytes} bytes per request "
            "(all files and fields together)", max_bytes=self.max_body_bytes)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_orphaned_spools(tmp_root: Path | None = None) -> list[Path]:
    """Remove the spool directories of processes that died mid-upload; returns them."""
    root = tmp_root or Path(tempfile.gettempdir())
    removed = []
    for path in root.glob(f"{SCRATCH_PREFIX}*-*"):
        owner = path.name[len(SCRATCH_PREFIX):].split("-", 1)[0]
        if owner.isdigit() and int(owner) != os.getpid() and not _alive(int(owner)):
            shutil.rmtree(path, ignore_errors=True)
            removed.append(path)
    return removed


@dataclass
class Part:
    name: str = ""
    filename: str | None = None
    headers: dict[str, bytes] = field(default_factory=dict)
    spool: IO[bytes] | None = None
    spool_path: Path | None = None
    text: bytearray = field(default_factory=bytearray)
    size: int = 0
    digest: hashlib._Hash = field(default_factory=hashlib.sha256)
    # bytes spooled since the last write-back started, and that write-back
    unsynced: int = 0
    writeback: asyncio.Future[None] | None = None

    @property
    def sha256(self) -> str:
        """The content hash of a file part, computed while it was spooled."""
        return self.digest.hexdigest()


@dataclass
class ParsedUpload:
    files: list[Part]
    fields: dict[str, list[str]]
    scratch: tempfile.TemporaryDirectory[str]

    def close(self) -> None:
        for part in self.files:
            if part.spool is not None:
                part.spool.close()
        self.scratch.cleanup()

    def spooled(self, part: Part) -> Path:
        """The file the part was spooled to, flushed (the store may take it over)."""
        assert part.spool is not None and part.spool_path is not None
        part.spool.flush()
        return part.spool_path

    def reader(self, part: Part) -> Callable[[], AsyncIterator[bytes]]:
        async def chunks() -> AsyncIterator[bytes]:
            assert part.spool is not None
            part.spool.seek(0)
            while True:
                block = part.spool.read(CHUNK)
                if not block:
                    return
                yield block
        return chunks


class _Collector:
    """The parser's callbacks; the first broken bound is kept in ``error`` and stops the read."""

    def __init__(self, limits: UploadLimits, scratch: str) -> None:
        self.limits = limits
        self.scratch = scratch
        self.parts: list[Part] = []
        self.current = Part()
        self._header_name = bytearray()
        self._header_value = bytearray()
        self.files = 0
        self.texts = 0
        self.error: SSError | None = None

    def callbacks(self) -> dict[str, Callable[..., None]]:
        return {
            "on_part_begin": self._part_begin,
            "on_part_data": self._part_data,
            "on_part_end": self._part_end,
            "on_header_field": lambda d, s, e: self._header_name.extend(d[s:e]),
            "on_header_value": lambda d, s, e: self._header_value.extend(d[s:e]),
            "on_header_end": self._header_end,
            "on_headers_finished": self._headers_finished,
        }

    def _fail(self, error: SSError) -> None:
        if self.error is None:
            self.error = error

    def _part_begin(self) -> None:
        self.current = Part()

    def _header_end(self) -> None:
        self.current.headers[self._header_name.decode("latin-1").lower()] = bytes(
            self._header_value)
        self._header_name.clear()
        self._header_value.clear()

    def _headers_finished(self) -> None:
        _, params = parse_options_header(self.current.headers.get("content-disposition", b""))
        self.current.name = params.get(b"name", b"").decode("utf-8", "replace")
        raw_filename = params.get(b"filename")
        if raw_filename is not None:
            self._file_part(raw_filename.decode("utf-8", "replace"))
        elif self.current.name in TEXT_FIELDS:
            self.texts += 1
            if self.texts > self.limits.max_text_parts:
                self._fail(ValidationFailed(
                    "too many form fields in one upload", field="body",
                    max_fields=self.limits.max_text_parts))
        else:
            self._fail(ValidationFailed(
                f"unknown upload field {self.current.name[:40]!r}", field=self.current.name[:40],
                allowed=sorted({FILE_FIELD, *TEXT_FIELDS})))

    def _file_part(self, filename: str) -> None:
        if self.current.name != FILE_FIELD:
            self._fail(ValidationFailed(
                f"files must be sent in the {FILE_FIELD!r} field", field=self.current.name[:40]))
            return
        self.files += 1
        if self.files > self.limits.max_files:
            self._fail(ValidationFailed("too many files in one upload", field="file",
                                        max_files=self.limits.max_files))
            return
        self.current.filename = filename
        try:
            handle, name = tempfile.mkstemp(dir=self.scratch)
        except OSError as exc:
            self._fail(out_of_descriptors(exc) or StorageError(
                "the upload could not be spooled to disk"))
            return
        self.current.spool = os.fdopen(handle, "w+b")
        self.current.spool_path = Path(name)

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        if self.error is not None:
            return
        part = self.current
        part.size += end - start
        if part.spool is not None:
            part.spool.write(data[start:end])
            part.digest.update(data[start:end])
            part.unsynced += end - start
            if part.unsynced >= WRITEBACK_BYTES:
                self._write_back(part)
        elif part.size <= TEXT_FIELD_LIMIT:
            part.text.extend(data[start:end])
        else:
            self._fail(ValidationFailed(
                f"the form field {part.name!r} is longer than {TEXT_FIELD_LIMIT} bytes",
                field=part.name, max_bytes=TEXT_FIELD_LIMIT))

    def _write_back(self, part: Part) -> None:
        """Start writing what is spooled to disk, unless the previous write-back still runs."""
        assert part.spool is not None
        if part.writeback is not None:
            if not part.writeback.done():
                return
            if part.writeback.exception() is not None:
                self._fail(_writeback_failed())
                return
        part.spool.flush()
        part.unsynced = 0
        part.writeback = asyncio.get_running_loop().run_in_executor(
            None, os.fdatasync, part.spool.fileno())

    def _part_end(self) -> None:
        if self.error is None:
            self.parts.append(self.current)


async def parse_multipart(
    content_type: str, body: AsyncIterator[bytes], limits: UploadLimits,
    declared_length: int | None = None,
) -> ParsedUpload:
    """Parse a multipart body into spooled files and small text fields, within ``limits``."""
    mime, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if mime != b"multipart/form-data" or not boundary:
        raise ValidationFailed("the upload must be multipart/form-data with a boundary",
                               field="content-type")
    if declared_length is not None and declared_length > limits.max_body_bytes:
        raise limits.too_large()
    if not _orphans_swept:
        _orphans_swept.append(True)
        await asyncio.to_thread(sweep_orphaned_spools)
    try:
        scratch = tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-")
    except OSError as exc:
        raise out_of_descriptors(exc) or exc from None
    collector = _Collector(limits, scratch.name)
    parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
    received = 0
    try:
        async for chunk in _idle_bounded(body, limits.idle_seconds):
            received += len(chunk)
            if received > limits.max_body_bytes:
                raise limits.too_large()
            parser.write(chunk)
            if collector.error is not None:
                raise collector.error
        parser.finalize()
        if collector.error is not None:
            raise collector.error
        if not await _written_back(collector.parts):
            raise _writeback_failed()
    except BaseException as exc:  # nothing spooled outlives a failed parse, however it failed
        await asyncio.shield(_discard(collector, scratch))
        if isinstance(exc, (FormParserError, ValueError)) and not isinstance(exc, SSError):
            raise ValidationFailed(f"malformed multipart body: {type(exc).__name__}",
                                   field="body") from None
        raise
    files = [p for p in collector.parts if p.spool is not None]
    fields: dict[str, list[str]] = {}
    for part in collector.parts:
        if part.spool is None:
            fields.setdefault(part.name, []).append(part.text.decode("utf-8", "replace"))
    return ParsedUpload(files=files, fields=fields, scratch=scratch)


async def _idle_bounded(body: AsyncIterator[bytes], seconds: float) -> AsyncIterator[bytes]:
    """The body's chunks; ``REQUEST_TIMEOUT`` when the client sends nothing for ``seconds``
    (a trickling upload would otherwise hold its spool file and socket for ever)."""
    iterator = body.__aiter__()
    while True:
        try:
            # A timeout scope, not ``wait_for``: no task per chunk. It is left before the
            # chunk is yielded, so only the wait for the client is bounded.
            async with asyncio.timeout(seconds):
                chunk = await iterator.__anext__()
        except StopAsyncIteration:
            return
        except TimeoutError:
            raise SSError(f"the upload stalled: no data arrived for {seconds:g} seconds",
                          code="REQUEST_TIMEOUT", idle_seconds=seconds) from None
        yield chunk


def _writeback_failed() -> SSError:
    return StorageError("the upload could not be written to disk")


async def _written_back(parts: list[Part]) -> bool:
    """Wait for the parts' pending write-backs; whether every one succeeded."""
    pending = [p.writeback for p in parts if p.writeback is not None]
    outcomes = await asyncio.gather(*pending, return_exceptions=True)
    return not any(isinstance(outcome, BaseException) for outcome in outcomes)


async def _discard(collector: _Collector, scratch: tempfile.TemporaryDirectory[str]) -> None:
    parts = [*collector.parts, collector.current]
    await _written_back(parts)  # a spool's descriptor is closed only once nothing uses it
    for part in parts:
        if part.spool is not None:
            part.spool.close()
    scratch.cleanup()
