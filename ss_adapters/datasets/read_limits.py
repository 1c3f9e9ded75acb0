"""The hard bounds every dataset reader honours, checked before or while reading, never after.

A table may hold at most ``max_cells`` cells (rows x columns) and ``max_columns`` columns;
readers stream it in chunks of about ``chunk_cells`` cells, so memory depends on this budget,
not on the file. What a file declares about itself (a ``.dta`` header's observation count, a
sheet's dimension) is checked against these bounds and against the file's own size before
anything is allocated from it.
"""

from __future__ import annotations

import msgspec

from ss_adapters.datasets.input_errors import parse_failed
from ss_core.errors import InputError

STATA_MAX_VARIABLES = 32_767  # the most variables any Stata edition's .dta can hold


class ReadLimits(msgspec.Struct, frozen=True, kw_only=True):
    max_cells: int = 500_000_000
    max_columns: int = STATA_MAX_VARIABLES
    chunk_cells: int = 2_000_000
    stage_chunk_cells: int = 250_000  # staging converts each cell twice: smaller chunks

    def chunk_rows(self, width: int, ceiling: int = 100_000) -> int:
        """Rows per chunk for a table ``width`` columns wide."""
        return max(1, min(ceiling, self.chunk_cells // max(width, 1)))

    def stage_rows(self, width: int) -> int:
        """Rows per chunk when staging a table ``width`` columns wide for Stata."""
        return max(1, min(100_000, self.stage_chunk_cells // max(width, 1)))

    def check(self, rows: int, columns: int, what: str) -> None:
        """Refuse a table whose (declared or counted) extent is beyond the bounds."""
        if columns > self.max_columns:
            raise too_big(f"{what} has {columns} columns; Stata and SS take at most "
                          f"{self.max_columns}", columns=columns, max_columns=self.max_columns)
        if rows * columns > self.max_cells:
            raise too_big(f"{what} has {rows} rows x {columns} columns, more than the "
                          f"{self.max_cells} cells SS reads", rows=rows, columns=columns,
                          max_cells=self.max_cells)


def too_big(reason: str, **context: object) -> InputError:
    return parse_failed(reason, fix="keep only the rows and columns the analysis needs and "
                                    "upload again, or ask the operator about "
                                    "SS_MAX_DATASET_CELLS", **context)
