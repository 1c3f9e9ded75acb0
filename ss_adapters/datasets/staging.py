"""Write a dataset as a Stata ``.dta`` (format 118) with normalised names, in chunks.

Each column is converted to the type its profile found: integers to ``long`` (``double``
when they hold missing values or exceed ``long``), numbers to ``double``, dates to Stata
dates (``%td``, or ``%tc`` when a time of day is present; text dates in any form
``date_text`` reads; a ``.dta`` period variable such as ``%tm`` keeps its values and format),
everything else to ``str``.
The original column name (or the file's own variable label) becomes the variable label,
cut to Stata's 80 characters; ``.dta`` value labels are kept.

Data never becomes code: every variable label, value label and string value passes through
``inert`` (quotes, backtick, ``$``, backslash and control characters replaced by look-alikes),
so no text of the user's can leave a Stata string or start a macro expansion in any template.

Per chunk, that work runs once per distinct value (dates parsed, strings made inert, encoded
and cut), then maps back to the cells with numpy: columns repeat their values, and per-cell
Python was what made staging slow.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import msgspec
import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from ss_adapters.datasets import date_text, numeric_dates
from ss_adapters.datasets.dta_stream import DtaStreamWriter, DtaVariable
from ss_core.domain.dataset import Column, ColumnType, DatasetSchema, DateUnit
from ss_core.domain.inert_text import inert

LABEL_MAX = 80
STRING_MAX_BYTES = 2045
PERIOD_UNITS = ("tw", "tm", "tq", "th", "ty")  # staged as the numbers they are, format kept
_INT32_MAX = 2**31 - 1 - 27  # Stata reserves the top of long for missing values


def stage_text(value: object) -> bytes:
    """One cell as the UTF-8 Stata stores: inert, cut to ``STRING_MAX_BYTES`` on a
    character boundary."""
    encoded = inert(value if isinstance(value, str) else str(value)).encode("utf-8")
    if len(encoded) > STRING_MAX_BYTES:
        encoded = encoded[:STRING_MAX_BYTES].decode("utf-8", errors="ignore").encode("utf-8")
    return encoded


class StagedText(msgspec.Struct, frozen=True):
    """A string column as codes into its distinct staged values (code -1 is missing):
    ``inert`` and the encoding run once per distinct value, not once per cell."""

    codes: np.ndarray
    distinct: list[bytes]

    def width(self) -> int:
        return max((len(v) for v in self.distinct), default=0)

    def fixed(self, width: int) -> np.ndarray:
        table = np.array([*self.distinct, b""], dtype=f"S{max(width, 1)}")
        return np.asarray(table[self.codes])  # code -1 takes the trailing b"" (missing)


def _strings(values: pd.Series) -> StagedText:
    objects = values.astype(object)
    if infer_dtype(objects, skipna=True) not in ("string", "empty"):
        # 1, 1.0 and True are equal keys: make each cell's own text before grouping
        objects = objects.map(lambda v: v if isinstance(v, str) or pd.isna(v) else str(v))
    codes, distinct = pd.factorize(objects)
    return StagedText(codes, stage_texts(list(distinct)))


_JOIN = "\ue000"  # a private-use character: inert keeps it, UTF-8 never forms it by accident


def stage_texts(values: list[str]) -> list[bytes]:
    """``stage_text`` of each value, in one ``inert`` and one encoding over the joined values
    (``inert`` maps character by character, so joining changes nothing)."""
    if not values:
        return []
    joined = _JOIN.join(values)
    if joined.count(_JOIN) != len(values) - 1:  # a value holds the joining character itself
        return [stage_text(v) for v in values]
    parts = inert(joined).encode("utf-8").split(_JOIN.encode("utf-8"))
    return [p if len(p) <= STRING_MAX_BYTES else
            p[:STRING_MAX_BYTES].decode("utf-8", errors="ignore").encode("utf-8") for p in parts]


def _integers(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.isna().any() or numbers.abs().max() > _INT32_MAX:
        return numbers.astype("float64")
    return numbers.astype("int32")


DATE_MEMO_MAX = 200_000  # distinct date texts remembered per column (a few MB at most)


def _text_dates(values: pd.Series, memo: dict[str, np.datetime64] | None) -> pd.Series:
    """``date_text.parse`` of ``values``, each distinct text parsed once per column: the
    ``memo`` carries what earlier chunks (and the first pass) parsed, up to ``DATE_MEMO_MAX``."""
    objects = values.astype(object)
    if memo is None or infer_dtype(objects, skipna=True) != "string":
        return pd.Series(date_text.parse(values)[0], index=values.index)
    codes, distinct = pd.factorize(objects)
    stamps = np.empty(len(distinct), dtype="datetime64[ns]")
    unknown = []
    for i, text in enumerate(distinct):
        known = memo.get(text)
        if known is None:
            unknown.append(i)
        else:
            stamps[i] = known
    if unknown:
        texts = distinct[unknown]
        parsed = date_text.parse(pd.Series(texts, dtype=object))[0].to_numpy("datetime64[ns]")
        stamps[unknown] = parsed
        if len(memo) < DATE_MEMO_MAX:
            memo.update(zip(texts, parsed, strict=True))
    out = stamps[codes]
    out[codes < 0] = np.datetime64("NaT")
    return pd.Series(out, index=values.index, dtype="datetime64[ns]")


def _dates(values: pd.Series, unit: DateUnit | None = None,
           memo: dict[str, np.datetime64] | None = None) -> pd.Series:
    if unit is not None and unit.value in PERIOD_UNITS:
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values
    else:
        stamps = _text_dates(values, memo)
        unread = stamps.isna() & values.notna()
        if unread.any():  # dates coded as numbers (a date column never holds other numbers)
            numbers = pd.to_numeric(values[unread], errors="coerce")
            serial = unread.copy()
            serial[unread] = numbers.notna().to_numpy()
            if serial.any():
                coded = numeric_dates.to_stamps(numbers[numbers.notna()])
                stamps[serial] = coded.to_numpy()
            unread = stamps.isna() & values.notna()
        if unread.any():  # date cells of a spreadsheet, date objects of a .dta
            others = unread.copy()
            others[unread] = values[unread].map(lambda v: not isinstance(v, str)).astype(bool)
            if others.any():
                stamps[others] = pd.to_datetime(values[others], errors="coerce")
    return stamps


def convert_column(values: pd.Series, column_type: ColumnType, unit: DateUnit | None = None,
                   memo: dict[str, np.datetime64] | None = None) -> pd.Series | StagedText:
    if column_type in (ColumnType.INTEGER, ColumnType.BINARY):
        return _integers(values)
    if column_type is ColumnType.NUMERIC:
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if column_type is ColumnType.DATE:
        return _dates(values, unit, memo)
    return _strings(values)


def _numeric_keys(labels: dict[str, str]) -> dict[int | float, str]:
    out: dict[int | float, str] = {}
    for key, label in labels.items():
        try:
            number = float(key)
        except ValueError:
            continue
        out[int(number) if number.is_integer() else number] = inert(label)[:LABEL_MAX]
    return out


_EPOCH = pd.Timestamp("1960-01-01")
_MS_PER_DAY = 86_400_000


class _Layout:
    """What the first pass over the chunks learns about one column's final Stata type."""

    def __init__(self, column: Column) -> None:
        self.column = column
        self.unit = column.date.unit if column.date else None
        self.needs_double = column.type is ColumnType.NUMERIC
        self.has_time = False
        self.width = 1
        self.memo: dict[str, np.datetime64] = {}  # date texts already parsed, both passes

    def learn(self, converted: pd.Series) -> None:
        kind = self.column.type
        if kind in (ColumnType.INTEGER, ColumnType.BINARY):
            self.needs_double |= converted.dtype != "int32"
        elif kind is ColumnType.DATE and pd.api.types.is_datetime64_any_dtype(converted):
            present = converted.dropna()
            self.has_time |= bool((present != present.dt.normalize()).any())
        elif isinstance(converted, StagedText):
            self.width = max(self.width, converted.width())

    def variable(self) -> DtaVariable:
        col, kind = self.column, self.column.type
        label = inert(col.label or col.original_name or col.name)[:LABEL_MAX]
        labels = {int(k): v for k, v in _numeric_keys(col.value_labels).items()
                  if float(k).is_integer()} if col.value_labels and kind.is_numeric else {}
        if kind is ColumnType.DATE:
            period = self.unit is not None and self.unit.value in PERIOD_UNITS
            shown = f"%{self.unit.value}" if period and self.unit else (
                "%tc" if self.has_time else "%td")
            return DtaVariable(name=col.name, label=label, kind="double", display_format=shown,
                               value_labels=labels)
        if kind.is_numeric:
            double = self.needs_double
            return DtaVariable(name=col.name, label=label, kind="double" if double else "long",
                               display_format="%10.0g" if double else "%12.0g",
                               value_labels=labels)
        return DtaVariable(name=col.name, label=label, kind="str", width=self.width,
                           display_format=f"%{self.width}s")

    def encode(self, converted: pd.Series, variable: DtaVariable) -> Any:
        kind = self.column.type
        if kind is ColumnType.DATE and variable.display_format in ("%td", "%tc"):
            stamps = pd.to_datetime(converted, errors="coerce")
            since = (stamps - _EPOCH) / pd.Timedelta(milliseconds=1)
            values = since if variable.display_format == "%tc" else since / _MS_PER_DAY
            return pd.to_numeric(values, errors="coerce").to_numpy("float64", na_value=np.nan)
        if variable.kind == "double":
            return pd.to_numeric(converted, errors="coerce").to_numpy("float64", na_value=np.nan)
        if variable.kind == "long":
            return converted.astype("int32").to_numpy()
        return converted.fixed(variable.width)


def write_dta_chunks(frames: Callable[[], Iterator[pd.DataFrame]], schema: DatasetSchema,
                     destination: Path) -> None:
    """Write the chunks ``frames()`` yields (positional columns, schema order) as a .dta:
    one pass learns each column's final type and width, a second writes the rows. Memory
    holds one chunk, whatever the dataset's size."""
    layouts = [_Layout(col) for col in schema.columns]
    rows = 0
    for frame in frames():
        rows += len(frame)
        for index, layout in enumerate(layouts):
            layout.learn(convert_column(frame.iloc[:, index], layout.column.type, layout.unit,
                                        layout.memo))
    variables = [layout.variable() for layout in layouts]
    writer = DtaStreamWriter(destination, variables, rows)
    try:
        for frame in frames():
            writer.write([
                layout.encode(convert_column(frame.iloc[:, index], layout.column.type,
                                             layout.unit, layout.memo), variable)
                for index, (layout, variable) in enumerate(zip(layouts, variables, strict=True))])
    finally:
        writer.close()
