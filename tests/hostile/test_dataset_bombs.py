"""Findings 2, 5 and 13: declared sizes are checked before anything is allocated from them,
readers stay within their cell budget, and a header cut at the sample size is refused instead of
silently dropping columns. Memory is measured in a forked child (peak RSS growth)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ss_adapters.datasets.csv_dialect import SAMPLE_BYTES
from ss_adapters.datasets.csv_reader import CsvReader
from ss_adapters.datasets.dta_reader import DtaReader
from ss_adapters.datasets.excel_reader import XlsxReader
from ss_adapters.datasets.read_limits import ReadLimits
from ss_adapters.datasets.xls_reader import XlsReader
from ss_core.domain.dataset import InspectOptions
from ss_core.errors import SSError
from tests.adapters.dataset_files import xls_bytes, xlsx_bytes
from tests.hostile.bombs import dta_bomb, peak_rss_growth, xlsx_shared_strings_bomb

MB = 1 << 20
OPTIONS = InspectOptions(preview_rows=5)


def test_a_dta_header_declaring_a_billion_rows_is_refused_before_allocation(
        tmp_path: Path) -> None:
    bomb = dta_bomb(tmp_path / "bomb.dta", variables=2000)
    outcome, code, growth, _ = peak_rss_growth(lambda: DtaReader().read_table(bomb, OPTIONS))
    assert code == "INPUT_PARSE_FAILED" and "declares 1000000000 observations" in outcome
    assert growth < 60 * MB, f"reading the bomb grew memory by {growth // MB} MiB"


def test_a_wide_honest_dta_is_read_in_chunks_within_budget(tmp_path: Path) -> None:
    wide = dta_bomb(tmp_path / "wide.dta", variables=3000, declared_rows=1)
    outcome, code, growth, _ = peak_rss_growth(lambda: DtaReader().read_table(wide, OPTIONS))
    assert code is None and "row_count=1" in outcome
    assert growth < 120 * MB, f"{growth // MB} MiB"


def test_xlsx_shared_strings_amplification_is_refused_quickly(tmp_path: Path) -> None:
    bomb = xlsx_shared_strings_bomb(tmp_path / "bomb.xlsx", strings=2_000_000)
    assert bomb.stat().st_size < 400_000
    outcome, code, growth, seconds = peak_rss_growth(
        lambda: XlsxReader().read_table(bomb, OPTIONS))
    assert code == "INPUT_PARSE_FAILED" and "distinct text cells" in outcome
    assert seconds < 5 and growth < 40 * MB, (seconds, growth // MB)


def test_a_workbook_with_shared_strings_under_the_bound_still_reads(tmp_path: Path) -> None:
    book = xlsx_shared_strings_bomb(tmp_path / "ok.xlsx", strings=5000)
    table = XlsxReader().read_table(book, OPTIONS)
    assert [c.original_name for c in table.columns] == ["y", "label"]


def test_a_header_longer_than_the_sample_is_refused_not_cut(tmp_path: Path) -> None:
    columns = 300_000
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"col{i}" for i in range(columns)) + "\n"
                    + ",".join("1" for _ in range(columns)) + "\n")
    assert path.stat().st_size > 2 * SAMPLE_BYTES
    with pytest.raises(Exception) as caught:
        CsvReader().read_table(path, OPTIONS)
    assert getattr(caught.value, "error_code", None) == "INPUT_PARSE_FAILED", caught.value
    assert "first row is longer" in str(caught.value)


def test_every_reader_refuses_a_table_over_the_cell_budget(tmp_path: Path) -> None:
    limits = ReadLimits(max_cells=50)
    rows = [["y", "x"]] + [[i, i * 2] for i in range(40)]
    (tmp_path / "t.xls").write_bytes(xls_bytes({"s": rows}))
    (tmp_path / "t.xlsx").write_bytes(xlsx_bytes({"s": rows}))
    (tmp_path / "t.csv").write_text("\n".join(",".join(map(str, r)) for r in rows) + "\n")
    readers = {"t.xls": XlsReader(limits), "t.xlsx": XlsxReader(read_limits=limits),
               "t.csv": CsvReader(limits)}
    for name, reader in readers.items():
        with pytest.raises(SSError) as caught:
            reader.read_table(tmp_path / name, OPTIONS)
        assert caught.value.error_code == "INPUT_PARSE_FAILED" and "cells" in caught.value.message
