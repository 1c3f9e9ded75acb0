"""The inspector reads the local directory store's objects in place (no scratch copy) and
finds exactly what it finds in a copy from any other store."""

from __future__ import annotations

from pathlib import Path

import pytest

from ss_adapters.blob.local_store import LocalDirectoryStore
from ss_adapters.datasets.inspector import FileDatasetInspector
from ss_core.domain.dataset import DatasetFormat, InspectOptions
from ss_core.errors import SSError
from tests.adapters.dataset_files import Harness

CSV = ("id,wage,region\n" + "".join(f"{i},{10 + i % 7}.5,r{i % 3}\n" for i in range(500))
       ).encode()


async def test_a_local_object_is_read_in_place_with_the_same_findings(tmp_path: Path) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    scratch = tmp_path / "scratch"
    inspector = FileDatasetInspector(store, scratch)
    await store.put_bytes("jobs/j/inputs/a.csv", CSV, "text/csv")
    options = InspectOptions(preview_rows=20)
    in_place = await inspector.inspect("jobs/j/inputs/a.csv", DatasetFormat.CSV, options)
    copied = await Harness(tmp_path / "copies").inspect(CSV, "csv", preview_rows=20)
    assert in_place == copied
    assert not scratch.exists()  # nothing was copied
    assert (tmp_path / "objects" / "jobs" / "j" / "inputs" / "a.csv").read_bytes() == CSV


async def test_an_empty_or_absent_local_object_is_refused(tmp_path: Path) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    inspector = FileDatasetInspector(store, tmp_path / "scratch")
    await store.put_bytes("e.csv", b"", "text/csv")
    with pytest.raises(SSError) as empty:
        await inspector.inspect("e.csv", DatasetFormat.CSV, InspectOptions())
    with pytest.raises(SSError) as absent:
        await inspector.inspect("none.csv", DatasetFormat.CSV, InspectOptions())
    assert empty.value.error_code.startswith("INPUT_")
    assert absent.value.error_code == "OBJECT_NOT_FOUND"


async def test_staging_reads_in_place_too(tmp_path: Path) -> None:
    store = LocalDirectoryStore(tmp_path / "objects")
    inspector = FileDatasetInspector(store, tmp_path / "scratch")  # not created yet
    await store.put_bytes("in/a.csv", CSV, "text/csv")
    staged = await inspector.stage_dta("in/a.csv", DatasetFormat.CSV, InspectOptions(),
                                       "out/primary.dta")
    assert staged.size_bytes > 0 and await store.exists("out/primary.dta")
    assert list((tmp_path / "scratch").iterdir()) == []  # the staged scratch file is gone
