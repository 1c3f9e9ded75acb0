"""Excel inspection: sheets, selection, types, dates, .xls, and hostile workbooks."""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import pytest

from ss_core.domain.dataset import ColumnType
from ss_core.errors import SSError
from tests.adapters.dataset_files import Harness, encrypted_office_bytes, xls_bytes, xlsx_bytes


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness(tmp_path / "scratch")


SHEETS = {
    "说明": [["备注"], ["This workbook has data on the second sheet"]],
    "data": [
        ["id", "treated", "income", "when", "city"],
        [1, 1, 1000.5, dt.datetime(2020, 1, 31), "北京"],
        [2, 0, 2000.0, dt.datetime(2021, 6, 1), "上海"],
        [3, 1, None, dt.datetime(2022, 12, 24), None],
    ],
}


async def test_sheet_list_defaults_to_the_first_sheet(harness: Harness) -> None:
    preview = await harness.inspect(xlsx_bytes(SHEETS), "xlsx")
    assert preview.sheet_names == ("说明", "data")
    assert preview.selected_sheet == "说明"
    assert [c.original_name for c in preview.schema.columns] == ["备注"]


async def test_selected_sheet_is_profiled(harness: Harness) -> None:
    preview = await harness.inspect(xlsx_bytes(SHEETS), "xlsx", sheet_name="data")
    assert preview.selected_sheet == "data"
    types = {c.name: c.type for c in preview.schema.columns}
    assert types == {
        "id": ColumnType.INTEGER,
        "treated": ColumnType.BINARY,
        "income": ColumnType.NUMERIC,
        "when": ColumnType.DATE,
        "city": ColumnType.STRING,
    }
    assert preview.schema.row_count == 3
    assert preview.schema.column("income").missing_count == 1  # type: ignore[union-attr]
    assert preview.sample_rows[0]["when"] == "2020-01-31"
    assert preview.sample_rows[0]["id"] == 1


async def test_unknown_sheet_names_the_available_ones(harness: Harness) -> None:
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(xlsx_bytes(SHEETS), "xlsx", sheet_name="Sheet9")
    assert excinfo.value.error_code == "INPUT_SHEET_NOT_FOUND"
    assert excinfo.value.context["available_sheets"] == ["说明", "data"]


async def test_leading_blank_rows_and_trailing_empty_cells(harness: Harness) -> None:
    rows: list[list[object]] = [[], [None, None], ["a", "b", None], [1, "x"], [2, "y", None]]
    preview = await harness.inspect(xlsx_bytes({"s": rows}), "xlsx")
    assert preview.header_row == 3
    assert preview.schema.names == ("a", "b")
    assert preview.schema.row_count == 2


async def test_header_only_sheet_is_empty(harness: Harness) -> None:
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(xlsx_bytes({"s": [["a", "b"]]}), "xlsx")
    assert excinfo.value.error_code == "INPUT_EMPTY"


async def test_xls_workbook_is_read_with_dates(harness: Harness) -> None:
    data = xls_bytes(
        {"first": [["x"], [1]], "panel": [["id", "day"], [1, dt.date(2020, 3, 1)], [2, None]]}
    )
    preview = await harness.inspect(data, "xls", sheet_name="panel")
    assert preview.sheet_names == ("first", "panel")
    assert [c.type for c in preview.schema.columns] == [ColumnType.INTEGER, ColumnType.DATE]
    assert preview.sample_rows[0] == {"id": 1, "day": "2020-03-01"}


def zip_bomb_xlsx() -> bytes:
    base = zipfile.ZipFile(io.BytesIO(xlsx_bytes({"s": [["a"], [1]]})))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in base.infolist():
            out.writestr(info.filename, base.read(info.filename))
        out.writestr("xl/media/padding.bin", b"\0" * (300 * 1024 * 1024))
    return buffer.getvalue()


async def test_zip_bomb_workbook_is_refused_before_decompression(harness: Harness) -> None:
    data = zip_bomb_xlsx()
    assert len(data) < 2 * 1024 * 1024
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(data, "xlsx")
    assert excinfo.value.error_code == "INPUT_PARSE_FAILED"
    assert "zip bomb" in excinfo.value.context["reason"]


async def test_password_protected_workbook_says_so(harness: Harness) -> None:
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(encrypted_office_bytes(), "xlsx")
    assert excinfo.value.error_code == "INPUT_PARSE_FAILED"
    assert "password-protected" in excinfo.value.context["reason"]


async def test_truncated_workbook_is_a_parse_failure(harness: Harness) -> None:
    data = xlsx_bytes(SHEETS)
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(data[: len(data) // 2], "xlsx")
    assert excinfo.value.error_code == "INPUT_PARSE_FAILED"
    assert "damaged or truncated" in excinfo.value.context["reason"]


async def test_workbook_named_csv_says_what_it_is(harness: Harness) -> None:
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(xlsx_bytes(SHEETS), "csv")
    assert excinfo.value.error_code == "INPUT_PARSE_FAILED"
    assert "Excel workbook (.xlsx)" in excinfo.value.context["looks_like"]


async def test_csv_named_xlsx_says_what_it_is(harness: Harness) -> None:
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(b"a,b\n1,2\n", "xlsx")
    assert excinfo.value.error_code == "INPUT_PARSE_FAILED"
    assert excinfo.value.context["looks_like"].startswith("text (such as CSV)")


async def test_xlsx_named_xls_says_what_it_is(harness: Harness) -> None:
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(xlsx_bytes(SHEETS), "xls")
    assert excinfo.value.error_code == "INPUT_PARSE_FAILED"
    assert "xlsx" in excinfo.value.context["looks_like"]


async def test_zip_limits_bound_members_and_total_size(tmp_path: Path) -> None:
    from ss_adapters.datasets.inspector import FileDatasetInspector
    from ss_adapters.datasets.zip_guard import ZipLimits
    from ss_core.domain.dataset import InspectOptions

    data = xlsx_bytes(SHEETS)
    for limits, word in (
        (ZipLimits(max_members=3), "parts"),
        (ZipLimits(max_total_uncompressed=1000), "expand"),
    ):
        harness = Harness(tmp_path / "scratch")
        harness.inspector = FileDatasetInspector(harness.store, tmp_path / "scratch", limits)
        await harness.store.put_bytes("w.xlsx", data, "x/y")
        with pytest.raises(SSError) as excinfo:
            await harness.inspector.inspect("w.xlsx", "xlsx", InspectOptions())  # type: ignore[arg-type]
        assert word in excinfo.value.context["reason"]


def with_declared_dimension(data: bytes, ref: str) -> bytes:
    import re

    source = zipfile.ZipFile(io.BytesIO(data))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                content = re.sub(rb'<dimension ref="[^"]*"', f'<dimension ref="{ref}"'.encode(),
                                 content)
            out.writestr(info.filename, content)
    return buffer.getvalue()


async def test_sheet_declaring_a_huge_extent_is_refused_quickly(harness: Harness) -> None:
    import time

    data = with_declared_dimension(xlsx_bytes({"s": [["a"], [1]]}), "A1:XFD1048576")
    started = time.monotonic()
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(data, "xlsx")
    assert time.monotonic() - started < 5
    assert excinfo.value.error_code == "INPUT_PARSE_FAILED"
    assert excinfo.value.context["columns"] == 16384
