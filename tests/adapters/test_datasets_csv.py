"""CSV inspection: encodings, delimiters, quoting, headers, names, types, bounded previews."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from ss_core.domain.dataset import ColumnType
from ss_core.stata.names import is_valid_stata_name
from tests.adapters.dataset_files import Harness


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness(tmp_path / "scratch")


CHINESE = "地区,收入,年龄\n北京,12.5,30\n上海,13.25,41\n广州,,29\n"


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (CHINESE.encode("gbk"), "gbk"),
        (b"\xef\xbb\xbf" + CHINESE.encode("utf-8"), "utf-8-sig"),
        (CHINESE.encode("utf-8"), "utf-8"),
        (("地区,收入,年龄\n" + "㐀,1,2\n").encode("gb18030"), "gb18030"),
    ],
)
async def test_chinese_headers_are_decoded_and_kept_as_labels(
    harness: Harness, data: bytes, encoding: str
) -> None:
    preview = await harness.inspect(data, "csv")
    assert preview.encoding == encoding
    originals = [c.original_name for c in preview.schema.columns]
    assert originals == ["地区", "收入", "年龄"]
    assert [c.label for c in preview.schema.columns] == originals
    assert all(is_valid_stata_name(c.name) for c in preview.schema.columns)


async def test_types_missing_counts_and_typed_sample_rows(harness: Harness) -> None:
    preview = await harness.inspect(CHINESE.encode("gbk"), "csv")
    region, income, age = preview.schema.columns
    assert (region.type, income.type, age.type) == (
        ColumnType.STRING, ColumnType.NUMERIC, ColumnType.INTEGER,
    )
    assert income.missing_count == 1
    assert region.distinct_count == 3
    assert preview.schema.row_count == 3
    first = preview.sample_rows[0]
    assert first[region.name] == "北京" and first[income.name] == 12.5 and first[age.name] == 30
    assert preview.sample_rows[2][income.name] is None


@pytest.mark.parametrize("delimiter", [";", "\t", "|", ","])
async def test_delimiter_is_sniffed(harness: Harness, delimiter: str) -> None:
    text = delimiter.join(["id", "value", "note"]) + "\n"
    text += "\n".join(delimiter.join([str(i), f"{i}.5", f"n{i}"]) for i in range(5)) + "\n"
    preview = await harness.inspect(text.encode(), "csv")
    assert preview.delimiter == delimiter
    assert preview.schema.names == ("id", "value", "note")


async def test_quotes_and_embedded_newlines_and_delimiters(harness: Harness) -> None:
    data = b'id,comment,score\n1,"line one\nline two",3\n2,"has, comma and ""quotes""",4\n'
    preview = await harness.inspect(data, "csv")
    assert preview.schema.row_count == 2
    comments = [row["comment"] for row in preview.sample_rows]
    assert comments == ["line one\nline two", 'has, comma and "quotes"']


async def test_duplicate_long_reserved_and_blank_names_are_made_safe(harness: Harness) -> None:
    long_name = "a very long column name that goes well past thirty two characters"
    data = f"x,x,X,{long_name},_n,int,,1st\n1,2,3,4,5,6,7,8\n".encode()
    preview = await harness.inspect(data, "csv")
    names = preview.schema.names
    assert len(set(n.lower() for n in names)) == len(names) == 8
    assert all(is_valid_stata_name(n) for n in names)
    assert [c.original_name for c in preview.schema.columns][:4] == ["x", "x", "X", long_name]


async def test_one_row_file(harness: Harness) -> None:
    preview = await harness.inspect(b"a,b\n1,0\n", "csv")
    assert preview.schema.row_count == 1
    assert preview.schema.columns[1].type is ColumnType.BINARY
    assert preview.sample_rows == ({"a": 1, "b": 0},)


async def test_file_without_header_gets_positional_names(harness: Harness) -> None:
    preview = await harness.inspect(b"1,2.5,2020-01-02\n3,4.5,2021-02-03\n", "csv")
    assert preview.header_row == 0
    assert preview.schema.row_count == 2
    assert [c.type for c in preview.schema.columns] == [
        ColumnType.INTEGER, ColumnType.NUMERIC, ColumnType.DATE,
    ]
    assert all(is_valid_stata_name(n) for n in preview.schema.names)


async def test_missing_tokens_and_dates(harness: Harness) -> None:
    data = b"d,v\n2020/01/31,NA\n2020-02-29,.\n,7\n"
    preview = await harness.inspect(data, "csv")
    d, v = preview.schema.columns
    assert d.type is ColumnType.DATE and d.missing_count == 1
    assert v.type is ColumnType.BINARY or v.type is ColumnType.INTEGER
    assert v.missing_count == 2


async def test_ragged_rows_are_padded_with_missing(harness: Harness) -> None:
    preview = await harness.inspect(b"a,b,c\n1,2\n3,4,5\n", "csv")
    assert preview.schema.columns[2].missing_count == 1


async def test_preview_is_bounded_by_the_option(harness: Harness) -> None:
    data = "n\n" + "\n".join(str(i) for i in range(5000)) + "\n"
    preview = await harness.inspect(data.encode(), "csv", preview_rows=7)
    assert len(preview.sample_rows) == 7
    assert preview.schema.row_count == 5000
    assert preview.schema.columns[0].distinct_count is None  # over the distinct cap


async def test_ten_thousand_columns_in_bounded_time(harness: Harness) -> None:
    header = ",".join(f"c{i}" for i in range(10_000))
    rows = "\n".join(",".join(str(i + r) for i in range(10_000)) for r in range(3))
    started = time.process_time()  # CPU of the whole process (the reading thread included):
    preview = await harness.inspect(f"{header}\n{rows}\n".encode(), "csv", preview_rows=2)
    elapsed = time.process_time() - started  # a loaded machine does not inflate it
    assert len(preview.schema.columns) == 10_000
    assert preview.schema.row_count == 3
    assert elapsed < 15, f"10k columns took {elapsed:.1f} s of CPU (quadratic in columns?)"


async def test_leading_blank_lines_before_the_header(harness: Harness) -> None:
    preview = await harness.inspect(b"\n,\n\nname,score\nann,3\nbob,4\n", "csv")
    assert preview.schema.names == ("name", "score")
    assert preview.schema.row_count == 2
    assert preview.schema.columns[1].type is ColumnType.INTEGER


async def test_a_stray_control_character_in_text_is_tolerated(harness: Harness) -> None:
    preview = await harness.inspect(b"name,note\nann,tab\x0bbed text here\n", "csv")
    assert preview.schema.row_count == 1


async def test_utf16_tab_separated_export(harness: Harness) -> None:
    text = "城市\t人口\n北京\t2189\n上海\t2487\n"
    preview = await harness.inspect(text.encode("utf-16"), "csv")
    assert preview.encoding == "utf-16"
    assert preview.delimiter == "\t"
    assert [c.original_name for c in preview.schema.columns] == ["城市", "人口"]
    assert preview.sample_rows[1][preview.schema.names[1]] == 2487


async def test_types_merge_across_chunks(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ss_adapters.datasets.csv_reader as csv_reader

    monkeypatch.setattr(csv_reader, "CELL_BUDGET", 150)  # 50-row chunks for 3 columns
    rows = [f"{i},{i % 2},{i}" for i in range(120)]
    rows[100] = "100,1,1.5"  # third column turns numeric in the third chunk
    rows[110] = "110,2,7"  # second column stops being binary late
    preview = await harness.inspect(("a,b,c\n" + "\n".join(rows) + "\n").encode(), "csv")
    types = [c.type for c in preview.schema.columns]
    assert types == [ColumnType.INTEGER, ColumnType.INTEGER, ColumnType.NUMERIC]
    assert preview.schema.row_count == 120

    mixed = "x\n" + "\n".join(str(i) for i in range(60)) + "\nlate text\n"
    preview = await harness.inspect(mixed.encode(), "csv")
    assert preview.schema.columns[0].type is ColumnType.STRING
