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


def _text_dates(values: pd.Series, memo: date_text.DateMemo | None) -> pd.Series:
    """``date_text.parse`` of ``values``, each distinct text parsed once per column: the
    ``memo`` carries what earlier chunks (and the first pass) parsed."""
    return pd.Series(date_text.parse(values, memo)[0], index=values.index)


def _dates(values: pd.Series, unit: DateUnit | None = None,
           memo: date_text.DateMemo | None = None) -> pd.Series:
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
                   memo: date_text.DateMemo | None = None) -> pd.Series | StagedText:
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
        self.memo = date_text.DateMemo()  # date texts already parsed, both passes

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


def _spooled(converted: pd.Series | StagedText) -> np.ndarray:
    """A converted chunk column as an array to keep until the layout is known: strings at
    the chunk's own width (widened to the column's at the end, NUL padded as Stata's are)."""
    if isinstance(converted, StagedText):
        return converted.fixed(converted.width())
    return converted.to_numpy()


class _Widen:
    """A spooled string column: ``fixed(width)`` pads its bytes to the final width."""

    def __init__(self, array: np.ndarray) -> None:
        self.array = array

    def fixed(self, width: int) -> np.ndarray:
        return self.array.astype(f"S{max(width, 1)}")


def _unspooled(array: np.ndarray, variable: DtaVariable) -> pd.Series | _Widen:
    if variable.kind == "str":
        return _Widen(array)
    return pd.Series(array, copy=False)


def write_dta_chunks(frames: Callable[[], Iterator[pd.DataFrame]], schema: DatasetSchema,
                     destination: Path) -> None:
    """Write the chunks ``frames()`` yields (positional columns, schema order) as a .dta.

    One pass over the chunks converts each column once, learns its final type and width,
    and keeps the converted chunk in a spool file beside ``destination``; the rows are then
    written from the spool. Memory holds one chunk, whatever the dataset's size; the spool
    takes at most the size of the ``.dta`` on disk until the end."""
    layouts = [_Layout(col) for col in schema.columns]
    rows = chunks = 0
    spool_path = destination.with_name(destination.name + ".spool")
    try:
        with spool_path.open("w+b") as spool:
            for frame in frames():
                rows += len(frame)
                chunks += 1
                for index, layout in enumerate(layouts):
                    converted = convert_column(frame.iloc[:, index], layout.column.type,
                                               layout.unit, layout.memo)
                    layout.learn(converted)
                    np.save(spool, _spooled(converted), allow_pickle=True)  # our own file
            variables = [layout.variable() for layout in layouts]
            spool.seek(0)
            writer = DtaStreamWriter(destination, variables, rows)
            try:
                for _ in range(chunks):
                    writer.write([
                        layout.encode(_unspooled(np.load(spool, allow_pickle=True), variable),
                                      variable)
                        for layout, variable in zip(layouts, variables, strict=True)])
            finally:
                writer.close()
    finally:
        spool_path.unlink(missing_ok=True)
