"""Stata .dta inspection: variable labels, value labels, date formats, integer types."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import pyreadstat
import pytest

from ss_core.domain.dataset import ColumnType
from ss_core.errors import SSError
from tests.adapters.dataset_files import Harness


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    return Harness(tmp_path / "scratch")


def labelled_dta(tmp_path: Path, rows: int = 4) -> bytes:
    frame = pd.DataFrame(
        {
            "id": pd.array(range(1, rows + 1), dtype="int32"),
            "female": pd.array([i % 2 for i in range(rows)], dtype="int32"),
            "wage": [10.5 + i for i in range(rows)],
            "region": [["north", "south"][i % 2] for i in range(rows)],
            "born": [dt.date(1990, 1, 1) + dt.timedelta(days=i) for i in range(rows)],
            "score": [float(i) if i != 1 else float("nan") for i in range(rows)],
        }
    )
    path = tmp_path / "labelled.dta"
    pyreadstat.write_dta(
        frame,
        str(path),
        column_labels=["Person id", "Is female", "Hourly wage", "Region", "Birth date", None],
        variable_value_labels={"female": {0: "male", 1: "female"}},
        version=14,
    )
    return path.read_bytes()


async def test_labels_value_labels_and_types_are_read(harness: Harness, tmp_path: Path) -> None:
    preview = await harness.inspect(labelled_dta(tmp_path), "dta")
    schema = preview.schema
    assert schema.names == ("id", "female", "wage", "region", "born", "score")
    assert [c.label for c in schema.columns] == [
        "Person id", "Is female", "Hourly wage", "Region", "Birth date", "score",
    ]
    assert [c.type for c in schema.columns] == [
        ColumnType.INTEGER, ColumnType.BINARY, ColumnType.NUMERIC, ColumnType.STRING,
        ColumnType.DATE, ColumnType.INTEGER,
    ]
    female = schema.column("female")
    assert female is not None and female.value_labels == {"0": "male", "1": "female"}
    assert schema.column("score").missing_count == 1  # type: ignore[union-attr]
    first = preview.sample_rows[0]
    assert first["id"] == 1 and isinstance(first["id"], int)
    assert first["born"] == "1990-01-01"
    assert schema.row_count == 4


async def test_large_dta_is_read_in_chunks(harness: Harness, tmp_path: Path) -> None:
    preview = await harness.inspect(labelled_dta(tmp_path, rows=120_000), "dta", preview_rows=3)
    assert preview.schema.row_count == 120_000
    assert len(preview.sample_rows) == 3


async def test_dta_without_observations_is_empty(harness: Harness, tmp_path: Path) -> None:
    path = tmp_path / "none.dta"
    pyreadstat.write_dta(pd.DataFrame({"x": pd.Series([], dtype="float64")}), str(path))
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(path.read_bytes(), "dta")
    assert excinfo.value.error_code == "INPUT_EMPTY"


async def test_truncated_dta_is_a_parse_failure(harness: Harness, tmp_path: Path) -> None:
    data = labelled_dta(tmp_path, rows=50)
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(data[: len(data) // 2], "dta")
    assert excinfo.value.error_code == "INPUT_PARSE_FAILED"


async def test_csv_named_dta_says_what_it_looks_like(harness: Harness) -> None:
    with pytest.raises(SSError) as excinfo:
        await harness.inspect(b"a,b\n1,2\n", "dta")
    assert excinfo.value.error_code == "INPUT_PARSE_FAILED"
    assert "named .dta" in excinfo.value.context["reason"]
