"""Result tables read from a run's CSV outputs (``ss_results.csv`` and declared tables).

Cells stay the text Stata wrote: the report shows them at a fixed precision and the grounding
check compares an interpretation's numbers with these exact cells. Reading is bounded (rows,
columns and cell length) so a huge output cannot make the report unbounded.
"""

from __future__ import annotations

import csv
import io
import math

import msgspec

RESULTS_FILE = "ss_results.csv"
MAX_ROWS = 200
MAX_COLUMNS = 40
MAX_CELL_CHARS = 200
SHOWN_DECIMALS = 4


class ResultTable(msgspec.Struct, frozen=True, kw_only=True):
    """One CSV output: ``rows[i][j]`` is the cell of data row ``i + 1``, column ``columns[j]``."""

    name: str
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    truncated: bool = False

    def cell(self, row: int, column: str) -> str | None:
        """The raw cell at 1-based data ``row`` and ``column`` name, or None."""
        if column not in self.columns or not 1 <= row <= len(self.rows):
            return None
        values = self.rows[row - 1]
        index = self.columns.index(column)
        return values[index] if index < len(values) else None


def read_table(name: str, data: bytes, caption: str = "") -> ResultTable:
    """Parse a CSV output (UTF-8, BOM tolerated) into a bounded table."""
    text = data.decode("utf-8-sig", errors="replace")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    columns = tuple(c.strip()[:MAX_CELL_CHARS] for c in header[:MAX_COLUMNS])
    rows: list[tuple[str, ...]] = []
    truncated = len(header) > MAX_COLUMNS
    for record in reader:
        if not any(cell.strip() for cell in record):
            continue
        if len(rows) == MAX_ROWS:
            truncated = True
            break
        rows.append(tuple(c.strip()[:MAX_CELL_CHARS] for c in record[:MAX_COLUMNS]))
    return ResultTable(name=name, caption=caption or name, columns=columns, rows=tuple(rows),
                       truncated=truncated)


def as_number(cell: str | None) -> float | None:
    """The cell as a finite number, or None (Stata writes missing as ``.`` or empty)."""
    if cell is None:
        return None
    try:
        value = float(cell.replace(",", ""))
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def shown(cell: str) -> str:
    """How the report shows a cell: numbers at ``SHOWN_DECIMALS`` decimals (whole numbers such
    as N without decimals), anything else as written."""
    value = as_number(cell)
    if value is None:
        return "" if cell.strip() in (".", "") else cell
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:.{SHOWN_DECIMALS}f}"
