"""Helpers for dataset tests: an inspector over the in-memory store, and file builders."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from ss_adapters.datasets.inspector import FileDatasetInspector
from ss_core.domain.dataset import DatasetFormat, DatasetPreview, InspectOptions
from tests.doubles.memory_object_store import MemoryObjectStore


class Harness:
    def __init__(self, scratch: Path) -> None:
        self.store = MemoryObjectStore()
        self.scratch = scratch
        self.inspector = FileDatasetInspector(self.store, scratch)

    async def inspect(
        self, data: bytes, fmt: DatasetFormat | str, **options: object
    ) -> DatasetPreview:
        key = f"uploads/{len(self.store.objects)}.{fmt}"
        await self.store.put_bytes(key, data, "application/octet-stream")
        return await self.inspector.inspect(
            key, fmt, InspectOptions(**options)  # type: ignore[arg-type]
        )


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    workbook = openpyxl.Workbook()
    first = True
    for title, rows in sheets.items():
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = title
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xls_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    import datetime as dt

    import xlwt

    workbook = xlwt.Workbook()
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for title, rows in sheets.items():
        sheet = workbook.add_sheet(title)
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                if isinstance(value, dt.date):
                    sheet.write(r, c, value, date_style)
                elif value is not None:
                    sheet.write(r, c, value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def encrypted_office_bytes() -> bytes:
    """An OLE compound file whose directory holds the streams of an encrypted OOXML package
    (the container Office writes for a password-protected .xlsx)."""
    header = bytearray(512)
    header[:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    header[0x1A:0x1C] = (0x3E).to_bytes(2, "little")
    header[0x1C:0x1E] = b"\xfe\xff"
    header[0x1E:0x20] = (9).to_bytes(2, "little")

    def entry(name: str) -> bytes:
        raw = name.encode("utf-16-le") + b"\x00\x00"
        return raw.ljust(64, b"\x00") + len(raw).to_bytes(2, "little") + bytes(62)

    directory = entry("Root Entry") + entry("EncryptionInfo") + entry("EncryptedPackage")
    return bytes(header) + directory.ljust(512, b"\x00") + bytes(1024)
