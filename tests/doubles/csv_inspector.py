"""A small DatasetInspector for core tests: UTF-8 CSV only, types from the values."""

from __future__ import annotations

import csv
import io

from ss_core.domain.dataset import (
    Column,
    ColumnType,
    DatasetFormat,
    DatasetPreview,
    DatasetSchema,
    InspectOptions,
)
from ss_core.errors import InputError
from ss_core.ports.object_store import ObjectStore, StoredObject
from ss_core.stata.names import normalize_names


def _type(values: list[str]) -> ColumnType:
    present = [v for v in values if v != ""]
    try:
        numbers = [float(v) for v in present]
    except ValueError:
        return ColumnType.STRING
    if numbers and all(n in (0.0, 1.0) for n in numbers):
        return ColumnType.BINARY
    if all(n.is_integer() for n in numbers):
        return ColumnType.INTEGER
    return ColumnType.NUMERIC


class CsvInspector:
    def __init__(self, store: ObjectStore) -> None:
        self.store = store
        self.staged: dict[str, bytes] = {}

    async def _rows(self, key: str, fmt: DatasetFormat) -> tuple[list[str], list[list[str]]]:
        if fmt is not DatasetFormat.CSV:
            raise InputError("this double reads CSV only", code="INPUT_UNSUPPORTED_FORMAT")
        text = (await self.store.get_bytes(key)).decode("utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        if len(rows) < 2:
            raise InputError("the file has no data rows", code="INPUT_EMPTY")
        return rows[0], rows[1:]

    async def inspect(self, object_key: str, fmt: DatasetFormat,
                      options: InspectOptions) -> DatasetPreview:
        header, rows = await self._rows(object_key, fmt)
        names = normalize_names(header)
        columns = tuple(
            Column(name=n, original_name=o, type=_type([r[i] for r in rows]),
                   missing_count=sum(1 for r in rows if r[i] == ""),
                   sample_values=tuple(r[i] for r in rows[:3]))
            for i, (n, o) in enumerate(zip(names, header, strict=True)))
        sample = tuple(dict(zip(names, r, strict=True)) for r in rows[: options.preview_rows])
        return DatasetPreview(schema=DatasetSchema(columns=columns, row_count=len(rows)),
                              sample_rows=sample, encoding="utf-8", delimiter=",")

    async def stage_dta(self, object_key: str, fmt: DatasetFormat, options: InspectOptions,
                        dest_key: str) -> StoredObject:
        data = await self.store.get_bytes(object_key)
        self.staged[dest_key] = data
        return await self.store.put_bytes(dest_key, data, "application/x-stata-dta")
