"""``.xlsx`` workbooks through openpyxl's read-only (streaming) mode."""

from __future__ import annotations

import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any
from xml.etree.ElementTree import ParseError

import openpyxl

from ss_adapters.datasets.content_sniffing import OLE_MAGIC, describe
from ss_adapters.datasets.input_errors import parse_failed, sheet_not_found
from ss_adapters.datasets.read_limits import ReadLimits
from ss_adapters.datasets.row_tables import RowTableBuilder, RowTableReader
from ss_adapters.datasets.table import TableRead
from ss_adapters.datasets.zip_guard import ZipLimits, check_zip
from ss_core.domain.dataset import InspectOptions

EXCEL_MAX_ROWS = 1_048_576
EXCEL_MAX_COLUMNS = 16_384
_READ_FAILURES = (KeyError, ValueError, TypeError, IndexError, EOFError, OSError, ParseError,
                  zipfile.BadZipFile)


def choose_sheet(available: Sequence[str], wanted: str | None) -> str:
    if not available:
        raise parse_failed("the workbook has no sheets")
    if wanted is None:
        return available[0]
    if wanted not in available:
        raise sheet_not_found(wanted, list(available))
    return wanted


def _check_container(path: Path, limits: ZipLimits) -> None:
    with path.open("rb") as handle:
        head = handle.read(1 << 20)
    if head.startswith(OLE_MAGIC):
        what, _ = describe(head)
        if "password" in what:
            raise parse_failed(
                "the workbook is password-protected; remove the password in Excel "
                "(File > Info > Protect Workbook) and upload it again",
                looks_like=what,
            )
        raise parse_failed(
            f"the file is named .xlsx but looks like {what}; save it as .xlsx or upload "
            "it with the .xls extension",
            looks_like=what,
        )
    if not head.startswith(b"PK"):
        what, _ = describe(head)
        raise parse_failed(f"the file is named .xlsx but looks like {what}", looks_like=what)
    check_zip(path, limits)


def _check_extent(sheet: Any, title: str, limits: ReadLimits) -> None:
    """Refuse a sheet whose declared extent is beyond Excel's grid or the cell budget: the
    streaming reader pads every row (and every gap) to the declared width. A sheet without a
    declared extent is bounded while it streams (``RowTableBuilder``)."""
    rows, columns = sheet.max_row or 0, sheet.max_column or 0
    if rows > EXCEL_MAX_ROWS or columns > EXCEL_MAX_COLUMNS:
        raise parse_failed(
            f"sheet {title!r} declares {rows} rows x {columns} columns, beyond Excel's own "
            "grid; delete unused rows/columns or export it as CSV", rows=rows, columns=columns)
    limits.check(rows, columns, f"sheet {title!r}")


class XlsxReader(RowTableReader):
    def __init__(self, limits: ZipLimits | None = None,
                 read_limits: ReadLimits | None = None) -> None:
        super().__init__(read_limits)
        self.zip_limits = limits or ZipLimits()

    def _read(
        self, path: Path, options: InspectOptions, keep_rows: bool
    ) -> tuple[TableRead, RowTableBuilder]:
        _check_container(path, self.zip_limits)
        try:
            workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except _READ_FAILURES as exc:
            raise parse_failed(
                f"the workbook could not be opened ({type(exc).__name__}); it may be damaged"
            ) from exc
        try:
            sheets = tuple(workbook.sheetnames)
            selected = choose_sheet(sheets, options.sheet_name)
            builder = RowTableBuilder(options.preview_rows, keep_rows=keep_rows,
                                      limits=self.limits)
            sheet = workbook[selected]
            _check_extent(sheet, selected, self.limits)
            rows = sheet.iter_rows(values_only=True)
            try:
                table = builder.build(rows, sheet_names=sheets, selected_sheet=selected)
            except _READ_FAILURES as exc:
                raise parse_failed(
                    f"sheet {selected!r} could not be read ({type(exc).__name__}); "
                    "the workbook may be damaged or truncated"
                ) from exc
        finally:
            workbook.close()
        return table, builder
