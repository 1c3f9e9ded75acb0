"""The selection eval data (``requests.json``) as typed values, shared by the CI retrieval
check and ``python -m benchmarks.selection``."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec

from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.domain.naming import normalize_names

DATA = Path(__file__).resolve().parent / "requests.json"


class EvalRequest(msgspec.Struct, frozen=True):
    id: str
    lang: str
    dataset: str
    request: str
    expected: tuple[str, ...]


class EvalSet(msgspec.Struct, frozen=True):
    about: str
    datasets: dict[str, list[tuple[str, ColumnType]]]
    requests: tuple[EvalRequest, ...]

    def schema(self, dataset: str) -> DatasetSchema:
        originals = [name for name, _ in self.datasets[dataset]]
        names = normalize_names(originals)
        return DatasetSchema(row_count=1000, columns=tuple(
            Column(name=n, original_name=o, type=t)
            for n, (o, t) in zip(names, self.datasets[dataset], strict=True)))


def load_eval(path: Path = DATA) -> EvalSet:
    return msgspec.convert(json.loads(path.read_text(encoding="utf-8")), EvalSet)
