"""Stata ``.dta`` files through pyreadstat: labels, value labels, formats, integer types.

pyreadstat allocates a whole chunk (rows x variables) from the header's declared sizes before
reading a row, so the header is read alone first and checked: every variable takes at least
one byte per observation, so a header declaring more cells than the file has bytes is a lie
(a memory bomb) and is refused; the chunk's row count comes from the cell budget.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyreadstat

from ss_adapters.datasets.content_sniffing import describe, is_dta
from ss_adapters.datasets.date_shape import period_text
from ss_adapters.datasets.input_errors import empty, parse_failed
from ss_adapters.datasets.nesting import NestingTracker, with_nesting
from ss_adapters.datasets.read_limits import ReadLimits
from ss_adapters.datasets.table import ColumnFacts, PreviewCell, TableRead
from ss_adapters.datasets.type_inference import ColumnProfiler, preview_cell, sample_text
from ss_core.domain.dataset import ColumnType, InspectOptions

CHUNK_ROWS = 50_000
_DATE_FORMAT_PREFIXES = ("%td", "%tc", "%tC", "%d", "%-td", "%-tc", "%tw", "%tm", "%tq", "%th",
                         "%ty", "%-tw", "%-tm", "%-tq", "%-th", "%-ty")
_INTEGER_STORAGE = frozenset({"int8", "int16", "int32"})


def _value_key(value: object) -> str:
    return sample_text(value)


def _check_magic(path: Path) -> None:
    with path.open("rb") as handle:
        head = handle.read(1 << 16)
    if not head:
        raise empty("the file is empty (0 bytes)")
    if not is_dta(head):
        what, _ = describe(head)
        raise parse_failed(f"the file is named .dta but looks like {what}", looks_like=what)


def _read(function: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return function(*args, **kwargs)
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, UnicodeDecodeError,
            OSError, ValueError) as exc:
        raise parse_failed(f"the Stata file could not be read ({exc})") from exc


def _column_type(profiled: ColumnType, fmt: str, storage: str) -> ColumnType:
    if fmt.startswith(_DATE_FORMAT_PREFIXES):
        return ColumnType.DATE
    if storage == "string":
        return ColumnType.STRING
    if storage in _INTEGER_STORAGE and profiled is ColumnType.STRING:
        return ColumnType.INTEGER  # all values missing
    return profiled


def _check_declared(path: Path, rows: int, columns: int, limits: ReadLimits) -> None:
    size = path.stat().st_size
    if rows * columns > size:
        raise parse_failed(
            f"the Stata file declares {rows} observations x {columns} variables, more data "
            f"than its {size} bytes can hold; it is damaged or not a real Stata file",
            declared_rows=rows, declared_columns=columns, file_bytes=size)
    limits.check(rows, columns, "the Stata file")


class DtaReader:
    def __init__(self, limits: ReadLimits | None = None) -> None:
        self.limits = limits or ReadLimits()

    def read_table(self, path: Path, options: InspectOptions) -> TableRead:
        _check_magic(path)
        _, meta = _read(pyreadstat.read_dta, str(path), metadataonly=True)
        names: list[str] = list(meta.column_names)
        if not names:
            raise empty("the Stata file has no variables")
        if not meta.number_rows:
            raise empty("the Stata file has no observations")
        _check_declared(path, int(meta.number_rows), len(names), self.limits)
        profilers = [ColumnProfiler() for _ in names]
        nesting = NestingTracker(names)
        row_count = 0
        chunks = pyreadstat.read_file_in_chunks(
            pyreadstat.read_dta, str(path),
            chunksize=self.limits.chunk_rows(len(names), CHUNK_ROWS))
        first: pd.DataFrame | None = None
        for frame, _ in _iterate(chunks):
            if first is None:
                first = frame.head(options.preview_rows)
            row_count += len(frame)
            for profiler, name in zip(profilers, names, strict=True):
                profiler.feed(frame[name])
            nesting.feed([frame[name] for name in names])
        return with_nesting(_table(meta, names, profilers, row_count, first), nesting)

    def iter_frames(self, path: Path, options: InspectOptions,
                    table: TableRead) -> Iterator[pd.DataFrame]:
        """The observations in chunks of about the cell budget, positional columns."""
        width = len(table.columns)
        chunks = pyreadstat.read_file_in_chunks(
            pyreadstat.read_dta, str(path), chunksize=self.limits.stage_rows(width))
        for frame, _ in _iterate(chunks):
            frame.columns = list(range(width))
            yield frame

    def read_frame(self, path: Path, options: InspectOptions) -> tuple[TableRead, pd.DataFrame]:
        table = self.read_table(path, options)
        frame, _ = _read(pyreadstat.read_dta, str(path))
        frame.columns = list(range(len(frame.columns)))
        return table, frame


def _iterate(chunks: Any) -> Any:
    iterator = iter(chunks)
    while True:
        try:
            item = next(iterator)
        except StopIteration:
            return
        except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, UnicodeDecodeError,
                OSError, ValueError) as exc:
            raise parse_failed(f"the Stata file could not be read ({exc})") from exc
        yield item


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _cell(value: object, column: ColumnFacts) -> PreviewCell:
    if column.date is not None:
        value = period_text(value, column.date.unit)
    return preview_cell(value, column.type)


def _facts(name: str, label: str | None, p: ColumnProfiler, fmt: str, storage: str,
           labels: dict[Any, str]) -> ColumnFacts:
    column_type = _column_type(p.column_type(), fmt, storage)
    shapes = p.shape_facts()
    samples = tuple(p.samples)
    if column_type is ColumnType.DATE:
        facts = p.date_shape.facts(fmt)
        shapes["date"] = facts
        samples = tuple(str(period_text(float(v), facts.unit)) if _numeric(v) else v
                        for v in samples)
    return ColumnFacts(
        original_name=name,
        type=column_type,
        label=label or name,
        missing_count=p.missing,
        distinct_count=p.distinct_count,
        sample_values=samples,
        value_labels={_value_key(k): str(v) for k, v in labels.items()},
        **shapes,
    )


def _table(
    meta: Any,
    names: list[str],
    profilers: list[ColumnProfiler],
    row_count: int,
    first: pd.DataFrame | None,
) -> TableRead:
    labels = list(meta.column_labels or [None] * len(names))
    formats: dict[str, str] = dict(meta.original_variable_types or {})
    storage: dict[str, str] = dict(meta.readstat_variable_types or {})
    value_labels: dict[str, dict[Any, str]] = dict(meta.variable_value_labels or {})
    columns = tuple(
        _facts(name, label, p, formats.get(name, ""), storage.get(name, ""),
               value_labels.get(name, {}))
        for name, label, p in zip(names, labels, profilers, strict=True)
    )
    preview: list[tuple[PreviewCell, ...]] = []
    if first is not None:
        for record in first.itertuples(index=False, name=None):
            preview.append(
                tuple(_cell(v, c) for v, c in zip(record, columns, strict=True))
            )
    return TableRead(columns=columns, row_count=row_count, preview_rows=tuple(preview),
                     header_row=0)
