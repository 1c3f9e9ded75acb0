"""Excel 97-2003 ``.xls`` workbooks through xlrd (at most 65,536 rows per sheet)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import xlrd

from ss_adapters.datasets.content_sniffing import OLE_MAGIC, describe
from ss_adapters.datasets.excel_reader import choose_sheet
from ss_adapters.datasets.input_errors import parse_failed
from ss_adapters.datasets.row_tables import RowTableBuilder, RowTableReader
from ss_adapters.datasets.table import TableRead
from ss_core.domain.dataset import InspectOptions


def _cells(sheet: xlrd.sheet.Sheet, datemode: int) -> Iterator[list[object]]:
    for index in range(sheet.nrows):
        row: list[object] = []
        for cell in sheet.row(index):
            if cell.ctype == xlrd.XL_CELL_DATE:
                try:
                    row.append(xlrd.xldate.xldate_as_datetime(cell.value, datemode))
                except (xlrd.xldate.XLDateError, ValueError, OverflowError):
                    row.append(None)
            elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                row.append(None)
            elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                row.append(int(cell.value))
            else:
                row.append(cell.value)
        yield row


class XlsReader(RowTableReader):
    def _read(
        self, path: Path, options: InspectOptions, keep_rows: bool
    ) -> tuple[TableRead, RowTableBuilder]:
        with path.open("rb") as handle:
            head = handle.read(1 << 20)
        if not head.startswith(OLE_MAGIC):
            what, _ = describe(head)
            raise parse_failed(f"the file is named .xls but looks like {what}", looks_like=what)
        try:
            book = xlrd.open_workbook(path, on_demand=True)
        except (xlrd.XLRDError, xlrd.compdoc.CompDocError, ValueError, IndexError,
                AssertionError, EOFError, KeyError) as exc:
            detail = str(exc) if isinstance(exc, xlrd.XLRDError) else type(exc).__name__
            raise parse_failed(
                "the .xls workbook is damaged, encrypted or not an Excel 97-2003 file "
                f"({detail})"
            ) from exc
        try:
            sheets = tuple(book.sheet_names())
            selected = choose_sheet(sheets, options.sheet_name)
            sheet = book.sheet_by_name(selected)
            self.limits.check(sheet.nrows, sheet.ncols, f"sheet {selected!r}")
            builder = RowTableBuilder(options.preview_rows, keep_rows=keep_rows,
                                      limits=self.limits)
            table = builder.build(
                _cells(sheet, book.datemode), sheet_names=sheets, selected_sheet=selected
            )
        finally:
            book.release_resources()
        return table, builder
