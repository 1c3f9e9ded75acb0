"""Finding 4: run-time staging streams. Staging a CSV for Stata holds one chunk in memory, not
the whole dataset (~6-9x the file before), measured as the peak RSS growth of a forked child."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pyreadstat
import pytest

from ss_adapters.blob.local_store import LocalDirectoryStore
from ss_adapters.datasets.inspector import FileDatasetInspector
from ss_core.domain.dataset import DatasetFormat, InspectOptions
from tests.hostile.bombs import peak_rss_growth

pytestmark = pytest.mark.slow
MB = 1 << 20
ROWS = 600_000


def big_csv(path: Path) -> Path:
    row = "12.5,3,7.25,100,0.5,42,1.75,9,city_{},2020-01-0{}\n"
    with path.open("w") as out:
        out.write("a,b,c,d,e,f,g,h,name,when\n")
        for i in range(ROWS):
            out.write(row.format(i % 50, 1 + i % 9))
    return path


def test_staging_a_large_csv_holds_one_chunk_not_the_dataset(tmp_path: Path) -> None:
    source = big_csv(tmp_path / "big.csv")
    size = source.stat().st_size
    store = LocalDirectoryStore(tmp_path / "objects")  # on disk: only staging's memory counts
    (tmp_path / "objects" / "in").mkdir(parents=True)
    source.rename(tmp_path / "objects" / "in" / "big.csv")
    inspector = FileDatasetInspector(store, tmp_path / "scratch")

    def stage() -> object:
        return asyncio.run(inspector.stage_dta(
            "in/big.csv", DatasetFormat.CSV, InspectOptions(), "out/primary.dta"))

    outcome, code, growth, _ = peak_rss_growth(stage, timeout=600)
    assert code is None, outcome
    # before: ~6x the file (the whole dataset as Python objects); now one chunk plus a fixed
    # overhead of the parser and converters
    assert growth < size + 32 * MB, f"staging {size // MB} MiB grew memory by {growth // MB} MiB"
    frame, _ = pyreadstat.read_dta(str(tmp_path / "objects" / "out" / "primary.dta"),
                                   row_limit=3)
    assert list(frame["name"]) == ["city_0", "city_1", "city_2"]
    assert frame["a"].tolist() == [12.5] * 3
