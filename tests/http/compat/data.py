"""Datasets the compatibility journeys upload (a Chinese header, a panel, a two-sheet book)."""

from __future__ import annotations

import io

import openpyxl

WAGES = ("工资,educ,firm,exper\n10.5,12,1,3\n12.0,16,2,5\n9.0,10,1,1\n14.2,18,3,9\n"
         "11.1,14,2,4\n13.3,16,3,7\n").encode()
PANEL = ("id,year,y,x,treat,region\n" + "".join(
    f"{i},{t},{1.5 * i + 0.3 * t},{i * t % 7},{int(i % 2 == 0 and t > 2002)},{i % 3}\n"
    for i in range(1, 7) for t in range(2000, 2006))).encode()
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def two_sheet_book() -> bytes:
    """A first sheet of notes (what a default preview shows) and the data on the second."""
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "说明"
    notes.append(["本表为说明"])
    notes.append(["数据见第二张表"])
    data = book.create_sheet("数据")
    data.append(["工资", "educ", "firm", "exper"])
    for row in ([10.5, 12, 1, 3], [12.0, 16, 2, 5], [9.0, 10, 1, 1], [14.2, 18, 3, 9],
                [11.1, 14, 2, 4], [13.3, 16, 3, 7]):
        data.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
