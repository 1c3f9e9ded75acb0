"""Staging: every format becomes a .dta with normalised names and the originals as labels."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ss_core.domain.dataset import DatasetFormat, InspectOptions
from ss_core.errors import SSError
from ss_core.stata.names import is_valid_stata_name
from tests.adapters.dataset_files import Harness, xlsx_bytes
from tests.adapters.test_datasets_dta import labelled_dta


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness(tmp_path / "scratch")


async def stage(
    harness: Harness, data: bytes, fmt: DatasetFormat, tmp_path: Path, **options: object
) -> tuple[pd.DataFrame, object]:
    await harness.store.put_bytes("in/data", data, "application/octet-stream")
    stored = await harness.inspector.stage_dta(
        "in/data", fmt, InspectOptions(**options), "runs/r1/inputs/data.dta"  # type: ignore[arg-type]
    )
    written = await harness.store.get_bytes("runs/r1/inputs/data.dta")
    assert stored.key == "runs/r1/inputs/data.dta"
    assert stored.sha256 == hashlib.sha256(written).hexdigest()
    assert written.startswith(b"<stata_dta><header><release>118</release>")
    path = tmp_path / "staged.dta"
    path.write_bytes(written)
    return pyreadstat.read_dta(str(path))


async def test_csv_with_chinese_headers_is_staged(harness: Harness, tmp_path: Path) -> None:
    long_name = "收入" * 50
    text = f"地区,{long_name},age,when,flag\n北京,12.5,30,2020-01-31,1\n上海,,41,2021-02-01,0\n"
    frame, meta = await stage(harness, text.encode("gbk"), DatasetFormat.CSV, tmp_path)
    assert all(is_valid_stata_name(n) for n in frame.columns)
    labels = meta.column_labels  # type: ignore[attr-defined]
    assert labels[0] == "地区"
    assert labels[1] == long_name[:80]
    assert list(frame.iloc[:, 0]) == ["北京", "上海"]
    assert frame["age"].tolist() == [30, 41]
    assert meta.readstat_variable_types["age"] == "int32"  # type: ignore[attr-defined]
    assert meta.original_variable_types["when"] == "%td"  # type: ignore[attr-defined]
    assert frame["when"].tolist() == [dt.date(2020, 1, 31), dt.date(2021, 2, 1)]
    assert pd.isna(frame.iloc[1, 1])


async def test_selected_sheet_is_staged(harness: Harness, tmp_path: Path) -> None:
    data = xlsx_bytes(
        {
            "notes": [["x"], ["y"]],
            "panel": [["id", "stamp"], [1, dt.datetime(2020, 1, 1, 8, 30)], [2, None]],
        }
    )
    frame, meta = await stage(harness, data, DatasetFormat.XLSX, tmp_path, sheet_name="panel")
    assert list(frame.columns) == ["id", "stamp"]
    assert meta.original_variable_types["stamp"] == "%tc"  # type: ignore[attr-defined]
    assert frame["stamp"].iloc[0] == pd.Timestamp("2020-01-01 08:30")


async def test_dta_round_trip_keeps_labels_and_value_labels(
    harness: Harness, tmp_path: Path
) -> None:
    frame, meta = await stage(harness, labelled_dta(tmp_path), DatasetFormat.DTA, tmp_path)
    assert meta.column_labels[:2] == ["Person id", "Is female"]  # type: ignore[attr-defined]
    assert meta.variable_value_labels == {"female": {0: "male", 1: "female"}}  # type: ignore[attr-defined]
    assert frame["id"].tolist() == [1, 2, 3, 4]
    assert frame["region"].tolist() == ["north", "south", "north", "south"]


async def test_staging_a_bad_file_stores_nothing(harness: Harness) -> None:
    await harness.store.put_bytes("in/bad.csv", b"a,b\n", "text/csv")
    with pytest.raises(SSError) as excinfo:
        await harness.inspector.stage_dta(
            "in/bad.csv", DatasetFormat.CSV, InspectOptions(), "runs/r1/inputs/data.dta"
        )
    assert excinfo.value.error_code == "INPUT_EMPTY"
    assert not await harness.store.exists("runs/r1/inputs/data.dta")
    assert list(harness.scratch.iterdir()) == []


async def test_empty_columns_long_strings_and_reserved_names(
    harness: Harness, tmp_path: Path
) -> None:
    long_text = "长" * 1000  # 3000 UTF-8 bytes, over Stata's 2045-byte str limit
    text = f"int,blank,note,_n\n1,,{long_text},x\n2,,short,y\n"
    frame, meta = await stage(harness, text.encode(), DatasetFormat.CSV, tmp_path)
    assert all(is_valid_stata_name(n) for n in frame.columns)
    assert meta.column_labels == ["int", "blank", "note", "_n"]  # type: ignore[attr-defined]
    note = frame.columns[2]
    assert len(frame[note].iloc[0].encode("utf-8")) <= 2045
    assert frame[note].iloc[1] == "short"
    assert frame.iloc[:, 1].isna().all() or (frame.iloc[:, 1] == "").all()


def test_mixed_columns_round_trip_across_many_chunks(tmp_path: Path) -> None:
    """Every chunk is converted on its own (distinct values once per chunk): values that
    repeat across chunks, a time of day and a missing integer only in the last chunk, and
    strings with Stata's active characters must all read back exactly."""
    from ss_adapters.datasets.csv_reader import CsvReader
    from ss_adapters.datasets.preview import to_schema
    from ss_adapters.datasets.read_limits import ReadLimits
    from ss_adapters.datasets.staging import write_dta_chunks
    from ss_core.domain.inert_text import inert

    rows = 50
    cities = ["北京", "O'Hare \"x\"", "cost $5", "`cmd'", "", "a\\b"]
    lines = ["id,city,when,score,n,月份"]
    for i in range(rows):
        when = "2020-01-02 10:30" if i == rows - 1 else f"2020-01-{1 + i % 28:02d}"
        n = "" if i == rows - 1 else str(i % 7)
        score = "" if i % 5 == 0 else f"{i / 4:.2f}"
        lines.append(f'{i},"{cities[i % len(cities)].replace(chr(34), chr(34) * 2)}",'
                     f"{when},{score},{n},2021年{1 + i % 12}月")
    csv = tmp_path / "mixed.csv"
    csv.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reader = CsvReader(ReadLimits(chunk_cells=6 * 7))  # 7-row chunks
    options = InspectOptions(preview_rows=5)
    table = reader.read_table(csv, options)
    dest = tmp_path / "out.dta"
    write_dta_chunks(lambda: reader.iter_frames(csv, options, table), to_schema(table), dest)

    frame, meta = pyreadstat.read_dta(str(dest))
    assert len(frame) == rows
    assert frame["id"].tolist() == list(range(rows))
    assert meta.readstat_variable_types["id"] == "int32"
    assert frame["city"].tolist() == [inert(cities[i % len(cities)]) for i in range(rows)]
    assert meta.original_variable_types["when"] == "%tc"
    assert frame["when"].iloc[0] == dt.datetime(2020, 1, 1)
    assert frame["when"].iloc[-1] == dt.datetime(2020, 1, 2, 10, 30)
    scores = frame["score"].tolist()
    assert all(pd.isna(scores[i]) if i % 5 == 0 else scores[i] == i / 4 for i in range(rows))
    assert meta.readstat_variable_types["n"] == "double"  # the missing value is in chunk 8
    assert pd.isna(frame["n"].iloc[-1]) and frame["n"].iloc[:-1].tolist() == [
        i % 7 for i in range(rows - 1)]
    months = frame.iloc[:, 5].tolist()
    assert months == [dt.date(2021, 1 + i % 12, 1) for i in range(rows)]


@given(st.lists(st.text(st.characters(codec="utf-8")) | st.sampled_from(
    ["'", '"', "`", "$", "\\", "\x00", "\ue000", "长" * 700]), max_size=20))
def test_distinct_texts_are_staged_as_each_cell_alone(values: list[str]) -> None:
    """Staging a column's distinct values in one pass gives what each value staged alone
    gives: inert, UTF-8, cut on a character boundary at 2045 bytes."""
    from ss_adapters.datasets.staging import STRING_MAX_BYTES, stage_text, stage_texts
    from ss_core.domain.inert_text import is_inert

    staged = stage_texts(values)
    assert staged == [stage_text(v) for v in values]
    assert all(len(b) <= STRING_MAX_BYTES and is_inert(b.decode("utf-8")) for b in staged)


def test_date_memo_gives_the_same_dates_and_stops_growing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Date texts parsed in one chunk are remembered for the next (and for the second pass),
    with the same result (dates and frequency hints) as parsing afresh; the memo stops
    growing at its bound."""
    from ss_adapters.datasets import date_text, staging
    from ss_core.domain.dataset import ColumnType

    chunks = [pd.Series(["2020-01-01", "2020年3月", None, "2020-01-01 10:30", "2020-01-01"],
                        dtype=object, index=range(k * 5, k * 5 + 5)) for k in range(3)]
    chunks.append(pd.Series(["2020q1", "2020-01-01", "bad"], dtype=object, index=[15, 16, 17]))
    memo = date_text.DateMemo()
    hints_memo = date_text.DateMemo()
    for chunk in chunks:
        fresh = staging.convert_column(chunk, ColumnType.DATE)
        remembered = staging.convert_column(chunk, ColumnType.DATE, memo=memo)
        pd.testing.assert_series_equal(remembered, fresh)
        assert date_text.parse(chunk, hints_memo)[1] == date_text.parse(chunk)[1]
    assert set(memo.texts) == {"2020-01-01", "2020年3月", "2020-01-01 10:30", "2020q1", "bad"}
    monkeypatch.setattr(date_text, "DATE_MEMO_MAX", 1)
    bounded = date_text.DateMemo()
    for chunk in chunks:
        staging.convert_column(chunk, ColumnType.DATE, memo=bounded)
    assert len(bounded) == 3  # the first chunk's three distinct texts, then no more


async def test_staging_in_a_child_process_writes_the_same_bytes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The conversion run in a child process (as the service runs it for large files) gives
    the bytes the in-process conversion gives, and a bad file's error comes back with its
    code."""
    from ss_adapters.datasets import inspector
    from ss_adapters.datasets.inspector import FileDatasetInspector

    monkeypatch.setattr(inspector, "CHILD_STAGING_BYTES", 0)

    text = "地区,收入,when,note\n北京,12.5,2020-01-31,a`b\n上海,,2021-02-01 10:30,$x\n"
    written = {}
    for isolated in (False, True):
        harness = Harness(tmp_path / f"scratch{isolated}")
        harness.inspector = FileDatasetInspector(harness.store, tmp_path / f"s{isolated}",
                                                 stage_in_child=isolated)
        await harness.store.put_bytes("in/data", text.encode(), "text/csv")
        await harness.inspector.stage_dta("in/data", DatasetFormat.CSV, InspectOptions(),
                                          "out/data.dta")
        written[isolated] = await harness.store.get_bytes("out/data.dta")
        await harness.store.put_bytes("in/bad", b"a,b\n1,2\n3,4,5,6\n", "text/csv")
        with pytest.raises(SSError) as caught:
            await harness.inspector.stage_dta("in/bad", DatasetFormat.CSV, InspectOptions(),
                                              "out/bad.dta")
        assert caught.value.error_code == "INPUT_PARSE_FAILED"
        assert "reason" in caught.value.context
    assert written[True] == written[False]
