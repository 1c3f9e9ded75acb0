"""Excel serial dates: day counts since 1899-12-30 in a column whose header names a date.

A spreadsheet cell formatted as a date reaches us as a date already; one that lost its format
(or a CSV exported from it) holds the bare serial, e.g. ``43891`` for 2020-03-01. A number is
read as a serial date only when both the header says date (日期, date, day, 交易日, 时间) and
every value is a whole number between ``SERIAL_MIN`` and ``SERIAL_MAX`` (1954 to 2064):
anything else stays an integer. The readers with a header row (CSV, Excel) apply it after
profiling; staging then writes the column as Stata dates.
"""

from __future__ import annotations

import re

import msgspec
import pandas as pd

from ss_adapters.datasets.table import ColumnFacts, TableRead
from ss_core.domain.dataset import ColumnType

SERIAL_MIN = 20_000
SERIAL_MAX = 60_000
ORIGIN = "1899-12-30"
DATE_HEADER = re.compile(r"日期|交易日|时间|date|day", re.IGNORECASE)


def in_range(values: pd.Series) -> bool:
    numbers = pd.to_numeric(values, errors="coerce")
    return bool(numbers.notna().all() and numbers.between(SERIAL_MIN, SERIAL_MAX).all())


def to_stamps(values: pd.Series) -> pd.Series:
    """Serials (numbers or digit strings) as timestamps; NaT where not a number."""
    numbers = pd.to_numeric(values, errors="coerce")
    return pd.to_datetime(numbers, unit="D", origin=ORIGIN, errors="coerce")


def with_serial_dates(table: TableRead, profilers: list) -> TableRead:  # type: ignore[type-arg]
    """``table`` with integer columns that hold serial dates under a date header as dates."""
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


def _as_date(facts: ColumnFacts, profiler: object) -> ColumnFacts:
    samples = tuple(str(_iso(v)) for v in facts.sample_values)
    return msgspec.structs.replace(
        facts, type=ColumnType.DATE, sample_values=samples,
        date=profiler.serial_shape.facts())  # type: ignore[attr-defined]
