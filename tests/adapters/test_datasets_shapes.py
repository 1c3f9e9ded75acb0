"""Upload-time data shapes: date columns with their frequency, numbers stored as text and
which columns are nested in which id-like columns, for CSV, Excel and .dta, and staging."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ss_adapters.datasets import date_text, numeric_text
from ss_adapters.datasets.date_shape import DateShape
from ss_core.domain.dataset import (
    ColumnType,
    DatasetFormat,
    DatasetSchema,
    DateFacts,
    DateFrequency,
    DateUnit,
)
from tests.adapters.dataset_files import Harness, xlsx_bytes
from tests.adapters.test_datasets_staging import stage


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness(tmp_path / "scratch")


def _col(schema: DatasetSchema, name: str):  # type: ignore[no-untyped-def]
    column = schema.column(name)
    assert column is not None, name
    return column


def _panel_csv() -> str:
    rows = ["firm,city,year,day,month,qtr,cn_month,cn_qtr,cn_day,revenue,share,industry,y"]
    for firm in range(1, 7):
        for year in range(2015, 2020):
            industry = firm % 3 if year < 2018 else (firm + 1) % 3  # moves after 2017
            rows.append(
                f"{firm},城市{firm % 4},{year},{year}-03-{firm:02d},{year}-{firm:02d},"
                f"{year}Q{firm % 4 + 1},{year}年{firm}月,{year}年第{firm % 4 + 1}季度,"
                f"{year}年3月{firm}日,\"¥{firm * 1000 + year:,}\",{firm}.5%,{industry},"
                f"{firm + year}"
            )
    return "\n".join(rows) + "\n"


async def test_csv_date_forms_numbers_as_text_and_nesting(harness: Harness) -> None:
    preview = await harness.inspect(_panel_csv().encode("utf-8"), DatasetFormat.CSV)
    schema = preview.schema
    expected = {
        "day": DateFrequency.DAILY, "month": DateFrequency.MONTHLY,
        "qtr": DateFrequency.QUARTERLY, "cn_month": DateFrequency.MONTHLY,
        "cn_qtr": DateFrequency.QUARTERLY, "cn_day": DateFrequency.DAILY,
    }
    for name, frequency in expected.items():
        column = _col(schema, name)
        assert column.type is ColumnType.DATE, name
        assert column.date == DateFacts(frequency=frequency, unit=DateUnit.TD), name
    assert _col(schema, "year").type is ColumnType.INTEGER  # a bare year stays an integer
    revenue = _col(schema, "revenue")
    assert revenue.type is ColumnType.STRING
    assert revenue.numeric_text is not None
    assert revenue.numeric_text.marks == ("currency", "thousands")
    assert revenue.numeric_text.integer
    share = _col(schema, "share")
    assert share.numeric_text is not None and share.numeric_text.marks == ("percent",)
    assert not share.numeric_text.integer
    assert _col(schema, "city").numeric_text is None
    # nesting: city is constant within firm; industry moves; firm is nested in itself
    assert "firm" in schema.nesting_units
    assert _col(schema, "city").nested_in("firm", schema) is True
    assert _col(schema, "industry").nested_in("firm", schema) is False
    assert _col(schema, "firm").nested_in("firm", schema) is True
    assert _col(schema, "y").nested_in("nowhere", schema) is None


async def test_csv_staging_writes_text_dates_as_stata_dates(
    harness: Harness, tmp_path: Path
) -> None:
    frame, meta = await stage(harness, _panel_csv().encode("utf-8"), DatasetFormat.CSV, tmp_path)
    formats = meta.original_variable_types  # type: ignore[attr-defined]
    for name in ("day", "month", "qtr", "cn_month", "cn_qtr", "cn_day"):
        assert formats[name] == "%td", name
    assert frame["month"].iloc[0] == dt.date(2015, 1, 1)
    assert frame["qtr"].iloc[0] == dt.date(2015, 4, 1)  # 2015Q2 -> first day of the quarter
    assert frame["cn_qtr"].iloc[0] == dt.date(2015, 4, 1)
    assert frame["cn_day"].iloc[0] == dt.date(2015, 3, 1)
    assert frame["revenue"].iloc[0] == "¥3,015"  # numbers as text stay text: the do-file converts


def _dta(path: Path) -> None:
    frame = pd.DataFrame({
        "m": [720.0, 721.0, 722.0, 723.0], "q": [240.0, 241.0, 242.0, 243.0],
        "yr": [2020.0, 2021.0, 2022.0, 2023.0],
        "d": [dt.date(2020, 1, 6), dt.date(2020, 1, 13), dt.date(2020, 1, 20),
              dt.date(2020, 1, 27)],
        "c": [pd.Timestamp("2020-01-01 10:30"), pd.Timestamp("2020-01-02"), pd.NaT,
              pd.Timestamp("2020-01-03 09:00")],
        "unit": ["北京", "北京", "上海", "上海"],
    })
    pyreadstat.write_dta(frame, str(path), version=14,
                         variable_format={"m": "%tm", "q": "%tq", "yr": "%ty"})


async def test_dta_period_formats_are_dates_with_their_unit(
    harness: Harness, tmp_path: Path
) -> None:
    _dta(tmp_path / "p.dta")
    data = (tmp_path / "p.dta").read_bytes()
    preview = await harness.inspect(data, DatasetFormat.DTA)
    schema = preview.schema
    assert _col(schema, "m").date == DateFacts(frequency=DateFrequency.MONTHLY, unit=DateUnit.TM)
    assert _col(schema, "q").date == DateFacts(frequency=DateFrequency.QUARTERLY, unit=DateUnit.TQ)
    assert _col(schema, "yr").date == DateFacts(frequency=DateFrequency.YEARLY, unit=DateUnit.TY)
    assert _col(schema, "d").date == DateFacts(frequency=DateFrequency.WEEKLY, unit=DateUnit.TD)
    assert _col(schema, "c").date == DateFacts(frequency=DateFrequency.DATETIME, unit=DateUnit.TC)
    assert _col(schema, "m").sample_values[:2] == ("2020m1", "2020m2")  # shown as Stata shows
    assert _col(schema, "q").sample_values[0] == "2020q1"
    assert [row["m"] for row in preview.sample_rows[:2]] == ["2020m1", "2020m2"]
    assert preview.sample_rows[0]["yr"] == "2020"
    frame, meta = await stage(harness, data, DatasetFormat.DTA, tmp_path)
    formats = meta.original_variable_types  # type: ignore[attr-defined]
    assert (formats["m"], formats["q"], formats["yr"]) == ("%tm", "%tq", "%ty")
    assert frame["m"].tolist() == [720, 721, 722, 723]  # periods keep their values
    assert formats["c"] == "%tc"


async def test_excel_date_cells_and_text_dates(harness: Harness) -> None:
    rows: list[list[object]] = [["省份", "日期", "季度", "收入"]]
    for i in range(6):
        rows.append(["北京" if i < 3 else "上海", dt.datetime(2020, 1 + i, 1),
                     f"2020年第{i % 4 + 1}季度", f"１２{i}"  # full-width digits
                     if i % 2 else f"{i},000"])
    preview = await harness.inspect(xlsx_bytes({"data": rows}), DatasetFormat.XLSX)
    cols = preview.schema.columns
    assert cols[1].type is ColumnType.DATE
    assert cols[1].date == DateFacts(frequency=DateFrequency.MONTHLY, unit=DateUnit.TD)
    assert cols[2].date is not None and cols[2].date.frequency is DateFrequency.QUARTERLY
    assert cols[3].numeric_text is not None
    assert set(cols[3].numeric_text.marks) == {"fullwidth", "thousands"}


def test_numbers_and_codes_are_told_apart() -> None:
    import numpy as np

    assert numeric_text.detect(np.array(["000123", "000456"], dtype=object)) is None
    assert numeric_text.detect(np.array(["1,234", "abc"], dtype=object)) is None
    assert numeric_text.detect(np.array(["12,34"], dtype=object)) is None  # bad grouping
    found = numeric_text.detect(np.array(["-12.5%", "￥3,000元"], dtype=object))
    assert found is not None and found[0] == {"percent", "currency", "fullwidth", "thousands"}


@settings(max_examples=60, deadline=None)
@given(
    start=st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2090, 1, 1)),
    count=st.integers(min_value=3, max_value=30),
    frequency=st.sampled_from([DateFrequency.DAILY, DateFrequency.WEEKLY,
                               DateFrequency.MONTHLY, DateFrequency.QUARTERLY,
                               DateFrequency.YEARLY]),
)
def test_frequency_of_a_regular_grid_is_detected(
    start: dt.date, count: int, frequency: DateFrequency
) -> None:
    """Dates written on a regular grid (in any text form) are read back with that frequency."""
    base = pd.Timestamp(start)
    if frequency is DateFrequency.DAILY:
        stamps = [base + pd.Timedelta(days=i) for i in range(count)]
        text = [s.strftime("%Y-%m-%d") for s in stamps]
    elif frequency is DateFrequency.WEEKLY:
        text = [(base + pd.Timedelta(weeks=i)).strftime("%Y/%m/%d") for i in range(count)]
    elif frequency is DateFrequency.MONTHLY:
        text = [f"{(base.year * 12 + base.month - 1 + i) // 12}年"
                f"{(base.month - 1 + i) % 12 + 1}月" for i in range(count)]
    elif frequency is DateFrequency.QUARTERLY:
        q0 = base.year * 4 + (base.month - 1) // 3
        text = [f"{(q0 + i) // 4}Q{(q0 + i) % 4 + 1}" for i in range(count)]
    else:
        text = [f"{base.year + i}年" for i in range(count)]
    stamps_series, hints = date_text.parse(pd.Series(text, dtype=object))
    assert stamps_series.notna().all(), text
    shape = DateShape()
    shape.feed(stamps_series, hints)
    assert shape.frequency is frequency


def test_nesting_is_checked_across_chunks() -> None:
    """A unit whose cluster value changes only between two chunks is still not nested."""
    from ss_adapters.datasets.nesting import NestingTracker

    tracker = NestingTracker()
    firm = [1, 1, 2, 2, 3, 3]
    tracker.feed([pd.Series(firm), pd.Series([10, 10, 20, 20, 30, 30]),
                  pd.Series(["a", "a", "b", "b", "c", "c"])])
    tracker.feed([pd.Series(firm), pd.Series([11, 11, 20, 20, 30, 30]),
                  pd.Series(["a", "a", "b", "b", "c", "c"])])
    units, within = tracker.result(3)
    assert 0 in units
    assert within[1] is not None and 0 not in within[1]  # firm 1 moved from 10 to 11
    assert within[2] is not None and 0 in within[2]


async def test_excel_serial_dates_under_a_date_header(harness: Harness, tmp_path: Path) -> None:
    """Bare serials (a date cell that lost its format) are dates only under a date header."""
    text = "交易日期,code,y\n" + "".join(
        f"{43891 + i},{43891 + i},{i}\n" for i in range(5))  # 2020-03-01 onwards
    preview = await harness.inspect(text.encode("utf-8"), DatasetFormat.CSV)
    day, code = preview.schema.columns[0], preview.schema.columns[1]
    assert day.type is ColumnType.DATE
    assert day.date == DateFacts(frequency=DateFrequency.DAILY, unit=DateUnit.TD)
    assert day.sample_values[0] == "2020-03-01"
    assert preview.sample_rows[0][day.name] == "2020-03-01"
    assert code.type is ColumnType.INTEGER  # same numbers, no date header: an integer
    frame, meta = await stage(harness, text.encode("utf-8"), DatasetFormat.CSV, tmp_path)
    assert meta.original_variable_types[day.name] == "%td"  # type: ignore[attr-defined]
    assert frame[day.name].iloc[0] == dt.date(2020, 3, 1)
    rows: list[list[object]] = [["date", "y"], *[[43891 + 31 * i, i] for i in range(4)]]
    sheet = await harness.inspect(xlsx_bytes({"s": rows}), DatasetFormat.XLSX)
    assert sheet.schema.columns[0].type is ColumnType.DATE


async def test_yyyymmdd_and_yyyymm_codes_under_a_date_header(
    harness: Harness, tmp_path: Path
) -> None:
    text = "trade_date,月份,year,y\n" + "".join(
        f"2020030{i},20200{i},{2015 + i},{i}\n" for i in range(1, 6))
    preview = await harness.inspect(text.encode("utf-8"), DatasetFormat.CSV)
    day, month, year = preview.schema.columns[:3]
    assert day.date == DateFacts(frequency=DateFrequency.DAILY, unit=DateUnit.TD)
    assert month.date == DateFacts(frequency=DateFrequency.MONTHLY, unit=DateUnit.TD)
    assert year.type is ColumnType.INTEGER  # a year is not a coded date
    frame, _meta = await stage(harness, text.encode("utf-8"), DatasetFormat.CSV, tmp_path)
    assert frame[day.name].iloc[0] == dt.date(2020, 3, 1)
    assert frame[month.name].iloc[1] == dt.date(2020, 2, 1)


def test_columns_named_like_ids_are_checked_first() -> None:
    """Many categorical columns before the id do not crowd the unit out of the check."""
    from ss_adapters.datasets.nesting import MAX_UNITS, NestingTracker

    width = MAX_UNITS + 3
    names = [f"cat{i}" for i in range(width - 2)] + ["firm_code", "ind"]
    rows = 60
    chunk = [pd.Series([(r + i) % 5 for r in range(rows)]) for i in range(width - 2)]
    chunk += [pd.Series([r // 6 for r in range(rows)]), pd.Series([r // 12 for r in range(rows)])]
    tracker = NestingTracker(names)
    tracker.feed(chunk)
    units, within = tracker.result(width)
    firm = names.index("firm_code")
    assert firm in units
    assert firm in (within[names.index("ind")] or ())  # ind is constant within each firm
