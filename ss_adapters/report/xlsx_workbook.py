"""``tables.xlsx``: every results table on its own sheet, numbers as numbers.

Cell text comes from the data (labels, names, Stata's own text): a string that starts like a
formula (``=``, ``+``, ``-``, ``@``) is written as a string cell, so a workbook SS produces can
never evaluate a formula on the researcher's machine.
"""

from __future__ import annotations

import io
import re

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

from ss_core.reporting.model import Report
from ss_core.reporting.tables import as_number

_SHEET_UNSAFE = re.compile(r"[\[\]:*?/\\']")


def xlsx_bytes(report: Report) -> bytes:
    book = Workbook(write_only=True)
    about = book.create_sheet("about")
    for key, value in (("job_id", report.job_id), ("plan_id", report.plan_id),
                       ("run_id", report.run_id), ("template_id", report.method.template_id),
                       ("question", report.question),
                       ("generated_at", report.generated_at.isoformat())):
        about.append([_cell(about, key), _cell(about, value)])
    used: set[str] = {"about"}
    for table in report.tables:
        sheet = book.create_sheet(_sheet_name(table.name, used))
        sheet.append([_cell(sheet, c) for c in table.columns])
        for row in table.rows:
            sheet.append([_cell(sheet, c, numeric=True) for c in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _cell(sheet: object, text: str, *, numeric: bool = False) -> WriteOnlyCell:
    # ``sheet`` is the write-only worksheet the cell will be appended to (openpyxl keeps that
    # class private, so it is not named here).
    value = as_number(text) if numeric else None
    if value is not None:
        return WriteOnlyCell(sheet, value=value)
    cell = WriteOnlyCell(sheet, value="" if text.strip() == "." else text)
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return cell


def _sheet_name(file_name: str, used: set[str]) -> str:
    base = _SHEET_UNSAFE.sub("_", file_name.rsplit(".", 1)[0])[:28] or "table"
    name, n = base, 1
    while name.lower() in used:
        n += 1
        name = f"{base[:25]}_{n}"
    used.add(name.lower())
    return name
