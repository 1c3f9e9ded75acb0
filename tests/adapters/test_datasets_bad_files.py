"""Unreadable uploads end as INPUT_* errors with a human reason, never a crash."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from ss_core.errors import SSError
from tests.adapters.dataset_files import Harness


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness(tmp_path / "scratch")


CASES = [
    ("empty csv", b"", "csv", "INPUT_EMPTY"),
    ("whitespace csv", b"\r\n \n\t\n", "csv", "INPUT_EMPTY"),
    ("bom only", b"\xef\xbb\xbf", "csv", "INPUT_EMPTY"),
    ("header only", b"id,income\n", "csv", "INPUT_EMPTY"),
    ("binary junk", bytes(range(256)) * 8 + os.urandom(2048), "csv", "INPUT_PARSE_FAILED"),
    ("nul bytes", b"a,b\n1,\x002\n", "csv", "INPUT_PARSE_FAILED"),
    ("control chars", b"a,b\n" + b"\x01\x02\x03\x04,\x05\x06\n" * 50, "csv",
     "INPUT_PARSE_FAILED"),
    ("pdf named csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n", "csv", "INPUT_PARSE_FAILED"),
    ("gzip named csv", b"\x1f\x8b\x08\x00" + os.urandom(64), "csv", "INPUT_PARSE_FAILED"),
    ("extra fields", b"a,b\n1,2\n3,4,5\n", "csv", "INPUT_PARSE_FAILED"),
    ("first row wider", b"a,b\n1,2,3\n", "csv", "INPUT_PARSE_FAILED"),
    ("empty xlsx", b"", "xlsx", "INPUT_EMPTY"),
    ("empty xls", b"", "xls", "INPUT_EMPTY"),
    ("junk xlsx", os.urandom(4096), "xlsx", "INPUT_PARSE_FAILED"),
    ("zip not workbook", b"PK\x03\x04" + os.urandom(200), "xlsx", "INPUT_PARSE_FAILED"),
    ("junk xls", os.urandom(4096), "xls", "INPUT_PARSE_FAILED"),
    ("ole junk xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(4096), "xls",
     "INPUT_PARSE_FAILED"),
    ("empty dta", b"", "dta", "INPUT_EMPTY"),
    ("junk dta", b"<stata_dta><header>" + os.urandom(300), "dta", "INPUT_PARSE_FAILED"),
]


@pytest.mark.parametrize(("label", "data", "fmt", "code"), CASES, ids=[c[0] for c in CASES])
async def test_bad_file_is_an_input_error_with_a_reason(
    harness: Harness, label: str, data: bytes, fmt: str, code: str
) -> None:
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(data, fmt)
    assert excinfo.value.error_code == code, excinfo.value.context
    assert excinfo.value.context["reason"]
    assert excinfo.value.status == 400


async def test_unknown_format_is_unsupported(harness: Harness) -> None:
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(b"a,b\n1,2\n", "sav")
    assert excinfo.value.error_code == "INPUT_UNSUPPORTED_FORMAT"


async def test_invalid_encoding_after_the_sample_is_a_parse_failure(harness: Harness) -> None:
    data = b"a,b\n" + b"1,2\n" * 400_000 + b"3,\xff\xfe\xfa\n"
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(data, "csv")
    assert excinfo.value.error_code == "INPUT_PARSE_FAILED"
    assert "encoding" in excinfo.value.context["reason"] or "valid" in excinfo.value.message


async def test_scratch_copies_are_removed(harness: Harness) -> None:
    await harness.inspect(b"a\n1\n", "csv")
    with pytest.raises(SSError):
        await harness.inspect(b"", "csv")
    assert list(harness.scratch.iterdir()) == []
