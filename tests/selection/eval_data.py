"""The selection eval data (``requests.json`` plus every ``requests.d/*.json``) as typed values,
shared by the CI retrieval check and ``python -m benchmarks.selection``.

A file under ``requests.d/`` holds ``{"datasets": {...}, "requests": [...]}`` for one family of
templates, so that families are added side by side without touching one shared list."""

from __future__ import annotations

import json
from pathlib import Path

import msgspec

from ss_core.domain.dataset import Column, ColumnType, DatasetSchema
from ss_core.stata.names import normalize_names

DATA = Path(__file__).resolve().parent / "requests.json"
PARTS = DATA.parent / "requests.d"


class EvalRequest(msgspec.Struct, frozen=True):
    id: str
    lang: str
    dataset: str
    request: str
    expected: tuple[str, ...]


class EvalPart(msgspec.Struct, frozen=True):
    requests: tuple[EvalRequest, ...]
    datasets: dict[str, list[tuple[str, ColumnType]]] = {}


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


def load_eval(path: Path = DATA, parts: Path = PARTS) -> EvalSet:
    """The main file and its parts as one set; a dataset or request id defined twice is an error."""
    main = msgspec.convert(json.loads(path.read_text(encoding="utf-8")), EvalSet)
    datasets = dict(main.datasets)
    requests = list(main.requests)
    for file in sorted(parts.glob("*.json")) if parts.is_dir() else ():
        part = msgspec.convert(json.loads(file.read_text(encoding="utf-8")), EvalPart)
        for name, columns in part.datasets.items():
            if datasets.get(name, columns) != columns:
                raise ValueError(f"{file.name}: dataset {name!r} differs from its first definition")
            datasets[name] = columns
        requests.extend(part.requests)
    ids = [r.id for r in requests]
    if len(ids) != len(set(ids)):
        raise ValueError(f"duplicate request ids: {sorted({i for i in ids if ids.count(i) > 1})}")
    return EvalSet(about=main.about, datasets=datasets, requests=tuple(requests))
