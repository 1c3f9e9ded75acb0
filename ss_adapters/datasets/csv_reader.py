"""CSV files: dialect from the first megabyte, then one streaming pass in bounded chunks.

pandas' C parser reads chunks whose size is bounded by a cell budget (so 10,000 columns or
10 million rows both stay within a fixed footprint); each chunk feeds the column profilers
and the first rows are kept as the preview.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pandas as pd

from ss_adapters.datasets.csv_dialect import CsvDialect, detect_dialect
from ss_adapters.datasets.input_errors import empty, parse_failed
from ss_adapters.datasets.nesting import NestingTracker, with_nesting
from ss_adapters.datasets.numeric_dates import with_numeric_dates
from ss_adapters.datasets.read_limits import ReadLimits
from ss_adapters.datasets.row_tables import MISSING_TOKENS
from ss_adapters.datasets.table import ColumnFacts, PreviewCell, TableRead
from ss_adapters.datasets.type_inference import ColumnProfiler, preview_cell
from ss_core.domain.dataset import InspectOptions

CELL_BUDGET = 2_000_000
_NA_VALUES = sorted(MISSING_TOKENS)


def _chunk_rows(width: int, budget: int = CELL_BUDGET) -> int:
    return max(50, min(100_000, min(budget, CELL_BUDGET) // max(width, 1)))


def _read_options(dialect: CsvDialect) -> dict[str, object]:
    width = {"names": list(range(len(dialect.names))), "index_col": False} if dialect.names else {}
    return {
        **width,
        "sep": dialect.delimiter,
        "encoding": dialect.encoding,
        "encoding_errors": "strict",
        "header": None,
        "skiprows": dialect.skip_records,
        "quotechar": '"',
        "na_values": _NA_VALUES,
        "keep_default_na": False,
        "skip_blank_lines": True,
        "skipinitialspace": True,
        "on_bad_lines": "error",
        "engine": "c",
        "low_memory": False,
    }


def _parse_error(exc: Exception) -> Exception:
    if isinstance(exc, UnicodeDecodeError):
        return parse_failed(
            f"the text is not valid {exc.encoding} after the first megabyte; "
            "save the whole file in one encoding (UTF-8 is safest)"
        )
    detail = str(exc).split("C error: ")[-1].strip()
    return parse_failed(f"the CSV structure is inconsistent: {detail}")


def _chunks(path: Path, dialect: CsvDialect, budget: int) -> Iterator[pd.DataFrame]:
    width = max(len(dialect.names), 1)
    try:
        reader = pd.read_csv(path, chunksize=_chunk_rows(width, budget),
                             **_read_options(dialect))
        with reader:
            yield from reader
    except pd.errors.EmptyDataError:
        return
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise _parse_error(exc) from exc


class CsvReader:
    def __init__(self, limits: ReadLimits | None = None) -> None:
        self.limits = limits or ReadLimits()

    def read_table(self, path: Path, options: InspectOptions) -> TableRead:
        dialect = detect_dialect(path)
        names = list(dialect.names)
        self.limits.check(0, len(names), "the CSV header")
        profilers = [ColumnProfiler() for _ in names]
        nesting = NestingTracker(names)
        preview: list[tuple[object, ...]] = []
        row_count = 0
        for chunk in _chunks(path, dialect, self.limits.chunk_cells):
            while len(profilers) < chunk.shape[1]:
                names.append("")
                profilers.append(ColumnProfiler(missing_before=row_count))
            for profiler, (_, column) in zip(profilers, chunk.items(), strict=False):
                profiler.feed(column.to_numpy())
            nesting.feed([column for _, column in chunk.items()])
            if len(preview) < options.preview_rows:
                head = chunk.head(options.preview_rows - len(preview))
                preview.extend(tuple(r) for r in head.to_numpy(dtype=object).tolist())
            row_count += len(chunk)
            self.limits.check(row_count, len(profilers), "the CSV file")
        if row_count == 0:
            raise empty("the file has a header row but no data rows" if names else
                        "the file has no data rows")
        table = with_numeric_dates(_table(dialect, names, profilers, row_count, preview),
                                  profilers)
        return with_nesting(table, nesting)

    def iter_frames(self, path: Path, options: InspectOptions,
                    table: TableRead) -> Iterator[pd.DataFrame]:
        width = len(table.columns)
        numbers = tuple(i for i in table.number_columns if table.columns[i].type.is_numeric)
        return iter_frames(path, width, self.limits.stage_rows(width), numbers)

    def read_frame(self, path: Path, options: InspectOptions) -> tuple[TableRead, pd.DataFrame]:
        table = self.read_table(path, options)
        dialect = detect_dialect(path)
        try:
            frame = pd.read_csv(path, dtype=object, **_read_options(dialect))
        except pd.errors.EmptyDataError as exc:
            raise empty("the file has no data rows") from exc
        except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
            raise _parse_error(exc) from exc
        width = len(table.columns)
        for index in range(frame.shape[1], width):
            frame[index] = None
        frame.columns = list(range(width))
        return table, frame


def iter_frames(path: Path, width: int, rows: int,
                numbers: tuple[int, ...] = ()) -> Iterator[pd.DataFrame]:
    """The data rows as DataFrames of ``rows`` rows each, positional columns ``0..width-1``
    (what staging streams): the ``numbers`` columns as doubles (the parser's own conversion,
    the one ``pd.to_numeric`` applies to their text), every other column as text."""
    dialect = detect_dialect(path)
    kinds: dict[int, str] = {i: "float64" if i in numbers else "object"
                             for i in range(len(dialect.names))}
    try:
        reader = pd.read_csv(path, dtype=kinds or object, chunksize=rows,
                             **_read_options(dialect))
        with reader:
            for frame in reader:
                for index in range(frame.shape[1], width):
                    frame[index] = None
                frame.columns = list(range(width))
                yield frame
    except pd.errors.EmptyDataError:
        return
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as exc:
        raise _parse_error(exc) from exc


def _table(
    dialect: CsvDialect,
    names: list[str],
    profilers: list[ColumnProfiler],
    row_count: int,
    preview: list[tuple[object, ...]],
) -> TableRead:
    columns = tuple(
        ColumnFacts(
            original_name=name,
            type=p.column_type(),
            label=name,
            missing_count=p.missing,
            distinct_count=p.distinct_count,
            sample_values=tuple(p.samples),
            **p.shape_facts(),
        )
        for name, p in zip(names, profilers, strict=True)
    )
    rows: list[tuple[PreviewCell, ...]] = []
    for record in preview:
        padded = list(record) + [None] * (len(columns) - len(record))
        rows.append(tuple(preview_cell(v, c.type) for v, c in zip(padded, columns, strict=True)))
    return TableRead(
        columns=columns,
        row_count=row_count,
        preview_rows=tuple(rows),
        header_row=1 if dialect.has_header else 0,
        encoding=dialect.encoding,
        delimiter=dialect.delimiter,
        number_columns=tuple(i for i, p in enumerate(profilers)
                             if p.numbers_only and p.column_type().is_numeric),
    )
