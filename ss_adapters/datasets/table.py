"""What a reader learnt about one table before names are normalised."""

from __future__ import annotations

import msgspec

from ss_core.domain.dataset import ColumnType, DateFacts, NumericText

PreviewCell = str | float | int | None


class ColumnFacts(msgspec.Struct, frozen=True, kw_only=True):
    original_name: str
    type: ColumnType
    label: str = ""
    missing_count: int = 0
    distinct_count: int | None = None
    sample_values: tuple[str, ...] = ()
    value_labels: dict[str, str] = msgspec.field(default_factory=dict)
    date: DateFacts | None = None
    numeric_text: NumericText | None = None
    constant_within: tuple[int, ...] | None = None  # positions of ``TableRead.nesting_units``


class TableRead(msgspec.Struct, frozen=True, kw_only=True):
    """Columns (in file order) with their facts, the row count and the first rows."""

    columns: tuple[ColumnFacts, ...]
    row_count: int
    preview_rows: tuple[tuple[PreviewCell, ...], ...]
    sheet_names: tuple[str, ...] = ()
    selected_sheet: str | None = None
    header_row: int = 1
    encoding: str | None = None
    delimiter: str | None = None
    nesting_units: tuple[int, ...] = ()  # positions of the id-like columns nesting was checked in
    number_columns: tuple[int, ...] = ()
    """Positions of the columns whose every cell the CSV parser read as a number or missing
    (no text, no true/false): staging reads them as doubles, not as text to convert."""
