"""Read a dataset file's header and a sample of rows into a ``DatasetSchema`` (for the CLI).

Operator tooling only: CSV through pandas, ``.dta`` through pyreadstat; column names are
normalised with the same rule as uploads, and types are inferred from the sampled values.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyreadstat

from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.domain.naming import normalize_names
from ss_core.errors import InputError

SAMPLE_ROWS = 2000


def infer_type(series: pd.Series) -> ColumnType:
    if pd.api.types.is_datetime64_any_dtype(series):
        return ColumnType.DATE
    if pd.api.types.is_bool_dtype(series):
        return ColumnType.BINARY
    if not pd.api.types.is_numeric_dtype(series):
        numeric = pd.to_numeric(series.dropna(), errors="coerce")
        if numeric.isna().any() or numeric.empty:
            return ColumnType.STRING
        series = numeric
    values = series.dropna()
    if not values.empty and values.isin([0, 1]).all():
        return ColumnType.BINARY
    if not values.empty and (values == values.round()).all():
        return ColumnType.INTEGER
    return ColumnType.NUMERIC


def read_frame(path: Path, rows: int = SAMPLE_ROWS) -> tuple[pd.DataFrame, int]:
    """A sample of rows and the row count (exact for .dta, of the sample for CSV)."""
    suffix = path.suffix.lower()
    if suffix == ".dta":
        frame, meta = pyreadstat.read_dta(str(path), row_limit=rows)
        return frame, int(meta.number_rows or len(frame))
    if suffix == ".csv":
        frame = pd.read_csv(path, nrows=rows)
        return frame, len(frame)
    raise InputError(f"unsupported dataset file {path.name!r}: use .csv or .dta",
                     code="INPUT_UNSUPPORTED_FORMAT", file=path.name)


def schema_of(path: Path) -> DatasetSchema:
    frame, row_count = read_frame(path)
    originals = [str(c) for c in frame.columns]
    names = normalize_names(originals)
    columns = tuple(
        Column(name=name, original_name=original, type=infer_type(frame[original]),
               missing_count=int(frame[original].isna().sum()))
        for name, original in zip(names, originals, strict=True)
    )
    return DatasetSchema(columns=columns, row_count=row_count)
