"""Dates coded as whole numbers, in a column whose header names a date.

A spreadsheet cell formatted as a date reaches us as a date already; one that lost its format
(or a CSV exported from it) holds the bare Excel serial, e.g. ``43891`` for 2020-03-01
(days since 1899-12-30). Financial databases also code days as ``20200301`` and months as
``202003``. A number is read as a date only when the header says date (日期, 交易日, 时间,
date, day, 月份, month) and every value is a whole number in one coding's range: serials in
20000..60000 (1954-2064), ``YYYYMMDD`` in 19000101..21001231, ``YYYYMM`` in 190001..210012.
The ranges do not overlap, so staging decodes each value by its magnitude. Anything else
stays an integer. The readers with a header row (CSV, Excel) apply it after profiling.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

import msgspec
import pandas as pd

from ss_adapters.datasets.table import ColumnFacts, TableRead
from ss_core.domain.dataset import ColumnType

if TYPE_CHECKING:  # the profiler module imports this one
    from ss_adapters.datasets.type_inference import ColumnProfiler

SERIAL = (20_000, 60_000)
YMD = (19_000_101, 21_001_231)
YM = (190_001, 210_012)
ORIGIN = "1899-12-30"
DATE_HEADER = re.compile(r"日期|交易日|时间|月份|date|day|month", re.IGNORECASE)


def decoded(values: pd.Series) -> pd.Series | None:
    """The values as dates when every one decodes under one of the codings, else None."""
    numbers = pd.to_numeric(values, errors="coerce")
    ranged = numbers.between(*SERIAL) | numbers.between(*YMD) | numbers.between(*YM)
    if not bool(ranged.all()):  # the cheap test first: most integer columns stop here
        return None
    stamps = to_stamps(numbers)
    return stamps if bool(stamps.notna().all()) else None


def to_stamps(values: pd.Series) -> pd.Series:
    """Coded dates (numbers or digit strings) as timestamps; NaT where none applies."""
    numbers = pd.to_numeric(values, errors="coerce")
    out = pd.Series(pd.NaT, index=values.index, dtype="datetime64[ns]")
    serial = numbers.between(*SERIAL)
    out[serial] = pd.to_datetime(numbers[serial], unit="D", origin=ORIGIN, errors="coerce")
    ymd = numbers.between(*YMD) & (numbers % 1 == 0)
    out[ymd] = pd.to_datetime(numbers[ymd].astype("int64").astype(str), format="%Y%m%d",
                              errors="coerce")
    ym = numbers.between(*YM) & (numbers % 1 == 0) & (numbers % 100).between(1, 12)
    out[ym] = pd.to_datetime(numbers[ym].astype("int64").astype(str), format="%Y%m",
                             errors="coerce")
    return out


def with_numeric_dates(table: TableRead, profilers: Sequence[ColumnProfiler]) -> TableRead:
    """``table`` with integer columns that hold coded dates under a date header as dates."""
    columns = list(table.columns)
    changed: list[int] = []
    for index, (facts, profiler) in enumerate(zip(columns, profilers, strict=False)):
        if facts.type is not ColumnType.INTEGER or not DATE_HEADER.search(facts.original_name):
            continue
        if not (profiler.serial_ok and profiler.serial_shape.seen):
            continue
        columns[index] = _as_date(facts, profiler)
        changed.append(index)
    if not changed:
        return table
    rows = tuple(
        tuple(_iso(cell) if i in changed else cell for i, cell in enumerate(row))
        for row in table.preview_rows
    )
    return msgspec.structs.replace(table, columns=tuple(columns), preview_rows=rows)


def _iso(cell: object) -> object:
    if cell is None:
        return None
    stamp = to_stamps(pd.Series([cell])).iloc[0]
    return None if pd.isna(stamp) else stamp.strftime("%Y-%m-%d")


def _as_date(facts: ColumnFacts, profiler: ColumnProfiler) -> ColumnFacts:
    samples = tuple(str(_iso(v)) for v in facts.sample_values)
    return msgspec.structs.replace(facts, type=ColumnType.DATE, sample_values=samples,
                                   date=profiler.serial_shape.facts())
