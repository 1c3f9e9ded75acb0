"""Profiles a table given as rows of Python values (Excel sheets), chunk by chunk.

Leading and fully empty rows are skipped; the first non-empty row is the header unless it
looks like data; rows may be ragged (missing cells are missing values). Memory is bounded by
one chunk (about ``ReadLimits.chunk_cells`` cells, however wide the rows) plus the preview;
the counted extent is checked against the limits on every row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path

import pandas as pd

from ss_adapters.datasets.header_detection import looks_like_header
from ss_adapters.datasets.input_errors import empty
from ss_adapters.datasets.nesting import NestingTracker, with_nesting
from ss_adapters.datasets.numeric_dates import with_numeric_dates
from ss_adapters.datasets.read_limits import ReadLimits
from ss_adapters.datasets.table import ColumnFacts, PreviewCell, TableRead
from ss_adapters.datasets.type_inference import ColumnProfiler, preview_cell
from ss_core.domain.dataset import InspectOptions

MISSING_TOKENS = frozenset(
    {"", ".", "NA", "N/A", "n/a", "NaN", "nan", "NULL", "null", "#N/A", "#DIV/0!", "#NAME?",
     "#NULL!", "#NUM!", "#REF!", "#VALUE!"}
)
CHUNK_ROWS = 5000


def clean_cell(value: object) -> object:
    """A cell as the profiler should see it: stripped text, missing tokens as None."""
    if isinstance(value, str):
        text = value.strip()
        return None if text in MISSING_TOKENS else text
    if isinstance(value, dt.time):
        return value.isoformat()
    if isinstance(value, bool):
        return int(value)
    return value


def _trimmed(row: Sequence[object]) -> list[object]:
    cells = [clean_cell(v) for v in row]
    while cells and cells[-1] is None:
        cells.pop()
    return cells


class RowTableBuilder:
    def __init__(self, preview_rows: int, *, keep_rows: bool = False,
                 limits: ReadLimits | None = None) -> None:
        self.limits = limits or ReadLimits()
        self.preview_limit = preview_rows
        self.kept: list[list[object]] | None = [] if keep_rows else None
        self.names: list[str] = []
        self.profilers: list[ColumnProfiler] = []
        self.nesting = NestingTracker()
        self.preview: list[list[object]] = []
        self.chunk: list[list[object]] = []
        self.row_count = 0
        self.header_row = 0

    def _widen(self, width: int) -> None:
        while len(self.profilers) < width:
            self.names.append("")
            self.profilers.append(ColumnProfiler(missing_before=self.row_count))

    def _add_row(self, cells: list[object]) -> None:
        self._widen(len(cells))
        self.row_count += 1
        width = len(self.profilers)
        self.limits.check(self.row_count, width, "the sheet")
        if len(self.preview) < self.preview_limit:
            self.preview.append(cells)
        self.chunk.append(cells)
        if self.kept is not None:
            self.kept.append(cells)
        if len(self.chunk) >= self.limits.chunk_rows(width, CHUNK_ROWS):
            self._flush()

    def _flush(self) -> None:
        series = []
        for index, profiler in enumerate(self.profilers):
            column = pd.Series([row[index] if index < len(row) else None for row in self.chunk],
                               dtype=object)
            profiler.feed(column)
            series.append(column)
        if self.nesting.units is None:
            self.nesting.names = list(self.names)
        self.nesting.feed(series)
        self.chunk = []

    def build(
        self,
        rows: Iterable[Sequence[object]],
        sheet_names: tuple[str, ...] = (),
        selected_sheet: str | None = None,
    ) -> TableRead:
        position = 0
        header_seen = False
        for row in rows:
            position += 1
            cells = _trimmed(row)
            if not cells:
                continue
            if not header_seen:
                header_seen = True
                if looks_like_header(cells):
                    self.limits.check(0, len(cells), "the header row")
                    self.header_row = position
                    self._widen(len(cells))
                    self.names = ["" if c is None else str(c) for c in cells]
                    continue
            self._add_row(cells)
        if self.chunk:
            self._flush()
        if not header_seen:
            raise empty("the sheet has no cells with values")
        if self.row_count == 0:
            raise empty("the sheet has a header row but no data rows")
        return self._result(sheet_names, selected_sheet)

    def _result(self, sheet_names: tuple[str, ...], selected_sheet: str | None) -> TableRead:
        columns = tuple(
            ColumnFacts(
                original_name=name,
                type=profiler.column_type(),
                label=name,
                missing_count=profiler.missing,
                distinct_count=profiler.distinct_count,
                sample_values=tuple(profiler.samples),
            **profiler.shape_facts(),
            )
            for name, profiler in zip(self.names, self.profilers, strict=True)
        )
        width = len(columns)
        preview: list[tuple[PreviewCell, ...]] = []
        for cells in self.preview:
            padded = list(cells) + [None] * (width - len(cells))
            preview.append(
                tuple(preview_cell(v, c.type) for v, c in zip(padded, columns, strict=True))
            )
        table = TableRead(
            columns=columns,
            row_count=self.row_count,
            preview_rows=tuple(preview),
            header_row=self.header_row,
            sheet_names=sheet_names,
            selected_sheet=selected_sheet,
        )
        return with_nesting(with_numeric_dates(table, self.profilers), self.nesting)


def rows_frame(rows: list[list[object]], width: int) -> pd.DataFrame:
    """All kept rows as an object DataFrame with positional column labels (for staging)."""
    padded = [row + [None] * (width - len(row)) for row in rows]
    return pd.DataFrame(padded, columns=list(range(width)), dtype=object)


class RowTableReader:
    """A reader that walks a sheet row by row into a ``RowTableBuilder`` (xlsx, xls):
    subclasses provide ``_read``; the preview and the full frame come from the same walk."""

    def __init__(self, limits: ReadLimits | None = None) -> None:
        self.limits = limits or ReadLimits()

    def _read(self, path: Path, options: InspectOptions, *,
              keep_rows: bool) -> tuple[TableRead, RowTableBuilder]:
        raise NotImplementedError

    def read_table(self, path: Path, options: InspectOptions) -> TableRead:
        return self._read(path, options, keep_rows=False)[0]

    def read_frame(self, path: Path, options: InspectOptions) -> tuple[TableRead, pd.DataFrame]:
        table, builder = self._read(path, options, keep_rows=True)
        return table, rows_frame(builder.kept or [], len(table.columns))

    def iter_frames(self, path: Path, options: InspectOptions,
                    table: TableRead) -> Iterator[pd.DataFrame]:
        """The sheet's rows as one frame: a sheet is bounded by Excel's grid and by the cell
        budget checked while it is read (CSV and .dta stream in chunks)."""
        yield self.read_frame(path, options)[1]
