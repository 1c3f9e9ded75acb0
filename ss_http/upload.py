"""Streaming multipart parsing for uploads: memory stays flat whatever the file size.

The request body is fed chunk by chunk to python-multipart's push parser. File parts are
spooled to temporary files on disk (bounded by the upload limit, checked while streaming);
text parts (``role``, ``filename``) are kept in memory with a small cap. The use case then
streams each spooled file to the object store.

A process killed in the middle of an upload cannot clean its spool directory; spool
directories carry the owner's pid (``ss-upload-<pid>-...``), and the first upload of every
process removes those whose owner is gone.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import tempfile
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO

from python_multipart.exceptions import FormParserError
from python_multipart.multipart import MultipartParser, parse_options_header

from ss_core.errors import SSError, ValidationFailed

TEXT_FIELD_LIMIT = 4096
CHUNK = 1 << 20
SCRATCH_PREFIX = "ss-upload-"
_orphans_swept: list[bool] = []


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
    text: bytearray = field(default_factory=bytearray)
    size: int = 0


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
    def __init__(self, max_file_bytes: int, scratch: str) -> None:
        self.max_file_bytes = max_file_bytes
        self.scratch = scratch
        self.parts: list[Part] = []
        self.current = Part()
        self._header_name = bytearray()
        self._header_value = bytearray()
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
            self.current.filename = raw_filename.decode("utf-8", "replace")
            handle, _ = tempfile.mkstemp(dir=self.scratch)
            self.current.spool = os.fdopen(handle, "w+b")

    def _part_data(self, data: bytes, start: int, end: int) -> None:
        part = self.current
        part.size += end - start
        if part.spool is not None:
            if part.size > self.max_file_bytes and self.error is None:
                self.error = SSError(
                    f"a file is larger than the upload limit of {self.max_file_bytes} bytes",
                    code="PAYLOAD_TOO_LARGE", max_bytes=self.max_file_bytes)
            if self.error is None:
                part.spool.write(data[start:end])
        elif part.size <= TEXT_FIELD_LIMIT:
            part.text.extend(data[start:end])

    def _part_end(self) -> None:
        self.parts.append(self.current)


async def parse_multipart(
    content_type: str, body: AsyncIterator[bytes], max_file_bytes: int
) -> ParsedUpload:
    """Parse a multipart body into spooled files and small text fields."""
    mime, params = parse_options_header(content_type)
    boundary = params.get(b"boundary")
    if mime != b"multipart/form-data" or not boundary:
        raise ValidationFailed("the upload must be multipart/form-data with a boundary",
                               field="content-type")
    if not _orphans_swept:
        _orphans_swept.append(True)
        await asyncio.to_thread(sweep_orphaned_spools)
    scratch = tempfile.TemporaryDirectory(prefix=f"{SCRATCH_PREFIX}{os.getpid()}-")
    collector = _Collector(max_file_bytes, scratch.name)
    parser = MultipartParser(boundary, collector.callbacks())  # type: ignore[arg-type]
    try:
        async for chunk in body:
            parser.write(chunk)
            if collector.error is not None:
                raise collector.error
        parser.finalize()
    except SSError:
        scratch.cleanup()
        raise
    except (FormParserError, ValueError) as exc:
        scratch.cleanup()
        raise ValidationFailed(f"malformed multipart body: {type(exc).__name__}",
                               field="body") from None
    files = [p for p in collector.parts if p.spool is not None]
    fields: dict[str, list[str]] = {}
    for part in collector.parts:
        if part.spool is None:
            fields.setdefault(part.name, []).append(part.text.decode("utf-8", "replace"))
    return ParsedUpload(files=files, fields=fields, scratch=scratch)
