"""Write a dataset as a Stata ``.dta`` (format 118) with normalised names.

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
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pyreadstat

from ss_adapters.datasets import date_text, numeric_dates
from ss_adapters.datasets.input_errors import parse_failed
from ss_core.domain.dataset import ColumnType, DatasetSchema, DateUnit
from ss_core.domain.inert_text import inert

LABEL_MAX = 80
STRING_MAX_BYTES = 2045
DTA_VERSION = 14  # pyreadstat's name for the Stata 14+ format, release 118
PERIOD_UNITS = ("tw", "tm", "tq", "th", "ty")  # staged as the numbers they are, format kept
_INT32_MAX = 2**31 - 1 - 27  # Stata reserves the top of long for missing values


def _strings(values: pd.Series) -> pd.Series:
    def text(value: object) -> str | None:
        if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NaT:
            return None
        out = inert(value if isinstance(value, str) else str(value))
        encoded = out.encode("utf-8")
        if len(encoded) > STRING_MAX_BYTES:
            out = encoded[:STRING_MAX_BYTES].decode("utf-8", errors="ignore")
        return out

    return pd.Series([text(v) for v in values], dtype=object, index=values.index)


def _integers(values: pd.Series) -> pd.Series:
    numbers = pd.to_numeric(values, errors="coerce")
    if numbers.isna().any() or numbers.abs().max() > _INT32_MAX:
        return numbers.astype("float64")
    return numbers.astype("int32")


def _dates(values: pd.Series, unit: DateUnit | None = None) -> pd.Series:
    if unit is not None and unit.value in PERIOD_UNITS:
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if pd.api.types.is_datetime64_any_dtype(values):
        stamps = values
    else:
        stamps = pd.Series(date_text.parse(values)[0], index=values.index)
        numbers = pd.to_numeric(values, errors="coerce")
        serial = stamps.isna() & numbers.notna()
        if serial.any():  # dates coded as numbers (a date column never holds other numbers)
            stamps[serial] = numeric_dates.to_stamps(numbers[serial])
        others = stamps.isna() & values.map(lambda v: not isinstance(v, str) and v is not None)
        if others.any():  # date cells of a spreadsheet, date objects of a .dta
            stamps[others] = pd.to_datetime(values[others], errors="coerce")
    present = stamps.dropna()
    if (present == present.dt.normalize()).all():
        return pd.Series(
            [None if pd.isna(v) else v.date() for v in stamps], dtype=object, index=values.index
        )
    return stamps


def convert_column(values: pd.Series, column_type: ColumnType,
                   unit: DateUnit | None = None) -> pd.Series:
    if column_type in (ColumnType.INTEGER, ColumnType.BINARY):
        return _integers(values)
    if column_type is ColumnType.NUMERIC:
        return pd.to_numeric(values, errors="coerce").astype("float64")
    if column_type is ColumnType.DATE:
        return _dates(values, unit)
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


def write_dta(frame: pd.DataFrame, schema: DatasetSchema, destination: Path) -> None:
    """Write ``frame`` (positional columns, in schema order) to ``destination``."""
    converted = pd.DataFrame(
        {
            col.name: convert_column(frame.iloc[:, index], col.type,
                                     col.date.unit if col.date else None)
            for index, col in enumerate(schema.columns)
        }
    )
    labels: list[str | None] = [
        inert(col.label or col.original_name or col.name)[:LABEL_MAX] for col in schema.columns
    ]
    value_labels = {
        col.name: _numeric_keys(col.value_labels)
        for col in schema.columns
        if col.value_labels and col.type.is_numeric
    }
    try:
        pyreadstat.write_dta(
            converted,
            str(destination),
            column_labels=labels,
            version=DTA_VERSION,
            variable_value_labels=value_labels or None,
            variable_format={col.name: f"%{col.date.unit.value}" for col in schema.columns
                             if col.date and col.date.unit.value in PERIOD_UNITS} or None,
        )
    except (pyreadstat.ReadstatError, pyreadstat.PyreadstatError, ValueError) as exc:
        raise parse_failed(f"the data could not be written as a Stata file ({exc})") from exc
