"""Read a dataset file into the ``DatasetSchema`` an upload of it would get (for the CLI).

Operator tooling (``templates render``, ``templates smoke``) must bind against the same facts
as the service: the real readers of ``ss_adapters.datasets`` (types, date frequencies,
numbers stored as text, nesting) and the same name normalisation.
"""

from __future__ import annotations

from pathlib import Path

from ss_adapters.datasets.csv_reader import CsvReader
from ss_adapters.datasets.dta_reader import DtaReader
from ss_adapters.datasets.excel_reader import XlsxReader
from ss_adapters.datasets.preview import to_schema
from ss_core.domain.dataset import DatasetSchema, InspectOptions
from ss_core.errors import InputError

_READERS: dict[str, type[CsvReader] | type[DtaReader] | type[XlsxReader]] = {
    ".dta": DtaReader, ".csv": CsvReader, ".xlsx": XlsxReader}


def schema_of(path: Path) -> DatasetSchema:
    reader = _READERS.get(path.suffix.lower())
    if reader is None:
        raise InputError(f"unsupported dataset file {path.name!r}: use .csv, .xlsx or .dta",
                         code="INPUT_UNSUPPORTED_FORMAT", file=path.name)
    return to_schema(reader().read_table(path, InspectOptions(preview_rows=0)))
