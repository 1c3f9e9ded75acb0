"""``FileDatasetInspector``: the DatasetInspector over stored objects.

An object of the local directory store is read in place (its files are written once, by
rename); any other store's object is copied to a private file in the scratch directory and
read there, and the copy is removed afterwards. Reading happens off the event loop, by the
reader for the object's format.
Whatever a damaged file makes a parser do surfaces as an ``INPUT_*`` error with a reason.
Staging converts files larger than ``CHILD_STAGING_BYTES`` in a child process when
``stage_in_child`` is set (the composition root sets it: the API stages uploads of any size
ahead, and must not grow with them), at most ``max_child_stagings`` at a time; smaller files
convert on a thread (a child's start, ~1-3 s of imports, would cost more than their
conversion, whose chunks are small).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Protocol, TypeVar

import msgspec
import pandas as pd

from ss_adapters.blob.local_store import LocalDirectoryStore
from ss_adapters.datasets.csv_reader import CsvReader
from ss_adapters.datasets.dta_reader import DtaReader
from ss_adapters.datasets.excel_reader import XlsxReader
from ss_adapters.datasets.input_errors import empty, parse_failed, unsupported
from ss_adapters.datasets.preview import to_preview, to_schema
from ss_adapters.datasets.read_limits import ReadLimits
from ss_adapters.datasets.staging import write_dta_chunks
from ss_adapters.datasets.staging_process import StageRequest, stage_in_child
from ss_adapters.datasets.table import TableRead
from ss_adapters.datasets.xls_reader import XlsReader
from ss_adapters.datasets.zip_guard import ZipLimits
from ss_core.domain.dataset import DatasetFormat, DatasetPreview, InspectOptions
from ss_core.errors import SSError
from ss_core.ports.object_store import ObjectStore, StoredObject

log = logging.getLogger(__name__)
T = TypeVar("T")
MAX_PREVIEW_ROWS = 1000
CHILD_STAGING_BYTES = 32 * 1024**2
DTA_CONTENT_TYPE = "application/x-stata-dta"


class TableReader(Protocol):
    def read_table(self, path: Path, options: InspectOptions) -> TableRead: ...

    def read_frame(
        self, path: Path, options: InspectOptions
    ) -> tuple[TableRead, pd.DataFrame]: ...

    def iter_frames(
        self, path: Path, options: InspectOptions, table: TableRead
    ) -> Iterator[pd.DataFrame]: ...


def _guarded(fmt: DatasetFormat, work: Callable[[], T]) -> T:
    try:
        return work()
    except SSError:
        raise
    except Exception as exc:  # a parser's own failure on hostile input
        log.warning("dataset reader failed", exc_info=True)
        raise parse_failed(
            f"the {fmt.value} file could not be read ({type(exc).__name__})"
        ) from exc


def _readers(zip_limits: ZipLimits | None,
             limits: ReadLimits) -> dict[DatasetFormat, TableReader]:
    return {
        DatasetFormat.CSV: CsvReader(limits),
        DatasetFormat.XLSX: XlsxReader(zip_limits, limits),
        DatasetFormat.XLS: XlsReader(limits),
        DatasetFormat.DTA: DtaReader(limits),
    }


def _stage_limits(limits: ReadLimits) -> ReadLimits:
    return msgspec.structs.replace(limits, chunk_cells=limits.stage_chunk_cells)


def convert_to_dta(fmt: DatasetFormat, path: Path, options: InspectOptions, destination: Path,
                   limits: ReadLimits, zip_limits: ZipLimits | None = None) -> None:
    """Stage the local file ``path`` as the ``.dta`` ``destination`` (profile it, then write
    it in chunks of the staging budget: memory holds one chunk)."""
    reader = _readers(zip_limits, _stage_limits(limits))[fmt]

    def convert() -> None:
        table = reader.read_table(path, options)
        write_dta_chunks(lambda: reader.iter_frames(path, options, table), to_schema(table),
                         destination)

    _guarded(fmt, convert)


class FileDatasetInspector:
    """Reads CSV, .xlsx, .xls and .dta objects; see the module doc."""

    def __init__(
        self, store: ObjectStore, scratch_dir: Path, zip_limits: ZipLimits | None = None,
        read_limits: ReadLimits | None = None, *, stage_in_child: bool = False,
        max_child_stagings: int = 2,
    ) -> None:
        self._store = store
        self._scratch = Path(scratch_dir)
        self._limits = read_limits or ReadLimits()
        self._zip_limits = zip_limits
        self._readers = _readers(zip_limits, self._limits)
        self._stage_in_child = stage_in_child
        self._child_slots = asyncio.Semaphore(max_child_stagings)

    def _reader(self, fmt: DatasetFormat | str) -> tuple[DatasetFormat, TableReader]:
        try:
            known = DatasetFormat(fmt)
        except ValueError as exc:
            raise unsupported(f"{fmt!r} is not a dataset format SS reads") from exc
        return known, self._readers[known]

    @contextlib.asynccontextmanager
    async def _local_copy(self, object_key: str, fmt: DatasetFormat) -> AsyncIterator[Path]:
        if isinstance(self._store, LocalDirectoryStore):  # already a local file: read it there
            path = await asyncio.to_thread(self._store.file_path, object_key)
            if (await asyncio.to_thread(path.stat)).st_size == 0:
                raise empty("the file is empty (0 bytes)")
            yield path
            return
        await asyncio.to_thread(self._scratch.mkdir, parents=True, exist_ok=True)
        path = self._scratch / f"{uuid.uuid4().hex}.{fmt.value}"
        handle = await asyncio.to_thread(path.open, "wb")
        try:
            try:
                async for chunk in self._store.iter_bytes(object_key):
                    await asyncio.to_thread(handle.write, chunk)
            finally:
                await asyncio.to_thread(handle.close)
            if (await asyncio.to_thread(path.stat)).st_size == 0:
                raise empty("the file is empty (0 bytes)")
            yield path
        finally:
            await asyncio.to_thread(path.unlink, True)

    def _options(self, options: InspectOptions) -> InspectOptions:
        rows = min(max(options.preview_rows, 0), MAX_PREVIEW_ROWS)
        return InspectOptions(sheet_name=options.sheet_name, preview_rows=rows)

    async def inspect(
        self, object_key: str, fmt: DatasetFormat, options: InspectOptions
    ) -> DatasetPreview:
        known, reader = self._reader(fmt)
        bounded = self._options(options)
        async with self._local_copy(object_key, known) as path:
            table = await asyncio.to_thread(
                _guarded, known, lambda: reader.read_table(path, bounded)
            )
        return to_preview(table)

    async def stage_dta(
        self, object_key: str, fmt: DatasetFormat, options: InspectOptions, dest_key: str
    ) -> StoredObject:
        known, _ = self._reader(fmt)
        bounded = self._options(options)
        staged = self._scratch / f"{uuid.uuid4().hex}.staged.dta"
        await asyncio.to_thread(self._scratch.mkdir, parents=True, exist_ok=True)
        try:
            async with self._local_copy(object_key, known) as path:
                size = (await asyncio.to_thread(path.stat)).st_size
                if self._stage_in_child and size > CHILD_STAGING_BYTES:
                    async with self._child_slots:
                        await stage_in_child(StageRequest(
                            source=str(path), format=known, options=bounded,
                            destination=str(staged), read_limits=self._limits,
                            zip_limits=self._zip_limits))
                else:
                    await asyncio.to_thread(convert_to_dta, known, path, bounded, staged,
                                            self._limits, self._zip_limits)
            return await self._store.put_stream(
                dest_key, _file_chunks(staged), DTA_CONTENT_TYPE
            )
        finally:
            await asyncio.to_thread(staged.unlink, True)


async def _file_chunks(path: Path, size: int = 1 << 20) -> AsyncIterator[bytes]:
    handle = await asyncio.to_thread(path.open, "rb")
    try:
        while chunk := await asyncio.to_thread(handle.read, size):
            yield chunk
    finally:
        await asyncio.to_thread(handle.close)
