"""Column types inferred over a stream of chunks (pandas Series), in bounded memory.

Each chunk is classified as integer, numeric, date, numeric text or string (missing values
carry no evidence); chunk kinds merge (integer + numeric -> numeric; numeric text + numbers
-> numeric text, which stays a ``string`` column marked as numbers stored as text; anything
else mixed -> string). Dates may be text in any form ``date_text`` reads; their calendar
frequency is learnt by ``DateShape``. An integer column whose values are all 0/1 is binary.
Distinct values are counted up to a cap (beyond it the count is unknown), and the first few
distinct values are kept as samples.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from ss_adapters.datasets import date_text, numeric_dates, numeric_text
from ss_adapters.datasets.date_shape import DateShape
from ss_core.domain.dataset import ColumnType, DateFacts, NumericText

DISTINCT_CAP = 1000
SAMPLE_COUNT = 5
DATE_RE = re.compile(
    r"\d{4}[-/]\d{1,2}[-/]\d{1,2}(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
)


class Kind(enum.IntEnum):
    EMPTY = 0
    INTEGER = 1
    NUMERIC = 2
    DATE = 3
    NUMTEXT = 4
    STRING = 5


def merge(a: Kind, b: Kind) -> Kind:
    if a is Kind.EMPTY or a is b:
        return b
    if b is Kind.EMPTY:
        return a
    if {a, b} == {Kind.INTEGER, Kind.NUMERIC}:
        return Kind.NUMERIC
    if Kind.NUMTEXT in (a, b) and {a, b} <= {Kind.INTEGER, Kind.NUMERIC, Kind.NUMTEXT}:
        return Kind.NUMTEXT
    return Kind.STRING


_NUMBER_TYPES = (int, float, np.integer, np.floating)
_DATE_TYPES = (dt.date, pd.Timestamp, np.datetime64)


def _classify_floats(values: np.ndarray) -> tuple[Kind, bool]:
    finite = np.isfinite(values)
    if finite.all() and (np.floor(values) == values).all():
        return Kind.INTEGER, bool(((values == 0) | (values == 1)).all())
    return Kind.NUMERIC, False


def looks_like_dates(present: np.ndarray) -> bool:
    return date_text.all_dates(present) is not None


def missing_mask(values: np.ndarray) -> np.ndarray:
    kind = values.dtype.kind
    if kind == "f":
        return np.asarray(np.isnan(values), dtype=bool)
    if kind in "mM":
        return np.asarray(np.isnat(values), dtype=bool)
    if kind in "iub":
        return np.zeros(len(values), dtype=bool)
    return np.asarray(pd.isna(values), dtype=bool)


def classify(present: np.ndarray) -> tuple[Kind, bool]:
    """The kind of a chunk of non-missing values, and whether they are all 0/1."""
    kind = present.dtype.kind
    if kind == "b":
        return Kind.INTEGER, True
    if kind in "iu":
        return Kind.INTEGER, bool(((present == 0) | (present == 1)).all())
    if kind == "f":
        return _classify_floats(present.astype("float64"))
    if kind == "M":
        return Kind.DATE, False
    types = set(map(type, present))
    if types <= {str}:
        return (Kind.DATE if looks_like_dates(present) else Kind.STRING), False
    if all(issubclass(t, bool | np.bool_) for t in types):
        return Kind.INTEGER, True
    if all(issubclass(t, _NUMBER_TYPES) and not issubclass(t, bool) for t in types):
        return _classify_floats(present.astype("float64"))
    if all(issubclass(t, _DATE_TYPES) for t in types):
        return Kind.DATE, False
    return Kind.STRING, False


def sample_text(value: object) -> str:
    if isinstance(value, float | np.floating) and float(value).is_integer():
        return str(int(value))
    if isinstance(value, pd.Timestamp | dt.datetime) and value == value.replace(
        hour=0, minute=0, second=0, microsecond=0
    ):
        return value.strftime("%Y-%m-%d")
    return str(value)


def _text_kind(present: np.ndarray, shape: DateShape, marks: set[str],
               memo: date_text.DateMemo | None = None) -> tuple[Kind, bool]:
    """Kind of a chunk of text values, feeding the date shape or numeric-text marks."""
    dates = date_text.all_dates(present, memo)
    if dates is not None:
        shape.feed(*dates)
        return Kind.DATE, False
    found = numeric_text.detect(present)
    if found is not None:
        marks |= found[0]
        return Kind.NUMTEXT, found[1]
    return Kind.STRING, False


class ColumnProfiler:
    """Accumulates one column's evidence chunk by chunk."""

    def __init__(self, *, missing_before: int = 0) -> None:
        self.kind = Kind.EMPTY
        self.only_01 = True
        self.date_shape = DateShape()
        self.date_memo: date_text.DateMemo | None = None  # date texts of earlier chunks
        self.serial_shape = DateShape()  # the values read as dates coded as numbers
        self.serial_ok = True
        self.text_marks: set[str] = set()
        self.text_whole = True
        self.missing = missing_before
        self.distinct: set[object] | None = set()
        self.samples: list[str] = []
        self.numbers_only = True  # every chunk arrived as int or float values

    def feed(self, values: np.ndarray | pd.Series) -> None:
        array = values.to_numpy() if isinstance(values, pd.Series) else values
        self.numbers_only = self.numbers_only and array.dtype.kind in "iuf"
        if array.dtype.kind not in "biufmM":
            array = array.astype(object)
        mask = missing_mask(array)
        missing = int(mask.sum())
        self.missing += missing
        present = array[~mask] if missing else array
        if len(present) == 0:
            return
        kind, only_01 = self._classify(present)
        self.kind = merge(self.kind, kind)
        self.only_01 = self.only_01 and only_01
        if self.distinct is not None or len(self.samples) < SAMPLE_COUNT:
            self._remember(present)

    def _classify(self, present: np.ndarray) -> tuple[Kind, bool]:
        text = pd.api.types.infer_dtype(present, skipna=False) == "string"  # a C-level check
        if present.dtype.kind == "O" and text:
            if self.date_memo is None:
                self.date_memo = date_text.DateMemo()
            kind, whole = _text_kind(present, self.date_shape, self.text_marks,
                                     self.date_memo)
            self.text_whole = self.text_whole and (whole or kind is not Kind.NUMTEXT)
            return kind, False
        kind, only_01 = classify(present)
        if kind is Kind.INTEGER and self.serial_ok:
            stamps = numeric_dates.decoded(pd.Series(present))
            self.serial_ok = stamps is not None
            if stamps is not None:
                self.serial_shape.feed(stamps)
        if kind is Kind.DATE:
            self.date_shape.feed(pd.Series(present))
        if kind is Kind.NUMERIC:
            self.text_whole = False
        return kind, only_01

    @property
    def date_facts(self) -> DateFacts | None:
        return self.date_shape.facts() if self.kind is Kind.DATE else None

    @property
    def numeric_text(self) -> NumericText | None:
        if self.kind is not Kind.NUMTEXT:
            return None
        return NumericText(marks=tuple(sorted(self.text_marks)), integer=self.text_whole)

    def _remember(self, present: np.ndarray) -> None:
        uniques = pd.unique(present)
        if self.distinct is not None:
            self.distinct.update(uniques.tolist())
            if len(self.distinct) > DISTINCT_CAP:
                self.distinct = None
        for value in uniques[: SAMPLE_COUNT * 2]:
            text = sample_text(value)
            if len(self.samples) < SAMPLE_COUNT and text not in self.samples:
                self.samples.append(text)

    def column_type(self) -> ColumnType:
        if self.kind is Kind.INTEGER:
            return ColumnType.BINARY if self.only_01 else ColumnType.INTEGER
        mapping: dict[Kind, ColumnType] = {
            Kind.NUMERIC: ColumnType.NUMERIC,
            Kind.DATE: ColumnType.DATE,
            Kind.NUMTEXT: ColumnType.STRING,
            Kind.STRING: ColumnType.STRING,
            Kind.EMPTY: ColumnType.STRING,
        }
        return mapping[self.kind]

    def shape_facts(self) -> dict[str, Any]:
        """The ``ColumnFacts`` fields about data shapes: date facts and numbers as text."""
        return {"date": self.date_facts, "numeric_text": self.numeric_text}

    @property
    def distinct_count(self) -> int | None:
        return None if self.distinct is None else len(self.distinct)


def preview_cell(value: object, column_type: ColumnType) -> str | float | int | None:
    """A preview value typed by the column: ints for integer columns, floats, text otherwise."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
        return None
    if isinstance(value, str) and column_type in (ColumnType.STRING, ColumnType.DATE):
        return value
    converters: dict[ColumnType, Callable[[object], str | float | int]] = {
        ColumnType.INTEGER: _to_int,
        ColumnType.BINARY: _to_int,
        ColumnType.NUMERIC: _to_float,
    }
    converter = converters.get(column_type)
    if converter is not None:
        try:
            return converter(value)
        except (TypeError, ValueError):
            return sample_text(value)
    return sample_text(value)


def _to_int(value: object) -> int:
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, str) and value.strip().lstrip("+-").isdigit():
        return int(value)
    return int(float(value))  # type: ignore[arg-type]


def _to_float(value: object) -> float:
    return float(value)  # type: ignore[arg-type]
